package search

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func filters(n int) []Filter {
	fs := make([]Filter, n)
	for i := range fs {
		fs[i] = Filter{PropertyName: "email", Operator: HasProperty}
	}
	return fs
}

func groups(sizes ...int) []FilterGroup {
	gs := make([]FilterGroup, len(sizes))
	for i, n := range sizes {
		gs[i] = FilterGroup{Filters: filters(n)}
	}
	return gs
}

// TestValidate checks every rule with its exact message, path and code;
// each case breaks one rule (or a few, to show they are all reported).
func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		req  Request
		lim  Limits
		want []Detail // nil: valid
	}{
		{"empty request", Request{}, Limits{}, nil},
		{"at every limit", Request{FilterGroups: groups(6, 6, 6), Limit: 200, After: "9999", Query: strings.Repeat("é", 3000), Sorts: []Sort{{PropertyName: "email"}}}, Limits{}, nil},
		{"limit over 200", Request{Limit: 201}, Limits{},
			[]Detail{{"limit must be between 1 and 200, got 201", "limit", CodeInvalidLimit}}},
		{"negative limit", Request{Limit: -1}, Limits{},
			[]Detail{{"limit must be between 1 and 200, got -1", "limit", CodeInvalidLimit}}},
		{"after not a number", Request{After: "abc"}, Limits{},
			[]Detail{{`after must be a non-negative integer offset, got "abc"`, "after", CodeInvalidAfter}}},
		{"after negative", Request{After: "-10"}, Limits{},
			[]Detail{{`after must be a non-negative integer offset, got "-10"`, "after", CodeInvalidAfter}}},
		{"after at the cap", Request{After: "10000"}, Limits{},
			[]Detail{{"Search results are limited to 10000; cannot page beyond result 10000", "after", CodeResultLimit}}},
		{"after overflowing", Request{After: "99999999999999999999999"}, Limits{},
			[]Detail{{"Search results are limited to 10000; cannot page beyond result 10000", "after", CodeResultLimit}}},
		{"query over 3000 characters", Request{Query: strings.Repeat("a", 3001)}, Limits{},
			[]Detail{{"query must be at most 3000 characters, got 3001", "query", CodeQueryTooLong}}},
		{"two sorts", Request{Sorts: []Sort{{PropertyName: "a"}, {PropertyName: "b"}}}, Limits{},
			[]Detail{{"Only one sort is allowed, got 2", "sorts", CodeTooManySorts}}},
		{"sort without property", Request{Sorts: []Sort{{Direction: Ascending}}}, Limits{},
			[]Detail{{"sort propertyName must not be empty", "sorts[0].propertyName", CodeInvalidSort}}},
		{"sort with bad direction", Request{Sorts: []Sort{{PropertyName: "a", Direction: "UP"}}}, Limits{},
			[]Detail{{`sort direction must be ASCENDING or DESCENDING, got "UP"`, "sorts[0].direction", CodeInvalidSort}}},
		{"six groups", Request{FilterGroups: groups(1, 1, 1, 1, 1, 1)}, Limits{},
			[]Detail{{"Too many filter groups: 6. The maximum is 5", "filterGroups", CodeTooManyFilterGroups}}},
		{"seven filters in a group", Request{FilterGroups: groups(1, 7)}, Limits{},
			[]Detail{{"Too many filters in filter group 1: 7. The maximum per group is 6", "filterGroups[1].filters", CodeTooManyFiltersInGroup}}},
		{"19 filters in all", Request{FilterGroups: groups(6, 6, 6, 1)}, Limits{},
			[]Detail{{"Too many filters: 19. The maximum in all filter groups is 18", "filterGroups", CodeTooManyFilters}}},
		{"configured limits (Aug 2024: 5/10/25)", Request{FilterGroups: groups(10, 10, 5)}, Limits{MaxFiltersPerGroup: 10, MaxFilters: 25}, nil},
		{"configured limits exceeded", Request{FilterGroups: groups(11)}, Limits{MaxFiltersPerGroup: 10, MaxFilters: 25},
			[]Detail{{"Too many filters in filter group 0: 11. The maximum per group is 10", "filterGroups[0].filters", CodeTooManyFiltersInGroup}}},
		{"configured page and cap", Request{Limit: 101, After: "500"}, Limits{MaxLimit: 100, MaxResults: 500},
			[]Detail{
				{"limit must be between 1 and 100, got 101", "limit", CodeInvalidLimit},
				{"Search results are limited to 500; cannot page beyond result 500", "after", CodeResultLimit},
			}},
		{"missing property name", Request{FilterGroups: []FilterGroup{{Filters: []Filter{{Operator: HasProperty}}}}}, Limits{},
			[]Detail{{"propertyName is required", "filterGroups[0].filters[0].propertyName", CodeMissingPropertyName}}},
		{"unknown operator", Request{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "a", Operator: "LIKE", Value: sv("x")}}}}}, Limits{},
			[]Detail{{`Unknown operator "LIKE"`, "filterGroups[0].filters[0].operator", CodeInvalidOperator}}},
		{"lower-case operator", Request{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "a", Operator: "eq", Value: sv("x")}}}}}, Limits{},
			[]Detail{{`Unknown operator "eq"`, "filterGroups[0].filters[0].operator", CodeInvalidOperator}}},
		{"missing operator", Request{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "a"}}}}}, Limits{},
			[]Detail{{`Unknown operator ""`, "filterGroups[0].filters[0].operator", CodeInvalidOperator}}},
		{"BETWEEN without either bound", Request{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "a", Operator: Between}}}}}, Limits{},
			[]Detail{
				{"Operator BETWEEN requires a value", "filterGroups[0].filters[0].value", CodeMissingValue},
				{"Operator BETWEEN requires a highValue", "filterGroups[0].filters[0].highValue", CodeMissingHighValue},
			}},
		{"BETWEEN without highValue", Request{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "a", Operator: Between, Value: sv("1")}}}}}, Limits{},
			[]Detail{{"Operator BETWEEN requires a highValue", "filterGroups[0].filters[0].highValue", CodeMissingHighValue}}},
		{"empty string is a value", Request{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "a", Operator: EQ, Value: sv("")}}}}}, Limits{}, nil},
		{"several problems in order", Request{Limit: 500, FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "a", Operator: EQ}, {PropertyName: "b", Operator: NotIn}}}}}, Limits{},
			[]Detail{
				{"limit must be between 1 and 200, got 500", "limit", CodeInvalidLimit},
				{"Operator EQ requires a value", "filterGroups[0].filters[0].value", CodeMissingValue},
				{"Operator NOT_IN requires values", "filterGroups[0].filters[1].values", CodeMissingValues},
			}},
	}
	// Every operator that needs one value, and both list operators.
	for _, op := range []Operator{EQ, NEQ, LT, LTE, GT, GTE, ContainsToken, NotContainsToken} {
		cases = append(cases, struct {
			name string
			req  Request
			lim  Limits
			want []Detail
		}{string(op) + " without value", Request{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "a", Operator: op}}}}}, Limits{},
			[]Detail{{"Operator " + string(op) + " requires a value", "filterGroups[0].filters[0].value", CodeMissingValue}}})
	}
	for _, op := range []Operator{In, NotIn} {
		cases = append(cases, struct {
			name string
			req  Request
			lim  Limits
			want []Detail
		}{string(op) + " with empty values", Request{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "a", Operator: op, Values: []Scalar{}}}}}}, Limits{},
			[]Detail{{"Operator " + string(op) + " requires values", "filterGroups[0].filters[0].values", CodeMissingValues}}})
	}
	for _, op := range []Operator{HasProperty, NotHasProperty} {
		cases = append(cases, struct {
			name string
			req  Request
			lim  Limits
			want []Detail
		}{string(op) + " needs nothing", Request{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "a", Operator: op}}}}}, Limits{}, nil})
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(&tc.req, tc.lim)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if e.Category != "VALIDATION_ERROR" || e.Message != tc.want[0].Message {
				t.Errorf("category %q message %q, want VALIDATION_ERROR %q", e.Category, e.Message, tc.want[0].Message)
			}
			if !slices.Equal(e.Errors, tc.want) {
				t.Errorf("details\n got %+v\nwant %+v", e.Errors, tc.want)
			}
			// Search refuses the same request with the same error.
			if _, serr := Search(&tc.req, testSchema, seq(), Options{Limits: tc.lim}); serr == nil || serr.Error() != e.Error() {
				t.Errorf("Search error %v, want %v", serr, e)
			}
		})
	}
}
