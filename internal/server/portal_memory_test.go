package server_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"

	"github.com/mockhub/mockhub/internal/server"
)

// BenchmarkPortalBytes reports the memory one more token costs the server
// when it only reads (a portal that holds no state): the store's portal,
// the token's portal assignment and the journal's fingerprint registry. The
// journal itself is off, so its bounded entries do not count.
func BenchmarkPortalBytes(b *testing.B) {
	srv, err := server.New(server.Config{Seed: 1, JournalSize: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	const path = "/crm/associations/2026-03/definitions/configurations/contacts/companies"
	w := httptest.NewRecorder()
	read := func(i int) {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Authorization", "Bearer tok-"+strconv.Itoa(i))
		w.Body.Reset()
		srv.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	read(-1)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := range b.N {
		read(i)
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(b.N), "heapB/portal")
	runtime.KeepAlive(srv)
}
