package crmobjects_test

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
)

// partialStatus is the status of a batch in which some inputs failed: 207
// where the version has it, else the success status with errors in the
// body (HUBSPOT-RECORDS.md §1.1).
func partialStatus(vc versionCase, success int) int {
	if vc.name == "2026-09" {
		return success
	}
	return 207
}

// batchErrors returns the errors of a batch answer.
func batchErrors(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	raw, _ := body["errors"].([]any)
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i], _ = v.(map[string]any)
	}
	if n, _ := body["numErrors"].(float64); int(n) != len(out) {
		t.Fatalf("numErrors %v for %d errors", body["numErrors"], len(out))
	}
	return out
}

// contextOf returns an error's context entry key as text.
func contextOf(e map[string]any, key string) string {
	ctx, _ := e["context"].(map[string]any)
	return fmt.Sprint(ctx[key])
}

// ids returns the ids of records.
func ids(rs []map[string]any) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i], _ = r["id"].(string)
	}
	return out
}

// count returns how many live records of a type the list holds.
func count(t *testing.T, h *apitest.Harness, path string) int {
	t.Helper()
	return len(h.Do("GET", path+"?limit=100", tok, "").Results(t))
}

// TestBatchesInEveryVersion drives each batch operation in each version:
// create, read with unknown ids, update with unknown ids, upsert of a new
// and an existing contact, archive of live, archived and unknown ids.
func TestBatchesInEveryVersion(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			base := vc.prefix + "/contacts"

			// Without trace ids, one bad input fails the call.
			h.Do("POST", base+"/batch/create", tok,
				`{"inputs":[{"properties":{"email":"a@example.com"}},{"properties":{"email":"b@example.com","nosuch":1}}]}`).Expect(t, 400)
			if n := count(t, h, base); n != 0 {
				t.Fatalf("%d contacts after a refused batch", n)
			}
			r := h.Do("POST", base+"/batch/create", tok,
				`{"inputs":[{"properties":{"email":"a@example.com","firstname":"Ada"}},{"properties":{"email":"b@example.com","lastname":"Byron"}}]}`)
			r.Expect(t, 201)
			body := r.JSON(t)
			created := r.Results(t)
			if body["status"] != "COMPLETE" || len(created) != 2 || props(t, created[0])["firstname"] != "Ada" ||
				props(t, created[1])["hs_object_id"] != created[1]["id"] {
				t.Fatalf("create: %s", r.Body)
			}
			if _, ok := body["errors"]; ok {
				t.Fatalf("create without failures lists errors: %s", r.Body)
			}
			a, b := created[0]["id"].(string), created[1]["id"].(string)

			// Read: unknown ids (numeric and not) in one error item.
			r = h.Do("POST", base+"/batch/read", tok,
				`{"inputs":[{"id":"`+a+`"},{"id":"999"},{"id":`+b+`},{"id":"abc"}],"properties":["firstname"]}`)
			r.Expect(t, partialStatus(vc, 200))
			if got := ids(r.Results(t)); !slices.Equal(got, []string{a, b}) {
				t.Fatalf("read results %v", got)
			}
			if got := keys(props(t, r.Results(t)[0])); !slices.Equal(got, []string{"createdate", "firstname", "hs_object_id", "lastmodifieddate"}) {
				t.Fatalf("read properties %v", got)
			}
			errs := batchErrors(t, r.JSON(t))
			if len(errs) != 1 || errs[0]["category"] != "OBJECT_NOT_FOUND" || contextOf(errs[0], "ids") != "[999 abc]" ||
				errs[0]["message"] != "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid." {
				t.Fatalf("read errors %v", errs)
			}
			// Read by email, default properties.
			r = h.Do("POST", base+"/batch/read", tok, `{"idProperty":"email","inputs":[{"id":"B@example.com"}]}`)
			r.Expect(t, 200)
			if rs := r.Results(t); len(rs) != 1 || rs[0]["id"] != b || props(t, rs[0])["lastname"] != "Byron" {
				t.Fatalf("read by email: %s", r.Body)
			}

			// Update: written, and unknown ids in one item.
			h.Clock.Advance(time.Second)
			r = h.Do("POST", base+"/batch/update", tok,
				`{"inputs":[{"id":"`+a+`","properties":{"firstname":"Augusta"}},{"id":"998","properties":{}},{"id":"997","properties":{}}]}`)
			r.Expect(t, partialStatus(vc, 200))
			if rs := r.Results(t); len(rs) != 1 || props(t, rs[0])["firstname"] != "Augusta" || rs[0]["updatedAt"] == rs[0]["createdAt"] {
				t.Fatalf("update: %s", r.Body)
			}
			if errs := batchErrors(t, r.JSON(t)); len(errs) != 1 || contextOf(errs[0], "ids") != "[998 997]" {
				t.Fatalf("update errors %v", errs)
			}
			r = h.Do("POST", base+"/batch/update", tok, `{"inputs":[{"id":"`+b+`","properties":{"firstname":"Bea"}}]}`)
			r.Expect(t, 200)

			// Upsert by email: one existing (any case), one new.
			r = h.Do("POST", base+"/batch/upsert", tok,
				`{"inputs":[{"id":"A@EXAMPLE.com","idProperty":"email","properties":{"lastname":"Lovelace"}},{"id":"c@example.com","idProperty":"email","properties":{"firstname":"Cy"}}]}`)
			r.Expect(t, 200)
			rs := r.Results(t)
			if len(rs) != 2 || rs[0]["id"] != a || rs[0]["new"] != false || props(t, rs[0])["lastname"] != "Lovelace" ||
				rs[1]["new"] != true || props(t, rs[1])["email"] != "c@example.com" || props(t, rs[1])["firstname"] != "Cy" {
				t.Fatalf("upsert: %s", r.Body)
			}
			c := rs[1]["id"].(string)

			// Archive: live, twice the same, unknown, malformed: all 204.
			h.Do("POST", base+"/batch/archive", tok, `{"inputs":[{"id":"`+a+`"},{"id":"`+a+`"},{"id":"996"},{"id":"abc"}]}`).Expect(t, 204)
			h.Do("POST", base+"/batch/archive", tok, `{"inputs":[{"id":"`+a+`"}]}`).Expect(t, 204)
			if got := ids(h.Do("GET", base, tok, "").Results(t)); !slices.Equal(got, []string{b, c}) {
				t.Fatalf("live after archive %v", got)
			}
			// Archived records are read with archived=true only.
			r = h.Do("POST", base+"/batch/read?archived=true", tok, `{"inputs":[{"id":"`+a+`"},{"id":"`+b+`"}]}`)
			r.Expect(t, partialStatus(vc, 200))
			if rs := r.Results(t); len(rs) != 1 || rs[0]["id"] != a || rs[0]["archived"] != true {
				t.Fatalf("archived read: %s", r.Body)
			}
		})
	}
}

// TestBatchAllUnknown: a read or update naming no record at all answers the
// one error item, not a refusal.
func TestBatchAllUnknown(t *testing.T) {
	for _, vc := range versionCases {
		for _, op := range []string{"read", "update"} {
			t.Run(vc.name+"/"+op, func(t *testing.T) {
				h := apitest.New(t, server.Config{})
				r := h.Do("POST", vc.prefix+"/deals/batch/"+op, tok, `{"inputs":[{"id":"1","properties":{}},{"id":"2","properties":{}}]}`)
				r.Expect(t, partialStatus(vc, 200))
				errs := batchErrors(t, r.JSON(t))
				if len(r.Results(t)) != 0 || len(errs) != 1 || contextOf(errs[0], "ids") != "[1 2]" ||
					!strings.HasPrefix(errs[0]["message"].(string), "Could not get some DEAL objects") {
					t.Fatalf("%s", r.Body)
				}
			})
		}
	}
}

// TestBatchCreateTraceIDs: with objectWriteTraceId on every input, failed
// inputs are reported one by one and the rest created; without them on
// every input, one failure fails the call with its own error and nothing is
// stored.
func TestBatchCreateTraceIDs(t *testing.T) {
	cases := []struct {
		name   string
		inputs string
		// status 0 means partial: the rest created, errors listed.
		status   int
		category string
		message  string
		created  int
		traces   []string
	}{
		{name: "traced: bad value and duplicate email",
			inputs: `{"properties":{"email":"x@example.com"},"objectWriteTraceId":"t1"},{"properties":{"email":"nope"},"objectWriteTraceId":"t2"},` +
				`{"properties":{"email":"taken@example.com"},"objectWriteTraceId":"t3"},{"properties":{"email":"X@example.com"},"objectWriteTraceId":"t4"}`,
			created: 1, traces: []string{"t2", "t3", "t4"}},
		{name: "untraced: bad value",
			inputs:   `{"properties":{"email":"x@example.com"}},{"properties":{"nosuch":"1"}}`,
			status:   400,
			category: "VALIDATION_ERROR", message: `Property values were not valid: [{"isValid":false,"message":"Property \"nosuch\" does not exist"`},
		{name: "partly traced: existing email",
			inputs:   `{"properties":{"email":"x@example.com"},"objectWriteTraceId":"t1"},{"properties":{"email":"TAKEN@example.com"}}`,
			status:   409,
			category: "CONFLICT", message: "Contact already exists. Existing ID: {taken}"},
		{name: "untraced: email twice in the batch",
			inputs:   `{"properties":{"email":"x@example.com"}},{"properties":{"email":"x@EXAMPLE.com"}}`,
			status:   409,
			category: "CONFLICT", message: "Contact already exists. Existing ID: "},
	}
	for _, vc := range versionCases {
		for _, tc := range cases {
			t.Run(vc.name+"/"+tc.name, func(t *testing.T) {
				h := apitest.New(t, server.Config{})
				path := vc.prefix + "/contacts"
				taken := create(t, h, path, `{"email":"taken@example.com"}`)["id"].(string)
				r := h.Do("POST", path+"/batch/create", tok, `{"inputs":[`+tc.inputs+`]}`)
				if tc.status != 0 {
					r.Expect(t, tc.status)
					body := r.JSON(t)
					msg := strings.ReplaceAll(tc.message, "{taken}", taken)
					if body["category"] != tc.category || !strings.HasPrefix(body["message"].(string), msg) {
						t.Fatalf("%s", r.Body)
					}
					if _, ok := body["errors"]; ok && tc.status == 409 {
						t.Fatalf("conflict carries errors: %s", r.Body)
					}
					if n := count(t, h, path); n != 1 {
						t.Fatalf("%d contacts after a refused batch", n)
					}
					return
				}
				r.Expect(t, partialStatus(vc, 201))
				if n := len(r.Results(t)); n != tc.created {
					t.Fatalf("%d created: %s", n, r.Body)
				}
				// A result echoes its input's trace id.
				if got := r.Results(t)[0]["objectWriteTraceId"]; got != "t1" {
					t.Fatalf("result trace id %v: %s", got, r.Body)
				}
				errs := batchErrors(t, r.JSON(t))
				if len(errs) != len(tc.traces) {
					t.Fatalf("errors %v", errs)
				}
				for i, trace := range tc.traces {
					if contextOf(errs[i], "objectWriteTraceId") != "["+trace+"]" || errs[i]["status"] != "error" {
						t.Fatalf("error %d: %v", i, errs[i])
					}
				}
				if errs[0]["category"] != "VALIDATION_ERROR" || errs[1]["category"] != "CONFLICT" ||
					errs[1]["message"] != "Contact already exists. Existing ID: "+taken {
					t.Fatalf("errors %v", errs)
				}
				if n := count(t, h, path); n != 1+tc.created {
					t.Fatalf("%d contacts", n)
				}
			})
		}
	}
}

// TestBatchEmailConflicts: an update or upsert to an email another contact
// has fails that input with 409's error.
func TestBatchEmailConflicts(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			path := vc.prefix + "/contacts"
			a := create(t, h, path, `{"email":"a@example.com"}`)["id"].(string)
			b := create(t, h, path, `{"email":"b@example.com"}`)["id"].(string)
			r := h.Do("POST", path+"/batch/update", tok,
				`{"inputs":[{"id":"`+b+`","properties":{"email":"A@example.com"}},{"id":"`+a+`","properties":{"firstname":"Ada"}}]}`)
			r.Expect(t, partialStatus(vc, 200))
			errs := batchErrors(t, r.JSON(t))
			if len(r.Results(t)) != 1 || len(errs) != 1 || errs[0]["category"] != "CONFLICT" || errs[0]["message"] != "Contact already exists. Existing ID: "+a {
				t.Fatalf("update: %s", r.Body)
			}
			// Upsert of the same new email twice: created, then updated.
			r = h.Do("POST", path+"/batch/upsert", tok,
				`{"inputs":[{"id":"c@example.com","idProperty":"email","properties":{"firstname":"C"}},{"id":"C@example.com","idProperty":"email","properties":{"lastname":"D"}}]}`)
			r.Expect(t, 200)
			rs := r.Results(t)
			if rs[0]["new"] != true || rs[1]["new"] != false || rs[0]["id"] != rs[1]["id"] {
				t.Fatalf("upsert: %s", r.Body)
			}
			// Upsert by id: an unknown id is not created.
			r = h.Do("POST", path+"/batch/upsert", tok, `{"inputs":[{"id":"`+a+`","properties":{"email":"b@example.com"}},{"id":"995","properties":{}}]}`)
			r.Expect(t, partialStatus(vc, 200))
			if errs := batchErrors(t, r.JSON(t)); len(r.Results(t)) != 0 || len(errs) != 2 || errs[0]["category"] != "CONFLICT" || errs[1]["category"] != "OBJECT_NOT_FOUND" {
				t.Fatalf("upsert by id: %s", r.Body)
			}
		})
	}
}

// TestBatchTooManyInputs: more than 100 inputs are refused by every batch.
func TestBatchTooManyInputs(t *testing.T) {
	inputs := strings.Repeat(`{"id":"1","properties":{}},`, 101)
	body := `{"inputs":[` + strings.TrimSuffix(inputs, ",") + `]}`
	for _, vc := range versionCases {
		for _, op := range []string{"read", "create", "update", "upsert", "archive"} {
			t.Run(vc.name+"/"+op, func(t *testing.T) {
				h := apitest.New(t, server.Config{})
				r := h.Do("POST", vc.prefix+"/companies/batch/"+op, tok, body)
				r.Expect(t, 400)
				if m := r.JSON(t)["message"]; m != "Too many inputs: 101; a batch accepts at most 100" {
					t.Fatalf("message %v", m)
				}
				if n := count(t, h, vc.prefix+"/companies"); n != 0 {
					t.Fatalf("%d companies", n)
				}
			})
		}
	}
}

// faulty sends a batch with an X-Mockhub-Fault header and checks the answer
// against the contract.
func faulty(t *testing.T, h *apitest.Harness, path, fault, body string) apitest.Response {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Mockhub-Fault", fault)
	rec := httptest.NewRecorder()
	h.Srv.ServeHTTP(rec, req)
	res := apitest.Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	apitest.CheckContract(t, "POST", path, res)
	return res
}

// TestBatchFaults: the partial and batchStatus faults apply to record
// batches as to every batch.
func TestBatchFaults(t *testing.T) {
	traced := `{"inputs":[{"properties":{"name":"A"},"objectWriteTraceId":"1"},{"properties":{"name":"B"},"objectWriteTraceId":"2"}]}`
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			path := vc.prefix + "/companies"
			r := faulty(t, h, path+"/batch/create", "partial", traced)
			r.Expect(t, partialStatus(vc, 201))
			errs := batchErrors(t, r.JSON(t))
			if len(r.Results(t)) != 1 || len(errs) != 1 || errs[0]["category"] != "INTERNAL_ERROR" || contextOf(errs[0], "objectWriteTraceId") != "[2]" {
				t.Fatalf("partial: %s", r.Body)
			}
			r = faulty(t, h, path+"/batch/create", "batchStatus;status=PENDING;applyAfterMs=1000", traced)
			r.Expect(t, 201)
			if body := r.JSON(t); body["status"] != "PENDING" || len(r.Results(t)) != 0 {
				t.Fatalf("pending: %s", r.Body)
			}
			if n := count(t, h, path); n != 1 {
				t.Fatalf("%d companies before the batch is due", n)
			}
			h.Clock.Advance(time.Second)
			if n := count(t, h, path); n != 3 {
				t.Fatalf("%d companies once the batch is due", n)
			}
		})
	}
}

// TestDeferredRecordBatchesReplayWhole: a deferred batch is applied with
// the body and query string its request sent, not only its inputs: an
// upsert by the query's idProperty and a read with body options replay
// without failing, and the upsert lands on the record it names.
func TestDeferredRecordBatchesReplayWhole(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			path := vc.prefix + "/contacts"
			h.Do("POST", path, tok, `{"properties":{"email":"ada@example.com","firstname":"Ada"}}`).Expect(t, 201)
			pending := "batchStatus;status=PENDING;applyAfterMs=1000"
			r := faulty(t, h, path+"/batch/upsert?idProperty=email", pending, `{"inputs":[{"id":"ADA@example.com","properties":{"firstname":"Augusta"}}]}`)
			if body := r.JSON(t); body["status"] != "PENDING" {
				t.Fatalf("upsert: %d %s", r.Status, r.Body)
			}
			r = faulty(t, h, path+"/batch/read", pending, `{"inputs":[{"id":"1"}],"properties":["email"],"idProperty":"email"}`)
			if body := r.JSON(t); body["status"] != "PENDING" {
				t.Fatalf("read: %d %s", r.Status, r.Body)
			}
			h.Clock.Advance(time.Second)
			r = h.Do("GET", path+"/ada@example.com?idProperty=email&properties=firstname", tok, "")
			r.Expect(t, 200)
			if got := r.JSON(t)["properties"].(map[string]any)["firstname"]; got != "Augusta" {
				t.Fatalf("the deferred upsert did not land: %s", r.Body)
			}
			if n := count(t, h, path); n != 1 {
				t.Fatalf("%d contacts, want 1: the upsert created instead of updating", n)
			}
		})
	}
}
