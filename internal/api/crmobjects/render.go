package crmobjects

import (
	"maps"
	"slices"
	"time"

	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/store"
)

// objectBody is a record on the wire (SimplePublicObject). Property values
// are strings, or null for a returned property without a value.
type objectBody struct {
	ID                    string                    `json:"id"`
	Properties            map[string]*string        `json:"properties"`
	PropertiesWithHistory map[string][]historyValue `json:"propertiesWithHistory,omitempty"`
	CreatedAt             string                    `json:"createdAt"`
	UpdatedAt             string                    `json:"updatedAt"`
	Archived              bool                      `json:"archived"`
	ArchivedAt            string                    `json:"archivedAt,omitempty"`
	// Associations is embedded by reads and lists that ask (associations.go).
	Associations map[string]assocList `json:"associations,omitempty"`
	// ObjectWriteTraceID echoes the trace id a batch input carried, so a
	// client matches each result to its input.
	ObjectWriteTraceID string `json:"objectWriteTraceId,omitempty"`
}

// historyValue is one value a property held (ValueWithTimestamp).
type historyValue struct {
	Value      string `json:"value"`
	Timestamp  string `json:"timestamp"`
	SourceType string `json:"sourceType"`
}

// pageBody is one page of a list.
type pageBody struct {
	Results []objectBody `json:"results"`
	Paging  *paging      `json:"paging,omitempty"`
}

type paging struct {
	Next nextPage `json:"next"`
}

type nextPage struct {
	After string `json:"after"`
	Link  string `json:"link"`
}

// mirrored is a property HubSpot derives from the record itself rather
// than from a write: its value, and when it took that value.
type mirrored struct {
	value string
	at    time.Time
}

// mirrors returns the derived properties the type has (HUBSPOT-RECORDS.md
// §2.1, §2.2): the creation date, the last-modified date (lastmodifieddate on
// contacts, hs_lastmodifieddate elsewhere) and the id copies.
func mirrors(t *schema.ObjectType, r store.Record) map[string]mirrored {
	created := mirrored{endpoint.FormatTime(r.CreatedAt), r.CreatedAt}
	updated := mirrored{endpoint.FormatTime(r.UpdatedAt), r.UpdatedAt}
	id := mirrored{r.ID, r.CreatedAt}
	all := map[string]mirrored{
		"createdate":          created,
		"hs_createdate":       created,
		"lastmodifieddate":    updated,
		"hs_lastmodifieddate": updated,
		"hs_object_id":        id,
		"hs_all_contact_vids": id,
		"hs_ticket_id":        id,
	}
	for name := range all {
		if _, ok := t.Property(name); !ok {
			delete(all, name)
		}
	}
	return all
}

// selectRead is the property names a read or list returns: the type's
// defaults when none are named, otherwise the named ones plus those always
// added, without names the type does not have (HubSpot ignores them).
func selectRead(t *schema.ObjectType, requested []string) []string {
	return known(t, t.ReturnedProperties(requested))
}

// selectAll is every property a new record has: what was written, what
// HubSpot sets and what it derives, as a create answers.
func selectAll(t *schema.ObjectType, r store.Record) []string {
	out := slices.Collect(maps.Keys(r.Properties))
	out = append(out, slices.Collect(maps.Keys(mirrors(t, r)))...)
	slices.Sort(out)
	return known(t, slices.Compact(out))
}

// selectUpdate is what an update answers: the default properties and the
// ones just written (HUBSPOT-RECORDS.md §2.5).
func selectUpdate(t *schema.ObjectType, written map[string]string) []string {
	out := t.DefaultProperties()
	for name := range written {
		out = append(out, name)
	}
	slices.Sort(out)
	return known(t, slices.Compact(out))
}

func known(t *schema.ObjectType, names []string) []string {
	return slices.DeleteFunc(names, func(n string) bool {
		_, ok := t.Property(n)
		return !ok
	})
}

// render shapes record r with the named properties (null when without a
// value) and, when asked, the history of the properties in history.
func render(t *schema.ObjectType, r store.Record, names, history []string) objectBody {
	m := mirrors(t, r)
	out := objectBody{
		ID:         r.ID,
		Properties: make(map[string]*string, len(names)),
		CreatedAt:  endpoint.FormatTime(r.CreatedAt),
		UpdatedAt:  endpoint.FormatTime(r.UpdatedAt),
		Archived:   r.Archived,
	}
	if r.Archived {
		out.ArchivedAt = endpoint.FormatTime(r.ArchivedAt)
	}
	for _, name := range names {
		if mv, ok := m[name]; ok {
			out.Properties[name] = &mv.value
			continue
		}
		if v, ok := r.Properties[name]; ok {
			out.Properties[name] = &v
			continue
		}
		out.Properties[name] = nil
	}
	if len(history) == 0 {
		return out
	}
	out.PropertiesWithHistory = map[string][]historyValue{}
	for _, name := range known(t, slices.Clone(history)) {
		if mv, ok := m[name]; ok {
			out.PropertiesWithHistory[name] = []historyValue{{mv.value, endpoint.FormatTime(mv.at), store.HistorySourceType}}
			continue
		}
		writes := r.PropertyHistory(name)
		if len(writes) == 0 {
			continue
		}
		list := make([]historyValue, 0, len(writes))
		for _, w := range writes {
			list = append(list, historyValue{w.Value, endpoint.FormatTime(w.Timestamp), w.SourceType})
		}
		out.PropertiesWithHistory[name] = list
	}
	return out
}
