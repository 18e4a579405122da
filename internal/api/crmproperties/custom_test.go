package crmproperties_test

import (
	"slices"
	"testing"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
	"github.com/mockhub/mockhub/internal/store"
)

// withCar gives tok's portal a custom object type, 2-7 "car", as a state
// document would.
func withCar(t *testing.T) *apitest.Harness {
	t.Helper()
	h := apitest.New(t, server.Config{})
	portal, err := h.Srv.PortalOf(tok)
	if err != nil {
		t.Fatal(err)
	}
	snap := &store.Snapshot{ObjectTypes: []store.CustomObjectType{{
		ID: "2-7", Name: "car", Labels: fixtures.CRMLabels{Singular: "Car", Plural: "Cars"}, PrimaryDisplayProperty: "model",
		Properties: []fixtures.CRMProperty{
			{Name: "model", Label: "Model", Type: "string", FieldType: "text"},
			{Name: "year", Label: "Year", Type: "number", FieldType: "number"},
		},
	}}}
	if err := h.Srv.Store().Replace(portal, snap); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestCustomObjectTypeProperties: a custom object type's properties are
// listed like a standard type's; the portal adds and archives its own, but
// not those that define the type.
func TestCustomObjectTypeProperties(t *testing.T) {
	for _, vc := range prefixes {
		t.Run(vc.name, func(t *testing.T) {
			h := withCar(t)
			base := vc.prefix + "/2-7"
			r := h.Do("GET", base+"/model", tok, "")
			r.Expect(t, 200)
			if md := r.JSON(t)["modificationMetadata"].(map[string]any); md["archivable"] != false {
				t.Fatalf("a defining property is archivable: %s", r.Body)
			}
			r = h.Do("POST", base, tok, `{"name":"colour","label":"Colour","type":"string","fieldType":"text","groupName":"car_information"}`)
			r.Expect(t, 201)
			if md := r.JSON(t)["modificationMetadata"].(map[string]any); md["archivable"] != true {
				t.Fatalf("a created property is not archivable: %s", r.Body)
			}
			r = h.Do("GET", base, tok, "")
			for _, want := range []string{"colour", "model", "year", "hs_object_id"} {
				if !slices.Contains(names(r.Results(t)), want) {
					t.Fatalf("list misses %s: %v", want, names(r.Results(t)))
				}
			}
			errorOf(t, h.Do("DELETE", base+"/year", tok, ""), 400, "VALIDATION_ERROR", "Property 'year' defines object type 2-7 and cannot be archived")
			h.Do("DELETE", base+"/colour", tok, "").Expect(t, 204)
			h.Do("GET", base+"/colour?archived=true", tok, "").Expect(t, 200)
		})
	}
}

// TestUniquePropertyIdentifiesRecords: a property created with
// hasUniqueValue is an idProperty of the objects API at once.
func TestUniquePropertyIdentifiesRecords(t *testing.T) {
	h := apitest.New(t, server.Config{})
	h.Do("POST", "/crm/v3/properties/companies", tok, `{"name":"erp_id","label":"ERP id","type":"string","fieldType":"text","groupName":"companyinformation","hasUniqueValue":true}`).Expect(t, 201)
	r := h.Do("POST", "/crm/v3/objects/companies", tok, `{"properties":{"name":"Acme","erp_id":"E-1"}}`)
	r.Expect(t, 201)
	id := r.JSON(t)["id"]
	r = h.Do("GET", "/crm/v3/objects/companies/E-1?idProperty=erp_id", tok, "")
	r.Expect(t, 200)
	if r.JSON(t)["id"] != id {
		t.Fatalf("read by erp_id: %s", r.Body)
	}
	h.Do("POST", "/crm/v3/objects/companies", tok, `{"properties":{"name":"Acme 2","erp_id":"E-1"}}`).Expect(t, 409)
}
