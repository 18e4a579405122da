package crmobjects_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
)

// FuzzMergeAndGDPRBodies feeds arbitrary bodies to merge and GDPR delete:
// whatever comes in, the answer is a success or a HubSpot-shaped 4xx that
// satisfies our documents, never a 500.
func FuzzMergeAndGDPRBodies(f *testing.F) {
	for i, s := range []string{
		`{"primaryObjectId":"1","objectIdToMerge":"2"}`,
		`{"primaryObjectId":1,"objectIdToMerge":1}`,
		`{"primaryObjectId":"35000000001","objectIdToMerge":"35000000002"}`,
		`{"objectId":"35000000001"}`,
		`{"objectId":"a@x.com","idProperty":"email"}`,
		`{"objectId":1e99,"idProperty":""}`,
		`{"objectId":null}`, `[]`, `"`, "\x00", `{"primaryObjectId":` + strings.Repeat("[", 100),
	} {
		f.Add(s, uint8(i))
	}
	srv, err := server.New(server.Config{Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	do := func(path, body string) apitest.Response {
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer fuzz")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return apitest.Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	}
	for _, email := range []string{"a@x.com", "b@x.com"} {
		if r := do("/crm/v3/objects/contacts", `{"properties":{"email":"`+email+`"}}`); r.Status != 201 {
			f.Fatalf("create: %d %s", r.Status, r.Body)
		}
	}
	paths := []string{
		"/crm/v3/objects/contacts/merge",
		"/crm/objects/2026-09/0-3/merge",
		"/crm/v3/objects/contacts/gdpr-delete",
		"/crm/objects/2025-09/companies/gdpr-delete",
	}
	f.Fuzz(func(t *testing.T, body string, which uint8) {
		path := paths[int(which)%len(paths)]
		r := do(path, body)
		if r.Status >= 500 {
			t.Fatalf("%s %q: %d %s", path, body, r.Status, r.Body)
		}
		if err := apitest.ContractError("POST", path, r); err != nil {
			t.Fatalf("%s %q: %v", path, body, err)
		}
	})
}
