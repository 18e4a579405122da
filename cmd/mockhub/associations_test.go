package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAssociationsOnRecordsThroughTheBinary associates records through the
// record calls and the legacy v3 calls of the real binary, hits a
// configured limit through each, and finds the associations again after a
// restart on the same data directory.
func TestAssociationsOnRecordsThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	bin := binary(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	p := start(t, bin, t.TempDir(), "--data-dir", dataDir)
	const tok = "pat-na1-assoc-binary"
	decode := func(body string) map[string]any {
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		return m
	}
	id := func(status int, body string) string {
		if status != 201 {
			t.Fatalf("create: %d %s", status, body)
		}
		return decode(body)["id"].(string)
	}
	company := id(p.do(t, "POST", "/crm/v3/objects/companies", tok, `{"properties":{"name":"Acme"}}`))
	contact := id(p.do(t, "POST", "/crm/objects/2026-03/contacts", tok,
		`{"properties":{"email":"a@example.com"},"associations":[{"to":{"id":"`+company+`"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}]}]}`))
	other := id(p.do(t, "POST", "/crm/v3/objects/contacts", tok, `{"properties":{"email":"b@example.com"}}`))

	// A company may have one contact: the v3 batch create and PUT refuse a second.
	status, body := p.do(t, "POST", "/crm/v4/associations/definitions/configurations/companies/contacts/batch/create", tok,
		`{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":280,"maxToObjectIds":1}]}`)
	if status != 201 {
		t.Fatalf("limit: %d %s", status, body)
	}
	status, body = p.do(t, "POST", "/crm/v3/associations/contacts/companies/batch/create", tok,
		`{"inputs":[{"from":{"id":"`+other+`"},"to":{"id":"`+company+`"},"type":"contact_to_company_unlabeled"}]}`)
	if status != 207 || !strings.Contains(body, "ASSOCIATION_LIMIT_EXCEEDED") {
		t.Fatalf("v3 batch create over the limit: %d %s", status, body)
	}
	status, body = p.do(t, "PUT", "/crm/v3/objects/contacts/"+other+"/associations/companies/"+company+"/279", tok, "")
	if status != 400 || !strings.Contains(body, "ASSOCIATION_LIMIT_EXCEEDED") {
		t.Fatalf("v3 PUT over the limit: %d %s", status, body)
	}
	// The Primary label on the existing pair adds no contact: allowed.
	status, body = p.do(t, "PUT", "/crm/v3/objects/contacts/"+contact+"/associations/companies/"+company+"/contact_to_company", tok, "")
	if status != 200 || !strings.Contains(body, `"type":"contact_to_company"`) {
		t.Fatalf("v3 PUT of the Primary label: %d %s", status, body)
	}

	status, body = p.do(t, "POST", "/crm/objects/2026-09/contacts/search", tok,
		`{"filterGroups":[{"filters":[{"propertyName":"associations.company","operator":"EQ","value":"`+company+`"}]}]}`)
	if status != 200 || decode(body)["total"] != 1.0 {
		t.Fatalf("search by association: %d %s", status, body)
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGTERM:\n%s", code, p.log())
	}
	p = start(t, bin, t.TempDir(), "--data-dir", dataDir)
	status, body = p.do(t, "GET", "/crm/v3/objects/companies/"+company+"?associations=contacts", tok, "")
	want := `"results":[{"id":"` + contact + `","type":"company_to_contact"},{"id":"` + contact + `","type":"company_to_contact_unlabeled"}]`
	if status != 200 || !strings.Contains(body, want) {
		t.Fatalf("after restart: %d %s", status, body)
	}
}
