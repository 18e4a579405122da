package main

import (
	"encoding/json"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestCustomPropertyThroughTheBinary creates a custom property through the
// real binary, then a contact holding a value for it, reads both back, and
// finds them again after a restart on the same data directory.
func TestCustomPropertyThroughTheBinary(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	const token = "pat-na1-props-e2e"
	decode := func(body string) map[string]any {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		return m
	}
	contact := `{"properties":{"email":"ada@example.com","favorite_food":"pizza"}}`

	p := start(t, bin, dir, "--data-dir", dataDir)
	// A value for a property that does not exist yet is refused.
	if status, body := p.do(t, "POST", "/crm/v3/objects/contacts", token, contact); status != 400 {
		t.Fatalf("contact before its property: %d %s", status, body)
	}
	status, body := p.do(t, "POST", "/crm/v3/properties/contacts", token,
		`{"name":"favorite_food","label":"Favorite food","type":"enumeration","fieldType":"select","groupName":"contactinformation",
		  "options":[{"label":"Pizza","value":"pizza"},{"label":"Salad","value":"salad"}]}`)
	if status != 201 || decode(body)["name"] != "favorite_food" {
		t.Fatalf("create property: %d %s", status, body)
	}
	if status, body = p.do(t, "POST", "/crm/objects/2026-03/contacts", token, `{"properties":{"favorite_food":"cake"}}`); status != 400 {
		t.Fatalf("a value outside the options: %d %s", status, body)
	}
	status, body = p.do(t, "POST", "/crm/v3/objects/contacts", token, contact)
	if status != 201 {
		t.Fatalf("create contact: %d %s", status, body)
	}
	id, _ := decode(body)["id"].(string)
	read := func(p *process) {
		t.Helper()
		status, body := p.do(t, "GET", "/crm/objects/2026-09/contacts/"+id+"?properties=favorite_food", token, "")
		props, _ := decode(body)["properties"].(map[string]any)
		if status != 200 || props["favorite_food"] != "pizza" {
			t.Fatalf("read contact: %d %s", status, body)
		}
		status, body = p.do(t, "GET", "/crm/properties/2025-09/contacts/favorite_food", token, "")
		if status != 200 || len(decode(body)["options"].([]any)) != 2 {
			t.Fatalf("read property: %d %s", status, body)
		}
	}
	read(p)

	// Acknowledged means durable: a restart on the same directory serves both.
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGTERM:\n%s", code, p.log())
	}
	read(start(t, bin, dir, "--data-dir", dataDir))
}
