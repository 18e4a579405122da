// The check harness every script shares: check runs one named check and
// stops the run at the first failure; rejects expects a HubSpot-shaped
// error with an exact status. done prints the summary.
import assert from "node:assert/strict";

let passed = 0;

export async function check(name, fn) {
  try {
    await fn();
    passed++;
  } catch (err) {
    console.error(`FAIL ${name}:`, err?.body ?? err);
    console.log(`${passed} passed, 1 failed`);
    process.exit(1);
  }
}

export async function rejects(promise, status, category) {
  try {
    await promise;
  } catch (err) {
    assert.equal(err.code, status, `status ${err.code}: ${JSON.stringify(err.body)}`);
    const body = typeof err.body === "string" ? JSON.parse(err.body) : err.body;
    assert.equal(body.category, category);
    assert.ok(body.correlationId, "error has a correlationId");
    assert.ok(body.message, "error has a message");
    return body;
  }
  assert.fail(`expected ${status}`);
}

export function done() {
  console.log(`${passed} passed, 0 failed`);
}
