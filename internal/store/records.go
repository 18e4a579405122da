package store

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unique"

	"github.com/benbjohnson/immutable"
)

// The records domain holds a portal's CRM object records (contacts,
// companies, deals, tickets, custom objects): their property values with the
// history of every write, their timestamps, whether they are archived, each
// object type's id sequence and an index of the values that must be unique.
// It stores strings and nothing else: which properties exist and what their
// values may be is the caller's business (the properties package), and so
// are the wire shapes.
//
// The store sets CreatedAt, UpdatedAt and ArchivedAt and keeps only the
// properties callers write. The properties HubSpot mirrors from them
// (createdate, lastmodifieddate or hs_lastmodifieddate, hs_object_id,
// hs_all_contact_vids...) are derived by the caller when it renders a
// record: their names differ per object type, and storing them would cost
// every record several values and history entries that say nothing new.

// HistorySourceType is the sourceType of every history entry: writes through
// the API are HubSpot's INTEGRATION source.
const HistorySourceType = "INTEGRATION"

// Record is one CRM object record as a caller sees it: a copy, which the
// caller may change freely.
type Record struct {
	// ObjectType is the canonical key of the record's type ("contact",
	// "2-123").
	ObjectType string
	// ID is the record id, a string of digits.
	ID string
	// Properties holds the current value of every property that has one;
	// a cleared property is absent.
	Properties map[string]string
	// CreatedAt, UpdatedAt and ArchivedAt have millisecond precision (as
	// HubSpot's), in UTC. ArchivedAt is zero unless Archived.
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Archived   bool
	ArchivedAt time.Time

	// stored is the record as stored, immutable: its history is copied out
	// only when asked for, so that reads cost the same however long the
	// histories grow.
	stored *record
}

// History returns, per property ever written, its writes newest first; a
// write that cleared the value has Value "".
func (r Record) History() map[string][]PropertyValue {
	if r.stored == nil {
		return map[string][]PropertyValue{}
	}
	out := make(map[string][]PropertyValue, len(r.stored.props))
	for _, p := range r.stored.props {
		out[p.name] = historyOf(p.hist)
	}
	return out
}

// PropertyHistory returns the writes of one property newest first, nil when
// it was never written.
func (r Record) PropertyHistory(name string) []PropertyValue {
	if r.stored == nil {
		return nil
	}
	i, ok := r.stored.find(name)
	if !ok {
		return nil
	}
	return historyOf(r.stored.props[i].hist)
}

func historyOf(h *historyEntry) []PropertyValue {
	out := make([]PropertyValue, 0, h.length())
	for e := range h.entries() {
		out = append(out, PropertyValue{Value: e.value, Timestamp: time.UnixMilli(e.at).UTC(), SourceType: HistorySourceType})
	}
	return out
}

// PropertyValue is one write of a property value.
type PropertyValue struct {
	Value      string
	Timestamp  time.Time
	SourceType string
}

// UniqueProperty declares a property whose values identify a record of its
// object type: no two non-archived records may share a value.
type UniqueProperty struct {
	// Name is the property.
	Name string
	// Namespace groups properties whose values must not collide with one
	// another (contacts' email and hs_additional_emails); empty means Name.
	Namespace string
	// Multi says the value is a ";"-separated list of values, each unique.
	Multi bool
	// FoldCase compares values case-insensitively.
	FoldCase bool
}

// namespace returns the namespace u's values are indexed under.
func (u UniqueProperty) namespace() string { return cmp.Or(u.Namespace, u.Name) }

// DefaultUniqueProperties returns HubSpot's unique identifiers: contacts'
// email and additional emails, case-insensitive (HUBSPOT-RECORDS.md §2.6,
// §7 #21). Company domains are not unique (§7 #22).
func DefaultUniqueProperties() map[string][]UniqueProperty {
	return map[string][]UniqueProperty{
		"contact": {
			{Name: "email", FoldCase: true},
			{Name: "hs_additional_emails", Namespace: "email", Multi: true, FoldCase: true},
		},
	}
}

// record is the stored form of a record: immutable once published, so a
// state shares it with every later state until the record is written again.
// Times are Unix milliseconds.
type record struct {
	created, updated, archivedAt int64
	// props is sorted by name; names are interned, so the same name in a
	// million records is one string.
	props []recordProp
}

// recordProp is one property ever written: hist is its newest write, which
// holds its current value.
type recordProp struct {
	name string
	hist *historyEntry
}

// historyEntry is one write of a property, linked to the write before it:
// a write prepends one entry and shares the older ones, so it costs the same
// however long the history.
type historyEntry struct {
	value string
	at    int64
	older *historyEntry
	// n is how many entries this one starts (itself included).
	n int
}

// MaxHistory is how many writes of one property a record keeps and
// reports, newest first. HubSpot publishes no figure; without one, a record
// whose value changes in a loop would grow without bound.
const MaxHistory = 100

func (e *historyEntry) prepend(value string, at int64) *historyEntry {
	n := 1
	if e != nil {
		n = e.n + 1
	}
	out := &historyEntry{value: value, at: at, older: e, n: n}
	if n > 2*MaxHistory {
		// Entries beyond MaxHistory are never shown; dropping them only
		// once twice as many have piled up keeps a write O(1) amortized.
		out = out.newest(MaxHistory)
	}
	return out
}

// newest returns a copy of the first keep entries of e.
func (e *historyEntry) newest(keep int) *historyEntry {
	kept := make([]*historyEntry, 0, keep)
	for h := range e.entries() {
		kept = append(kept, h)
	}
	var out *historyEntry
	for _, h := range slices.Backward(kept) {
		out = out.prepend(h.value, h.at)
	}
	return out
}

// length is how many entries entries yields.
func (e *historyEntry) length() int {
	if e == nil {
		return 0
	}
	return min(e.n, MaxHistory)
}

// entries yields the history newest first, at most MaxHistory entries.
func (e *historyEntry) entries() iter.Seq[*historyEntry] {
	return func(yield func(*historyEntry) bool) {
		for i := 0; e != nil && i < MaxHistory; e, i = e.older, i+1 {
			if !yield(e) {
				return
			}
		}
	}
}

// value returns the current value of name, "" when it has none.
func (r *record) value(name string) string {
	if i, ok := r.find(name); ok {
		return r.props[i].hist.value
	}
	return ""
}

func (r *record) find(name string) (int, bool) {
	// A plain binary search: search reads every record's values through
	// here, and the generic one's comparison calls cost a third of a scan.
	lo, hi := 0, len(r.props)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if r.props[m].name < name {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(r.props) && r.props[lo].name == name
}

// typeRecords is one object type's records. Live and archived records are
// kept apart so that listing either kind costs O(log n + page) however many
// of the other there are. Ids only grow, so id order is creation order.
// Records are held by value (a small header sharing its properties), so a
// walk over many reads them in place in the tree's leaves.
type typeRecords struct {
	live, archived *immutable.SortedMap[int64, record]
	// unique maps namespace "\x00" value (folded as declared) to the id of
	// the live record holding it.
	unique *immutable.SortedMap[string, int64]
	// next is the id the next created record gets.
	next int64
	// lastWrite is the newest time (Unix ms) any record of the type was
	// created, written or archived at: a search as of a later time sees
	// every record as it is now, and needs no as-of reads.
	lastWrite int64
}

type int64Order struct{}

func (int64Order) Compare(a, b int64) int { return cmp.Compare(a, b) }

func newTypeRecords(next int64) *typeRecords {
	return &typeRecords{
		live:     immutable.NewSortedMap[int64, record](int64Order{}),
		archived: immutable.NewSortedMap[int64, record](int64Order{}),
		unique:   immutable.NewSortedMap[string, int64](immutable.NewComparer("")),
		next:     next,
	}
}

// get returns record id and whether it is archived.
func (tr *typeRecords) get(id int64) (r *record, archived, ok bool) {
	if r, ok := tr.live.Get(id); ok {
		return &r, false, true
	}
	if r, ok := tr.archived.Get(id); ok {
		return &r, true, true
	}
	return nil, false, false
}

// recordsPart is the records domain: object type key -> its records.
type recordsPart struct {
	types *immutable.SortedMap[string, *typeRecords]
}

var recordsDomain = register(domain{
	name: "records",
	empty: func(*Config) any {
		return recordsPart{types: immutable.NewSortedMap[string, *typeRecords](immutable.NewComparer(""))}
	},
	row: func(part any, key string) ([]byte, bool) {
		typ, rest, isRecord := strings.Cut(key, "/")
		tr, ok := part.(recordsPart).types.Get(typ)
		if !ok {
			return nil, false
		}
		if !isRecord {
			return []byte(strconv.FormatInt(tr.next, 10)), true
		}
		id, ok := parseRecordID(rest)
		if !ok {
			return nil, false
		}
		r, archived, ok := tr.get(id)
		if !ok {
			return nil, false
		}
		return mustJSON(snapshotRecord(typ, id, r, archived)), true
	},
	rows: func(part any) iter.Seq2[string, []byte] {
		return func(yield func(string, []byte) bool) {
			for typ, tr := range part.(recordsPart).all() {
				if !yield(typ, []byte(strconv.FormatInt(tr.next, 10))) {
					return
				}
				for id, sr := range tr.all() {
					if !yield(recordRowKey(typ, id), mustJSON(snapshotRecord(typ, id, sr.r, sr.archived))) {
						return
					}
				}
			}
		}
	},
	load: loadRecord,
})

// recordRowKey is a record's saved key: type/id. A type's id sequence is
// saved under the bare type key. Type keys hold no slash.
func recordRowKey(typ string, id int64) string {
	return typ + "/" + strconv.FormatInt(id, 10)
}

// maxRecordID bounds record ids, far above any HubSpot id, so that a
// sequence never overflows.
const maxRecordID = 1 << 60

// parseRecordID reads a record id: digits only, no sign, no leading zero.
func parseRecordID(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > maxRecordID || strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}

func (rp recordsPart) all() iter.Seq2[string, *typeRecords] {
	return func(yield func(string, *typeRecords) bool) {
		it := rp.types.Iterator()
		for !it.Done() {
			k, tr, _ := it.Next()
			if !yield(k, tr) {
				return
			}
		}
	}
}

// stored is a record as listed: the record and which map holds it.
type stored struct {
	r        *record
	archived bool
}

// all yields every record of the type in id order, live and archived
// merged.
func (tr *typeRecords) all() iter.Seq2[int64, stored] {
	return func(yield func(int64, stored) bool) {
		a, b := tr.live.Iterator(), tr.archived.Iterator()
		ka, ra, okA := a.Next()
		kb, rb, okB := b.Next()
		for okA || okB {
			if okA && (!okB || ka < kb) {
				if !yield(ka, stored{&ra, false}) {
					return
				}
				ka, ra, okA = a.Next()
				continue
			}
			if !yield(kb, stored{&rb, true}) {
				return
			}
			kb, rb, okB = b.Next()
		}
	}
}

func (v *View) records() recordsPart { return v.part(recordsDomain).(recordsPart) }

func (v *View) typeRecords(objectType string) (*typeRecords, bool) {
	return v.records().types.Get(objectType)
}

// firstRecordID is where objectType's id sequence starts: the configured
// base plus an offset derived from the type key, so each type's ids look
// apart (HubSpot's contacts and deals of one portal are billions apart,
// HUBSPOT-RECORDS.md §2.1) and the same type always starts at the same id.
func firstRecordID(cfg *Config, objectType string) int64 {
	base := cfg.FirstRecordID
	if base <= 0 {
		base = DefaultConfig().FirstRecordID
	}
	h := fnv.New32a()
	h.Write([]byte(objectType))
	return base + int64(h.Sum32()%50)*1_000_000_000
}

// maxRecordIDStep bounds Config.RecordIDStep.
const maxRecordIDStep = 1 << 30

func recordIDStep(cfg *Config) int64 { return min(max(cfg.RecordIDStep, 1), maxRecordIDStep) }

// toRecord copies a stored record out.
func toRecord(objectType string, id int64, r *record, archived bool) Record {
	out := Record{
		ObjectType: objectType,
		ID:         strconv.FormatInt(id, 10),
		Properties: make(map[string]string, len(r.props)),
		CreatedAt:  time.UnixMilli(r.created).UTC(),
		UpdatedAt:  time.UnixMilli(r.updated).UTC(),
		Archived:   archived,
		stored:     r,
	}
	if archived {
		out.ArchivedAt = time.UnixMilli(r.archivedAt).UTC()
	}
	for _, p := range r.props {
		if v := p.hist.value; v != "" {
			out.Properties[p.name] = v
		}
	}
	return out
}

// Value returns the current value of property name, false when it has
// none. It reads the stored record when Properties was not filled
// (LiveRecords), so a walk over many records copies none of them.
func (r Record) Value(name string) (string, bool) {
	if r.Properties != nil || r.stored == nil {
		v, ok := r.Properties[name]
		return v, ok && v != ""
	}
	v := r.stored.value(name)
	return v, v != ""
}

// Stored is a live record as it is stored, for walks that read a few values
// of many records (search): it holds the record's small header by value and
// shares its properties, copying no property until Record is called.
type Stored struct {
	id int64
	r  record
}

// ID is the record's id.
func (s Stored) ID() string { return strconv.FormatInt(s.id, 10) }

// Value returns the current value of property name, false when it has none.
func (s Stored) Value(name string) (string, bool) {
	v := s.r.value(name)
	return v, v != ""
}

// CreatedAt and UpdatedAt are the record's times.
func (s Stored) CreatedAt() time.Time { return time.UnixMilli(s.r.created).UTC() }
func (s Stored) UpdatedAt() time.Time { return time.UnixMilli(s.r.updated).UTC() }

// Record returns the record as Record and Records return it.
func (s Stored) Record(objectType string) Record { return toRecord(objectType, s.id, &s.r, false) }

// LiveRecords yields every live record of objectType in id order, as
// stored: search walks every record with it, so a full scan copies only
// the records it returns.
func (v *View) LiveRecords(objectType string) iter.Seq[Stored] {
	return func(yield func(Stored) bool) {
		tr, ok := v.typeRecords(objectType)
		if !ok {
			return
		}
		it := tr.live.Iterator()
		for !it.Done() {
			id, r, _ := it.Next()
			if !yield(Stored{id, r}) {
				return
			}
		}
	}
}

// minPartRecords is the fewest records a part of LiveRecordParts walks: below
// it, a goroutine costs more than the walk it saves.
const minPartRecords = 8192

// LiveRecordParts splits LiveRecords into at most n walks of consecutive id
// ranges that together yield every live record once, so that a full scan
// (search) can walk them at the same time on several cores. Parts are cut at
// evenly spaced ids; a type with few records is one part.
func (v *View) LiveRecordParts(objectType string, n int) []iter.Seq[Stored] {
	tr, ok := v.typeRecords(objectType)
	if !ok {
		return nil
	}
	n = min(n, tr.live.Len()/minPartRecords)
	if n <= 1 {
		return []iter.Seq[Stored]{v.LiveRecords(objectType)}
	}
	it := tr.live.Iterator()
	first, _, _ := it.Next()
	it.Last()
	last, _, _ := it.Next()
	step := (last-first)/int64(n) + 1
	parts := make([]iter.Seq[Stored], 0, n)
	for from := first; from <= last; from += step {
		parts = append(parts, liveRange(tr.live, from, from+step))
	}
	return parts
}

// liveRange yields the records of m with ids in [from, to).
func liveRange(m *immutable.SortedMap[int64, record], from, to int64) iter.Seq[Stored] {
	return func(yield func(Stored) bool) {
		it := m.Iterator()
		it.Seek(from)
		for !it.Done() {
			id, r, _ := it.Next()
			if id >= to || !yield(Stored{id, r}) {
				return
			}
		}
	}
}

// Record returns record id of objectType, archived or not (Record.Archived
// tells). An id that is not a record id is not found.
func (v *View) Record(objectType, id string) (Record, bool) {
	n, ok := parseRecordID(id)
	if !ok {
		return Record{}, false
	}
	tr, ok := v.typeRecords(objectType)
	if !ok {
		return Record{}, false
	}
	r, archived, ok := tr.get(n)
	if !ok {
		return Record{}, false
	}
	return toRecord(objectType, n, r, archived), true
}

// Records lists up to limit records of objectType, the archived ones or the
// others, in creation order, starting at cursor after ("" for the first
// page). next is the cursor of the following page, "" after the last. The
// cursor is the id of the next record; callers treat it as opaque. A limit
// below 1 is taken as 1; an after that is not a cursor starts at the first
// record.
func (v *View) Records(objectType, after string, limit int, archived bool) (page []Record, next string) {
	tr, ok := v.typeRecords(objectType)
	if !ok {
		return nil, ""
	}
	m := tr.live
	if archived {
		m = tr.archived
	}
	limit = max(limit, 1)
	it := m.Iterator()
	if from, ok := parseRecordID(after); ok {
		it.Seek(from)
	}
	for !it.Done() {
		id, r, _ := it.Next()
		if len(page) == limit {
			return page, strconv.FormatInt(id, 10)
		}
		page = append(page, toRecord(objectType, id, &r, archived))
	}
	return page, ""
}

// RecordCount returns how many records of objectType are archived, or not.
func (v *View) RecordCount(objectType string, archived bool) int {
	tr, ok := v.typeRecords(objectType)
	switch {
	case !ok:
		return 0
	case archived:
		return tr.archived.Len()
	}
	return tr.live.Len()
}

// FindUnique returns the non-archived record of objectType whose unique
// property holds value (compared as the property is declared: contacts'
// email case-insensitively). Properties sharing a namespace find each
// other's values: a contact's additional email is found by email. A
// property not declared unique finds nothing.
func (v *View) FindUnique(objectType, property, value string) (id string, ok bool) {
	u, ok := v.uniqueProperty(objectType, property)
	if !ok || value == "" {
		return "", false
	}
	tr, ok := v.typeRecords(objectType)
	if !ok {
		return "", false
	}
	n, ok := tr.unique.Get(uniqueKey(u, value))
	if !ok {
		return "", false
	}
	return strconv.FormatInt(n, 10), true
}

func (v *View) uniqueProperty(objectType, property string) (UniqueProperty, bool) {
	for _, u := range v.uniqueDecl(objectType) {
		if u.Name == property {
			return u, true
		}
	}
	return UniqueProperty{}, false
}

// uniqueKey is value's key in the index: surrounding spaces never make a
// value distinct.
func uniqueKey(u UniqueProperty, value string) string {
	value = strings.TrimSpace(value)
	if u.FoldCase {
		value = strings.ToLower(value)
	}
	return u.namespace() + "\x00" + value
}

// uniqueKeys returns the index keys r holds under the declared unique
// properties, each once.
func uniqueKeys(decl []UniqueProperty, r *record) []string {
	var out []string
	for _, u := range decl {
		v := r.value(u.Name)
		if v == "" {
			continue
		}
		values := []string{v}
		if u.Multi {
			values = strings.Split(v, ";")
		}
		for _, one := range values {
			if strings.TrimSpace(one) == "" {
				continue
			}
			if k := uniqueKey(u, one); !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// ExistingRecordID returns the id of the record a KindConflict error of a
// record write collided with.
func ExistingRecordID(err error) (string, bool) {
	e, ok := err.(*Error)
	if !ok || e.Kind != KindConflict || len(e.Details) == 0 {
		return "", false
	}
	ids := e.Details[0].Context["id"]
	if len(ids) != 1 {
		return "", false
	}
	return ids[0], true
}

// recordConflict is HubSpot's answer to a duplicate unique value ("Contact
// already exists. Existing ID: N", HUBSPOT-RECORDS.md §6).
func recordConflict(objectType string, id int64, property string) *Error {
	noun := "Object"
	if objectType != "" && !strings.Contains(objectType, "-") {
		noun = strings.ToUpper(objectType[:1]) + objectType[1:]
	}
	msg := fmt.Sprintf(MsgRecordExists, noun, id)
	return &Error{Kind: KindConflict, Message: msg, Details: []Detail{{
		Message: msg, In: property, Context: map[string][]string{"id": {strconv.FormatInt(id, 10)}},
	}}}
}

// checkObjectType refuses a type that is not a canonical key: it would be
// stored under a name no reader uses.
func (v *View) checkObjectType(objectType string) error {
	t, ok := v.pt.catalog.types.Resolve(objectType)
	if !ok || t.Key() != objectType {
		return invalid(fmt.Sprintf(MsgRecordType, objectType))
	}
	if ts, defined := v.schemaTypes().types.Get(objectType); t.Name == "" && (!defined || ts.custom == nil) {
		return invalid(fmt.Sprintf("custom object type %s is not defined", objectType))
	}
	return nil
}

// checkTime refuses a time a state document cannot hold (JSON times have
// four-digit years).
func checkTime(t time.Time) error {
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return invalid(fmt.Sprintf("time %s is out of range", t))
	}
	return nil
}

// internName returns the one copy of a property name that every record
// shares.
func internName(name string) string { return unique.Make(name).Value() }

// withWrites returns a copy of r with props written at now: each value that
// differs from the current one is prepended to its history (an empty value
// clears; clearing a property without a value writes nothing).
func withWrites(r *record, props map[string]string, now int64) *record {
	names := slices.Sorted(maps.Keys(props))
	out := &record{created: r.created, updated: now, archivedAt: r.archivedAt}
	out.props = make([]recordProp, 0, len(r.props)+len(names))
	i := 0
	for _, name := range names {
		for i < len(r.props) && r.props[i].name < name {
			out.props = append(out.props, r.props[i])
			i++
		}
		value := props[name]
		if i < len(r.props) && r.props[i].name == name {
			p := r.props[i]
			i++
			if p.hist.value == value {
				out.props = append(out.props, p)
				continue
			}
			out.props = append(out.props, recordProp{name: p.name, hist: p.hist.prepend(value, now)})
			continue
		}
		if value == "" {
			continue
		}
		out.props = append(out.props, recordProp{name: internName(name), hist: (*historyEntry)(nil).prepend(value, now)})
	}
	out.props = append(out.props, r.props[i:]...)
	return out
}

// putLive stores r as live record id of tr, after checking and updating the
// unique index against old (the record's previous version, nil for a new
// one). It returns the new typeRecords, or a conflict.
func (v *View) putLive(objectType string, tr *typeRecords, id int64, old, r *record) (*typeRecords, error) {
	decl := v.uniqueDecl(objectType)
	next := *tr
	if len(decl) > 0 {
		keys := uniqueKeys(decl, r)
		for _, k := range keys {
			if other, ok := tr.unique.Get(k); ok && other != id {
				ns, _, _ := strings.Cut(k, "\x00")
				return nil, recordConflict(objectType, other, ns)
			}
		}
		idx := tr.unique
		if old != nil {
			for _, k := range uniqueKeys(decl, old) {
				if !slices.Contains(keys, k) {
					idx = idx.Delete(k)
				}
			}
		}
		for _, k := range keys {
			if _, ok := idx.Get(k); !ok {
				idx = idx.Set(k, id)
			}
		}
		next.unique = idx
	}
	next.live = tr.live.Set(id, *r)
	next.lastWrite = max(next.lastWrite, r.newestWrite())
	return &next, nil
}

func (tx *Tx) setTypeRecords(objectType string, tr *typeRecords, keys ...string) {
	tx.set(recordsDomain, recordsPart{types: tx.records().types.Set(objectType, tr)}, keys...)
}

// CreateRecord creates a record of objectType (a canonical key) holding the
// non-empty values of props, created and updated at now (to the
// millisecond), with the next id of the type's sequence. A value another
// live record holds for a unique property fails with KindConflict
// (ExistingRecordID names that record) and uses no id.
func (tx *Tx) CreateRecord(objectType string, props map[string]string, now time.Time) (Record, error) {
	if err := tx.checkObjectType(objectType); err != nil {
		return Record{}, err
	}
	if err := checkTime(now); err != nil {
		return Record{}, err
	}
	tr, ok := tx.typeRecords(objectType)
	if !ok {
		tr = newTypeRecords(firstRecordID(tx.pt.cfg, objectType))
	}
	id := tr.next
	if id > maxRecordID {
		return Record{}, invalid(fmt.Sprintf("The %s id sequence is exhausted", objectType))
	}
	ms := now.UnixMilli()
	r := withWrites(&record{created: ms}, props, ms)
	next, err := tx.putLive(objectType, tr, id, nil, r)
	if err != nil {
		return Record{}, err
	}
	next.next = id + recordIDStep(tx.pt.cfg)
	tx.setTypeRecords(objectType, next, objectType, recordRowKey(objectType, id))
	return toRecord(objectType, id, r, false), nil
}

// UpdateRecord writes props to live record id of objectType at now: each
// changed value is added to its property's history, an empty value clears
// the property, and UpdatedAt becomes now even when no value changed (as
// HubSpot's lastmodifieddate does). An archived or unknown record is
// KindNotFound; a duplicate unique value is KindConflict.
func (tx *Tx) UpdateRecord(objectType, id string, props map[string]string, now time.Time) (Record, error) {
	tr, n, old, err := tx.liveRecord(objectType, id)
	if err != nil {
		return Record{}, err
	}
	if err := checkTime(now); err != nil {
		return Record{}, err
	}
	r := withWrites(old, props, now.UnixMilli())
	next, err := tx.putLive(objectType, tr, n, old, r)
	if err != nil {
		return Record{}, err
	}
	tx.setTypeRecords(objectType, next, recordRowKey(objectType, n))
	return toRecord(objectType, n, r, false), nil
}

func (tx *Tx) liveRecord(objectType, id string) (*typeRecords, int64, *record, error) {
	n, ok := parseRecordID(id)
	tr, okType := tx.typeRecords(objectType)
	if ok && okType {
		if r, ok := tr.live.Get(n); ok {
			return tr, n, &r, nil
		}
	}
	return nil, 0, nil, notFound(MsgRecordNotFound)
}

// ArchiveRecord moves record id of objectType to the archive at now,
// releasing its unique values. Archiving an archived or unknown record does
// nothing and succeeds; only a time out of range fails (HubSpot's DELETE answers 204 either way).
func (tx *Tx) ArchiveRecord(objectType, id string, now time.Time) error {
	tr, n, old, err := tx.liveRecord(objectType, id)
	if err != nil {
		return nil
	}
	if err := checkTime(now); err != nil {
		return err
	}
	r := *old
	r.archivedAt = now.UnixMilli()
	next := *tr
	for _, k := range uniqueKeys(tx.uniqueDecl(objectType), old) {
		if holder, ok := next.unique.Get(k); ok && holder == n {
			next.unique = next.unique.Delete(k)
		}
	}
	next.live = tr.live.Delete(n)
	next.archived = tr.archived.Set(n, r)
	next.lastWrite = max(next.lastWrite, r.archivedAt)
	tx.setTypeRecords(objectType, &next, recordRowKey(objectType, n))
	tx.hideAssociations(objectType, n)
	return nil
}

// Messages of the records domain. "%s already exists. Existing ID: %d" is
// HubSpot's (HUBSPOT-RECORDS.md §6); "Object not found" too (§7 #6).
const (
	MsgRecordExists   = "%s already exists. Existing ID: %d"
	MsgRecordNotFound = "Object not found"
	MsgRecordType     = "%q is not an object type key"
)
