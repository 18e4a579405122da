package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/contract"
	"github.com/mockhub/mockhub/internal/server"
)

// TestFaultAnswersMatchTheContract checks that what faults answer is valid
// against our own documents: envelopes with other statuses, partial
// results, and every injected error body.
func TestFaultAnswersMatchTheContract(t *testing.T) {
	e := newEnv(t, server.Config{})
	checker, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	type exchange struct {
		version, method, path, body, header string
	}
	var cases []exchange
	for _, v := range []string{"v4", "2025-09", "2026-03", "2026-09"} {
		create := limitsPath(v, "/batch/create")
		for _, h := range []string{"batchStatus;status=PENDING", "batchStatus;status=PROCESSING;applyAfterMs=0", "batchStatus;status=CANCELED", "partial", "status;status=429", "status;status=477", "status;status=403", "status;status=503"} {
			cases = append(cases, exchange{v, "POST", create, threeInputs, h})
		}
		cases = append(cases, exchange{v, "POST", limitsPath(v, "/batch/purge"), `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279}]}`, "batchStatus;status=CANCELED"})
		// A purge whose last input fails: errors in the 200 body of the date
		// versions, a 400 in v4.
		cases = append(cases, exchange{v, "POST", limitsPath(v, "/batch/purge"), `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279},{"category":"HUBSPOT_DEFINED","typeId":1}]}`, "partial"})
	}
	for _, c := range cases {
		t.Run(c.version+" "+c.path[strings.LastIndex(c.path, "/"):]+" "+c.header, func(t *testing.T) {
			e.srv.Reset()
			r := e.must(c.method, c.path, token, c.body, map[string]string{"X-Mockhub-Fault": c.header})
			if err := checker.Check(c.method, c.path, r.status, r.header, r.body); err != nil {
				t.Error(err)
			}
			if r.status == 204 {
				return
			}
			if r.status < 300 {
				var m map[string]any
				if err := json.Unmarshal(r.body, &m); err != nil {
					t.Fatal(err)
				}
				if !(m["requestedAt"].(string) <= m["startedAt"].(string) && m["startedAt"].(string) <= m["completedAt"].(string)) {
					t.Errorf("timestamps out of order: %s", r.body)
				}
			}
		})
	}
}
