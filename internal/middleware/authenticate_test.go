package middleware

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/reqctx"
)

func TestAuthenticateRefuses(t *testing.T) {
	op := operation(t, "2026-03", "limits-read-all")
	tests := []struct {
		name   string
		header string // Authorization, if not empty
		query  string
	}{
		{name: "no credentials"},
		{name: "garbage", header: "garbage"},
		{name: "basic", header: "Basic dXNlcjpwYXNz"},
		{name: "bearer without token", header: "Bearer "},
		{name: "hapikey only", query: "?hapikey=0123abcd-0000-0000-0000-000000000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var next reached
			r := httptest.NewRequest("GET", op.Path+tt.query, nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			info := &reqctx.Info{CorrelationID: "cid"}
			rec := httptest.NewRecorder()
			Authenticate(lenient(t), op)(&next).ServeHTTP(rec, withInfo(r, info))
			body := errorBody(t, rec)
			if rec.Code != http.StatusUnauthorized || body["category"] != apierr.CategoryInvalidAuthentication ||
				body["message"] != apierr.MsgAuthMissing || body["correlationId"] != "cid" {
				t.Errorf("got %d %s", rec.Code, rec.Body)
			}
			if got := rec.Header().Get("X-HubSpot-Auth-Failure"); got != "401 Unauthorized" {
				t.Errorf("x-hubspot-auth-failure %q", got)
			}
			if next.calls != 0 {
				t.Error("a refused request reached the handler")
			}
			if info.PortalID != 0 || info.Token != "" {
				t.Errorf("a refused request was given a caller: %+v", info)
			}
			// The journal names the operation of refused requests too.
			if info.OperationID != "limits-read-all" || info.Version != "2026-03" {
				t.Errorf("operation %q %q", info.OperationID, info.Version)
			}
		})
	}
}

func TestAuthenticateFillsInfo(t *testing.T) {
	tokens, err := auth.NewTokens([]auth.Token{
		{Token: "pat-na1-writer", PortalID: 111, Scopes: []string{"crm.objects.contacts.write"}},
		{Token: "oauth-reader", PortalID: 222, Kind: auth.KindOAuth, Scopes: []string{"crm.objects.companies.read", "oauth"}},
	}, clock.NewManual(start))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		auth      auth.Authenticator
		version   string
		opID      string
		token     string
		portal    int64
		kind      string
		scopes    []string
		allScopes bool
	}{
		{"lenient private app", lenient(t), "2026-03", "limits-batch-create", "pat-na1-x", firstPortal(t, "pat-na1-x"), auth.KindPrivateApp, nil, true},
		{"lenient oauth", lenient(t), "v4", "labels-list", "some-oauth-token", firstPortal(t, "some-oauth-token"), auth.KindOAuth, nil, true},
		{"tokens private app", tokens, "2025-09", "limits-read-all", "pat-na1-writer", 111, auth.KindPrivateApp, []string{"crm.objects.contacts.write"}, false},
		{"tokens oauth", tokens, "2026-09", "labels-create", "oauth-reader", 222, auth.KindOAuth, []string{"crm.objects.companies.read", "oauth"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := operation(t, tt.version, tt.opID)
			var next reached
			var seen *reqctx.Info
			h := Authenticate(tt.auth, op)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = reqctx.From(r.Context())
				next.ServeHTTP(w, r)
			}))
			r := httptest.NewRequest(op.Method, op.Path, nil)
			r.Header.Set("Authorization", "Bearer "+tt.token)
			info := &reqctx.Info{CorrelationID: "cid"}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, withInfo(r, info))
			if next.calls != 1 || rec.Code != 200 {
				t.Fatalf("got %d %s after %d calls", rec.Code, rec.Body, next.calls)
			}
			if seen != info {
				t.Error("the handler sees another info")
			}
			if info.PortalID != tt.portal || info.Token != tt.token || info.TokenKind != tt.kind ||
				!slices.Equal(info.Scopes, tt.scopes) || info.AllScopes != tt.allScopes ||
				info.OperationID != tt.opID || info.Version != tt.version {
				t.Errorf("info %+v", info)
			}
		})
	}
}

func TestAuthenticateExpiredToken(t *testing.T) {
	clk := clock.NewManual(start)
	expiry := start.Add(-90 * time.Minute)
	tokens, err := auth.NewTokens([]auth.Token{{Token: "pat-na1-old", PortalID: 1, ExpiresAt: &expiry}}, clk)
	if err != nil {
		t.Fatal(err)
	}
	var next reached
	r := httptest.NewRequest("GET", "/x", nil)
	r.Header.Set("Authorization", "Bearer pat-na1-old")
	rec := httptest.NewRecorder()
	Authenticate(tokens, operation(t, "2026-03", "limits-read-all"))(&next).ServeHTTP(rec, withInfo(r, &reqctx.Info{}))
	body := errorBody(t, rec)
	if rec.Code != 401 || body["category"] != apierr.CategoryExpiredAuthentication ||
		body["message"] != "The OAuth token used to make this call expired 1 hour(s) ago." || next.calls != 0 {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

// lenient is a lenient authenticator with a fresh, in-memory assigner.
func lenient(t *testing.T) *auth.Lenient {
	t.Helper()
	p, err := auth.NewPortals(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return auth.NewLenient(p, nil)
}

// firstPortal is the portal a fresh assigner gives token: ids are
// deterministic, so the same as lenient's for the first token it sees.
func firstPortal(t *testing.T, token string) int64 {
	t.Helper()
	p, err := auth.NewPortals(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := p.PortalOf(token)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
