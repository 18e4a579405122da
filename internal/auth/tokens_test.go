package auth

import (
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/openapi/openapitest"
)

func operation(t *testing.T, version, id string) *openapi.Operation {
	return openapitest.Operation(t, version, id)
}

func TestAcceptedScopesComeFromTheDocuments(t *testing.T) {
	op := operation(t, "2025-09", "limits-batch-create")
	oauth := AcceptedScopes(op, KindOAuth)
	private := AcceptedScopes(op, KindPrivateApp)
	// HUBSPOT.md §8: 71 OAuth scopes, 91 private-app scopes plus legacy
	// "contacts" in 2025-09.
	if len(oauth) != 71 || len(private) != 92 {
		t.Errorf("got %d OAuth and %d private-app scopes", len(oauth), len(private))
	}
	if !slices.Contains(private, "contacts") || slices.Contains(oauth, "contacts") {
		t.Error("legacy contacts scope in the wrong list")
	}
	if !slices.Contains(oauth, "crm.objects.contacts.write") {
		t.Error("crm.objects.contacts.write missing")
	}
	v4 := operation(t, "v4", "labels-list")
	if n := len(AcceptedScopes(v4, KindOAuth)); n != 80 {
		t.Errorf("v4 OAuth scopes: %d", n)
	}
}

func TestTokens(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC))
	doc := `
tokens:
  - token: pat-na1-good
    portalId: 111
    kind: private-app
    scopes: [crm.objects.contacts.write]
  - token: oauth-good
    portalId: 111
    kind: oauth
    scopes: [crm.objects.deals.read]
    expiresAt: 2026-09-30T13:00:00Z
  - token: pat-na1-expired
    portalId: 222
    scopes: [crm.objects.contacts.write]
    expiresAt: 2026-09-30T07:00:00Z
  - token: pat-na1-noscope
    portalId: 333
    scopes: [files]
`
	tokens, err := ParseTokens([]byte(doc), clk)
	if err != nil {
		t.Fatal(err)
	}
	op := operation(t, "2026-03", "limits-batch-create")
	tests := []struct {
		token    string
		portal   int64
		kind     string
		status   int
		category string
		message  string
	}{
		{"pat-na1-good", 111, KindPrivateApp, 0, "", ""},
		{"oauth-good", 111, KindOAuth, 0, "", ""},
		{"", 0, "", 401, apierr.CategoryInvalidAuthentication, apierr.MsgAuthMissing},
		{"unknown", 0, "", 401, apierr.CategoryInvalidAuthentication, apierr.MsgAuthMissing},
		{"pat-na1-expired", 0, "", 401, apierr.CategoryExpiredAuthentication, "The OAuth token used to make this call expired 5 hour(s) ago."},
		{"pat-na1-noscope", 333, KindPrivateApp, 403, apierr.CategoryMissingScopes, apierr.MsgMissingScopes},
	}
	for _, tt := range tests {
		t.Run(tt.token, func(t *testing.T) {
			r := httptest.NewRequest("POST", op.Path, nil)
			if tt.token != "" {
				r.Header.Set("Authorization", "Bearer "+tt.token)
			}
			p, e := tokens.Authenticate(r)
			if p.PortalID != tt.portal || p.Kind != tt.kind {
				t.Errorf("principal = %+v", p)
			}
			if tt.status == 0 || tt.status == 403 {
				if e != nil {
					t.Fatalf("refused: %v", e)
				}
				// Scopes are the scopes guard's to judge: the principal
				// holds the operation's scopes unless the row expects 403.
				accepted := AcceptedScopes(op, p.Kind)
				if got := p.Holds(accepted); got != (tt.status == 0) {
					t.Errorf("holds scopes = %v, want %v", got, tt.status == 0)
				}
				if tt.status == 403 && len(accepted) != 80 {
					t.Errorf("operation accepts %d scopes, want 80", len(accepted))
				}
				return
			}
			if e == nil || e.Status != tt.status || e.Category != tt.category || e.Message != tt.message {
				t.Fatalf("error = %v", e)
			}
		})
	}
	// Expiry follows the clock.
	clk.Advance(time.Hour)
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer oauth-good")
	if _, e := tokens.Authenticate(r); e == nil || e.Category != apierr.CategoryExpiredAuthentication || e.Message != "The OAuth token used to make this call expired 0 second(s) ago." || e.Context["expire time"][0] != "2026-09-30T13:00:00.000Z" {
		t.Errorf("expired oauth token: %+v", e)
	}
}

func TestTokensFileRejects(t *testing.T) {
	for _, bad := range []string{
		``,
		`{"tokens":[{"token":"","portalId":1,"scopes":[]}]}`,
		`{"tokens":[{"token":"a","portalId":0,"scopes":[]}]}`,
		`{"tokens":[{"token":"a","portalId":1,"kind":"api-key","scopes":[]}]}`,
		`{"tokens":[{"token":"a","portalId":1},{"token":"a","portalId":2}]}`,
		`{"tokens":[{"token":"a","portalId":1,"expiresAt":"tomorrow"}]}`,
		`{"tokens":[{"token":"a","portalId":1,"scope":["x"]}]}`,
	} {
		if _, err := ParseTokens([]byte(bad), nil); err == nil {
			t.Errorf("ParseTokens(%s) succeeded", bad)
		}
	}
}

func FuzzParseTokens(f *testing.F) {
	f.Add(`{"tokens":[{"token":"pat-na1-a","portalId":1,"scopes":["x"],"expiresAt":"2027-01-01T00:00:00Z"}]}`)
	f.Add("tokens:\n  - token: a\n    portalId: 2\n    kind: oauth\n    scopes: [y]\n")
	f.Fuzz(func(t *testing.T, doc string) {
		_, _ = ParseTokens([]byte(doc), nil)
	})
}
