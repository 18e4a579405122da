package server_test

import (
	"github.com/mockhub/mockhub/internal/server"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/bare"
)

const (
	benchCreatePath = "/crm/associations/2026-03/definitions/configurations/contacts/companies/batch/create"
	benchPurgePath  = "/crm/associations/2026-03/definitions/configurations/contacts/companies/batch/purge"
	benchCreateBody = `{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":279}]}`
	benchPurgeBody  = `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279}]}`
)

// benchPair sends the seed request and the purge that undoes it, so every
// iteration takes the success path of both.
func benchPair(b *testing.B, h http.Handler) {
	b.Helper()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, rq := range [2][2]string{{benchCreatePath, benchCreateBody}, {benchPurgePath, benchPurgeBody}} {
			req := httptest.NewRequest("POST", rq[0], strings.NewReader(rq[1]))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer bench")
			w := &benchWriter{header: http.Header{}}
			h.ServeHTTP(w, req)
			if w.status >= 300 {
				b.Fatalf("%s: %d %s", rq[0], w.status, w.body)
			}
		}
	}
}

// benchWriter is the least a ResponseWriter does: a fresh header map, the
// status, the body. httptest.ResponseRecorder also snapshots the header map
// on WriteHeader, a cost no real server pays, which would weigh on the
// answer with more headers (mockhub's, with HubSpot's rate-limit headers).
type benchWriter struct {
	header http.Header
	status int
	body   []byte
}

func (w *benchWriter) Header() http.Header { return w.header }

func (w *benchWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *benchWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.body = append(w.body, p...)
	return len(p), nil
}

// BenchmarkSeedRequest runs the seed request (and its purge) through the
// whole stack: routing, auth, validation, store, envelope.
func BenchmarkSeedRequest(b *testing.B) {
	srv, err := server.New(server.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	benchPair(b, srv)
}

// BenchmarkBareHandler is the floor: a plain net/http handler that decodes
// the same bodies and writes a canned answer, with no validation or state.
func BenchmarkBareHandler(b *testing.B) {
	benchPair(b, bare.Handler(http.StatusCreated))
}

// benchPairHTTP is benchPair over a real loopback connection with a
// keep-alive client: what a test suite or load tool sees.
func benchPairHTTP(b *testing.B, h http.Handler) {
	b.Helper()
	ts := httptest.NewServer(h)
	defer ts.Close()
	client := ts.Client()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, rq := range [2][2]string{{benchCreatePath, benchCreateBody}, {benchPurgePath, benchPurgeBody}} {
			req, err := http.NewRequest("POST", ts.URL+rq[0], strings.NewReader(rq[1]))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer bench")
			res, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode >= 300 {
				b.Fatalf("%s: %d", rq[0], res.StatusCode)
			}
		}
	}
}

// BenchmarkSeedRequestHTTP is BenchmarkSeedRequest through a loopback
// listener.
func BenchmarkSeedRequestHTTP(b *testing.B) {
	srv, err := server.New(server.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	benchPairHTTP(b, srv)
}

// BenchmarkBareHandlerHTTP is BenchmarkBareHandler through a loopback
// listener.
func BenchmarkBareHandlerHTTP(b *testing.B) {
	benchPairHTTP(b, bare.Handler(http.StatusCreated))
}
