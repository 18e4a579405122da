package search

import (
	"encoding/json"
	"testing"
)

// FuzzSearch decodes any body as a request and runs it over records of
// every kind holding odd values: it must never panic, and a page never
// exceeds its limit or the total.
func FuzzSearch(f *testing.F) {
	seeds := []string{
		`{}`,
		`{"filterGroups":[{"filters":[{"propertyName":"amount","operator":"BETWEEN","value":"1","highValue":"x"}]}]}`,
		`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"CONTAINS_TOKEN","value":"**@*"}]}],"sorts":["-amount"]}`,
		`{"filterGroups":[{"filters":[{"propertyName":"closedate","operator":"GT","value":"2024-13-99"}]}]}`,
		`{"filterGroups":[{"filters":[{"propertyName":"colors","operator":"IN","values":["",";",1e999]}]}]}`,
		`{"query":"a b ","limit":1,"after":"2","sorts":[{"propertyName":"lastseen","direction":"DESCENDING"}]}`,
		`{"filterGroups":[{"filters":[{"propertyName":"hs_object_id","operator":"EQ","value":"2"}]}],"after":"99999999999999999999"}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), "1e308", "NaN;;x")
	}
	f.Fuzz(func(t *testing.T, body []byte, v1, v2 string) {
		var req Request
		if json.Unmarshal(body, &req) != nil {
			return
		}
		rs := []*rec{
			mk("1", 0, "email", v1, "amount", v1, "closedate", v1, "lastseen", v2, "colors", v2, "active", v1, "firstname", v2),
			mk("2", 0, "email", v2, "amount", v2, "closedate", v2, "lastseen", v1, "colors", v1, "active", v2),
			mk("3", -1),
		}
		idx := &countingIndex{byEmail: map[string][]Record{v1: {rs[0]}}}
		res, err := Search(&req, testSchema, seq(rs...), Options{Index: idx})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		limit := req.Limit
		if limit == 0 {
			limit = DefaultLimits().DefaultLimit
		}
		if len(res.Results) > limit || len(res.Results) > res.Total || res.Total > len(rs) {
			t.Fatalf("page %d of limit %d, total %d", len(res.Results), limit, res.Total)
		}
	})
}
