package crmobjects

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/search"
	"github.com/mockhub/mockhub/internal/store"
)

// searchPageSize is how many records one store page holds while a search
// walks every live record of a type.
const searchPageSize = 500

// codePropertyDoesntExist is the code of a filter or sort on an unknown
// property, HubSpot's code for unknown properties in writes (§2.9).
const codePropertyDoesntExist = "PROPERTY_DOESNT_EXIST"

// searchPage is a search's answer (CollectionResponseWithTotal).
type searchPage struct {
	Total   int           `json:"total"`
	Results []objectBody  `json:"results"`
	Paging  *searchPaging `json:"paging,omitempty"`
}

type searchPaging struct {
	Next searchNext `json:"next"`
}

type searchNext struct {
	After string `json:"after"`
}

// searchRecord is a store record as the engine sees it: its stored values
// and the values HubSpot derives from its id and timestamps.
type searchRecord struct {
	t *schema.ObjectType
	// rec is a record read whole (an index lookup, a lagged search); s a
	// record walked as stored, when rec is nil.
	rec *store.Record
	s   store.Stored
}

// found is a searchRecord of a record read whole.
func found(t *schema.ObjectType, r store.Record) searchRecord { return searchRecord{t: t, rec: &r} }

func (s searchRecord) ID() string {
	if s.rec != nil {
		return s.rec.ID
	}
	return s.s.ID()
}

func (s searchRecord) CreatedAt() time.Time {
	if s.rec != nil {
		return s.rec.CreatedAt
	}
	return s.s.CreatedAt()
}

// record is the record as a read renders it.
func (s searchRecord) record() store.Record {
	if s.rec != nil {
		return *s.rec
	}
	return s.s.Record(s.t.Key())
}

// Value is the property's value as a read would render it.
func (s searchRecord) Value(property string) (string, bool) {
	switch property {
	case "createdate", "hs_createdate":
		return s.derived(property, endpoint.FormatTime(s.CreatedAt()))
	case "lastmodifieddate", "hs_lastmodifieddate":
		if s.rec != nil {
			return s.derived(property, endpoint.FormatTime(s.rec.UpdatedAt))
		}
		return s.derived(property, endpoint.FormatTime(s.s.UpdatedAt()))
	case "hs_object_id", "hs_all_contact_vids", "hs_ticket_id":
		return s.derived(property, s.ID())
	}
	if s.rec != nil {
		return s.rec.Value(property)
	}
	return s.s.Value(property)
}

// derived answers a mirrored property, which exists only where the type has
// it (mirrors).
func (s searchRecord) derived(property, value string) (string, bool) {
	if _, ok := s.t.Property(property); !ok {
		return "", false
	}
	return value, true
}

// searchSchema is a type's property kinds and searchable properties.
type searchSchema struct{ t *schema.ObjectType }

var kinds = map[schema.PropertyType]search.Kind{
	schema.TypeNumber:      search.Number,
	schema.TypeBool:        search.Bool,
	schema.TypeDate:        search.Date,
	schema.TypeDateTime:    search.DateTime,
	schema.TypeEnumeration: search.Enumeration,
}

func (s searchSchema) Kind(property string) (search.Kind, bool) {
	p, ok := s.t.Property(property)
	if !ok {
		return search.String, false
	}
	// Every other type (string, phone_number) compares as text.
	return kinds[p.Type], true
}

func (s searchSchema) Searchable() []string { return s.t.SearchableProperties() }

// searchIndex answers EQ on a unique property (contacts' email) and on
// hs_object_id without a scan. It falls back to the scan (ok=false) whenever
// it cannot be sure to hold every match.
type searchIndex struct {
	v *store.View
	t *schema.ObjectType
	// asOf, when set, is the time a lagging search sees the records as of.
	asOf time.Time
}

func (x searchIndex) Lookup(property, value string) ([]search.Record, bool) {
	if property == "hs_object_id" {
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n <= 0 || strconv.FormatInt(n, 10) != value {
			return nil, false
		}
		r, ok := x.v.Record(x.t.Key(), value)
		if !x.asOf.IsZero() {
			r, ok = x.v.RecordAsOf(x.t.Key(), value, x.asOf)
		}
		if !ok || r.Archived {
			// Ids are unique: no other record can hold this one.
			return nil, true
		}
		return []search.Record{found(x.t, r)}, true
	}
	// The unique index holds today's values: as of a past time, the holder
	// of a value may be a record changed since, which only a scan finds.
	if !x.asOf.IsZero() || !x.t.IsUnique(property) {
		return nil, false
	}
	// A miss may mean the store does not index the property: scan then.
	id, ok := x.v.FindUnique(x.t.Key(), property, value)
	if !ok {
		return nil, false
	}
	r, ok := x.v.Record(x.t.Key(), id)
	if !ok || r.Archived {
		return nil, false
	}
	return []search.Record{found(x.t, r)}, true
}

// scanRecord is the one searchRecord a walk reuses for every record it
// passes (a Record per record would be an allocation each): the engine
// retains the matches.
type scanRecord struct{ searchRecord }

func (s *scanRecord) Retain() search.Record { return s.searchRecord }

// liveRecords walks every live record of t in creation order, reading
// their values where they are stored (recordOf fills the few returned).
func liveRecords(v *store.View, t *schema.ObjectType) iter.Seq[search.Record] {
	return walkStored(t, v.LiveRecords(t.Key()))
}

// liveRecordParts is liveRecords cut into parts the engine walks at the
// same time, one per core the process may use.
func liveRecordParts(v *store.View, t *schema.ObjectType) []iter.Seq[search.Record] {
	var parts []iter.Seq[search.Record]
	for _, part := range v.LiveRecordParts(t.Key(), runtime.GOMAXPROCS(0)) {
		parts = append(parts, walkStored(t, part))
	}
	return parts
}

func walkStored(t *schema.ObjectType, recs iter.Seq[store.Stored]) iter.Seq[search.Record] {
	return func(yield func(search.Record) bool) {
		sr := &scanRecord{searchRecord{t: t}}
		for r := range recs {
			sr.s = r
			if !yield(sr) {
				return
			}
		}
	}
}

// recordsAsOf walks every record of t that was live at asOf, as it was
// then, in creation order.
func recordsAsOf(v *store.View, t *schema.ObjectType, asOf time.Time) iter.Seq[search.Record] {
	return func(yield func(search.Record) bool) {
		for r := range v.RecordsAsOf(t.Key(), asOf) {
			if !yield(found(t, r)) {
				return
			}
		}
	}
}

// searchAsOf returns the time search sees the portal's records as of, and
// false when it sees them as they are now. With a lag (the portal's
// setting, else the server's), a search sees each record as it was lag ago,
// as HubSpot's index shows writes after a delay: a record created since is
// not found, one changed since is found (and shown) by its values then, one
// archived since is still found. When no record of the type was written
// since, the records are as they were then and the current ones are read.
func (o objects) searchAsOf(v *store.View, t *schema.ObjectType) (time.Time, bool) {
	lag := o.searchLag
	if s := v.Settings().SearchLag; s != nil {
		lag = *s
	}
	if lag <= 0 {
		return time.Time{}, false
	}
	asOf := o.clock.Now().Add(-lag)
	return asOf, v.RecordsChangedSince(t.Key(), asOf)
}

// decodeSearch turns the validated body into a search request. The
// contract has checked its shape; the engine's decoder reads the forms the
// contract allows (a sort as a string or an object, numbers as values).
func decodeSearch(body *any) (*search.Request, error) {
	raw, err := json.Marshal(*body)
	if err != nil {
		return nil, apierr.Validation(fmt.Sprintf("Invalid input JSON: %v", err))
	}
	req := new(search.Request)
	if err := json.Unmarshal(raw, req); err != nil {
		return nil, apierr.Validation(fmt.Sprintf("Invalid input JSON: %v", err))
	}
	return req, nil
}

// unknownProperties refuses filters and sorts on properties t does not
// have, naming each.
func unknownProperties(t *schema.ObjectType, req *search.Request) error {
	var ds []apierr.Detail
	check := func(name, in string) {
		if name == "" {
			return // Validate reports a missing name
		}
		if _, ok := t.Property(name); !ok {
			ds = append(ds, apierr.Detail{
				Message: fmt.Sprintf("Property %q does not exist", name),
				In:      in,
				Code:    codePropertyDoesntExist,
			})
		}
	}
	for g, group := range req.FilterGroups {
		for f, filter := range group.Filters {
			if isAssocProperty(filter.PropertyName) {
				continue // assocFiltersOf checks it
			}
			check(filter.PropertyName, fmt.Sprintf("filterGroups[%d].filters[%d].propertyName", g, f))
		}
	}
	for i, s := range req.Sorts {
		check(s.PropertyName, fmt.Sprintf("sorts[%d].propertyName", i))
	}
	if len(ds) == 0 {
		return nil
	}
	return apierr.Validation(ds[0].Message, ds...)
}

// searchError shapes the engine's 400 as HubSpot's error body.
func searchError(err error) error {
	var se *search.Error
	if !errors.As(err, &se) {
		return err
	}
	ds := make([]apierr.Detail, 0, len(se.Errors))
	for _, d := range se.Errors {
		ds = append(ds, apierr.Detail{Message: d.Message, In: d.In, Code: d.Code})
	}
	out := apierr.Validation(se.Message, ds...)
	out.Category = se.Category
	return out
}

// search serves O11 (HUBSPOT-RECORDS.md §1.7): package search over the live
// records of a type. Choices where the reference is silent:
//   - a filter or sort on a property the type does not have is refused with
//     400 VALIDATION_ERROR (code PROPERTY_DOESNT_EXIST, as for writes), so a
//     misspelt name does not silently match nothing (the associations.{type}
//     pseudo-property is served by associations.go); unknown names in
//     `properties` are ignored, as on reads;
//   - with a search lag (searchAsOf), search sees the records as they were
//     lag ago, and renders them so: the lag HubSpot's docs warn of, on
//     purpose;
//   - results are rendered as a list renders them, with paging.next.after
//     (an integer offset) only when another page exists, and no link: the
//     next page is the same POST with a new body.
func (o objects) search(c *endpoint.Call, body *any) (endpoint.Reply, error) {
	t, err := o.objectType(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	req, err := decodeSearch(body)
	if err != nil {
		return endpoint.Reply{}, err
	}
	// The engine's own limits come first: they are what HubSpot documents.
	if err := search.Validate(req, search.Limits{}); err != nil {
		return endpoint.Reply{}, searchError(err)
	}
	if err := unknownProperties(t, req); err != nil {
		return endpoint.Reply{}, err
	}
	var res search.Result
	c.Portal().View(func(v *store.View) {
		all, idx := liveRecords(v, t), searchIndex{v: v, t: t}
		parts := liveRecordParts(v, t)
		if asOf, lagged := o.searchAsOf(v, t); lagged {
			all, idx.asOf, parts = recordsAsOf(v, t, asOf), asOf, nil
		}
		var sch search.Schema = searchSchema{t}
		var index search.Index = idx
		var af *assocFilters
		if af, err = assocFiltersOf(v, t, req); err != nil {
			return
		}
		if af != nil {
			sch, all, index = af.wrap(v, t, sch, all, idx)
			for i, part := range parts {
				parts[i] = af.records(part)
			}
		}
		res, err = search.Search(req, sch, all, search.Options{Index: index, Parts: parts})
	})
	if err != nil {
		return endpoint.Reply{}, searchError(err)
	}
	names := selectRead(t, req.Properties)
	out := searchPage{Total: res.Total, Results: make([]objectBody, 0, len(res.Results))}
	for _, r := range res.Results {
		// Every record the engine sees comes from liveRecords or
		// searchIndex (wrapped by associations.go for association filters).
		if rec, ok := recordOf(r); ok {
			out.Results = append(out.Results, render(t, rec, names, nil))
		}
	}
	if res.After != "" {
		out.Paging = &searchPaging{Next: searchNext{After: res.After}}
	}
	return endpoint.Reply{Status: http.StatusOK, Body: out}, nil
}
