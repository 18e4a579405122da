// OAuth through the client's oauth module: the install (mockhub's automated
// authorize screen, fetched without following its redirect), then
// tokensApi.create with both grants, accessTokensApi.get,
// refreshTokensApi.get and archive. The module throws ApiException{code,
// body} on any status but the one it was generated with (200, and 204 for
// archive), so every call below that resolves also checks the status.
// Expiry is reached by moving the server clock (POST /_mockhub/clock).
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const hubspot = require("@hubspot/api-client");

export default async function oauth({ client, basePath, check, rejects }) {
  const clientId = `node-app-${process.pid}`;
  const clientSecret = "node-secret";
  const redirectUri = "http://localhost:3000/oauth-callback";
  const { tokensApi, accessTokensApi, refreshTokensApi } = client.oauth;
  let code, access, refresh;

  // The clock stands still while the checks below read expires_in, and runs
  // on after them for the scripts that share the server.
  const clock = async (move) => {
    const res = await fetch(`${basePath}/_mockhub/clock`, { method: "POST", body: JSON.stringify(move) });
    assert.equal(res.status, 200);
  };
  await clock({ freeze: true });

  await check("oauth: the install screen redirects with a code and the state", async () => {
    // The client builds HubSpot's authorize URL; mockhub serves its path.
    const url = new URL(client.oauth.getAuthorizationUrl(clientId, redirectUri, "oauth crm.objects.contacts.read", undefined, "st-1"));
    const res = await fetch(basePath + url.pathname + url.search, { redirect: "manual" });
    assert.equal(res.status, 302);
    const back = new URL(res.headers.get("location"));
    assert.equal(back.origin + back.pathname, redirectUri);
    assert.equal(back.searchParams.get("state"), "st-1");
    code = back.searchParams.get("code");
    assert.ok(code);
  });

  await check("oauth: tokensApi.create exchanges the code (200)", async () => {
    const t = await tokensApi.create("authorization_code", code, redirectUri, clientId, clientSecret);
    assert.equal(t.tokenType, "bearer");
    assert.equal(t.expiresIn, 1800);
    assert.ok(t.accessToken && t.refreshToken);
    ({ accessToken: access, refreshToken: refresh } = t);
  });

  await check("oauth: a code works once (400 BAD_AUTH_CODE)", async () => {
    const body = await rejects(tokensApi.create("authorization_code", code, redirectUri, clientId, clientSecret), 400, "VALIDATION_ERROR");
    assert.equal(body.message, "missing or unknown auth code");
  });

  await check("oauth: the access token calls the API with its scopes", async () => {
    const app = new hubspot.Client({ accessToken: access, basePath, numberOfApiCallRetries: 0 });
    const page = await app.crm.contacts.basicApi.getPage();
    assert.ok(Array.isArray(page.results));
    await rejects(app.crm.contacts.basicApi.create({ properties: {} }), 403, "MISSING_SCOPES");
  });

  await check("oauth: accessTokensApi.get (200)", async () => {
    const info = await accessTokensApi.get(access);
    assert.equal(info.token, access);
    assert.equal(info.expiresIn, 1800);
    assert.deepEqual(info.scopes, ["oauth", "crm.objects.contacts.read"]);
    assert.ok(Number.isInteger(info.hubId) && Number.isInteger(info.appId) && Number.isInteger(info.userId));
  });

  await check("oauth: 31 minutes later on the server clock the token has expired (401)", async () => {
    await clock({ advance: "31m" });
    const app = new hubspot.Client({ accessToken: access, basePath, numberOfApiCallRetries: 0 });
    const body = await rejects(app.crm.contacts.basicApi.getPage(), 401, "EXPIRED_AUTHENTICATION");
    assert.match(body.message, /^The OAuth token used to make this call expired 1 minute\(s\) ago\.$/);
    await rejects(accessTokensApi.get(access), 401, "EXPIRED_AUTHENTICATION");
  });

  await check("oauth: tokensApi.create refreshes (200), the refresh token stays", async () => {
    const t = await tokensApi.create("refresh_token", undefined, undefined, clientId, clientSecret, refresh);
    assert.equal(t.refreshToken, refresh);
    assert.notEqual(t.accessToken, access);
    assert.equal((await accessTokensApi.get(t.accessToken)).expiresIn, 1800);
    const app = new hubspot.Client({ accessToken: t.accessToken, basePath, numberOfApiCallRetries: 0 });
    assert.ok(Array.isArray((await app.crm.contacts.basicApi.getPage()).results));
  });

  await check("oauth: refreshTokensApi.get (200) and archive (204)", async () => {
    const info = await refreshTokensApi.get(refresh);
    assert.equal(info.clientId, clientId);
    assert.equal(info.token, refresh);
    await refreshTokensApi.archive(refresh);
    await rejects(refreshTokensApi.get(refresh), 404, "OBJECT_NOT_FOUND");
    const body = await rejects(tokensApi.create("refresh_token", undefined, undefined, clientId, clientSecret, refresh), 400, "VALIDATION_ERROR");
    assert.equal(body.message, "refresh token is invalid, expired or revoked");
  });

  await clock({ freeze: false });
}
