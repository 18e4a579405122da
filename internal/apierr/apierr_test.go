package apierr

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

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
