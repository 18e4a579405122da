package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoPortal: the binary started with --fixtures
// fixtures/demo-portal.json serves the demo portal to the token "demo", as
// README shows, and a reset brings it back.
func TestDemoPortal(t *testing.T) {
	bin := binary(t)
	demo, err := filepath.Abs(filepath.Join("..", "..", "fixtures", "demo-portal.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := start(t, bin, t.TempDir(), "--fixtures", demo)

	type page struct {
		Total   int `json:"total"`
		Results []struct {
			ID         string            `json:"id"`
			Properties map[string]string `json:"properties"`
		} `json:"results"`
		Paging *struct{} `json:"paging"`
	}
	get := func(method, path, body string) page {
		t.Helper()
		status, out := p.do(t, method, path, "demo", body)
		var pg page
		if err := json.Unmarshal([]byte(out), &pg); status != 200 || err != nil {
			t.Fatalf("%s %s = %d %s (%v)", method, path, status, out, err)
		}
		return pg
	}
	contacts := func() map[string]string {
		t.Helper()
		pg := get("GET", "/crm/v3/objects/contacts?limit=100", "")
		if pg.Paging != nil {
			t.Fatalf("contacts: more than one page")
		}
		out := map[string]string{}
		for _, r := range pg.Results {
			out[r.Properties["email"]] = r.ID
		}
		return out
	}

	if got := contacts(); len(got) != 60 || got["maya.chen@harborviewanalytics.com"] != "35000000001" {
		t.Fatalf("contacts: %d, Maya Chen is %q", len(got), got["maya.chen@harborviewanalytics.com"])
	}
	pg := get("POST", "/crm/v3/objects/companies/search",
		`{"filterGroups":[{"filters":[{"propertyName":"name","operator":"EQ","value":"harborview analytics"}]}]}`)
	if pg.Total != 1 || len(pg.Results) != 1 || pg.Results[0].ID != "38000000001" || pg.Results[0].Properties["domain"] != "harborviewanalytics.com" {
		t.Fatalf("search by name: %+v", pg)
	}
	status, out := p.do(t, "GET", "/crm/objects/2026-03/deals/29000000001", "demo", "")
	for _, want := range []string{`"dealname":"Harborview Analytics - Enterprise plan"`, `"amount":"48000"`, `"dealstage":"closedwon"`, `"pipeline":"default"`} {
		if status != 200 || !strings.Contains(out, want) {
			t.Fatalf("read a deal = %d %s, want %s", status, out, want)
		}
	}

	// Other tokens have their own empty portals; a reset undoes changes.
	if status, out := p.do(t, "GET", "/crm/v3/objects/contacts", "my-test-token", ""); status != 200 || out != `{"results":[]}` {
		t.Fatalf("another token's contacts = %d %s", status, out)
	}
	if status, out := p.do(t, "POST", "/crm/v3/objects/contacts", "demo", `{"properties":{"email":"new@example.com"}}`); status != 201 {
		t.Fatalf("create = %d %s", status, out)
	}
	if got := contacts(); len(got) != 61 {
		t.Fatalf("after a create: %d contacts", len(got))
	}
	if status, out := p.do(t, "POST", "/_mockhub/reset", "", ""); status != 200 {
		t.Fatalf("reset = %d %s", status, out)
	}
	if got := contacts(); len(got) != 60 || got["new@example.com"] != "" {
		t.Fatalf("after a reset: %d contacts", len(got))
	}
}
