package crmobjects_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/server"
)

// benchDo sends one request and fails the benchmark on an error answer.
func benchDo(b *testing.B, h http.Handler, method, path, body string) string {
	b.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer bench")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code >= 300 {
		b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
	}
	return w.Body.String()
}

// BenchmarkAssociationsInRecordCalls measures a search by association (one
// company's 100 contacts among 10,000, found through the index; two
// companies' through a scan), the same search on email for comparison, and
// a read that embeds 100 associations.
func BenchmarkAssociationsInRecordCalls(b *testing.B) {
	srv, err := server.New(server.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	const companies, perCompany = 100, 100
	var ids []string
	for i := range companies {
		body := benchDo(b, srv, "POST", "/crm/v3/objects/companies", fmt.Sprintf(`{"properties":{"name":"c%d"}}`, i))
		ids = append(ids, body[strings.Index(body, `"id":"`)+6:][:11])
	}
	for i, company := range ids {
		var inputs []string
		for j := range perCompany {
			inputs = append(inputs, fmt.Sprintf(`{"properties":{"email":"p%d-%d@example.com"},"associations":[%s]}`, i, j, assocBody(company, 279)))
		}
		benchDo(b, srv, "POST", "/crm/v3/objects/contacts/batch/create", `{"inputs":[`+strings.Join(inputs, ",")+`]}`)
	}
	filter := func(f string) string { return `{"filterGroups":[{"filters":[` + f + `]}],"limit":100}` }
	cases := []struct{ name, method, path, body string }{
		{"search/associations.company EQ (index)", "POST", "/crm/v3/objects/contacts/search",
			filter(`{"propertyName":"associations.company","operator":"EQ","value":"` + ids[7] + `"}`)},
		{"search/associations.company IN (scan)", "POST", "/crm/v3/objects/contacts/search",
			filter(`{"propertyName":"associations.company","operator":"IN","values":["` + ids[7] + `","` + ids[8] + `"]}`)},
		{"search/email CONTAINS_TOKEN (scan, no association)", "POST", "/crm/v3/objects/contacts/search",
			filter(`{"propertyName":"email","operator":"CONTAINS_TOKEN","value":"p7-*"}`)},
		{"list/limit=100 (rendering 100 records, for comparison)", "GET", "/crm/v3/objects/contacts?limit=100", ""},
		{"read/associations=contacts (100)", "GET", "/crm/v3/objects/companies/" + ids[7] + "?associations=contacts", ""},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchDo(b, srv, c.method, c.path, c.body)
			}
		})
	}
}
