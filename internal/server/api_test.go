package server_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
)

func TestPortalsAreIsolatedByToken(t *testing.T) {
	h := apitest.New(t, server.Config{})
	create := "/crm/associations/2026-03/definitions/configurations/deals/contacts/batch/create"
	h.Do("POST", create, "alice", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":3,"maxToObjectIds":5}]}`).Expect(t, 201)
	r := h.Do("GET", "/crm/associations/2026-03/definitions/configurations/all", "bob", "")
	if len(r.Results(t)) != 0 {
		t.Fatalf("bob sees alice's limits: %s", r.Body)
	}
	r = h.Do("GET", "/crm/associations/2026-03/definitions/configurations/all", "alice", "")
	if len(r.Results(t)) != 1 {
		t.Fatalf("alice lost her limit: %s", r.Body)
	}
	// The same limit is visible in every version: all share one store.
	r = h.Do("GET", "/crm/v4/associations/definitions/configurations/deal/contact", "alice", "")
	if len(r.Results(t)) != 1 {
		t.Fatalf("v4 read: %s", r.Body)
	}
}

// TestStateExportSettlesDueBatches: a batch a batchStatus fault deferred
// shows in the admin export once it is due, as it does in API reads.
func TestStateExportSettlesDueBatches(t *testing.T) {
	h := apitest.New(t, server.Config{})
	create := "/crm/associations/2026-03/definitions/configurations/contacts/companies/batch/create"
	req := httptest.NewRequest("POST", create, strings.NewReader(`{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5}]}`))
	req.Header.Set("Authorization", "Bearer deferred")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Mockhub-Fault", "batchStatus;status=PENDING;applyAfterMs=1000")
	rec := httptest.NewRecorder()
	h.Srv.ServeHTTP(rec, req)
	if rec.Code != 201 || !strings.Contains(rec.Body.String(), `"status":"PENDING"`) {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	state := fmt.Sprintf("/_mockhub/portals/%d/state", portalOf(t, h.Srv, "deferred"))
	if r := h.Do("GET", state, "", ""); strings.Contains(string(r.Body), `"typeId":279`) {
		t.Fatalf("export shows the batch before it is due: %s", r.Body)
	}
	h.Clock.Advance(time.Second)
	if r := h.Do("GET", state, "", ""); !strings.Contains(string(r.Body), `"typeId":279`) {
		t.Fatalf("export lacks the batch once due: %s", r.Body)
	}
}

// TestMethodNotAllowedListsAllowedMethods covers a path with several
// methods and the v4 client spelling.
func TestMethodNotAllowedListsAllowedMethods(t *testing.T) {
	h := apitest.New(t, server.Config{})
	r := h.Do("PATCH", "/crm/v4/associations/contacts/companies/labels", "t", "")
	r.Expect(t, 405)
	if allow := strings.Join(r.Header.Values("Allow"), ","); allow != "GET,POST,PUT" {
		t.Fatalf("Allow = %q, want GET,POST,PUT", allow)
	}
	r = h.Do("GET", "/_mockhub/reset", "", "")
	r.Expect(t, 405)
	if allow := strings.Join(r.Header.Values("Allow"), ","); allow != "POST" {
		t.Fatalf("admin Allow = %q, want POST", allow)
	}
}
