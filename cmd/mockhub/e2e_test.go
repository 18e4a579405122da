package main

import (
	"encoding/json"
	"syscall"
	"testing"
	"time"
)

// TestSeedRequestThroughTheBinary starts the real binary and sends the seed
// request, then reads the limit back in every version and spelling.
func TestSeedRequestThroughTheBinary(t *testing.T) {
	p := start(t, binary(t), t.TempDir())
	decode := func(body string) map[string]any {
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		return m
	}

	status, body := p.do(t, "POST", seedPath+"/batch/create", "pat-na1-e2e", seedBody)
	if status != 201 || decode(body)["status"] != "COMPLETE" {
		t.Fatalf("create: %d %s", status, body)
	}
	for _, path := range []string{
		seedPath,
		"/crm/v4/associations/definitions/configurations/0-1/0-2",
		"/crm/associations/v4/definitions/configurations/contact/company",
		"/crm/associations/2025-09/definitions/configurations/all",
		"/crm/associations/2026-09/definitions/configurations/all",
	} {
		status, body = p.do(t, "GET", path, "pat-na1-e2e", "")
		results, _ := decode(body)["results"].([]any)
		if status != 200 || len(results) != 1 {
			t.Fatalf("%s: %d %s", path, status, body)
		}
		if r := results[0].(map[string]any); r["typeId"] != 279.0 || r["userEnforcedMaxToObjectIds"] != 5.0 {
			t.Fatalf("%s: %v", path, r)
		}
	}
	status, body = p.do(t, "GET", "/crm/associations/2026-03/definitions/configurations/nope/companies", "pat-na1-e2e", "")
	if status != 400 || decode(body)["message"] != "Unable to infer object type from: nope" {
		t.Fatalf("bad object type: %d %s", status, body)
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGTERM:\n%s", code, p.log())
	}
}
