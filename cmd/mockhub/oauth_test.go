package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// oauthClient talks to a binary as an app's OAuth code would: it never
// follows the install screen's redirect, which points at the app.
var oauthClient = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// authorize runs the install screen and returns the redirect's query.
func (p *process) authorize(t *testing.T, q url.Values) (int, url.Values) {
	t.Helper()
	resp, err := oauthClient.Get("http://" + p.addr + "/oauth/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusFound {
		return resp.StatusCode, nil
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, loc.Query()
}

// token posts a form to the token endpoint and returns the status and the
// decoded answer.
func (p *process) token(t *testing.T, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := oauthClient.PostForm("http://"+p.addr+"/oauth/v1/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, m
}

// TestOAuthInstallThroughTheBinary runs an app's whole install with nothing
// but HTTP: authorize, code, token, API calls, token info, refresh, revoke.
func TestOAuthInstallThroughTheBinary(t *testing.T) {
	p := start(t, binary(t), t.TempDir())
	const cb = "http://localhost:3000/callback"
	status, back := p.authorize(t, url.Values{"client_id": {"my-app"}, "redirect_uri": {cb}, "scope": {"oauth crm.objects.contacts.read crm.objects.contacts.write"}, "state": {"xyz"}})
	if status != http.StatusFound || back.Get("state") != "xyz" || back.Get("code") == "" {
		t.Fatalf("authorize: %d %v", status, back)
	}
	status, tok := p.token(t, url.Values{"grant_type": {"authorization_code"}, "code": {back.Get("code")}, "client_id": {"my-app"}, "client_secret": {"s"}, "redirect_uri": {cb}})
	if status != http.StatusOK || tok["expires_in"] != float64(1800) || tok["token_type"] != "bearer" {
		t.Fatalf("token: %d %v", status, tok)
	}
	access, refresh := tok["access_token"].(string), tok["refresh_token"].(string)

	if status, body := p.do(t, "POST", "/crm/v3/objects/contacts", access, `{"properties":{"email":"oauth@example.com"}}`); status != http.StatusCreated {
		t.Fatalf("create with the access token: %d %s", status, body)
	}
	status, body := p.do(t, "GET", "/oauth/v1/access-tokens/"+access, "", "")
	var info map[string]any
	_ = json.Unmarshal([]byte(body), &info)
	if status != http.StatusOK || info["expires_in"] != float64(1800) {
		t.Fatalf("token info: %d %s", status, body)
	}
	status, body = p.do(t, "GET", "/account-info/v3/details", access, "")
	if status != http.StatusOK || !strings.Contains(body, `"portalId":`+jsonNumber(info["hub_id"])) {
		t.Fatalf("account details: %d %s, hub %v", status, body, info["hub_id"])
	}

	status, tok = p.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {"my-app"}, "client_secret": {"s"}})
	if status != http.StatusOK || tok["refresh_token"] != refresh {
		t.Fatalf("refresh: %d %v", status, tok)
	}
	// The new token sees what the first one wrote: same portal.
	if status, body := p.do(t, "GET", "/crm/v3/objects/contacts", tok["access_token"].(string), ""); status != http.StatusOK || !strings.Contains(body, "oauth@example.com") {
		t.Fatalf("read with the refreshed token: %d %s", status, body)
	}
	if status, body := p.do(t, "DELETE", "/oauth/v1/refresh-tokens/"+refresh, "", ""); status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", status, body)
	}
	status, tok = p.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {"my-app"}, "client_secret": {"s"}})
	if status != http.StatusBadRequest || tok["status"] != "BAD_REFRESH_TOKEN" {
		t.Fatalf("refresh after revoke: %d %v", status, tok)
	}

	status, back = p.authorize(t, url.Values{"client_id": {"my-app"}, "redirect_uri": {cb}, "state": {"abc"}, "mockhub_deny": {"1"}})
	if status != http.StatusFound || back.Get("error") != "access_denied" || back.Get("state") != "abc" || back.Get("code") != "" {
		t.Fatalf("denied install: %d %v", status, back)
	}
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestOAuthAppsThroughTheBinary: apps declared in the --tokens file are the
// only clients that may install, strictly.
func TestOAuthAppsThroughTheBinary(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tokens.yaml")
	const doc = `tokens:
  - token: pat-na1-admin
    portalId: 4242
    scopes: [crm.objects.contacts.read]
apps:
  - clientId: app-1
    clientSecret: secret-1
    redirectUris: [https://app.example/oauth]
    scopes: [oauth, crm.objects.contacts.read]
`
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, binary(t), dir, "--tokens", file)
	const cb = "https://app.example/oauth"
	for _, c := range []struct {
		name  string
		query url.Values
	}{
		{"unknown client", url.Values{"client_id": {"app-2"}, "redirect_uri": {cb}, "scope": {"oauth"}}},
		{"redirect not listed", url.Values{"client_id": {"app-1"}, "redirect_uri": {"https://evil.example/oauth"}, "scope": {"oauth"}}},
		{"scope not allowed", url.Values{"client_id": {"app-1"}, "redirect_uri": {cb}, "scope": {"oauth crm.objects.deals.read"}}},
	} {
		if status, _ := p.authorize(t, c.query); status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", c.name, status)
		}
	}
	_, back := p.authorize(t, url.Values{"client_id": {"app-1"}, "redirect_uri": {cb}, "scope": {"oauth crm.objects.contacts.read"}})
	form := url.Values{"grant_type": {"authorization_code"}, "code": {back.Get("code")}, "client_id": {"app-1"}, "client_secret": {"wrong"}, "redirect_uri": {cb}}
	if status, m := p.token(t, form); status != http.StatusBadRequest || m["status"] != "BAD_CLIENT_ID" {
		t.Fatalf("wrong secret: %d %v", status, m)
	}
	form.Set("client_secret", "secret-1")
	status, tok := p.token(t, form)
	if status != http.StatusOK {
		t.Fatalf("token: %d %v", status, tok)
	}
	// The app installs in the portal of the file's first token.
	_, body := p.do(t, "GET", "/oauth/v1/access-tokens/"+tok["access_token"].(string), "", "")
	if !strings.Contains(body, `"hub_id":4242`) {
		t.Fatalf("token info %s", body)
	}
	if status, body := p.do(t, "POST", "/crm/v3/objects/contacts", tok["access_token"].(string), `{"properties":{}}`); status != http.StatusForbidden {
		t.Fatalf("write without the scope: %d %s", status, body)
	}
}

// TestOAuthTokenExpiresOnTheServerClock is issue 12's flow with nothing but
// HTTP: authorize, code, token, an API call that works, the clock advanced
// 31 minutes, the same call refused as expired, a refresh, and the call
// working again. The clock is frozen, so that only the advance moves it.
func TestOAuthTokenExpiresOnTheServerClock(t *testing.T) {
	p := start(t, binary(t), t.TempDir(), "--clock-frozen")
	const cb = "http://localhost:3000/callback"
	const client, secret = "clock-app", "clock-secret"
	_, back := p.authorize(t, url.Values{"client_id": {client}, "redirect_uri": {cb}, "scope": {"oauth crm.objects.contacts.read"}, "state": {"s"}})
	status, tok := p.token(t, url.Values{"grant_type": {"authorization_code"}, "code": {back.Get("code")}, "client_id": {client}, "client_secret": {secret}, "redirect_uri": {cb}})
	if status != http.StatusOK {
		t.Fatalf("token: %d %v", status, tok)
	}
	access, refresh := tok["access_token"].(string), tok["refresh_token"].(string)
	const call = "/crm/v3/objects/contacts"
	if status, body := p.do(t, "GET", call, access, ""); status != http.StatusOK {
		t.Fatalf("call before expiry: %d %s", status, body)
	}

	if status, body := p.do(t, "POST", "/_mockhub/clock", "", `{"advance":"31m"}`); status != http.StatusOK {
		t.Fatalf("advance: %d %s", status, body)
	}
	status, body := p.do(t, "GET", call, access, "")
	var refused map[string]any
	_ = json.Unmarshal([]byte(body), &refused)
	if status != http.StatusUnauthorized || refused["category"] != "EXPIRED_AUTHENTICATION" ||
		refused["message"] != "The OAuth token used to make this call expired 1 minute(s) ago." {
		t.Fatalf("call after 31 minutes: %d %s", status, body)
	}
	if status, body := p.do(t, "GET", "/oauth/v1/access-tokens/"+access, "", ""); status != http.StatusUnauthorized {
		t.Fatalf("token info after expiry: %d %s", status, body)
	}

	status, tok = p.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {client}, "client_secret": {secret}})
	if status != http.StatusOK {
		t.Fatalf("refresh: %d %v", status, tok)
	}
	if status, body := p.do(t, "GET", call, tok["access_token"].(string), ""); status != http.StatusOK {
		t.Fatalf("call after refresh: %d %s", status, body)
	}
	// The new token's 30 minutes run from the refresh, on the moved clock.
	_, body = p.do(t, "GET", "/oauth/v1/access-tokens/"+tok["access_token"].(string), "", "")
	if !strings.Contains(body, `"expires_in":1800`) {
		t.Fatalf("refreshed token info: %s", body)
	}
}
