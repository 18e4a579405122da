package main

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPipelinesThroughTheBinary reads the default deal and ticket pipelines
// through the real binary in every version, and a stage a record then
// accepts.
func TestPipelinesThroughTheBinary(t *testing.T) {
	p := start(t, binary(t), t.TempDir())
	const token = "pat-na1-pipelines"
	for _, prefix := range []string{"/crm/v3/pipelines", "/crm/pipelines/2025-09", "/crm/pipelines/2026-03", "/crm/pipelines/2026-09"} {
		status, body := p.do(t, "GET", prefix+"/deals", token, "")
		var list struct {
			Results []struct {
				ID     string `json:"id"`
				Stages []struct {
					ID string `json:"id"`
				} `json:"stages"`
			} `json:"results"`
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil || status != 200 || len(list.Results) != 1 || list.Results[0].ID != "default" || len(list.Results[0].Stages) != 7 {
			t.Fatalf("%s/deals: %d %s", prefix, status, body)
		}
		status, body = p.do(t, "GET", prefix+"/tickets/0/stages/4", token, "")
		if status != 200 {
			t.Fatalf("%s ticket stage: %d %s", prefix, status, body)
		}
		status, body = p.do(t, "GET", prefix+"/deals/nope", token, "")
		if status != 404 {
			t.Fatalf("%s unknown pipeline: %d %s", prefix, status, body)
		}
	}
	status, body := p.do(t, "POST", "/crm/v3/objects/deals", token, `{"properties":{"dealname":"Won","pipeline":"default","dealstage":"closedwon"}}`)
	if status != 201 {
		t.Fatalf("deal in a listed stage: %d %s", status, body)
	}
}

// TestMergeAndGDPRDeleteThroughTheBinary merges two contacts and deletes
// one for good through the real binary, in v3 and a dated version, and
// checks what survives a restart on the same data directory.
func TestMergeAndGDPRDeleteThroughTheBinary(t *testing.T) {
	bin, dir := binary(t), t.TempDir()
	p := start(t, bin, dir, "--data-dir", dir)
	const token = "pat-na1-merge"
	id := func(status int, body string) string {
		t.Helper()
		var rec struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal([]byte(body), &rec); err != nil || rec.ID == "" || status >= 300 {
			t.Fatalf("%d %s", status, body)
		}
		return rec.ID
	}
	a := id(p.do(t, "POST", "/crm/v3/objects/contacts", token, `{"properties":{"email":"a@x.com"}}`))
	b := id(p.do(t, "POST", "/crm/v3/objects/contacts", token, `{"properties":{"email":"b@x.com","lastname":"B"}}`))
	c := id(p.do(t, "POST", "/crm/v3/objects/contacts", token, `{"properties":{"email":"c@x.com"}}`))

	status, body := p.do(t, "POST", "/crm/objects/2026-09/contacts/merge", token, `{"primaryObjectId":"`+a+`","objectIdToMerge":`+b+`}`)
	if status != 200 || id(status, body) != a {
		t.Fatalf("merge: %d %s", status, body)
	}
	if status, body = p.do(t, "POST", "/crm/v3/objects/contacts/merge", token, `{"primaryObjectId":"`+a+`","objectIdToMerge":"`+b+`"}`); status != 404 {
		t.Fatalf("merge of a merged record: %d %s", status, body)
	}
	if status, body = p.do(t, "POST", "/crm/v3/objects/contacts/gdpr-delete", token, `{"objectId":"c@x.com","idProperty":"email"}`); status != 204 {
		t.Fatalf("gdpr delete: %d %s", status, body)
	}

	check := func(p *process) {
		t.Helper()
		if status, body := p.do(t, "GET", "/crm/v3/objects/contacts/b@x.com?idProperty=email&properties=lastname,hs_merged_object_ids", token, ""); status != 200 || id(status, body) != a || !strings.Contains(body, `"hs_merged_object_ids":"`+b+`"`) || !strings.Contains(body, `"lastname":"B"`) {
			t.Fatalf("merged contact by its secondary email: %d %s", status, body)
		}
		for _, gone := range []string{b, c} {
			if status, body := p.do(t, "GET", "/crm/v3/objects/contacts/"+gone+"?archived=true", token, ""); status != 404 {
				t.Fatalf("record %s after merge/delete: %d %s", gone, status, body)
			}
		}
	}
	check(p)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit code %d:\n%s", code, p.log())
	}
	p = start(t, bin, dir, "--data-dir", dir)
	check(p)
	// The deleted contact's email is free again.
	if status, body := p.do(t, "POST", "/crm/v3/objects/contacts", token, `{"properties":{"email":"c@x.com"}}`); status != 201 {
		t.Fatalf("reuse of a deleted email: %d %s", status, body)
	}
}
