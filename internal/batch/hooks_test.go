package batch

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/store"
)

// hookSpec is digitSpec whose -9 is a conflict rather than invalid, and
// whose batches are all-or-nothing when they start with a 9.
func hookSpec() Spec[digit, int] {
	spec := digitSpec()
	apply := spec.Apply
	spec.Apply = func(c *endpoint.Call, tx *store.Tx, in digit) (int, *store.InputError) {
		if in.N == -9 {
			return 0, &store.InputError{Kind: store.KindConflict, Message: "taken"}
		}
		return apply(c, tx, in)
	}
	spec.AllOrNothing = func(ins []digit) bool { return len(ins) > 0 && ins[0].N == 9 }
	return spec
}

func TestBatchAllOrNothingHook(t *testing.T) {
	tests := []struct {
		op       string
		fault    string
		digits   []int
		status   int
		applied  string
		category string
		message  string
		context  string // the answer's context, when a single input's error
	}{
		// Not decided all-or-nothing: per-input errors as the contract says.
		{op: multiStatus, digits: []int{1, -2, 3}, status: 207, applied: "13"},
		{op: errorsInBody, digits: []int{1, -9}, status: 200, applied: "1"},
		// Decided so: the first failed input's own error, nothing applied.
		{op: multiStatus, digits: []int{9, -2, -3}, status: 400, category: apierr.CategoryValidation, message: "input -2 is negative", context: "map[n:[-2]]"},
		{op: errorsInBody, digits: []int{9, 1, -9}, status: 409, category: apierr.CategoryConflict, message: "taken", context: "map[]"},
		// The partial fault's inputs have no error of their own: the whole
		// batch is refused, as an all-or-nothing contract refuses it.
		{op: multiStatus, fault: "partial", digits: []int{9, 1}, status: 400, category: apierr.CategoryValidation, message: apierr.MsgInternal},
		// Nothing failed: applied as usual.
		{op: multiStatus, digits: []int{9, 1}, status: 201, applied: "91"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.op, tt.fault, tt.digits), func(t *testing.T) {
			h := newHarness(t, 100, hookSpec())
			a := h.send(tt.op, tt.fault, tt.digits...)
			if a.status != tt.status {
				t.Fatalf("got %d %s, want %d", a.status, a.body, tt.status)
			}
			if got := h.applied(); got != tt.applied {
				t.Errorf("applied %q, want %q", got, tt.applied)
			}
			if tt.status < 400 {
				return
			}
			var e struct {
				Category string              `json:"category"`
				Message  string              `json:"message"`
				Context  map[string][]string `json:"context"`
				Errors   []apierr.Detail     `json:"errors"`
			}
			if err := json.Unmarshal(a.body, &e); err != nil {
				t.Fatal(err)
			}
			if e.Category != tt.category || e.Message != tt.message {
				t.Fatalf("answer %s", a.body)
			}
			if tt.context != "" && (fmt.Sprint(e.Context) != tt.context || len(e.Errors) != 0) {
				t.Fatalf("answer %s, want context %s and no errors list", a.body, tt.context)
			}
		})
	}
}

// mergeSpec merges the failed inputs into one error listing them.
func mergeSpec(answerAllFailed bool) Spec[digit, int] {
	spec := digitSpec()
	spec.AnswerAllFailed = answerAllFailed
	spec.Merge = func(_ *endpoint.Call, errs []store.InputError) []store.InputError {
		var ns []string
		for _, e := range errs {
			ns = append(ns, e.Context["n"]...)
		}
		return []store.InputError{{Kind: store.KindNotFound, Message: "missing", Context: map[string][]string{"n": ns}}}
	}
	return spec
}

func TestBatchMergeAndAnswerAllFailed(t *testing.T) {
	tests := []struct {
		op              string
		fault           string
		answerAllFailed bool
		digits          []int
		status          int
		applied         string
		errors          []string // category and context of each error
	}{
		{op: multiStatus, digits: []int{1, -2, 3, -4}, status: 207, applied: "13", errors: []string{"OBJECT_NOT_FOUND map[n:[-2 -4]]"}},
		{op: errorsInBody, digits: []int{-2, 3}, status: 200, applied: "3", errors: []string{"OBJECT_NOT_FOUND map[n:[-2]]"}},
		// The partial fault's inputs are reported one by one after the merged one.
		{op: multiStatus, fault: "partial", digits: []int{-1, 2, 3}, status: 207, applied: "2", errors: []string{"OBJECT_NOT_FOUND map[n:[-1]]", "INTERNAL_ERROR map[n:[3]]"}},
		// Every input failed: refused unless the Spec answers it.
		{op: multiStatus, digits: []int{-1, -2}, status: 400},
		{op: multiStatus, answerAllFailed: true, digits: []int{-1, -2}, status: 207, errors: []string{"OBJECT_NOT_FOUND map[n:[-1 -2]]"}},
		{op: errorsInBody, answerAllFailed: true, digits: []int{-1}, status: 200, errors: []string{"OBJECT_NOT_FOUND map[n:[-1]]"}},
		// An all-or-nothing contract refuses it all the same.
		{op: allOrNothing, answerAllFailed: true, digits: []int{-1}, status: 400},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.op, tt.fault, tt.answerAllFailed, tt.digits), func(t *testing.T) {
			h := newHarness(t, 100, mergeSpec(tt.answerAllFailed))
			a := h.send(tt.op, tt.fault, tt.digits...)
			if a.status != tt.status {
				t.Fatalf("got %d %s, want %d", a.status, a.body, tt.status)
			}
			if got := h.applied(); got != tt.applied {
				t.Errorf("applied %q, want %q", got, tt.applied)
			}
			if tt.status == 400 {
				return
			}
			env := a.envelope(t)
			if env.NumErrors != len(tt.errors) || len(env.Errors) != len(tt.errors) || fmt.Sprint(env.Results) != fmt.Sprint(digitsOf(tt.applied)) {
				t.Fatalf("envelope %s", a.body)
			}
			for i, want := range tt.errors {
				if got := env.Errors[i].Category + " " + fmt.Sprint(env.Errors[i].Context); got != want {
					t.Errorf("error %d = %s, want %s", i, got, want)
				}
			}
		})
	}
}
