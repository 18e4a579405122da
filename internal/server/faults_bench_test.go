package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/server"
)

// BenchmarkReadUpdate measures two common requests in process:
// reading a pair's limits and updating a limit. It uses only the core's API,
// so the same file measures the core and a branch alike.
func BenchmarkReadUpdate(b *testing.B) {
	srv, err := server.New(server.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	benchSeedRequests(b, srv)
}

func benchSeedRequests(b *testing.B, srv http.Handler) {
	create := httptest.NewRequest("POST", limitsPath("2026-03", "/batch/create"), strings.NewReader(seedInput))
	create.Header.Set("Authorization", "Bearer "+token)
	create.Header.Set("Content-Type", "application/json")
	srv.ServeHTTP(httptest.NewRecorder(), create)
	update := `{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":7,"typeId":279}]}`

	b.Run("read", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r := httptest.NewRequest("GET", limitsPath("2026-03", ""), nil)
			r.Header.Set("Authorization", "Bearer "+token)
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatal(w.Code, w.Body)
			}
		}
	})
	b.Run("update", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r := httptest.NewRequest("POST", limitsPath("2026-03", "/batch/update"), strings.NewReader(update))
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatal(w.Code, w.Body)
			}
		}
	})
}

// BenchmarkReadUpdateWithRule is BenchmarkReadUpdate with one fault rule
// that never matches: the price of matching when rules exist.
func BenchmarkReadUpdateWithRule(b *testing.B) {
	srv, err := server.New(server.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	rule := httptest.NewRequest("POST", "/_mockhub/faults", strings.NewReader(`{"match":{"method":"DELETE","path":"/crm/**/labels/*"},"fault":{"kind":"status","status":503}}`))
	srv.ServeHTTP(httptest.NewRecorder(), rule)
	benchSeedRequests(b, srv)
}
