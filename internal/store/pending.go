package store

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// This file holds what fault injection needs from the store: batches that
// fail some inputs on purpose (the partial fault), batches checked without
// being applied, and batches that take effect later (the batchStatus fault's
// PENDING and PROCESSING). Pending batches are due at a time of the server's
// clock; the server settles a portal's due batches before every request, so
// a test with a manual clock advances time instead of sleeping.

// pendingQueue is a portal's batches waiting to take effect, in the order
// they were accepted.
type pendingQueue struct {
	n     atomic.Int32
	mu    sync.Mutex
	items []pendingBatch
}

type pendingBatch struct {
	due          time.Time
	op           LimitOp
	pair         Pair
	inputs       []LimitInput
	allOrNothing bool
}

// DeferLimits queues a limits batch to be applied when the clock reaches
// due. It is checked again then, against the state of that moment; inputs
// that fail then are dropped silently, as HubSpot's asynchronous batches do.
func (pt *Portal) DeferLimits(op LimitOp, p Pair, inputs []LimitInput, allOrNothing bool, due time.Time) {
	q := &pt.pending
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(q.items, pendingBatch{due: due, op: op, pair: p, inputs: append([]LimitInput(nil), inputs...), allOrNothing: allOrNothing})
	q.n.Store(int32(len(q.items)))
}

// Pending reports how many deferred batches wait to take effect.
func (pt *Portal) Pending() int { return int(pt.pending.n.Load()) }

// Clock tells the time; clock.Clock satisfies it.
type Clock interface{ Now() time.Time }

// Settle applies the deferred batches due by clk's time, oldest first.
// Without pending batches it costs one atomic load (not even a clock read).
func (pt *Portal) Settle(clk Clock) {
	q := &pt.pending
	if q.n.Load() == 0 {
		return
	}
	now := clk.Now()
	q.mu.Lock()
	var due []pendingBatch
	keep := q.items[:0]
	for _, b := range q.items {
		if !now.Before(b.due) {
			due = append(due, b)
		} else {
			keep = append(keep, b)
		}
	}
	q.items = keep
	q.n.Store(int32(len(q.items)))
	// Applying under q.mu keeps two concurrent settles from applying
	// batches out of order.
	defer q.mu.Unlock()
	for _, b := range due {
		_, _ = pt.ApplyLimits(b.op, b.pair, b.inputs, b.allOrNothing)
	}
}

// CheckLimits runs a limits batch on a copy of the state and reports what it
// would do, changing nothing.
func (pt *Portal) CheckLimits(op LimitOp, p Pair, inputs []LimitInput, allOrNothing bool) (BatchResult, error) {
	if n := len(inputs); n > pt.cfg.MaxBatchInputs {
		return BatchResult{}, invalid(fmt.Sprintf(MsgTooManyInputs, n, pt.cfg.MaxBatchInputs))
	}
	var res BatchResult
	err := pt.dryRun(func(tx *Tx) error {
		var err error
		res, err = runLimits(tx, op, p, inputs, allOrNothing, len(inputs))
		return err
	})
	if err != nil {
		return BatchResult{}, err
	}
	return res, nil
}

// ApplyLimitsFailingLast is ApplyLimits with the last failLast inputs
// failed on purpose (an internal error each) whatever they hold. The rules
// for the other inputs, for all-or-nothing batches and for batches where
// every input fails are those of ApplyLimits.
func (pt *Portal) ApplyLimitsFailingLast(op LimitOp, p Pair, inputs []LimitInput, allOrNothing bool, failLast int) (BatchResult, error) {
	if n := len(inputs); n > pt.cfg.MaxBatchInputs {
		return BatchResult{}, invalid(fmt.Sprintf(MsgTooManyInputs, n, pt.cfg.MaxBatchInputs))
	}
	failFrom := max(len(inputs)-failLast, 0)
	var res BatchResult
	err := pt.Update(func(tx *Tx) error {
		var err error
		res, err = runLimits(tx, op, p, inputs, allOrNothing, failFrom)
		return err
	})
	if err != nil {
		return BatchResult{}, err
	}
	return res, nil
}

// runLimits is the loop of ApplyLimits in tx, failing every input from
// index failFrom on.
func runLimits(tx *Tx, op LimitOp, p Pair, inputs []LimitInput, allOrNothing bool, failFrom int) (BatchResult, error) {
	var res BatchResult
	for i, in := range inputs {
		if i >= failFrom {
			ctx := map[string][]string{"typeId": {strconv.Itoa(int(in.TypeID))}}
			res.Errors = append(res.Errors, InputError{Index: i, Kind: KindInternal, Message: MsgInternal, Context: ctx})
			continue
		}
		lim, ierr := tx.ApplyLimit(op, p, in)
		if ierr != nil {
			ierr.Index = i
			res.Errors = append(res.Errors, *ierr)
			continue
		}
		res.Limits = append(res.Limits, lim)
	}
	if len(res.Errors) > 0 && (len(res.Limits) == 0 || allOrNothing) {
		return BatchResult{}, batchFailure(res.Errors, len(inputs))
	}
	return res, nil
}

// BatchResult is the outcome of a limits batch: the limits it set (create and
// update) or removed (purge), in input order, and the inputs that failed.
type BatchResult struct {
	Limits []Limit
	Errors []InputError
}

// ApplyLimits runs a limits batch on pair p. Inputs that pass every rule are
// applied together; those that fail are reported and change nothing. When
// allOrNothing is set, any failure leaves the state untouched. When every
// input fails the whole batch fails with a 400 listing each failure.
func (pt *Portal) ApplyLimits(op LimitOp, p Pair, inputs []LimitInput, allOrNothing bool) (BatchResult, error) {
	return pt.ApplyLimitsFailingLast(op, p, inputs, allOrNothing, 0)
}

// batchFailure is the 400 of a batch whose inputs could not be applied.
func batchFailure(errs []InputError, total int) error {
	details := make([]Detail, len(errs))
	for i, e := range errs {
		details[i] = Detail{Message: e.Message, In: fmt.Sprintf("inputs[%d]", e.Index), Context: e.Context}
	}
	msg := errs[0].Message
	if len(errs) > 1 {
		msg = fmt.Sprintf(MsgAllInputsFailed, total)
		if len(errs) < total {
			msg = fmt.Sprintf("%d of %d inputs failed", len(errs), total)
		}
	}
	return invalid(msg, details...)
}
