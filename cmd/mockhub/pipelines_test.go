package main

import (
	"encoding/json"
	"testing"
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
