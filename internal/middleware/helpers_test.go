package middleware

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/openapi/openapitest"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// start is when every test's manual clock starts.
var start = time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC)

var discard = slog.New(slog.DiscardHandler)

// operation returns an operation of the embedded documents.
func operation(t *testing.T, version, id string) *openapi.Operation {
	return openapitest.Operation(t, version, id)
}

// handWritten is a small hand-written operation: no security requirement
// and the given rate-limit exemptions.
func handWritten(batch bool, exemptions ...string) *openapi.Operation {
	return &openapi.Operation{
		Document:            &openapi.Document{Version: "test", Spec: &openapi3.T{}},
		ID:                  "test-op",
		Method:              http.MethodPost,
		Path:                "/test",
		Success:             http.StatusOK,
		Batch:               batch,
		RateLimitExemptions: exemptions,
	}
}

// withInfo returns r carrying info, as RequestInfo leaves it.
func withInfo(r *http.Request, info *reqctx.Info) *http.Request {
	return r.WithContext(reqctx.With(r.Context(), info))
}

// reached is a handler that answers 200 "ok" and counts its calls.
type reached struct{ calls int }

func (h *reached) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h.calls++
	_, _ = w.Write([]byte("ok"))
}

// errorBody is the HubSpot error body of rec.
func errorBody(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	return m
}
