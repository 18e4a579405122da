package search

import (
	"fmt"
	"iter"
	"slices"
	"testing"
	"time"
)

// reusedRec is a Record its iterator overwrites at every step, as the
// store's walks do: only what Retain returns may be kept.
type reusedRec struct{ cur *rec }

func (r *reusedRec) ID() string                    { return r.cur.ID() }
func (r *reusedRec) Value(p string) (string, bool) { return r.cur.Value(p) }
func (r *reusedRec) CreatedAt() time.Time          { return r.cur.CreatedAt() }
func (r *reusedRec) Retain() Record                { return r.cur }

// reusing walks rs through one reusedRec.
func reusing(rs []*rec) iter.Seq[Record] {
	return func(yield func(Record) bool) {
		r := &reusedRec{}
		for _, x := range rs {
			r.cur = x
			if !yield(r) {
				return
			}
		}
	}
}

// TestParts: a scan of records cut into parts, or walked through one reused
// Record, finds what a plain scan finds, in the same order.
func TestParts(t *testing.T) {
	rs, _ := contacts(1000)
	reqs := map[string]*Request{
		"contains token": one(Filter{PropertyName: "email", Operator: ContainsToken, Value: sv("*@example7.com")}),
		"everything":     {Limit: 200},
		"sorted by name": {Limit: 200, Sorts: []Sort{{PropertyName: "firstname", Direction: Descending}}, FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "amount", Operator: LT, Value: sv("300")}}}}},
		"nothing":        one(Filter{PropertyName: "email", Operator: EQ, Value: sv("nobody@example.com")}),
	}
	cuts := map[string][]int{"one part": {1000}, "two parts": {500, 1000}, "uneven parts": {1, 2, 700, 700, 1000}}
	for name, req := range reqs {
		want, err := Search(req, testSchema, seq(rs...), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for cutName, cut := range cuts {
			t.Run(fmt.Sprint(name, "/", cutName), func(t *testing.T) {
				var parts []iter.Seq[Record]
				from := 0
				for _, to := range cut {
					parts = append(parts, reusing(rs[from:to]))
					from = to
				}
				got, err := Search(req, testSchema, reusing(rs), Options{Parts: parts})
				if err != nil {
					t.Fatal(err)
				}
				if got.Total != want.Total || !slices.Equal(ids(got.Results), ids(want.Results)) || got.After != want.After {
					t.Errorf("total %d %v after %q, want %d %v after %q", got.Total, ids(got.Results), got.After, want.Total, ids(want.Results), want.After)
				}
				for _, r := range got.Results {
					if _, reused := r.(*reusedRec); reused {
						t.Fatalf("a result is the iterator's reused record")
					}
				}
			})
		}
	}
}
