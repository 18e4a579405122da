package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/server"
)

func TestAdminFaultsAPI(t *testing.T) {
	e := newEnv(t, server.Config{})
	r := e.must("POST", "/_mockhub/faults", "", `{"match":{"method":"GET","path":"/crm/**"},"fault":{"kind":"latency","ms":1},"times":3,"probability":1}`, nil)
	if r.status != 201 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	want := `{"id":"rule-1","match":{"method":"GET","path":"/crm/**"},"fault":{"kind":"latency","ms":1},"times":3,"probability":1,"matched":0,"fired":0}`
	if string(r.body) != want {
		t.Errorf("stored rule\n got %s\nwant %s", r.body, want)
	}
	e.addRule(`{"id":"outage","fault":{"kind":"status","status":503},"after":100}`)
	if r := e.must("POST", "/_mockhub/faults", "", `{"id":"outage","fault":{"kind":"reset"}}`, nil); r.status != 409 || r.json(t)["category"] != apierr.CategoryConflict {
		t.Errorf("duplicate id: %d %s", r.status, r.body)
	}
	e.must("GET", limitsPath("2026-03", ""), token, "", nil)

	r = e.must("GET", "/_mockhub/faults", "", "", nil)
	var list struct {
		Results []faults.RuleStatus `json:"results"`
	}
	if err := json.Unmarshal(r.body, &list); err != nil || r.status != 200 || len(list.Results) != 2 {
		t.Fatalf("list: %d %s %v", r.status, r.body, err)
	}
	if a := list.Results[0]; a.ID != "rule-1" || a.Fired != 1 || a.Matched != 1 || a.Fault.Kind() != faults.KindLatency {
		t.Errorf("first rule %+v", a)
	}
	if b := list.Results[1]; b.ID != "outage" || b.Fired != 0 || b.Matched != 0 {
		t.Errorf("second rule saw a request the first fired on: %+v", b)
	}

	if r := e.must("DELETE", "/_mockhub/faults/rule-1", "", "", nil); r.status != 204 {
		t.Errorf("delete: %d", r.status)
	}
	if r := e.must("DELETE", "/_mockhub/faults/rule-1", "", "", nil); r.status != 404 || r.json(t)["category"] != apierr.CategoryObjectNotFound {
		t.Errorf("delete again: %d %s", r.status, r.body)
	}
	if r := e.must("GET", "/_mockhub/faults/nope", "", "", nil); r.status != 404 {
		t.Errorf("get unknown: %d", r.status)
	}
	if r := e.must("DELETE", "/_mockhub/faults", "", "", nil); r.status != 204 {
		t.Errorf("delete all: %d", r.status)
	}
	if r := e.must("GET", "/_mockhub/faults", "", "", nil); string(r.body) != `{"results":[]}` {
		t.Errorf("after delete all: %s", r.body)
	}
}

func TestAdminFaultsBadInput(t *testing.T) {
	e := newEnv(t, server.Config{})
	for _, body := range []string{
		``,
		`{`,
		`[]`,
		`{"fault":{"kind":"status","status":503}} trailing`,
		`{}`,
		`{"fault":null}`,
		`{"fault":{"kind":"explode"}}`,
		`{"fault":{"kind":"status"}}`,
		`{"fault":{"kind":"status","status":200}}`,
		`{"fault":{"kind":"status","status":"503"}}`,
		`{"fault":{"kind":"status","status":503,"policy":"DAILY"}}`,
		`{"fault":{"kind":"latency","ms":-5}}`,
		`{"fault":{"kind":"batchStatus","status":"DONE"}}`,
		`{"fault":{"kind":"partial","failInputs":-1}}`,
		`{"fault":{"kind":"reset","extra":true}}`,
		`{"fault":{"kind":"reset"},"times":-1}`,
		`{"fault":{"kind":"reset"},"after":-1}`,
		`{"fault":{"kind":"reset"},"probability":1.5}`,
		`{"fault":{"kind":"reset"},"probability":-0.1}`,
		`{"fault":{"kind":"reset"},"match":{"path":"no-slash"}}`,
		`{"fault":{"kind":"reset"},"match":{"path":"/crm/a**"}}`,
		`{"fault":{"kind":"reset"},"match":{"method":"G3T"}}`,
		`{"fault":{"kind":"reset"},"match":{"portal":-4}}`,
		`{"fault":{"kind":"reset"},"match":{"verb":"GET"}}`,
		`{"fault":{"kind":"reset"},"id":"a b"}`,
		`{"fault":{"kind":"reset"},"fired":3}`,
	} {
		r := e.must("POST", "/_mockhub/faults", "", body, nil)
		m := map[string]any{}
		_ = json.Unmarshal(r.body, &m)
		if r.status != 400 || m["category"] != apierr.CategoryValidation || m["correlationId"] == "" ||
			!strings.HasPrefix(m["message"].(string), "Invalid fault rule") && !strings.HasPrefix(m["message"].(string), "Could not read") {
			t.Errorf("%s: %d %s", body, r.status, r.body)
		}
	}
	if r := e.must("GET", "/_mockhub/faults", "", "", nil); string(r.body) != `{"results":[]}` {
		t.Errorf("bad rules were stored: %s", r.body)
	}
}

func TestResetRestoresStartupRules(t *testing.T) {
	rules, err := faults.ParseFile([]byte("rules:\n  - id: boot\n    fault: {kind: status, status: 503}\n    times: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, server.Config{FaultRules: rules})
	if r := e.must("GET", limitsPath("2026-03", ""), token, "", nil); r.status != 503 {
		t.Fatalf("start-up rule: %d", r.status)
	}
	if r := e.must("GET", limitsPath("2026-03", ""), token, "", nil); r.status != 200 {
		t.Fatalf("times 1: %d", r.status)
	}
	e.addRule(`{"fault":{"kind":"reset"},"match":{"method":"DELETE"}}`)
	e.must("POST", "/_mockhub/reset", "", "", nil)
	r := e.must("GET", "/_mockhub/faults", "", "", nil)
	if !strings.Contains(string(r.body), `"id":"boot"`) || strings.Contains(string(r.body), "rule-1") || !strings.Contains(string(r.body), `"fired":0`) {
		t.Errorf("after reset: %s", r.body)
	}
	if r := e.must("GET", limitsPath("2026-03", ""), token, "", nil); r.status != 503 {
		t.Errorf("start-up rule after reset: %d", r.status)
	}
	// A portal reset leaves the rules alone.
	e.must("POST", "/_mockhub/reset?portal=5", "", "", nil)
	if r := e.must("GET", "/_mockhub/faults", "", "", nil); !strings.Contains(string(r.body), `"fired":1`) {
		t.Errorf("after portal reset: %s", r.body)
	}
}
