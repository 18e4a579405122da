package server_test

import (
	"github.com/mockhub/mockhub/internal/apitest"
	"net/http"
	"testing"
)

// TestContractCheckCatchesDrift proves the contract check used by every
// other test can fail: answers that break our documents are refused.
func TestContractCheckCatchesDrift(t *testing.T) {
	json := http.Header{"Content-Type": {"application/json"}, "X-Hubspot-Correlation-Id": {"x"}}
	ok := `{"status":"COMPLETE","results":[],"startedAt":"2026-01-01T00:00:00.000Z","completedAt":"2026-01-01T00:00:00.000Z"}`
	cases := []struct {
		name   string
		method string
		path   string
		status int
		body   string
		valid  bool
	}{
		{"v4 create 201", "POST", "/crm/v4/associations/definitions/configurations/0-1/0-2/batch/create", 201, ok, true},
		{"v4 create 200 is not v4", "POST", "/crm/v4/associations/definitions/configurations/0-1/0-2/batch/create", 200, ok, false},
		{"2026-09 create 201 is not 2026-09", "POST", "/crm/associations/2026-09/definitions/configurations/0-1/0-2/batch/create", 201, ok, false},
		{"bad batch status", "POST", "/crm/associations/2026-09/definitions/configurations/0-1/0-2/batch/create", 200, `{"status":"DONE","results":[],"startedAt":"2026-01-01T00:00:00.000Z","completedAt":"2026-01-01T00:00:00.000Z"}`, false},
		{"missing completedAt", "POST", "/crm/associations/2026-09/definitions/configurations/0-1/0-2/batch/create", 200, `{"status":"COMPLETE","results":[],"startedAt":"2026-01-01T00:00:00.000Z"}`, false},
		{"error without category", "GET", "/crm/associations/2026-09/definitions/configurations/all", 400, `{"status":"error","message":"x","correlationId":"0b7a3d4e-7f5e-4b8f-9a53-1b2c3d4e5f60"}`, false},
		{"error ok", "GET", "/crm/associations/2026-09/definitions/configurations/all", 400, `{"status":"error","message":"x","category":"VALIDATION_ERROR","correlationId":"0b7a3d4e-7f5e-4b8f-9a53-1b2c3d4e5f60"}`, true},
		{"unknown route must be an error", "GET", "/nowhere", 200, `{}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := apitest.ContractError(tc.method, tc.path, apitest.Response{Status: tc.status, Header: json, Body: []byte(tc.body)})
			if (err == nil) != tc.valid {
				t.Fatalf("valid=%v, err=%v", tc.valid, err)
			}
		})
	}
}
