package crmproperties_test

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
)

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

// TestBatchFaults: the partial and batchStatus faults apply to property
// batches as to every batch; a deferred create lands when it is due.
func TestBatchFaults(t *testing.T) {
	for _, vc := range prefixes {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			base := vc.prefix + "/contacts"
			h.Do("POST", base+"/groups", tok, foodGroup).Expect(t, 201)

			r := faulty(t, h, base+"/batch/create", "partial", `{"inputs":[`+food+`,`+colour+`]}`)
			r.Expect(t, 207)
			errs := r.JSON(t)["errors"].([]any)
			if got := names(r.Results(t)); !slices.Equal(got, []string{"favorite_food"}) || len(errs) != 1 || errs[0].(map[string]any)["category"] != "INTERNAL_ERROR" {
				t.Fatalf("partial: %s", r.Body)
			}
			h.Do("GET", base+"/colour", tok, "").Expect(t, 404)

			r = faulty(t, h, base+"/batch/create", "batchStatus;status=PENDING;applyAfterMs=1000", `{"inputs":[`+colour+`]}`)
			r.Expect(t, 201)
			if body := r.JSON(t); body["status"] != "PENDING" || len(r.Results(t)) != 0 {
				t.Fatalf("pending: %s", r.Body)
			}
			h.Do("GET", base+"/colour", tok, "").Expect(t, 404)
			h.Clock.Advance(time.Second)
			h.Do("GET", base+"/colour", tok, "").Expect(t, 200)

			r = faulty(t, h, base+"/batch/archive", "batchStatus;status=CANCELED", `{"inputs":[{"name":"colour"}]}`)
			r.Expect(t, 204)
			h.Do("GET", base+"/colour", tok, "").Expect(t, 200)
		})
	}
}
