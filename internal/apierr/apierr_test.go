package apierr

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mockhub/mockhub/internal/reqctx"
)

func TestWriteShapesHubSpotErrors(t *testing.T) {
	req := httptest.NewRequest("GET", "/x", nil)
	req = req.WithContext(reqctx.With(req.Context(), &reqctx.Info{CorrelationID: "0b7a3d4e-7f5e-4b8f-9a53-1b2c3d4e5f60"}))
	rec := httptest.NewRecorder()
	Write(rec, req, Validation("bad", Detail{Message: "bad", In: "name"}))
	if rec.Code != 400 || rec.Header().Get("Content-Type") != "application/json;charset=utf-8" || rec.Header().Get("X-HubSpot-Correlation-Id") == "" {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	want := `{"category":"VALIDATION_ERROR","correlationId":"0b7a3d4e-7f5e-4b8f-9a53-1b2c3d4e5f60","errors":[{"in":"name","message":"bad"}],"message":"bad","status":"error"}`
	if got, _ := json.Marshal(body); string(got) != want {
		t.Fatalf("body %s\nwant %s", got, want)
	}

	rec = httptest.NewRecorder()
	Write(rec, req, Unauthenticated())
	if rec.Code != 401 || rec.Header().Get("X-Hubspot-Auth-Failure") != "401 Unauthorized" {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
}

func TestNewBatchErrorHasEveryRequiredField(t *testing.T) {
	b, _ := json.Marshal(NewBatchError(CategoryValidation, "m", nil))
	if string(b) != `{"status":"error","category":"VALIDATION_ERROR","message":"m","context":{},"errors":[],"links":{}}` {
		t.Fatalf("%s", b)
	}
}

func TestEchoedPathIsCapped(t *testing.T) {
	long := "/crm/" + strings.Repeat("é", 300_000) // 600 KB, two bytes a character
	tests := []struct {
		name string
		err  *Error
	}{
		{"404", RouteNotFound("GET", long)},
		{"405", MethodNotAllowed("PATCH", long, []string{"GET"})},
		{"404 method", RouteNotFound(strings.Repeat("X", 100_000), "/x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.err.Body("id")
			if len(body) > 3*MaxEchoedPath {
				t.Fatalf("body of %d bytes for a %d-byte path", len(body), len(long))
			}
			if !utf8.Valid(body) || !strings.Contains(string(body), "…") {
				t.Fatalf("path not cut cleanly: %.200s", body)
			}
		})
	}
	if got := RouteNotFound("GET", "/short").Context["path"][0]; got != "/short" {
		t.Fatalf("a short path became %q", got)
	}
}

func TestMethodNotAllowedSendsOneAllowHeader(t *testing.T) {
	e := MethodNotAllowed("PATCH", "/x", []string{"GET", "POST", "PUT"})
	if got := e.Header.Values("Allow"); len(got) != 1 || got[0] != "GET,POST,PUT" {
		t.Fatalf("Allow = %q, want one value GET,POST,PUT", got)
	}
}
