package crmassociations_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
	"github.com/mockhub/mockhub/internal/store"
)

// The default association types of the car type below: the portal's
// sequence starts at 100, which HubSpot uses, so car->contact is 101 and
// contact->car 102.
const (
	carToContact = 101
	contactToCar = 102
)

// withCars gives tok's portal custom object type 2-7 ("car"), associated
// with contacts only, through the state document as a fixtures file or
// PUT .../state would. It returns the harness and the type's fully
// qualified name.
func withCars(t *testing.T) (*apitest.Harness, string) {
	t.Helper()
	h := apitest.New(t, server.Config{})
	portal, err := h.Srv.PortalOf(tok)
	if err != nil {
		t.Fatal(err)
	}
	snap := &store.Snapshot{ObjectTypes: []store.CustomObjectType{{
		ID: "2-7", Name: "car", Labels: fixtures.CRMLabels{Singular: "Car", Plural: "Cars"}, PrimaryDisplayProperty: "model",
		Properties:        []fixtures.CRMProperty{{Name: "model", Label: "Model", Type: "string", FieldType: "text"}},
		AssociatedObjects: []string{"CONTACT"},
	}}}
	if err := h.Srv.Store().Replace(portal, snap); err != nil {
		t.Fatal(err)
	}
	return h, "p" + strconv.FormatInt(portal, 10) + "_car"
}

// TestCustomObjectsInEveryVersion: records of a custom object type are
// associated with the types it declares through every version's single
// and batch operations, with its own default types and labels.
func TestCustomObjectsInEveryVersion(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h, fqn := withCars(t)
			cars, contacts := records(t, h, "2-7", 3), records(t, h, "contacts", 2)

			// Default, addressed by id from the car, by fully qualified
			// name where the path takes one.
			for _, from := range []string{"2-7", fqn} {
				r := h.Do("PUT", vc.objects+"/"+from+"/"+cars[0]+"/associations/default/contacts/"+contacts[0], tok, "")
				r.Expect(t, 200)
				var got []string
				for _, d := range r.Results(t) {
					spec := d["associationSpec"].(map[string]any)
					got = append(got, fmt.Sprint(spec["associationCategory"], "=", spec["associationTypeId"]))
				}
				if strings.Join(got, ",") != fmt.Sprintf("USER_DEFINED=%d,USER_DEFINED=%d", carToContact, contactToCar) {
					t.Fatalf("%s: default types %v", from, got)
				}
			}
			if got := list(t, h, "contacts", contacts[0], "2-7"); fmt.Sprint(got) != fmt.Sprintf("map[%s:[%d]]", cars[0], contactToCar) {
				t.Fatalf("the contact's cars %v", got)
			}

			// A label of the pair, set with a labeled create.
			r := h.Do("POST", vc.batches+"/2-7/contacts/labels", tok, `{"name":"driver","label":"Driver","inverseLabel":"Driven"}`)
			r.Expect(t, 200)
			driver := int(r.Results(t)[0]["typeId"].(float64))
			r = h.Do("PUT", vc.objects+"/2-7/"+cars[1]+"/associations/contacts/"+contacts[0], tok, fmt.Sprintf(`[{"associationCategory":"USER_DEFINED","associationTypeId":%d}]`, driver))
			r.Expect(t, 201)
			if labels := r.JSON(t)["labels"]; fmt.Sprint(labels) != "[Driver]" {
				t.Fatalf("labeled create %s", r.Body)
			}
			if got := list(t, h, "2-7", cars[1], "contacts"); fmt.Sprint(got[contacts[0]]) != fmt.Sprintf("[%d %d]", carToContact, driver) {
				t.Fatalf("the car's types %v", got)
			}
			// The default type is not a label of the pair's to delete.
			h.Do("DELETE", fmt.Sprintf("%s/2-7/contacts/labels/%d", vc.batches, carToContact), tok, "").Expect(t, 400)

			// A limit on the contact side: at most 2 cars. The batch
			// refuses the input past it and applies the others.
			r = h.Do("POST", vc.batches+"/definitions/configurations/0-1/2-7/batch/create", tok,
				fmt.Sprintf(`{"inputs":[{"category":"USER_DEFINED","typeId":%d,"maxToObjectIds":2}]}`, contactToCar))
			if r.Status != 200 && r.Status != 201 {
				t.Fatalf("limit: %d %s", r.Status, r.Body)
			}
			r = h.Do("POST", vc.batches+"/2-7/contacts/batch/associate/default", tok,
				fmt.Sprintf(`{"inputs":[{"from":{"id":"%s"},"to":{"id":"%s"}},{"from":{"id":"%s"},"to":{"id":"%s"}}]}`, cars[2], contacts[0], cars[2], contacts[1]))
			r.Expect(t, 200) // associate default answers 200 in every version
			errs := errorsOf(t, r)
			if len(errs) != 1 || !strings.Contains(strings.Join(contextOf(t, errs[0])["ASSOCIATION_LIMIT_EXCEEDED"], ""), fmt.Sprintf("at most 2 2-7 associations of type USER_DEFINED=%d", contactToCar)) {
				t.Fatalf("batch past the limit: %s", r.Body)
			}
			if got := list(t, h, "contacts", contacts[1], "2-7"); len(got) != 1 {
				t.Fatalf("the other input was not applied: %v", got)
			}
			// The single create is refused whole.
			r = h.Do("PUT", vc.objects+"/contacts/"+contacts[0]+"/associations/default/2-7/"+cars[2], tok, "")
			r.Expect(t, 400)

			// Batch read, labels archive, archive.
			for _, to := range []string{"2-7", fqn} {
				r = h.Do("POST", vc.batches+"/contacts/"+to+"/batch/read", tok, fmt.Sprintf(`{"inputs":[{"id":"%s"}]}`, contacts[0]))
				r.Expect(t, 200)
				if n := len(r.Results(t)[0]["to"].([]any)); n != 2 {
					t.Fatalf("batch read to %s: %s", to, r.Body)
				}
			}
			h.Do("POST", vc.batches+"/2-7/contacts/batch/labels/archive", tok,
				fmt.Sprintf(`{"inputs":[{"from":{"id":"%s"},"to":{"id":"%s"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":%d}]}]}`, cars[1], contacts[0], driver)).Expect(t, vc.archiveStatus)
			if got := list(t, h, "2-7", cars[1], "contacts"); fmt.Sprint(got[contacts[0]]) != fmt.Sprintf("[%d]", carToContact) {
				t.Fatalf("after labels archive %v", got)
			}
			h.Do("POST", vc.batches+"/contacts/2-7/batch/archive", tok,
				fmt.Sprintf(`{"inputs":[{"from":{"id":"%s"},"to":[{"id":"%s"},{"id":"%s"}]}]}`, contacts[0], cars[0], cars[1])).Expect(t, vc.archiveStatus)
			if got := list(t, h, "contacts", contacts[0], "2-7"); len(got) != 0 {
				t.Fatalf("after archive %v", got)
			}
		})
	}
}

// TestCustomObjectRefusals: pairs a custom type does not declare, and
// types of another pair, are refused as for standard types.
func TestCustomObjectRefusals(t *testing.T) {
	h, _ := withCars(t)
	car, contact, company := record(t, h, "2-7"), record(t, h, "contacts"), record(t, h, "companies")
	tests := []struct {
		name, method, path, body string
		status                   int
		context                  string
	}{
		{"a type the car does not declare", "PUT", "/crm/v4/objects/2-7/" + car + "/associations/default/companies/" + company, "", 400, "INVALID_ASSOCIATION_TYPE_ID"},
		{"a type of another pair", "PUT", "/crm/v4/objects/2-7/" + car + "/associations/contacts/" + contact, `[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}]`, 400, "INVALID_ASSOCIATION_TYPE_ID"},
		{"the right id with the wrong category", "PUT", "/crm/v4/objects/2-7/" + car + "/associations/contacts/" + contact, fmt.Sprintf(`[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":%d}]`, carToContact), 400, "INVALID_ASSOCIATION_TYPE_ID"},
		{"a record that is not a car", "PUT", "/crm/v4/objects/2-7/" + contact + "/associations/default/contacts/" + contact, "", 400, "INVALID_OBJECT_IDS"},
		{"a custom type the portal lacks", "PUT", "/crm/v4/objects/2-8/1/associations/default/contacts/" + contact, "", 400, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.Do(tc.method, tc.path, tok, tc.body)
			r.Expect(t, tc.status)
			if tc.context != "" {
				if _, ok := contextOf(t, r.JSON(t))[tc.context]; !ok {
					t.Fatalf("no %s in %s", tc.context, r.Body)
				}
			}
		})
	}
}

// TestCustomObjectsInRecordCalls: a record create associates a new car,
// reads embed its associations under the fully qualified name with v3
// type names, search filters by them, and the legacy v3 calls name the
// pair's type car_to_contact.
func TestCustomObjectsInRecordCalls(t *testing.T) {
	h, fqn := withCars(t)
	contact := record(t, h, "contacts")
	r := h.Do("POST", "/crm/v3/objects/"+fqn, tok, fmt.Sprintf(`{"properties":{"model":"T"},"associations":[{"to":{"id":"%s"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":%d}]}]}`, contact, carToContact))
	r.Expect(t, 201)
	car := r.JSON(t)["id"].(string)

	r = h.Do("GET", "/crm/v3/objects/contacts/"+contact+"?associations=2-7", tok, "")
	r.Expect(t, 200)
	embedded, _ := r.JSON(t)["associations"].(map[string]any)[fqn].(map[string]any)
	if fmt.Sprint(embedded["results"]) != fmt.Sprintf("[map[id:%s type:contact_to_car]]", car) {
		t.Fatalf("embedded %s", r.Body)
	}
	r = h.Do("GET", "/crm/objects/2026-03/2-7/"+car+"?associations=contacts", tok, "")
	r.Expect(t, 200)
	if got := fmt.Sprint(r.JSON(t)["associations"]); got != fmt.Sprintf("map[contacts:map[results:[map[id:%s type:car_to_contact]]]]", contact) {
		t.Fatalf("embedded in the car %s", got)
	}

	other := record(t, h, "2-7")
	r = h.Do("POST", "/crm/v3/objects/2-7/search", tok, fmt.Sprintf(`{"filterGroups":[{"filters":[{"propertyName":"associations.contact","operator":"EQ","value":"%s"}]}]}`, contact))
	r.Expect(t, 200)
	if res := r.Results(t); len(res) != 1 || res[0]["id"] != car {
		t.Fatalf("cars of the contact: %s", r.Body)
	}
	r = h.Do("POST", "/crm/v3/objects/contacts/search", tok, fmt.Sprintf(`{"filterGroups":[{"filters":[{"propertyName":"associations.2-7","operator":"IN","values":["%s","%s"]}]}]}`, car, other))
	r.Expect(t, 200)
	if res := r.Results(t); len(res) != 1 || res[0]["id"] != contact {
		t.Fatalf("contacts of the cars: %s", r.Body)
	}

	r = h.Do("POST", "/crm/v3/associations/2-7/contacts/batch/create", tok, fmt.Sprintf(`{"inputs":[{"from":{"id":"%s"},"to":{"id":"%s"},"type":"car_to_contact"}]}`, other, contact))
	r.Expect(t, 201)
	r = h.Do("PUT", "/crm/v3/objects/contacts/"+contact+"/associations/2-7/"+other+"/contact_to_car", tok, "")
	r.Expect(t, 200)
	for _, to := range []string{"2-7", fqn} {
		r = h.Do("POST", "/crm/v3/associations/contacts/"+to+"/batch/read", tok, fmt.Sprintf(`{"inputs":[{"id":"%s"}]}`, contact))
		r.Expect(t, 200)
		if n := len(r.Results(t)[0]["to"].([]any)); n != 2 {
			t.Fatalf("v3 read to %s: %s", to, r.Body)
		}
	}
}
