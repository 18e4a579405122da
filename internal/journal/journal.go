// Package journal records the API requests mockhub served, so a test can
// check what the code under test sent. It is bounded twice: by a count of
// entries and by bytes. Each entry keeps at most MaxPath bytes of path,
// MaxQuery of query, MaxHeaderValue of each header value, MaxHeaders of
// headers in all and MaxBody of each of the request and response bodies; beyond Size entries or MaxBytes in
// all, the oldest entries go. So memory stays flat however many requests
// arrive and whatever they carry.
package journal

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime/debug"
	"slices"
	"sort"
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
	// PathTruncated, QueryTruncated and HeadersTruncated say that the path,
	// the query or some headers were longer than an entry keeps: the path
	// and query are cut, long header values are cut and headers beyond the
	// entry's budget are left out.
	PathTruncated    bool `json:"pathTruncated,omitempty"`
	QueryTruncated   bool `json:"queryTruncated,omitempty"`
	HeadersTruncated bool `json:"headersTruncated,omitempty"`
	Status           int  `json:"status"`
	// ResponseBody is the body of the answer, at most MaxBody bytes of it
	// (then ResponseBodyTruncated); empty when the connection was dropped
	// before any was written.
	ResponseBody          string `json:"responseBody"`
	ResponseBodyTruncated bool   `json:"responseBodyTruncated,omitempty"`
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

// What one entry keeps at most, and what the journal holds in all.
const (
	// MaxBody is how many bytes of each body (request, response) an entry
	// keeps.
	MaxBody = 64 << 10
	// MaxPath and MaxQuery bound the path and the query string.
	MaxPath  = 4 << 10
	MaxQuery = 16 << 10
	// MaxHeaderValue bounds each header value, MaxHeaders an entry's
	// headers together (names, values and their bookkeeping as size
	// estimates it).
	MaxHeaderValue = 8 << 10
	MaxHeaders     = 64 << 10
	// MaxBytes bounds the estimated memory of all entries together.
	MaxBytes = 64 << 20
)

// entryOverhead is what an entry costs besides its strings: the Entry, the
// header map and the slices of its values, estimated high.
const (
	entryOverhead  = 512
	headerOverhead = 64
	valueOverhead  = 16
)

// freeAfterClear is how many bytes a clear must release for the journal to
// hand the memory back to the operating system at once, instead of when the
// runtime gets to it.
const freeAfterClear = 16 << 20

// Journal is a bounded, goroutine-safe request log.
type Journal struct {
	size     int
	maxBytes int64

	mu      sync.Mutex
	entries []Entry // ring, grown up to size; oldest at head
	head    int
	n       int
	bytes   int64
	seq     uint64
	// watchers are signalled (without blocking: each holds at most one
	// pending signal) after every Add.
	watchers map[chan struct{}]struct{}
}

// New returns a journal that keeps the size most recent entries, within
// MaxBytes. A size of zero or less keeps nothing.
func New(size int) *Journal {
	return &Journal{size: max(size, 0), maxBytes: MaxBytes}
}

// Size returns the bound.
func (j *Journal) Size() int { return j.size }

// Bytes returns the estimated memory the entries hold.
func (j *Journal) Bytes() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.bytes
}

// Add records e, assigning its Seq. What it keeps of e is cut to the
// entry's bounds, and copied where cut, so that e's long strings are not
// kept alive.
func (j *Journal) Add(e Entry) {
	if j.size == 0 {
		return
	}
	bound(&e)
	cost := size(&e)
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.Seq = j.seq
	for j.n > 0 && (j.n == j.size || j.bytes+cost > j.maxBytes) {
		j.dropOldest()
	}
	if j.n == len(j.entries) {
		grown := make([]Entry, min(max(2*len(j.entries), 16), j.size))
		for i := range j.n {
			grown[i] = j.entries[(j.head+i)%len(j.entries)]
		}
		j.entries, j.head = grown, 0
	}
	j.entries[(j.head+j.n)%len(j.entries)] = e
	j.n++
	j.bytes += cost
	for c := range j.watchers {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// Watch returns a channel that receives a signal after entries are added
// (several additions may make one signal: read them with Since) and a stop
// function that releases it. A watcher never holds more than one signal,
// however slow its reader, so watching costs no memory per entry.
func (j *Journal) Watch() (<-chan struct{}, func()) {
	c := make(chan struct{}, 1)
	j.mu.Lock()
	if j.watchers == nil {
		j.watchers = map[chan struct{}]struct{}{}
	}
	j.watchers[c] = struct{}{}
	j.mu.Unlock()
	var once sync.Once
	return c, func() {
		once.Do(func() {
			j.mu.Lock()
			delete(j.watchers, c)
			j.mu.Unlock()
		})
	}
}

// Watching returns how many watchers are registered (live streams).
func (j *Journal) Watching() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.watchers)
}

// Seq returns the number of the newest entry ever added (0 before any).
func (j *Journal) Seq() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.seq
}

// Get returns the entry numbered seq, while the journal holds it.
func (j *Journal) Get(seq uint64) (Entry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i := j.n - 1; i >= 0; i-- {
		e := &j.entries[(j.head+i)%len(j.entries)]
		if e.Seq == seq {
			return *e, true
		}
		if e.Seq < seq {
			break
		}
	}
	return Entry{}, false
}

// Since returns the entries f selects that are newer than seq, oldest
// first; f.Limit keeps the newest f.Limit of them.
func (j *Journal) Since(seq uint64, f Filter) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []Entry
	for i := j.n - 1; i >= 0; i-- {
		e := &j.entries[(j.head+i)%len(j.entries)]
		if e.Seq <= seq {
			break
		}
		if !f.Match(e) {
			continue
		}
		out = append(out, *e)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	slices.Reverse(out)
	return out
}

// Count returns how many held entries f selects, whatever its Limit.
func (j *Journal) Count(f Filter) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for i := range j.n {
		if f.Match(&j.entries[(j.head+i)%len(j.entries)]) {
			n++
		}
	}
	return n
}

func (j *Journal) dropOldest() {
	j.bytes -= size(&j.entries[j.head])
	j.entries[j.head] = Entry{}
	j.head = (j.head + 1) % len(j.entries)
	j.n--
}

// bound cuts e's strings to an entry's bounds.
func bound(e *Entry) {
	e.Path, e.PathTruncated = cut(e.Path, MaxPath, e.PathTruncated)
	e.Query, e.QueryTruncated = cut(e.Query, MaxQuery, e.QueryTruncated)
	e.Body, e.BodyTruncated = cut(e.Body, MaxBody, e.BodyTruncated)
	e.ResponseBody, e.ResponseBodyTruncated = cut(e.ResponseBody, MaxBody, e.ResponseBodyTruncated)
	e.Method, _ = cut(e.Method, 64, false)
	if headerBytes(e.Header) <= MaxHeaders && !longValue(e.Header) {
		return
	}
	// Names are kept in order, so which headers an entry keeps does not
	// depend on map iteration.
	names := make([]string, 0, len(e.Header))
	for name := range e.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	kept := make(http.Header, len(names))
	budget := MaxHeaders
	for _, name := range names {
		if budget < headerOverhead+len(name) {
			e.HeadersTruncated = true
			break
		}
		budget -= headerOverhead + len(name)
		var vs []string
		for _, v := range e.Header[name] {
			if budget < valueOverhead {
				e.HeadersTruncated = true
				break
			}
			budget -= valueOverhead
			limit := min(MaxHeaderValue, budget)
			if len(v) > limit {
				e.HeadersTruncated = true
			}
			v, _ = cut(v, limit, false)
			budget -= len(v)
			vs = append(vs, v)
		}
		kept[name] = vs
	}
	e.Header = kept
}

func longValue(h http.Header) bool {
	for _, vs := range h {
		for _, v := range vs {
			if len(v) > MaxHeaderValue {
				return true
			}
		}
	}
	return false
}

// headerBytes estimates what h holds in memory, as size counts it.
func headerBytes(h http.Header) int {
	n := 0
	for name, vs := range h {
		n += headerOverhead + len(name)
		for _, v := range vs {
			n += valueOverhead + len(v)
		}
	}
	return n
}

// cut returns s cut to limit bytes (copied, so that the rest can be
// collected) and whether it was cut, or already had been.
func cut(s string, limit int, already bool) (string, bool) {
	if len(s) <= limit {
		return s, already
	}
	return strings.Clone(s[:limit]), true
}

// size estimates what e holds in memory.
func size(e *Entry) int64 {
	n := entryOverhead + len(e.Method) + len(e.Path) + len(e.Query) + len(e.Body) + len(e.ResponseBody) + len(e.CorrelationID) + len(e.OperationID) + len(e.Fault)
	return int64(n + headerBytes(e.Header))
}

// Len returns how many entries are held.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.n
}

// List returns the entries f selects, newest first.
func (j *Journal) List(f Filter) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []Entry{}
	for i := j.n - 1; i >= 0; i-- {
		e := j.entries[(j.head+i)%len(j.entries)]
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

// Clear removes every entry and releases their memory.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	freed := j.bytes
	j.entries, j.head, j.n, j.bytes = nil, 0, 0, 0
	release(freed)
}

// ClearPortal removes the entries of one portal, keeping the others in
// order.
func (j *Journal) ClearPortal(portal int64) {
	if j.size == 0 {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	var kept []Entry
	var bytes int64
	for i := range j.n {
		if e := j.entries[(j.head+i)%len(j.entries)]; e.Portal != portal {
			kept = append(kept, e)
			bytes += size(&e)
		}
	}
	freed := j.bytes - bytes
	j.entries, j.head, j.n, j.bytes = kept, 0, len(kept), bytes
	release(freed)
}

// release hands freed memory back to the operating system when a clear
// freed much of it: the runtime would otherwise keep it mapped for minutes.
func release(freed int64) {
	if freed >= freeAfterClear {
		go debug.FreeOSMemory()
	}
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
