package journal

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

func add(j *Journal, n int, portal int64) {
	for i := 0; i < n; i++ {
		j.Add(Entry{Method: "GET", Path: fmt.Sprintf("/p/%d", i), Status: 200, Portal: portal})
	}
}

func TestJournalIsBounded(t *testing.T) {
	j := New(3)
	add(j, 10, 1)
	got := j.List(Filter{})
	if len(got) != 3 || j.Len() != 3 {
		t.Fatalf("holds %d entries, want 3", len(got))
	}
	for i, want := range []uint64{10, 9, 8} {
		if got[i].Seq != want {
			t.Fatalf("entry %d has seq %d, want %d (newest first)", i, got[i].Seq, want)
		}
	}
}

func TestDisabledJournalKeepsNothing(t *testing.T) {
	j := New(0)
	add(j, 5, 1)
	j.ClearPortal(1)
	if n := len(j.List(Filter{})); n != 0 {
		t.Fatalf("holds %d entries", n)
	}
}

func TestFilter(t *testing.T) {
	j := New(10)
	j.Add(Entry{Method: "GET", Path: "/crm/v4/a", Status: 200, Portal: 1})
	j.Add(Entry{Method: "POST", Path: "/crm/v4/a/batch/create", Status: 201, Portal: 1})
	j.Add(Entry{Method: "POST", Path: "/crm/v4/a/batch/create", Status: 400, Portal: 2})
	j.Add(Entry{Method: "DELETE", Path: "/crm/v4/a/labels/7", Status: 404, Portal: 2})
	tests := []struct {
		name string
		f    Filter
		want []uint64
	}{
		{"all", Filter{}, []uint64{4, 3, 2, 1}},
		{"method any case", Filter{Method: "post"}, []uint64{3, 2}},
		{"path", Filter{Path: "/crm/*/a/batch/*"}, []uint64{3, 2}},
		{"portal", Filter{Portal: 2}, []uint64{4, 3}},
		{"status", Filter{Status: 201}, []uint64{2}},
		{"class", Filter{Status: 4, Class: true}, []uint64{4, 3}},
		{"limit", Filter{Limit: 1}, []uint64{4}},
		{"combined", Filter{Method: "POST", Portal: 1}, []uint64{2}},
		{"none", Filter{Method: "PUT"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []uint64
			for _, e := range j.List(tt.f) {
				got = append(got, e.Seq)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClear(t *testing.T) {
	j := New(4)
	for i := 0; i < 6; i++ {
		j.Add(Entry{Portal: int64(i%2 + 1)})
	}
	j.ClearPortal(1)
	var got []string
	for _, e := range j.List(Filter{}) {
		got = append(got, fmt.Sprint(e.Seq, "/", e.Portal))
	}
	if fmt.Sprint(got) != "[6/2 4/2]" {
		t.Fatalf("after ClearPortal(1): %v", got)
	}
	j.Add(Entry{Portal: 3})
	if e := j.List(Filter{Limit: 1}); e[0].Seq != 7 {
		t.Fatalf("newest after ClearPortal = %+v", e)
	}
	j.Clear()
	if j.Len() != 0 {
		t.Fatal("Clear kept entries")
	}
	j.Add(Entry{})
	if e := j.List(Filter{}); len(e) != 1 || e[0].Seq != 8 {
		t.Fatalf("seq after Clear = %+v, want 8 (never reused)", e)
	}
}

func BenchmarkAdd(b *testing.B) {
	j := New(1000)
	e := Entry{Method: "GET", Path: "/crm/v4/a", Status: 200}
	for b.Loop() {
		j.Add(e)
	}
}

// heap is the live heap after a collection.
func heap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestHugeRequestsStayWithinBytes: entries with huge headers, paths and
// queries are cut to an entry's bounds, and the journal to its byte bound,
// without keeping the requests' long strings alive.
func TestHugeRequestsStayWithinBytes(t *testing.T) {
	const maxBytes = 4 << 20
	j := New(1000)
	j.maxBytes = maxBytes
	before := heap()
	many := http.Header{}
	for i := range 3000 {
		many[fmt.Sprintf("X-H-%04d", i)] = []string{"v"}
	}
	for i := range 200 {
		huge := strings.Repeat(string(rune('a'+i%26)), 1<<20) // a new 1 MB string each time
		h := many.Clone()
		h["X-Huge"] = []string{huge, "second"}
		j.Add(Entry{Method: "GET", Path: "/" + huge, Query: "q=" + huge, Header: h, Body: huge, ResponseBody: huge})
		if b := j.Bytes(); b > maxBytes {
			t.Fatalf("after %d entries the journal holds %d bytes, over its bound of %d", i+1, b, maxBytes)
		}
	}
	if grown := heap() - before; grown > 2*maxBytes {
		t.Fatalf("the heap grew by %d bytes for a journal bound to %d", grown, maxBytes)
	}
	e := j.List(Filter{Limit: 1})[0]
	if e.Seq != 200 || !e.PathTruncated || !e.QueryTruncated || !e.BodyTruncated || !e.ResponseBodyTruncated || !e.HeadersTruncated {
		t.Fatalf("newest entry %d: truncated path %v, query %v, body %v, response %v, headers %v", e.Seq, e.PathTruncated, e.QueryTruncated, e.BodyTruncated, e.ResponseBodyTruncated, e.HeadersTruncated)
	}
	if len(e.Path) != MaxPath || len(e.Query) != MaxQuery || len(e.Body) != MaxBody || len(e.ResponseBody) != MaxBody || headerBytes(e.Header) > MaxHeaders {
		t.Fatalf("kept path %d, query %d, body %d, response %d, headers %d bytes", len(e.Path), len(e.Query), len(e.Body), len(e.ResponseBody), headerBytes(e.Header))
	}
	for name, vs := range e.Header {
		for _, v := range vs {
			if len(v) > MaxHeaderValue {
				t.Fatalf("header %s keeps %d bytes", name, len(v))
			}
		}
	}
	// Headers are kept in name order: the first ones, not a random few.
	if _, ok := e.Header["X-H-0000"]; !ok {
		t.Fatal("the first header by name was dropped")
	}
	j.Clear()
	if j.Len() != 0 || j.Bytes() != 0 {
		t.Fatalf("after Clear: %d entries, %d bytes", j.Len(), j.Bytes())
	}
}

// TestSmallRequestsAreKeptWhole: entries within the bounds are kept as
// they came, and the count bound still holds.
func TestSmallRequestsAreKeptWhole(t *testing.T) {
	j := New(5)
	h := http.Header{"Content-Type": {"application/json"}, "X-Long": {strings.Repeat("x", MaxHeaderValue)}}
	for range 7 {
		j.Add(Entry{Method: "POST", Path: "/crm/v4/x", Query: "a=1", Header: h, Body: `{"inputs":[]}`, ResponseBody: `{"results":[]}`})
	}
	got := j.List(Filter{})
	if len(got) != 5 || got[0].Seq != 7 {
		t.Fatalf("%d entries, newest %d", len(got), got[0].Seq)
	}
	e := got[0]
	if e.PathTruncated || e.QueryTruncated || e.HeadersTruncated || e.BodyTruncated || e.ResponseBodyTruncated || e.ResponseBody != `{"results":[]}` || len(e.Header["X-Long"][0]) != MaxHeaderValue {
		t.Fatalf("a request within the bounds was cut: %+v", e)
	}
}

func TestGetSinceCount(t *testing.T) {
	j := New(4)
	for i := range 6 {
		j.Add(Entry{Method: []string{"GET", "POST"}[i%2], Portal: 1})
	}
	// Held: 3..6.
	tests := []struct {
		seq uint64
		ok  bool
	}{{1, false}, {2, false}, {3, true}, {6, true}, {7, false}}
	for _, tt := range tests {
		if e, ok := j.Get(tt.seq); ok != tt.ok || (ok && e.Seq != tt.seq) {
			t.Errorf("Get(%d) = %d, %v; want ok %v", tt.seq, e.Seq, ok, tt.ok)
		}
	}
	seqs := func(es []Entry) string {
		var out []string
		for _, e := range es {
			out = append(out, fmt.Sprint(e.Seq))
		}
		return strings.Join(out, ",")
	}
	sinceTests := []struct {
		after uint64
		f     Filter
		want  string
	}{
		{0, Filter{}, "3,4,5,6"},
		{4, Filter{}, "5,6"},
		{6, Filter{}, ""},
		{0, Filter{Method: "POST"}, "4,6"},
		{0, Filter{Limit: 2}, "5,6"},
	}
	for _, tt := range sinceTests {
		if got := seqs(j.Since(tt.after, tt.f)); got != tt.want {
			t.Errorf("Since(%d, %+v) = %s, want %s (oldest first)", tt.after, tt.f, got, tt.want)
		}
	}
	if n := j.Count(Filter{Method: "GET", Limit: 1}); n != 2 {
		t.Errorf("Count = %d, want 2 (Limit ignored)", n)
	}
	if j.Seq() != 6 {
		t.Errorf("Seq = %d", j.Seq())
	}
}

// TestWatchHoldsOneSignal: a watcher that never reads holds one pending
// signal however many entries arrive, and a stopped one gets none.
func TestWatchHoldsOneSignal(t *testing.T) {
	j := New(10)
	c, stop := j.Watch()
	add(j, 1000, 1)
	if len(c) != 1 {
		t.Fatalf("watcher holds %d signals", len(c))
	}
	<-c
	stop()
	stop() // twice is harmless
	add(j, 5, 1)
	if len(c) != 0 {
		t.Fatal("a stopped watcher was signalled")
	}
	if n := j.Watching(); n != 0 {
		t.Fatalf("%d watchers left after stop", n)
	}
}
