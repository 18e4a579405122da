package journal

import (
	"fmt"
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
