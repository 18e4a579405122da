package crmobjects_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
)

// limitsPath is where the limits API configures deal/contact/company limits.
const limitsPath = "/crm/v4/associations/definitions/configurations/"

// setLimit configures a limit through the limits API.
func setLimit(t *testing.T, h *apitest.Harness, from, to string, typeID, max int) {
	t.Helper()
	body := fmt.Sprintf(`{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":%d,"maxToObjectIds":%d}]}`, typeID, max)
	h.Do("POST", limitsPath+from+"/"+to+"/batch/create", tok, body).Expect(t, 201)
}

// assocBody is an associations list of a create body.
func assocBody(to string, typeIDs ...int) string {
	var types []string
	for _, id := range typeIDs {
		types = append(types, fmt.Sprintf(`{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":%d}`, id))
	}
	return `{"to":{"id":"` + to + `"},"types":[` + strings.Join(types, ",") + `]}`
}

// embedded returns the id:type entries a record embeds under key.
func embedded(t *testing.T, rec map[string]any, key string) []string {
	t.Helper()
	assocs, _ := rec["associations"].(map[string]any)
	list, _ := assocs[key].(map[string]any)
	results, _ := list["results"].([]any)
	var out []string
	for _, r := range results {
		m, _ := r.(map[string]any)
		out = append(out, fmt.Sprint(m["id"], ":", m["type"]))
	}
	return out
}

// TestCreateWithAssociationsInEveryVersion creates records associated on
// creation and reads the associations back from both sides, embedded
// under the plural name with HubSpot's type names (HUBSPOT-RECORDS.md §5).
func TestCreateWithAssociationsInEveryVersion(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			company := create(t, h, vc.prefix+"/companies", `{"name":"Acme"}`)["id"].(string)
			deal := create(t, h, vc.prefix+"/deals", `{"dealname":"Big"}`)["id"].(string)

			r := h.Do("POST", vc.prefix+"/contacts", tok, `{"properties":{"email":"a@example.com"},"associations":[`+
				assocBody(company, 279, 1)+`,`+assocBody(deal, 4)+`]}`)
			r.Expect(t, 201)
			contact := r.JSON(t)
			if _, ok := contact["associations"]; ok {
				t.Fatalf("create answers associations: %s", r.Body)
			}
			id := contact["id"].(string)

			read := h.Do("GET", vc.prefix+"/contacts/"+id+"?associations=companies,deals&associations=tickets", tok, "")
			read.Expect(t, 200)
			body := read.JSON(t)
			if got, want := embedded(t, body, "companies"), []string{company + ":contact_to_company", company + ":contact_to_company_unlabeled"}; !slices.Equal(got, want) {
				t.Fatalf("companies = %v, want %v (%s)", got, want, read.Body)
			}
			if got, want := embedded(t, body, "deals"), []string{deal + ":contact_to_deal"}; !slices.Equal(got, want) {
				t.Fatalf("deals = %v, want %v", got, want)
			}
			if _, ok := body["associations"].(map[string]any)["tickets"]; ok {
				t.Fatalf("a type without associations is embedded: %s", read.Body)
			}

			// The other side, by type id and singular name.
			c := h.Do("GET", vc.prefix+"/companies/"+company+"?associations=0-1", tok, "")
			c.Expect(t, 200)
			if got, want := embedded(t, c.JSON(t), "contacts"), []string{id + ":company_to_contact", id + ":company_to_contact_unlabeled"}; !slices.Equal(got, want) {
				t.Fatalf("company's contacts = %v, want %v", got, want)
			}
			d := h.Do("GET", vc.prefix+"/deals?associations=contact", tok, "")
			d.Expect(t, 200)
			if got, want := embedded(t, d.Results(t)[0], "contacts"), []string{id + ":deal_to_contact"}; !slices.Equal(got, want) {
				t.Fatalf("deal's contacts = %v, want %v", got, want)
			}

			// Without the parameter nothing is embedded.
			if _, ok := h.Do("GET", vc.prefix+"/contacts/"+id, tok, "").JSON(t)["associations"]; ok {
				t.Fatal("a read without associations= embeds them")
			}
			// An archived partner disappears from the embedding.
			h.Do("DELETE", vc.prefix+"/deals/"+deal, tok, "").Expect(t, 204)
			if got := embedded(t, h.Do("GET", vc.prefix+"/contacts/"+id+"?associations=deals", tok, "").JSON(t), "deals"); got != nil {
				t.Fatalf("archived deal still embedded: %v", got)
			}
			// An archived record's associations are hidden from its reads too.
			h.Do("DELETE", vc.prefix+"/contacts/"+id, tok, "").Expect(t, 204)
			arch := h.Do("GET", vc.prefix+"/contacts/"+id+"?archived=true&associations=companies", tok, "")
			arch.Expect(t, 200)
			if _, ok := arch.JSON(t)["associations"]; ok {
				t.Fatalf("archived contact embeds associations: %s", arch.Body)
			}
			if got := h.Do("GET", vc.prefix+"/contacts?archived=true&associations=companies", tok, "").Results(t); len(got) != 1 || got[0]["associations"] != nil {
				t.Fatalf("archived list: %v", got)
			}
			if got := embedded(t, h.Do("GET", vc.prefix+"/companies/"+company+"?associations=contacts", tok, "").JSON(t), "contacts"); got != nil {
				t.Fatalf("company still embeds the archived contact: %v", got)
			}
		})
	}
}

// TestCreateWithAssociationsRefusals: every refused association fails the
// whole create with HubSpot's 400 and its context, and creates nothing.
func TestCreateWithAssociationsRefusals(t *testing.T) {
	cases := []struct {
		name string
		// setup runs first; it returns the associations of the create, given
		// the ids of two companies.
		setup   func(t *testing.T, h *apitest.Harness, c1, c2 string) string
		context map[string]string
	}{
		{"unknown company", func(*testing.T, *apitest.Harness, string, string) string { return assocBody("999999", 279) },
			map[string]string{"INVALID_OBJECT_IDS": "[COMPANY=999999 is not valid]", "objectId": "[999999]", "objectType": "[COMPANY]"}},
		{"archived company", func(t *testing.T, h *apitest.Harness, c1, _ string) string {
			h.Do("DELETE", "/crm/v3/objects/companies/"+c1, tok, "").Expect(t, 204)
			return assocBody(c1, 279)
		}, map[string]string{"objectType": "[COMPANY]"}},
		{"non-numeric id", func(*testing.T, *apitest.Harness, string, string) string { return assocBody("abc", 279) },
			map[string]string{"objectId": "[abc]"}},
		{"type of another pair", func(_ *testing.T, _ *apitest.Harness, c1, _ string) string { return assocBody(c1, 3) },
			map[string]string{"associationSpec": "[HUBSPOT_DEFINED=3]", "INVALID_ASSOCIATION_TYPE_ID": "[HUBSPOT_DEFINED=3 is not a valid association definition id]"}},
		{"wrong category", func(_ *testing.T, _ *apitest.Harness, c1, _ string) string {
			return `{"to":{"id":"` + c1 + `"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":279}]}`
		}, map[string]string{"associationSpec": "[USER_DEFINED=279]"}},
		{"one good, one bad", func(_ *testing.T, _ *apitest.Harness, c1, _ string) string {
			return assocBody(c1, 279) + `,` + assocBody("999999", 279)
		}, map[string]string{"objectId": "[999999]"}},
		{"over a contact's company limit", func(t *testing.T, h *apitest.Harness, c1, c2 string) string {
			setLimit(t, h, "contacts", "companies", 279, 1)
			return assocBody(c1, 279) + `,` + assocBody(c2, 279)
		}, map[string]string{"objectType": "[CONTACT]"}},
		{"over a company's contact limit (inverse direction)", func(t *testing.T, h *apitest.Harness, c1, _ string) string {
			setLimit(t, h, "companies", "contacts", 280, 1)
			r := h.Do("POST", "/crm/v3/objects/contacts", tok, `{"properties":{"email":"first@example.com"},"associations":[`+assocBody(c1, 279)+`]}`)
			r.Expect(t, 201)
			return assocBody(c1, 279)
		}, map[string]string{"objectId": "[" + "{c1}" + "]", "objectType": "[COMPANY]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			c1 := create(t, h, "/crm/v3/objects/companies", `{"name":"One"}`)["id"].(string)
			c2 := create(t, h, "/crm/v3/objects/companies", `{"name":"Two"}`)["id"].(string)
			assocs := tc.setup(t, h, c1, c2)
			before := count(t, h, "/crm/v3/objects/contacts")
			r := h.Do("POST", "/crm/v3/objects/contacts", tok, `{"properties":{"email":"new@example.com"},"associations":[`+assocs+`]}`)
			r.Expect(t, 400)
			body := r.JSON(t)
			if body["category"] != "VALIDATION_ERROR" || body["message"] != "One or more associations are invalid" {
				t.Fatalf("%s", r.Body)
			}
			for k, want := range tc.context {
				want = strings.ReplaceAll(want, "{c1}", c1)
				if got := contextOf(body, k); got != want {
					t.Fatalf("context %s = %s, want %s (%s)", k, got, want, r.Body)
				}
			}
			if n := count(t, h, "/crm/v3/objects/contacts"); n != before {
				t.Fatalf("a refused create left %d contacts, had %d", n, before)
			}
			// Nothing was associated with the existing companies either: at
			// most the contacts the setup associated.
			rec := h.Do("GET", "/crm/v3/objects/companies/"+c2+"?associations=contacts", tok, "")
			if rec.Status == 200 && len(embedded(t, rec.JSON(t), "contacts")) != 0 {
				t.Fatalf("company %s gained contacts: %s", c2, rec.Body)
			}
		})
	}
}

// TestLimitMessage names the record, the type and the limit.
func TestLimitMessage(t *testing.T) {
	h := apitest.New(t, server.Config{})
	c1 := create(t, h, "/crm/v3/objects/companies", `{"name":"One"}`)["id"].(string)
	c2 := create(t, h, "/crm/v3/objects/companies", `{"name":"Two"}`)["id"].(string)
	setLimit(t, h, "contacts", "companies", 279, 1)
	r := h.Do("POST", "/crm/v3/objects/contacts", tok, `{"properties":{},"associations":[`+assocBody(c1, 279)+`,`+assocBody(c2, 279)+`]}`)
	r.Expect(t, 400)
	got := contextOf(r.JSON(t), "ASSOCIATION_LIMIT_EXCEEDED")
	if !strings.Contains(got, "at most 1 company") || !strings.Contains(got, "HUBSPOT_DEFINED=279") {
		t.Fatalf("limit context %s", got)
	}
}

// TestBatchCreateWithAssociations: with trace ids an over-limit input is
// reported alone and the others are created; without, the call fails
// whole and nothing is stored.
func TestBatchCreateWithAssociations(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			for _, traced := range []bool{true, false} {
				h := apitest.New(t, server.Config{})
				company := create(t, h, vc.prefix+"/companies", `{"name":"Acme"}`)["id"].(string)
				setLimit(t, h, "companies", "contacts", 280, 2)
				var inputs []string
				for i := range 3 {
					trace := ""
					if traced {
						trace = fmt.Sprintf(`,"objectWriteTraceId":"t%d"`, i)
					}
					inputs = append(inputs, fmt.Sprintf(`{"properties":{"email":"p%d@example.com"},"associations":[%s]%s}`, i, assocBody(company, 279), trace))
				}
				r := h.Do("POST", vc.prefix+"/contacts/batch/create", tok, `{"inputs":[`+strings.Join(inputs, ",")+`]}`)
				if !traced {
					r.Expect(t, 400)
					body := r.JSON(t)
					if body["message"] != "One or more associations are invalid" || contextOf(body, "objectType") != "[COMPANY]" {
						t.Fatalf("%s", r.Body)
					}
					if n := count(t, h, vc.prefix+"/contacts"); n != 0 {
						t.Fatalf("refused batch stored %d contacts", n)
					}
					continue
				}
				r.Expect(t, partialStatus(vc, 201))
				if n := len(r.Results(t)); n != 2 {
					t.Fatalf("%d created: %s", n, r.Body)
				}
				errs := batchErrors(t, r.JSON(t))
				if len(errs) != 1 || contextOf(errs[0], "objectWriteTraceId") != "[t2]" || errs[0]["category"] != "VALIDATION_ERROR" ||
					!strings.Contains(contextOf(errs[0], "ASSOCIATION_LIMIT_EXCEEDED"), "at most 2 contact") {
					t.Fatalf("errors %v", errs)
				}
				if n := count(t, h, vc.prefix+"/contacts"); n != 2 {
					t.Fatalf("%d contacts", n)
				}
				got := embedded(t, h.Do("GET", vc.prefix+"/companies/"+company+"?associations=contacts", tok, "").JSON(t), "contacts")
				if len(got) != 2 {
					t.Fatalf("company's contacts %v", got)
				}
			}
		})
	}
}

// TestAssociationsParameter: spellings, unknown types and paging of the
// embedded list.
func TestAssociationsParameter(t *testing.T) {
	h := apitest.New(t, server.Config{})
	company := create(t, h, "/crm/v3/objects/companies", `{"name":"Acme"}`)["id"].(string)
	// 501 contacts of one company: batches of 100.
	for b := range 6 {
		var inputs []string
		for i := range min(100, 501-100*b) {
			inputs = append(inputs, fmt.Sprintf(`{"properties":{"email":"c%d-%d@example.com"},"associations":[%s]}`, b, i, assocBody(company, 279)))
		}
		h.Do("POST", "/crm/v3/objects/contacts/batch/create", tok, `{"inputs":[`+strings.Join(inputs, ",")+`]}`).Expect(t, 201)
	}
	cases := []struct {
		query   string
		status  int
		message string
		key     string
		n       int
		paged   bool
	}{
		{"associations=contacts", 200, "", "contacts", 500, true},
		{"associations=CONTACT", 200, "", "contacts", 500, true},
		{"associations=0-1,contacts", 200, "", "contacts", 500, true},
		{"associations=deals", 200, "", "", 0, false},
		{"associations=gadgets", 400, "Unable to infer object type from: gadgets", "", 0, false},
		{"associations=contacts&associations=gadgets", 400, "Unable to infer object type from: gadgets", "", 0, false},
		{"associations=2-999", 400, "Unable to infer object type from: 2-999", "", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			r := h.Do("GET", "/crm/v3/objects/companies/"+company+"?"+tc.query, tok, "")
			r.Expect(t, tc.status)
			body := r.JSON(t)
			if tc.status != 200 {
				if body["message"] != tc.message {
					t.Fatalf("%s", r.Body)
				}
				return
			}
			if tc.key == "" {
				if _, ok := body["associations"]; ok {
					t.Fatalf("%s", r.Body)
				}
				return
			}
			list := body["associations"].(map[string]any)[tc.key].(map[string]any)
			if n := len(list["results"].([]any)); n != tc.n {
				t.Fatalf("%d embedded", n)
			}
			if _, paged := list["paging"]; paged != tc.paged {
				t.Fatalf("paging %v", list["paging"])
			}
		})
	}
	// The list refuses an unknown type too.
	h.Do("GET", "/crm/v3/objects/companies?associations=gadgets", tok, "").Expect(t, 400)
}

// TestSearchByAssociation: associations.{type} filters find the records
// associated with the named ids, with the other filters, never through an
// archived partner (HUBSPOT-RECORDS.md §5.3).
func TestSearchByAssociation(t *testing.T) {
	h := apitest.New(t, server.Config{})
	const p = "/crm/v3/objects"
	c1 := create(t, h, p+"/companies", `{"name":"One"}`)["id"].(string)
	c2 := create(t, h, p+"/companies", `{"name":"Two"}`)["id"].(string)
	c3 := create(t, h, p+"/companies", `{"name":"Three"}`)["id"].(string)
	contact := func(email string, companies ...string) string {
		var as []string
		for _, c := range companies {
			as = append(as, assocBody(c, 279))
		}
		r := h.Do("POST", p+"/contacts", tok, `{"properties":{"email":"`+email+`"},"associations":[`+strings.Join(as, ",")+`]}`)
		r.Expect(t, 201)
		return r.JSON(t)["id"].(string)
	}
	a := contact("a@example.com", c1)
	b := contact("b@example.com", c1, c2)
	c := contact("c@example.com", c2)
	d := contact("d@example.com")
	archived := contact("e@example.com", c1)
	h.Do("DELETE", p+"/contacts/"+archived, tok, "").Expect(t, 204)
	h.Do("DELETE", p+"/companies/"+c3, tok, "").Expect(t, 204)

	filter := func(f string) string { return `{"filterGroups":[{"filters":[` + f + `]}]}` }
	cases := []struct {
		name   string
		body   string
		status int
		want   []string
	}{
		{"EQ", filter(`{"propertyName":"associations.company","operator":"EQ","value":"` + c1 + `"}`), 200, []string{a, b}},
		{"EQ number", filter(`{"propertyName":"associations.company","operator":"EQ","value":` + c2 + `}`), 200, []string{b, c}},
		{"plural and id spelling", filter(`{"propertyName":"associations.0-2","operator":"EQ","value":"` + c2 + `"}`), 200, []string{b, c}},
		{"IN", filter(`{"propertyName":"associations.companies","operator":"IN","values":["` + c1 + `","` + c2 + `"]}`), 200, []string{a, b, c}},
		{"NEQ", filter(`{"propertyName":"associations.company","operator":"NEQ","value":"` + c1 + `"}`), 200, []string{c, d}},
		{"NOT_IN", filter(`{"propertyName":"associations.company","operator":"NOT_IN","values":["` + c1 + `","` + c2 + `"]}`), 200, []string{d}},
		{"AND a property", filter(`{"propertyName":"associations.company","operator":"EQ","value":"` + c1 + `"},{"propertyName":"email","operator":"EQ","value":"b@example.com"}`), 200, []string{b}},
		{"AND two companies", filter(`{"propertyName":"associations.company","operator":"EQ","value":"` + c1 + `"},{"propertyName":"associations.company","operator":"EQ","value":"` + c2 + `"}`), 200, []string{b}},
		{"OR groups", `{"filterGroups":[{"filters":[{"propertyName":"associations.company","operator":"EQ","value":"` + c2 + `"}]},{"filters":[{"propertyName":"email","operator":"EQ","value":"d@example.com"}]}]}`, 200, []string{b, c, d}},
		{"archived partner", filter(`{"propertyName":"associations.company","operator":"EQ","value":"` + c3 + `"}`), 200, nil},
		{"unknown id", filter(`{"propertyName":"associations.company","operator":"EQ","value":"999999"}`), 200, nil},
		{"not an id", filter(`{"propertyName":"associations.company","operator":"EQ","value":"abc"}`), 200, nil},
		{"unknown type", filter(`{"propertyName":"associations.gadget","operator":"EQ","value":"1"}`), 400, nil},
		{"range operator", filter(`{"propertyName":"associations.company","operator":"GT","value":"1"}`), 400, nil},
		{"sort", `{"sorts":["associations.company"]}`, 400, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.Do("POST", p+"/contacts/search", tok, tc.body)
			r.Expect(t, tc.status)
			if tc.status != 200 {
				if r.JSON(t)["category"] != "VALIDATION_ERROR" {
					t.Fatalf("%s", r.Body)
				}
				return
			}
			got := ids(r.Results(t))
			if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Fatalf("found %v, want %v", got, tc.want)
			}
			if total := int(r.JSON(t)["total"].(float64)); total != len(tc.want) {
				t.Fatalf("total %d", total)
			}
		})
	}
}

// TestSearchByAssociationWithLag: a lagging search finds a record only once
// the lag has passed, by its associations as they are now.
func TestSearchByAssociationWithLag(t *testing.T) {
	const lag = 5 * time.Second
	h := apitest.New(t, server.Config{SearchLag: lag})
	company := create(t, h, "/crm/v3/objects/companies", `{"name":"Acme"}`)["id"].(string)
	r := h.Do("POST", lagPrefix, tok, `{"properties":{"email":"a@example.com","firstname":"Ada"},"associations":[`+assocBody(company, 279)+`]}`)
	r.Expect(t, 201)
	filter := `{"propertyName":"associations.company","operator":"EQ","value":"` + company + `"}`
	wantFound(t, h, "just created", filter)
	h.Clock.Advance(lag)
	wantFound(t, h, "after the lag", filter, "Ada")
}

// TestCreateWithLabel: a portal's label associates by USER_DEFINED typeId
// and is embedded under its internal name, from both sides.
func TestCreateWithLabel(t *testing.T) {
	h := apitest.New(t, server.Config{})
	r := h.Do("POST", "/crm/associations/v4/contacts/companies/labels", tok, `{"label":"Manager","inverseLabel":"Employer","name":"manager"}`)
	r.Expect(t, 200)
	created := r.Results(t)
	forward := int(created[0]["typeId"].(float64))
	company := create(t, h, "/crm/v3/objects/companies", `{"name":"Acme"}`)["id"].(string)
	r = h.Do("POST", "/crm/v3/objects/contacts", tok, fmt.Sprintf(`{"properties":{},"associations":[{"to":{"id":%q},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":%d}]}]}`, company, forward))
	r.Expect(t, 201)
	contact := r.JSON(t)["id"].(string)
	// Types come in typeId order, which depends on the label's id: compare
	// as sets.
	got := embedded(t, h.Do("GET", "/crm/v3/objects/contacts/"+contact+"?associations=companies", tok, "").JSON(t), "companies")
	slices.Sort(got)
	if want := []string{company + ":contact_to_company_unlabeled", company + ":manager"}; !slices.Equal(got, want) {
		t.Fatalf("contact's companies %v, want %v", got, want)
	}
	got = embedded(t, h.Do("GET", "/crm/v3/objects/companies/"+company+"?associations=contacts", tok, "").JSON(t), "contacts")
	slices.Sort(got)
	if want := []string{contact + ":company_to_contact_unlabeled", contact + ":manager"}; !slices.Equal(got, want) {
		t.Fatalf("company's contacts %v, want %v", got, want)
	}
}
