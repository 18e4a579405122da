package crmobjects

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/search"
	"github.com/mockhub/mockhub/internal/store"
)

// Associations inside record calls (HUBSPOT-RECORDS.md §5): a create may
// associate the new record, a read or list may embed a record's
// associations, and a search may filter by them. The association store
// enforces every rule (types of the pair, live records, limits); this file
// only translates.

// maxEmbedded is how many associated records of one type a read embeds
// before it pages (HUBSPOT-RECORDS.md §5.2: cap unknown, 500 recommended).
const maxEmbedded = 500

// assocPrefix starts the pseudo-property of a search by association.
const assocPrefix = "associations."

// assocInput is one association of a record create: the target's id and
// the types from the new record to it (HUBSPOT-RECORDS.md §5.1).
type assocInput struct {
	To    assocTarget     `json:"to"`
	Types []assocSpecBody `json:"types"`
}

type assocTarget struct {
	ID any `json:"id"`
}

// assocSpecBody is HubSpot's AssociationSpec.
type assocSpecBody struct {
	AssociationCategory string `json:"associationCategory"`
	AssociationTypeID   int32  `json:"associationTypeId"`
}

// associateNew associates record id of type t as ins ask. The type ids are
// read in the new record's direction and say which object type each target
// is; one target may be named with types of several pairs, each pair is
// associated on its own. The first refusal is returned as the store words
// it, and the caller's transaction then changes nothing.
func associateNew(tx *store.Tx, t *schema.ObjectType, id string, ins []assocInput) error {
	from := store.RecordRef{Type: t.Key(), ID: id}
	for _, in := range ins {
		var pairs []store.Pair
		specs := map[store.Pair][]store.AssocSpec{}
		for _, s := range in.Types {
			spec := store.AssocSpec{Category: s.AssociationCategory, TypeID: s.AssociationTypeID}
			at, err := tx.AssocTypeFrom(t.Key(), spec)
			if err != nil {
				return err
			}
			if _, seen := specs[at.Pair]; !seen {
				pairs = append(pairs, at.Pair)
			}
			specs[at.Pair] = append(specs[at.Pair], spec)
		}
		for _, p := range pairs {
			to := store.RecordRef{Type: p.To, ID: idText(in.To.ID)}
			if _, err := tx.Associate(from, to, specs[p], store.AssocAdd); err != nil {
				return err
			}
		}
	}
	return nil
}

// assocID is one associated record of an embedded list: its id and the
// name of one type (an id repeats once per type).
type assocID struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// assocList is the associated records of one object type embedded in a
// record (CollectionResponseAssociatedId).
type assocList struct {
	Results []assocID   `json:"results"`
	Paging  *assocPages `json:"paging,omitempty"`
}

type assocPages struct {
	Next assocNext `json:"next"`
}

type assocNext struct {
	After string `json:"after"`
}

// assocTargets resolves the associations query parameter (repeated or
// comma-separated; names, plural names, type ids, fully qualified names of
// custom types) to object types, without repeats. An unknown one is
// HubSpot's 400 (HUBSPOT-RECORDS.md §5.2).
func assocTargets(c *endpoint.Call) ([]*schema.ObjectType, error) {
	raw := names(c.Query(), "associations")
	if len(raw) == 0 {
		return nil, nil
	}
	var out []*schema.ObjectType
	var err error
	c.Portal().View(func(v *store.View) {
		seen := map[string]bool{}
		for _, name := range raw {
			t, ok := v.ObjectType(name)
			if !ok {
				msg := msgUnknownTypeAt + name
				err = apierr.Validation(msg, apierr.Detail{Message: msg, In: "associations"})
				return
			}
			if !seen[t.Key()] {
				seen[t.Key()] = true
				out = append(out, t)
			}
		}
	})
	return out, err
}

// assocKey is the key a record's associations with type t are embedded
// under: the plural name, or a custom type's fully qualified name.
func assocKey(t *schema.ObjectType) string {
	if t.Custom {
		return t.FullyQualifiedName
	}
	return t.Plural
}

// embedder renders associations for one call, remembering type names.
type embedder struct {
	v       *store.View
	targets []*schema.ObjectType
	names   map[store.AssocType]string
}

func newEmbedder(v *store.View, targets []*schema.ObjectType) *embedder {
	return &embedder{v: v, targets: targets, names: map[store.AssocType]string{}}
}

func (e *embedder) name(at store.AssocType) string {
	key := at
	key.Label = nil // labels are not comparable; (pair, category, id) is the type
	n, ok := e.names[key]
	if !ok {
		n = e.v.AssocTypeName(at)
		e.names[key] = n
	}
	return n
}

// of returns record r's associations with every target type that has any,
// nil when none has. An archived record's associations stay stored but are
// hidden, as from every read.
func (e *embedder) of(t *schema.ObjectType, r store.Record) map[string]assocList {
	if e == nil || len(e.targets) == 0 || r.Archived {
		return nil
	}
	var out map[string]assocList
	from := store.RecordRef{Type: t.Key(), ID: r.ID}
	for _, target := range e.targets {
		page, next := e.v.Associations(from, target.Key(), "", maxEmbedded)
		if len(page) == 0 {
			continue
		}
		list := assocList{Results: make([]assocID, 0, len(page))}
		for _, a := range page {
			for _, at := range a.Types {
				list.Results = append(list.Results, assocID{ID: a.ToID, Type: e.name(at)})
			}
		}
		if next != "" {
			list.Paging = &assocPages{Next: assocNext{After: next}}
		}
		if out == nil {
			out = map[string]assocList{}
		}
		out[assocKey(target)] = list
	}
	return out
}

// Search by association (HUBSPOT-RECORDS.md §1.7, §5.3): a filter on the
// pseudo-property associations.{objectType} with EQ, IN, NEQ or NOT_IN and
// record ids of that type. Only searches that use one pay for it: the
// records associated with the ids the filters name are looked up once, and
// a record's value of the pseudo-property is the filter ids it is
// associated with, ';'-separated, compared as an enumeration's options.

// assocOperators are the operators a search by association takes; others
// (ranges, tokens, presence) have no meaning on a list of ids here.
var assocOperators = map[search.Operator]bool{search.EQ: true, search.In: true, search.NEQ: true, search.NotIn: true}

// isAssocProperty reports whether a filter names the pseudo-property.
func isAssocProperty(name string) bool { return strings.HasPrefix(name, assocPrefix) }

// assocFilters holds, per pseudo-property, the records of the searched type
// associated with each id the filters name: record id -> those ids.
type assocFilters struct {
	byProperty map[string]map[string][]string
}

// assocFiltersOf checks the request's association filters and looks up the
// records they can match; nil when the request has none.
func assocFiltersOf(v *store.View, t *schema.ObjectType, req *search.Request) (*assocFilters, error) {
	var af *assocFilters
	for g, group := range req.FilterGroups {
		for f, filter := range group.Filters {
			if !isAssocProperty(filter.PropertyName) {
				continue
			}
			in := fmt.Sprintf("filterGroups[%d].filters[%d]", g, f)
			if !assocOperators[filter.Operator] {
				msg := fmt.Sprintf("Operator %s is not supported on %s: use EQ, IN, NEQ or NOT_IN with record ids", filter.Operator, filter.PropertyName)
				return nil, apierr.Validation(msg, apierr.Detail{Message: msg, In: in + ".operator"})
			}
			raw := strings.TrimPrefix(filter.PropertyName, assocPrefix)
			partner, ok := v.ObjectType(raw)
			if !ok {
				msg := msgUnknownTypeAt + raw
				return nil, apierr.Validation(msg, apierr.Detail{Message: msg, In: in + ".propertyName"})
			}
			if af == nil {
				af = &assocFilters{byProperty: map[string]map[string][]string{}}
			}
			byRecord := af.byProperty[filter.PropertyName]
			if byRecord == nil {
				byRecord = map[string][]string{}
				af.byProperty[filter.PropertyName] = byRecord
			}
			ids := filter.Values
			if filter.Value != nil {
				ids = append([]search.Scalar{*filter.Value}, ids...)
			}
			for _, id := range ids {
				addAssociated(v, t, partner, string(id), byRecord)
			}
		}
	}
	return af, nil
}

// addAssociated records which live records of type t are associated with
// the live partner record id (a record id that names nothing matches
// nothing).
func addAssociated(v *store.View, t, partner *schema.ObjectType, id string, byRecord map[string][]string) {
	if !isDigits(id) {
		return
	}
	if r, ok := v.Record(partner.Key(), id); !ok || r.Archived {
		return
	}
	for a := range associated(v, store.RecordRef{Type: partner.Key(), ID: id}, t.Key()) {
		if !slices.Contains(byRecord[a.ToID], id) {
			byRecord[a.ToID] = append(byRecord[a.ToID], id)
		}
	}
}

// associated walks every live association of from with records of toType.
func associated(v *store.View, from store.RecordRef, toType string) iter.Seq[store.Association] {
	return func(yield func(store.Association) bool) {
		after := ""
		for {
			page, next := v.Associations(from, toType, after, searchPageSize)
			for _, a := range page {
				if !yield(a) {
					return
				}
			}
			if next == "" {
				return
			}
			after = next
		}
	}
}

// value is a record's value of the pseudo-property.
func (af *assocFilters) value(id, property string) (string, bool) {
	ids := af.byProperty[property][id]
	return strings.Join(ids, ";"), len(ids) > 0
}

// assocRecord is a record of a search by association.
type assocRecord struct {
	searchRecord
	af *assocFilters
}

func (r assocRecord) Value(property string) (string, bool) {
	if isAssocProperty(property) {
		return r.af.value(r.ID(), property)
	}
	return r.searchRecord.Value(property)
}

// assocSchema compares the pseudo-property as an enumeration: exact ids,
// several per record.
type assocSchema struct{ search.Schema }

func (s assocSchema) Kind(property string) (search.Kind, bool) {
	if isAssocProperty(property) {
		return search.Enumeration, true
	}
	return s.Schema.Kind(property)
}

// assocIndex answers an EQ on the pseudo-property from the lookup, and
// other lookups from the type's own index.
type assocIndex struct {
	inner search.Index
	v     *store.View
	t     *schema.ObjectType
	af    *assocFilters
}

func (x assocIndex) Lookup(property, value string) ([]search.Record, bool) {
	if !isAssocProperty(property) {
		recs, ok := x.inner.Lookup(property, value)
		for i, r := range recs {
			if sr, isSR := r.(searchRecord); isSR {
				recs[i] = assocRecord{sr, x.af}
			}
		}
		return recs, ok
	}
	// A lagging search sees records as they were: it scans them, and
	// associations are matched as they are now.
	if si, ok := x.inner.(searchIndex); ok && !si.asOf.IsZero() {
		return nil, false
	}
	var out []search.Record
	for id, ids := range x.af.byProperty[property] {
		if !slices.Contains(ids, value) {
			continue
		}
		if r, ok := x.v.Record(x.t.Key(), id); ok && !r.Archived {
			out = append(out, assocRecord{found(x.t, r), x.af})
		}
	}
	return out, true
}

// assocScanRecord is the assocRecord a walk reuses, as scanRecord is.
type assocScanRecord struct{ assocRecord }

func (r *assocScanRecord) Retain() search.Record { return r.assocRecord }

// wrap returns the schema, records and index of a search by association.
func (af *assocFilters) wrap(v *store.View, t *schema.ObjectType, sch search.Schema, all iter.Seq[search.Record], idx search.Index) (search.Schema, iter.Seq[search.Record], search.Index) {
	return assocSchema{sch}, af.records(all), assocIndex{inner: idx, v: v, t: t, af: af}
}

// records gives the records of all the association pseudo-properties.
func (af *assocFilters) records(all iter.Seq[search.Record]) iter.Seq[search.Record] {
	return func(yield func(search.Record) bool) {
		ar := &assocScanRecord{assocRecord{af: af}}
		for r := range all {
			switch x := r.(type) {
			case *scanRecord:
				ar.searchRecord = x.searchRecord
				r = ar
			case searchRecord:
				r = assocRecord{x, af}
			}
			if !yield(r) {
				return
			}
		}
	}
}

// recordOf is the store record behind a search result.
func recordOf(r search.Record) (store.Record, bool) {
	switch x := r.(type) {
	case searchRecord:
		return x.record(), true
	case assocRecord:
		return x.record(), true
	}
	return store.Record{}, false
}

// RecordWithAssociations renders record r of type t as a read that names
// no properties renders it, with its associations with records of the
// target types (SimplePublicObjectWithAssociations): the answer of the
// legacy v3 association calls on one record.
func RecordWithAssociations(v *store.View, t *schema.ObjectType, r store.Record, targets ...*schema.ObjectType) any {
	body := render(t, r, selectRead(t, nil), nil)
	body.Associations = newEmbedder(v, targets).of(t, r)
	return body
}
