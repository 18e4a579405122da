package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/mockhub/mockhub/internal/openapi"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
	"github.com/mockhub/mockhub/internal/store"
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

// deferCreate sends the seed limit create for token with a batchStatus
// fault header and checks that it is acknowledged with status.
func deferCreate(t *testing.T, h *apitest.Harness, token, fault, status string) {
	t.Helper()
	create := "/crm/associations/2026-03/definitions/configurations/contacts/companies/batch/create"
	req := httptest.NewRequest("POST", create, strings.NewReader(`{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5}]}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Mockhub-Fault", fault)
	rec := httptest.NewRecorder()
	h.Srv.ServeHTTP(rec, req)
	if rec.Code != 201 || !strings.Contains(rec.Body.String(), `"status":"`+status+`"`) {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
}

// TestStateExportSettlesDueBatches: a batch a batchStatus fault deferred is
// in the export's deferred work until it is due, then in its limits, as in
// API reads.
func TestStateExportSettlesDueBatches(t *testing.T) {
	h := apitest.New(t, server.Config{})
	deferCreate(t, h, "deferred", "batchStatus;status=PENDING;applyAfterMs=1000", "PENDING")
	state := fmt.Sprintf("/_mockhub/portals/%d/state", portalOf(t, h.Srv, "deferred"))
	type export struct {
		Limits   []map[string]any `json:"limits"`
		Deferred []struct {
			Due       string          `json:"due"`
			Operation string          `json:"operation"`
			Inputs    json.RawMessage `json:"inputs"`
		} `json:"deferred"`
	}
	read := func() export {
		var e export
		if err := json.Unmarshal(h.Do("GET", state, "", "").Body, &e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	e := read()
	if len(e.Limits) != 0 || len(e.Deferred) != 1 || e.Deferred[0].Due != "2026-03-30T12:00:01.123Z" ||
		e.Deferred[0].Operation != "2026-03 limits-batch-create" || !strings.Contains(string(e.Deferred[0].Inputs), `"typeId":279`) {
		t.Fatalf("before it is due: %+v", e)
	}
	h.Clock.Advance(time.Second)
	if e := read(); len(e.Limits) != 1 || e.Limits[0]["typeId"] != 279.0 || len(e.Deferred) != 0 {
		t.Fatalf("once due: %+v", e)
	}
}

// TestDeferredBatchAppliesOnTimeWithoutARequest: the server applies a
// deferred batch when its clock reaches the due time, by itself: no request
// to the portal is needed.
func TestDeferredBatchAppliesOnTimeWithoutARequest(t *testing.T) {
	h := apitest.New(t, server.Config{})
	deferCreate(t, h, "timer", "batchStatus;status=PROCESSING;applyAfterMs=500", "PROCESSING")
	p, ok := h.Srv.Store().Lookup(portalOf(t, h.Srv, "timer"))
	if !ok {
		t.Fatal("no portal")
	}
	limits := func() int {
		var n int
		p.View(func(v *store.View) { n = len(v.AllLimits()) })
		return n
	}
	h.Clock.Advance(499 * time.Millisecond)
	if n := limits(); n != 0 {
		t.Fatalf("applied %d limits before due", n)
	}
	h.Clock.Advance(time.Millisecond)
	if n := limits(); n != 1 {
		t.Fatalf("%d limits once due, want 1", n)
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

// TestStartUpRefusesAnOperationWithoutAHandler: an operation in the
// documents that no family registered stops start-up, naming it, so a
// route cannot exist without its handler.
func TestStartUpRefusesAnOperationWithoutAHandler(t *testing.T) {
	docs, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	spec := docs[0].Spec
	item := &openapi3.PathItem{Get: &openapi3.Operation{
		OperationID: "widgets-list",
		Responses:   openapi3.NewResponses(openapi3.WithStatus(200, &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("ok")})),
	}}
	spec.Paths.Set("/crm/widgets", item)
	_, err = server.New(server.Config{Documents: docs})
	if err == nil || !strings.Contains(err.Error(), "widgets-list") || !strings.Contains(err.Error(), "has no handler") {
		t.Fatalf("New = %v, want a refusal naming widgets-list", err)
	}
}
