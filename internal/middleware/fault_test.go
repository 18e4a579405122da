package middleware

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/idgen"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/reqctx"
)

func faultDeps(t *testing.T, rules ...string) FaultDeps {
	t.Helper()
	random := idgen.New(1)
	var parsed []faults.Rule
	for _, js := range rules {
		var r faults.Rule
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, r)
	}
	set, err := faults.NewSet(random, parsed)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	return FaultDeps{Rules: set, Random: random, Done: done, Log: discard}
}

// faultExchange is one request through Fault and what the handler saw.
type faultExchange struct {
	rec   *httptest.ResponseRecorder
	info  *reqctx.Info
	calls int
	// batch is the batch fault the handler saw.
	batch faults.Fault
}

func serveFault(t *testing.T, op *openapi.Operation, d FaultDeps, method, header string) faultExchange {
	t.Helper()
	r := httptest.NewRequest(method, "/x", nil)
	if header != "" {
		r.Header.Set(faults.Header, header)
	}
	x := faultExchange{rec: httptest.NewRecorder(), info: &reqctx.Info{CorrelationID: "cid", PortalID: 111}}
	Fault(op, d)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		x.calls++
		x.batch = faults.BatchFault(r.Context())
		w.WriteHeader(http.StatusTeapot)
	})).ServeHTTP(x.rec, withInfo(r, x.info))
	return x
}

func TestFaultHeaderRefused(t *testing.T) {
	tests := []struct {
		name   string
		batch  bool
		header string
		msg    string
	}{
		{"unknown kind", true, "bogus", "Invalid X-Mockhub-Fault header: "},
		{"bad field", true, "latency;ms=abc", "Invalid X-Mockhub-Fault header: "},
		{"empty", true, ";;", "Invalid X-Mockhub-Fault header: "},
		{"partial on a non-batch operation", false, "partial;failInputs=1",
			"Invalid X-Mockhub-Fault header: fault partial applies to batch operations only"},
		{"batchStatus on a non-batch operation", false, "batchStatus;status=PENDING",
			"Invalid X-Mockhub-Fault header: fault batchStatus applies to batch operations only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := serveFault(t, handWritten(tt.batch), faultDeps(t), "POST", tt.header)
			body := errorBody(t, x.rec)
			msg, _ := body["message"].(string)
			if x.rec.Code != http.StatusBadRequest || body["category"] != apierr.CategoryValidation || body["correlationId"] != "cid" ||
				!strings.HasPrefix(msg, tt.msg) || (strings.HasSuffix(tt.msg, "only") && msg != tt.msg) {
				t.Errorf("got %d %s", x.rec.Code, x.rec.Body)
			}
			if x.calls != 0 || x.info.Fault != "" {
				t.Errorf("refused header: %d calls, Fault %q", x.calls, x.info.Fault)
			}
		})
	}
}

func TestFaultIsRecordedInRequestInfo(t *testing.T) {
	d := faultDeps(t, `{"id":"down","match":{"method":"GET"},"fault":{"kind":"status","status":503}}`)
	tests := []struct {
		name, method, header string
		batch                bool
		status               int
		want                 string
		wantBatch            bool
	}{
		{"rule fires", "GET", "", false, 503, "status/down", false},
		{"rule does not match", "POST", "", false, 418, "", false},
		{"header fault", "POST", "latency;ms=0", false, 418, "latency/header", false},
		{"header wins over a rule", "GET", "latency;ms=0", false, 418, "latency/header", false},
		{"batch header fault", "POST", "partial;failInputs=2", true, 418, "partial/header", true},
		{"header status fault", "POST", "status;status=500", false, 500, "status/header", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := serveFault(t, handWritten(tt.batch), d, tt.method, tt.header)
			if x.rec.Code != tt.status || x.info.Fault != tt.want {
				t.Errorf("got %d, Fault %q; want %d, %q", x.rec.Code, x.info.Fault, tt.status, tt.want)
			}
			if (x.batch != nil) != tt.wantBatch {
				t.Errorf("handler saw batch fault %v", x.batch)
			}
			if tt.status != 418 && x.calls != 0 {
				t.Error("a fault that answers reached the handler")
			}
		})
	}
}

func TestFaultBatchRuleSkipsOtherOperations(t *testing.T) {
	d := faultDeps(t, `{"id":"slow","fault":{"kind":"batchStatus","status":"PENDING"}}`)
	if x := serveFault(t, handWritten(false), d, "POST", ""); x.calls != 1 || x.info.Fault != "" || x.batch != nil {
		t.Errorf("non-batch: %d calls, Fault %q, batch %v", x.calls, x.info.Fault, x.batch)
	}
	x := serveFault(t, handWritten(true), d, "POST", "")
	bs, _ := x.batch.(*faults.BatchStatus)
	if x.calls != 1 || x.info.Fault != "batchStatus/slow" || bs == nil || bs.Status != faults.BatchPending {
		t.Errorf("batch: %d calls, Fault %q, batch %v", x.calls, x.info.Fault, x.batch)
	}
}

func TestFaultWithoutRulesOrHeaderPassesThrough(t *testing.T) {
	d := faultDeps(t)
	r := withInfo(httptest.NewRequest("POST", "/x", nil), &reqctx.Info{})
	w := httptest.NewRecorder()
	var gotR *http.Request
	var gotW http.ResponseWriter
	Fault(handWritten(true), d)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotR, gotW = r, w
	})).ServeHTTP(w, r)
	if gotR != r || gotW != w {
		t.Errorf("the request or writer was replaced: %p %p, want %p %p", gotR, gotW, r, w)
	}
	if info := reqctx.From(r.Context()); info.Fault != "" {
		t.Errorf("Fault %q", info.Fault)
	}
}
