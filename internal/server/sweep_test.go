package server

import (
	"strings"
	"testing"
)

// TestErrorAnswersOfEveryOperation sends each operation of each version (and
// the alternate v4 spelling) the requests HubSpot refuses, and checks each
// refusal's status and that it satisfies the contract.
func TestErrorAnswersOfEveryOperation(t *testing.T) {
	h := newHarness(t)
	for _, op := range h.srv.Operations() {
		for _, path := range op.Paths() {
			concrete := strings.NewReplacer("{fromObjectType}", "contacts", "{toObjectType}", "companies", "{associationTypeId}", "279").Replace(path)
			body := ""
			if op.RequestSchema != nil {
				body = `{}`
			}
			t.Run(op.Document.Version+" "+op.ID+" "+path, func(t *testing.T) {
				expect(t, h.do(op.Method, concrete, "", body), 401)
				if strings.Contains(path, "{fromObjectType}") {
					bad := strings.Replace(concrete, "contacts", "gadgets", 1)
					r := h.do(op.Method, bad, "t", body)
					expect(t, r, 400)
					if msg := r.json(t)["message"]; msg != "Unable to infer object type from: gadgets" {
						t.Fatalf("message %v", msg)
					}
				}
				if op.RequestSchema != nil {
					expect(t, h.do(op.Method, concrete, "t", `{"inputs":[{"typeId":"x"}]`), 400)
					expect(t, h.do(op.Method, concrete, "t", `{}`), 400)
					expect(t, h.doWith(op.Method, concrete, "t", `{}`, "text/csv"), 415)
				}
			})
		}
	}
}
