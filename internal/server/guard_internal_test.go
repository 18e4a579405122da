package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// TestFaultIsRecordedInRequestInfo checks that the fault that fired is left
// in reqctx.Info for outer layers (the request journal) as kind/rule id.
func TestFaultIsRecordedInRequestInfo(t *testing.T) {
	s, err := New(Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Faults().Add(mustRule(t, `{"id":"down","match":{"method":"GET"},"fault":{"kind":"status","status":503}}`)); err != nil {
		t.Fatal(err)
	}
	path := "/crm/associations/2026-03/definitions/configurations/contacts/companies"
	tests := []struct {
		method, header, want string
	}{
		{"GET", "", "status/down"},
		{"POST", "", ""},
		{"POST", "latency;ms=0", "latency/header"},
	}
	for _, tt := range tests {
		var seen *reqctx.Info
		probe := func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				next.ServeHTTP(w, r)
				seen = reqctx.From(r.Context())
			})
		}
		s.handler = s.requestInfo(probe(s.observe(s.recoverer(mustRoutes(t, s)))))
		r := httptest.NewRequest(tt.method, path+"/batch/create", nil)
		if tt.method == "GET" {
			r = httptest.NewRequest("GET", path, nil)
		}
		r.Header.Set("Authorization", "Bearer pat-na1-x")
		if tt.header != "" {
			r.Header.Set("X-Mockhub-Fault", tt.header)
		}
		s.ServeHTTP(httptest.NewRecorder(), r)
		if seen == nil || seen.Fault != tt.want {
			t.Errorf("%s %q: Fault = %+v, want %q", tt.method, tt.header, seen, tt.want)
		}
	}
}

func mustRoutes(t *testing.T, s *Server) http.Handler {
	t.Helper()
	r, err := s.routes()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustRule(t *testing.T, js string) faults.Rule {
	t.Helper()
	var r faults.Rule
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	return r
}
