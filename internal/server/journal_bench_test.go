package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/server"
)

// BenchmarkJournal measures what recording costs a request: run with
// -bench Journal and compare the sub-benchmarks.
func BenchmarkJournal(b *testing.B) {
	for _, tc := range []struct {
		name string
		size int
	}{{"off", -1}, {"on", 1000}} {
		srv, err := server.New(server.Config{JournalSize: tc.size})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name+"/read", func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("GET", pairPath, nil)
				req.Header.Set("Authorization", "Bearer "+tokenA)
				srv.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
		b.Run(tc.name+"/batch", func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("POST", pairPath+"/batch/purge", strings.NewReader(`{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279}]}`))
				req.Header.Set("Authorization", "Bearer "+tokenA)
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("purge = %d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
