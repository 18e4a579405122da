package crmschemas_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/server"
)

const tok = "pat-na1-schemas"

// prefixes are the spellings of the schemas API.
var prefixes = []struct{ name, prefix string }{
	{"v3", "/crm-object-schemas/v3/schemas"},
	{"v3 legacy", "/crm/v3/schemas"},
	{"2026-03", "/crm-object-schemas/2026-03/schemas"},
}

const carSchema = `{"name":"car","labels":{"singular":"Car","plural":"Cars"},"primaryDisplayProperty":"model",
 "requiredProperties":["model"],"searchableProperties":["model","vin"],"secondaryDisplayProperties":["year"],
 "properties":[{"name":"model","label":"Model","type":"string","fieldType":"text"},
  {"name":"year","label":"Year","type":"number","fieldType":"number"},
  {"name":"vin","label":"VIN","type":"string","fieldType":"text","hasUniqueValue":true}],
 "associatedObjects":["CONTACT","0-2"]}`

// errorOf checks an error's status, category and that its message holds
// part.
func errorOf(t *testing.T, r apitest.Response, status int, category, part string) map[string]any {
	t.Helper()
	r.Expect(t, status)
	body := r.JSON(t)
	if body["category"] != category || !strings.Contains(fmt.Sprint(body["message"]), part) {
		t.Fatalf("error %v / %q, want %s / %q", body["category"], body["message"], category, part)
	}
	return body
}

// TestSchemaLifecycle: a type created through the API is read by any of its
// names, listed, changed, serves records and associations at once, and is
// deleted once it has no records.
func TestSchemaLifecycle(t *testing.T) {
	for _, vc := range prefixes {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			r := h.Do("POST", vc.prefix, tok, carSchema)
			r.Expect(t, 201)
			b := r.JSON(t)
			portal, _ := h.Srv.PortalOf(tok)
			fqn := fmt.Sprintf("p%d_car", portal)
			if b["objectTypeId"] != "2-1" || b["id"] != "1" || b["fullyQualifiedName"] != fqn || b["name"] != "car" {
				t.Fatalf("created %s", r.Body)
			}
			assocs := b["associations"].([]any)
			if len(assocs) != 2 {
				t.Fatalf("associations %v", assocs)
			}
			first := assocs[0].(map[string]any)
			if first["fromObjectTypeId"] != "2-1" || first["toObjectTypeId"] != "0-1" || first["id"] == "" {
				t.Fatalf("association %v", first)
			}
			for _, spelling := range []string{"2-1", fqn, "car", "CAR"} {
				r := h.Do("GET", vc.prefix+"/"+spelling, tok, "")
				r.Expect(t, 200)
				if r.JSON(t)["objectTypeId"] != "2-1" {
					t.Fatalf("%s: %s", spelling, r.Body)
				}
			}
			if res := h.Do("GET", vc.prefix, tok, "").Results(t); len(res) != 1 || res[0]["name"] != "car" {
				t.Fatalf("list %v", res)
			}
			if res := h.Do("GET", vc.prefix+"?archived=true", tok, "").Results(t); len(res) != 0 {
				t.Fatalf("archived list %v", res)
			}
			errorOf(t, h.Do("POST", vc.prefix, tok, carSchema), 409, "CONFLICT", "'car' already exists")

			r = h.Do("PATCH", vc.prefix+"/car", tok, `{"labels":{"singular":"Auto"},"searchableProperties":["vin"]}`)
			r.Expect(t, 200)
			if b := r.JSON(t); b["labels"].(map[string]any)["singular"] != "Auto" || b["labels"].(map[string]any)["plural"] != "Cars" || fmt.Sprint(b["searchableProperties"]) != "[vin]" {
				t.Fatalf("updated %s", r.Body)
			}
			errorOf(t, h.Do("PATCH", vc.prefix+"/car", tok, `{"requiredProperties":["nope"]}`), 400, "VALIDATION_ERROR", "requiredProperties")

			// Records of the type, by id or fully qualified name,
			// associated with a contact by the pair's default type.
			r = h.Do("POST", "/crm/v3/objects/"+fqn, tok, `{"properties":{"model":"T","vin":"V1"}}`)
			r.Expect(t, 201)
			car := r.JSON(t)["id"].(string)
			r = h.Do("POST", "/crm/v3/objects/contacts", tok, `{"properties":{"email":"a@example.com"}}`)
			r.Expect(t, 201)
			contact := r.JSON(t)["id"].(string)
			h.Do("PUT", "/crm/v4/objects/2-1/"+car+"/associations/default/contacts/"+contact, tok, "").Expect(t, 200)
			errorOf(t, h.Do("DELETE", vc.prefix+"/car", tok, ""), 400, "VALIDATION_ERROR", "still has 1 records")
			errorOf(t, h.Do("DELETE", vc.prefix+"/car/associations/"+first["id"].(string), tok, ""), 400, "VALIDATION_ERROR", "used by records")

			// A new pair, then its removal.
			r = h.Do("POST", vc.prefix+"/car/associations", tok, `{"fromObjectTypeId":"2-1","toObjectTypeId":"0-5"}`)
			r.Expect(t, 201)
			pair := r.JSON(t)
			if pair["toObjectTypeId"] != "0-5" || pair["fromObjectTypeId"] != "2-1" {
				t.Fatalf("pair %v", pair)
			}
			h.Do("DELETE", vc.prefix+"/car/associations/"+pair["id"].(string), tok, "").Expect(t, 204)
			errorOf(t, h.Do("DELETE", vc.prefix+"/car/associations/"+pair["id"].(string), tok, ""), 404, "OBJECT_NOT_FOUND", "Unable to find association")
			errorOf(t, h.Do("DELETE", vc.prefix+"/car/associations/x", tok, ""), 404, "OBJECT_NOT_FOUND", "Unable to find association")

			h.Do("DELETE", "/crm/v3/objects/2-1/"+car, tok, "").Expect(t, 204)
			errorOf(t, h.Do("DELETE", vc.prefix+"/car", tok, ""), 400, "VALIDATION_ERROR", "records")
			h.Do("POST", "/crm/v3/objects/2-1/gdpr-delete", tok, fmt.Sprintf(`{"objectId":%q}`, car)).Expect(t, 204)
			h.Do("DELETE", vc.prefix+"/car", tok, "").Expect(t, 204)
			errorOf(t, h.Do("GET", vc.prefix+"/car", tok, ""), 404, "OBJECT_NOT_FOUND", "Unable to find object type car")
			h.Do("DELETE", vc.prefix+"/car?archived=true", tok, "").Expect(t, 204)
			errorOf(t, h.Do("DELETE", vc.prefix+"/car", tok, ""), 404, "OBJECT_NOT_FOUND", "car")
			h.Do("GET", "/crm/v3/objects/2-1", tok, "").Expect(t, 400)
		})
	}
}

// TestSchemaCreateRefusals: bad input is a 400 naming the field.
func TestSchemaCreateRefusals(t *testing.T) {
	cases := []struct {
		name, body, in string
	}{
		{"bad name", `{"name":"1car","labels":{"singular":"C","plural":"Cs"},"properties":[],"associatedObjects":[]}`, "name"},
		{"no labels", `{"name":"car","labels":{},"properties":[],"associatedObjects":[]}`, "labels"},
		{"unknown associated type", `{"name":"car","labels":{"singular":"C","plural":"Cs"},"properties":[],"associatedObjects":["gadgets"]}`, "associatedObjects[0]"},
		{"unknown primary display property", `{"name":"car","labels":{"singular":"C","plural":"Cs"},"primaryDisplayProperty":"nope","properties":[],"associatedObjects":[]}`, "primaryDisplayProperty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			b := errorOf(t, h.Do("POST", "/crm/v3/schemas", tok, tc.body), 400, "VALIDATION_ERROR", "")
			errs, _ := b["errors"].([]any)
			if len(errs) == 0 || errs[0].(map[string]any)["in"] != tc.in {
				t.Fatalf("errors %v, want one in %s", b["errors"], tc.in)
			}
		})
	}
	h := apitest.New(t, server.Config{})
	// The contract refuses a body without the required fields.
	h.Do("POST", "/crm/v3/schemas", tok, `{"name":"car"}`).Expect(t, 400)
}

// TestSchemaScopes: reads take a custom schema or object scope, writes the
// custom schema write scope.
func TestSchemaScopes(t *testing.T) {
	tokens, err := auth.ParseTokens([]byte(`{"tokens": [
  {"token": "pat-na1-reader", "portalId": 111, "scopes": ["crm.schemas.custom.read"]},
  {"token": "pat-na1-writer", "portalId": 111, "scopes": ["crm.schemas.custom.write"]},
  {"token": "pat-na1-contacts", "portalId": 111, "scopes": ["crm.schemas.contacts.write"]}
]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		token       string
		read, write int
	}{
		{"pat-na1-reader", 200, 403},
		{"pat-na1-writer", 200, 201},
		{"pat-na1-contacts", 403, 403},
	}
	for _, tc := range cases {
		t.Run(tc.token, func(t *testing.T) {
			h := apitest.New(t, server.Config{Authenticator: tokens})
			h.Do("GET", "/crm-object-schemas/v3/schemas", tc.token, "").Expect(t, tc.read)
			h.Do("POST", "/crm-object-schemas/v3/schemas", tc.token, carSchema).Expect(t, tc.write)
		})
	}
}

// TestSchemaNameCase: a name may hold upper-case letters, as HubSpot's
// rules allow; it is kept as given, found in any case, and taken in any
// case.
func TestSchemaNameCase(t *testing.T) {
	h := apitest.New(t, server.Config{})
	r := h.Do("POST", "/crm/v3/schemas", tok, `{"name":"Fleet_Car","labels":{"singular":"Fleet car","plural":"Fleet cars"},"properties":[],"associatedObjects":["contacts"]}`)
	r.Expect(t, 201)
	portal, _ := h.Srv.PortalOf(tok)
	if b := r.JSON(t); b["name"] != "Fleet_Car" || b["fullyQualifiedName"] != fmt.Sprintf("p%d_Fleet_Car", portal) {
		t.Fatalf("created %s", r.Body)
	}
	for _, spelling := range []string{"fleet_car", "FLEET_CAR", fmt.Sprintf("p%d_fleet_car", portal)} {
		h.Do("GET", "/crm/v3/schemas/"+spelling, tok, "").Expect(t, 200)
	}
	// Its records are served under its fully qualified name in any case.
	h.Do("POST", fmt.Sprintf("/crm/v3/objects/p%d_fleet_car", portal), tok, `{"properties":{}}`).Expect(t, 201)
	errorOf(t, h.Do("POST", "/crm/v3/schemas", tok, `{"name":"fleet_car","labels":{"singular":"C","plural":"Cs"},"properties":[],"associatedObjects":[]}`), 409, "CONFLICT", "already exists")
}
