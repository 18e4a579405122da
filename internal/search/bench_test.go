package search

import (
	"fmt"
	"strings"
	"testing"
)

// contacts builds n synthetic contacts with 8 properties, created a minute
// apart, and an email index over them.
func contacts(n int) ([]*rec, *countingIndex) {
	rs := make([]*rec, n)
	idx := &countingIndex{byEmail: make(map[string][]Record, n)}
	for i := range rs {
		email := fmt.Sprintf("user%d@example%d.com", i, i%100)
		rs[i] = mk(fmt.Sprint(1000+i), i,
			"email", email,
			"firstname", fmt.Sprintf("First%d", i),
			"lastname", fmt.Sprintf("Last %d", i%1000),
			"amount", fmt.Sprint(i%5000),
			"active", fmt.Sprint(i%2 == 0),
			"closedate", "2024-03-01",
			"lastseen", "2024-03-01T10:00:00Z",
			"colors", "red;green",
		)
		idx.byEmail[strings.ToLower(email)] = append(idx.byEmail[strings.ToLower(email)], rs[i])
	}
	return rs, idx
}

func benchSearch(b *testing.B, req *Request, indexed bool) {
	for _, n := range []int{10, 100000} {
		b.Run(fmt.Sprint("records=", n), func(b *testing.B) {
			rs, idx := contacts(n)
			all := seq(rs...)
			opts := Options{}
			if indexed {
				opts.Index = idx
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res, err := Search(req, testSchema, all, opts)
				if err != nil || res.Total == 0 {
					b.Fatalf("total %d, err %v", res.Total, err)
				}
			}
		})
	}
}

// BenchmarkEQIndexed is an EQ on email answered by the index (goal < 1 ms
// at 100,000 records).
func BenchmarkEQIndexed(b *testing.B) {
	benchSearch(b, one(Filter{PropertyName: "email", Operator: EQ, Value: sv("USER7@example7.com")}), true)
}

// BenchmarkEQScan is the same EQ without the index, for comparison.
func BenchmarkEQScan(b *testing.B) {
	benchSearch(b, one(Filter{PropertyName: "email", Operator: EQ, Value: sv("USER7@example7.com")}), false)
}

// BenchmarkContainsTokenScan is a wildcard token match over every record
// (goal < 50 ms at 100,000); 1 % of records match, all counted and sorted.
func BenchmarkContainsTokenScan(b *testing.B) {
	benchSearch(b, one(Filter{PropertyName: "email", Operator: ContainsToken, Value: sv("*@example7.com")}), true)
}

// BenchmarkQueryScan is a free-text query over the searchable properties.
func BenchmarkQueryScan(b *testing.B) {
	benchSearch(b, &Request{Query: "first7"}, true)
}
