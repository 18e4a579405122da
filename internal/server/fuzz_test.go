package server_test

import (
	"encoding/json"
	"github.com/mockhub/mockhub/internal/server"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequestDecoding feeds arbitrary bodies and path segments to the
// operations that take bodies. Whatever comes in, the server must not panic
// and must answer either success or a HubSpot-shaped 4xx.
func FuzzRequestDecoding(f *testing.F) {
	seeds := []string{
		`{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":279}]}`,
		`{"inputs":[{"category":"USER_DEFINED","typeId":1}]}`,
		`{"label":"Manager","inverseLabel":"Employee","name":"manager"}`,
		`{"associationTypeId":1,"label":"x"}`,
		`{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":-1,"typeId":2147483648}]}`,
		`{"inputs":null}`, `[]`, `"`, `{"inputs":[1,"a",null,{}]}`, "\x00", `{"a":` + strings.Repeat("[", 200),
	}
	paths := []string{
		"/crm/associations/2026-03/definitions/configurations/contacts/companies/batch/create",
		"/crm/associations/2025-09/definitions/configurations/0-3/0-1/batch/update",
		"/crm/v4/associations/definitions/configurations/deals/contacts/batch/purge",
		"/crm/associations/2026-09/contacts/companies/labels",
	}
	for i, s := range seeds {
		f.Add(s, uint8(i), "contacts")
	}
	srv, err := server.New(server.Config{Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string, which uint8, objectType string) {
		path := paths[int(which)%len(paths)]
		if objectType != "" && !strings.ContainsAny(objectType, "/?#% \t\r\n") {
			path = strings.Replace(path, "contacts", objectType, 1)
		}
		method := "POST"
		if which%8 == 7 {
			method = "PUT"
		}
		req := httptest.NewRequest(method, "/", strings.NewReader(body))
		req.URL.Path = path
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer fuzz")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", method, path, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			var e map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e["status"] != "error" || e["category"] == nil || e["message"] == nil || e["correlationId"] == nil {
				t.Fatalf("%d answer is not HubSpot-shaped: %s", rec.Code, rec.Body)
			}
		}
	})
}

// FuzzPortalSettings feeds arbitrary settings documents to PUT
// /_mockhub/portals/{id}/settings: the server answers 200 with what GET then
// answers, or a HubSpot-shaped 400 that changes nothing.
func FuzzPortalSettings(f *testing.F) {
	for _, s := range []string{`{"searchLag":"5s"}`, `{"searchLag":null}`, `{}`, `{"searchLag":"-1s"}`, `{"searchLag":5}`, `{"searchLag":"1h1m1.5s"}`, `[]`, `{"x":1}`} {
		f.Add(s)
	}
	srv, err := server.New(server.Config{Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	do := func(method, body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(method, "/_mockhub/portals/7/settings", strings.NewReader(body)))
		return rec
	}
	f.Fuzz(func(t *testing.T, body string) {
		before := do("GET", "").Body.String()
		put := do("PUT", body)
		after := do("GET", "").Body.String()
		switch {
		case put.Code == 200 && put.Body.String() != after:
			t.Fatalf("PUT answered %s, GET %s", put.Body, after)
		case put.Code == 400 && before != "" && after != before && !strings.Contains(before, "does not exist"):
			t.Fatalf("a refused document changed the settings: %s -> %s", before, after)
		case put.Code != 200 && put.Code != 400:
			t.Fatalf("%q: %d %s", body, put.Code, put.Body)
		}
	})
}
