package crmobjects_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
	"github.com/mockhub/mockhub/internal/store"
)

// withSchema gives tok's portal a custom object type (2-7, "car") and a
// custom contact property, through the state document as a fixtures file
// or PUT .../state would.
func withSchema(t *testing.T) (*apitest.Harness, int64) {
	t.Helper()
	h := apitest.New(t, server.Config{})
	portal, err := h.Srv.PortalOf(tok)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	snap := &store.Snapshot{
		ObjectTypes: []store.CustomObjectType{{
			ID: "2-7", Name: "car", Labels: fixtures.CRMLabels{Singular: "Car", Plural: "Cars"}, PrimaryDisplayProperty: "model",
			Properties: []fixtures.CRMProperty{
				{Name: "model", Label: "Model", Type: "string", FieldType: "text"},
				{Name: "vin", Label: "VIN", Type: "string", FieldType: "text", HasUniqueValue: true},
				{Name: "year", Label: "Year", Type: "number", FieldType: "number"},
			},
		}},
		Properties: []store.PropertyInfo{
			{ObjectType: "contacts", CRMProperty: fixtures.CRMProperty{Name: "shoe_size", Label: "Shoe size", Type: "number", FieldType: "number", GroupName: "contactinformation"}, CreatedAt: at, UpdatedAt: at},
			{ObjectType: "contacts", CRMProperty: fixtures.CRMProperty{Name: "old_field", Label: "Old", Type: "string", FieldType: "text", GroupName: "contactinformation"}, CreatedAt: at, UpdatedAt: at, Archived: true, ArchivedAt: at},
		},
	}
	if err := h.Srv.Store().Replace(portal, snap); err != nil {
		t.Fatal(err)
	}
	return h, portal
}

func TestCustomObjectTypes(t *testing.T) {
	h, portal := withSchema(t)
	fqn := "p" + strconv.FormatInt(portal, 10) + "_car"
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			for _, spelling := range []string{"2-7", fqn, strings.ToUpper(fqn)} {
				rec := create(t, h, vc.prefix+"/"+spelling, `{"model":"Model T","year":1908}`)
				p := props(t, rec)
				if p["model"] != "Model T" || p["year"] != "1908" || p["hs_object_id"] != rec["id"] {
					t.Fatalf("%s: created %v", spelling, rec)
				}
				id := rec["id"].(string)
				got := h.Do("GET", vc.prefix+"/2-7/"+id, tok, "")
				got.Expect(t, 200)
				// A read naming no property returns the id and timestamps.
				if k := keys(props(t, got.JSON(t))); strings.Join(k, ",") != "hs_createdate,hs_lastmodifieddate,hs_object_id" {
					t.Fatalf("default properties %v", k)
				}
			}
		})
	}
	t.Run("unique property and idProperty", func(t *testing.T) {
		rec := create(t, h, "/crm/v3/objects/2-7", `{"model":"Beetle","vin":"WVW123"}`)
		h.Do("POST", "/crm/v3/objects/2-7", tok, `{"properties":{"vin":"WVW123"}}`).Expect(t, 409)
		got := h.Do("GET", "/crm/v3/objects/2-7/WVW123?idProperty=vin", tok, "")
		got.Expect(t, 200)
		if got.JSON(t)["id"] != rec["id"] {
			t.Fatalf("idProperty read %s", got.Body)
		}
	})
	t.Run("unknown property", func(t *testing.T) {
		r := h.Do("POST", "/crm/v3/objects/2-7", tok, `{"properties":{"colour":"red"}}`)
		r.Expect(t, 400)
		if !strings.Contains(string(r.Body), "PROPERTY_DOESNT_EXIST") {
			t.Fatalf("%s", r.Body)
		}
	})
	t.Run("types the portal does not define", func(t *testing.T) {
		for _, spelling := range []string{"2-8", "p" + strconv.FormatInt(portal+1, 10) + "_car", fqn + "s"} {
			r := h.Do("GET", "/crm/v3/objects/"+spelling, tok, "")
			r.Expect(t, 400)
			if !strings.Contains(string(r.Body), "Unable to infer object type from: "+spelling) {
				t.Fatalf("%s: %s", spelling, r.Body)
			}
		}
	})
}

func TestCustomProperties(t *testing.T) {
	h, _ := withSchema(t)
	rec := create(t, h, "/crm/v3/objects/contacts", `{"email":"a@b.co","shoe_size":"44"}`)
	if props(t, rec)["shoe_size"] != "44" {
		t.Fatalf("%v", rec)
	}
	r := h.Do("PATCH", "/crm/v3/objects/contacts/"+rec["id"].(string), tok, `{"properties":{"shoe_size":"big"}}`)
	r.Expect(t, 400)
	if !strings.Contains(string(r.Body), "shoe_size") {
		t.Fatalf("%s", r.Body)
	}
	// An archived property is unknown to writes, and ignored by reads.
	h.Do("POST", "/crm/v3/objects/contacts", tok, `{"properties":{"old_field":"x"}}`).Expect(t, 400)
	got := h.Do("GET", "/crm/v3/objects/contacts/"+rec["id"].(string)+"?properties=shoe_size,old_field", tok, "")
	got.Expect(t, 200)
	p := props(t, got.JSON(t))
	if _, has := p["old_field"]; has || p["shoe_size"] != "44" {
		t.Fatalf("%v", p)
	}
	s := h.Do("POST", "/crm/v3/objects/contacts/search", tok, `{"filterGroups":[{"filters":[{"propertyName":"shoe_size","operator":"GT","value":"40"}]}]}`)
	s.Expect(t, 200)
	if s.JSON(t)["total"] != float64(1) {
		t.Fatalf("search %s", s.Body)
	}
}
