// Package batch runs HubSpot batch operations for every API family: an
// operation whose contract takes {"inputs": [...]} registers a Spec (how to
// apply one input inside a store transaction, how to render the results) and
// the runner does the rest, once for all families:
//
//   - the input count limit;
//   - per-input errors, reported as the operation's contract allows: 207
//     with errors where the version has 207, the errors array of the 200/201
//     body where that body carries one, and otherwise all-or-nothing; a
//     batch whose every input fails is a 400 listing each failure and
//     changes nothing. A Spec may make a call all-or-nothing from its inputs
//     (AllOrNothing), merge its inputs' errors (Merge) and answer a batch
//     whose every input failed (AnswerAllFailed);
//   - the batch faults: partial (the last inputs fail on purpose) and
//     batchStatus (CANCELED applies nothing; PENDING and PROCESSING check
//     the batch now and apply it later, on the server's clock);
//   - the envelope: status and the requestedAt/startedAt/completedAt
//     timestamps.
package batch

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/store"
)

// Batch statuses.
const (
	StatusComplete   = "COMPLETE"
	StatusPending    = "PENDING"
	StatusProcessing = "PROCESSING"
	StatusCanceled   = "CANCELED"
)

// Messages of batch-level failures.
const (
	// MsgTooManyInputs has the number of inputs and the limit.
	MsgTooManyInputs = "Too many inputs: %d; a batch accepts at most %d"
	// MsgAllInputsFailed has the number of inputs.
	MsgAllInputsFailed = "All %d inputs failed"
	// MsgSomeInputsFailed has the number of failures and of inputs.
	MsgSomeInputsFailed = "%d of %d inputs failed"
)

// Body is HubSpot's batch input.
type Body[In any] struct {
	Inputs []In `json:"inputs"`
}

// Envelope is HubSpot's batch response.
type Envelope struct {
	Status      string              `json:"status"`
	Results     any                 `json:"results"`
	Errors      []apierr.BatchError `json:"errors,omitempty"`
	NumErrors   int                 `json:"numErrors,omitempty"`
	RequestedAt string              `json:"requestedAt"`
	StartedAt   string              `json:"startedAt"`
	CompletedAt string              `json:"completedAt"`
}

// Spec is what a family tells the runner about one batch operation.
type Spec[In, Out any] struct {
	// Apply applies one input inside the batch's transaction, against the
	// state as the batch's earlier inputs left it.
	Apply func(c *endpoint.Call, tx *store.Tx, in In) (Out, *store.InputError)
	// Context names an input in the error of an input failed on purpose by
	// the partial fault (HubSpot's error context, e.g. {"typeId": ["1"]}).
	Context func(in In) map[string][]string
	// Results renders the results list of the applied inputs (none for a
	// batch that has not been applied yet).
	Results func(c *endpoint.Call, applied []Out) any
	// MaxInputs overrides the store's limit on inputs per batch.
	MaxInputs int
	// AllOrNothing, when set, decides from a call's inputs that the call is
	// all-or-nothing even where the contract reports per-input errors
	// (HubSpot's record batch create reports them only when every input
	// carries a trace id). Such a call fails with its first failed input's
	// own error (status, category, message, context), as the operation
	// would answer for that input alone, and changes nothing.
	AllOrNothing func(inputs []In) bool
	// Merge, when set, rewrites the errors of the inputs Apply failed
	// before they are reported, e.g. into one item listing every id not
	// found. Inputs failed by the partial fault are reported as they are.
	Merge func(c *endpoint.Call, errs []store.InputError) []store.InputError
	// AnswerAllFailed answers a batch whose every input failed as one where
	// some failed (207, or errors in the body), instead of refusing it,
	// where the contract reports per-input errors: HubSpot's batch reads
	// answer unknown ids so.
	AnswerAllFailed bool
}

// Runner runs batches, and the batches a fault deferred when they are due.
type Runner struct {
	clock     clock.Clock
	maxInputs int
	deferred
}

// NewRunner returns a runner whose batches take at most maxInputs inputs
// unless their Spec says otherwise.
func NewRunner(clk clock.Clock, maxInputs int) *Runner {
	return &Runner{clock: clk, maxInputs: maxInputs, deferred: newDeferred()}
}

// Handle registers a batch operation.
func Handle[In, Out any](reg *endpoint.Registry, run *Runner, operationID string, spec Spec[In, Out]) {
	HandleWith(reg, run, operationID, func(b *Body[In]) []In { return b.Inputs },
		func(*endpoint.Call, *Body[In]) (Spec[In, Out], error) { return spec, nil })
}

// HandleWith registers a batch operation whose body B carries options beside
// its inputs (a batch read's properties): inputs picks the inputs out of a
// body, and spec builds the operation's Spec for a call and its body, or the
// error that refuses the call before any input is looked at. A deferred
// batch keeps only its inputs, so it is applied with spec(c, nil).
func HandleWith[B, In, Out any](reg *endpoint.Registry, run *Runner, operationID string, inputs func(*B) []In, spec func(c *endpoint.Call, body *B) (Spec[In, Out], error)) {
	endpoint.HandleBody(reg, operationID, func(c *endpoint.Call, body *B) (endpoint.Reply, error) {
		s, err := spec(c, body)
		if err != nil {
			return endpoint.Reply{}, err
		}
		return serve(run, s, c, inputs(body), func() (json.RawMessage, error) { return optionsOf(body) })
	})
	run.replays[operationID] = func(c *endpoint.Call, tx *store.Tx, d store.Deferred) error {
		// The body is rebuilt from the saved options and inputs, so the
		// Spec sees what the acknowledged request sent.
		fields := map[string]json.RawMessage{}
		if len(d.Options) > 0 {
			if err := json.Unmarshal(d.Options, &fields); err != nil {
				return fmt.Errorf("deferred options of %s: %w", operationID, err)
			}
		}
		fields["inputs"] = d.Inputs
		raw, err := json.Marshal(fields)
		if err != nil {
			return err
		}
		body := new(B)
		if err := json.Unmarshal(raw, body); err != nil {
			return fmt.Errorf("deferred body of %s: %w", operationID, err)
		}
		s, err := spec(c, body)
		if err != nil {
			return err
		}
		in := inputs(body)
		_, err = apply(s, c, tx, in, len(in), atomicCall(s, c, in))
		return err
	}
}

// optionsOf is what a batch body holds beside its inputs, as JSON (nil when
// nothing), for deferred work to replay the body whole.
func optionsOf(body any) (json.RawMessage, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	fields := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, nil // not an object: nothing beside the inputs
	}
	delete(fields, "inputs")
	for k, v := range fields {
		if string(v) == "null" || string(v) == `""` || string(v) == "[]" || string(v) == "false" {
			delete(fields, k)
		}
	}
	if len(fields) == 0 {
		return nil, nil
	}
	return json.Marshal(fields)
}

// atomicCall reports whether one failed input fails the whole call: the
// contract has no way to report it, or the Spec says so for these inputs.
func atomicCall[In, Out any](spec Spec[In, Out], c *endpoint.Call, inputs []In) bool {
	return (!c.Op.MultiStatus && !c.Op.ErrorsInBody) || (spec.AllOrNothing != nil && spec.AllOrNothing(inputs))
}

// operationKey names c's operation in deferred work: version and id.
func operationKey(c *endpoint.Call) string { return c.Op.Document.Version + " " + c.Op.ID }

// failure is one failed input, as the answer reports it.
type failure struct {
	index   int
	message string
	wire    apierr.BatchError
	// input is the error Apply returned, nil for an input failed by the
	// partial fault.
	input *store.InputError
}

// outcome is what running a batch did.
type outcome[Out any] struct {
	applied  []Out
	failures []failure
}

func serve[In, Out any](run *Runner, spec Spec[In, Out], c *endpoint.Call, inputs []In, options func() (json.RawMessage, error)) (endpoint.Reply, error) {
	atomic := atomicCall(spec, c, inputs)
	bs, _ := c.Fault.(*faults.BatchStatus)
	if bs != nil && bs.Status == faults.BatchCanceled {
		// A canceled batch applies nothing: startedAt is when it started,
		// completedAt when it was canceled (now).
		return reply(run, spec, c, StatusCanceled, outcome[Out]{}), nil
	}
	limit := run.maxInputs
	if spec.MaxInputs > 0 {
		limit = spec.MaxInputs
	}
	if n := len(inputs); n > limit {
		return endpoint.Reply{}, apierr.Validation(fmt.Sprintf(MsgTooManyInputs, n, limit))
	}
	failFrom := len(inputs)
	if p, ok := c.Fault.(*faults.Partial); ok {
		failFrom = max(len(inputs)-p.FailInputs, 0)
	}
	var out outcome[Out]
	portal := c.Portal()
	if bs != nil {
		// PENDING and PROCESSING check the batch now (a batch that cannot
		// succeed is refused now, and per-input errors are reported now)
		// and apply it when the clock reaches requestedAt + applyAfterMs.
		// Until then reads do not show it, so results are empty.
		err := portal.Check(func(tx *store.Tx) error {
			var err error
			out, err = apply(spec, c, tx, inputs, failFrom, atomic)
			return err
		})
		if err != nil {
			return endpoint.Reply{}, err
		}
		due := c.RequestedAt.Add(bs.ApplyAfter())
		raw, err := json.Marshal(inputs)
		if err != nil {
			return endpoint.Reply{}, err
		}
		opts, err := options()
		if err != nil {
			return endpoint.Reply{}, err
		}
		// The batch is owed once acknowledged: it is saved with the portal
		// before the answer goes out, and applied on time by the server.
		err = portal.Update(func(tx *store.Tx) error {
			_, err := tx.Defer(store.Deferred{Due: due, Operation: operationKey(c), Params: c.Params(), Query: c.RawQuery(), Inputs: raw, Options: opts})
			return err
		})
		if err != nil {
			return endpoint.Reply{}, err
		}
		run.arm(c.PortalID, due)
		status, started := StatusPending, due
		if bs.Status == faults.BatchProcessing {
			status, started = StatusProcessing, c.StartedAt
		}
		out.applied = nil
		r := reply(run, spec, c, status, out)
		// The envelope's timestamps say when the change lands: PENDING has
		// not started, so both startedAt and completedAt are the due time;
		// PROCESSING has started, so startedAt is now. Both keep
		// requestedAt <= startedAt <= completedAt: a PROCESSING batch due
		// before its handler started (applyAfterMs shorter than the time
		// the request took to get here) completes no earlier than it
		// started.
		completed := due
		if completed.Before(started) {
			completed = started
		}
		if env, ok := r.Body.(Envelope); ok {
			env.StartedAt, env.CompletedAt = endpoint.FormatTime(started), endpoint.FormatTime(completed)
			r.Body = env
		}
		return r, nil
	}
	err := portal.Update(func(tx *store.Tx) error {
		var err error
		out, err = apply(spec, c, tx, inputs, failFrom, atomic)
		return err
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return reply(run, spec, c, StatusComplete, out), nil
}

// apply runs the inputs in order inside tx, failing every input from index
// failFrom on with an internal error (the partial fault). It returns an error,
// which rolls tx back, when the batch cannot be applied: some input failed
// and the operation is all-or-nothing, or every input failed.
func apply[In, Out any](spec Spec[In, Out], c *endpoint.Call, tx *store.Tx, inputs []In, failFrom int, allOrNothing bool) (outcome[Out], error) {
	var out outcome[Out]
	for i, in := range inputs {
		if i >= failFrom {
			ctx := spec.Context(in)
			out.failures = append(out.failures, failure{
				index: i, message: apierr.MsgInternal,
				wire: apierr.NewBatchError(apierr.CategoryInternal, apierr.MsgInternal, ctx),
			})
			continue
		}
		// An input that fails halfway (a record created, then one of its
		// associations refused) leaves nothing behind.
		sp := tx.Savepoint()
		res, ierr := spec.Apply(c, tx, in)
		if ierr != nil {
			tx.Rollback(sp)
			out.failures = append(out.failures, fromStore(i, ierr))
			continue
		}
		out.applied = append(out.applied, res)
	}
	if len(out.failures) == 0 {
		return out, nil
	}
	if spec.AllOrNothing != nil && out.failures[0].input != nil && spec.AllOrNothing(inputs) {
		return outcome[Out]{}, ownError(out.failures[0])
	}
	if allOrNothing || (len(out.applied) == 0 && !spec.AnswerAllFailed) {
		return outcome[Out]{}, refusal(out.failures, len(inputs))
	}
	return out, nil
}

// fromStore words a store's per-input error for the answer.
func fromStore(index int, e *store.InputError) failure {
	return failure{index: index, message: e.Message, wire: apierr.FromInput(*e), input: e}
}

// ownError is the answer of a call failed by input f: its error as the
// operation would answer it for this input alone. (An input failed by the
// partial fault has no such answer; the batch is refused as a whole.)
func ownError(f failure) error {
	e := apierr.From(&store.Error{Kind: f.input.Kind, Message: f.message})
	if len(f.input.Context) > 0 {
		e.Context = f.input.Context
	}
	return e
}

// refusal is the 400 of a batch whose inputs could not be applied: it lists
// every failure.
func refusal(fs []failure, total int) error {
	details := make([]apierr.Detail, len(fs))
	for i, f := range fs {
		details[i] = apierr.Detail{Message: f.message, In: fmt.Sprintf("inputs[%d]", f.index), Context: f.wire.Context}
	}
	msg := fs[0].message
	if len(fs) > 1 {
		msg = fmt.Sprintf(MsgAllInputsFailed, total)
		if len(fs) < total {
			msg = fmt.Sprintf(MsgSomeInputsFailed, len(fs), total)
		}
	}
	return apierr.Validation(msg, details...)
}

// reply builds the answer of a batch with the given status.
func reply[In, Out any](run *Runner, spec Spec[In, Out], c *endpoint.Call, status string, out outcome[Out]) endpoint.Reply {
	if c.Op.Success == http.StatusNoContent {
		return endpoint.NoContent
	}
	env := Envelope{
		Status:      status,
		Results:     spec.Results(c, out.applied),
		RequestedAt: endpoint.FormatTime(c.RequestedAt),
		StartedAt:   endpoint.FormatTime(c.StartedAt),
		CompletedAt: endpoint.FormatTime(run.clock.Now()),
	}
	code := c.Op.Success
	if len(out.failures) > 0 {
		env.Errors = wireErrors(spec, c, out.failures)
		env.NumErrors = len(env.Errors)
		if c.Op.MultiStatus {
			code = http.StatusMultiStatus
		}
	}
	return endpoint.Reply{Status: code, Body: env}
}

// wireErrors lists the failures for the answer, those of Apply merged by the
// Spec when it says how.
func wireErrors[In, Out any](spec Spec[In, Out], c *endpoint.Call, fs []failure) []apierr.BatchError {
	out := make([]apierr.BatchError, 0, len(fs))
	var inputs []store.InputError
	for _, f := range fs {
		if spec.Merge != nil && f.input != nil {
			inputs = append(inputs, *f.input)
			continue
		}
		out = append(out, f.wire)
	}
	if spec.Merge == nil {
		return out
	}
	merged := make([]apierr.BatchError, 0, len(fs))
	for _, e := range spec.Merge(c, inputs) {
		merged = append(merged, apierr.FromInput(e))
	}
	return append(merged, out...)
}
