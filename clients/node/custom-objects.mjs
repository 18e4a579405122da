// Custom object schemas through the client's crm.schemas.coreApi: create a
// type at install time, read it back by id and by name, list and update it,
// then create a record of it through crm.objects.basicApi and associate it
// with a contact by the pair's default association type. The client accepts
// only the status it was generated with (201 create and createAssociation,
// 200 reads and update, 204 archive) and throws ApiException{code, body}
// otherwise, so every call below that resolves also checks the status.
import assert from "node:assert/strict";

export default async function customObjects({ client, check, rejects }) {
  const schemas = client.crm.schemas.coreApi;
  // Each run has its own portal (its own token), so the name is free.
  let car, record, contact;

  await check("schemas: create (201)", async () => {
    car = await schemas.create({
      name: "car",
      labels: { singular: "Car", plural: "Cars" },
      primaryDisplayProperty: "model",
      requiredProperties: ["model"],
      searchableProperties: ["model"],
      secondaryDisplayProperties: ["year"],
      properties: [
        { name: "model", label: "Model", type: "string", fieldType: "text" },
        { name: "year", label: "Year", type: "number", fieldType: "number" },
      ],
      associatedObjects: ["CONTACT"],
    });
    assert.match(car.objectTypeId, /^2-[0-9]+$/);
    assert.equal(car.objectTypeId, `2-${car.id}`);
    assert.match(car.fullyQualifiedName, /^p[0-9]+_car$/);
    assert.equal(car.labels.singular, "Car");
    assert.ok(car.createdAt instanceof Date && !isNaN(car.createdAt), "createdAt is a date");
    assert.ok(car.properties.some((p) => p.name === "model"), "properties include model");
    assert.ok(car.properties.some((p) => p.name === "hs_object_id"), "properties include hs_object_id");
    assert.equal(car.associations.length, 1);
    assert.equal(car.associations[0].fromObjectTypeId, car.objectTypeId);
    assert.equal(car.associations[0].toObjectTypeId, "0-1");
    assert.match(car.associations[0].id, /^[0-9]+$/);
  });

  await check("schemas: a second type of the same name is a 409", async () => {
    await rejects(schemas.create({ name: "car", labels: { singular: "Car", plural: "Cars" }, properties: [], associatedObjects: [] }), 409, "CONFLICT");
  });

  await check("schemas: getById by id and fully qualified name (200)", async () => {
    for (const spelling of [car.objectTypeId, car.fullyQualifiedName]) {
      const r = await schemas.getById(spelling);
      assert.equal(r.objectTypeId, car.objectTypeId);
      assert.deepEqual(r.requiredProperties, ["model"]);
    }
  });

  await check("schemas: getAll (200)", async () => {
    const r = await schemas.getAll();
    assert.ok(r.results.some((s) => s.objectTypeId === car.objectTypeId));
  });

  await check("schemas: update (200)", async () => {
    const r = await schemas.update(car.objectTypeId, { labels: { singular: "Auto", plural: "Autos" }, searchableProperties: ["model", "year"] });
    assert.equal(r.labels.singular, "Auto");
    assert.deepEqual(r.searchableProperties, ["model", "year"]);
  });

  await check("custom objects: create a record of the new type (201)", async () => {
    record = await client.crm.objects.basicApi.create(car.objectTypeId, { properties: { model: "Model T", year: "1908" } });
    assert.match(record.id, /^[0-9]+$/);
    assert.equal(record.properties.model, "Model T");
    contact = await client.crm.contacts.basicApi.create({ properties: { email: `driver-${Date.now()}@example.com` } });
  });

  await check("custom objects: associate the record with a contact (200)", async () => {
    const r = await client.crm.associations.v4.basicApi.createDefault(car.objectTypeId, record.id, "contacts", contact.id);
    assert.equal(r.status, "COMPLETE");
    const page = await client.crm.associations.v4.basicApi.getPage(car.objectTypeId, record.id, "contacts");
    assert.equal(page.results.length, 1);
    assert.equal(String(page.results[0].toObjectId), contact.id);
    assert.ok(page.results[0].associationTypes.some((t) => String(t.typeId) === car.associations[0].id));
  });

  await check("schemas: a type with records is not deleted", async () => {
    await rejects(schemas.archive(car.objectTypeId), 400, "VALIDATION_ERROR");
  });

  await check("schemas: createAssociation (201) and archiveAssociation (204)", async () => {
    const a = await schemas.createAssociation(car.objectTypeId, { fromObjectTypeId: car.objectTypeId, toObjectTypeId: "0-2" });
    assert.equal(a.toObjectTypeId, "0-2");
    await schemas.archiveAssociation(car.objectTypeId, a.id);
  });
}
