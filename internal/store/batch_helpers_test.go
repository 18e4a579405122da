package store

import "fmt"

// The server runs batches through its batch runner (internal/batch); these
// helpers run a limits batch the same way, input by input in one
// transaction, so that the store's tests can state a batch in one line.

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
	var res BatchResult
	err := pt.Update(func(tx *Tx) error {
		var err error
		res, err = runLimits(tx, op, p, inputs, allOrNothing)
		return err
	})
	return res, err
}

// batchFailure is the 400 of a batch whose inputs could not be applied.
func batchFailure(errs []InputError, total int) error {
	details := make([]Detail, len(errs))
	for i, e := range errs {
		details[i] = Detail{Message: e.Message, In: fmt.Sprintf("inputs[%d]", e.Index), Context: e.Context}
	}
	msg := errs[0].Message
	if len(errs) > 1 {
		msg = fmt.Sprintf("All %d inputs failed", total)
		if len(errs) < total {
			msg = fmt.Sprintf("%d of %d inputs failed", len(errs), total)
		}
	}
	return invalid(msg, details...)
}

// runLimits is the loop of ApplyLimits in tx.
func runLimits(tx *Tx, op LimitOp, p Pair, inputs []LimitInput, allOrNothing bool) (BatchResult, error) {
	var res BatchResult
	for i, in := range inputs {
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
