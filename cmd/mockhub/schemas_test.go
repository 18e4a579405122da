package main

import (
	"encoding/json"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestCustomObjectSchemaThroughTheBinary creates a custom object type
// through the real binary's schemas API, a record of it associated with a
// contact, and finds the type, its pair's typeId and the association again
// after a restart on the same data directory; a second type then gets the
// next id and typeIds, as it would have without the restart.
func TestCustomObjectSchemaThroughTheBinary(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	const token = "pat-na1-schemas-e2e"
	decode := func(body string) map[string]any {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		return m
	}
	schema := func(name string) string {
		return `{"name":"` + name + `","labels":{"singular":"X","plural":"Xs"},"primaryDisplayProperty":"title",
		  "properties":[{"name":"title","label":"Title","type":"string","fieldType":"text"}],"associatedObjects":["contacts"]}`
	}
	typeIDOf := func(body string) string {
		t.Helper()
		assocs, _ := decode(body)["associations"].([]any)
		if len(assocs) != 1 {
			t.Fatalf("associations of %s", body)
		}
		return assocs[0].(map[string]any)["id"].(string)
	}

	p := start(t, bin, dir, "--data-dir", dataDir)
	status, body := p.do(t, "POST", "/crm-object-schemas/v3/schemas", token, schema("ship"))
	if status != 201 || decode(body)["objectTypeId"] != "2-1" {
		t.Fatalf("create schema: %d %s", status, body)
	}
	pairType := typeIDOf(body)
	status, body = p.do(t, "POST", "/crm/v3/objects/2-1", token, `{"properties":{"title":"Argo"}}`)
	if status != 201 {
		t.Fatalf("create record: %d %s", status, body)
	}
	ship := decode(body)["id"].(string)
	status, body = p.do(t, "POST", "/crm/v3/objects/contacts", token, `{"properties":{"email":"jason@example.com"}}`)
	if status != 201 {
		t.Fatalf("create contact: %d %s", status, body)
	}
	contact := decode(body)["id"].(string)
	if status, body = p.do(t, "PUT", "/crm/v4/objects/2-1/"+ship+"/associations/default/contacts/"+contact, token, ""); status != 200 {
		t.Fatalf("associate: %d %s", status, body)
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGTERM:\n%s", code, p.log())
	}
	p = start(t, bin, dir, "--data-dir", dataDir)
	status, body = p.do(t, "GET", "/crm/v3/schemas/ship", token, "")
	if status != 200 || typeIDOf(body) != pairType {
		t.Fatalf("schema after the restart: %d %s (pair type %s)", status, body, pairType)
	}
	status, body = p.do(t, "GET", "/crm/v4/objects/2-1/"+ship+"/associations/contacts", token, "")
	if status != 200 {
		t.Fatalf("associations after the restart: %d %s", status, body)
	}
	if res, _ := decode(body)["results"].([]any); len(res) != 1 {
		t.Fatalf("associations after the restart: %s", body)
	}
	status, body = p.do(t, "POST", "/crm-object-schemas/2026-03/schemas", token, schema("raft"))
	if status != 201 || decode(body)["objectTypeId"] != "2-2" || typeIDOf(body) == pairType {
		t.Fatalf("second schema: %d %s", status, body)
	}
	if status, body = p.do(t, "POST", "/crm-object-schemas/2026-03/schemas", token, schema("raft")); status != 409 {
		t.Fatalf("duplicate schema: %d %s", status, body)
	}
}
