package batch

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/idgen"
	"github.com/mockhub/mockhub/internal/middleware"
	"github.com/mockhub/mockhub/internal/objecttype"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/openapi/openapitest"
	"github.com/mockhub/mockhub/internal/reqctx"
	"github.com/mockhub/mockhub/internal/store"
)

// start is when every test's manual clock starts.
var start = time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC)

const portalID = 111

// pair is where the fake batch keeps its state: the limit of association
// type 279 (contacts to companies, unlabeled).
var pair = func() store.Pair {
	types, err := objecttype.Default()
	if err != nil {
		panic(err)
	}
	from, _ := types.Resolve("contacts")
	to, _ := types.Resolve("companies")
	return store.Pair{From: from.Key(), To: to.Key()}
}()

// digit is the fake batch's input: a digit in the typeId field of a limits
// input, so that the operations' contracts accept it. Applying digit d
// appends d to the decimal digits of type 279's limit, so the state shows
// which inputs were applied, and in which order; a negative digit fails.
type digit struct {
	N int `json:"typeId"`
}

const msgNegative = "input %d is negative"

func digitSpec() Spec[digit, int] {
	return Spec[digit, int]{
		Apply: func(_ *endpoint.Call, tx *store.Tx, in digit) (int, *store.InputError) {
			if in.N < 0 {
				msg := fmt.Sprintf(msgNegative, in.N)
				return 0, &store.InputError{Kind: store.KindInvalid, Message: msg, Context: map[string][]string{"n": {strconv.Itoa(in.N)}}}
			}
			prev, ierr := tx.ApplyLimit(store.LimitPurge, pair, store.LimitInput{Category: "HUBSPOT_DEFINED", TypeID: 279})
			if ierr != nil {
				return 0, ierr
			}
			if _, ierr := tx.ApplyLimit(store.LimitCreate, pair, store.LimitInput{Category: "HUBSPOT_DEFINED", TypeID: 279, Max: prev.Max*10 + int32(in.N)}); ierr != nil {
				return 0, ierr
			}
			return in.N, nil
		},
		Context: func(in digit) map[string][]string { return map[string][]string{"n": {strconv.Itoa(in.N)}} },
		Results: func(_ *endpoint.Call, applied []int) any { return append([]int{}, applied...) },
	}
}

// operation returns an operation of the embedded documents.
func operation(t *testing.T, version, id string) *openapi.Operation {
	return openapitest.Operation(t, version, id)
}

// The operations the tests drive, one per way of reporting failed inputs.
const (
	multiStatus  = "2026-03 limits-batch-create" // 201, 207 with errors
	errorsInBody = "2025-09 limits-batch-create" // 200 with errors in the body
	allOrNothing = "v4 limits-batch-purge"       // 204, any failure refuses the batch
)

// harness serves the fake batch at real operations of our documents,
// behind the request info and fault middleware, on a manual clock.
type harness struct {
	t      *testing.T
	clk    *clock.Manual
	store  *store.Store
	run    *Runner
	router chi.Router
	// guardTime is how long the guards take: the clock moves by it between
	// the request's arrival and its handler.
	guardTime time.Duration
	// portal is the caller's portal.
	portal int64
}

func newHarness(t *testing.T, maxInputs int, spec Spec[digit, int]) *harness {
	t.Helper()
	types, err := objecttype.Default()
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := store.DefaultCatalog(types)
	if err != nil {
		t.Fatal(err)
	}
	cfg := store.DefaultConfig()
	cfg.MaxLimit = 2_000_000_000 // room for nine digits
	h := &harness{t: t, clk: clock.NewManual(start), store: store.New(cfg, catalog), portal: portalID}
	h.run = NewRunner(h.clk, maxInputs)
	reg := endpoint.NewRegistry()
	Handle(reg, h.run, "limits-batch-create", spec)
	Handle(reg, h.run, "limits-batch-purge", spec)
	log := slog.New(slog.DiscardHandler)
	deps := endpoint.Deps{Store: h.store, Clock: h.clk, Log: log, MaxBodyBytes: 1 << 20, Settle: h.run.Settle}
	ops := map[string]*openapi.Operation{}
	random := idgen.New(1)
	rules, err := faults.NewSet(random, nil)
	if err != nil {
		t.Fatal(err)
	}
	fd := middleware.FaultDeps{Rules: rules, Random: random, Done: make(chan struct{}), Log: log}
	h.router = chi.NewRouter()
	h.router.Use(middleware.RequestInfo(random, h.clk), middleware.Recoverer(log))
	for _, name := range []string{multiStatus, errorsInBody, allOrNothing, "2026-03 limits-batch-purge"} {
		version, id, _ := strings.Cut(name, " ")
		op := operation(t, version, id)
		e, err := reg.Endpoint(op, deps)
		if err != nil {
			t.Fatal(err)
		}
		h.router.With(h.guards, middleware.Fault(op, fd)).Method(op.Method, op.Path, e)
		ops[name] = op
	}
	h.run.Attach(h.store, func(key string, portal int64, params map[string]string, query string) (*endpoint.Call, error) {
		op, ok := ops[key]
		if !ok {
			return nil, fmt.Errorf("no operation %q", key)
		}
		return reg.Replay(op, deps, portal, params, query)
	}, log)
	return h
}

// guards stands for authentication: the caller is h.portal.
func (h *harness) guards(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqctx.From(r.Context()).PortalID = h.portal
		h.clk.Advance(h.guardTime)
		next.ServeHTTP(w, r)
	})
}

// answer is a finished exchange.
type answer struct {
	status int
	body   []byte
}

// envelope decodes a batch answer.
func (a answer) envelope(t *testing.T) (env struct {
	Status      string              `json:"status"`
	Results     []int               `json:"results"`
	Errors      []apierr.BatchError `json:"errors"`
	NumErrors   int                 `json:"numErrors"`
	RequestedAt string              `json:"requestedAt"`
	StartedAt   string              `json:"startedAt"`
	CompletedAt string              `json:"completedAt"`
}) {
	t.Helper()
	if err := json.Unmarshal(a.body, &env); err != nil {
		t.Fatalf("answer %d %q: %v", a.status, a.body, err)
	}
	return env
}

// refusal decodes a HubSpot error answer.
func (a answer) refusal(t *testing.T) (e struct {
	Category string          `json:"category"`
	Message  string          `json:"message"`
	Errors   []apierr.Detail `json:"errors"`
}) {
	t.Helper()
	if err := json.Unmarshal(a.body, &e); err != nil {
		t.Fatalf("answer %d %q: %v", a.status, a.body, err)
	}
	return e
}

// send posts a batch of digits to the operation named "version id", with
// an X-Mockhub-Fault header when fault is not empty.
func (h *harness) send(name, fault string, digits ...int) answer {
	h.t.Helper()
	version, id, _ := strings.Cut(name, " ")
	op := operation(h.t, version, id)
	inputs := make([]string, len(digits))
	for i, d := range digits {
		inputs[i] = fmt.Sprintf(`{"category":"HUBSPOT_DEFINED","typeId":%d,"maxToObjectIds":1}`, d)
	}
	path := strings.NewReplacer("{fromObjectType}", "contacts", "{toObjectType}", "companies").Replace(op.Path)
	r := httptest.NewRequest(op.Method, path, strings.NewReader(`{"inputs":[`+strings.Join(inputs, ",")+`]}`))
	r.Header.Set("Content-Type", "application/json")
	if fault != "" {
		r.Header.Set(faults.Header, fault)
	}
	rec := httptest.NewRecorder()
	h.router.ServeHTTP(rec, r)
	return answer{rec.Code, rec.Body.Bytes()}
}

// applied returns the digits applied so far in portalID, in order.
func (h *harness) applied() string { return h.appliedIn(portalID) }

func (h *harness) appliedIn(portal int64) string {
	var limits []store.Limit
	h.store.Portal(portal).View(func(v *store.View) { limits = v.Limits(pair) })
	for _, l := range limits {
		if l.TypeID == 279 {
			return strconv.Itoa(int(l.Max))
		}
	}
	return ""
}

// stamp is the arrival time of every request on the harness's clock.
var stamp = endpoint.FormatTime(start)

func TestBatchAllSucceed(t *testing.T) {
	tests := []struct {
		op     string
		status int
	}{
		{multiStatus, 201},
		{errorsInBody, 200},
		{allOrNothing, 204},
		{"2026-03 limits-batch-purge", 200},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			h := newHarness(t, 100, digitSpec())
			a := h.send(tt.op, "", 1, 2, 3)
			if a.status != tt.status {
				t.Fatalf("got %d %s, want %d", a.status, a.body, tt.status)
			}
			if got := h.applied(); got != "123" {
				t.Errorf("applied %q, want 123", got)
			}
			if tt.status == 204 {
				if len(a.body) != 0 {
					t.Errorf("204 with a body: %s", a.body)
				}
				return
			}
			env := a.envelope(t)
			if env.Status != StatusComplete || fmt.Sprint(env.Results) != "[1 2 3]" || env.Errors != nil || env.NumErrors != 0 ||
				env.RequestedAt != stamp || env.StartedAt != stamp || env.CompletedAt != stamp {
				t.Errorf("envelope %s", a.body)
			}
			if strings.Contains(string(a.body), `"errors"`) || strings.Contains(string(a.body), `"numErrors"`) {
				t.Errorf("a batch without failures lists errors: %s", a.body)
			}
		})
	}
}

func TestBatchSomeInputsFail(t *testing.T) {
	tests := []struct {
		op      string
		digits  []int
		status  int
		applied string
		// message and in are the 400's; failed the envelope's errors.
		message string
		in      []string
		failed  []string
	}{
		{op: multiStatus, digits: []int{1, -2, 3}, status: 207, applied: "13", failed: []string{"-2"}},
		{op: multiStatus, digits: []int{-1, 2, -3}, status: 207, applied: "2", failed: []string{"-1", "-3"}},
		{op: errorsInBody, digits: []int{1, -2, 3}, status: 200, applied: "13", failed: []string{"-2"}},
		{op: allOrNothing, digits: []int{1, -2, 3}, status: 400, message: "input -2 is negative", in: []string{"inputs[1]"}},
		{op: allOrNothing, digits: []int{1, -2, -3}, status: 400, message: "2 of 3 inputs failed", in: []string{"inputs[1]", "inputs[2]"}},
		{op: "2026-03 limits-batch-purge", digits: []int{-1, 2}, status: 200, applied: "2", failed: []string{"-1"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.op, tt.digits), func(t *testing.T) {
			h := newHarness(t, 100, digitSpec())
			a := h.send(tt.op, "", tt.digits...)
			if a.status != tt.status {
				t.Fatalf("got %d %s, want %d", a.status, a.body, tt.status)
			}
			if got := h.applied(); got != tt.applied {
				t.Errorf("applied %q, want %q", got, tt.applied)
			}
			if tt.status == 400 {
				checkRefusal(t, a, tt.message, tt.in)
				return
			}
			env := a.envelope(t)
			if env.Status != StatusComplete || fmt.Sprint(env.Results) != fmt.Sprint(digitsOf(tt.applied)) || env.NumErrors != len(tt.failed) || len(env.Errors) != len(tt.failed) {
				t.Fatalf("envelope %s", a.body)
			}
			for i, n := range tt.failed {
				e := env.Errors[i]
				if e.Status != "error" || e.Category != apierr.CategoryValidation || e.Message != "input "+n+" is negative" || fmt.Sprint(e.Context["n"]) != "["+n+"]" {
					t.Errorf("error %d: %+v", i, e)
				}
			}
		})
	}
}

func TestBatchAllInputsFail(t *testing.T) {
	for _, op := range []string{multiStatus, errorsInBody, allOrNothing} {
		tests := []struct {
			digits  []int
			message string
			in      []string
		}{
			{[]int{-1}, "input -1 is negative", []string{"inputs[0]"}},
			{[]int{-1, -2, -3}, "All 3 inputs failed", []string{"inputs[0]", "inputs[1]", "inputs[2]"}},
		}
		for _, tt := range tests {
			t.Run(fmt.Sprint(op, tt.digits), func(t *testing.T) {
				h := newHarness(t, 100, digitSpec())
				a := h.send(op, "", tt.digits...)
				if a.status != 400 {
					t.Fatalf("got %d %s", a.status, a.body)
				}
				checkRefusal(t, a, tt.message, tt.in)
				if got := h.applied(); got != "" {
					t.Errorf("applied %q", got)
				}
			})
		}
	}
}

// checkRefusal checks a 400 that lists the failed inputs.
func checkRefusal(t *testing.T, a answer, message string, in []string) {
	t.Helper()
	e := a.refusal(t)
	if a.status != 400 || e.Category != apierr.CategoryValidation || e.Message != message || len(e.Errors) != len(in) {
		t.Fatalf("refusal %d %s, want %q listing %v", a.status, a.body, message, in)
	}
	for i, d := range e.Errors {
		if d.In != in[i] || !strings.HasPrefix(d.Message, "input -") && d.Message != apierr.MsgInternal || len(d.Context["n"]) != 1 {
			t.Errorf("detail %d: %+v, want in %s", i, d, in[i])
		}
	}
}

// digitsOf splits the applied digits.
func digitsOf(s string) []int {
	out := []int{}
	for _, c := range s {
		out = append(out, int(c-'0'))
	}
	return out
}

func TestBatchTooManyInputs(t *testing.T) {
	tests := []struct {
		name      string
		maxInputs int
		specMax   int
		digits    []int
		message   string
	}{
		{"runner's limit", 3, 0, []int{1, 2, 3, 4}, "Too many inputs: 4; a batch accepts at most 3"},
		{"spec's limit", 100, 2, []int{1, 2, 3}, "Too many inputs: 3; a batch accepts at most 2"},
		{"spec's limit over the runner's", 2, 3, []int{1, 2, 3}, ""},
		{"at the limit", 3, 0, []int{1, 2, 3}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := digitSpec()
			spec.MaxInputs = tt.specMax
			h := newHarness(t, tt.maxInputs, spec)
			a := h.send(multiStatus, "", tt.digits...)
			if tt.message == "" {
				if a.status != 201 || h.applied() != "123" {
					t.Errorf("got %d %s, applied %q", a.status, a.body, h.applied())
				}
				return
			}
			if e := a.refusal(t); a.status != 400 || e.Category != apierr.CategoryValidation || e.Message != tt.message {
				t.Errorf("got %d %s", a.status, a.body)
			}
			if got := h.applied(); got != "" {
				t.Errorf("applied %q", got)
			}
		})
	}
}

func TestBatchPartialFault(t *testing.T) {
	tests := []struct {
		op      string
		fault   string
		digits  []int
		status  int
		applied string
		failed  []string // the context of each failed input
		message string
		in      []string
	}{
		{op: multiStatus, fault: "partial", digits: []int{1, 2, 3}, status: 207, applied: "12", failed: []string{"3"}},
		{op: multiStatus, fault: "partial;failInputs=2", digits: []int{1, 2, 3, 4}, status: 207, applied: "12", failed: []string{"3", "4"}},
		{op: errorsInBody, fault: "partial;failInputs=1", digits: []int{1, 2}, status: 200, applied: "1", failed: []string{"2"}},
		// Failed on purpose and for real: both are reported, in input order.
		{op: multiStatus, fault: "partial;failInputs=1", digits: []int{-1, 2, 3}, status: 207, applied: "2", failed: []string{"-1", "3"}},
		{op: allOrNothing, fault: "partial;failInputs=1", digits: []int{1, 2}, status: 400, message: apierr.MsgInternal, in: []string{"inputs[1]"}},
		{op: allOrNothing, fault: "partial;failInputs=2", digits: []int{1, 2, 3}, status: 400, message: "2 of 3 inputs failed", in: []string{"inputs[1]", "inputs[2]"}},
		{op: multiStatus, fault: "partial;failInputs=5", digits: []int{1, 2}, status: 400, message: "All 2 inputs failed", in: []string{"inputs[0]", "inputs[1]"}},
		{op: multiStatus, fault: "partial", digits: []int{1}, status: 400, message: apierr.MsgInternal, in: []string{"inputs[0]"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.op, " ", tt.fault, tt.digits), func(t *testing.T) {
			h := newHarness(t, 100, digitSpec())
			a := h.send(tt.op, tt.fault, tt.digits...)
			if a.status != tt.status {
				t.Fatalf("got %d %s, want %d", a.status, a.body, tt.status)
			}
			if got := h.applied(); got != tt.applied {
				t.Errorf("applied %q, want %q", got, tt.applied)
			}
			if tt.status == 400 {
				checkRefusal(t, a, tt.message, tt.in)
				return
			}
			env := a.envelope(t)
			if env.Status != StatusComplete || env.NumErrors != len(tt.failed) || len(env.Errors) != len(tt.failed) {
				t.Fatalf("envelope %s", a.body)
			}
			for i, n := range tt.failed {
				e := env.Errors[i]
				want := apierr.NewBatchError(apierr.CategoryInternal, apierr.MsgInternal, map[string][]string{"n": {n}})
				if strings.HasPrefix(n, "-") {
					want = apierr.NewBatchError(apierr.CategoryValidation, fmt.Sprintf(msgNegative, -1), map[string][]string{"n": {n}})
				}
				if fmt.Sprint(e) != fmt.Sprint(want) {
					t.Errorf("error %d: %+v, want %+v", i, e, want)
				}
			}
		})
	}
}

func TestBatchCanceled(t *testing.T) {
	tests := []struct {
		op     string
		status int
	}{
		{multiStatus, 201},
		{errorsInBody, 200},
		{allOrNothing, 204},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			h := newHarness(t, 3, digitSpec())
			h.guardTime = 250 * time.Millisecond
			// Over the input limit and with failing inputs: a canceled
			// batch checks nothing.
			a := h.send(tt.op, "batchStatus;status=CANCELED", 1, -2, 3, 4, 5)
			if a.status != tt.status {
				t.Fatalf("got %d %s, want %d", a.status, a.body, tt.status)
			}
			if got := h.applied(); got != "" || h.run.Pending(portalID) != 0 {
				t.Errorf("applied %q, %d pending", got, h.run.Pending(portalID))
			}
			if tt.status == 204 {
				return
			}
			env := a.envelope(t)
			now := endpoint.FormatTime(start.Add(h.guardTime))
			if env.Status != StatusCanceled || env.Results == nil || len(env.Results) != 0 || env.Errors != nil ||
				env.RequestedAt != stamp || env.StartedAt != now || env.CompletedAt != now {
				t.Errorf("envelope %s", a.body)
			}
		})
	}
}

func TestBatchDeferred(t *testing.T) {
	const after = 1500 * time.Millisecond
	tests := []struct {
		name      string
		op        string
		status    string
		guardTime time.Duration
		digits    []int
		code      int
		applied   string // once due
		failed    int
		// started is startedAt as an offset from the request's arrival.
		started time.Duration
	}{
		{"pending", multiStatus, "PENDING", 0, []int{1, 2}, 201, "12", 0, after},
		{"pending, guards took time", multiStatus, "PENDING", 200 * time.Millisecond, []int{1, 2}, 201, "12", 0, after},
		{"pending with a failed input", multiStatus, "PENDING", 0, []int{1, -2, 3}, 207, "13", 1, after},
		{"pending, errors in the body", errorsInBody, "PENDING", 0, []int{-1, 2}, 200, "2", 1, after},
		{"pending, all or nothing", allOrNothing, "PENDING", 0, []int{1, 2}, 204, "12", 0, after},
		{"processing", multiStatus, "PROCESSING", 200 * time.Millisecond, []int{3, 4}, 201, "34", 0, 200 * time.Millisecond},
		{"processing with a failed input", multiStatus, "PROCESSING", 0, []int{-3, 4}, 207, "4", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, 100, digitSpec())
			h.guardTime = tt.guardTime
			a := h.send(tt.op, fmt.Sprintf("batchStatus;status=%s;applyAfterMs=%d", tt.status, after.Milliseconds()), tt.digits...)
			if a.status != tt.code {
				t.Fatalf("got %d %s, want %d", a.status, a.body, tt.code)
			}
			if got := h.applied(); got != "" {
				t.Errorf("applied %q before it was due", got)
			}
			if n := h.run.Pending(portalID); n != 1 {
				t.Errorf("%d pending", n)
			}
			if tt.code != 204 {
				env := a.envelope(t)
				if env.Status != tt.status || env.Results == nil || len(env.Results) != 0 || env.NumErrors != tt.failed || len(env.Errors) != tt.failed {
					t.Errorf("envelope %s", a.body)
				}
				// requestedAt <= startedAt <= completedAt, completedAt the
				// due time.
				want := [3]string{stamp, endpoint.FormatTime(start.Add(tt.started)), endpoint.FormatTime(start.Add(after))}
				if got := [3]string{env.RequestedAt, env.StartedAt, env.CompletedAt}; got != want {
					t.Errorf("timestamps %v, want %v", got, want)
				}
			}
			// Due at arrival + applyAfterMs, on the server's clock.
			h.clk.Set(start.Add(after - time.Millisecond))
			h.run.SettlePortal(portalID)
			if got := h.applied(); got != "" {
				t.Errorf("applied %q a millisecond early", got)
			}
			h.clk.Set(start.Add(after))
			h.run.SettlePortal(portalID)
			if got := h.applied(); got != tt.applied || h.run.Pending(portalID) != 0 {
				t.Errorf("once due: applied %q, want %q; %d pending", got, tt.applied, h.run.Pending(portalID))
			}
		})
	}
}

func TestBatchDeferredTimestampsStayOrdered(t *testing.T) {
	for _, status := range []string{"PENDING", "PROCESSING"} {
		for _, afterMs := range []int{0, 1, 1000} {
			t.Run(fmt.Sprint(status, afterMs), func(t *testing.T) {
				h := newHarness(t, 100, digitSpec())
				// The handler starts after the batch is due.
				h.guardTime = 5 * time.Millisecond
				a := h.send(multiStatus, fmt.Sprintf("batchStatus;status=%s;applyAfterMs=%d", status, afterMs), 1)
				env := a.envelope(t)
				if !(env.RequestedAt <= env.StartedAt && env.StartedAt <= env.CompletedAt) {
					t.Errorf("requestedAt %s, startedAt %s, completedAt %s", env.RequestedAt, env.StartedAt, env.CompletedAt)
				}
			})
		}
	}
}

func TestBatchDeferredRefusedNow(t *testing.T) {
	tests := []struct {
		op      string
		digits  []int
		message string
	}{
		{multiStatus, []int{-1, -2}, "All 2 inputs failed"},
		{allOrNothing, []int{1, -2}, "input -2 is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			h := newHarness(t, 100, digitSpec())
			a := h.send(tt.op, "batchStatus;status=PENDING;applyAfterMs=0", tt.digits...)
			if e := a.refusal(t); a.status != 400 || e.Message != tt.message {
				t.Errorf("got %d %s", a.status, a.body)
			}
			if n := h.run.Pending(portalID); n != 0 {
				t.Errorf("a refused batch was deferred: %d pending", n)
			}
			h.run.SettlePortal(portalID)
			if got := h.applied(); got != "" {
				t.Errorf("applied %q", got)
			}
		})
	}
}

func TestBatchDeferredAppliesInOrderOnTheNextRequest(t *testing.T) {
	h := newHarness(t, 100, digitSpec())
	// Accepted in this order, due in reverse order: each is applied at its
	// due time, so in due order, even when several fall due at once.
	for i, ms := range []int{300, 200, 100} {
		if a := h.send(multiStatus, fmt.Sprintf("batchStatus;status=PENDING;applyAfterMs=%d", ms), i+1); a.status != 201 {
			t.Fatalf("%d %s", a.status, a.body)
		}
	}
	h.clk.Advance(150 * time.Millisecond)
	// The next request of the portal settles what is due before it runs.
	if a := h.send(multiStatus, "", 9); a.status != 201 || h.applied() != "39" || h.run.Pending(portalID) != 2 {
		t.Fatalf("after 150ms: %d, applied %q, %d pending", a.status, h.applied(), h.run.Pending(portalID))
	}
	h.clk.Advance(time.Second)
	h.run.SettlePortal(portalID)
	if got := h.applied(); got != "3921" {
		t.Errorf("applied %q, want 3921", got)
	}
}

func TestBatchResetDropsDeferred(t *testing.T) {
	other := int64(portalID + 1)
	tests := []struct {
		name   string
		portal *int64
		// want is what each portal applies once due.
		want, wantOther string
	}{
		{"this portal", ptr(int64(portalID)), "", "12"},
		{"every portal", nil, "", ""},
		{"another portal", &other, "12", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, 100, digitSpec())
			for _, p := range []int64{portalID, other} {
				h.portal = p
				for d := 1; d <= 2; d++ {
					h.send(multiStatus, "batchStatus;status=PROCESSING;applyAfterMs=10", d)
				}
			}
			// A reset drops the portal's state, deferred work included, and
			// then the runner's timers.
			if tt.portal == nil {
				if err := h.store.Reset(); err != nil {
					t.Fatal(err)
				}
			} else if err := h.store.ResetPortal(*tt.portal); err != nil {
				t.Fatal(err)
			}
			h.run.Reset(tt.portal)
			for p, want := range map[int64]string{portalID: tt.want, other: tt.wantOther} {
				if n := h.run.Pending(p); n != len(want) {
					t.Errorf("portal %d: %d pending, want %d", p, n, len(want))
				}
			}
			h.clk.Advance(time.Second)
			h.run.SettlePortal(portalID)
			h.run.SettlePortal(other)
			if got := h.appliedIn(portalID); got != tt.want {
				t.Errorf("applied %q, want %q", got, tt.want)
			}
			if got := h.appliedIn(other); got != tt.wantOther {
				t.Errorf("other portal applied %q, want %q", got, tt.wantOther)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestBatchConcurrentSettleKeepsOrder(t *testing.T) {
	const batches = 9
	for round := range 20 {
		h := newHarness(t, 100, digitSpec())
		for d := 1; d <= batches; d++ {
			// Each due a millisecond after the one before.
			if a := h.send(multiStatus, fmt.Sprintf("batchStatus;status=PENDING;applyAfterMs=%d", d), d); a.status != 201 {
				t.Fatalf("%d %s", a.status, a.body)
			}
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range batches {
					h.run.SettlePortal(portalID)
				}
			}()
		}
		for range batches {
			h.clk.Advance(time.Millisecond)
		}
		wg.Wait()
		h.run.SettlePortal(portalID)
		if got := h.applied(); got != "123456789" {
			t.Fatalf("round %d: applied %q, want 123456789", round, got)
		}
	}
}

func TestBatchConcurrentDeferAndSettle(t *testing.T) {
	h := newHarness(t, 100, digitSpec())
	var wg sync.WaitGroup
	for d := 1; d <= 9; d++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if a := h.send(multiStatus, "batchStatus;status=PENDING;applyAfterMs=0", d); a.status != 201 {
				t.Errorf("%d %s", a.status, a.body)
			}
		}()
		go func() {
			defer wg.Done()
			h.run.SettlePortal(portalID)
			_ = h.run.Pending(portalID)
		}()
	}
	wg.Wait()
	h.run.SettlePortal(portalID)
	// Each batch applied once, in whatever order the requests came.
	got := []byte(h.applied())
	slices.Sort(got)
	if string(got) != "123456789" || h.run.Pending(portalID) != 0 {
		t.Errorf("applied %q, %d pending", h.applied(), h.run.Pending(portalID))
	}
}

// TestBatchFailedInputLeavesNothing: an input that writes and then fails is
// rolled back, and the inputs after it see the state before it.
func TestBatchFailedInputLeavesNothing(t *testing.T) {
	spec := digitSpec()
	apply := spec.Apply
	spec.Apply = func(c *endpoint.Call, tx *store.Tx, in digit) (int, *store.InputError) {
		if in.N != 9 {
			return apply(c, tx, in)
		}
		// Halfway: the limit is purged, then the input fails.
		if _, ierr := tx.ApplyLimit(store.LimitPurge, pair, store.LimitInput{Category: "HUBSPOT_DEFINED", TypeID: 279}); ierr != nil {
			return 0, ierr
		}
		return 0, &store.InputError{Kind: store.KindInvalid, Message: "nine fails halfway"}
	}
	h := newHarness(t, 100, spec)
	a := h.send(multiStatus, "", 1, 9, 3)
	if a.status != 207 {
		t.Fatalf("got %d %s", a.status, a.body)
	}
	if got := h.applied(); got != "13" {
		t.Fatalf("applied %q, want 13: the failed input's write was kept", got)
	}
}
