// Package journal records the API requests mockhub served, so a test can
// check what the code under test sent. It is a fixed-size ring: when full,
// each new entry replaces the oldest, so memory stays flat however many
// requests arrive.
package journal

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mockhub/mockhub/internal/pathpattern"
)

// Entry is one recorded request and the answer it got.
type Entry struct {
	// Seq numbers entries in arrival order, from 1; it keeps counting across
	// clears, so an id seen once is never reused.
	Seq    uint64    `json:"seq"`
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	// Query is the raw query string, with credentials masked.
	Query string `json:"query"`
	// Header holds the request headers, with the Authorization value masked.
	Header http.Header `json:"headers"`
	// Body is the request body as the server read it; empty when the request
	// was answered before its body was read (401, unknown route). At most
	// MaxBody bytes are kept.
	Body          string `json:"body"`
	BodyTruncated bool   `json:"bodyTruncated,omitempty"`
	Status        int    `json:"status"`
	// DurationMs is wall-clock time spent serving the request.
	DurationMs    float64 `json:"durationMs"`
	Portal        int64   `json:"portal,omitempty"`
	CorrelationID string  `json:"correlationId"`
	OperationID   string  `json:"operationId,omitempty"`
	// Fault names the fault that fired for this request, if any.
	Fault string `json:"fault,omitempty"`
}

// DecodeBody unmarshals the recorded body into v.
func (e *Entry) DecodeBody(v any) error {
	if err := json.Unmarshal([]byte(e.Body), v); err != nil {
		return fmt.Errorf("journal entry %d: body: %w", e.Seq, err)
	}
	return nil
}

// MaxBody is how many body bytes an entry keeps.
const MaxBody = 64 << 10

// Journal is a bounded, goroutine-safe request log.
type Journal struct {
	mu      sync.Mutex
	entries []Entry // ring of cap size
	next    int     // index the next entry goes to
	full    bool
	seq     uint64
}

// New returns a journal that keeps the size most recent entries. A size of
// zero or less keeps nothing.
func New(size int) *Journal {
	return &Journal{entries: make([]Entry, max(size, 0))}
}

// Size returns the bound.
func (j *Journal) Size() int { return len(j.entries) }

// Add records e, assigning its Seq.
func (j *Journal) Add(e Entry) {
	if len(j.entries) == 0 {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.Seq = j.seq
	j.entries[j.next] = e
	j.next++
	if j.next == len(j.entries) {
		j.next, j.full = 0, true
	}
}

// Len returns how many entries are held.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.full {
		return len(j.entries)
	}
	return j.next
}

// List returns the entries f selects, newest first.
func (j *Journal) List(f Filter) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []Entry{}
	n := j.next
	if j.full {
		n = len(j.entries)
	}
	for i := 0; i < n; i++ {
		idx := (j.next - 1 - i + len(j.entries)) % len(j.entries)
		e := j.entries[idx]
		if !f.Match(&e) {
			continue
		}
		out = append(out, e)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out
}

// Clear removes every entry.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.entries)
	j.next, j.full = 0, false
}

// ClearPortal removes the entries of one portal, keeping the others in
// order.
func (j *Journal) ClearPortal(portal int64) {
	if len(j.entries) == 0 {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	n := j.next
	if j.full {
		n = len(j.entries)
	}
	kept := make([]Entry, 0, n)
	for i := 0; i < n; i++ {
		idx := i
		if j.full {
			idx = (j.next + i) % len(j.entries)
		}
		if e := j.entries[idx]; e.Portal != portal {
			kept = append(kept, e)
		}
	}
	clear(j.entries)
	copy(j.entries, kept)
	j.next, j.full = len(kept)%len(j.entries), len(kept) == len(j.entries)
}

// Filter selects entries; zero fields select everything.
type Filter struct {
	// Method matches case-insensitively.
	Method string
	// Path is a pattern: "*" matches one path segment, "**" any number.
	Path   string
	Portal int64
	// Status is an exact status (404) or a class (4 for 4xx) when Class is
	// set.
	Status int
	Class  bool
	// Limit caps how many entries List returns (newest first).
	Limit int
}

// Match reports whether f selects e.
func (f Filter) Match(e *Entry) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, e.Method) {
		return false
	}
	if f.Portal != 0 && f.Portal != e.Portal {
		return false
	}
	if f.Status != 0 {
		if f.Class && e.Status/100 != f.Status {
			return false
		}
		if !f.Class && e.Status != f.Status {
			return false
		}
	}
	return f.Path == "" || pathpattern.Match(f.Path, e.Path)
}
