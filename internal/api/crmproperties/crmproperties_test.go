package crmproperties_test

import (
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/server"
)

// prefixes are the versions' path prefixes: every version answers with the
// same codes, batches included.
var prefixes = []struct{ name, prefix string }{
	{"v3", "/crm/v3/properties"},
	{"2025-09", "/crm/properties/2025-09"},
	{"2026-03", "/crm/properties/2026-03"},
	{"2026-09", "/crm/properties/2026-09"},
}

const tok = "pat-na1-properties"

var wireNow = apitest.FrozenAt.Format("2006-01-02T15:04:05.000Z")

// foodGroup and food are a custom group and a custom property in it.
const (
	foodGroup = `{"name":"food","label":"Food"}`
	food      = `{"name":"favorite_food","label":"Favorite food","type":"string","fieldType":"text","groupName":"food"}`
	colour    = `{"name":"colour","label":"Colour","type":"enumeration","fieldType":"select","groupName":"food",
  "options":[{"label":"Red","value":"red","displayOrder":1,"description":"Like a fire truck"},{"label":"Blue","value":"blue","hidden":true}]}`
)

// errorOf checks an error answer's status, category and message.
func errorOf(t *testing.T, r apitest.Response, status int, category, message string) map[string]any {
	t.Helper()
	r.Expect(t, status)
	body := r.JSON(t)
	if body["category"] != category || body["message"] != message {
		t.Fatalf("error %v / %q, want %s / %q", body["category"], body["message"], category, message)
	}
	return body
}

// names returns the name of each item of a results list.
func names(items []map[string]any) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it["name"].(string))
	}
	return out
}

// TestLifecycleInEveryVersion walks a group and a property through every
// single-item operation in every version.
func TestLifecycleInEveryVersion(t *testing.T) {
	for _, vc := range prefixes {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			base := vc.prefix + "/contacts"

			// HubSpot's own properties, sorted by name.
			r := h.Do("GET", base, tok, "")
			r.Expect(t, 200)
			all := r.Results(t)
			if got := names(all); !sort.StringsAreSorted(got) || !slices.Contains(got, "email") {
				t.Fatalf("catalog properties %v", got)
			}
			// properties, locale and dataSensitivity are taken and ignored.
			r = h.Do("GET", base+"?properties=email&properties=firstname,lastname&locale=fr&dataSensitivity=non_sensitive", tok, "")
			r.Expect(t, 200)
			if got := names(r.Results(t)); !slices.Equal(got, names(all)) {
				t.Fatalf("a list with ignored parameters answered %v", got)
			}
			r = h.Do("GET", base+"/email", tok, "")
			r.Expect(t, 200)
			email := r.JSON(t)
			md, _ := email["modificationMetadata"].(map[string]any)
			if email["name"] != "email" || email["hubspotDefined"] != true || md["archivable"] != false || md["readOnlyDefinition"] != true {
				t.Fatalf("email: %v", email)
			}
			if _, ok := email["createdAt"]; ok {
				t.Fatalf("a catalog property nobody changed has createdAt: %v", email)
			}
			errorOf(t, h.Do("GET", base+"/nosuch", tok, ""), 404, "OBJECT_NOT_FOUND", "Unable to find property with name 'nosuch' for object type contact")

			// A group, then a property in it.
			r = h.Do("POST", base+"/groups", tok, foodGroup)
			r.Expect(t, 201)
			if g := r.JSON(t); g["name"] != "food" || g["label"] != "Food" || g["displayOrder"] != -1.0 || g["archived"] != false {
				t.Fatalf("group: %v", g)
			}
			errorOf(t, h.Do("POST", base+"/groups", tok, foodGroup), 409, "CONFLICT", "Property group named 'food' already exists.")
			r = h.Do("GET", base+"/groups", tok, "")
			r.Expect(t, 200)
			if got := names(r.Results(t)); !slices.Contains(got, "food") || !slices.Contains(got, "contactinformation") {
				t.Fatalf("groups %v", got)
			}
			h.Do("GET", base+"/groups/food", tok, "").Expect(t, 200)
			errorOf(t, h.Do("GET", base+"/groups/nosuch", tok, ""), 404, "OBJECT_NOT_FOUND", "Property group 'nosuch' does not exist for object type contact")

			r = h.Do("POST", base, tok, food)
			r.Expect(t, 201)
			p := r.JSON(t)
			want := map[string]any{
				"name": "favorite_food", "label": "Favorite food", "type": "string", "fieldType": "text",
				"groupName": "food", "description": "", "displayOrder": -1.0, "hidden": false, "formField": false,
				"hasUniqueValue": false, "archived": false, "createdAt": wireNow, "updatedAt": wireNow,
			}
			for k, v := range want {
				if p[k] != v {
					t.Errorf("created %s = %v, want %v", k, p[k], v)
				}
			}
			if opts, ok := p["options"].([]any); !ok || len(opts) != 0 {
				t.Errorf("options %v, want []", p["options"])
			}
			if _, ok := p["hubspotDefined"]; ok {
				t.Errorf("a custom property has hubspotDefined: %v", p)
			}
			if md, _ := p["modificationMetadata"].(map[string]any); md["archivable"] != true || md["readOnlyDefinition"] != false {
				t.Errorf("modificationMetadata %v", md)
			}
			errorOf(t, h.Do("POST", base, tok, food), 409, "CONFLICT", "Property named 'favorite_food' already exists.")

			// Read, list, update.
			r = h.Do("GET", base+"/favorite_food", tok, "")
			r.Expect(t, 200)
			if r.JSON(t)["label"] != "Favorite food" {
				t.Fatalf("read: %s", r.Body)
			}
			r = h.Do("GET", base, tok, "")
			if !slices.Contains(names(r.Results(t)), "favorite_food") {
				t.Fatal("list misses the new property")
			}
			h.Clock.Advance(time.Second)
			later := apitest.FrozenAt.Add(time.Second).Format("2006-01-02T15:04:05.000Z")
			r = h.Do("PATCH", base+"/favorite_food", tok, `{"label":"Favourite food","description":"What they eat"}`)
			r.Expect(t, 200)
			if p := r.JSON(t); p["label"] != "Favourite food" || p["description"] != "What they eat" || p["updatedAt"] != later || p["createdAt"] != wireNow {
				t.Fatalf("updated: %v", p)
			}
			r = h.Do("PATCH", base+"/favorite_food", tok, `{}`)
			r.Expect(t, 200)
			if p := r.JSON(t); p["label"] != "Favourite food" || p["updatedAt"] != later {
				t.Fatalf("empty update changed something: %v", p)
			}

			// Archive: gone from reads and the list, found with archived=true,
			// its name still taken; archiving again succeeds.
			h.Do("DELETE", base+"/favorite_food", tok, "").Expect(t, 204)
			errorOf(t, h.Do("GET", base+"/favorite_food", tok, ""), 404, "OBJECT_NOT_FOUND", "Unable to find property with name 'favorite_food' for object type contact")
			r = h.Do("GET", base+"/favorite_food?archived=true", tok, "")
			r.Expect(t, 200)
			if p := r.JSON(t); p["archived"] != true || p["archivedAt"] != later {
				t.Fatalf("archived read: %v", p)
			}
			r = h.Do("GET", base, tok, "")
			if slices.Contains(names(r.Results(t)), "favorite_food") {
				t.Fatal("list shows an archived property")
			}
			r = h.Do("GET", base+"?archived=true", tok, "")
			if got := names(r.Results(t)); !slices.Equal(got, []string{"favorite_food"}) {
				t.Fatalf("archived list %v", got)
			}
			h.Do("DELETE", base+"/favorite_food", tok, "").Expect(t, 204)
			errorOf(t, h.Do("PATCH", base+"/favorite_food", tok, `{"label":"x"}`), 404, "OBJECT_NOT_FOUND", "Unable to find property with name 'favorite_food' for object type contact")
			errorOf(t, h.Do("POST", base, tok, food), 409, "CONFLICT", "Property named 'favorite_food' already exists.")

			// HubSpot's own properties cannot be archived; unknown ones are not found.
			errorOf(t, h.Do("DELETE", base+"/email", tok, ""), 400, "VALIDATION_ERROR", "Property 'email' is defined by HubSpot and cannot be archived")
			errorOf(t, h.Do("DELETE", base+"/nosuch", tok, ""), 404, "OBJECT_NOT_FOUND", "Unable to find property with name 'nosuch' for object type contact")
		})
	}
}

// TestCreateRefusals: each bad definition is a 400 naming its field, and
// creates nothing.
func TestCreateRefusals(t *testing.T) {
	cases := []struct {
		name, body, in string
	}{
		{"no name", `{"label":"X","type":"string","fieldType":"text","groupName":"food"}`, "name"},
		{"bad type", `{"name":"x","label":"X","type":"text","fieldType":"text","groupName":"food"}`, "type"},
		{"bad fieldType", `{"name":"x","label":"X","type":"string","fieldType":"dropdown","groupName":"food"}`, "fieldType"},
		{"unknown group", `{"name":"x","label":"X","type":"string","fieldType":"text","groupName":"nosuch"}`, "groupName"},
		{"enumeration without options", `{"name":"x","label":"X","type":"enumeration","fieldType":"select","groupName":"food"}`, "options"},
		{"enumeration with no option", `{"name":"x","label":"X","type":"enumeration","fieldType":"select","groupName":"food","options":[]}`, "options"},
		{"option without value", `{"name":"x","label":"X","type":"enumeration","fieldType":"select","groupName":"food","options":[{"label":"A"}]}`, "options[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			h.Do("POST", "/crm/v3/properties/contacts/groups", tok, foodGroup).Expect(t, 201)
			r := h.Do("POST", "/crm/v3/properties/contacts", tok, tc.body)
			r.Expect(t, 400)
			body := r.JSON(t)
			errs, _ := body["errors"].([]any)
			found := false
			for _, e := range errs {
				// A field the contract requires is named in the message.
				d, _ := e.(map[string]any)
				in, _ := d["in"].(string)
				msg, _ := d["message"].(string)
				if strings.HasPrefix(in, tc.in) || strings.Contains(msg, "["+tc.in+"]") {
					found = true
				}
			}
			if body["category"] != "VALIDATION_ERROR" || !found {
				t.Fatalf("refusal does not name %s: %s", tc.in, r.Body)
			}
			h.Do("GET", "/crm/v3/properties/contacts/x", tok, "").Expect(t, 404)
		})
	}
}

// TestOptions: options keep their order, labels and hidden flags; an
// option without displayOrder comes after the others (-1). An update's
// options replace them all.
func TestOptions(t *testing.T) {
	h := apitest.New(t, server.Config{})
	h.Do("POST", "/crm/properties/2026-03/deals/groups", tok, foodGroup).Expect(t, 201)
	h.Do("POST", "/crm/properties/2026-03/deals", tok, colour).Expect(t, 201)
	// Read back: what the store kept, not what the create echoed.
	r := h.Do("GET", "/crm/properties/2026-03/deals/colour", tok, "")
	r.Expect(t, 200)
	opts := r.JSON(t)["options"].([]any)
	want := []map[string]any{
		{"label": "Red", "value": "red", "displayOrder": 1.0, "hidden": false, "description": "Like a fire truck"},
		{"label": "Blue", "value": "blue", "displayOrder": -1.0, "hidden": true},
	}
	if len(opts) != len(want) {
		t.Fatalf("options %v", opts)
	}
	for i, w := range want {
		o := opts[i].(map[string]any)
		for k, v := range w {
			if o[k] != v {
				t.Errorf("option %d %s = %v, want %v", i, k, o[k], v)
			}
		}
	}
	r = h.Do("PATCH", "/crm/properties/2026-03/deals/colour", tok, `{"options":[{"label":"Green","value":"green","displayOrder":0,"hidden":false}]}`)
	r.Expect(t, 200)
	if opts := r.JSON(t)["options"].([]any); len(opts) != 1 || opts[0].(map[string]any)["value"] != "green" {
		t.Fatalf("options after update %v", opts)
	}
	errorOf(t, h.Do("PATCH", "/crm/properties/2026-03/deals/colour", tok, `{"options":[]}`), 400, "VALIDATION_ERROR", "Enumeration properties need at least one option")
}

// TestUpdateRefusals: an update is checked like a create, against the
// property as it is.
func TestUpdateRefusals(t *testing.T) {
	h := apitest.New(t, server.Config{})
	base := "/crm/v3/properties/companies"
	h.Do("POST", base+"/groups", tok, foodGroup).Expect(t, 201)
	h.Do("POST", base, tok, food).Expect(t, 201)
	cases := []struct {
		name, body, in string
	}{
		{"unknown group", `{"groupName":"nosuch"}`, "groupName"},
		{"enumeration without options", `{"type":"enumeration","fieldType":"select"}`, "options"},
		{"bad type", `{"type":"colour"}`, "type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.Do("PATCH", base+"/favorite_food", tok, tc.body)
			r.Expect(t, 400)
			if !strings.Contains(string(r.Body), `"in":"`+tc.in) {
				t.Fatalf("refusal does not name %s: %s", tc.in, r.Body)
			}
		})
	}
	r := h.Do("GET", base+"/favorite_food", tok, "")
	if p := r.JSON(t); p["type"] != "string" || p["groupName"] != "food" {
		t.Fatalf("a refused update changed the property: %v", p)
	}
	r = h.Do("PATCH", base+"/favorite_food", tok, `{"type":"enumeration","fieldType":"radio","options":[{"label":"Pizza","value":"pizza"}]}`)
	r.Expect(t, 200)
	if p := r.JSON(t); p["type"] != "enumeration" || p["fieldType"] != "radio" {
		t.Fatalf("updated: %v", p)
	}
	errorOf(t, h.Do("PATCH", base+"/nosuch", tok, `{"label":"x"}`), 404, "OBJECT_NOT_FOUND", "Unable to find property with name 'nosuch' for object type company")
}

// TestBatches: batch read reports unknown names one by one (207), batch
// create creates what it can and reports the rest (207), batch archive
// succeeds for unknown and archived names and refuses HubSpot's own.
func TestBatches(t *testing.T) {
	for _, vc := range prefixes {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			base := vc.prefix + "/contacts"
			h.Do("POST", base+"/groups", tok, foodGroup).Expect(t, 201)

			r := h.Do("POST", base+"/batch/create", tok, `{"inputs":[`+food+`,`+colour+`]}`)
			r.Expect(t, 201)
			if got := names(r.Results(t)); !slices.Equal(got, []string{"favorite_food", "colour"}) {
				t.Fatalf("created %v", got)
			}
			if r.JSON(t)["status"] != "COMPLETE" {
				t.Fatalf("status: %s", r.Body)
			}

			// One new, one existing, one in an unknown group.
			r = h.Do("POST", base+"/batch/create", tok, `{"inputs":[
  {"name":"shoe_size","label":"Shoe size","type":"number","fieldType":"number","groupName":"food"},
  `+food+`,
  {"name":"pet","label":"Pet","type":"string","fieldType":"text","groupName":"nosuch"}]}`)
			r.Expect(t, 207)
			body := r.JSON(t)
			if got := names(r.Results(t)); !slices.Equal(got, []string{"shoe_size"}) {
				t.Fatalf("created %v", got)
			}
			errs := body["errors"].([]any)
			if len(errs) != 2 || body["numErrors"] != 2.0 {
				t.Fatalf("errors %v", errs)
			}
			first, second := errs[0].(map[string]any), errs[1].(map[string]any)
			if first["category"] != "CONFLICT" || first["message"] != "Property named 'favorite_food' already exists." {
				t.Errorf("conflict item %v", first)
			}
			if second["category"] != "VALIDATION_ERROR" || second["message"] != "Property group 'nosuch' does not exist for object type contact" {
				t.Errorf("validation item %v", second)
			}
			if ctx := second["context"].(map[string]any); !slices.Equal(ctx["name"].([]any), []any{"pet"}) {
				t.Errorf("context %v", ctx)
			}
			// Every input failing is reported too.
			r = h.Do("POST", base+"/batch/create", tok, `{"inputs":[`+food+`]}`)
			r.Expect(t, 207)

			r = h.Do("POST", base+"/batch/read", tok, `{"inputs":[{"name":"email"},{"name":"nosuch"},{"name":"colour"}]}`)
			r.Expect(t, 207)
			if got := names(r.Results(t)); !slices.Equal(got, []string{"email", "colour"}) {
				t.Fatalf("read %v", got)
			}
			errs = r.JSON(t)["errors"].([]any)
			if e := errs[0].(map[string]any); len(errs) != 1 || e["category"] != "OBJECT_NOT_FOUND" || e["message"] != "Unable to find property with name 'nosuch' for object type contact" {
				t.Fatalf("errors %v", errs)
			}
			r = h.Do("POST", base+"/batch/read", tok, `{"inputs":[{"name":"email"}],"archived":false,"dataSensitivity":"non_sensitive"}`)
			r.Expect(t, 200)

			// HubSpot's own property fails the whole archive; nothing is archived.
			errorOf(t, h.Do("POST", base+"/batch/archive", tok, `{"inputs":[{"name":"colour"},{"name":"email"}]}`), 400, "VALIDATION_ERROR", "Property 'email' is defined by HubSpot and cannot be archived")
			h.Do("GET", base+"/colour", tok, "").Expect(t, 200)
			h.Do("POST", base+"/batch/archive", tok, `{"inputs":[{"name":"colour"},{"name":"nosuch"},{"name":"colour"}]}`).Expect(t, 204)
			h.Do("GET", base+"/colour", tok, "").Expect(t, 404)

			r = h.Do("POST", base+"/batch/read", tok, `{"inputs":[{"name":"colour"},{"name":"favorite_food"}],"archived":true}`)
			r.Expect(t, 207)
			if got := names(r.Results(t)); !slices.Equal(got, []string{"colour"}) {
				t.Fatalf("archived read %v", got)
			}
		})
	}
}

// TestUnknownObjectType: a type the portal does not have is HubSpot's 400.
func TestUnknownObjectType(t *testing.T) {
	h := apitest.New(t, server.Config{})
	for _, path := range []string{"/crm/v3/properties/gadgets", "/crm/properties/2026-09/gadgets/groups"} {
		errorOf(t, h.Do("GET", path, tok, ""), 400, "VALIDATION_ERROR", "Unable to infer object type from: gadgets")
	}
}

// TestScopes: reads take a schema read scope or an object scope of the type,
// writes a schema write scope; the legacy tickets scope does both.
func TestScopes(t *testing.T) {
	tokens, err := auth.ParseTokens([]byte(`{"tokens": [
  {"token": "pat-na1-schema-reader", "portalId": 111, "scopes": ["crm.schemas.contacts.read"]},
  {"token": "pat-na1-object-reader", "portalId": 111, "scopes": ["crm.objects.deals.read"]},
  {"token": "pat-na1-schema-writer", "portalId": 111, "scopes": ["crm.schemas.companies.write"]},
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
		{"pat-na1-schema-reader", 200, 403, 403},
		{"pat-na1-object-reader", 200, 403, 403},
		{"pat-na1-schema-writer", 403, 201, 204},
		{"pat-na1-tickets", 200, 201, 204},
		{"pat-na1-files", 403, 403, 403},
	}
	for _, vc := range prefixes {
		for _, tc := range cases {
			t.Run(vc.name+"/"+tc.token, func(t *testing.T) {
				h := apitest.New(t, server.Config{Authenticator: tokens})
				base := vc.prefix + "/contacts"
				h.Do("GET", base, tc.token, "").Expect(t, tc.read)
				h.Do("POST", base+"/groups", tc.token, foodGroup).Expect(t, tc.write)
				h.Do("POST", base+"/batch/archive", tc.token, `{"inputs":[{"name":"nosuch"}]}`).Expect(t, tc.drop)
			})
		}
	}
}

func TestGroupUpdateAndArchive(t *testing.T) {
	for _, vc := range prefixes {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			groups := vc.prefix + "/contacts/groups"
			h.Do("POST", groups, tok, `{"name":"club","label":"Club"}`).Expect(t, 201)
			r := h.Do("PATCH", groups+"/club", tok, `{"label":"Members","displayOrder":4}`)
			r.Expect(t, 200)
			if b := r.JSON(t); b["label"] != "Members" || b["displayOrder"] != float64(4) {
				t.Fatalf("updated %s", r.Body)
			}
			h.Do("PATCH", groups+"/nope", tok, `{"label":"X"}`).Expect(t, 404)
			h.Do("PATCH", groups+"/club", tok, `{"label":""}`).Expect(t, 400)
			h.Do("POST", vc.prefix+"/contacts", tok, `{"name":"member_no","label":"Member","type":"string","fieldType":"text","groupName":"club"}`).Expect(t, 201)
			// A group live properties belong to stays; so do HubSpot's.
			h.Do("DELETE", groups+"/club", tok, "").Expect(t, 400)
			h.Do("DELETE", groups+"/contactinformation", tok, "").Expect(t, 400)
			h.Do("DELETE", groups+"/nope", tok, "").Expect(t, 404)
			h.Do("DELETE", vc.prefix+"/contacts/member_no", tok, "").Expect(t, 204)
			h.Do("DELETE", groups+"/club", tok, "").Expect(t, 204)
			h.Do("DELETE", groups+"/club", tok, "").Expect(t, 204)
			h.Do("GET", groups+"/club", tok, "").Expect(t, 404)
		})
	}
}
