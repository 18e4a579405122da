// Records (contacts, companies, deals, tickets) through the client's own
// discovery objects: basicApi, batchApi, searchApi and getAll, with what a
// user's code reads from each answer. The client accepts only the status it
// was generated with (201 create, 200 read/update, 204 archive, 200/207
// batches) and throws ApiException{code, body} otherwise, so every call below
// that resolves also checks the status.
import assert from "node:assert/strict";

const digits = /^[0-9]+$/;

// isRecord checks the fields every record answer carries, as the client's
// models deserialize them (dates become Date objects).
function isRecord(r) {
  assert.match(r.id, digits);
  assert.ok(r.createdAt instanceof Date && !isNaN(r.createdAt), "createdAt is a date");
  assert.ok(r.updatedAt instanceof Date && r.updatedAt >= r.createdAt, "updatedAt is a date, not before createdAt");
  assert.equal(r.archived, false);
  assert.equal(r.properties.hs_object_id, r.id);
}

export default async function records({ client, check, rejects }) {
  const contacts = client.crm.contacts;
  let ada, grace;

  await check("contacts: create (201)", async () => {
    ada = await contacts.basicApi.create({
      properties: { email: "ada@example.com", firstname: "Ada", lastname: "Lovelace", phone: 5550100 },
      associations: [],
    });
    isRecord(ada);
    assert.equal(ada.properties.email, "ada@example.com");
    assert.equal(ada.properties.firstname, "Ada");
    assert.equal(ada.properties.lifecyclestage, "lead", "created with HubSpot's default lifecycle stage");
    assert.equal(ada.properties.createdate, ada.createdAt.toISOString());
    grace = await contacts.basicApi.create({ properties: { email: "grace@example.com", firstname: "Grace" } });
    assert.ok(BigInt(grace.id) > BigInt(ada.id), "ids increase");
  });

  await check("contacts: getById with properties and propertiesWithHistory", async () => {
    const r = await contacts.basicApi.getById(ada.id, ["firstname", "company", "nosuchproperty"], ["firstname"]);
    isRecord(r);
    assert.equal(r.properties.firstname, "Ada");
    assert.equal(r.properties.company, null, "a named property without a value is null");
    assert.ok(!("nosuchproperty" in r.properties), "an unknown name is ignored");
    assert.ok(!("lastname" in r.properties), "only the named properties (and the always-added ones)");
    assert.ok(r.properties.createdate && r.properties.lastmodifieddate);
    const history = r.propertiesWithHistory.firstname;
    assert.equal(history.length, 1);
    assert.equal(history[0].value, "Ada");
    assert.equal(history[0].sourceType, "INTEGRATION");
    assert.ok(history[0].timestamp instanceof Date && !isNaN(history[0].timestamp));
  });

  await check("contacts: getById by idProperty=email, any case", async () => {
    const r = await contacts.basicApi.getById("ADA@Example.com", ["email"], undefined, undefined, false, "email");
    assert.equal(r.id, ada.id);
    assert.equal(r.properties.email, "ada@example.com");
  });

  await check("contacts: update (200) by id and by email; history newest first", async () => {
    const r = await contacts.basicApi.update(ada.id, { properties: { firstname: "Augusta", phone: "" } });
    assert.equal(r.id, ada.id);
    assert.equal(r.properties.firstname, "Augusta");
    assert.ok(r.updatedAt >= ada.updatedAt);
    const byEmail = await contacts.basicApi.update("ada@example.com", { properties: { lastname: "King" } }, "email");
    assert.equal(byEmail.id, ada.id);
    assert.equal(byEmail.properties.lastname, "King");
    const read = await contacts.basicApi.getById(ada.id, ["firstname", "phone"], ["firstname"]);
    assert.equal(read.properties.phone, null, "an empty string clears a value");
    assert.deepEqual(read.propertiesWithHistory.firstname.map((h) => h.value), ["Augusta", "Ada"]);
  });

  await check("contacts: a duplicate email is a 409 naming the existing id", async () => {
    const body = await rejects(contacts.basicApi.create({ properties: { email: "Ada@example.com" } }), 409, "CONFLICT");
    assert.equal(body.message, `Contact already exists. Existing ID: ${ada.id}`);
    // What integration code does with it: parse the id and update instead.
    const existing = body.message.match(/Existing ID: (\d+)/)[1];
    const r = await contacts.basicApi.update(existing, { properties: { jobtitle: "Analyst" } });
    assert.equal(r.properties.jobtitle, "Analyst");
    await rejects(contacts.basicApi.update(grace.id, { properties: { email: "ADA@example.com" } }), 409, "CONFLICT");
  });

  await check("contacts: an unknown property is a 400 naming it", async () => {
    const body = await rejects(
      contacts.basicApi.create({ properties: { email: "x@example.com", favourite_colour: "blue" } }),
      400,
      "VALIDATION_ERROR",
    );
    assert.match(body.message, /^Property values were not valid: /);
    assert.match(body.message, /favourite_colour/);
    assert.equal(body.errors[0].code, "PROPERTY_DOESNT_EXIST");
    assert.match(body.errors[0].message, /favourite_colour/);
    const bad = await rejects(contacts.basicApi.update(ada.id, { properties: { email: "not-an-email" } }), 400, "VALIDATION_ERROR");
    assert.equal(bad.errors[0].code, "INVALID_EMAIL");
  });

  await check("contacts: archive (204), then a read is a 404", async () => {
    const gone = await contacts.basicApi.create({ properties: { email: "gone@example.com" } });
    assert.equal(await contacts.basicApi.archive(gone.id), undefined);
    await contacts.basicApi.archive(gone.id); // idempotent
    const body = await rejects(contacts.basicApi.getById(gone.id), 404, "OBJECT_NOT_FOUND");
    assert.equal(body.message, "Object not found");
    assert.deepEqual(body.context.id, [gone.id]);
    await rejects(contacts.basicApi.update(gone.id, { properties: { firstname: "X" } }), 404, "OBJECT_NOT_FOUND");
    await rejects(contacts.basicApi.getById("999999999"), 404, "OBJECT_NOT_FOUND");
    // The email is free again once its contact is archived.
    const again = await contacts.basicApi.create({ properties: { email: "gone@example.com" } });
    assert.notEqual(again.id, gone.id);
    await contacts.basicApi.archive(again.id);
    const archived = await contacts.basicApi.getPage(100, undefined, ["email"], undefined, undefined, true);
    assert.deepEqual(archived.results.map((r) => r.id).sort(), [gone.id, again.id].sort());
    assert.ok(archived.results.every((r) => r.archived === true && r.archivedAt instanceof Date));
  });

  // 150 more contacts in two batches: with ada and grace, 152 live contacts.
  let batch = [];
  await check("contacts: batchApi.create (201) of 100 and of 50", async () => {
    for (const [from, n] of [[0, 100], [100, 50]]) {
      const inputs = Array.from({ length: n }, (_, k) => ({
        properties: {
          email: `user${from + k}@batch.example.com`,
          firstname: `User${from + k}`,
          lastname: (from + k) % 2 ? "Odd" : "Even",
          lifecyclestage: (from + k) % 3 ? "lead" : "customer",
        },
        associations: [],
      }));
      const res = await contacts.batchApi.create({ inputs });
      assert.equal(res.status, "COMPLETE");
      assert.equal(res.results.length, n);
      assert.ok(res.startedAt instanceof Date && res.completedAt >= res.startedAt);
      assert.equal(res.numErrors, undefined, "201 has no errors");
      res.results.forEach(isRecord);
      batch = batch.concat(res.results);
    }
    assert.equal(new Set(batch.map((r) => r.id)).size, 150);
  });

  await check("contacts: batchApi.create with trace ids reports the failing input (207)", async () => {
    const res = await contacts.batchApi.create({
      inputs: [
        { properties: { email: "traced@example.com" }, objectWriteTraceId: "t1" },
        { properties: { email: "ada@example.com" }, objectWriteTraceId: "t2" },
      ],
    });
    assert.equal(res.numErrors, 1);
    assert.equal(res.errors[0].category, "CONFLICT");
    assert.deepEqual(res.errors[0].context.objectWriteTraceId, ["t2"]);
    assert.equal(res.results.length, 1);
    assert.equal(res.results[0].properties.email, "traced@example.com");
    await contacts.basicApi.archive(res.results[0].id);
  });

  await check("contacts: batchApi.create without trace ids fails whole (409), nothing stored", async () => {
    await rejects(
      contacts.batchApi.create({ inputs: [{ properties: { email: "never@example.com" } }, { properties: { email: "grace@example.com" } }] }),
      409,
      "CONFLICT",
    );
    await rejects(contacts.basicApi.getById("never@example.com", undefined, undefined, undefined, false, "email"), 404, "OBJECT_NOT_FOUND");
  });

  await check("contacts: batchApi.read (200), by email, and unknown ids (207)", async () => {
    const ids = batch.slice(0, 3).map((r) => ({ id: r.id }));
    const res = await contacts.batchApi.read({ inputs: ids, properties: ["firstname"], propertiesWithHistory: [] });
    assert.equal(res.status, "COMPLETE");
    assert.deepEqual(res.results.map((r) => r.id).sort(), ids.map((i) => i.id).sort());
    assert.ok(res.results.every((r) => r.properties.firstname.startsWith("User")));
    const byEmail = await contacts.batchApi.read({ inputs: [{ id: "GRACE@example.com" }], properties: ["email"], idProperty: "email" });
    assert.equal(byEmail.results[0].id, grace.id);
    const partial = await contacts.batchApi.read({ inputs: [{ id: ada.id }, { id: "999999998" }, { id: "999999999" }], properties: [] });
    assert.equal(partial.results.length, 1);
    assert.equal(partial.numErrors, 1);
    assert.equal(partial.errors[0].category, "OBJECT_NOT_FOUND");
    assert.deepEqual(partial.errors[0].context.ids.sort(), ["999999998", "999999999"]);
  });

  await check("contacts: batchApi.update (200)", async () => {
    const res = await contacts.batchApi.update({
      inputs: batch.slice(0, 2).map((r) => ({ id: r.id, properties: { jobtitle: "Engineer" } })),
    });
    assert.equal(res.results.length, 2);
    assert.ok(res.results.every((r) => r.properties.jobtitle === "Engineer"));
    const partial = await contacts.batchApi.update({
      inputs: [{ id: batch[2].id, properties: { jobtitle: "Engineer" } }, { id: "999999999", properties: { jobtitle: "Ghost" } }],
    });
    assert.equal(partial.numErrors, 1);
    assert.equal(partial.errors[0].category, "OBJECT_NOT_FOUND");
  });

  let upserted;
  await check("contacts: batchApi.upsert by email creates and updates (new flag)", async () => {
    const res = await contacts.batchApi.upsert({
      inputs: [
        { id: "grace@example.com", idProperty: "email", properties: { lastname: "Hopper" } },
        { id: "alan@example.com", idProperty: "email", properties: { firstname: "Alan" } },
      ],
    });
    assert.equal(res.status, "COMPLETE");
    const byEmail = Object.fromEntries(res.results.map((r) => [r.properties.email, r]));
    assert.equal(byEmail["grace@example.com"].id, grace.id);
    assert.equal(byEmail["grace@example.com"]._new, false);
    assert.equal(byEmail["grace@example.com"].properties.lastname, "Hopper");
    assert.equal(byEmail["alan@example.com"]._new, true);
    assert.match(byEmail["alan@example.com"].id, digits);
    upserted = byEmail["alan@example.com"].id;
    const read = await contacts.basicApi.getById(upserted, ["firstname", "email"]);
    assert.equal(read.properties.firstname, "Alan");
  });

  await check("contacts: batchApi.archive (204), reads are 404 after", async () => {
    assert.equal(await contacts.batchApi.archive({ inputs: [{ id: upserted }, { id: "999999999" }] }), undefined);
    await rejects(contacts.basicApi.getById(upserted), 404, "OBJECT_NOT_FOUND");
    const res = await contacts.batchApi.read({ inputs: [{ id: upserted }], properties: [] });
    assert.equal(res.numErrors, 1);
    assert.equal(res.results.length, 0);
  });

  // Live contacts now: ada, grace and the 150 of the batches.
  const live = () => [ada.id, grace.id, ...batch.map((r) => r.id)];

  await check("contacts: getPage pages with after", async () => {
    const first = await contacts.basicApi.getPage(100, undefined, ["email"]);
    assert.equal(first.results.length, 100);
    assert.ok(first.paging.next.after, "a next page");
    first.results.forEach(isRecord);
    assert.ok(first.results.every((r) => r.properties.email), "named properties are returned");
    const second = await contacts.basicApi.getPage(100, first.paging.next.after);
    assert.equal(second.results.length, live().length - 100);
    assert.equal(second.paging, undefined, "the last page has no paging");
    const ids = [...first.results, ...second.results].map((r) => r.id);
    assert.deepEqual(ids.slice().sort(), live().sort());
    const deflt = await contacts.basicApi.getPage();
    assert.equal(deflt.results.length, 10, "10 by default");
    assert.deepEqual(Object.keys(deflt.results[0].properties).sort(), ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"]);
  });

  await check("contacts: getPage with propertiesWithHistory holds at most 50", async () => {
    const page = await contacts.basicApi.getPage(100, undefined, undefined, ["firstname"]);
    assert.equal(page.results.length, 50);
    assert.ok(page.paging.next.after);
    assert.ok(page.results.every((r) => r.propertiesWithHistory.firstname.length >= 1));
  });

  await check("contacts: a batch of 101 inputs is a 400", async () => {
    const inputs = Array.from({ length: 101 }, (_, k) => ({ properties: { firstname: `Over${k}` } }));
    await rejects(contacts.batchApi.create({ inputs }), 400, "VALIDATION_ERROR");
    const none = await contacts.searchApi.doSearch({ query: "over1" });
    assert.equal(none.total, 0, "nothing stored");
  });

  await check("contacts: getAll returns every live contact (pages through after)", async () => {
    const all = await contacts.getAll(100, undefined, ["email"]);
    assert.equal(all.length, live().length);
    assert.deepEqual(all.map((r) => r.id).sort(), live().sort());
    const small = await contacts.getAll(7);
    assert.equal(small.length, live().length);
    const archived = await contacts.getAll(100, undefined, undefined, undefined, undefined, true);
    assert.ok(archived.length >= 4 && archived.every((r) => r.archived));
  });

  await check("contacts: searchApi.doSearch EQ on email, any case", async () => {
    const res = await contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: "email", operator: "EQ", value: "USER42@batch.example.com" }] }],
      properties: ["email", "firstname"],
      sorts: [],
      limit: 10,
      after: undefined,
    });
    assert.equal(res.total, 1);
    assert.equal(res.results[0].id, batch[42].id);
    assert.equal(res.results[0].properties.firstname, "User42");
    assert.ok(res.results[0].createdAt instanceof Date);
  });

  await check("contacts: searchApi.doSearch filters, sort and paging with after", async () => {
    const request = {
      filterGroups: [
        { filters: [{ propertyName: "lastname", operator: "EQ", value: "odd" }, { propertyName: "lifecyclestage", operator: "EQ", value: "customer" }] },
        { filters: [{ propertyName: "email", operator: "IN", values: ["ada@example.com", "grace@example.com"] }] },
      ],
      sorts: ["-email"],
      properties: ["email", "lastname", "lifecyclestage"],
      limit: 10,
    };
    // odd k with k % 3 == 0 in 0..149: k = 3, 9, ..., 147 → 25, plus ada and grace.
    const first = await contacts.searchApi.doSearch(request);
    assert.equal(first.total, 27);
    assert.equal(first.results.length, 10);
    const seen = [...first.results];
    let after = first.paging?.next?.after;
    while (after) {
      const page = await contacts.searchApi.doSearch({ ...request, after });
      assert.equal(page.total, 27);
      seen.push(...page.results);
      after = page.paging?.next?.after;
    }
    assert.equal(seen.length, 27);
    const emails = seen.map((r) => r.properties.email);
    assert.deepEqual(emails, emails.slice().sort().reverse(), "sorted by email, descending");
    assert.ok(seen.every((r) => r.properties.lastname !== "Even"));
  });

  await check("contacts: searchApi.doSearch query, CONTAINS_TOKEN and an object sort", async () => {
    const q = await contacts.searchApi.doSearch({ query: "user14", properties: ["firstname"], limit: 100 });
    // User14 and User140..User149.
    assert.equal(q.total, 11);
    const tok = await contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: "email", operator: "CONTAINS_TOKEN", value: "*@batch.example.com" }] }],
      sorts: [{ propertyName: "createdate", direction: "DESCENDING" }],
      limit: 1,
    });
    assert.equal(tok.total, 150);
    assert.equal(tok.results.length, 1);
    assert.equal(tok.paging.next.after, "1");
  });

  await check("contacts: search errors are 400s the client throws", async () => {
    const body = await rejects(
      contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: "nosuch", operator: "EQ", value: "x" }] }] }),
      400,
      "VALIDATION_ERROR",
    );
    assert.ok(body.message);
    await rejects(contacts.searchApi.doSearch({ limit: 10, after: "10000" }), 400, "VALIDATION_ERROR");
  });

  await check("contacts: basicApi.merge (200) and purge (204)", async () => {
    const [ann, annB] = (
      await contacts.batchApi.create({
        inputs: [{ properties: { email: "ann@example.com" } }, { properties: { email: "ann.b@example.com", lastname: "Baker" } }],
      })
    ).results.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    const merged = await contacts.basicApi.merge({ primaryObjectId: ann.id, objectIdToMerge: annB.id });
    assert.equal(merged.id, ann.id);
    assert.equal(merged.properties.lastname, "Baker", "a value only the merged record had");
    assert.equal(merged.properties.hs_additional_emails, "ann.b@example.com");
    await rejects(contacts.basicApi.getById(annB.id), 404, "OBJECT_NOT_FOUND");
    const byOldEmail = await contacts.basicApi.getById("ann.b@example.com", ["email"], undefined, undefined, false, "email");
    assert.equal(byOldEmail.id, ann.id);
    await rejects(contacts.basicApi.merge({ primaryObjectId: ann.id, objectIdToMerge: "999999999" }), 404, "OBJECT_NOT_FOUND");
    assert.equal(await contacts.basicApi.purge({ objectId: "ann@example.com", idProperty: "email" }), undefined);
    await rejects(contacts.basicApi.getById(ann.id), 404, "OBJECT_NOT_FOUND");
    const archived = await contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    assert.ok(!archived.results.some((r) => r.id === ann.id), "a purged record is not even archived");
  });

  // Companies, deals, tickets: the same client shapes through their own
  // discovery objects, and each type's own rules.
  await check("companies: create, read, update, search, getAll", async () => {
    const companies = client.crm.companies;
    const acme = await companies.basicApi.create({ properties: { name: "Acme", domain: "acme.example", numberofemployees: 250 } });
    isRecord(acme);
    assert.equal(acme.properties.numberofemployees, "250", "numbers are stored and answered as text");
    const read = await companies.basicApi.getById(acme.id, ["name", "domain"]);
    assert.equal(read.properties.domain, "acme.example");
    const updated = await companies.basicApi.update(acme.id, { properties: { industry: "COMPUTER_SOFTWARE" } });
    assert.equal(updated.properties.industry, "COMPUTER_SOFTWARE");
    const bad = await rejects(companies.basicApi.update(acme.id, { properties: { industry: "NOT_AN_INDUSTRY" } }), 400, "VALIDATION_ERROR");
    assert.equal(bad.errors[0].code, "INVALID_OPTION");
    const bad2 = await rejects(companies.basicApi.update(acme.id, { properties: { numberofemployees: "many" } }), 400, "VALIDATION_ERROR");
    assert.match(bad2.message, /numberofemployees/);
    await companies.batchApi.create({ inputs: [{ properties: { name: "Globex" } }, { properties: { name: "Initech" } }] });
    const found = await companies.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: "numberofemployees", operator: "GTE", value: "100" }] }],
      properties: ["name"],
    });
    assert.equal(found.total, 1);
    assert.equal(found.results[0].properties.name, "Acme");
    const all = await companies.getAll();
    assert.deepEqual(all.map((r) => r.properties.name).sort(), ["Acme", "Globex", "Initech"]);
  });

  await check("associations in record calls: create with one, read it back, search by it", async () => {
    const company = await client.crm.companies.basicApi.create({ properties: { name: "Linked" } });
    const c = await contacts.basicApi.create({
      properties: { email: "linked@example.com" },
      associations: [{ to: { id: company.id }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 279 }] }],
    });
    const read = await contacts.basicApi.getById(c.id, ["email"], undefined, ["companies"]);
    assert.deepEqual(read.associations.companies.results.map((a) => a.id), [company.id]);
    assert.ok(read.associations.companies.results[0].type);
    const found = await contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: "associations.company", operator: "EQ", value: company.id }] }],
    });
    assert.deepEqual(found.results.map((r) => r.id), [c.id]);
    const body = await rejects(
      contacts.basicApi.create({
        properties: { email: "dangling@example.com" },
        associations: [{ to: { id: "999999999" }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 279 }] }],
      }),
      400,
      "VALIDATION_ERROR",
    );
    assert.equal(body.message, "One or more associations are invalid");
  });

  await check("deals: pipeline stages are checked; amount compares as a number", async () => {
    const deals = client.crm.deals;
    const big = await deals.basicApi.create({ properties: { dealname: "Big", amount: "1500.50", pipeline: "default", dealstage: "appointmentscheduled" } });
    isRecord(big);
    assert.equal(big.properties.dealstage, "appointmentscheduled");
    const small = await deals.basicApi.create({ properties: { dealname: "Small", amount: 200, pipeline: "default", dealstage: "qualifiedtobuy" } });
    const body = await rejects(deals.basicApi.update(big.id, { properties: { dealstage: "nosuchstage" } }), 400, "VALIDATION_ERROR");
    assert.match(body.message, /nosuchstage/);
    const won = await deals.basicApi.update(big.id, { properties: { dealstage: "closedwon" } });
    assert.equal(won.properties.dealstage, "closedwon");
    const res = await deals.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: "amount", operator: "GT", value: "1000" }] }],
      sorts: ["amount"],
      properties: ["dealname", "amount"],
    });
    assert.deepEqual(res.results.map((r) => r.id), [big.id], "1500.50 > 1000 > 200 by value");
    const both = await deals.batchApi.read({ inputs: [{ id: big.id }, { id: small.id }], properties: ["amount"] });
    assert.deepEqual(both.results.map((r) => r.properties.amount).sort(), ["1500.50", "200"]);
  });

  await check("tickets: create in the support pipeline, upsert by id, archive", async () => {
    const tickets = client.crm.tickets;
    const t = await tickets.basicApi.create({ properties: { subject: "Printer on fire", hs_pipeline: "0", hs_pipeline_stage: "1", hs_ticket_priority: "HIGH" } });
    isRecord(t);
    assert.equal(t.properties.hs_pipeline_stage, "1");
    const res = await tickets.batchApi.upsert({ inputs: [{ id: t.id, properties: { hs_pipeline_stage: "4" } }] });
    assert.equal(res.results[0].id, t.id);
    assert.equal(res.results[0]._new, false);
    assert.equal(res.results[0].properties.hs_pipeline_stage, "4");
    const closed = await tickets.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: "hs_pipeline_stage", operator: "EQ", value: "4" }] }],
    });
    assert.equal(closed.total, 1);
    await tickets.batchApi.archive({ inputs: [{ id: t.id }] });
    await rejects(tickets.basicApi.getById(t.id), 404, "OBJECT_NOT_FOUND");
  });

  await check("objects: the generic basicApi takes any spelling of the type", async () => {
    const objects = client.crm.objects;
    const r = await objects.basicApi.getById("0-1", ada.id, ["email"]);
    assert.equal(r.properties.email, "ada@example.com");
    const page = await objects.basicApi.getPage("contacts", 5);
    assert.equal(page.results.length, 5);
    const body = await rejects(objects.basicApi.getPage("widgets"), 400, "VALIDATION_ERROR");
    assert.equal(body.message, "Unable to infer object type from: widgets");
    const found = await objects.searchApi.doSearch("0-1", { query: "Augusta" });
    assert.equal(found.total, 1);
  });

  // HubSpot's client has no methods for the dated records paths; code that
  // calls them goes through client.apiRequest, which answers a fetch Response.
  await check("dated paths through client.apiRequest", async () => {
    const created = await client.apiRequest({
      method: "POST",
      path: "/crm/objects/2026-03/contacts",
      body: { properties: { email: "dated@example.com", firstname: "Dated" } },
    });
    assert.equal(created.status, 201);
    const record = await created.json();
    assert.match(record.id, digits);
    const read = await client.apiRequest({ path: `/crm/objects/2025-09/contacts/${record.id}`, qs: { properties: "firstname" } });
    assert.equal(read.status, 200);
    assert.equal((await read.json()).properties.firstname, "Dated");
    // 2026-09 has no 207: failed inputs come in the 200's body.
    const batchRead = await client.apiRequest({
      method: "POST",
      path: "/crm/objects/2026-09/contacts/batch/read",
      body: { inputs: [{ id: record.id }, { id: "999999999" }], properties: [] },
    });
    assert.equal(batchRead.status, 200);
    const out = await batchRead.json();
    assert.equal(out.results.length, 1);
    assert.equal(out.errors[0].category, "OBJECT_NOT_FOUND");
  });
}
