package crmobjects_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
	"github.com/mockhub/mockhub/internal/store"
)

// TestSearchScanInParts: a type with enough records that a full scan walks
// them in parts at the same time finds every match once, with or without
// an association filter (which scans when it is not an EQ).
func TestSearchScanInParts(t *testing.T) {
	// Parts are one per core the process may use: make it two whatever the
	// machine, so the walk is cut.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	h := apitest.New(t, server.Config{})
	portal, err := h.Srv.PortalOf(tok)
	if err != nil {
		t.Fatal(err)
	}
	const contacts = 20_000
	var company string
	err = h.Srv.Store().Portal(portal).Update(func(tx *store.Tx) error {
		c, err := tx.CreateRecord("company", map[string]string{"name": "Acme"}, apitest.FrozenAt)
		if err != nil {
			return err
		}
		company = c.ID
		for i := range contacts {
			r, err := tx.CreateRecord("contact", map[string]string{"email": fmt.Sprintf("c%d@example%d.com", i, i%10)}, apitest.FrozenAt)
			if err != nil {
				return err
			}
			// Every 1,000th contact, spread over the id range, works at Acme.
			if i%1000 == 0 {
				if _, _, err := tx.AssociateDefault(store.RecordRef{Type: "contact", ID: r.ID}, store.RecordRef{Type: "company", ID: c.ID}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	token := `{"propertyName":"email","operator":"CONTAINS_TOKEN","value":"*@example7.com"}`
	for _, tc := range []struct {
		name, filters string
		want          float64
	}{
		{"token", token, contacts / 10},
		{"everyone at Acme", `{"propertyName":"associations.company","operator":"IN","values":["` + company + `"]}`, contacts / 1000},
		{"another token and Acme", `{"propertyName":"email","operator":"CONTAINS_TOKEN","value":"*@example0.com"},{"propertyName":"associations.company","operator":"IN","values":["` + company + `"]}`, contacts / 1000},
		{"not at Acme", `{"propertyName":"associations.company","operator":"NOT_IN","values":["` + company + `"]}`, contacts - contacts/1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.Do("POST", "/crm/v3/objects/contacts/search", tok, `{"filterGroups":[{"filters":[`+tc.filters+`]}],"limit":200}`)
			r.Expect(t, 200)
			body := r.JSON(t)
			if body["total"] != tc.want {
				t.Fatalf("total %v, want %v", body["total"], tc.want)
			}
			seen := map[string]bool{}
			for _, rec := range r.Results(t) {
				id, _ := rec["id"].(string)
				if seen[id] {
					t.Fatalf("record %s twice", id)
				}
				seen[id] = true
			}
		})
	}
}
