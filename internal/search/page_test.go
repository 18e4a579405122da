package search

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestSort: one sort, typed, missing values last in both directions, ties
// and the default in creation order then id.
func TestSort(t *testing.T) {
	rs := []*rec{
		mk("5", 3, "amount", "100", "firstname", "bob", "closedate", "2024-01-02"),
		mk("3", 1, "amount", "9", "firstname", "Carl", "closedate", "1704067200000"),
		mk("4", 2, "firstname", "alice"),
		mk("10", 1, "amount", "9", "firstname", "dave", "closedate", "2023-12-31"),
		mk("2", 1, "amount", "20"),
	}
	cases := []struct {
		name  string
		sorts []Sort
		want  []string
	}{
		{"default: created then id numerically", nil, []string{"2", "3", "10", "4", "5"}},
		{"number ascending, missing last", []Sort{{PropertyName: "amount", Direction: Ascending}}, []string{"3", "10", "2", "5", "4"}},
		{"number descending, missing last", []Sort{{PropertyName: "amount", Direction: Descending}}, []string{"5", "2", "3", "10", "4"}},
		{"string case-insensitive", []Sort{{PropertyName: "firstname"}}, []string{"4", "5", "3", "10", "2"}},
		{"string descending", []Sort{{PropertyName: "firstname", Direction: Descending}}, []string{"10", "3", "5", "4", "2"}},
		{"date as instants", []Sort{{PropertyName: "closedate"}}, []string{"10", "3", "5", "2", "4"}},
		{"id through hs_object_id", []Sort{{PropertyName: "hs_object_id", Direction: Descending}}, []string{"10", "5", "4", "3", "2"}},
		{"unknown property keeps default order", []Sort{{PropertyName: "nope"}}, []string{"2", "3", "10", "4", "5"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Search(&Request{Sorts: tc.sorts}, testSchema, seq(rs...), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res.Results); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestPaging: offsets, totals over all matches, the default page and the
// 10,000-result cap (configurable, here 25).
func TestPaging(t *testing.T) {
	var rs []*rec
	for i := 1; i <= 30; i++ {
		rs = append(rs, mk(fmt.Sprint(i), i))
	}
	span := func(from, to int) []string {
		var out []string
		for i := from; i <= to; i++ {
			out = append(out, fmt.Sprint(i))
		}
		return out
	}
	cases := []struct {
		name      string
		limit     int
		after     Scalar
		cap       int
		want      []string
		wantAfter string
	}{
		{"default page of 10", 0, "", 0, span(1, 10), "10"},
		{"second page", 10, "10", 0, span(11, 20), "20"},
		{"last page has no next", 10, "20", 0, span(21, 30), ""},
		{"exact end has no next", 15, "15", 0, span(16, 30), ""},
		{"offset past the matches", 10, "40", 0, []string{}, ""},
		{"cap cuts the page and points next at it", 10, "20", 25, span(21, 25), "25"},
		{"page ending at the cap", 5, "20", 25, span(21, 25), "25"},
		{"before the cap", 5, "10", 25, span(11, 15), "15"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Search(&Request{Limit: tc.limit, After: tc.after}, testSchema, seq(rs...), Options{Limits: Limits{MaxResults: tc.cap}})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res.Results); !slices.Equal(got, tc.want) {
				t.Errorf("results %v, want %v", got, tc.want)
			}
			if res.Total != 30 {
				t.Errorf("total %d, want 30", res.Total)
			}
			if res.After != tc.wantAfter {
				t.Errorf("after %q, want %q", res.After, tc.wantAfter)
			}
		})
	}
	// Following the cursor past the cap is the 400 HubSpot answers.
	_, err := Search(&Request{After: "25"}, testSchema, seq(rs...), Options{Limits: Limits{MaxResults: 25}})
	if err == nil || !strings.Contains(err.Error(), "limited to 25") {
		t.Errorf("err = %v, want the cap error", err)
	}
}

// countingIndex answers lookups on email from a map and counts them.
type countingIndex struct {
	byEmail map[string][]Record
	calls   int
}

func (x *countingIndex) Lookup(prop, v string) ([]Record, bool) {
	if prop != "email" {
		return nil, false
	}
	x.calls++
	return x.byEmail[strings.ToLower(v)], true
}

// TestIndex: a group with an indexed EQ evaluates only the candidates; a
// group without one makes the whole request scan.
func TestIndex(t *testing.T) {
	a := mk("1", 1, "email", "a@x.io", "amount", "5")
	b := mk("2", 2, "email", "b@x.io", "amount", "50")
	// c has a's email but the index does not know it: only a scan finds it.
	c := mk("3", 3, "email", "a@x.io")
	idx := &countingIndex{byEmail: map[string][]Record{"a@x.io": {a}, "b@x.io": {b, b}}}
	all := seq(a, b, c)
	eqA := Filter{PropertyName: "email", Operator: EQ, Value: sv("A@X.IO")}
	eqB := Filter{PropertyName: "email", Operator: EQ, Value: sv("b@x.io")}
	cases := []struct {
		name      string
		groups    []FilterGroup
		want      []string
		wantCalls int
	}{
		{"indexed EQ", []FilterGroup{{Filters: []Filter{eqA}}}, []string{"1"}, 1},
		{"indexed EQ rechecks the other filters", []FilterGroup{{Filters: []Filter{{PropertyName: "amount", Operator: GT, Value: sv("10")}, eqA}}}, []string{}, 1},
		{"union of groups without duplicates", []FilterGroup{{Filters: []Filter{eqB}}, {Filters: []Filter{eqA}}}, []string{"1", "2"}, 2},
		{"a group without an indexed EQ scans", []FilterGroup{{Filters: []Filter{eqA}}, {Filters: []Filter{{PropertyName: "amount", Operator: EQ, Value: sv("50")}}}}, []string{"1", "2", "3"}, 1},
		{"NEQ is not indexed", []FilterGroup{{Filters: []Filter{{PropertyName: "email", Operator: NEQ, Value: sv("b@x.io")}}}}, []string{"1", "3"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			idx.calls = 0
			res, err := Search(&Request{FilterGroups: tc.groups}, testSchema, all, Options{Index: idx})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res.Results); !slices.Equal(got, tc.want) || res.Total != len(tc.want) {
				t.Errorf("got %v (total %d), want %v", got, res.Total, tc.want)
			}
			if idx.calls != tc.wantCalls {
				t.Errorf("lookups %d, want %d", idx.calls, tc.wantCalls)
			}
		})
	}
}

// TestDecode: HubSpot's body decodes with a strict decoder, with every sort
// spelling and scalar values given as numbers or booleans.
func TestDecode(t *testing.T) {
	body := `{
		"filterGroups": [{"filters": [
			{"propertyName": "amount", "operator": "BETWEEN", "value": 10, "highValue": "20.5"},
			{"propertyName": "active", "operator": "EQ", "value": true},
			{"propertyName": "colors", "operator": "IN", "values": ["red", 2, false]},
			{"propertyName": "email", "operator": "HAS_PROPERTY", "value": null}
		]}],
		"query": "jane",
		"sorts": ["-createdate"],
		"properties": ["email"],
		"limit": 20,
		"after": "40"
	}`
	var req Request
	d := json.NewDecoder(strings.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(&req); err != nil {
		t.Fatal(err)
	}
	fs := req.FilterGroups[0].Filters
	if *fs[0].Value != "10" || *fs[0].HighValue != "20.5" || *fs[1].Value != "true" || fs[3].Value != nil {
		t.Errorf("values %+v", fs)
	}
	if !slices.Equal(fs[2].Values, []Scalar{"red", "2", "false"}) {
		t.Errorf("values %v", fs[2].Values)
	}
	if req.Sorts[0] != (Sort{PropertyName: "createdate", Direction: Descending}) || req.Limit != 20 || req.After != "40" || req.Query != "jane" {
		t.Errorf("request %+v", req)
	}

	sorts := []struct {
		in   string
		want Sort
	}{
		{`"name"`, Sort{PropertyName: "name", Direction: Ascending}},
		{`"-name"`, Sort{PropertyName: "name", Direction: Descending}},
		{`{"propertyName":"name","direction":"DESCENDING"}`, Sort{PropertyName: "name", Direction: Descending}},
		{`{"propertyName":"name"}`, Sort{PropertyName: "name"}},
	}
	for _, tc := range sorts {
		var s Sort
		if err := json.Unmarshal([]byte(tc.in), &s); err != nil || s != tc.want {
			t.Errorf("sort %s = %+v, %v; want %+v", tc.in, s, err, tc.want)
		}
	}

	bad := []string{
		`{"sorts":[{"propertyName":"a","order":"x"}]}`, // unknown key in a sort
		`{"sorts":[1]}`,
		`{"filterGroups":[{"filters":[{"propertyName":"a","operator":"EQ","value":{"x":1}}]}]}`,
		`{"filterGroups":[{"filters":[{"propertyName":"a","operator":"IN","values":[[1]]}]}]}`,
		`{"after":[1]}`,
		`{"limit":"10"}`,
		`{"filterGroups":[{"filters":[],"extra":1}]}`,
	}
	for _, in := range bad {
		var r Request
		d := json.NewDecoder(strings.NewReader(in))
		d.DisallowUnknownFields()
		if err := d.Decode(&r); err == nil {
			t.Errorf("%s decoded without error", in)
		}
	}

	// Sorts marshal in the documented object form.
	out, err := json.Marshal(Request{Sorts: []Sort{{PropertyName: "a", Direction: Descending}}})
	if err != nil || !strings.Contains(string(out), `"sorts":[{"propertyName":"a","direction":"DESCENDING"}]`) {
		t.Errorf("marshal %s, %v", out, err)
	}
}
