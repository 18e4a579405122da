package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mockhub/mockhub/openapi"
	"github.com/mockhub/mockhub/server"
)

// responseSchema finds the JSON schema our document declares for status of
// the operation at method and path (default when status is not listed).
func responseSchema(t *testing.T, version, method, path string, status int) *openapi3.Schema {
	t.Helper()
	docs, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ops, err := openapi.Operations(docs)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range ops {
		if op.Document.Version != version || op.Method != method || !templateMatches(op.Path, path) {
			continue
		}
		resp := op.Operation.Responses.Status(status)
		if resp == nil {
			resp = op.Operation.Responses.Default()
		}
		return resp.Value.Content.Get("application/json").Schema.Value
	}
	t.Fatalf("no operation %s %s %s", version, method, path)
	return nil
}

func templateMatches(template, path string) bool {
	a, b := strings.Split(template, "/"), strings.Split(path, "/")
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !strings.HasPrefix(a[i], "{") {
			return false
		}
	}
	return true
}

// TestFaultAnswersMatchTheContract checks that what faults answer is valid
// against our own documents: envelopes with other statuses, partial
// results, and every injected error body.
func TestFaultAnswersMatchTheContract(t *testing.T) {
	e := newEnv(t, server.Config{})
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
	}
	for _, c := range cases {
		t.Run(c.version+" "+c.path[strings.LastIndex(c.path, "/"):]+" "+c.header, func(t *testing.T) {
			e.srv.Reset()
			r := e.must(c.method, c.path, token, c.body, map[string]string{"X-Mockhub-Fault": c.header})
			if r.status == 204 {
				return
			}
			schema := responseSchema(t, c.version, c.method, c.path, r.status)
			var v any
			if err := json.Unmarshal(r.body, &v); err != nil {
				t.Fatal(err)
			}
			if err := schema.VisitJSON(v); err != nil {
				t.Errorf("%d %s\n%v", r.status, r.body, err)
			}
			if r.status < 300 {
				m := v.(map[string]any)
				if !(m["requestedAt"].(string) <= m["startedAt"].(string) && m["startedAt"].(string) <= m["completedAt"].(string)) {
					t.Errorf("timestamps out of order: %s", r.body)
				}
			}
		})
	}
}
