package search

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// CategoryValidation is the category of every search error, as HubSpot's
// docs give it for over-limit filters.
const CategoryValidation = "VALIDATION_ERROR"

// Codes of the problems Validate reports, one per Detail. HubSpot's own
// codes are unknown; these name the rule broken.
const (
	CodeTooManyFilterGroups   = "TOO_MANY_FILTER_GROUPS"
	CodeTooManyFiltersInGroup = "TOO_MANY_FILTERS_IN_GROUP"
	CodeTooManyFilters        = "TOO_MANY_FILTERS"
	CodeQueryTooLong          = "QUERY_TOO_LONG"
	CodeInvalidLimit          = "INVALID_LIMIT"
	CodeInvalidAfter          = "INVALID_AFTER"
	CodeResultLimit           = "RESULT_LIMIT_EXCEEDED"
	CodeTooManySorts          = "TOO_MANY_SORTS"
	CodeInvalidSort           = "INVALID_SORT"
	CodeMissingPropertyName   = "MISSING_PROPERTY_NAME"
	CodeInvalidOperator       = "INVALID_OPERATOR"
	CodeMissingValue          = "MISSING_VALUE"
	CodeMissingHighValue      = "MISSING_HIGH_VALUE"
	CodeMissingValues         = "MISSING_VALUES"
)

// Error is a 400 answer to an invalid search: HubSpot's category, a message
// (the first problem's) and every problem found. The caller shapes it as
// HubSpot's error body.
type Error struct {
	Category string
	Message  string
	Errors   []Detail
}

// Detail is one problem of a request: what is wrong, where (a JSON path
// into the body) and a code.
type Detail struct {
	Message string
	In      string
	Code    string
}

func (e *Error) Error() string { return "search: " + e.Message }

// Validate checks req against lim (zero fields are defaults) and reports
// every problem in one *Error, or nil.
func Validate(req *Request, lim Limits) error {
	lim = lim.withDefaults()
	var ds []Detail
	add := func(in, code, format string, args ...any) {
		ds = append(ds, Detail{Message: fmt.Sprintf(format, args...), In: in, Code: code})
	}

	if req.Limit < 0 || req.Limit > lim.MaxLimit {
		add("limit", CodeInvalidLimit, "limit must be between 1 and %d, got %d", lim.MaxLimit, req.Limit)
	}
	if req.After != "" {
		off, ok := parseAfter(req.After)
		switch {
		case !ok:
			add("after", CodeInvalidAfter, "after must be a non-negative integer offset, got %q", string(req.After))
		case off >= lim.MaxResults:
			add("after", CodeResultLimit, "Search results are limited to %d; cannot page beyond result %d", lim.MaxResults, lim.MaxResults)
		}
	}
	if n := utf8.RuneCountInString(req.Query); n > lim.MaxQueryLength {
		add("query", CodeQueryTooLong, "query must be at most %d characters, got %d", lim.MaxQueryLength, n)
	}
	switch {
	case len(req.Sorts) > 1:
		add("sorts", CodeTooManySorts, "Only one sort is allowed, got %d", len(req.Sorts))
	case len(req.Sorts) == 1:
		s := req.Sorts[0]
		if s.PropertyName == "" {
			add("sorts[0].propertyName", CodeInvalidSort, "sort propertyName must not be empty")
		}
		if s.Direction != "" && s.Direction != Ascending && s.Direction != Descending {
			add("sorts[0].direction", CodeInvalidSort, "sort direction must be ASCENDING or DESCENDING, got %q", string(s.Direction))
		}
	}

	if n := len(req.FilterGroups); n > lim.MaxFilterGroups {
		add("filterGroups", CodeTooManyFilterGroups, "Too many filter groups: %d. The maximum is %d", n, lim.MaxFilterGroups)
	}
	total := 0
	for gi, g := range req.FilterGroups {
		total += len(g.Filters)
		if n := len(g.Filters); n > lim.MaxFiltersPerGroup {
			add(fmt.Sprintf("filterGroups[%d].filters", gi), CodeTooManyFiltersInGroup,
				"Too many filters in filter group %d: %d. The maximum per group is %d", gi, n, lim.MaxFiltersPerGroup)
		}
		for fi, f := range g.Filters {
			at := fmt.Sprintf("filterGroups[%d].filters[%d]", gi, fi)
			if f.PropertyName == "" {
				add(at+".propertyName", CodeMissingPropertyName, "propertyName is required")
			}
			switch f.Operator {
			case EQ, NEQ, LT, LTE, GT, GTE, ContainsToken, NotContainsToken:
				if f.Value == nil {
					add(at+".value", CodeMissingValue, "Operator %s requires a value", f.Operator)
				}
			case Between:
				if f.Value == nil {
					add(at+".value", CodeMissingValue, "Operator %s requires a value", f.Operator)
				}
				if f.HighValue == nil {
					add(at+".highValue", CodeMissingHighValue, "Operator %s requires a highValue", f.Operator)
				}
			case In, NotIn:
				if len(f.Values) == 0 {
					add(at+".values", CodeMissingValues, "Operator %s requires values", f.Operator)
				}
			case HasProperty, NotHasProperty:
			default:
				add(at+".operator", CodeInvalidOperator, "Unknown operator %q", string(f.Operator))
			}
		}
	}
	if total > lim.MaxFilters {
		add("filterGroups", CodeTooManyFilters, "Too many filters: %d. The maximum in all filter groups is %d", total, lim.MaxFilters)
	}

	if len(ds) == 0 {
		return nil
	}
	return &Error{Category: CategoryValidation, Message: ds[0].Message, Errors: ds}
}

// parseAfter reads an offset cursor; "" is offset 0.
func parseAfter(s Scalar) (int, bool) {
	if s == "" {
		return 0, true
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(string(s))
	if err != nil {
		// Only overflow gets here: an offset that large is past any cap.
		return int(^uint(0) >> 1), true
	}
	return n, true
}

func itoa(n int) string { return strconv.Itoa(n) }
