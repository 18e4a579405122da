package server_test

import (
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/server"
)

const tokensDoc = `{"tokens": [
  {"token": "pat-na1-writer", "portalId": 111, "kind": "private-app", "scopes": ["crm.objects.contacts.write"]},
  {"token": "oauth-reader", "portalId": 111, "kind": "oauth", "scopes": ["crm.objects.companies.read"]},
  {"token": "pat-na1-old", "portalId": 222, "scopes": ["crm.objects.contacts.write"], "expiresAt": "2026-09-29T12:00:00Z"},
  {"token": "pat-na1-files", "portalId": 333, "scopes": ["files"]},
  {"token": "pat-na1-soon", "portalId": 444, "scopes": ["contacts"], "expiresAt": "2026-09-30T12:30:00Z"}
]}`

func TestTokensFile(t *testing.T) {
	// The tokens judge expiry on the same clock as the server.
	clk := clock.NewManual(start)
	tokens, err := auth.ParseTokens([]byte(tokensDoc), clk)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, server.Config{Authenticator: tokens, Clock: clk})
	read := limitsPath("2026-09", "")

	t.Run("unknown", func(t *testing.T) {
		r := e.must("GET", read, "pat-na1-nobody", "", nil)
		if body := r.json(t); r.status != 401 || body["category"] != apierr.CategoryInvalidAuthentication || body["message"] != apierr.MsgAuthMissing {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
	t.Run("expired", func(t *testing.T) {
		r := e.must("GET", read, "pat-na1-old", "", nil)
		body := r.json(t)
		ctx, _ := body["context"].(map[string]any)
		if r.status != 401 || body["category"] != apierr.CategoryExpiredAuthentication ||
			body["message"] != "The OAuth token used to make this call expired 1 day(s) ago." ||
			ctx["expire time"].([]any)[0] != "2026-09-29T12:00:00.000Z" {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
	t.Run("under-scoped", func(t *testing.T) {
		r := e.must("GET", read, "pat-na1-files", "", nil)
		body := r.json(t)
		if r.status != 403 || body["category"] != apierr.CategoryMissingScopes || body["message"] != apierr.MsgMissingScopes {
			t.Fatalf("%d %s", r.status, r.body)
		}
		detail := body["errors"].([]any)[0].(map[string]any)
		ctx := detail["context"].(map[string]any)
		// 2026-09 accepts 92 private-app scopes (HUBSPOT.md §8).
		if detail["message"] != apierr.MsgScopesRequired || len(ctx["requiredGranularScopes"].([]any)) != 92 || len(ctx["requiredScopes"].([]any)) != 92 {
			t.Errorf("403 detail %v", detail)
		}
		if r.header.Get("X-HubSpot-RateLimit-Daily-Remaining") != "250000" {
			t.Errorf("403 rate-limit headers: %v", r.header)
		}
	})
	t.Run("two tokens share a portal", func(t *testing.T) {
		r := e.must("POST", limitsPath("2026-03", "/batch/create"), "pat-na1-writer", seedInput, nil)
		if r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		if got := e.limits("oauth-reader"); got[279] != 5 {
			t.Errorf("the other token of portal 111 reads %v", got)
		}
		r = e.must("GET", read, "oauth-reader", "", nil)
		if _, ok := r.header["X-Hubspot-Ratelimit-Daily"]; ok {
			t.Error("daily headers for an OAuth token")
		}
		if got := headersOf(r).remaining; got != "100" {
			t.Errorf("exempt operations left the window at %s", got)
		}
	})
	t.Run("expiry follows the clock", func(t *testing.T) {
		// 2025-09 accepts the legacy "contacts" scope of private apps.
		if r := e.must("GET", limitsPath("2025-09", ""), "pat-na1-soon", "", nil); r.status != 200 {
			t.Errorf("before expiry: %d %s", r.status, r.body)
		}
		if r := e.must("GET", limitsPath("2026-03", ""), "pat-na1-soon", "", nil); r.status != 403 {
			t.Errorf("contacts scope in 2026-03: %d %s", r.status, r.body)
		}
		e.clock.Advance(time.Hour)
		r := e.must("GET", limitsPath("2025-09", ""), "pat-na1-soon", "", nil)
		if body := r.json(t); r.status != 401 || body["message"] != "The OAuth token used to make this call expired 30 minute(s) ago." {
			t.Errorf("after expiry: %d %s", r.status, r.body)
		}
	})
}
