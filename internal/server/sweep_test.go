package server_test

import (
	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
	"strings"
	"testing"
)

// TestErrorAnswersOfEveryOperation sends each operation of each version (and
// the alternate v4 spelling) the requests HubSpot refuses, and checks each
// refusal's status and that it satisfies the contract.
func TestErrorAnswersOfEveryOperation(t *testing.T) {
	h := apitest.New(t, server.Config{})
	for _, op := range h.Srv.Operations() {
		for _, path := range op.Paths() {
			concrete := strings.NewReplacer("{fromObjectType}", "contacts", "{toObjectType}", "companies", "{associationTypeId}", "279", "{objectType}", "contacts", "{objectId}", "1", "{propertyName}", "firstname", "{groupName}", "contactinformation", "{pipelineId}", "default", "{stageId}", "closedwon", "{toObjectId}", "2", "{userId}", "7", "{token}", "unknown-token", "{schemaType}", "2-1", "{associationIdentifier}", "1").Replace(path)
			body := ""
			if op.RequestSchema != nil {
				body = `{}`
			}
			t.Run(op.Document.Version+" "+op.ID+" "+path, func(t *testing.T) {
				if op.Public {
					// OAuth's endpoints take no token: without one they
					// answer what the request itself is worth.
					h.Do(op.Method, concrete, "", body).Expect(t, publicRefusal[op.ID])
					if op.Form {
						h.DoWith(op.Method, concrete, "", "grant_type=%zz", "application/x-www-form-urlencoded").Expect(t, 400)
						h.DoWith(op.Method, concrete, "", "grant_type=password&token=x", "application/x-www-form-urlencoded").Expect(t, 400)
					}
					return
				}
				h.Do(op.Method, concrete, "", body).Expect(t, 401)
				if strings.Contains(path, "{fromObjectType}") || strings.Contains(path, "{objectType}") {
					bad := strings.Replace(concrete, "contacts", "gadgets", 1)
					r := h.Do(op.Method, bad, "t", body)
					r.Expect(t, 400)
					if msg := r.JSON(t)["message"]; msg != "Unable to infer object type from: gadgets" {
						t.Fatalf("message %v", msg)
					}
				}
				if op.RequestSchema != nil {
					h.Do(op.Method, concrete, "t", `{"inputs":[{"typeId":"x"}]`).Expect(t, 400)
					// Every field of a search may be absent (HUBSPOT-RECORDS.md
					// §1.3): an empty one finds every record. An empty
					// property update changes nothing and answers the
					// property.
					empty := 400
					switch op.ID {
					case "objects-search", "properties-update", "property-groups-update":
						empty = 200
					case "schemas-update":
						// Every field is optional: the type (none here)
						// is looked up.
						empty = 404
					}
					h.Do(op.Method, concrete, "t", `{}`).Expect(t, empty)
					h.DoWith(op.Method, concrete, "t", `{}`, "text/csv").Expect(t, 415)
				}
			})
		}
	}
}

// publicRefusal is what each public (OAuth) operation answers a request
// with no parameters and, for the token endpoint, a JSON body (which
// HubSpot reads as a form without grant_type).
var publicRefusal = map[string]int{
	"oauth-token":                 400,
	"oauth-token-introspect":      400,
	"oauth-authorize":             400,
	"oauth-access-token-get":      404,
	"oauth-refresh-token-get":     404,
	"oauth-refresh-token-archive": 404,
}
