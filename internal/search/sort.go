package search

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// sortKey is a match with what ordering needs, read once.
type sortKey struct {
	rec     Record
	id      string
	created time.Time
	has     bool
	num     float64
	str     string
}

// sortRecords orders matches by the request's sort (typed by the property's
// kind; records without a value last in either direction, as an index that
// sorts missing values last does), then by the default order: creation
// time, oldest first, then id numerically.
func sortRecords(recs []Record, s *Sort, schema Schema) {
	keys := make([]sortKey, len(recs))
	var kind Kind
	if s != nil {
		kind, _ = schema.Kind(s.PropertyName)
	}
	numeric := kind == Number || kind == Date || kind == DateTime || kind == Bool
	for i, r := range recs {
		k := sortKey{rec: r, id: r.ID(), created: r.CreatedAt()}
		if s != nil {
			if v, ok := value(r, s.PropertyName); ok {
				if numeric {
					k.num, k.has = parseNum(kind, v)
				} else {
					k.has = true
					k.str = v
					if kind == String {
						k.str = strings.ToLower(v)
					}
				}
			}
		}
		keys[i] = k
	}
	desc := s != nil && s.descending()
	slices.SortStableFunc(keys, func(a, b sortKey) int {
		if s != nil {
			switch {
			case a.has && !b.has:
				return -1
			case !a.has && b.has:
				return 1
			case a.has && b.has:
				c := cmp.Compare(a.num, b.num)
				if !numeric {
					c = strings.Compare(a.str, b.str)
				}
				if desc {
					c = -c
				}
				if c != 0 {
					return c
				}
			}
		}
		if c := a.created.Compare(b.created); c != 0 {
			return c
		}
		return compareIDs(a.id, b.id)
	})
	for i := range keys {
		recs[i] = keys[i].rec
	}
}

// compareIDs orders digit strings numerically: the shorter first, equal
// lengths lexically.
func compareIDs(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
