package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPortalIDsSurviveSIGKILL: two tokens that once shared a portal get
// their own, and after a SIGKILL and a restart that sees them in the other
// order each still has its portal and only its own state.
func TestPortalIDsSurviveSIGKILL(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	const labels = "/crm/associations/2026-03/contacts/companies/labels"
	// Their first candidate portal ids are the same.
	first, second := "tok-62740", "tok-9383"

	// portal is the portal of the last API request p answered.
	portal := func(p *process) int64 {
		t.Helper()
		_, body := p.do(t, "GET", "/_mockhub/requests?limit=1", "", "")
		var out struct {
			Results []struct {
				Portal int64 `json:"portal"`
			} `json:"results"`
		}
		if err := json.Unmarshal([]byte(body), &out); err != nil || len(out.Results) != 1 {
			t.Fatalf("journal %s: %v", body, err)
		}
		return out.Results[0].Portal
	}
	p := start(t, bin, dir, "--data-dir", dataDir)
	ids := map[string]int64{}
	for _, tok := range []string{first, second} {
		name := "label_" + strings.TrimPrefix(tok, "tok-")
		body := `{"name":"` + name + `","label":"L ` + tok + `","inverseLabel":"I ` + tok + `"}`
		if status, out := p.do(t, "POST", labels, tok, body); status != 200 && status != 201 {
			t.Fatalf("create label: %d %s", status, out)
		}
		ids[tok] = portal(p)
	}
	if ids[first] == ids[second] {
		t.Fatalf("both tokens have portal %d", ids[first])
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.wait(t, 10*time.Second)

	p2 := start(t, bin, dir, "--data-dir", dataDir)
	for _, tok := range []string{second, first} {
		_, body := p2.do(t, "GET", labels, tok, "")
		if got := portal(p2); got != ids[tok] {
			t.Errorf("%s: portal %d after restart, %d before", tok, got, ids[tok])
		}
		for _, other := range []string{first, second} {
			if has := strings.Contains(body, `"L `+other+`"`); has != (other == tok) {
				t.Errorf("%s after restart lists %s", tok, body)
			}
		}
	}
}
