package crmassociationsv3_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
)

const tok = "pat-na1-assoc-v3"

// record creates a record through the objects API and returns its id.
func record(t *testing.T, h *apitest.Harness, plural, properties string) string {
	t.Helper()
	r := h.Do("POST", "/crm/v3/objects/"+plural, tok, `{"properties":`+properties+`}`)
	r.Expect(t, 201)
	return r.JSON(t)["id"].(string)
}

// setLimit configures a limit through the limits API.
func setLimit(t *testing.T, h *apitest.Harness, from, to string, typeID, max int) {
	t.Helper()
	body := fmt.Sprintf(`{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":%d,"maxToObjectIds":%d}]}`, typeID, max)
	h.Do("POST", "/crm/v4/associations/definitions/configurations/"+from+"/"+to+"/batch/create", tok, body).Expect(t, 201)
}

func pair(from, to, typ string) string {
	return `{"from":{"id":"` + from + `"},"to":{"id":"` + to + `"},"type":"` + typ + `"}`
}

func inputs(items ...string) string { return `{"inputs":[` + strings.Join(items, ",") + `]}` }

// triples renders a batch create's results as from>to:type.
func triples(t *testing.T, r apitest.Response) []string {
	t.Helper()
	var out []string
	for _, x := range r.Results(t) {
		from, _ := x["from"].(map[string]any)
		to, _ := x["to"].(map[string]any)
		out = append(out, fmt.Sprint(from["id"], ">", to["id"], ":", x["type"]))
	}
	return out
}

// readTo renders a batch read's results as from>id:type, in order.
func readTo(t *testing.T, r apitest.Response) []string {
	t.Helper()
	var out []string
	for _, x := range r.Results(t) {
		from, _ := x["from"].(map[string]any)
		to, _ := x["to"].([]any)
		for _, y := range to {
			m, _ := y.(map[string]any)
			out = append(out, fmt.Sprint(from["id"], ">", m["id"], ":", m["type"]))
		}
	}
	return out
}

func errorsOf(t *testing.T, r apitest.Response) []map[string]any {
	t.Helper()
	raw, _ := r.JSON(t)["errors"].([]any)
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i], _ = v.(map[string]any)
	}
	return out
}

func contextOf(e map[string]any, key string) string {
	ctx, _ := e["context"].(map[string]any)
	return fmt.Sprint(ctx[key])
}

// TestBatchLifecycle creates, reads and archives associations through the
// v3 batches, by type name and by type id, and reads them from v4's side
// of the store (the record embedding).
func TestBatchLifecycle(t *testing.T) {
	h := apitest.New(t, server.Config{})
	c1 := record(t, h, "contacts", `{"email":"a@example.com"}`)
	c2 := record(t, h, "contacts", `{"email":"b@example.com"}`)
	co := record(t, h, "companies", `{"name":"Acme"}`)
	const base = "/crm/v3/associations/contacts/companies/batch/"

	r := h.Do("POST", base+"create", tok, inputs(pair(c1, co, "contact_to_company"), pair(c2, co, "279")))
	r.Expect(t, 201)
	want := []string{
		c1 + ">" + co + ":contact_to_company", co + ">" + c1 + ":company_to_contact",
		c2 + ">" + co + ":contact_to_company_unlabeled", co + ">" + c2 + ":company_to_contact_unlabeled",
	}
	if got := triples(t, r); !slices.Equal(got, want) {
		t.Fatalf("create results %v, want %v", got, want)
	}
	// Re-sending is a no-op that answers the same.
	h.Do("POST", base+"create", tok, inputs(pair(c1, co, "contact_to_company"))).Expect(t, 201)

	r = h.Do("POST", base+"read", tok, inputs(`{"id":"`+c1+`"}`, `{"id":`+c2+`}`))
	r.Expect(t, 200)
	want = []string{c1 + ">" + co + ":contact_to_company", c1 + ">" + co + ":contact_to_company_unlabeled", c2 + ">" + co + ":contact_to_company_unlabeled"}
	if got := readTo(t, r); !slices.Equal(got, want) {
		t.Fatalf("read %v, want %v", got, want)
	}
	// From the company's side, with plural/singular/id spellings of the path.
	r = h.Do("POST", "/crm/v3/associations/0-2/contact/batch/read", tok, inputs(`{"id":"`+co+`"}`))
	r.Expect(t, 200)
	if got := readTo(t, r); len(got) != 3 {
		t.Fatalf("company read %v", got)
	}

	// Archiving the Primary label keeps the unlabeled type; archiving the
	// unlabeled type removes every type.
	h.Do("POST", base+"archive", tok, inputs(pair(c1, co, "contact_to_company"))).Expect(t, 204)
	r = h.Do("POST", base+"read", tok, inputs(`{"id":"`+c1+`"}`))
	if got := readTo(t, r); !slices.Equal(got, []string{c1 + ">" + co + ":contact_to_company_unlabeled"}) {
		t.Fatalf("after label archive %v", got)
	}
	h.Do("POST", base+"archive", tok, inputs(pair(c1, co, "contact_to_company_unlabeled"), pair(c1, "999999", "contact_to_company_unlabeled"))).Expect(t, 204)
	r = h.Do("POST", base+"read", tok, inputs(`{"id":"`+c1+`"}`, `{"id":"`+c2+`"}`))
	r.Expect(t, 207)
	errs := errorsOf(t, r)
	if len(errs) != 1 || errs[0]["category"] != "OBJECT_NOT_FOUND" || errs[0]["message"] != "No company is associated with contact "+c1+"." {
		t.Fatalf("read after archive: %s", r.Body)
	}
	if got := readTo(t, r); len(got) != 1 {
		t.Fatalf("c2 lost its association: %v", got)
	}
	// An archived record reads as one without associations.
	h.Do("DELETE", "/crm/v3/objects/contacts/"+c2, tok, "").Expect(t, 204)
	r = h.Do("POST", base+"read", tok, inputs(`{"id":"`+c2+`"}`))
	r.Expect(t, 207)
	if errs := errorsOf(t, r); len(errs) != 1 || errs[0]["message"] != "No company is associated with contact "+c2+"." {
		t.Fatalf("archived record: %s", r.Body)
	}
	// Every input without associations: still 207, empty results.
	r = h.Do("POST", base+"read", tok, inputs(`{"id":"`+c1+`"}`, `{"id":"999999"}`))
	r.Expect(t, 207)
	if len(r.Results(t)) != 0 || len(errorsOf(t, r)) != 2 {
		t.Fatalf("%s", r.Body)
	}
}

// TestBatchCreateRefusals: per-input errors with the store's context, the
// other inputs applied, in order, so a configured limit refuses the input
// that would pass it (HUBSPOT-RECORDS.md §4.3, §4.4).
func TestBatchCreateRefusals(t *testing.T) {
	h := apitest.New(t, server.Config{})
	deal := record(t, h, "deals", `{"dealname":"Big"}`)
	var contacts []string
	for i := range 3 {
		contacts = append(contacts, record(t, h, "contacts", fmt.Sprintf(`{"email":"c%d@example.com"}`, i)))
	}
	setLimit(t, h, "deals", "contacts", 3, 2)
	const base = "/crm/v3/associations/deals/contacts/batch/"
	r := h.Do("POST", base+"create", tok, inputs(
		pair(deal, contacts[0], "deal_to_contact"),
		pair(deal, contacts[1], "deal_to_contact"),
		pair(deal, contacts[2], "deal_to_contact"),
		pair(deal, "999999", "deal_to_contact"),
		pair(deal, contacts[0], "contact_to_deal"),
		pair(deal, contacts[0], "deal_to_company"),
	))
	r.Expect(t, 207)
	if got := triples(t, r); len(got) != 4 {
		t.Fatalf("results %v", got)
	}
	errs := errorsOf(t, r)
	if len(errs) != 4 {
		t.Fatalf("errors %s", r.Body)
	}
	checks := []struct{ key, want string }{
		{"ASSOCIATION_LIMIT_EXCEEDED", "[DEAL=" + deal + " may have at most 2 contact associations of type HUBSPOT_DEFINED=3]"},
		{"INVALID_OBJECT_IDS", "[CONTACT=999999 is not valid]"},
		{"associationSpec", "[contact_to_deal]"},
		{"INVALID_ASSOCIATION_TYPE_ID", "[deal_to_company is not a valid association definition id]"},
	}
	for i, c := range checks {
		if errs[i]["category"] != "VALIDATION_ERROR" || errs[i]["message"] != "One or more associations are invalid" || contextOf(errs[i], c.key) != c.want {
			t.Fatalf("error %d: %v", i, errs[i])
		}
	}
	// The limit also holds for the inverse direction's limit: contact 2 may
	// have one deal at most.
	deal2 := record(t, h, "deals", `{"dealname":"Other"}`)
	setLimit(t, h, "contacts", "deals", 4, 1)
	r = h.Do("POST", base+"create", tok, inputs(pair(deal2, contacts[0], "deal_to_contact")))
	r.Expect(t, 207)
	if errs := errorsOf(t, r); len(errs) != 1 || contextOf(errs[0], "objectType") != "[CONTACT]" {
		t.Fatalf("%s", r.Body)
	}
	// An unknown object type in the path is refused before any input.
	h.Do("POST", "/crm/v3/associations/deals/gadgets/batch/create", tok, inputs(pair(deal, contacts[0], "x"))).Expect(t, 400)
}

// TestBatchArchiveRefusesUnknownTypes: the archive answers 204 only, so a
// type it cannot understand refuses the whole call and removes nothing.
func TestBatchArchiveRefusesUnknownTypes(t *testing.T) {
	h := apitest.New(t, server.Config{})
	c := record(t, h, "contacts", `{"email":"a@example.com"}`)
	co := record(t, h, "companies", `{"name":"Acme"}`)
	const base = "/crm/v3/associations/contacts/companies/batch/"
	h.Do("POST", base+"create", tok, inputs(pair(c, co, "contact_to_company_unlabeled"))).Expect(t, 201)
	r := h.Do("POST", base+"archive", tok, inputs(pair(c, co, "contact_to_company_unlabeled"), pair(c, co, "nonsense")))
	r.Expect(t, 400)
	body := r.JSON(t)
	details, _ := body["errors"].([]any)
	if body["message"] != "One or more associations are invalid" || len(details) != 1 {
		t.Fatalf("%s", r.Body)
	}
	if d, _ := details[0].(map[string]any); d["in"] != "inputs[1]" || contextOf(d, "associationSpec") != "[nonsense]" {
		t.Fatalf("%s", r.Body)
	}
	if got := readTo(t, h.Do("POST", base+"read", tok, inputs(`{"id":"`+c+`"}`))); len(got) != 1 {
		t.Fatalf("refused archive removed %v", got)
	}
}

// TestOneAssociation drives PUT and DELETE of one association between two
// records, and their refusals.
func TestOneAssociation(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(t *testing.T, h *apitest.Harness, deal, company string)
		path    string // after /crm/v3/objects/deals/{deal}/associations/
		status  int
		context map[string]string
		want    []string // the deal's companies afterwards
	}{
		{name: "by name", path: "companies/{company}/deal_to_company_unlabeled", status: 200, want: []string{"{company}:deal_to_company_unlabeled"}},
		{name: "primary by name", path: "company/{company}/deal_to_company", status: 200, want: []string{"{company}:deal_to_company", "{company}:deal_to_company_unlabeled"}},
		{name: "by type id", path: "0-2/{company}/5", status: 200, want: []string{"{company}:deal_to_company", "{company}:deal_to_company_unlabeled"}},
		{name: "type of another pair", path: "companies/{company}/3", status: 400, context: map[string]string{"associationSpec": "[3]"}},
		{name: "unknown type name", path: "companies/{company}/deal_to_contact", status: 400, context: map[string]string{"INVALID_ASSOCIATION_TYPE_ID": "[deal_to_contact is not a valid association definition id]"}},
		{name: "unknown company", path: "companies/999999/deal_to_company_unlabeled", status: 400, context: map[string]string{"INVALID_OBJECT_IDS": "[COMPANY=999999 is not valid]"}},
		{name: "unknown object type", path: "gadgets/{company}/1", status: 400},
		{name: "over a configured limit", setup: func(t *testing.T, h *apitest.Harness, deal, _ string) {
			setLimit(t, h, "deals", "companies", 341, 1)
			other := record(t, h, "companies", `{"name":"Other"}`)
			h.Do("PUT", "/crm/v3/objects/deals/"+deal+"/associations/companies/"+other+"/deal_to_company_unlabeled", tok, "").Expect(t, 200)
		}, path: "companies/{company}/deal_to_company_unlabeled", status: 400, context: map[string]string{"objectType": "[DEAL]", "objectId": "[{deal}]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			deal := record(t, h, "deals", `{"dealname":"Big"}`)
			company := record(t, h, "companies", `{"name":"Acme"}`)
			if tc.setup != nil {
				tc.setup(t, h, deal, company)
			}
			fill := strings.NewReplacer("{company}", company, "{deal}", deal).Replace
			r := h.Do("PUT", "/crm/v3/objects/deals/"+deal+"/associations/"+fill(tc.path), tok, "")
			r.Expect(t, tc.status)
			body := r.JSON(t)
			if tc.status != 200 {
				for k, want := range tc.context {
					if got := contextOf(body, k); got != fill(want) {
						t.Fatalf("context %s = %s, want %s", k, got, fill(want))
					}
				}
				return
			}
			if body["id"] != deal || body["properties"] == nil {
				t.Fatalf("answer %s", r.Body)
			}
			var got []string
			assocs, _ := body["associations"].(map[string]any)
			list, _ := assocs["companies"].(map[string]any)
			results, _ := list["results"].([]any)
			for _, x := range results {
				m, _ := x.(map[string]any)
				got = append(got, fmt.Sprint(m["id"], ":", m["type"]))
			}
			var want []string
			for _, w := range tc.want {
				want = append(want, fill(w))
			}
			if !slices.Equal(got, want) {
				t.Fatalf("associations %v, want %v", got, want)
			}
			// DELETE of the unlabeled type removes every type, and again is 204.
			del := "/crm/v3/objects/deals/" + deal + "/associations/companies/" + company + "/deal_to_company_unlabeled"
			h.Do("DELETE", del, tok, "").Expect(t, 204)
			h.Do("DELETE", del, tok, "").Expect(t, 204)
			read := h.Do("GET", "/crm/v3/objects/deals/"+deal+"?associations=companies", tok, "")
			if _, ok := read.JSON(t)["associations"]; ok {
				t.Fatalf("after DELETE: %s", read.Body)
			}
			h.Do("DELETE", "/crm/v3/objects/deals/"+deal+"/associations/companies/"+company+"/nonsense", tok, "").Expect(t, 400)
		})
	}
}

// TestScopes: the v3 calls take the objects' scopes.
func TestScopes(t *testing.T) {
	h := apitest.New(t, server.Config{})
	h.Do("POST", "/crm/v3/associations/contacts/companies/batch/read", "", inputs(`{"id":"1"}`)).Expect(t, 401)
}
