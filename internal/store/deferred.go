package store

import (
	"cmp"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/benbjohnson/immutable"
	"github.com/mockhub/mockhub/internal/decode"
)

// Deferred is work the server acknowledged and owes the client: a batch
// that a batchStatus fault answered PENDING or PROCESSING and that takes
// effect at Due. It is part of the portal's state, so it is saved with the
// acknowledgement (a crash does not lose it) and shown in the state
// document. The store keeps Operation, Params and Inputs opaque: they are
// the batch runner's, which replays them when Due comes.
type Deferred struct {
	// ID orders deferred work accepted at the same Due; assigned by Defer.
	ID  int64     `json:"id"`
	Due time.Time `json:"due"`
	// Operation names the operation to replay ("<version> <operationId>").
	Operation string `json:"operation"`
	// Params are the path parameters as the request sent them, Query its
	// query string.
	Params map[string]string `json:"params,omitempty"`
	Query  string            `json:"query,omitempty"`
	// Inputs are the batch's inputs as the operation's JSON, Options what
	// else its body held (a batch read's properties), if anything.
	Inputs  json.RawMessage `json:"inputs"`
	Options json.RawMessage `json:"options,omitempty"`
}

// deferredKey orders deferred work by due time, then by ID.
type deferredKey struct {
	due int64 // UnixNano
	id  int64
}

type deferredKeyOrder struct{}

func (deferredKeyOrder) Compare(a, b deferredKey) int {
	if c := cmp.Compare(a.due, b.due); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

func keyOf(d *Deferred) deferredKey { return deferredKey{d.Due.UnixNano(), d.ID} }

// deferredPart is the deferred domain: a persistent map ordered by due time,
// so the next due work is found in O(log n) and each change costs O(log n).
type deferredPart struct {
	m    *immutable.SortedMap[deferredKey, *Deferred]
	next int64
}

var deferredDomain = register(domain{
	name: "deferred",
	empty: func(*Config) any {
		return deferredPart{m: immutable.NewSortedMap[deferredKey, *Deferred](deferredKeyOrder{}), next: 1}
	},
	row: func(part any, key string) ([]byte, bool) {
		k, ok := parseDeferredKey(key)
		if !ok {
			return nil, false
		}
		d, ok := part.(deferredPart).m.Get(k)
		if !ok {
			return nil, false
		}
		return mustJSON(d), true
	},
	rows: func(part any) iter.Seq2[string, []byte] {
		return func(yield func(string, []byte) bool) {
			for _, d := range part.(deferredPart).all() {
				if !yield(deferredRowKey(keyOf(d)), mustJSON(d)) {
					return
				}
			}
		}
	},
	load: loadDeferred,
})

// deferredRowKey is a deferred item's saved key: due nanoseconds, then id,
// zero-padded so that keys sort as the items do.
func deferredRowKey(k deferredKey) string {
	return fmt.Sprintf("%020d-%020d", k.due, k.id)
}

func parseDeferredKey(s string) (deferredKey, bool) {
	a, b, ok := strings.Cut(s, "-")
	due, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return deferredKey{}, false
	}
	return deferredKey{due, id}, true
}

// loadDeferred decodes one saved deferred item strictly; its key must be the
// one its value says.
func loadDeferred(snap *Snapshot, key string, value []byte) error {
	var d Deferred
	if err := decode.JSON(value, &d); err != nil {
		return fmt.Errorf("deferred %q: %w", key, err)
	}
	if want := deferredRowKey(keyOf(&d)); key != want {
		return fmt.Errorf("deferred %q: the value is the item %q", key, want)
	}
	snap.Deferred = append(snap.Deferred, d)
	return nil
}

func (dp deferredPart) all() iter.Seq2[deferredKey, *Deferred] {
	return func(yield func(deferredKey, *Deferred) bool) {
		it := dp.m.Iterator()
		for !it.Done() {
			k, d, _ := it.Next()
			if !yield(k, d) {
				return
			}
		}
	}
}

func (v *View) deferred() deferredPart { return v.part(deferredDomain).(deferredPart) }

// NextDeferred returns the deferred work due first, if any.
func (v *View) NextDeferred() (Deferred, bool) {
	it := v.deferred().m.Iterator()
	if it.Done() {
		return Deferred{}, false
	}
	_, d, _ := it.Next()
	return *d, true
}

// DeferredCount returns how much deferred work the portal holds.
func (v *View) DeferredCount() int { return v.deferred().m.Len() }

// Defer adds work due at d.Due and returns it with its ID. A portal holds at
// most Config.MaxDeferred items: beyond, Defer fails, so that a client
// deferring batches in a loop cannot grow the portal without bound.
func (tx *Tx) Defer(d Deferred) (Deferred, error) {
	dp := tx.deferred()
	if limit := tx.pt.cfg.MaxDeferred; limit > 0 && dp.m.Len() >= limit {
		return Deferred{}, invalid(fmt.Sprintf(MsgTooManyDeferred, limit))
	}
	d.ID = dp.next
	d.Due = d.Due.UTC()
	k := keyOf(&d)
	stored := d
	tx.set(deferredDomain, deferredPart{m: dp.m.Set(k, &stored), next: dp.next + 1}, deferredRowKey(k))
	return d, nil
}

// Undefer removes deferred work (once it has been applied); it reports
// whether the work was still there.
func (tx *Tx) Undefer(d Deferred) bool {
	dp := tx.deferred()
	k := keyOf(&d)
	if _, ok := dp.m.Get(k); !ok {
		return false
	}
	tx.set(deferredDomain, deferredPart{m: dp.m.Delete(k), next: dp.next}, deferredRowKey(k))
	return true
}

// buildDeferred checks the deferred work of a state document and returns
// the domain's part.
func buildDeferred(items []Deferred, fail func(in, format string, args ...any)) deferredPart {
	b := immutable.NewSortedMapBuilder[deferredKey, *Deferred](deferredKeyOrder{})
	next := int64(1)
	seen := map[int64]bool{}
	for i, d := range items {
		at := fmt.Sprintf("deferred[%d]", i)
		switch {
		case d.ID <= 0:
			fail(at+".id", "id must be a positive integer, got %d", d.ID)
			continue
		case seen[d.ID]:
			fail(at+".id", "id %d is used by another deferred batch", d.ID)
			continue
		case d.Due.IsZero():
			fail(at+".due", "due is required")
			continue
		case d.Operation == "":
			fail(at+".operation", "operation is required")
			continue
		case !json.Valid(d.Inputs):
			fail(at+".inputs", "inputs must be JSON")
			continue
		case len(d.Options) > 0 && !json.Valid(d.Options):
			fail(at+".options", "options must be JSON")
			continue
		}
		seen[d.ID] = true
		d.Due = d.Due.UTC()
		stored := d
		b.Set(keyOf(&stored), &stored)
		next = max(next, d.ID+1)
	}
	return deferredPart{m: b.Map(), next: next}
}
