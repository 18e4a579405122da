// The Properties API (coreApi, batchApi, groupsApi) and the Pipelines API
// (pipelinesApi, pipelineStagesApi) through the client's discovery objects,
// and what an integration does with them: create its property group and
// properties at install time, then write records that use them; read a
// pipeline's stages to move a deal along.
import assert from "node:assert/strict";

export default async function schema({ client, check, rejects }) {
  const properties = client.crm.properties;
  const contacts = client.crm.contacts;

  await check("properties: coreApi.getAll lists HubSpot's properties", async () => {
    const res = await properties.coreApi.getAll("contacts");
    const email = res.results.find((p) => p.name === "email");
    assert.ok(email, "email is listed");
    assert.equal(email.hubspotDefined, true);
    assert.equal(email.type, "string");
    assert.ok(res.results.every((p) => p.name && p.label && p.type && p.fieldType && p.groupName !== undefined));
    const names = res.results.map((p) => p.name);
    assert.deepEqual(names, names.slice().sort(), "sorted by name");
  });

  await check("properties: groupsApi create (201), getAll, getByName, update", async () => {
    const g = await properties.groupsApi.create("contacts", { name: "integration", label: "Our integration", displayOrder: 1 });
    assert.equal(g.name, "integration");
    assert.equal(g.label, "Our integration");
    const all = await properties.groupsApi.getAll("contacts");
    assert.ok(all.results.some((x) => x.name === "integration"));
    assert.ok(all.results.some((x) => x.name === "contactinformation"));
    const one = await properties.groupsApi.getByName("contacts", "integration");
    assert.equal(one.label, "Our integration");
    const upd = await properties.groupsApi.update("contacts", "integration", { label: "Integration" });
    assert.equal(upd.label, "Integration");
    await rejects(properties.groupsApi.create("contacts", { name: "integration", label: "Again" }), 409, "CONFLICT");
  });

  await check("properties: coreApi create (201), getByName, update; records use the property", async () => {
    const p = await properties.coreApi.create("contacts", {
      name: "favorite_food",
      label: "Favorite food",
      type: "enumeration",
      fieldType: "select",
      groupName: "integration",
      options: [
        { label: "Pizza", value: "pizza", displayOrder: 0, hidden: false },
        { label: "Salad", value: "salad", displayOrder: 1, hidden: false },
      ],
    });
    assert.equal(p.name, "favorite_food");
    assert.equal(p.hubspotDefined ?? false, false);
    assert.deepEqual(p.options.map((o) => o.value), ["pizza", "salad"]);
    assert.ok(p.createdAt instanceof Date && !isNaN(p.createdAt));
    const read = await properties.coreApi.getByName("contacts", "favorite_food");
    assert.equal(read.groupName, "integration");
    const upd = await properties.coreApi.update("contacts", "favorite_food", {
      label: "Favourite food",
      options: [
        { label: "Pizza", value: "pizza", displayOrder: 0, hidden: false },
        { label: "Salad", value: "salad", displayOrder: 1, hidden: false },
        { label: "Soup", value: "soup", displayOrder: 2, hidden: false },
      ],
    });
    assert.equal(upd.label, "Favourite food");
    assert.equal(upd.options.length, 3);
    // The property exists now: a record may use it, with its options checked.
    const c = await contacts.basicApi.create({ properties: { email: "foodie@example.com", favorite_food: "soup" } });
    assert.equal(c.properties.favorite_food, "soup");
    const bad = await rejects(contacts.basicApi.update(c.id, { properties: { favorite_food: "cake" } }), 400, "VALIDATION_ERROR");
    assert.equal(bad.errors[0].code, "INVALID_OPTION");
    const found = await contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: "favorite_food", operator: "EQ", value: "soup" }] }],
      properties: ["favorite_food"],
    });
    assert.deepEqual(found.results.map((r) => r.id), [c.id]);
  });

  await check("properties: errors the client throws (409, 404, 400)", async () => {
    const dup = await rejects(
      properties.coreApi.create("contacts", { name: "favorite_food", label: "Again", type: "string", fieldType: "text", groupName: "integration" }),
      409,
      "CONFLICT",
    );
    assert.match(dup.message, /favorite_food/);
    const missing = await rejects(properties.coreApi.getByName("contacts", "no_such_property"), 404, "OBJECT_NOT_FOUND");
    assert.match(missing.message, /no_such_property/);
    await rejects(
      properties.coreApi.create("contacts", { name: "nogroup", label: "No group", type: "string", fieldType: "text", groupName: "no_such_group" }),
      400,
      "VALIDATION_ERROR",
    );
    await rejects(properties.coreApi.archive("contacts", "email"), 400, "VALIDATION_ERROR");
  });

  await check("properties: batchApi create (201 and 207), read, archive (204)", async () => {
    const created = await properties.batchApi.create("contacts", {
      inputs: [
        { name: "plan", label: "Plan", type: "string", fieldType: "text", groupName: "integration" },
        { name: "seats", label: "Seats", type: "number", fieldType: "number", groupName: "integration" },
      ],
    });
    assert.equal(created.status, "COMPLETE");
    assert.deepEqual(created.results.map((p) => p.name).sort(), ["plan", "seats"]);
    const partial = await properties.batchApi.create("contacts", {
      inputs: [
        { name: "region", label: "Region", type: "string", fieldType: "text", groupName: "integration" },
        { name: "plan", label: "Plan", type: "string", fieldType: "text", groupName: "integration" },
      ],
    });
    assert.equal(partial.numErrors, 1);
    assert.deepEqual(partial.results.map((p) => p.name), ["region"]);
    const read = await properties.batchApi.read("contacts", { inputs: [{ name: "plan" }, { name: "seats" }], archived: false, propertiesWithHistory: [] });
    assert.deepEqual(read.results.map((p) => p.name).sort(), ["plan", "seats"]);
    const c = await contacts.basicApi.create({ properties: { plan: "pro", seats: 12 } });
    assert.equal(c.properties.seats, "12", "a create answers what it wrote, numbers as text");
    assert.equal((await contacts.basicApi.getById(c.id)).properties.seats, undefined, "not a default property");
    assert.equal((await contacts.basicApi.getById(c.id, ["seats"])).properties.seats, "12");
    assert.equal(await properties.batchApi.archive("contacts", { inputs: [{ name: "region" }, { name: "no_such_property" }] }), undefined);
    const archived = await properties.coreApi.getAll("contacts", true);
    assert.ok(archived.results.some((p) => p.name === "region" && p.archived === true));
    await rejects(contacts.basicApi.create({ properties: { region: "EMEA" } }), 400, "VALIDATION_ERROR");
  });

  await check("properties: coreApi.archive (204), groupsApi.archive (204) once the group is empty", async () => {
    await rejects(properties.groupsApi.archive("contacts", "integration"), 400, "VALIDATION_ERROR");
    for (const name of ["favorite_food", "plan", "seats"]) {
      assert.equal(await properties.coreApi.archive("contacts", name), undefined);
    }
    await rejects(properties.coreApi.getByName("contacts", "plan"), 404, "OBJECT_NOT_FOUND");
    assert.equal(await properties.groupsApi.archive("contacts", "integration"), undefined);
    await rejects(properties.groupsApi.getByName("contacts", "integration"), 404, "OBJECT_NOT_FOUND");
  });

  const pipelines = client.crm.pipelines;
  await check("pipelines: pipelinesApi.getAll and getById for deals and tickets", async () => {
    const deals = await pipelines.pipelinesApi.getAll("deals");
    const sales = deals.results.find((p) => p.id === "default");
    assert.equal(sales.label, "Sales Pipeline");
    assert.equal(sales.archived, false);
    assert.ok(sales.createdAt instanceof Date && !isNaN(sales.createdAt));
    const stageIds = sales.stages.map((s) => s.id);
    assert.ok(stageIds.includes("appointmentscheduled") && stageIds.includes("closedwon"));
    assert.equal(sales.stages.find((s) => s.id === "closedwon").metadata.isClosed, "true");
    const one = await pipelines.pipelinesApi.getById("0-3", "default");
    assert.deepEqual(one.stages.map((s) => s.id), stageIds);
    const tickets = await pipelines.pipelinesApi.getById("tickets", "0");
    assert.equal(tickets.label, "Support Pipeline");
    assert.deepEqual(tickets.stages.map((s) => s.id), ["1", "2", "3", "4"]);
    const none = await pipelines.pipelinesApi.getAll("contacts");
    assert.deepEqual(none.results, []);
    await rejects(pipelines.pipelinesApi.getById("deals", "nosuchpipeline"), 404, "OBJECT_NOT_FOUND");
  });

  await check("pipelines: pipelineStagesApi.getAll and getById; a deal moves through them", async () => {
    const stages = await pipelines.pipelineStagesApi.getAll("deals", "default");
    assert.ok(stages.results.length >= 2);
    const ordered = stages.results.slice().sort((a, b) => a.displayOrder - b.displayOrder);
    const won = await pipelines.pipelineStagesApi.getById("deals", "default", "closedwon");
    assert.equal(won.label, "Closed Won");
    await rejects(pipelines.pipelineStagesApi.getById("deals", "default", "nosuchstage"), 404, "OBJECT_NOT_FOUND");
    // What integration code does: put a deal in the first stage, then the next.
    const deal = await client.crm.deals.basicApi.create({ properties: { dealname: "Staged", pipeline: "default", dealstage: ordered[0].id } });
    const moved = await client.crm.deals.basicApi.update(deal.id, { properties: { dealstage: ordered[1].id } });
    assert.equal(moved.properties.dealstage, ordered[1].id);
  });
}
