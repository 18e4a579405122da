package crmproperties_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/server"
)

// FuzzCreate sends arbitrary create and update bodies: every answer is one
// HubSpot gives (201/200, 400, 404, 409) and satisfies the contract, and
// nothing panics.
func FuzzCreate(f *testing.F) {
	for _, seed := range []string{
		food, colour,
		`{"name":"x","label":"X","type":"enumeration","fieldType":"select","groupName":"food","externalOptions":true,"referencedObjectType":"OWNER"}`,
		`{"name":"","label":"","type":"string","fieldType":"text","groupName":""}`,
		`{"name":"Ünïcode name","label":"X","type":"number","fieldType":"number","groupName":"contactinformation","displayOrder":2147483647}`,
		`{"name":"x","label":"X","type":"bool","fieldType":"booleancheckbox","groupName":"food","options":[{"label":"Yes","value":"true"},{"label":"No","value":"false"}]}`,
		`{"name":"x","hasUniqueValue":true,"label":"X","type":"string","fieldType":"text","groupName":"food"}`,
		`{"inputs":[]}`, `[]`, `null`,
	} {
		f.Add(seed)
	}
	// One server for the whole run: starting one per input would leave the
	// fuzzer no time to fuzz. Its state grows, which only adds 409s.
	srv, err := server.New(server.Config{Clock: clock.NewManual(apitest.FrozenAt), Seed: 42})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(srv.Close)
	do := func(t *testing.T, method, path, body string, want ...int) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		res := apitest.Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
		if err := apitest.ContractError(method, path, res); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if rec.Code == w {
				return
			}
		}
		t.Fatalf("%s %s answered %d: %s", method, path, rec.Code, rec.Body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		do(t, "POST", "/crm/v3/properties/contacts/groups", foodGroup, 201, 409)
		do(t, "POST", "/crm/v3/properties/contacts", body, 201, 400, 409)
		do(t, "PATCH", "/crm/v3/properties/contacts/x", body, 200, 400, 404)
	})
}
