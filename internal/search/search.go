// Package search is HubSpot's CRM search engine (POST
// /crm/v3/objects/{objectType}/search) as a pure function over records: the
// request body, its validation with HubSpot's 400 answers, filter evaluation
// with typed comparison per property kind, free-text query, one sort, offset
// paging with the 10,000-result cap, and an optional index so an EQ on an
// indexed property does not scan every record.
//
// It knows nothing of HTTP or of the store: records, their schema and the
// index are interfaces the caller provides, so the same engine serves every
// object type, standard or custom, and can be tested and benchmarked alone.
//
// Where HubSpot's behaviour is not documented, the engine chooses (and the
// tests pin):
//   - text compares case-insensitively and enumerations case-sensitively
//     (HubSpot's docs); IN/NOT_IN compare a text value lower-cased with the
//     listed values as given, so an upper-case value in the list never
//     matches, as the docs warn;
//   - a record without the property (or with "") matches NEQ, NOT_IN and
//     NOT_CONTAINS_TOKEN, and no other operator but NOT_HAS_PROPERTY;
//   - a value that does not parse for a numeric, date or bool property
//     matches no comparison (no error: the schema is not known to Validate);
//   - CONTAINS_TOKEN matches whitespace-separated tokens (';'-separated
//     options too for enumerations) against the value with '*' wildcards;
//   - query terms must each prefix a token (a word, or a letter/digit run of
//     one) of some searchable property;
//   - a sort puts records without the value last in both directions; ties
//     and the default order are creation time, then id numerically;
//   - a page stops at the 10,000th result and its next cursor then points
//     at the cap, so following it earns the 400 HubSpot answers.
package search

import (
	"iter"
	"sync"
	"time"
)

// Record is one CRM record as search sees it.
type Record interface {
	// ID is the record id, a digit string.
	ID() string
	// Value is a property's stored value; an empty string counts as no
	// value, as at HubSpot where an empty string clears a property.
	Value(property string) (string, bool)
	// CreatedAt orders results when the request names no sort.
	CreatedAt() time.Time
}

// Kind is how a property's values compare.
type Kind int

// The property kinds. String is the zero value, so a property the schema
// does not know compares as a string.
const (
	String      Kind = iota // case-insensitive text (string, phone_number, textarea …)
	Number                  // compared numerically
	Bool                    // "true"/"false"
	Date                    // an instant: epoch milliseconds or ISO 8601
	DateTime                // an instant: epoch milliseconds or ISO 8601
	Enumeration             // case-sensitive options, several separated by ';'
)

var kindNames = [...]string{"String", "Number", "Bool", "Date", "DateTime", "Enumeration"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(?)"
}

// Schema describes an object type's properties.
type Schema interface {
	// Kind is a property's kind; false when the type has no such property
	// (it is then compared as a String).
	Kind(property string) (Kind, bool)
	// Searchable lists the properties `query` searches (HubSpot's default
	// searchable properties of the type).
	Searchable() []string
}

// Retainer is a Record its iterator reuses from one step to the next, so
// that a scan allocates nothing for the records it passes over: the engine
// keeps Retain's answer, a Record of its own, for each match.
type Retainer interface {
	Retain() Record
}

// Index finds records by exact property value without a scan. Lookup
// answers ok=false when the property is not indexed (search then scans);
// when ok, recs must hold every record whose value could equal value under
// EQ (for text: case-insensitively; for numbers and dates: every spelling
// of the same value), and only records the full scan would see (live ones).
// Search re-checks every filter on the candidates, so an index may return
// more than the exact matches. An index over hs_object_id answers id lookups.
type Index interface {
	Lookup(property, value string) (recs []Record, ok bool)
}

// Limits are HubSpot's search limits; zero fields take the defaults.
type Limits struct {
	MaxFilterGroups    int // filter groups per request (5)
	MaxFiltersPerGroup int // filters in one group (6)
	MaxFilters         int // filters in all groups together (18)
	MaxLimit           int // results per page (200)
	DefaultLimit       int // page size when the request names none (10)
	MaxQueryLength     int // characters of `query` (3,000)
	MaxResults         int // results reachable by paging (10,000)
}

// DefaultLimits are the limits of HubSpot's current documentation.
func DefaultLimits() Limits {
	return Limits{
		MaxFilterGroups:    5,
		MaxFiltersPerGroup: 6,
		MaxFilters:         18,
		MaxLimit:           200,
		DefaultLimit:       10,
		MaxQueryLength:     3000,
		MaxResults:         10000,
	}
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	fill := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	fill(&l.MaxFilterGroups, d.MaxFilterGroups)
	fill(&l.MaxFiltersPerGroup, d.MaxFiltersPerGroup)
	fill(&l.MaxFilters, d.MaxFilters)
	fill(&l.MaxLimit, d.MaxLimit)
	fill(&l.DefaultLimit, d.DefaultLimit)
	fill(&l.MaxQueryLength, d.MaxQueryLength)
	fill(&l.MaxResults, d.MaxResults)
	return l
}

// Options are what a search needs besides the request.
type Options struct {
	Limits Limits
	// Index, when not nil, is consulted for EQ filters.
	Index Index
	// Parts, when it holds several walks, is `all` cut into disjoint parts
	// that together yield every record once: a scan walks them at the same
	// time, one goroutine each, which shortens a full scan of many records
	// on a machine with several cores. Results do not depend on it.
	Parts []iter.Seq[Record]
}

// Result is one page of a search.
type Result struct {
	// Total counts every match, beyond the page and beyond the cap.
	Total int
	// Results is the page, in order.
	Results []Record
	// After is the offset of the next page, "" on the last page.
	After string
}

// Search validates req and runs it over all (every live record of the
// type, in any order). A *Error answers an invalid request; nothing else
// fails.
func Search(req *Request, schema Schema, all iter.Seq[Record], opts Options) (Result, error) {
	lim := opts.Limits.withDefaults()
	if err := Validate(req, lim); err != nil {
		return Result{}, err
	}
	p := compile(req, schema)
	var matches []Record
	if cands, ok := p.candidates(opts.Index); ok {
		for _, r := range cands {
			if p.match(r) {
				matches = append(matches, retain(r))
			}
		}
	} else if len(opts.Parts) > 1 {
		matches = p.scanParts(opts.Parts)
	} else {
		matches = p.scan(all, nil)
	}
	sortRecords(matches, p.sort, schema)

	offset, _ := parseAfter(req.After)
	limit := req.Limit
	if limit == 0 {
		limit = lim.DefaultLimit
	}
	res := Result{Total: len(matches)}
	// Results past the cap are never served: a page stops at it, and the
	// next offset then points at the cap, which Validate refuses, as
	// HubSpot answers 400 to the request after.
	end := min(offset+limit, len(matches), lim.MaxResults)
	if offset < end {
		res.Results = matches[offset:end]
	}
	if end < len(matches) {
		res.After = itoa(end)
	}
	return res, nil
}

// scan appends the records of all that match to out.
func (p *plan) scan(all iter.Seq[Record], out []Record) []Record {
	for r := range all {
		if p.match(r) {
			out = append(out, retain(r))
		}
	}
	return out
}

// scanParts scans each part in a goroutine of its own. The plan is only
// read while matching, and records are read-only, so the walks share both.
func (p *plan) scanParts(parts []iter.Seq[Record]) []Record {
	found := make([][]Record, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Go(func() { found[i] = p.scan(part, nil) })
	}
	wg.Wait()
	var out []Record
	for _, f := range found {
		out = append(out, f...)
	}
	return out
}

// retain returns a Record the engine may keep.
func retain(r Record) Record {
	if k, ok := r.(Retainer); ok {
		return k.Retain()
	}
	return r
}
