package middleware

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"testing"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/reqctx"
)

func TestScopesRefuses(t *testing.T) {
	tests := []struct {
		name      string
		version   string
		kind      string
		scopes    []string
		wantDaily bool
	}{
		{"private app without a scope", "2026-03", auth.KindPrivateApp, nil, true},
		{"private app with others", "2026-03", auth.KindPrivateApp, []string{"files", "crm.objects.contacts.read.extra"}, true},
		// 2025-09 accepts "contacts" from private apps only.
		{"oauth with a private-app scope", "2025-09", auth.KindOAuth, []string{"contacts"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := operation(t, tt.version, "limits-read-all")
			limits := ratelimit.New(ratelimit.Tiers["free"], true, clock.NewManual(start))
			info := &reqctx.Info{CorrelationID: "cid", PortalID: 111, Token: "t", TokenKind: tt.kind, Scopes: tt.scopes}
			var next reached
			rec := httptest.NewRecorder()
			Scopes(op, limits)(&next).ServeHTTP(rec, withInfo(httptest.NewRequest("GET", op.Path, nil), info))
			if next.calls != 0 {
				t.Fatal("an under-scoped request reached the handler")
			}
			body := errorBody(t, rec)
			if rec.Code != http.StatusForbidden || body["category"] != apierr.CategoryMissingScopes ||
				body["message"] != apierr.MsgMissingScopes || body["correlationId"] != "cid" {
				t.Fatalf("got %d %s", rec.Code, rec.Body)
			}
			if links, _ := body["links"].(map[string]any); links["scopes"] != apierr.ScopesLink {
				t.Errorf("links %v", body["links"])
			}
			want := auth.AcceptedScopes(op, tt.kind)
			sort.Strings(want)
			detail := body["errors"].([]any)[0].(map[string]any)
			ctx := detail["context"].(map[string]any)
			if detail["message"] != apierr.MsgScopesRequired || len(want) == 0 ||
				!slices.Equal(stringList(ctx["requiredGranularScopes"]), want) || !slices.Equal(stringList(ctx["requiredScopes"]), want) {
				t.Errorf("detail %v, want scopes %v", detail, want)
			}
			// The 403 carries the portal's rate-limit headers...
			h := rec.Header()
			if h.Get(ratelimit.HeaderMax) != "100" || h.Get(ratelimit.HeaderRemaining) != "100" || h.Get(ratelimit.HeaderSecondly) != "10" {
				t.Errorf("rate-limit headers %v", h)
			}
			if got := h.Get(ratelimit.HeaderDailyRemaining); tt.wantDaily != (got == "250000") || !tt.wantDaily && got != "" {
				t.Errorf("daily remaining %q", got)
			}
			// ...without counting the request.
			if u := limits.Peek(ratelimit.Request{Portal: 111}); u.DailyRemaining != 250000 || u.Remaining != 100 {
				t.Errorf("the 403 was counted: %+v", u)
			}
		})
	}
}

func TestScopesLetsThrough(t *testing.T) {
	tests := []struct {
		name string
		op   func(t *testing.T) *openapi.Operation
		info reqctx.Info
	}{
		{"holds one accepted scope", func(t *testing.T) *openapi.Operation { return operation(t, "2026-03", "limits-batch-create") },
			reqctx.Info{TokenKind: auth.KindPrivateApp, Scopes: []string{"files", "crm.objects.contacts.write"}}},
		{"legacy contacts scope in 2025-09", func(t *testing.T) *openapi.Operation { return operation(t, "2025-09", "limits-read-all") },
			reqctx.Info{TokenKind: auth.KindPrivateApp, Scopes: []string{"contacts"}}},
		{"oauth scope", func(t *testing.T) *openapi.Operation { return operation(t, "v4", "labels-list") },
			reqctx.Info{TokenKind: auth.KindOAuth, Scopes: []string{"crm.objects.companies.read"}}},
		{"lenient: all scopes", func(t *testing.T) *openapi.Operation { return operation(t, "2026-03", "labels-delete") },
			reqctx.Info{TokenKind: auth.KindPrivateApp, AllScopes: true}},
		{"operation without security", func(*testing.T) *openapi.Operation { return handWritten(false) },
			reqctx.Info{TokenKind: auth.KindOAuth}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limits := ratelimit.New(ratelimit.Tiers["free"], true, clock.NewManual(start))
			info := tt.info
			info.PortalID = 111
			var next reached
			rec := httptest.NewRecorder()
			Scopes(tt.op(t), limits)(&next).ServeHTTP(rec, withInfo(httptest.NewRequest("GET", "/x", nil), &info))
			if next.calls != 1 || rec.Code != 200 {
				t.Errorf("got %d %s after %d calls", rec.Code, rec.Body, next.calls)
			}
			// Counting is the rate limiter's job, after this guard.
			if _, ok := rec.Header()[ratelimit.HeaderMax]; ok {
				t.Error("rate-limit headers set on a request let through")
			}
		})
	}
}

// stringList converts a decoded JSON array of strings.
func stringList(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, s := range arr {
		str, _ := s.(string)
		out = append(out, str)
	}
	return out
}
