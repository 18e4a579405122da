package dashboard

import (
	"errors"
	"net/http"
	"sort"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/api/crmobjects"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/search"
	"github.com/mockhub/mockhub/internal/store"
)

// Page sizes: a records page, and the partners of one type a record page
// lists (the count says when there are more).
const (
	recordsPerPage  = 50
	partnersPerType = 200
	// maxColumns bounds the property columns of a records table.
	maxColumns = 6
)

// recordsPage is a paged table of a type's records.
type recordsPage struct {
	Portal   int64
	Type     string
	Label    string
	Columns  []string
	Rows     []recordRow
	Total    int
	Archived bool
	Query    string
	// After is this page's cursor, Next the next page's ("" on the last).
	After string
	Next  string
	// Error explains a search the engine refused.
	Error string
}

type recordRow struct {
	ID      string
	Values  []string
	Updated string
}

// derived are properties a read derives from the record's id and
// timestamps, not stored values: the table shows those in their own
// columns.
var derived = map[string]bool{
	"createdate": true, "hs_createdate": true, "lastmodifieddate": true,
	"hs_lastmodifieddate": true, "hs_object_id": true,
}

// columns are the properties a records table shows: the type's primary
// display property and default ones, at most maxColumns.
func columns(t *schema.ObjectType) []string {
	var cols []string
	if t.PrimaryDisplayProperty != "" {
		cols = append(cols, t.PrimaryDisplayProperty)
	}
	for _, c := range t.DefaultProperties() {
		if !derived[c] && !contains(cols, c) {
			cols = append(cols, c)
		}
	}
	if len(cols) > maxColumns {
		cols = cols[:maxColumns]
	}
	return cols
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (db *Dashboard) records(w http.ResponseWriter, r *http.Request) {
	id, p, ok := db.portalOf(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	pg := recordsPage{Portal: id, Query: q.Get("q"), After: q.Get("after"), Archived: q.Get("archived") == "true"}
	found := false
	p.View(func(v *store.View) {
		t, ok := v.ObjectType(chi.URLParam(r, "type"))
		if !ok {
			return
		}
		found = true
		pg.Type, pg.Label, pg.Columns = t.Key(), t.PluralLabel, columns(t)
		var recs []store.Record
		if pg.Query != "" && !pg.Archived {
			// The search operation's engine, with the API's validation of
			// the query (length) and its paging.
			var err error
			var total int
			recs, total, pg.Next, err = crmobjects.Find(v, t, &search.Request{Query: pg.Query, Limit: recordsPerPage, After: search.Scalar(pg.After)})
			var se *search.Error
			if errors.As(err, &se) {
				pg.Error = se.Message
				for _, d := range se.Errors {
					pg.Error += " " + d.Message
				}
				return
			}
			pg.Total = total
		} else {
			recs, pg.Next = v.Records(t.Key(), pg.After, recordsPerPage, pg.Archived)
			pg.Total = v.RecordCount(t.Key(), pg.Archived)
		}
		for _, rec := range recs {
			row := recordRow{ID: rec.ID, Updated: formatTime(rec.UpdatedAt)}
			for _, c := range pg.Columns {
				row.Values = append(row.Values, rec.Properties[c])
			}
			pg.Rows = append(pg.Rows, row)
		}
	})
	if !found {
		db.fail(w, r, http.StatusNotFound, "Portal "+strconv.FormatInt(id, 10)+" has no object type "+strconv.Quote(chi.URLParam(r, "type")))
		return
	}
	status := http.StatusOK
	if pg.Error != "" {
		status = http.StatusBadRequest
	}
	db.render(w, r, status, "records", page{Title: pg.Label, Nav: "portals", Data: pg})
}

// recordPage is one record: its properties, their history and its
// associations.
type recordPage struct {
	Portal     int64
	Type       string
	TypeLabel  string
	ID         string
	Title      string
	Record     store.Record
	Properties []propertyRow
	History    []historyRow
	Groups     []assocGroup
}

type propertyRow struct {
	Name, Label, Value string
}

type historyRow struct {
	Name, Value, Time, Source string
}

// assocGroup is a record's partners of one type by one association type.
type assocGroup struct {
	ToType  string
	ToLabel string
	// ToName names one partner ("Car").
	ToName   string
	Label    string
	TypeID   int32
	Category string
	Partners []string
	// More says the type has more partners than a page lists.
	More  bool
	Total int
}

func (db *Dashboard) record(w http.ResponseWriter, r *http.Request) {
	id, p, ok := db.portalOf(w, r)
	if !ok {
		return
	}
	recID := chi.URLParam(r, "id")
	var pg recordPage
	msg := ""
	p.View(func(v *store.View) {
		t, ok := v.ObjectType(chi.URLParam(r, "type"))
		if !ok {
			msg = "Portal " + strconv.FormatInt(id, 10) + " has no object type " + strconv.Quote(chi.URLParam(r, "type"))
			return
		}
		rec, ok := v.Record(t.Key(), recID)
		if !ok {
			msg = "No " + t.SingularLabel + " with id " + strconv.Quote(recID) + " in portal " + strconv.FormatInt(id, 10)
			return
		}
		pg = recordPage{Portal: id, Type: t.Key(), TypeLabel: t.PluralLabel, ID: rec.ID, Record: rec, Title: t.SingularLabel + " " + rec.ID}
		if t.PrimaryDisplayProperty != "" && rec.Properties[t.PrimaryDisplayProperty] != "" {
			pg.Title = rec.Properties[t.PrimaryDisplayProperty]
		}
		for name, value := range rec.Properties {
			row := propertyRow{Name: name, Value: value}
			if prop, ok := t.Property(name); ok {
				row.Label = prop.Label
			}
			pg.Properties = append(pg.Properties, row)
		}
		sort.Slice(pg.Properties, func(i, j int) bool { return pg.Properties[i].Name < pg.Properties[j].Name })
		for name, writes := range rec.History() {
			for _, h := range writes {
				pg.History = append(pg.History, historyRow{Name: name, Value: h.Value, Time: formatTime(h.Timestamp), Source: h.SourceType})
			}
		}
		sort.SliceStable(pg.History, func(i, j int) bool {
			if pg.History[i].Time != pg.History[j].Time {
				return pg.History[i].Time > pg.History[j].Time
			}
			return pg.History[i].Name < pg.History[j].Name
		})
		pg.Groups = associationGroups(v, store.RecordRef{Type: t.Key(), ID: rec.ID})
	})
	if msg != "" {
		db.fail(w, r, http.StatusNotFound, msg)
		return
	}
	db.render(w, r, http.StatusOK, "record", page{Title: pg.Title, Nav: "portals", Data: pg})
}

// associationGroups lists ref's partners by type and association type.
// Partners can only be records of types that hold any.
func associationGroups(v *store.View, ref store.RecordRef) []assocGroup {
	live, _ := v.RecordCounts()
	toTypes := make([]string, 0, len(live))
	for k := range live {
		toTypes = append(toTypes, k)
	}
	sort.Strings(toTypes)
	var out []assocGroup
	for _, toType := range toTypes {
		partners, next := v.Associations(ref, toType, "", partnersPerType)
		if len(partners) == 0 {
			continue
		}
		toLabel, toName := toType, toType
		if t, ok := v.ObjectType(toType); ok {
			toLabel, toName = t.PluralLabel, t.SingularLabel
		}
		total := v.AssociationCount(ref, toType)
		byType := map[int32]*assocGroup{}
		var order []int32
		for _, a := range partners {
			for _, at := range a.Types {
				g, ok := byType[at.TypeID]
				if !ok {
					label := labelText(at.Label)
					if label == "" {
						label = "Unlabeled"
					}
					g = &assocGroup{ToType: toType, ToLabel: toLabel, ToName: toName, Label: label, TypeID: at.TypeID, Category: at.Category, More: next != "", Total: total}
					byType[at.TypeID] = g
					order = append(order, at.TypeID)
				}
				g.Partners = append(g.Partners, a.ToID)
			}
		}
		sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
		for _, id := range order {
			out = append(out, *byType[id])
		}
	}
	return out
}
