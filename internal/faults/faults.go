// Package faults decides which requests misbehave and how. A Rule says which
// requests it hits (Match), what happens to them (a Fault) and how often
// (times, after, probability); a Set holds the rules and picks the fault of a
// request. Each kind of fault is a small JSON-tagged struct in its own file,
// listed in the registry below; the X-Mockhub-Fault header names the same
// kinds with the same fields.
//
// Every random choice (probability, jitter) is drawn from one Random that the
// server seeds, so the same seed and the same requests fire the same faults.
package faults

import (
	"context"
	"net/http"
	"sort"
)

// Random is the seeded random source faults draw from (idgen.Source).
type Random interface {
	Float64() float64
	Int64N(n int64) int64
}

// Fault is one kind of misbehaviour.
type Fault interface {
	// Kind is the name of the kind in rules and in the header.
	Kind() string
	// check validates the fields and fills in defaults.
	check() error
	// Serve answers r with the fault applied; next serves the real answer.
	Serve(x *Exchange, w http.ResponseWriter, r *http.Request, next http.Handler)
}

// batchOnly is implemented by kinds that only make sense for batch
// operations; a rule of such a kind does not fire on other requests.
type batchOnly interface{ batchOnly() }

// Exchange is what a fault may use while it serves a request.
type Exchange struct {
	Random Random
	// Done is closed when the server shuts down; faults that hold a request
	// (hang, latency) give up then.
	Done <-chan struct{}
	// Portal is the portal of the request.
	Portal int64
	// MaxBody is the server's request body limit: a fault that reads the
	// body ahead of the handler (latency) keeps at most this much of it.
	MaxBody int64
}

// registry lists every kind; adding a kind is one file and one line here.
var registry = map[string]func() Fault{
	KindStatus:      func() Fault { return &Status{} },
	KindLatency:     func() Fault { return &Latency{} },
	KindHang:        func() Fault { return &Hang{} },
	KindReset:       func() Fault { return &Reset{} },
	KindEmpty:       func() Fault { return &Empty{} },
	KindMalformed:   func() Fault { return &Malformed{} },
	KindBatchStatus: func() Fault { return &BatchStatus{} },
	KindPartial:     func() Fault { return &Partial{} },
}

// Kinds lists the registered kinds in alphabetical order.
func Kinds() []string {
	out := make([]string, 0, len(registry))
	for k := range registry {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type batchKey struct{}

// withBatch marks the request as carrying a batch fault for the handler.
func withBatch(ctx context.Context, f Fault) context.Context {
	return context.WithValue(ctx, batchKey{}, f)
}

// BatchFault returns the batch fault (*BatchStatus or *Partial) that fired
// for the request, or nil. Batch handlers consult it: those faults change
// what the handler does rather than what the connection does.
func BatchFault(ctx context.Context) Fault {
	f, _ := ctx.Value(batchKey{}).(Fault)
	return f
}

// BatchOnly reports whether f only applies to batch operations.
func BatchOnly(f Fault) bool {
	_, ok := f.(batchOnly)
	return ok
}
