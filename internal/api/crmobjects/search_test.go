package crmobjects_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/server"
)

// values returns the given property of each result, in order.
func values(t *testing.T, r apitest.Response, property string) []string {
	t.Helper()
	var out []string
	for _, rec := range r.Results(t) {
		v, _ := props(t, rec)[property].(string)
		out = append(out, v)
	}
	return out
}

// searchCompanies creates three companies a minute apart in every version's
// harness and returns it with their ids.
func searchCompanies(t *testing.T, prefix string) (*apitest.Harness, []string) {
	t.Helper()
	h := apitest.New(t, server.Config{})
	var ids []string
	for _, p := range []string{
		`{"name":"Acme Corp","annualrevenue":"100","domain":"acme.com"}`,
		`{"name":"Beta Inc","annualrevenue":250,"domain":"beta.io"}`,
		`{"name":"Gamma","domain":"gamma.com"}`,
	} {
		ids = append(ids, create(t, h, prefix+"/companies", p)["id"].(string))
		h.Clock.Advance(time.Minute)
	}
	return h, ids
}

// TestSearchOperators runs every operator family over HTTP in every
// version; results come in creation order.
func TestSearchOperators(t *testing.T) {
	cases := []struct {
		name, filters string
		want          []string
	}{
		{"EQ is case-insensitive on text", `{"propertyName":"name","operator":"EQ","value":"acme corp"}`, []string{"Acme Corp"}},
		{"NEQ", `{"propertyName":"name","operator":"NEQ","value":"Gamma"}`, []string{"Acme Corp", "Beta Inc"}},
		{"LT", `{"propertyName":"annualrevenue","operator":"LT","value":"200"}`, []string{"Acme Corp"}},
		{"LTE", `{"propertyName":"annualrevenue","operator":"LTE","value":"250"}`, []string{"Acme Corp", "Beta Inc"}},
		{"GT with a JSON number", `{"propertyName":"annualrevenue","operator":"GT","value":100}`, []string{"Beta Inc"}},
		{"GTE", `{"propertyName":"annualrevenue","operator":"GTE","value":"100"}`, []string{"Acme Corp", "Beta Inc"}},
		{"BETWEEN", `{"propertyName":"annualrevenue","operator":"BETWEEN","value":"50","highValue":"150"}`, []string{"Acme Corp"}},
		{"IN", `{"propertyName":"name","operator":"IN","values":["beta inc","gamma"]}`, []string{"Beta Inc", "Gamma"}},
		{"NOT_IN", `{"propertyName":"name","operator":"NOT_IN","values":["gamma"]}`, []string{"Acme Corp", "Beta Inc"}},
		{"HAS_PROPERTY", `{"propertyName":"annualrevenue","operator":"HAS_PROPERTY"}`, []string{"Acme Corp", "Beta Inc"}},
		{"NOT_HAS_PROPERTY", `{"propertyName":"annualrevenue","operator":"NOT_HAS_PROPERTY"}`, []string{"Gamma"}},
		{"CONTAINS_TOKEN wildcard", `{"propertyName":"domain","operator":"CONTAINS_TOKEN","value":"*.com"}`, []string{"Acme Corp", "Gamma"}},
		{"NOT_CONTAINS_TOKEN", `{"propertyName":"name","operator":"NOT_CONTAINS_TOKEN","value":"corp"}`, []string{"Beta Inc", "Gamma"}},
		{"derived createdate", `{"propertyName":"createdate","operator":"GT","value":"2026-03-30T12:00:30Z"}`, []string{"Beta Inc", "Gamma"}},
		{"AND within a group", `{"propertyName":"domain","operator":"CONTAINS_TOKEN","value":"*.com"},{"propertyName":"annualrevenue","operator":"HAS_PROPERTY"}`, []string{"Acme Corp"}},
	}
	for _, vc := range versionCases {
		h, _ := searchCompanies(t, vc.prefix)
		for _, tc := range cases {
			t.Run(vc.name+"/"+tc.name, func(t *testing.T) {
				r := h.Do("POST", vc.prefix+"/companies/search", tok, `{"filterGroups":[{"filters":[`+tc.filters+`]}]}`)
				r.Expect(t, 200)
				if got := values(t, r, "name"); !slices.Equal(got, tc.want) {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
				if total := r.JSON(t)["total"]; total != float64(len(tc.want)) {
					t.Fatalf("total %v", total)
				}
			})
		}
	}
}

// TestSearchGroupsAndIDs: groups are alternatives; hs_object_id finds one
// record; an empty body finds every live record; archived ones never.
func TestSearchGroupsAndIDs(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h, ids := searchCompanies(t, vc.prefix)
			path := vc.prefix + "/companies/search"
			cases := []struct {
				body string
				want []string
			}{
				{`{"filterGroups":[{"filters":[{"propertyName":"name","operator":"EQ","value":"gamma"}]},{"filters":[{"propertyName":"annualrevenue","operator":"GT","value":"200"}]}]}`, []string{"Beta Inc", "Gamma"}},
				{`{"filterGroups":[{"filters":[{"propertyName":"hs_object_id","operator":"EQ","value":"` + ids[1] + `"}]}]}`, []string{"Beta Inc"}},
				{`{"filterGroups":[{"filters":[{"propertyName":"hs_object_id","operator":"EQ","value":"1"}]}]}`, nil},
				{`{}`, []string{"Acme Corp", "Beta Inc", "Gamma"}},
			}
			for _, tc := range cases {
				r := h.Do("POST", path, tok, tc.body)
				r.Expect(t, 200)
				if got := values(t, r, "name"); !slices.Equal(got, tc.want) {
					t.Errorf("%s: got %q, want %q", tc.body, got, tc.want)
				}
			}

			h.Do("DELETE", vc.prefix+"/companies/"+ids[1], tok, "").Expect(t, 204)
			for _, body := range []string{
				`{}`,
				`{"filterGroups":[{"filters":[{"propertyName":"hs_object_id","operator":"EQ","value":"` + ids[1] + `"}]}]}`,
				`{"query":"beta"}`,
			} {
				r := h.Do("POST", path, tok, body)
				if got := values(t, r, "name"); slices.Contains(got, "Beta Inc") {
					t.Errorf("%s found an archived record: %s", body, r.Body)
				}
			}
		})
	}
}

// TestSearchContacts: EQ on email (case-insensitive, served by the unique
// index), query, the properties returned, and enumerations.
func TestSearchContacts(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			base := vc.prefix + "/contacts"
			ada := create(t, h, base, `{"email":"ada@example.com","firstname":"Ada","lastname":"Lovelace"}`)
			create(t, h, base, `{"email":"alan@example.org","firstname":"Alan","lastname":"Turing","lifecyclestage":"customer"}`)
			path := base + "/search"

			r := h.Do("POST", path, tok, `{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"ADA@example.com"}]}]}`)
			r.Expect(t, 200)
			rs := r.Results(t)
			if len(rs) != 1 || rs[0]["id"] != ada["id"] {
				t.Fatalf("email EQ: %s", r.Body)
			}
			want := []string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"}
			if got := keys(props(t, rs[0])); !slices.Equal(got, want) {
				t.Errorf("default properties %q, want %q", got, want)
			}
			if rs[0]["createdAt"] != ada["createdAt"] || rs[0]["archived"] != false {
				t.Errorf("record %v", rs[0])
			}

			cases := []struct {
				body string
				want []string
			}{
				{`{"query":"lovelace"}`, []string{"Ada"}},
				{`{"query":"al tur"}`, []string{"Alan"}},
				{`{"query":"example"}`, []string{"Ada", "Alan"}},
				{`{"filterGroups":[{"filters":[{"propertyName":"lifecyclestage","operator":"EQ","value":"lead"}]}]}`, []string{"Ada"}},
				// Enumerations compare case-sensitively.
				{`{"filterGroups":[{"filters":[{"propertyName":"lifecyclestage","operator":"EQ","value":"LEAD"}]}]}`, nil},
			}
			for _, tc := range cases {
				r := h.Do("POST", path, tok, tc.body)
				r.Expect(t, 200)
				if got := values(t, r, "firstname"); !slices.Equal(got, tc.want) {
					t.Errorf("%s: got %q, want %q", tc.body, got, tc.want)
				}
			}

			r = h.Do("POST", path, tok, `{"query":"ada","properties":["lastname","nosuch"]}`)
			rs = r.Results(t)
			p := props(t, rs[0])
			want = []string{"createdate", "hs_object_id", "lastmodifieddate", "lastname"}
			if got := keys(p); !slices.Equal(got, want) || p["lastname"] != "Lovelace" {
				t.Errorf("requested properties %v, want keys %q", p, want)
			}
			r = h.Do("POST", path, tok, `{"query":"ada","properties":["phone"]}`)
			if p := props(t, r.Results(t)[0]); p["phone"] != nil {
				t.Errorf("phone without a value is %v, want null", p["phone"])
			}
		})
	}
}

// TestSearchPagingAndSort: total, pages of limit, paging.next.after only
// when more follow, the three spellings of a sort, and the 10,000 cap.
func TestSearchPagingAndSort(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			base := vc.prefix + "/companies"
			for i := range 25 {
				create(t, h, base, fmt.Sprintf(`{"name":"c%02d","annualrevenue":"%d"}`, i, (i*7)%25))
			}
			path := base + "/search"

			var got []string
			after := ""
			for pages := 0; ; pages++ {
				body := `{"limit":10}`
				if after != "" {
					body = `{"limit":10,"after":"` + after + `"}`
				}
				r := h.Do("POST", path, tok, body)
				r.Expect(t, 200)
				m := r.JSON(t)
				if m["total"] != float64(25) {
					t.Fatalf("total %v", m["total"])
				}
				got = append(got, values(t, r, "name")...)
				pg, ok := m["paging"].(map[string]any)
				if !ok {
					if pages != 2 {
						t.Fatalf("no paging after page %d", pages)
					}
					break
				}
				after = pg["next"].(map[string]any)["after"].(string)
				if want := fmt.Sprint(10 * (pages + 1)); after != want {
					t.Fatalf("after %q, want %q", after, want)
				}
			}
			if len(got) != 25 || got[0] != "c00" || got[24] != "c24" {
				t.Fatalf("pages %q", got)
			}
			if r := h.Do("POST", path, tok, `{}`); len(r.Results(t)) != 10 {
				t.Errorf("default page holds %d", len(r.Results(t)))
			}

			for _, sorts := range []string{`["annualrevenue"]`, `[{"propertyName":"annualrevenue","direction":"ASCENDING"}]`} {
				r := h.Do("POST", path, tok, `{"limit":3,"sorts":`+sorts+`}`)
				if got := values(t, r, "name"); !slices.Equal(got, []string{"c00", "c18", "c11"}) {
					t.Errorf("sorts %s: %q", sorts, got)
				}
			}
			for _, sorts := range []string{`["-annualrevenue"]`, `[{"propertyName":"annualrevenue","direction":"DESCENDING"}]`} {
				r := h.Do("POST", path, tok, `{"limit":2,"sorts":`+sorts+`}`)
				if got := values(t, r, "name"); !slices.Equal(got, []string{"c07", "c14"}) {
					t.Errorf("sorts %s: %q", sorts, got)
				}
			}

			r := h.Do("POST", path, tok, `{"after":"10000"}`)
			r.Expect(t, 400)
			if e := firstError(t, r); e["code"] != "RESULT_LIMIT_EXCEEDED" || e["in"] != "after" {
				t.Errorf("cap error %s", r.Body)
			}
		})
	}
}

func firstError(t *testing.T, r apitest.Response) map[string]any {
	t.Helper()
	m := r.JSON(t)
	if m["category"] != "VALIDATION_ERROR" {
		t.Errorf("category %v", m["category"])
	}
	errs, _ := m["errors"].([]any)
	if len(errs) == 0 {
		t.Fatalf("no errors: %s", r.Body)
	}
	e, _ := errs[0].(map[string]any)
	if e["message"] != m["message"] {
		t.Errorf("message %v, first error %v", m["message"], e["message"])
	}
	return e
}

// TestSearchValidation: HubSpot's limits and malformed filters answer 400
// VALIDATION_ERROR naming the rule broken and where.
func TestSearchValidation(t *testing.T) {
	filter := `{"propertyName":"name","operator":"HAS_PROPERTY"}`
	group := func(n int) string {
		return `{"filters":[` + strings.TrimSuffix(strings.Repeat(filter+",", n), ",") + `]}`
	}
	groups := func(n, each int) string {
		return `{"filterGroups":[` + strings.TrimSuffix(strings.Repeat(group(each)+",", n), ",") + `]}`
	}
	cases := []struct {
		name, body, code, in string
	}{
		{"six groups", groups(6, 1), "TOO_MANY_FILTER_GROUPS", "filterGroups"},
		{"seven filters in a group", groups(1, 7), "TOO_MANY_FILTERS_IN_GROUP", "filterGroups[0].filters"},
		{"nineteen filters", groups(4, 5), "TOO_MANY_FILTERS", "filterGroups"},
		{"limit over 200", `{"limit":201}`, "INVALID_LIMIT", "limit"},
		{"after not an offset", `{"after":"abc"}`, "INVALID_AFTER", "after"},
		{"query too long", `{"query":"` + strings.Repeat("a", 3001) + `"}`, "QUERY_TOO_LONG", "query"},
		{"two sorts", `{"sorts":["name","domain"]}`, "TOO_MANY_SORTS", "sorts"},
		{"EQ without value", `{"filterGroups":[{"filters":[{"propertyName":"name","operator":"EQ"}]}]}`, "MISSING_VALUE", "filterGroups[0].filters[0].value"},
		{"BETWEEN without highValue", `{"filterGroups":[{"filters":[{"propertyName":"name","operator":"BETWEEN","value":"a"}]}]}`, "MISSING_HIGH_VALUE", "filterGroups[0].filters[0].highValue"},
		{"unknown filter property", `{"filterGroups":[{"filters":[{"propertyName":"nosuch","operator":"EQ","value":"x"}]}]}`, "PROPERTY_DOESNT_EXIST", "filterGroups[0].filters[0].propertyName"},
		{"unknown sort property", `{"sorts":["-nosuch"]}`, "PROPERTY_DOESNT_EXIST", "sorts[0].propertyName"},
	}
	for _, vc := range versionCases {
		h := apitest.New(t, server.Config{})
		for _, tc := range cases {
			t.Run(vc.name+"/"+tc.name, func(t *testing.T) {
				r := h.Do("POST", vc.prefix+"/companies/search", tok, tc.body)
				r.Expect(t, 400)
				if e := firstError(t, r); e["code"] != tc.code || e["in"] != tc.in {
					t.Fatalf("error %v, want code %s in %s", e, tc.code, tc.in)
				}
			})
		}
		t.Run(vc.name+"/contract", func(t *testing.T) {
			// The operator enum and value types are the contract's to check.
			for _, body := range []string{
				`{"filterGroups":[{"filters":[{"propertyName":"name","operator":"LIKE","value":"a"}]}]}`,
				`{"filterGroups":[{"filters":[{"propertyName":"name","operator":"EQ","value":{"a":1}}]}]}`,
				`{"limit":"ten"}`,
				`{"sorts":[{"propertyName":"name","direction":"UP"}]}`,
				`[]`,
			} {
				r := h.Do("POST", vc.prefix+"/companies/search", tok, body)
				r.Expect(t, 400)
				if m := r.JSON(t); m["category"] != "VALIDATION_ERROR" {
					t.Errorf("%s: %s", body, r.Body)
				}
			}
		})
	}
}

// TestSearchUnknownObjectTypes: types without records answer as on lists.
func TestSearchUnknownObjectTypes(t *testing.T) {
	for _, vc := range versionCases {
		for _, typ := range []string{"products", "2-1234", "nosuch"} {
			t.Run(vc.name+"/"+typ, func(t *testing.T) {
				h := apitest.New(t, server.Config{})
				r := h.Do("POST", vc.prefix+"/"+typ+"/search", tok, `{}`)
				r.Expect(t, 400)
				if m := r.JSON(t)["message"]; m != "Unable to infer object type from: "+typ {
					t.Fatalf("message %v", m)
				}
			})
		}
	}
}

// TestSearchScopes: search is a read.
func TestSearchScopes(t *testing.T) {
	tokens, err := auth.ParseTokens([]byte(`{"tokens": [
  {"token": "pat-na1-reader", "portalId": 111, "scopes": ["crm.objects.contacts.read"]},
  {"token": "pat-na1-writer", "portalId": 111, "scopes": ["crm.objects.contacts.write"]}
]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, vc := range versionCases {
		h := apitest.New(t, server.Config{Authenticator: tokens})
		h.Do("POST", vc.prefix+"/contacts/search", "pat-na1-reader", `{}`).Expect(t, 200)
		h.Do("POST", vc.prefix+"/contacts/search", "pat-na1-writer", `{}`).Expect(t, 403)
	}
}

// TestSearchRateLimitExemption: search, alone of the family, is exempt from
// the ten-second window (HUBSPOT-RECORDS.md §1.1), though counted daily.
func TestSearchRateLimitExemption(t *testing.T) {
	for _, vc := range versionCases {
		h := apitest.New(t, server.Config{})
		list := h.Do("GET", vc.prefix+"/contacts", tok, "")
		found := h.Do("POST", vc.prefix+"/contacts/search", tok, `{}`)
		found.Expect(t, 200)
		if a, b := list.Header.Get("X-HubSpot-RateLimit-Remaining"), found.Header.Get("X-HubSpot-RateLimit-Remaining"); a == "" || a != b {
			t.Errorf("%s: ten-second remaining %q after a list, %q after a search", vc.name, a, b)
		}
		if a, b := list.Header.Get("X-HubSpot-RateLimit-Daily-Remaining"), found.Header.Get("X-HubSpot-RateLimit-Daily-Remaining"); a == b {
			t.Errorf("%s: a search is not counted daily (%q)", vc.name, a)
		}
	}
}
