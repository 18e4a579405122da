package middleware

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/idgen"
	"github.com/mockhub/mockhub/internal/reqctx"
)

func TestRequestInfo(t *testing.T) {
	clk := clock.NewManual(start)
	mw := RequestInfo(idgen.New(1), clk)
	// Each request arrives after the clock moved by advance.
	tests := []struct {
		name    string
		advance time.Duration
	}{
		{"first", 0},
		{"later", 1500 * time.Millisecond},
		{"much later", 24 * time.Hour},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := clk.Advance(tt.advance)
			var info *reqctx.Info
			h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				info = reqctx.From(r.Context())
				// The clock moving while the request is served does not
				// change when it arrived.
				clk.Advance(time.Second)
				w.WriteHeader(http.StatusNoContent)
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
			if info == nil || info.CorrelationID == "" {
				t.Fatalf("no info in the context: %+v", info)
			}
			if got := rec.Header().Get("X-HubSpot-Correlation-Id"); got != info.CorrelationID {
				t.Errorf("header %q, info %q", got, info.CorrelationID)
			}
			if !info.RequestedAt.Equal(now) {
				t.Errorf("RequestedAt %v, want %v", info.RequestedAt, now)
			}
			if seen[info.CorrelationID] {
				t.Errorf("correlation id %s given twice", info.CorrelationID)
			}
			seen[info.CorrelationID] = true
		})
	}
}

func TestRequestInfoIdsFollowTheSeed(t *testing.T) {
	ids := func(seed uint64) []string {
		mw := RequestInfo(idgen.New(seed), clock.NewManual(start))
		var out []string
		h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			out = append(out, reqctx.From(r.Context()).CorrelationID)
		}))
		for range 3 {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
		}
		return out
	}
	a, b, c := ids(7), ids(7), ids(8)
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("same seed, request %d: %s and %s", i, a[i], b[i])
		}
		if a[i] == c[i] {
			t.Errorf("seeds 7 and 8, request %d: both %s", i, a[i])
		}
	}
}
