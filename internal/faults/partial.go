package faults

import (
	"fmt"
	"net/http"
)

// KindPartial fails the last inputs of a batch.
const KindPartial = "partial"

// Partial fails the last FailInputs inputs of a batch with per-input errors
// (default 1) and applies only the others: 207 where the version has it, the errors
// array of the 200 body otherwise. Where the operation cannot report
// per-input errors, or every input fails, the batch is refused whole with
// HubSpot's 400, as for real per-input failures. The batch handler does the
// work: Serve only marks the request.
type Partial struct {
	FailInputs int `json:"failInputs"`
}

// Kind implements Fault.
func (*Partial) Kind() string { return KindPartial }

func (*Partial) batchOnly() {}

func (f *Partial) check() error {
	if f.FailInputs == 0 {
		f.FailInputs = 1
	}
	if f.FailInputs < 0 {
		return fmt.Errorf("failInputs must be at least 1, got %d", f.FailInputs)
	}
	return nil
}

// Serve implements Fault.
func (f *Partial) Serve(_ *Exchange, w http.ResponseWriter, r *http.Request, next http.Handler) {
	next.ServeHTTP(w, r.WithContext(withBatch(r.Context(), f)))
}
