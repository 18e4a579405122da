package faults

import (
	"fmt"
	"net/http"
	"time"
)

// KindBatchStatus answers a batch as not (yet) complete.
const KindBatchStatus = "batchStatus"

// Batch statuses a batchStatus fault may answer with.
const (
	BatchPending    = "PENDING"
	BatchProcessing = "PROCESSING"
	BatchCanceled   = "CANCELED"
)

// BatchStatus answers a batch operation with status PENDING, PROCESSING or
// CANCELED. CANCELED applies nothing; PENDING and PROCESSING apply the batch
// ApplyAfterMs (default 1000) later on the server's clock, and until then
// reads do not show it. The batch handler does the work: Serve only marks
// the request.
type BatchStatus struct {
	Status       string `json:"status"`
	ApplyAfterMs *int   `json:"applyAfterMs,omitempty"`
}

// Kind implements Fault.
func (*BatchStatus) Kind() string { return KindBatchStatus }

func (*BatchStatus) batchOnly() {}

func (f *BatchStatus) check() error {
	switch f.Status {
	case BatchPending, BatchProcessing:
	case BatchCanceled:
		if f.ApplyAfterMs != nil {
			return fmt.Errorf("applyAfterMs does not apply to CANCELED")
		}
	default:
		return fmt.Errorf("status must be %s, %s or %s, got %q", BatchPending, BatchProcessing, BatchCanceled, f.Status)
	}
	if f.ApplyAfterMs == nil && f.Status != BatchCanceled {
		d := 1000
		f.ApplyAfterMs = &d
	}
	if f.ApplyAfterMs != nil && (*f.ApplyAfterMs < 0 || *f.ApplyAfterMs > 86_400_000) {
		return fmt.Errorf("applyAfterMs must be 0-86400000, got %d", *f.ApplyAfterMs)
	}
	return nil
}

// ApplyAfter is how long after the request the batch takes effect.
func (f *BatchStatus) ApplyAfter() time.Duration {
	if f.ApplyAfterMs == nil {
		return 0
	}
	return time.Duration(*f.ApplyAfterMs) * time.Millisecond
}

// Serve implements Fault.
func (f *BatchStatus) Serve(_ *Exchange, w http.ResponseWriter, r *http.Request, next http.Handler) {
	next.ServeHTTP(w, r.WithContext(withBatch(r.Context(), f)))
}
