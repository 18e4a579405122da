package search

import (
	"iter"
	"slices"
	"time"
)

// rec is a record held in a map, as tests build them.
type rec struct {
	id      string
	created time.Time
	props   map[string]string
}

func (r *rec) ID() string           { return r.id }
func (r *rec) CreatedAt() time.Time { return r.created }
func (r *rec) Value(p string) (string, bool) {
	v, ok := r.props[p]
	return v, ok
}

// schema is a kind per property plus the query's properties.
type schema struct {
	kinds      map[string]Kind
	searchable []string
}

func (s schema) Kind(p string) (Kind, bool) {
	k, ok := s.kinds[p]
	return k, ok
}
func (s schema) Searchable() []string { return s.searchable }

var testSchema = schema{
	kinds: map[string]Kind{
		"email":        String,
		"firstname":    String,
		"amount":       Number,
		"active":       Bool,
		"closedate":    Date,
		"lastseen":     DateTime,
		"colors":       Enumeration,
		"hs_object_id": Number,
	},
	searchable: []string{"firstname", "email"},
}

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// mk builds a record created id minutes after t0.
func mk(id string, minute int, kv ...string) *rec {
	r := &rec{id: id, created: t0.Add(time.Duration(minute) * time.Minute), props: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		r.props[kv[i]] = kv[i+1]
	}
	return r
}

func seq(rs ...*rec) iter.Seq[Record] {
	return func(yield func(Record) bool) {
		for _, r := range rs {
			if !yield(r) {
				return
			}
		}
	}
}

func ids(rs []Record) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.ID())
	}
	return out
}

func sv(s string) *Scalar { v := Scalar(s); return &v }

func vals(s ...string) []Scalar {
	out := make([]Scalar, len(s))
	for i, v := range s {
		out[i] = Scalar(v)
	}
	return out
}

// one is a request with one group of the given filters and a page large
// enough for every test set.
func one(fs ...Filter) *Request {
	return &Request{FilterGroups: []FilterGroup{{Filters: fs}}, Limit: 200}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
