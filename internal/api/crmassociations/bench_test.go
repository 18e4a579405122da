package crmassociations_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/server"
)

// benchServer is a server driven in process for benchmarks (the contract
// harness needs a *testing.T).
type benchServer struct {
	b   *testing.B
	srv *server.Server
}

func newBenchServer(b *testing.B) *benchServer {
	b.Helper()
	srv, err := server.New(server.Config{Seed: 42})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	return &benchServer{b: b, srv: srv}
}

func (s *benchServer) do(method, path, body string) []byte {
	s.b.Helper()
	var req *http.Request
	if body == "" {
		req = httptest.NewRequest(method, path, nil)
	} else {
		req = httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer bench")
	w := httptest.NewRecorder()
	s.srv.ServeHTTP(w, req)
	if w.Code >= 300 && w.Code != http.StatusMultiStatus {
		s.b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
	}
	return w.Body.Bytes()
}

// records creates n records of objectType, 100 per batch.
func (s *benchServer) records(objectType string, n int) []string {
	s.b.Helper()
	var ids []string
	for len(ids) < n {
		k := min(100, n-len(ids))
		body := `{"inputs":[` + strings.TrimSuffix(strings.Repeat(`{"properties":{}},`, k), ",") + `]}`
		var out struct {
			Results []struct {
				ID string `json:"id"`
			} `json:"results"`
		}
		if err := json.Unmarshal(s.do("POST", "/crm/v3/objects/"+objectType+"/batch/create", body), &out); err != nil {
			s.b.Fatal(err)
		}
		for _, r := range out.Results {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// associate associates from with every id of to by default, 2,000 per
// batch.
func (s *benchServer) associate(fromType, from, toType string, to []string) {
	s.b.Helper()
	for len(to) > 0 {
		k := min(2000, len(to))
		inputs := make([]string, k)
		for i, id := range to[:k] {
			inputs[i] = fmt.Sprintf(`{"from":{"id":"%s"},"to":{"id":"%s"}}`, from, id)
		}
		s.do("POST", "/crm/associations/2026-03/"+fromType+"/"+toType+"/batch/associate/default", `{"inputs":[`+strings.Join(inputs, ",")+`]}`)
		to = to[k:]
	}
}

// BenchmarkAssociateWithPartners associates a company with one more contact
// (and removes it again) when it already has 1 or 49,999 contacts: the
// limit checks read maintained counts, so both cost the same.
func BenchmarkAssociateWithPartners(b *testing.B) {
	for _, partners := range []int{1, 49_999} {
		b.Run(fmt.Sprintf("partners=%d", partners), func(b *testing.B) {
			s := newBenchServer(b)
			company := s.records("companies", 1)[0]
			contacts := s.records("contacts", partners+1)
			s.associate("companies", company, "contacts", contacts[:partners])
			// A configured limit, so that every create is checked against
			// one.
			s.do("POST", "/crm/associations/2026-03/definitions/configurations/companies/contacts/batch/create",
				`{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":280,"maxToObjectIds":50000}]}`)
			put := "/crm/v4/objects/companies/" + company + "/associations/default/contacts/" + contacts[partners]
			del := "/crm/v4/objects/companies/" + company + "/associations/contacts/" + contacts[partners]
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s.do("PUT", put, "")
				s.do("DELETE", del, "")
			}
		})
	}
}

// BenchmarkListPage reads the first page (500) of a company's contacts when
// it has 50,000.
func BenchmarkListPage(b *testing.B) {
	s := newBenchServer(b)
	company := s.records("companies", 1)[0]
	contacts := s.records("contacts", 50_000)
	s.associate("companies", company, "contacts", contacts)
	path := "/crm/v4/objects/companies/" + company + "/associations/contacts"
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.do("GET", path, "")
	}
}

// BenchmarkBatchCreate1000 associates a new deal with 1,000 contacts in one
// labeled batch create.
func BenchmarkBatchCreate1000(b *testing.B) {
	s := newBenchServer(b)
	contacts := s.records("contacts", 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		deal := s.records("deals", 1)[0]
		inputs := make([]string, len(contacts))
		for j, c := range contacts {
			inputs[j] = fmt.Sprintf(`{"from":{"id":"%s"},"to":{"id":"%s"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":3}]}`, deal, c)
		}
		body := `{"inputs":[` + strings.Join(inputs, ",") + `]}`
		b.StartTimer()
		s.do("POST", "/crm/associations/v4/deals/contacts/batch/create", body)
	}
}
