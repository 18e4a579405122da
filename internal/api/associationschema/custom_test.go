package associationschema_test

import (
	"fmt"
	"testing"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
	"github.com/mockhub/mockhub/internal/store"
)

// TestCustomObjectPairs: the pairs a custom object type declares list its
// default association types (USER_DEFINED, unlabeled, ids of the portal's
// sequence) beside their labels, and take limits, in every version.
func TestCustomObjectPairs(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			const tok = "pat-na1-custom"
			portal, err := h.Srv.PortalOf(tok)
			if err != nil {
				t.Fatal(err)
			}
			snap := &store.Snapshot{ObjectTypes: []store.CustomObjectType{{
				ID: "2-7", Name: "car", Labels: fixtures.CRMLabels{Singular: "Car", Plural: "Cars"}, PrimaryDisplayProperty: "model",
				Properties:        []fixtures.CRMProperty{{Name: "model", Label: "Model", Type: "string", FieldType: "text"}},
				AssociatedObjects: []string{"contacts"},
			}}}
			if err := h.Srv.Store().Replace(portal, snap); err != nil {
				t.Fatal(err)
			}
			r := h.Do("GET", vc.prefix+"/0-1/2-7/labels", tok, "")
			r.Expect(t, 200)
			got := typeIDs(r.Results(t))
			def := got[102]
			if len(got) != 1 || def["category"] != "USER_DEFINED" || def["label"] != nil {
				t.Fatalf("contact->car types: %s", r.Body)
			}
			if vc.labelTypeIDs && (def["fromObjectTypeId"] != "0-1" || def["toObjectTypeId"] != "2-7") {
				t.Fatalf("object type ids: %s", r.Body)
			}
			// A pair the type does not declare has no types.
			r = h.Do("GET", vc.prefix+"/2-7/companies/labels", tok, "")
			r.Expect(t, 200)
			if n := len(r.Results(t)); n != 0 {
				t.Fatalf("car->company types: %s", r.Body)
			}

			cfg := vc.prefix + "/definitions/configurations/2-7/contacts"
			h.Do("POST", cfg+"/batch/create", tok, `{"inputs":[{"category":"USER_DEFINED","typeId":101,"maxToObjectIds":1}]}`).Expect(t, vc.create)
			// The unlabeled type's category is USER_DEFINED: HUBSPOT_DEFINED is refused.
			r = h.Do("POST", cfg+"/batch/update", tok, `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":101,"maxToObjectIds":2}]}`)
			r.Expect(t, 400)
			r = h.Do("GET", cfg, tok, "")
			r.Expect(t, 200)
			limit := typeIDs(r.Results(t))[101]
			if limit == nil || limit["category"] != "USER_DEFINED" || limit["userEnforcedMaxToObjectIds"] != 1.0 {
				t.Fatalf("limits: %s", r.Body)
			}
			// The type's fully qualified name, in any case, names it too.
			fqn := fmt.Sprintf("P%d_Car", portal)
			r = h.Do("GET", vc.prefix+"/definitions/configurations/"+fqn+"/contacts", tok, "")
			r.Expect(t, 200)
			if limit := typeIDs(r.Results(t))[101]; limit == nil || limit["userEnforcedMaxToObjectIds"] != 1.0 {
				t.Fatalf("limits by name: %s", r.Body)
			}
			r = h.Do("GET", vc.prefix+"/0-1/"+fqn+"/labels", tok, "")
			r.Expect(t, 200)
			if got := typeIDs(r.Results(t)); len(got) != 1 || got[102] == nil {
				t.Fatalf("contact->car types by name: %s", r.Body)
			}
			// A name the portal does not define has no types.
			r = h.Do("GET", vc.prefix+"/0-1/p1_nosuch/labels", tok, "")
			r.Expect(t, 200)
			if n := len(r.Results(t)); n != 0 {
				t.Fatalf("contact->undefined types: %s", r.Body)
			}
			// A label's limit may not pass the pair's.
			r = h.Do("POST", vc.prefix+"/2-7/contacts/labels", tok, `{"name":"driver","label":"Driver"}`)
			r.Expect(t, 200)
			driver := int(r.Results(t)[0]["typeId"].(float64))
			r = h.Do("POST", cfg+"/batch/create", tok, fmt.Sprintf(`{"inputs":[{"category":"USER_DEFINED","typeId":%d,"maxToObjectIds":3}]}`, driver))
			r.Expect(t, 400)
		})
	}
}
