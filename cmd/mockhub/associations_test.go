package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestAssociationRecordsThroughTheBinary associates records through the
// real binary in v4 and a dated version, hits a configured limit, reads the
// associations back in a batch, and finds them again after a SIGKILL and a
// restart on the same data directory.
func TestAssociationRecordsThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := binary(t)
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	const tok = "pat-na1-assoc-e2e"
	decode := func(body string) map[string]any {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		return m
	}
	p := start(t, bin, dir, "--data-dir", dataDir)
	create := func(objectType string) string {
		t.Helper()
		status, body := p.do(t, "POST", "/crm/v3/objects/"+objectType, tok, `{"properties":{}}`)
		if status != 201 {
			t.Fatalf("create %s: %d %s", objectType, status, body)
		}
		return decode(body)["id"].(string)
	}
	deal := create("deals")
	contacts := []string{create("contacts"), create("contacts"), create("contacts")}

	status, body := p.do(t, "POST", "/crm/associations/v4/definitions/configurations/deal/contact/batch/create", tok,
		`{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":3,"maxToObjectIds":2}]}`)
	if status != 201 {
		t.Fatalf("limit: %d %s", status, body)
	}
	status, body = p.do(t, "PUT", "/crm/v4/objects/deals/"+deal+"/associations/default/contacts/"+contacts[0], tok, "")
	if status != 200 || len(decode(body)["results"].([]any)) != 2 {
		t.Fatalf("default: %d %s", status, body)
	}
	status, body = p.do(t, "PUT", "/crm/objects/2026-03/deals/"+deal+"/associations/contacts/"+contacts[1], tok,
		`[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":3}]`)
	if status != 201 {
		t.Fatalf("labeled: %d %s", status, body)
	}
	// The third contact is over the limit: refused, in a batch as one input.
	status, body = p.do(t, "POST", "/crm/associations/2025-09/deals/contacts/batch/associate/default", tok,
		fmt.Sprintf(`{"inputs":[{"from":{"id":"%s"},"to":{"id":"%s"}}]}`, deal, contacts[2]))
	errs, _ := decode(body)["errors"].([]any)
	if status != 200 || len(errs) != 1 || !strings.Contains(body, "ASSOCIATION_LIMIT_EXCEEDED") {
		t.Fatalf("over the limit: %d %s", status, body)
	}

	read := func(p *process) {
		t.Helper()
		status, body := p.do(t, "POST", "/crm/associations/v4/deals/contacts/batch/read", tok,
			fmt.Sprintf(`{"inputs":[{"id":"%s"},{"id":"%s"}]}`, deal, contacts[0]))
		m := decode(body)
		results, _ := m["results"].([]any)
		errs, _ := m["errors"].([]any)
		if status != 207 || len(results) != 1 || len(errs) != 1 {
			t.Fatalf("batch read: %d %s", status, body)
		}
		to, _ := results[0].(map[string]any)["to"].([]any)
		if len(to) != 2 {
			t.Fatalf("deal associated with %d contacts: %s", len(to), body)
		}
	}
	read(p)

	// Associations are part of the saved state.
	p.cmd.Process.Kill()
	<-p.done
	p = start(t, bin, dir, "--data-dir", dataDir)
	read(p)
	status, body = p.do(t, "GET", "/crm/v4/objects/contacts/"+contacts[1]+"/associations/deals", tok, "")
	if status != 200 || !strings.Contains(body, `"toObjectId":"`+deal+`"`) {
		t.Fatalf("from the contact after restart: %d %s", status, body)
	}
}
