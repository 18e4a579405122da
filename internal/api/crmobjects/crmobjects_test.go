package crmobjects_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/server"
)

// versionCase is one API version's prefix (HUBSPOT-RECORDS.md §1.1): every
// version answers O1–O5 with the same codes, so only the prefix differs.
type versionCase struct {
	name   string
	prefix string
}

var versionCases = []versionCase{
	{"v3", "/crm/v3/objects"},
	{"2025-09", "/crm/objects/2025-09"},
	{"2026-03", "/crm/objects/2026-03"},
	{"2026-09", "/crm/objects/2026-09"},
}

const tok = "pat-na1-objects"

var (
	digits   = regexp.MustCompile(`^[1-9][0-9]*$`)
	wireTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
)

// props returns the properties of a record body.
func props(t *testing.T, rec map[string]any) map[string]any {
	t.Helper()
	p, ok := rec["properties"].(map[string]any)
	if !ok {
		t.Fatalf("no properties: %v", rec)
	}
	return p
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// create creates a record and returns its body.
func create(t *testing.T, h *apitest.Harness, path, properties string) map[string]any {
	t.Helper()
	r := h.Do("POST", path, tok, `{"properties":`+properties+`}`)
	r.Expect(t, 201)
	return r.JSON(t)
}

// TestLifecycleInEveryVersion walks one contact through every operation in
// every version.
func TestLifecycleInEveryVersion(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			base := vc.prefix + "/contacts"

			rec := create(t, h, base, `{"email":"Ada@Example.com","firstname":"Ada"}`)
			id, _ := rec["id"].(string)
			if !digits.MatchString(id) {
				t.Fatalf("id %q is not a string of digits", rec["id"])
			}
			created := apitest.FrozenAt.Format("2006-01-02T15:04:05.000Z")
			p := props(t, rec)
			want := map[string]any{
				"email": "Ada@Example.com", "firstname": "Ada", "hs_object_id": id, "hs_all_contact_vids": id,
				"createdate": created, "lastmodifieddate": created, "lifecyclestage": "lead",
				"hs_email_domain": "example.com", "hs_object_source": "INTEGRATION",
			}
			for k, v := range want {
				if p[k] != v {
					t.Errorf("created %s = %v, want %v", k, p[k], v)
				}
			}
			if rec["createdAt"] != created || rec["updatedAt"] != created || rec["archived"] != false {
				t.Fatalf("created record: %s", rec)
			}
			if _, ok := rec["archivedAt"]; ok {
				t.Fatalf("live record has archivedAt: %v", rec)
			}

			// Read: the default properties, a null for the one without a value.
			r := h.Do("GET", base+"/"+id, tok, "")
			r.Expect(t, 200)
			p = props(t, r.JSON(t))
			if got := keys(p); !slices.Equal(got, []string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"}) {
				t.Fatalf("default properties %v", got)
			}
			if v, ok := p["lastname"]; !ok || v != nil {
				t.Fatalf("lastname = %v, %v; want null", v, ok)
			}

			// Named properties, repeated and comma-separated, plus the
			// always-added ones; unknown names are ignored.
			r = h.Do("GET", base+"/"+id+"?properties=firstname,nosuchproperty&properties=lifecyclestage", tok, "")
			r.Expect(t, 200)
			if got := keys(props(t, r.JSON(t))); !slices.Equal(got, []string{"createdate", "firstname", "hs_object_id", "lastmodifieddate", "lifecyclestage"}) {
				t.Fatalf("named properties %v", got)
			}

			// By email, in any case, with or without percent-encoding.
			for _, email := range []string{"ada@example.COM", "ada%40example.com", url.PathEscape("Ada@Example.com")} {
				r = h.Do("GET", base+"/"+email+"?idProperty=email", tok, "")
				r.Expect(t, 200)
				if r.JSON(t)["id"] != id {
					t.Fatalf("read by email %s: %s", email, r.Body)
				}
			}

			// Update: the defaults plus what was written; updatedAt moves.
			h.Clock.Advance(time.Second)
			updated := h.Clock.Now().Format("2006-01-02T15:04:05.000Z")
			r = h.Do("PATCH", base+"/"+id, tok, `{"properties":{"firstname":"Augusta","phone":"+44 20 1234"}}`)
			r.Expect(t, 200)
			rec = r.JSON(t)
			p = props(t, rec)
			if got := keys(p); !slices.Equal(got, []string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname", "phone"}) {
				t.Fatalf("update answers %v", got)
			}
			if p["firstname"] != "Augusta" || p["lastmodifieddate"] != updated || rec["updatedAt"] != updated || rec["createdAt"] != created {
				t.Fatalf("updated record: %s", r.Body)
			}

			// History, newest first.
			r = h.Do("GET", base+"/"+id+"?propertiesWithHistory=firstname,createdate", tok, "")
			r.Expect(t, 200)
			hist := r.JSON(t)["propertiesWithHistory"].(map[string]any)
			fn := hist["firstname"].([]any)
			if len(fn) != 2 || fn[0].(map[string]any)["value"] != "Augusta" || fn[1].(map[string]any)["value"] != "Ada" ||
				fn[0].(map[string]any)["timestamp"] != updated || fn[0].(map[string]any)["sourceType"] != "INTEGRATION" {
				t.Fatalf("firstname history %v", fn)
			}
			if cd := hist["createdate"].([]any); len(cd) != 1 || cd[0].(map[string]any)["value"] != created {
				t.Fatalf("createdate history %v", cd)
			}

			// Archive, twice: both 204.
			h.Clock.Advance(time.Second)
			archivedAt := h.Clock.Now().Format("2006-01-02T15:04:05.000Z")
			h.Do("DELETE", base+"/"+id, tok, "").Expect(t, 204)
			h.Do("DELETE", base+"/"+id, tok, "").Expect(t, 204)
			h.Do("GET", base+"/"+id, tok, "").Expect(t, 404)
			h.Do("PATCH", base+"/"+id, tok, `{"properties":{"firstname":"X"}}`).Expect(t, 404)
			r = h.Do("GET", base+"/"+id+"?archived=true", tok, "")
			r.Expect(t, 200)
			if rec = r.JSON(t); rec["archived"] != true || rec["archivedAt"] != archivedAt {
				t.Fatalf("archived record: %s", r.Body)
			}
			if n := len(h.Do("GET", base, tok, "").Results(t)); n != 0 {
				t.Fatalf("list holds %d records after archiving", n)
			}
			if rs := h.Do("GET", base+"?archived=true", tok, "").Results(t); len(rs) != 1 || rs[0]["id"] != id {
				t.Fatalf("archived list %v", rs)
			}
		})
	}
}

// TestTypeSpellings: every spelling of a type reaches the same records.
func TestTypeSpellings(t *testing.T) {
	cases := []struct {
		create, read []string
		props        string
		defaults     []string
	}{
		{[]string{"contacts"}, []string{"0-1", "contact", "CONTACT", "Contacts"}, `{"email":"a@b.io"}`,
			[]string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"}},
		{[]string{"0-2"}, []string{"companies", "company", "COMPANY"}, `{"name":"Acme","domain":"acme.io"}`,
			[]string{"createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"}},
		{[]string{"DEALS"}, []string{"0-3", "deal", "deals"}, `{"dealname":"Big","amount":1500.5}`,
			[]string{"amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"}},
		{[]string{"ticket"}, []string{"0-5", "tickets", "TICKETS"}, `{"subject":"Broken","hs_pipeline_stage":"1"}`,
			[]string{"content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject"}},
	}
	for _, vc := range versionCases {
		for _, tc := range cases {
			t.Run(vc.name+"/"+tc.read[0], func(t *testing.T) {
				h := apitest.New(t, server.Config{})
				id := create(t, h, vc.prefix+"/"+tc.create[0], tc.props)["id"].(string)
				for _, s := range tc.read {
					r := h.Do("GET", vc.prefix+"/"+s+"/"+id, tok, "")
					r.Expect(t, 200)
					p := props(t, r.JSON(t))
					if got := keys(p); !slices.Equal(got, tc.defaults) {
						t.Fatalf("%s defaults %v, want %v", s, got, tc.defaults)
					}
					if p["hs_object_id"] != id {
						t.Fatalf("hs_object_id %v, want %s", p["hs_object_id"], id)
					}
				}
			})
		}
	}
}

// TestCreatedValues: numbers become text, a stage fills in its pipeline,
// mirrored properties follow the type.
func TestCreatedValues(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			deal := create(t, h, vc.prefix+"/deals", `{"dealname":"Big","amount":1500.5,"dealstage":"qualifiedtobuy"}`)
			p := props(t, deal)
			if p["amount"] != "1500.5" || p["pipeline"] != "default" || p["hs_createdate"] != p["createdate"] || p["hs_is_closed_won"] != "false" {
				t.Fatalf("deal %v", p)
			}
			ticket := create(t, h, vc.prefix+"/tickets", `{"subject":"Broken","hs_pipeline_stage":"1"}`)
			if p := props(t, ticket); p["hs_pipeline"] != "0" || p["hs_ticket_id"] != ticket["id"] {
				t.Fatalf("ticket %v", p)
			}
			if deal["id"] == ticket["id"] {
				t.Fatalf("deal and ticket share id %v", deal["id"])
			}
		})
	}
}

// valueError is one item of the list inside "Property values were not
// valid: [...]".
type valueError struct {
	IsValid               bool   `json:"isValid"`
	Message               string `json:"message"`
	Error                 string `json:"error"`
	Name                  string `json:"name"`
	LocalizedErrorMessage string `json:"localizedErrorMessage"`
	PortalID              int64  `json:"portalId"`
}

// TestInvalidValues: rejected values answer HubSpot's 400 listing each,
// on create and update, and store nothing.
func TestInvalidValues(t *testing.T) {
	cases := []struct {
		name, objectType, props string
		want                    []valueError // Name, Error and Message
	}{
		{"unknown property", "contacts", `{"testproperty":"x"}`,
			[]valueError{{Name: "testproperty", Error: "PROPERTY_DOESNT_EXIST", Message: `Property "testproperty" does not exist`}}},
		{"bad email", "contacts", `{"email":"not-an-email"}`,
			[]valueError{{Name: "email", Error: "INVALID_EMAIL", Message: "Email address not-an-email is invalid"}}},
		{"read-only", "contacts", `{"createdate":"2026-01-01T00:00:00Z"}`,
			[]valueError{{Name: "createdate", Error: "READ_ONLY_VALUE", Message: "createdate is a read only property; its value cannot be set."}}},
		{"several, sorted by name", "contacts", `{"zzz":"1","email":"x","aaa":"2"}`,
			[]valueError{
				{Name: "aaa", Error: "PROPERTY_DOESNT_EXIST", Message: `Property "aaa" does not exist`},
				{Name: "email", Error: "INVALID_EMAIL", Message: "Email address x is invalid"},
				{Name: "zzz", Error: "PROPERTY_DOESNT_EXIST", Message: `Property "zzz" does not exist`},
			}},
		{"bad option", "deals", `{"dealstage":"nosuchstage"}`,
			[]valueError{{Name: "dealstage", Error: "INVALID_OPTION"}}},
	}
	for _, vc := range versionCases {
		for _, tc := range cases {
			t.Run(vc.name+"/"+tc.name, func(t *testing.T) {
				h := apitest.New(t, server.Config{})
				path := vc.prefix + "/" + tc.objectType
				existing := create(t, h, path, `{}`)["id"].(string)
				for _, call := range []struct{ method, path string }{{"POST", path}, {"PATCH", path + "/" + existing}} {
					r := h.Do(call.method, call.path, tok, `{"properties":`+tc.props+`}`)
					r.Expect(t, 400)
					body := r.JSON(t)
					msg, _ := body["message"].(string)
					list, ok := strings.CutPrefix(msg, "Property values were not valid: ")
					if !ok || body["category"] != "VALIDATION_ERROR" {
						t.Fatalf("%s: %s", call.method, r.Body)
					}
					var items []valueError
					if err := json.Unmarshal([]byte(list), &items); err != nil {
						t.Fatalf("message list: %v: %s", err, list)
					}
					errs, _ := body["errors"].([]any)
					if len(items) != len(tc.want) || len(errs) != len(tc.want) {
						t.Fatalf("%s: %d items, %d errors, want %d: %s", call.method, len(items), len(errs), len(tc.want), r.Body)
					}
					for i, w := range tc.want {
						it := items[i]
						if it.IsValid || it.Name != w.Name || it.Error != w.Error || it.LocalizedErrorMessage != it.Message || it.PortalID <= 0 ||
							(w.Message != "" && it.Message != w.Message) {
							t.Fatalf("item %d = %+v, want %+v", i, it, w)
						}
						e := errs[i].(map[string]any)
						ctx, _ := e["context"].(map[string]any)
						if e["code"] != w.Error || e["message"] != it.Message || fmt.Sprint(ctx["propertyName"]) != "["+w.Name+"]" {
							t.Fatalf("errors[%d] = %v", i, e)
						}
					}
				}
				if n := len(h.Do("GET", path, tok, "").Results(t)); n != 1 {
					t.Fatalf("%d records after refused writes", n)
				}
			})
		}
	}
}

// TestEmailConflict: a second contact with the same email (any case) is a
// 409 naming the first, on create and on update; archiving frees it.
func TestEmailConflict(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			path := vc.prefix + "/contacts"
			first := create(t, h, path, `{"email":"dup@example.com"}`)["id"].(string)
			second := create(t, h, path, `{"email":"other@example.com"}`)["id"].(string)
			for _, call := range []struct{ method, path string }{{"POST", path}, {"PATCH", path + "/" + second}} {
				r := h.Do(call.method, call.path, tok, `{"properties":{"email":"DUP@example.com"}}`)
				r.Expect(t, 409)
				body := r.JSON(t)
				if body["message"] != "Contact already exists. Existing ID: "+first || body["category"] != "CONFLICT" {
					t.Fatalf("%s: %s", call.method, r.Body)
				}
				if _, ok := body["errors"]; ok {
					t.Fatalf("%s: conflict carries errors: %s", call.method, r.Body)
				}
			}
			h.Do("DELETE", path+"/"+first, tok, "").Expect(t, 204)
			create(t, h, path, `{"email":"dup@example.com"}`)
		})
	}
}

// TestNotFound: HubSpot's 404s for ids that name no live record.
func TestNotFound(t *testing.T) {
	cases := []struct {
		name, method, path, body, message, id string
	}{
		{"non-numeric id", "GET", "/contacts/abc", "", "Object not found.  objectId are usually numeric.", "abc"},
		{"non-numeric id on update", "PATCH", "/contacts/abc", `{"properties":{}}`, "Object not found.  objectId are usually numeric.", "abc"},
		{"non-numeric id on archive", "DELETE", "/contacts/abc", "", "Object not found.  objectId are usually numeric.", "abc"},
		{"unknown id", "GET", "/contacts/123", "", "Object not found", "123"},
		{"unknown id on update", "PATCH", "/deals/123", `{"properties":{"dealname":"x"}}`, "Object not found", "123"},
		{"unknown email", "GET", "/contacts/nobody@example.com?idProperty=email", "", "Object not found", "nobody@example.com"},
		{"unknown email on update", "PATCH", "/contacts/nobody@example.com?idProperty=email", `{"properties":{}}`, "Object not found", "nobody@example.com"},
		{"live record asked as archived", "GET", "/contacts/{live}?archived=true", "", "Object not found", "{live}"},
	}
	for _, vc := range versionCases {
		for _, tc := range cases {
			t.Run(vc.name+"/"+tc.name, func(t *testing.T) {
				h := apitest.New(t, server.Config{})
				live := create(t, h, vc.prefix+"/contacts", `{"email":"live@example.com"}`)["id"].(string)
				path := strings.ReplaceAll(tc.path, "{live}", live)
				r := h.Do(tc.method, vc.prefix+path, tok, tc.body)
				r.Expect(t, 404)
				body := r.JSON(t)
				ctx, _ := body["context"].(map[string]any)
				if body["message"] != tc.message || body["category"] != "OBJECT_NOT_FOUND" || fmt.Sprint(ctx["id"]) != "["+strings.ReplaceAll(tc.id, "{live}", live)+"]" {
					t.Fatalf("%s", r.Body)
				}
			})
		}
	}
}

// TestUnknownObjectTypes: a type mockhub keeps no records for is refused as
// HubSpot refuses a type it cannot infer.
func TestUnknownObjectTypes(t *testing.T) {
	for _, vc := range versionCases {
		for _, typ := range []string{"products", "2-1234", "nosuch"} {
			t.Run(vc.name+"/"+typ, func(t *testing.T) {
				h := apitest.New(t, server.Config{})
				r := h.Do("GET", vc.prefix+"/"+typ, tok, "")
				r.Expect(t, 400)
				if m := r.JSON(t)["message"]; m != "Unable to infer object type from: "+typ {
					t.Fatalf("message %v", m)
				}
			})
		}
	}
}

// TestListPaging: pages in creation order, the cursor of the next page and
// its link, the default and largest page sizes.
func TestListPaging(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			path := vc.prefix + "/companies"
			var ids []string
			for i := range 101 {
				ids = append(ids, create(t, h, path, fmt.Sprintf(`{"name":"c%d"}`, i))["id"].(string))
			}

			r := h.Do("GET", path, tok, "")
			r.Expect(t, 200)
			if n := len(r.Results(t)); n != 10 {
				t.Fatalf("default page holds %d", n)
			}
			r = h.Do("GET", path+"?limit=1000", tok, "")
			if n := len(r.Results(t)); n != 100 {
				t.Fatalf("limit=1000 page holds %d", n)
			}
			r = h.Do("GET", path+"?limit=1000&propertiesWithHistory=name", tok, "")
			if n := len(r.Results(t)); n != 50 {
				t.Fatalf("history page holds %d", n)
			}

			r = h.Do("GET", path+"?limit=2&properties=name", tok, "")
			rs := r.Results(t)
			next := r.JSON(t)["paging"].(map[string]any)["next"].(map[string]any)
			if rs[0]["id"] != ids[0] || rs[1]["id"] != ids[1] || next["after"] != ids[2] {
				t.Fatalf("first page: %s", r.Body)
			}
			if want := path + "?after=" + ids[2] + "&limit=2&properties=name"; next["link"] != want {
				t.Fatalf("link %v, want %s", next["link"], want)
			}
			r = h.Do("GET", next["link"].(string), tok, "")
			if rs := r.Results(t); rs[0]["id"] != ids[2] || props(t, rs[0])["name"] != "c2" {
				t.Fatalf("second page: %s", r.Body)
			}

			r = h.Do("GET", path+"?limit=5&after="+ids[98], tok, "")
			if rs := r.Results(t); len(rs) != 3 || rs[2]["id"] != ids[100] {
				t.Fatalf("last page: %s", r.Body)
			}
			if _, ok := r.JSON(t)["paging"]; ok {
				t.Fatalf("last page has paging: %s", r.Body)
			}
		})
	}
}

// TestNullClears: null and "" clear a value on update.
func TestNullClears(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			path := vc.prefix + "/contacts"
			id := create(t, h, path, `{"firstname":"Ada","lastname":"Lovelace"}`)["id"].(string)
			r := h.Do("PATCH", path+"/"+id, tok, `{"properties":{"firstname":null,"lastname":""}}`)
			r.Expect(t, 200)
			p := props(t, r.JSON(t))
			if v, ok := p["firstname"]; !ok || v != nil {
				t.Fatalf("firstname %v", p)
			}
			if v, ok := p["lastname"]; !ok || v != nil {
				t.Fatalf("lastname %v", p)
			}
		})
	}
}

// TestMalformedBodies: bodies the contract refuses, before any rule runs.
func TestMalformedBodies(t *testing.T) {
	bodies := []string{
		`{}`,
		`{"properties":{"firstname":{"a":1}}}`,
		`{"properties":{"firstname":["Ada"]}}`,
		`{"properties":"firstname=Ada"}`,
	}
	for _, vc := range versionCases {
		for i, body := range bodies {
			t.Run(fmt.Sprintf("%s/%d", vc.name, i), func(t *testing.T) {
				h := apitest.New(t, server.Config{})
				path := vc.prefix + "/contacts"
				id := create(t, h, path, `{"firstname":"Ada"}`)["id"].(string)
				for _, call := range []struct{ method, path string }{{"POST", path}, {"PATCH", path + "/" + id}} {
					r := h.Do(call.method, call.path, tok, body)
					r.Expect(t, 400)
					if c := r.JSON(t)["category"]; c != "VALIDATION_ERROR" {
						t.Fatalf("category %v", c)
					}
				}
				if n := len(h.Do("GET", path, tok, "").Results(t)); n != 1 {
					t.Fatalf("%d records", n)
				}
			})
		}
	}
}

// TestScopes: reads take a read scope, writes a write scope, in every
// version (the legacy tickets scope does both).
func TestScopes(t *testing.T) {
	tokens, err := auth.ParseTokens([]byte(`{"tokens": [
  {"token": "pat-na1-reader", "portalId": 111, "scopes": ["crm.objects.contacts.read"]},
  {"token": "pat-na1-writer", "portalId": 111, "scopes": ["crm.objects.deals.write"]},
  {"token": "pat-na1-tickets", "portalId": 111, "scopes": ["tickets"]},
  {"token": "pat-na1-files", "portalId": 111, "scopes": ["files"]}
]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		token             string
		read, write, drop int
	}{
		{"pat-na1-reader", 200, 403, 403},
		{"pat-na1-writer", 403, 201, 204},
		{"pat-na1-tickets", 200, 201, 204},
		{"pat-na1-files", 403, 403, 403},
	}
	for _, vc := range versionCases {
		for _, tc := range cases {
			t.Run(vc.name+"/"+tc.token, func(t *testing.T) {
				h := apitest.New(t, server.Config{Authenticator: tokens})
				path := vc.prefix + "/contacts"
				h.Do("GET", path, tc.token, "").Expect(t, tc.read)
				h.Do("POST", path, tc.token, `{"properties":{}}`).Expect(t, tc.write)
				h.Do("DELETE", path+"/1", tc.token, "").Expect(t, tc.drop)
			})
		}
	}
}
