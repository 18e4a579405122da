package oauth_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/server"
)

const formType = "application/x-www-form-urlencoded"

// install runs the install screen and returns the code of its redirect.
func install(t *testing.T, h *apitest.Harness, query url.Values) string {
	t.Helper()
	r := h.Do("GET", "/oauth/authorize?"+query.Encode(), "", "")
	r.Expect(t, http.StatusFound)
	loc, err := url.Parse(r.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	code := loc.Query().Get("code")
	if code == "" {
		t.Fatalf("no code in %s", loc)
	}
	return code
}

func authorizeQuery(client, redirect, scope string) url.Values {
	return url.Values{"client_id": {client}, "redirect_uri": {redirect}, "scope": {scope}, "state": {"s-1"}}
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

// tokens exchanges code and returns the access and refresh tokens.
func tokens(t *testing.T, h *apitest.Harness, body string) (access, refresh string) {
	t.Helper()
	r := h.DoWith("POST", "/oauth/v1/token", "", body, formType)
	r.Expect(t, http.StatusOK)
	m := r.JSON(t)
	if m["expires_in"] != float64(1800) || m["token_type"] != "bearer" {
		t.Fatalf("token answer %s", r.Body)
	}
	return m["access_token"].(string), m["refresh_token"].(string)
}

func TestInstallRefreshExpireRevoke(t *testing.T) {
	h := apitest.New(t, server.Config{})
	code := install(t, h, authorizeQuery("app-1", "https://app.example/cb", "oauth crm.objects.contacts.read"))
	access, refresh := tokens(t, h, form("grant_type", "authorization_code", "code", code, "client_id", "app-1", "client_secret", "s", "redirect_uri", "https://app.example/cb"))

	// The token carries exactly the scopes asked for, even without a
	// tokens file.
	h.Do("GET", "/crm/v3/objects/contacts", access, "").Expect(t, http.StatusOK)
	h.Do("POST", "/crm/v3/objects/contacts", access, `{"properties":{}}`).Expect(t, http.StatusForbidden)

	info := h.Do("GET", "/oauth/v1/access-tokens/"+access, "", "")
	info.Expect(t, http.StatusOK)
	m := info.JSON(t)
	if m["expires_in"] != float64(1800) || m["token"] != access || m["hub_id"] == nil || len(m["scopes"].([]any)) != 2 {
		t.Fatalf("info %s", info.Body)
	}
	h.Clock.Advance(29 * time.Minute)
	if got := h.Do("GET", "/oauth/v1/access-tokens/"+access, "", "").JSON(t)["expires_in"]; got != float64(60) {
		t.Fatalf("expires_in after 29m = %v", got)
	}
	h.Do("GET", "/crm/v3/objects/contacts", access, "").Expect(t, http.StatusOK)

	h.Clock.Advance(2 * time.Minute)
	r := h.Do("GET", "/crm/v3/objects/contacts", access, "")
	r.Expect(t, http.StatusUnauthorized)
	if m := r.JSON(t); m["category"] != "EXPIRED_AUTHENTICATION" || m["message"] != "The OAuth token used to make this call expired 1 minute(s) ago." {
		t.Fatalf("expired answer %s", r.Body)
	}
	h.Do("GET", "/oauth/v1/access-tokens/"+access, "", "").Expect(t, http.StatusUnauthorized)

	fresh, same := tokens(t, h, form("grant_type", "refresh_token", "refresh_token", refresh, "client_id", "app-1", "client_secret", "s"))
	if same != refresh || fresh == access {
		t.Fatalf("refresh gave %q/%q", fresh, same)
	}
	h.Do("GET", "/crm/v3/objects/contacts", fresh, "").Expect(t, http.StatusOK)
	// The portal is the same one: what the first token wrote, the second reads.
	if a, b := info.JSON(t)["hub_id"], h.Do("GET", "/oauth/v1/access-tokens/"+fresh, "", "").JSON(t)["hub_id"]; a != b {
		t.Fatalf("hub ids %v and %v", a, b)
	}

	ri := h.Do("GET", "/oauth/v1/refresh-tokens/"+refresh, "", "")
	ri.Expect(t, http.StatusOK)
	if m := ri.JSON(t); m["client_id"] != "app-1" || m["token"] != refresh {
		t.Fatalf("refresh info %s", ri.Body)
	}
	h.Do("DELETE", "/oauth/v1/refresh-tokens/"+refresh, "", "").Expect(t, http.StatusNoContent)
	h.Do("GET", "/oauth/v1/refresh-tokens/"+refresh, "", "").Expect(t, http.StatusNotFound)
	h.Do("DELETE", "/oauth/v1/refresh-tokens/"+refresh, "", "").Expect(t, http.StatusNotFound)
	bad := h.DoWith("POST", "/oauth/v1/token", "", form("grant_type", "refresh_token", "refresh_token", refresh, "client_id", "app-1", "client_secret", "s"), formType)
	bad.Expect(t, http.StatusBadRequest)
	if m := bad.JSON(t); m["status"] != auth.StatusBadRefreshToken || m["error"] != "invalid_grant" {
		t.Fatalf("revoked refresh %s", bad.Body)
	}
	// Revoking the refresh token leaves its access tokens working.
	h.Do("GET", "/crm/v3/objects/contacts", fresh, "").Expect(t, http.StatusOK)

	// A reset forgets every token.
	h.Do("POST", "/_mockhub/reset", "", "").Expect(t, http.StatusOK)
	h.Do("GET", "/oauth/v1/access-tokens/"+fresh, "", "").Expect(t, http.StatusNotFound)
}

func TestTokenRefusals(t *testing.T) {
	h := apitest.New(t, server.Config{})
	const cb = "https://app.example/cb"
	code := install(t, h, authorizeQuery("app-1", cb, "oauth"))
	spent := install(t, h, authorizeQuery("app-1", cb, "oauth"))
	tokens(t, h, form("grant_type", "authorization_code", "code", spent, "client_id", "app-1", "client_secret", "s", "redirect_uri", cb))
	late := install(t, h, authorizeQuery("app-1", cb, "oauth"))
	h.Clock.Advance(auth.CodeLifetime)
	code = install(t, h, authorizeQuery("app-1", cb, "oauth"))
	for _, c := range []struct {
		name, body, contentType string
		status                  string
		httpStatus              int
	}{
		{"JSON body", `{"grant_type":"authorization_code"}`, "application/json", auth.StatusBadGrantType, 400},
		{"no grant type", form("code", code), formType, auth.StatusBadGrantType, 400},
		{"password grant", form("grant_type", "password"), formType, auth.StatusBadGrantType, 400},
		{"no client id", form("grant_type", "authorization_code", "code", code, "redirect_uri", cb), formType, auth.StatusBadClientID, 400},
		{"unknown code", form("grant_type", "authorization_code", "code", "nope", "client_id", "app-1", "redirect_uri", cb), formType, auth.StatusBadAuthCode, 400},
		{"spent code", form("grant_type", "authorization_code", "code", spent, "client_id", "app-1", "redirect_uri", cb), formType, auth.StatusBadAuthCode, 400},
		{"expired code", form("grant_type", "authorization_code", "code", late, "client_id", "app-1", "redirect_uri", cb), formType, auth.StatusBadAuthCode, 400},
		{"code of another client", form("grant_type", "authorization_code", "code", code, "client_id", "app-2", "redirect_uri", cb), formType, auth.StatusBadAuthCode, 400},
		{"other redirect", form("grant_type", "authorization_code", "code", code, "client_id", "app-1", "redirect_uri", cb+"/x"), formType, auth.StatusBadRedirectURI, 400},
		{"no refresh token", form("grant_type", "refresh_token", "client_id", "app-1"), formType, auth.StatusBadRefreshToken, 400},
		{"malformed form", "grant_type=%zz", formType, "error", 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.DoWith("POST", "/oauth/v1/token", "", c.body, c.contentType)
			r.Expect(t, c.httpStatus)
			if m := r.JSON(t); m["status"] != c.status || m["message"] == "" || m["correlationId"] == "" {
				t.Fatalf("answer %s", r.Body)
			}
		})
	}
	// The code that survived the refusals (they did not spend it) still works.
	tokens(t, h, form("grant_type", "authorization_code", "code", code, "client_id", "app-1", "client_secret", "s", "redirect_uri", cb))
}

func TestAuthorizeRedirects(t *testing.T) {
	h := apitest.New(t, server.Config{})
	for _, c := range []struct {
		name   string
		query  url.Values
		status int
		want   url.Values // expected query of the Location, "" for any value
		prefix string
	}{
		{"approve", url.Values{"client_id": {"a"}, "redirect_uri": {"https://x.example/cb?keep=1"}, "scope": {"oauth"}, "state": {"st"}}, 302,
			url.Values{"keep": {"1"}, "code": {""}, "state": {"st"}}, "https://x.example/cb?"},
		{"deny", url.Values{"client_id": {"a"}, "redirect_uri": {"http://localhost:3000/cb"}, "state": {"st"}, "mockhub_deny": {"1"}}, 302,
			url.Values{"error": {"access_denied"}, "error_description": {""}, "state": {"st"}}, "http://localhost:3000/cb?"},
		{"no state", url.Values{"client_id": {"a"}, "redirect_uri": {"http://localhost/cb"}}, 302, url.Values{"code": {""}}, "http://localhost/cb?"},
		{"no client", url.Values{"redirect_uri": {"http://localhost/cb"}}, 400, nil, ""},
		{"no redirect", url.Values{"client_id": {"a"}}, 400, nil, ""},
		{"relative redirect", url.Values{"client_id": {"a"}, "redirect_uri": {"/cb"}}, 400, nil, ""},
		{"bad portal", url.Values{"client_id": {"a"}, "redirect_uri": {"http://localhost/cb"}, "mockhub_portal": {"x"}}, 400, nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.Do("GET", "/oauth/authorize?"+c.query.Encode(), "", "")
			r.Expect(t, c.status)
			if c.status != 302 {
				return
			}
			loc := r.Header.Get("Location")
			if !strings.HasPrefix(loc, c.prefix) {
				t.Fatalf("Location %s", loc)
			}
			u, _ := url.Parse(loc)
			got := u.Query()
			if len(got) != len(c.want) {
				t.Fatalf("Location %s, want keys of %v", loc, c.want)
			}
			for k, v := range c.want {
				if got.Get(k) == "" || (v[0] != "" && got.Get(k) != v[0]) {
					t.Fatalf("Location %s: %s = %q, want %q", loc, k, got.Get(k), v[0])
				}
			}
		})
	}
}

func TestPortalChoice(t *testing.T) {
	h := apitest.New(t, server.Config{})
	hub := func(q url.Values) any {
		code := install(t, h, q)
		access, _ := tokens(t, h, form("grant_type", "authorization_code", "code", code, "client_id", q.Get("client_id"), "redirect_uri", q.Get("redirect_uri")))
		return h.Do("GET", "/oauth/v1/access-tokens/"+access, "", "").JSON(t)["hub_id"]
	}
	q := authorizeQuery("app-1", "http://localhost/cb", "oauth")
	a1, a2 := hub(q), hub(q)
	b := hub(authorizeQuery("app-2", "http://localhost/cb", "oauth"))
	if a1 != a2 || a1 == b {
		t.Fatalf("hub ids: app-1 %v and %v, app-2 %v: want one portal per client id", a1, a2, b)
	}
	q.Set("mockhub_portal", "12345678")
	if got := hub(q); got != float64(12345678) {
		t.Fatalf("mockhub_portal gave hub %v", got)
	}
}

const appsFile = `{
  "tokens": [{"token": "pat-na1-admin", "portalId": 555, "scopes": ["crm.objects.contacts.read"]}],
  "apps": [{
    "clientId": "cid", "clientSecret": "secret", "redirectUris": ["https://app.example/cb"],
    "scopes": ["oauth", "crm.objects.contacts.read", "crm.objects.deals.read"], "portalId": 777, "appId": 42
  }]
}`

func TestDeclaredAppsAreStrict(t *testing.T) {
	clk := clock.NewManual(apitest.FrozenAt)
	tokensFile, err := auth.ParseTokens([]byte(appsFile), clk)
	if err != nil {
		t.Fatal(err)
	}
	h := apitest.New(t, server.Config{Clock: clk, Authenticator: tokensFile})
	const cb = "https://app.example/cb"
	for _, c := range []struct {
		name   string
		query  url.Values
		status string
	}{
		{"unknown client", authorizeQuery("other", cb, "oauth"), auth.StatusBadClientID},
		{"redirect not listed", authorizeQuery("cid", "https://evil.example/cb", "oauth"), auth.StatusBadRedirectURI},
		{"scope not allowed", authorizeQuery("cid", cb, "oauth crm.objects.contacts.write"), auth.StatusBadScope},
		{"deny still checks the client", url.Values{"client_id": {"other"}, "redirect_uri": {cb}, "mockhub_deny": {"1"}}, auth.StatusBadClientID},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.Do("GET", "/oauth/authorize?"+c.query.Encode(), "", "")
			r.Expect(t, http.StatusBadRequest)
			if got := r.JSON(t)["status"]; got != c.status {
				t.Fatalf("status %v, want %s: %s", got, c.status, r.Body)
			}
		})
	}

	q := authorizeQuery("cid", cb, "oauth crm.objects.contacts.read")
	q.Set("optional_scope", "crm.objects.deals.read crm.objects.tickets.read")
	code := install(t, h, q)
	wrong := h.DoWith("POST", "/oauth/v1/token", "", form("grant_type", "authorization_code", "code", code, "client_id", "cid", "client_secret", "nope", "redirect_uri", cb), formType)
	wrong.Expect(t, http.StatusBadRequest)
	if wrong.JSON(t)["status"] != auth.StatusBadClientID {
		t.Fatalf("wrong secret %s", wrong.Body)
	}
	access, refresh := tokens(t, h, form("grant_type", "authorization_code", "code", code, "client_id", "cid", "client_secret", "secret", "redirect_uri", cb))
	info := h.Do("GET", "/oauth/v1/access-tokens/"+access, "", "").JSON(t)
	// The app's portal and id; the optional scope the app may ask for is
	// granted, the other left out.
	if info["hub_id"] != float64(777) || info["app_id"] != float64(42) || len(info["scopes"].([]any)) != 3 {
		t.Fatalf("info %v", info)
	}
	h.Do("GET", "/crm/v3/objects/deals", access, "").Expect(t, http.StatusOK)
	h.Do("POST", "/crm/v3/objects/deals", access, `{"properties":{}}`).Expect(t, http.StatusForbidden)
	// The tokens file keeps working beside issued tokens; an unknown
	// token is still refused.
	h.Do("GET", "/crm/v3/objects/contacts", "pat-na1-admin", "").Expect(t, http.StatusOK)
	h.Do("GET", "/crm/v3/objects/contacts", "pat-na1-other", "").Expect(t, http.StatusUnauthorized)
	wrong = h.DoWith("POST", "/oauth/v1/token", "", form("grant_type", "refresh_token", "refresh_token", refresh, "client_id", "cid", "client_secret", "nope"), formType)
	wrong.Expect(t, http.StatusBadRequest)
	tokens(t, h, form("grant_type", "refresh_token", "refresh_token", refresh, "client_id", "cid", "client_secret", "secret"))
}

func TestDatedTokenEndpoints(t *testing.T) {
	h := apitest.New(t, server.Config{})
	for _, path := range []string{"/oauth/v3/token", "/oauth/2026-03/token"} {
		code := install(t, h, authorizeQuery("a", "http://localhost/cb", "oauth"))
		r := h.DoWith("POST", path, "", form("grant_type", "authorization_code", "code", code, "client_id", "a", "redirect_uri", "http://localhost/cb"), formType)
		r.Expect(t, http.StatusOK)
		if r.JSON(t)["access_token"] == "" {
			t.Fatalf("%s: %s", path, r.Body)
		}
	}
}

// TestTokenEndpointTakesFaults: OAuth's endpoints take no token, but the
// fault header still applies, so that an app's handling of a failing
// token endpoint can be tested.
func TestTokenEndpointTakesFaults(t *testing.T) {
	h := apitest.New(t, server.Config{})
	req := httptest.NewRequest("POST", "/oauth/v1/token", strings.NewReader("grant_type=refresh_token"))
	req.Header.Set("Content-Type", formType)
	req.Header.Set("X-Mockhub-Fault", "status;status=503")
	rec := httptest.NewRecorder()
	h.Srv.ServeHTTP(rec, req)
	res := apitest.Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	apitest.CheckContract(t, "POST", "/oauth/v1/token", res)
	res.Expect(t, http.StatusServiceUnavailable)
}

func TestIntrospect(t *testing.T) {
	h := apitest.New(t, server.Config{})
	const cb = "http://localhost/cb"
	code := install(t, h, authorizeQuery("a", cb, "oauth crm.objects.contacts.read"))
	access, refresh := tokens(t, h, form("grant_type", "authorization_code", "code", code, "client_id", "a", "redirect_uri", cb))
	introspect := func(path, token, client string) map[string]any {
		t.Helper()
		r := h.DoWith("POST", path, "", form("token", token, "client_id", client, "client_secret", "s"), formType)
		r.Expect(t, http.StatusOK)
		return r.JSON(t)
	}
	for _, path := range []string{"/oauth/v3/token/introspect", "/oauth/2026-03/token/introspect"} {
		m := introspect(path, access, "a")
		sat, _ := m["signed_access_token"].(map[string]any)
		if m["active"] != true || m["token_use"] != "access_token" || m["expires_in"] != float64(1800) || m["client_id"] != "a" || sat["expiresAt"] == nil {
			t.Fatalf("%s access: %v", path, m)
		}
		if m := introspect(path, refresh, "a"); m["active"] != true || m["token_use"] != "refresh_token" {
			t.Fatalf("%s refresh: %v", path, m)
		}
		for _, inactive := range [][2]string{{"nope", "a"}, {access, "b"}} {
			if m := introspect(path, inactive[0], inactive[1]); m["active"] != false || len(m) != 1 {
				t.Fatalf("%s %v: %v", path, inactive, m)
			}
		}
	}
	h.Clock.Advance(auth.AccessTokenLifetime)
	if m := introspect("/oauth/v3/token/introspect", access, "a"); m["active"] != false {
		t.Fatalf("expired: %v", m)
	}
	r := h.DoWith("POST", "/oauth/v3/token/introspect", "", form("token", access), formType)
	r.Expect(t, http.StatusBadRequest)
	if r.JSON(t)["status"] != auth.StatusBadClientID {
		t.Fatalf("no client: %s", r.Body)
	}
}

// TestServerPortalOfIssuedTokens: the server names an issued token's
// portal as it does any token's (mockhubtest's PortalOf relies on it).
func TestServerPortalOfIssuedTokens(t *testing.T) {
	h := apitest.New(t, server.Config{})
	q := authorizeQuery("a", "http://localhost/cb", "oauth")
	q.Set("mockhub_portal", "31415926")
	access, _ := tokens(t, h, form("grant_type", "authorization_code", "code", install(t, h, q), "client_id", "a", "redirect_uri", "http://localhost/cb"))
	if id, err := h.Srv.PortalOf(access); err != nil || id != 31415926 {
		t.Fatalf("PortalOf = %d, %v", id, err)
	}
}
