package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSearchLagBinary: with --search-lag, a created contact is read at once
// but not found by search; a portal setting of a short lag lets search find
// it once that lag has passed on the server's clock.
func TestSearchLagBinary(t *testing.T) {
	bin := binary(t)
	p := start(t, bin, t.TempDir(), "--search-lag", "1h")
	const tok = "pat-na1-searchlag"
	status, body := p.do(t, "POST", "/crm/v3/objects/contacts", tok, `{"properties":{"email":"lag@example.com"}}`)
	if status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	var created struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil {
		t.Fatal(err)
	}
	search := func() int {
		t.Helper()
		status, body := p.do(t, "POST", "/crm/v3/objects/contacts/search", tok,
			`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"lag@example.com"}]}]}`)
		var out struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal([]byte(body), &out); status != 200 || err != nil {
			t.Fatalf("search: %d %s", status, body)
		}
		return out.Total
	}
	if status, _ := p.do(t, "GET", "/crm/v3/objects/contacts/"+created.ID, tok, ""); status != 200 {
		t.Fatalf("read of the new contact: %d", status)
	}
	if n := search(); n != 0 {
		t.Fatalf("search found %d within the hour's lag", n)
	}

	// The portal is the one of the journal's last request.
	_, journal := p.do(t, "GET", "/_mockhub/requests?limit=1", "", "")
	var last struct {
		Results []struct {
			Portal int64 `json:"portal"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(journal), &last); err != nil || len(last.Results) != 1 {
		t.Fatalf("journal %s: %v", journal, err)
	}
	settings := "/_mockhub/portals/" + strconv.FormatInt(last.Results[0].Portal, 10) + "/settings"
	if status, body := p.do(t, "PUT", settings, "", `{"searchLag":"100ms"}`); status != 200 || !strings.Contains(body, `"effectiveSearchLag":"100ms"`) {
		t.Fatalf("settings: %d %s", status, body)
	}
	// The contact was created well over 100 ms ago, or soon will be: poll,
	// boundedly, without asserting how long it takes.
	for i := 0; search() == 0; i++ {
		if i == 100 {
			t.Fatal("search never found the contact with a 100ms lag")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
