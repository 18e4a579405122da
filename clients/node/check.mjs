// Drives mockhub with HubSpot's official Node client and checks every answer
// the way a user's code would consume it: association labels and limits here,
// records in records.mjs, properties and pipelines in schema.mjs, custom
// object schemas in custom-objects.mjs, OAuth in oauth.mjs. Usage:
//   MOCKHUB_URL=http://127.0.0.1:4010 node check.mjs
// Exits non-zero on the first failure; prints "N passed, 0 failed" otherwise.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { check, rejects, done } from "./harness.mjs";

const require = createRequire(import.meta.url);
const hubspot = require("@hubspot/api-client");
const schema = require("@hubspot/api-client/lib/codegen/crm/associations/v4/schema/index");
const { ApiClientConfigurator } = require("@hubspot/api-client/lib/src/configuration/ApiClientConfigurator");
const { Observable } = require("@hubspot/api-client/lib/codegen/crm/associations/v4/schema/rxjsStub");

const basePath = process.env.MOCKHUB_URL;
if (!basePath) throw new Error("MOCKHUB_URL is not set");
const accessToken = `pat-na1-node-${process.pid}-${Date.now()}`;

const client = new hubspot.Client({ accessToken, basePath, numberOfApiCallRetries: 0 });
const configuration = schema.createConfiguration(
  ApiClientConfigurator.getParams({ accessToken, basePath }, schema.ServerConfiguration, Observable, Observable),
);
// The client's discovery object exposes only the labels API; its limits API
// is generated next to it and is built the same way the discovery builds
// the labels API. Both call /crm/v4/associations/...
const definitions = client.crm.associations.v4.schema.definitionsApi;
const labels = new schema.DefinitionsApi(configuration);
const limits = new schema.DefinitionConfigurationsApi(configuration);


let manager, employee;
await check("create a paired label (old path)", async () => {
  const res = await definitions.create("contacts", "companies", { label: "Manager", inverseLabel: "Employee", name: "manager" });
  assert.equal(res.results.length, 2);
  [manager, employee] = res.results.map((r) => r.typeId);
  assert.equal(res.results[0].category, "USER_DEFINED");
  assert.equal(res.results[0].label, "Manager");
  assert.equal(res.results[1].label, "Employee");
  assert.equal(employee, manager + 1);
});

await check("list labels both ways and on both paths", async () => {
  const forward = await definitions.getAll("contacts", "companies");
  assert.ok(forward.results.some((r) => r.typeId === 279 && r.category === "HUBSPOT_DEFINED"));
  assert.ok(forward.results.some((r) => r.typeId === 1 && r.label === "Primary"));
  assert.ok(forward.results.some((r) => r.typeId === manager && r.label === "Manager"));
  const reverse = await labels.getAll("0-2", "0-1");
  assert.ok(reverse.results.some((r) => r.typeId === employee && r.label === "Employee"));
});

await check("update a label", async () => {
  await labels.update("contacts", "companies", { associationTypeId: manager, label: "Boss" });
  const res = await definitions.getAll("contact", "company");
  assert.equal(res.results.find((r) => r.typeId === manager).label, "Boss");
});

await check("create limits (201, dates parsed)", async () => {
  const res = await limits.batchCreate("contacts", "companies", {
    inputs: [
      { category: "HUBSPOT_DEFINED", typeId: 279, maxToObjectIds: 10 },
      { category: "USER_DEFINED", typeId: manager, maxToObjectIds: 2 },
    ],
  });
  assert.equal(res.status, "COMPLETE");
  assert.equal(res.results.length, 2);
  assert.ok(res.startedAt instanceof Date && !isNaN(res.startedAt));
  assert.ok(res.completedAt >= res.startedAt);
  assert.equal(res.results[0].userEnforcedMaxToObjectIds, 10);
});

await check("partial create (207 with errors)", async () => {
  const res = await limits.batchCreate("contacts", "companies", {
    inputs: [
      { category: "HUBSPOT_DEFINED", typeId: 279, maxToObjectIds: 5 },
      { category: "HUBSPOT_DEFINED", typeId: 1, maxToObjectIds: 1 },
    ],
  });
  assert.equal(res.numErrors, 1);
  assert.equal(res.errors[0].category, "VALIDATION_ERROR");
  assert.equal(res.results.length, 1);
});

await check("read a pair and read all", async () => {
  const pair = await limits.getAllBetweenTwoObjectTypes("0-1", "0-2");
  assert.equal(pair.results.length, 3);
  const all = await limits.getAll();
  assert.equal(all.results.length, 3);
});

await check("update limits (200)", async () => {
  const res = await limits.batchUpdate("contacts", "companies", {
    inputs: [{ category: "HUBSPOT_DEFINED", typeId: 279, maxToObjectIds: 20 }],
  });
  assert.equal(res.results[0].userEnforcedMaxToObjectIds, 20);
});

await check("a label in use cannot be deleted (400)", async () => {
  await rejects(definitions.remove("contacts", "companies", manager), 400, "VALIDATION_ERROR");
});

await check("purge limits (204)", async () => {
  await limits.batchRemove("contacts", "companies", { inputs: [{ category: "USER_DEFINED", typeId: manager }] });
  await limits.batchRemove("contacts", "companies", { inputs: [{ category: "HUBSPOT_DEFINED", typeId: 1 }] });
  const pair = await limits.getAllBetweenTwoObjectTypes("contacts", "companies");
  assert.deepEqual(pair.results.map((r) => r.typeId), [279]);
});

await check("delete a label (204) and again (404)", async () => {
  await labels.remove("contacts", "companies", manager);
  await rejects(definitions.remove("contacts", "companies", manager), 404, "OBJECT_NOT_FOUND");
});

await check("every input failing is a 400", async () => {
  await rejects(
    limits.batchUpdate("contacts", "companies", { inputs: [{ category: "HUBSPOT_DEFINED", typeId: 931, maxToObjectIds: 2 }] }),
    400,
    "VALIDATION_ERROR",
  );
});

await check("unknown object type is a 400", async () => {
  const body = await rejects(limits.getAllBetweenTwoObjectTypes("widgets", "companies"), 400, "VALIDATION_ERROR");
  assert.equal(body.message, "Unable to infer object type from: widgets");
});

await check("a bad token is a 401", async () => {
  const anonymous = new schema.DefinitionConfigurationsApi(
    schema.createConfiguration(ApiClientConfigurator.getParams({ basePath }, schema.ServerConfiguration, Observable, Observable)),
  );
  await rejects(anonymous.getAll(), 401, "INVALID_AUTHENTICATION");
});

await import("./records.mjs").then((m) => m.default({ client, basePath, check, rejects }));
await import("./schema.mjs").then((m) => m.default({ client, basePath, check, rejects }));
await import("./custom-objects.mjs").then((m) => m.default({ client, basePath, check, rejects }));
await import("./oauth.mjs").then((m) => m.default({ client, basePath, check, rejects }));

done();
