package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/server"
)

func TestBatchStatusFaults(t *testing.T) {
	const ms = "2006-01-02T15:04:05.000Z"
	due := start.Add(1500 * time.Millisecond).Format(ms)
	tests := []struct {
		name, header, status string
		startedAt, completed string
		applied              bool
	}{
		{"pending", "batchStatus;status=PENDING;applyAfterMs=1500", "PENDING", due, due, true},
		{"processing", "batchStatus;status=PROCESSING;applyAfterMs=1500", "PROCESSING", start.Format(ms), due, true},
		{"canceled", "batchStatus;status=CANCELED", "CANCELED", start.Format(ms), start.Format(ms), false},
	}
	for _, tt := range tests {
		for _, version := range []string{"2026-03", "2025-09"} {
			t.Run(tt.name+" "+version, func(t *testing.T) {
				e := newEnv(t, server.Config{})
				r := e.must("POST", limitsPath(version, "/batch/create"), token, seedInput, map[string]string{"X-Mockhub-Fault": tt.header})
				wantCode := 201
				if version == "2025-09" {
					wantCode = 200
				}
				if r.status != wantCode {
					t.Fatalf("%d %s", r.status, r.body)
				}
				body := r.json(t)
				if body["status"] != tt.status || len(body["results"].([]any)) != 0 {
					t.Errorf("body %s", r.body)
				}
				if body["requestedAt"] != start.Format(ms) || body["startedAt"] != tt.startedAt || body["completedAt"] != tt.completed {
					t.Errorf("timestamps %v %v %v", body["requestedAt"], body["startedAt"], body["completedAt"])
				}
				if got := e.limits(token); len(got) != 0 {
					t.Fatalf("visible at once: %v", got)
				}
				e.clock.Advance(1499 * time.Millisecond)
				if got := e.limits(token); len(got) != 0 {
					t.Fatalf("visible before due: %v", got)
				}
				e.clock.Advance(time.Millisecond)
				got := e.limits(token)
				if tt.applied && got[279] != 5 || !tt.applied && len(got) != 0 {
					t.Fatalf("after due: %v", got)
				}
				e.clock.Advance(time.Hour)
				if got := e.limits(token); tt.applied != (len(got) == 1) {
					t.Fatalf("an hour later: %v", got)
				}
			})
		}
	}
}

func TestBatchStatusDefaultAndRefusal(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.addRule(`{"match":{"path":"/**/batch/update"},"fault":{"kind":"batchStatus","status":"PENDING"},"times":1}`)
	e.must("POST", limitsPath("2026-03", "/batch/create"), token, seedInput, nil)
	update := `{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":9,"typeId":279}]}`
	if r := e.must("POST", limitsPath("2026-03", "/batch/update"), token, update, nil); r.status != 200 || r.json(t)["status"] != "PENDING" {
		t.Fatalf("%d %s", r.status, r.body)
	}
	e.clock.Advance(999 * time.Millisecond)
	if got := e.limits(token); got[279] != 5 {
		t.Fatalf("before the default 1000 ms: %v", got)
	}
	e.clock.Advance(time.Millisecond)
	if got := e.limits(token); got[279] != 9 {
		t.Fatalf("after 1000 ms: %v", got)
	}
	// A batch that cannot succeed is refused at once, fault or not.
	bad := `{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":4}]}`
	r := e.must("POST", limitsPath("2026-03", "/batch/create"), token, bad, map[string]string{"X-Mockhub-Fault": "batchStatus;status=PROCESSING"})
	if r.status != 400 {
		t.Errorf("invalid pending batch: %d %s", r.status, r.body)
	}
	// Batch faults do not fire on other operations.
	e.addRule(`{"fault":{"kind":"batchStatus","status":"CANCELED"}}`)
	if r := e.must("GET", limitsPath("2026-03", ""), token, "", nil); r.status != 200 {
		t.Errorf("read under a batch rule: %d", r.status)
	}
}

func TestPartialFaults(t *testing.T) {
	tests := []struct {
		name, version, path, header string
		code, results, errs         int
		stored                      map[int]int
	}{
		{"207 in 2026-03", "2026-03", "/batch/create", "partial;failInputs=1", 207, 2, 1, map[int]int{279: 5, 1: 2}},
		{"207 in v4", "v4", "/batch/create", "partial;failInputs=2", 207, 1, 2, map[int]int{279: 5}},
		{"errors in the 200 of 2025-09", "2025-09", "/batch/create", "partial", 200, 2, 1, map[int]int{279: 5, 1: 2}},
		{"every input fails", "2026-03", "/batch/create", "partial;failInputs=3", 400, 0, 3, map[int]int{}},
		{"more than the inputs", "2026-09", "/batch/create", "partial;failInputs=10", 400, 0, 3, map[int]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, server.Config{})
			r := e.must("POST", limitsPath(tt.version, tt.path), token, threeInputs, map[string]string{"X-Mockhub-Fault": tt.header})
			if r.status != tt.code {
				t.Fatalf("%d %s", r.status, r.body)
			}
			body := r.json(t)
			if tt.code == 400 {
				if len(body["errors"].([]any)) != tt.errs {
					t.Errorf("400 lists %s", r.body)
				}
			} else {
				errs := body["errors"].([]any)
				if len(body["results"].([]any)) != tt.results || len(errs) != tt.errs || body["numErrors"] != float64(tt.errs) || body["status"] != "COMPLETE" {
					t.Errorf("body %s", r.body)
				}
				first := errs[0].(map[string]any)
				if first["status"] != "error" || first["category"] != "INTERNAL_ERROR" || first["context"].(map[string]any)["typeId"] == nil {
					t.Errorf("error item %v", first)
				}
			}
			got := e.limits(token)
			if len(got) != len(tt.stored) {
				t.Fatalf("stored %v, want %v", got, tt.stored)
			}
			for k, v := range tt.stored {
				if got[k] != v {
					t.Fatalf("stored %v, want %v", got, tt.stored)
				}
			}
		})
	}
}

// TestPartialOnPurge: the partial fault on a purge fails the last input; v4,
// whose purge answers 204, refuses the whole batch, while 2026-03, whose 200
// body has errors, reports that input and purges the others.
func TestPartialOnPurge(t *testing.T) {
	purge := `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":931},{"category":"HUBSPOT_DEFINED","typeId":1}]}`
	tests := []struct {
		version string
		code    int
		stored  map[int]int
	}{
		{"v4", 400, map[int]int{279: 5, 1: 2, 931: 3}},
		{"2026-03", 200, map[int]int{279: 5, 1: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			e := newEnv(t, server.Config{})
			e.must("POST", limitsPath("2026-03", "/batch/create"), token, threeInputs, nil)
			r := e.must("POST", limitsPath(tt.version, "/batch/purge"), token, purge, map[string]string{"X-Mockhub-Fault": "partial"})
			if r.status != tt.code {
				t.Fatalf("purge: %d %s", r.status, r.body)
			}
			if tt.code == 200 {
				body := r.json(t)
				errs, _ := body["errors"].([]any)
				if body["status"] != "COMPLETE" || body["numErrors"] != 1.0 || len(errs) != 1 {
					t.Fatalf("body %s", r.body)
				}
				first, _ := errs[0].(map[string]any)
				ctx, _ := first["context"].(map[string]any)
				if first["category"] != "INTERNAL_ERROR" || fmt.Sprint(ctx["typeId"]) != "[1]" {
					t.Errorf("error item %v", first)
				}
			}
			got := e.limits(token)
			if len(got) != len(tt.stored) {
				t.Fatalf("stored %v, want %v", got, tt.stored)
			}
			for k, v := range tt.stored {
				if got[k] != v {
					t.Fatalf("stored %v, want %v", got, tt.stored)
				}
			}
		})
	}
}
