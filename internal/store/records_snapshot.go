package store

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/benbjohnson/immutable"
	"github.com/mockhub/mockhub/internal/decode"
)

// SnapshotRecord is one record in a state document. On import, Properties
// and History must agree: a property's newest history value is its value
// ("" meaning absent); a property given without history gets one entry at
// UpdatedAt. Times are kept to the millisecond.
type SnapshotRecord struct {
	ObjectType string    `json:"objectType"`
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"createdAt"`
	// UpdatedAt defaults to CreatedAt on import.
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	Archived  bool      `json:"archived,omitempty"`
	// ArchivedAt is required when Archived, and only then.
	ArchivedAt time.Time         `json:"archivedAt,omitzero"`
	Properties map[string]string `json:"properties"`
	// History lists each property's writes, newest first.
	History map[string][]SnapshotValue `json:"propertiesWithHistory,omitempty"`
}

// SnapshotValue is one write of a property value.
type SnapshotValue struct {
	Value     string    `json:"value"`
	Timestamp time.Time `json:"timestamp"`
}

// snapshotRecord is the exported (and saved) form of a stored record.
func snapshotRecord(objectType string, id int64, r *record, archived bool) SnapshotRecord {
	out := SnapshotRecord{
		ObjectType: objectType,
		ID:         strconv.FormatInt(id, 10),
		CreatedAt:  time.UnixMilli(r.created).UTC(),
		UpdatedAt:  time.UnixMilli(r.updated).UTC(),
		Archived:   archived,
		Properties: map[string]string{},
		History:    make(map[string][]SnapshotValue, len(r.props)),
	}
	if archived {
		out.ArchivedAt = time.UnixMilli(r.archivedAt).UTC()
	}
	for _, p := range r.props {
		if v := p.hist.value; v != "" {
			out.Properties[p.name] = v
		}
		h := make([]SnapshotValue, 0, p.hist.length())
		for e := range p.hist.entries() {
			h = append(h, SnapshotValue{Value: e.value, Timestamp: time.UnixMilli(e.at).UTC()})
		}
		out.History[p.name] = h
	}
	return out
}

// snapshotRecords adds the records domain to an exported document.
func (v *View) snapshotRecords(out *Snapshot) {
	for typ, tr := range v.records().all() {
		if out.NextRecordIDs == nil {
			out.NextRecordIDs = map[string]int64{}
		}
		out.NextRecordIDs[typ] = tr.next
		for id, sr := range tr.all() {
			out.Records = append(out.Records, snapshotRecord(typ, id, sr.r, sr.archived))
		}
	}
}

// loadRecord decodes one saved row of the records domain strictly: a type's
// id sequence under the bare type key, or a record under type/id, whose
// value must say the same type and id.
func loadRecord(snap *Snapshot, key string, value []byte) error {
	if !strings.Contains(key, "/") {
		var next int64
		if err := decode.JSON(value, &next); err != nil {
			return fmt.Errorf("id sequence %q: %w", key, err)
		}
		if _, dup := snap.NextRecordIDs[key]; dup {
			return fmt.Errorf("id sequence %q is saved twice", key)
		}
		if snap.NextRecordIDs == nil {
			snap.NextRecordIDs = map[string]int64{}
		}
		snap.NextRecordIDs[key] = next
		return nil
	}
	var r SnapshotRecord
	if err := decode.JSON(value, &r); err != nil {
		return fmt.Errorf("record %q: %w", key, err)
	}
	if want := r.ObjectType + "/" + r.ID; key != want {
		return fmt.Errorf("record %q: the value is the record %q", key, want)
	}
	snap.Records = append(snap.Records, r)
	return nil
}

// buildRecords checks the records of a state document and returns the
// domain's part. resolve turns an object type spelling into its key, or
// reports it.
func buildRecords(cfg *Config, snap *Snapshot, resolve func(in, spelling string) (string, bool), decl func(typ string) []UniqueProperty, fail func(in, format string, args ...any)) recordsPart {
	types := map[string]*typeRecords{}
	typeOf := func(key string) *typeRecords {
		tr := types[key]
		if tr == nil {
			tr = newTypeRecords(0)
			types[key] = tr
		}
		return tr
	}
	// Map order would make the messages vary: check sequences by spelling.
	spellings := make([]string, 0, len(snap.NextRecordIDs))
	for k := range snap.NextRecordIDs {
		spellings = append(spellings, k)
	}
	slices.Sort(spellings)
	given := map[string]bool{}
	for _, spelling := range spellings {
		at := fmt.Sprintf("nextRecordIds[%q]", spelling)
		key, ok := resolve(at, spelling)
		if !ok {
			continue
		}
		next := snap.NextRecordIDs[spelling]
		switch {
		case next <= 0 || next > maxRecordID+maxRecordIDStep:
			fail(at, "the next record id must be a positive integer up to %d, got %d", maxRecordID+maxRecordIDStep, next)
		case given[key]:
			fail(at, "object type %s has more than one id sequence", key)
		default:
			given[key] = true
			typeOf(key).next = next
		}
	}
	// Records are indexed in id order so that a duplicate unique value is
	// reported on the later record, as the API would have refused it.
	type entry struct {
		at  string
		typ string
		id  int64
		r   *record
		arc bool
	}
	var entries []entry
	for i, sr := range snap.Records {
		at := fmt.Sprintf("records[%d]", i)
		typ, okType := resolve(at+".objectType", sr.ObjectType)
		id, okID := parseRecordID(sr.ID)
		if !okID {
			fail(at+".id", "id must be a positive integer up to %d without sign or leading zeros, got %q", maxRecordID, sr.ID)
		}
		r, okRec := buildRecord(at, sr, fail)
		if okType && okID && okRec {
			entries = append(entries, entry{at, typ, id, r, sr.Archived})
		}
	}
	slices.SortStableFunc(entries, func(a, b entry) int {
		if c := strings.Compare(a.typ, b.typ); c != 0 {
			return c
		}
		return int(min(max(a.id-b.id, -1), 1))
	})
	unique := map[string]map[string]int64{}
	for i, e := range entries {
		if i > 0 && entries[i-1].typ == e.typ && entries[i-1].id == e.id {
			fail(e.at+".id", "%s %d is defined more than once", e.typ, e.id)
			continue
		}
		tr := typeOf(e.typ)
		if e.arc {
			tr.archived = tr.archived.Set(e.id, *e.r)
		} else {
			if unique[e.typ] == nil {
				unique[e.typ] = map[string]int64{}
			}
			clash := false
			for _, k := range uniqueKeys(decl(e.typ), e.r) {
				if other, dup := unique[e.typ][k]; dup {
					ns, v, _ := strings.Cut(k, "\x00")
					fail(e.at+".properties", "%s %q is also held by %s %d", ns, v, e.typ, other)
					clash = true
				}
			}
			if clash {
				continue
			}
			for _, k := range uniqueKeys(decl(e.typ), e.r) {
				unique[e.typ][k] = e.id
			}
			tr.live = tr.live.Set(e.id, *e.r)
		}
		tr.next = max(tr.next, e.id+recordIDStep(cfg))
		tr.lastWrite = max(tr.lastWrite, e.r.newestWrite())
	}
	b := immutable.NewSortedMapBuilder[string, *typeRecords](immutable.NewComparer(""))
	for typ, tr := range types {
		if tr.next == 0 {
			tr.next = firstRecordID(cfg, typ)
		}
		ub := immutable.NewSortedMapBuilder[string, int64](immutable.NewComparer(""))
		for k, id := range unique[typ] {
			ub.Set(k, id)
		}
		tr.unique = ub.Map()
		b.Set(typ, tr)
	}
	return recordsPart{types: b.Map()}
}

// buildRecord checks one record of a document and returns its stored form.
func buildRecord(at string, sr SnapshotRecord, fail func(in, format string, args ...any)) (*record, bool) {
	ok := true
	bad := func(in, format string, args ...any) {
		fail(at+in, format, args...)
		ok = false
	}
	if sr.CreatedAt.IsZero() {
		bad(".createdAt", "createdAt is required")
	}
	updated := sr.UpdatedAt
	if updated.IsZero() {
		updated = sr.CreatedAt
	}
	switch {
	case sr.Archived && sr.ArchivedAt.IsZero():
		bad(".archivedAt", "archivedAt is required for an archived record")
	case !sr.Archived && !sr.ArchivedAt.IsZero():
		bad(".archivedAt", "archivedAt is only for archived records")
	}
	r := &record{created: sr.CreatedAt.UnixMilli(), updated: updated.UnixMilli(), archivedAt: sr.ArchivedAt.UnixMilli()}
	if !sr.Archived {
		r.archivedAt = 0
	}
	names := map[string]bool{}
	for name := range sr.Properties {
		names[name] = true
	}
	for name := range sr.History {
		names[name] = true
	}
	sorted := make([]string, 0, len(names))
	for name := range names {
		sorted = append(sorted, name)
	}
	slices.Sort(sorted)
	for _, name := range sorted {
		if name == "" || strings.ContainsRune(name, 0) {
			bad(".properties", "property names must be non-empty text, got %q", name)
			continue
		}
		value := sr.Properties[name]
		hist, hasHist := sr.History[name]
		if !hasHist {
			if value != "" {
				r.props = append(r.props, recordProp{name: internName(name), hist: (*historyEntry)(nil).prepend(value, r.updated)})
			}
			continue
		}
		in := fmt.Sprintf(".propertiesWithHistory[%q]", name)
		if len(hist) == 0 {
			bad(in, "a property's history must not be empty")
			continue
		}
		if hist[0].Value != value {
			bad(in, "the newest value %q is not the property's value %q", hist[0].Value, value)
			continue
		}
		for i, h := range hist {
			switch {
			case h.Timestamp.IsZero():
				bad(fmt.Sprintf("%s[%d].timestamp", in, i), "timestamp is required")
			case i > 0 && h.Timestamp.UnixMilli() > hist[i-1].Timestamp.UnixMilli():
				bad(fmt.Sprintf("%s[%d].timestamp", in, i), "history must be newest first")
			}
		}
		var entries *historyEntry
		for _, h := range slices.Backward(hist) {
			entries = entries.prepend(h.Value, h.Timestamp.UnixMilli())
		}
		r.props = append(r.props, recordProp{name: internName(name), hist: entries})
	}
	return r, ok
}
