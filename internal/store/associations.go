package store

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/benbjohnson/immutable"
	"github.com/mockhub/mockhub/internal/decode"
)

// The associations domain holds the associations between a portal's
// records. Associations are two-way (HUBSPOT-RECORDS.md §3.2): each is kept
// in both directions, from->to with the forward types and to->from with
// their inverses, so either record lists its partners with one range scan.
// It is saved once, under its canonical direction.
//
// Limits are enforced from counts kept beside the associations, never
// recounted: for each record and partner type, how many live partners it
// has, and how many by each type. A record's archive takes it out of its
// partners' counts (its associations stay stored, hidden from reads), so
// associating a record with its 50,000th partner costs what the first did.

// RecordRef names one record: Type is the object type key ("contact",
// "2-123"), ID its id.
type RecordRef struct{ Type, ID string }

// AssocSpec is one association type of a request (HubSpot's
// AssociationSpec).
type AssocSpec struct {
	Category string
	TypeID   int32
}

// AssocMode says what Associate does with a pair's existing types.
type AssocMode int

// The modes of Associate.
const (
	// AssocAdd adds the given types to the pair's (v3, records created with
	// associations); the unlabeled type is implied.
	AssocAdd AssocMode = iota
	// AssocSetLabels makes the given labels the pair's labels (v4 labeled
	// create); the unlabeled type is implied and kept.
	AssocSetLabels
)

// Association is one associated record seen from a record: the partner's
// id and the types from the record to it.
type Association struct {
	ToID  string
	Types []AssocType
}

// Messages of the associations domain. HubSpot's (§6) but for the limit
// sentence, which HubSpot does not publish (§4.4).
const (
	MsgAssociationsInvalid = "One or more associations are invalid"
	msgInvalidObject       = "%s=%s is not valid"
	msgInvalidTypeID       = "%s=%d is not a valid association definition id"
	msgLimitExceeded       = "%s=%s may have at most %d %s associations of type %s=%d"
)

// assocKey is one direction of an association.
type assocKey struct {
	fromType string
	fromID   int64
	toType   string
	toID     int64
}

type assocKeyOrder struct{}

func (assocKeyOrder) Compare(a, b assocKey) int {
	if c := strings.Compare(a.fromType, b.fromType); c != 0 {
		return c
	}
	if c := cmp.Compare(a.fromID, b.fromID); c != 0 {
		return c
	}
	if c := strings.Compare(a.toType, b.toType); c != 0 {
		return c
	}
	return cmp.Compare(a.toID, b.toID)
}

func (k assocKey) reverse() assocKey { return assocKey{k.toType, k.toID, k.fromType, k.fromID} }

// canonical reports whether k is the direction the association is saved
// under.
func (k assocKey) canonical() bool { return assocKeyOrder{}.Compare(k, k.reverse()) <= 0 }

// countKey counts one record's live partners of type toType: all of them
// when typeID is 0, else those associated by typeID.
type countKey struct {
	typ    string
	id     int64
	toType string
	typeID int32
}

type countKeyOrder struct{}

func (countKeyOrder) Compare(a, b countKey) int {
	if c := strings.Compare(a.typ, b.typ); c != 0 {
		return c
	}
	if c := cmp.Compare(a.id, b.id); c != 0 {
		return c
	}
	if c := strings.Compare(a.toType, b.toType); c != 0 {
		return c
	}
	return cmp.Compare(a.typeID, b.typeID)
}

// assocPart is the domain: edges in both directions (type ids of the
// direction, sorted), the counts, and how many stored associations use each
// custom label type (a label in use cannot be deleted).
type assocPart struct {
	edges  *immutable.SortedMap[assocKey, []int32]
	counts *immutable.SortedMap[countKey, int32]
	use    *immutable.SortedMap[int32, int32]
	// n is how many associations are stored (each once).
	n int
}

func emptyAssocPart() assocPart {
	return assocPart{
		edges:  immutable.NewSortedMap[assocKey, []int32](assocKeyOrder{}),
		counts: immutable.NewSortedMap[countKey, int32](countKeyOrder{}),
		use:    immutable.NewSortedMap[int32, int32](typeIDOrder{}),
	}
}

var assocDomain = register(domain{
	name:  "associations",
	empty: func(*Config) any { return emptyAssocPart() },
	row: func(part any, key string) ([]byte, bool) {
		k, ok := parseAssocKey(key)
		if !ok {
			return nil, false
		}
		ids, ok := part.(assocPart).edges.Get(k)
		if !ok {
			return nil, false
		}
		return mustJSON(ids), true
	},
	rows: func(part any) iter.Seq2[string, []byte] {
		return func(yield func(string, []byte) bool) {
			itr := part.(assocPart).edges.Iterator()
			for !itr.Done() {
				k, ids, _ := itr.Next()
				if k.canonical() && !yield(assocRowKey(k), mustJSON(ids)) {
					return
				}
			}
		}
	},
	load: loadAssociation,
})

// assocRowKey is an association's saved key: fromType/fromId/toType/toId
// in its canonical direction.
func assocRowKey(k assocKey) string {
	if !k.canonical() {
		k = k.reverse()
	}
	return k.fromType + "/" + strconv.FormatInt(k.fromID, 10) + "/" + k.toType + "/" + strconv.FormatInt(k.toID, 10)
}

func parseAssocKey(s string) (assocKey, bool) {
	parts := strings.Split(s, "/")
	if len(parts) != 4 {
		return assocKey{}, false
	}
	from, ok1 := parseRecordID(parts[1])
	to, ok2 := parseRecordID(parts[3])
	if !ok1 || !ok2 {
		return assocKey{}, false
	}
	return assocKey{parts[0], from, parts[2], to}, true
}

// SnapshotAssociation is one association in a state document, with its
// type ids in the from->to direction.
type SnapshotAssociation struct {
	From    string  `json:"fromObjectType"`
	FromID  string  `json:"fromObjectId"`
	To      string  `json:"toObjectType"`
	ToID    string  `json:"toObjectId"`
	TypeIDs []int32 `json:"typeIds,omitempty"`
}

func loadAssociation(snap *Snapshot, key string, value []byte) error {
	k, ok := parseAssocKey(key)
	if !ok {
		return fmt.Errorf("association key %q", key)
	}
	var ids []int32
	if err := decode.JSON(value, &ids); err != nil {
		return fmt.Errorf("association %q: %w", key, err)
	}
	snap.Associations = append(snap.Associations, SnapshotAssociation{
		From: k.fromType, FromID: strconv.FormatInt(k.fromID, 10), To: k.toType, ToID: strconv.FormatInt(k.toID, 10), TypeIDs: ids,
	})
	return nil
}

func (v *View) assocs() assocPart { return v.part(assocDomain).(assocPart) }

// InverseType returns the type of the other direction of type typeID on
// pair p: for HubSpot's types the catalog's inverse, for a portal's label
// its paired type (itself for a single label between a type and itself).
func (v *View) InverseType(p Pair, typeID int32) (AssocType, bool) {
	if _, ok := v.typeOf(p, typeID); !ok {
		return AssocType{}, false
	}
	if inv, ok := v.definedInverse(typeID); ok {
		return v.typeOf(p.Reverse(), inv)
	}
	d, ok := v.labels().defs.Get(typeID)
	if !ok {
		return AssocType{}, false
	}
	switch typeID {
	case d.Forward:
		if d.Inverse == 0 {
			return v.typeOf(p.Reverse(), typeID)
		}
		return v.typeOf(p.Reverse(), d.Inverse)
	default:
		return v.typeOf(p.Reverse(), d.Forward)
	}
}

// live reports whether record r of type typ exists and is not archived.
func (v *View) live(typ string, id int64) bool {
	tr, ok := v.typeRecords(typ)
	if !ok {
		return false
	}
	_, ok = tr.live.Get(id)
	return ok
}

func invalidObject(r RecordRef) *Error {
	upper := strings.ToUpper(r.Type)
	e := invalid(MsgAssociationsInvalid)
	e.Context = map[string][]string{"INVALID_OBJECT_IDS": {fmt.Sprintf(msgInvalidObject, upper, r.ID)}, "objectId": {r.ID}, "objectType": {upper}}
	return e
}

func invalidType(s AssocSpec) *Error {
	e := invalid(MsgAssociationsInvalid)
	spec := s.Category + "=" + strconv.FormatInt(int64(s.TypeID), 10)
	e.Context = map[string][]string{"associationSpec": {spec}, "INVALID_ASSOCIATION_TYPE_ID": {fmt.Sprintf(msgInvalidTypeID, s.Category, s.TypeID)}}
	return e
}

// ends checks that both records exist and are live.
func (v *View) ends(from, to RecordRef) (assocKey, error) {
	for _, r := range []RecordRef{from, to} {
		id, ok := parseRecordID(r.ID)
		if !ok || !v.live(r.Type, id) {
			return assocKey{}, invalidObject(r)
		}
	}
	f, _ := parseRecordID(from.ID)
	t, _ := parseRecordID(to.ID)
	return assocKey{from.Type, f, to.Type, t}, nil
}

// assocTypes returns the AssocTypes of ids along p, in the order of ids.
func (v *View) assocTypes(p Pair, ids []int32) []AssocType {
	out := make([]AssocType, 0, len(ids))
	for _, id := range ids {
		if t, ok := v.typeOf(p, id); ok {
			out = append(out, t)
		}
	}
	return out
}

// AssociationTypesBetween returns the types from->to, nil when the records
// are not associated.
func (v *View) AssociationTypesBetween(from, to RecordRef) []AssocType {
	f, ok1 := parseRecordID(from.ID)
	t, ok2 := parseRecordID(to.ID)
	if !ok1 || !ok2 {
		return nil
	}
	ids, ok := v.assocs().edges.Get(assocKey{from.Type, f, to.Type, t})
	if !ok {
		return nil
	}
	return v.assocTypes(Pair{from.Type, to.Type}, ids)
}

// Associations lists from's live partners of type toType in ascending id
// order, after the cursor after ("" for the first page), at most limit;
// next is the cursor of the next page, "" on the last.
func (v *View) Associations(from RecordRef, toType, after string, limit int) (page []Association, next string) {
	f, ok := parseRecordID(from.ID)
	if !ok || limit <= 0 {
		return nil, ""
	}
	start := assocKey{from.Type, f, toType, 0}
	if after != "" {
		if n, err := strconv.ParseInt(after, 10, 64); err == nil && n >= 0 {
			start.toID = n + 1
		}
	}
	p := Pair{from.Type, toType}
	itr := v.assocs().edges.Iterator()
	itr.Seek(start)
	for !itr.Done() {
		k, ids, _ := itr.Next()
		if k.fromType != from.Type || k.fromID != f || k.toType != toType {
			break
		}
		if !v.live(toType, k.toID) {
			continue
		}
		if len(page) == limit {
			return page, page[len(page)-1].ToID
		}
		page = append(page, Association{ToID: strconv.FormatInt(k.toID, 10), Types: v.assocTypes(p, ids)})
	}
	return page, ""
}

// AssociationCount returns how many live partners of type toType record
// r has.
func (v *View) AssociationCount(r RecordRef, toType string) int {
	id, ok := parseRecordID(r.ID)
	if !ok {
		return 0
	}
	n, _ := v.assocs().counts.Get(countKey{r.Type, id, toType, 0})
	return int(n)
}

// effectiveLimit is the most partners (typeID 0: of any type; else by
// typeID) a record of p.From may have of type p.To: the configured limit,
// and for all partners never more than the hard ceiling.
func (v *View) effectiveLimit(p Pair, typeID int32) (max int32, configured bool) {
	if typeID == 0 {
		ceiling := v.pt.cfg.MaxAssociationsPerPair
		if ceiling <= 0 {
			ceiling = defaultMaxAssociations
		}
		if unl, ok := v.unlabeledType(p); ok {
			if m, ok := v.limits().get(p, unl); ok {
				return min(m, ceiling), true
			}
		}
		return ceiling, false
	}
	return v.limits().get(p, typeID)
}

// defaultMaxAssociations is the hard per-pair ceiling when the config sets
// none (HUBSPOT.md §12 #4).
const defaultMaxAssociations = 50000

// checkLimits refuses adding types added (along k) to a pair that had old
// types, when the record k.from is at a limit.
func (v *View) checkLimits(k assocKey, old, added []int32) error {
	p := Pair{k.fromType, k.toType}
	unl, _ := v.unlabeledType(p)
	counts := v.assocs().counts
	check := func(typeID int32) error {
		max, _ := v.effectiveLimit(p, typeID)
		n, _ := counts.Get(countKey{k.fromType, k.fromID, k.toType, typeID})
		if n < max {
			return nil
		}
		shown := typeID
		if shown == 0 {
			shown = unl
		}
		category := HubSpotDefined
		if t, ok := v.typeOf(p, shown); ok {
			category = t.Category
		}
		upper := strings.ToUpper(k.fromType)
		id := strconv.FormatInt(k.fromID, 10)
		e := invalid(MsgAssociationsInvalid)
		e.Context = map[string][]string{
			"ASSOCIATION_LIMIT_EXCEEDED": {fmt.Sprintf(msgLimitExceeded, upper, id, max, k.toType, category, shown)},
			"objectId":                   {id},
			"objectType":                 {upper},
		}
		return e
	}
	if len(old) == 0 {
		if err := check(0); err != nil {
			return err
		}
	}
	for _, t := range added {
		if t == unl {
			continue
		}
		if _, configured := v.effectiveLimit(p, t); configured {
			if err := check(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// Associate associates from and to with specs (types from->to), storing
// both directions, after checking every configured limit, label limit and
// the hard ceiling in both directions. Re-sending an existing association
// changes nothing. It returns the pair's types from->to afterwards.
func (tx *Tx) Associate(from, to RecordRef, specs []AssocSpec, mode AssocMode) ([]AssocType, error) {
	k, err := tx.ends(from, to)
	if err != nil {
		return nil, err
	}
	p := Pair{from.Type, to.Type}
	unl, ok := tx.unlabeledType(p)
	if !ok {
		return nil, invalidType(AssocSpec{Category: HubSpotDefined})
	}
	want := []int32{unl}
	for _, s := range specs {
		t, ok := tx.typeOf(p, s.TypeID)
		if !ok || t.Category != s.Category {
			return nil, invalidType(s)
		}
		want = append(want, s.TypeID)
	}
	old, _ := tx.assocs().edges.Get(k)
	if mode == AssocAdd {
		want = append(want, old...)
	}
	slices.Sort(want)
	want = slices.Compact(want)
	if err := tx.setEdge(k, old, want); err != nil {
		return nil, err
	}
	return tx.assocTypes(p, want), nil
}

// AssociateDefault adds the pair's unlabeled type and returns it and its
// inverse.
func (tx *Tx) AssociateDefault(from, to RecordRef) (forward, inverse AssocType, err error) {
	if _, err := tx.Associate(from, to, nil, AssocAdd); err != nil {
		return AssocType{}, AssocType{}, err
	}
	p := Pair{from.Type, to.Type}
	unl, _ := tx.unlabeledType(p)
	forward, _ = tx.typeOf(p, unl)
	inverse, _ = tx.InverseType(p, forward.TypeID)
	return forward, inverse, nil
}

// Dissociate removes every type between from and to, both directions. Two
// records that are not associated (or do not exist) are not an error.
func (tx *Tx) Dissociate(from, to RecordRef) error {
	k, ok := refKey(from, to)
	if !ok {
		return nil
	}
	old, found := tx.assocs().edges.Get(k)
	if !found {
		return nil
	}
	return tx.setEdge(k, old, nil)
}

// RemoveAssociationTypes removes the listed types between from and to;
// removing the unlabeled type removes every type. Types the pair does not
// have are ignored; a type that is not of the pair is refused.
func (tx *Tx) RemoveAssociationTypes(from, to RecordRef, specs []AssocSpec) error {
	p := Pair{from.Type, to.Type}
	unl, _ := tx.unlabeledType(p)
	drop := map[int32]bool{}
	for _, s := range specs {
		t, ok := tx.typeOf(p, s.TypeID)
		if !ok || t.Category != s.Category {
			return invalidType(s)
		}
		drop[s.TypeID] = true
	}
	k, ok := refKey(from, to)
	if !ok {
		return nil
	}
	old, found := tx.assocs().edges.Get(k)
	if !found {
		return nil
	}
	var next []int32
	if !drop[unl] {
		next = slices.DeleteFunc(slices.Clone(old), func(id int32) bool { return drop[id] })
	}
	return tx.setEdge(k, old, next)
}

func refKey(from, to RecordRef) (assocKey, bool) {
	f, ok1 := parseRecordID(from.ID)
	t, ok2 := parseRecordID(to.ID)
	return assocKey{from.Type, f, to.Type, t}, ok1 && ok2
}

// setEdge changes the types of k from old to next (empty: no association)
// in both directions, with their counts, after checking limits for what it
// adds.
func (tx *Tx) setEdge(k assocKey, old, next []int32) error {
	if slices.Equal(old, next) {
		return nil
	}
	p := Pair{k.fromType, k.toType}
	inverse := func(ids []int32) []int32 {
		out := make([]int32, 0, len(ids))
		for _, id := range ids {
			if t, ok := tx.InverseType(p, id); ok {
				out = append(out, t.TypeID)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	added := without(next, old)
	removed := without(old, next)
	rk := k.reverse()
	oldInv, nextInv := inverse(old), inverse(next)
	bothLive := tx.live(k.fromType, k.fromID) && tx.live(k.toType, k.toID)
	if len(added) > 0 {
		if err := tx.checkLimits(k, old, added); err != nil {
			return err
		}
		if err := tx.checkLimits(rk, oldInv, without(nextInv, oldInv)); err != nil {
			return err
		}
	}
	a := tx.assocs()
	switch {
	case len(old) == 0:
		a.n++
	case len(next) == 0:
		a.n--
	}
	if len(next) == 0 {
		a.edges = a.edges.Delete(k).Delete(rk)
	} else {
		a.edges = a.edges.Set(k, next).Set(rk, nextInv)
	}
	if bothLive {
		a.counts = adjustCounts(a.counts, k, old, next)
		if k != rk {
			a.counts = adjustCounts(a.counts, rk, oldInv, nextInv)
		}
	}
	for _, id := range added {
		a.use = addUse(a.use, &tx.View, p, id, 1)
	}
	for _, id := range removed {
		a.use = addUse(a.use, &tx.View, p, id, -1)
	}
	tx.set(assocDomain, a, assocRowKey(k))
	return nil
}

// addUse counts one more (or fewer) stored association using custom label
// type id along p, and its inverse.
func addUse(use *immutable.SortedMap[int32, int32], v *View, p Pair, id int32, delta int32) *immutable.SortedMap[int32, int32] {
	if _, ok := v.labels().defs.Get(id); !ok {
		return use
	}
	ids := []int32{id}
	if inv, ok := v.InverseType(p, id); ok && inv.TypeID != id {
		ids = append(ids, inv.TypeID)
	}
	for _, t := range ids {
		n, _ := use.Get(t)
		if n+delta <= 0 {
			use = use.Delete(t)
		} else {
			use = use.Set(t, n+delta)
		}
	}
	return use
}

// adjustCounts moves k.from's counts from old types to next.
func adjustCounts(counts *immutable.SortedMap[countKey, int32], k assocKey, old, next []int32) *immutable.SortedMap[countKey, int32] {
	add := func(typeID, delta int32) {
		ck := countKey{k.fromType, k.fromID, k.toType, typeID}
		n, _ := counts.Get(ck)
		if n+delta <= 0 {
			counts = counts.Delete(ck)
		} else {
			counts = counts.Set(ck, n+delta)
		}
	}
	switch {
	case len(old) == 0 && len(next) > 0:
		add(0, 1)
	case len(old) > 0 && len(next) == 0:
		add(0, -1)
	}
	for _, id := range without(next, old) {
		add(id, 1)
	}
	for _, id := range without(old, next) {
		add(id, -1)
	}
	return counts
}

// without returns the ids of a not in b (both sorted).
func without(a, b []int32) []int32 {
	var out []int32
	for _, id := range a {
		if _, found := slices.BinarySearch(b, id); !found {
			out = append(out, id)
		}
	}
	return out
}

// hideAssociations takes archived record (typ, id) out of its partners'
// counts. Its associations stay stored, hidden from reads.
func (tx *Tx) hideAssociations(typ string, id int64) {
	a := tx.assocs()
	changed := false
	itr := a.edges.Iterator()
	itr.Seek(assocKey{typ, id, "", 0})
	for !itr.Done() {
		k, _, _ := itr.Next()
		if k.fromType != typ || k.fromID != id {
			break
		}
		if !tx.live(k.toType, k.toID) {
			continue
		}
		rk := k.reverse()
		if rk == k {
			continue
		}
		partnerTypes, _ := a.edges.Get(rk)
		a.counts = adjustCounts(a.counts, rk, partnerTypes, nil)
		changed = true
	}
	if changed {
		// Counts are derived on load: no row changes.
		tx.set(assocDomain, a)
	}
}

// buildAssociations checks the associations of a state document against
// its records (which must exist, archived or not) and the portal's types,
// and returns the domain's part. Limits are not checked: they are not
// retroactive.
func buildAssociations(v *View, snap *Snapshot, resolve func(in, spelling string) (string, bool), fail func(in, format string, args ...any)) assocPart {
	a := emptyAssocPart()
	for i, sa := range snap.Associations {
		at := fmt.Sprintf("associations[%d]", i)
		from, ok1 := resolve(at+".fromObjectType", sa.From)
		to, ok2 := resolve(at+".toObjectType", sa.To)
		if !ok1 || !ok2 {
			continue
		}
		f, okF := parseRecordID(sa.FromID)
		t, okT := parseRecordID(sa.ToID)
		if !okF || !okT || !v.exists(from, f) || !v.exists(to, t) {
			fail(at, "%s %s or %s %s is not a record of the document", from, sa.FromID, to, sa.ToID)
			continue
		}
		p := Pair{from, to}
		unl, hasUnl := v.unlabeledType(p)
		ids := append([]int32{}, sa.TypeIDs...)
		if hasUnl {
			ids = append(ids, unl)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		bad := false
		for _, id := range ids {
			if _, ok := v.typeOf(p, id); !ok {
				fail(at+".typeIds", MsgUnknownType, id, from, to)
				bad = true
			}
		}
		k := assocKey{from, f, to, t}
		if _, dup := a.edges.Get(k); dup {
			fail(at, "the association of %s %s and %s %s is given twice", from, sa.FromID, to, sa.ToID)
			continue
		}
		if bad || !hasUnl {
			if !hasUnl {
				fail(at, "records of %s and %s cannot be associated", from, to)
			}
			continue
		}
		var inv []int32
		for _, id := range ids {
			if it, ok := v.InverseType(p, id); ok {
				inv = append(inv, it.TypeID)
			}
		}
		slices.Sort(inv)
		inv = slices.Compact(inv)
		a.edges = a.edges.Set(k, ids).Set(k.reverse(), inv)
		a.n++
		if v.live(from, f) && v.live(to, t) {
			a.counts = adjustCounts(a.counts, k, nil, ids)
			if k != k.reverse() {
				a.counts = adjustCounts(a.counts, k.reverse(), nil, inv)
			}
		}
		for _, id := range ids {
			a.use = addUse(a.use, v, p, id, 1)
		}
	}
	return a
}

// exists reports whether record id of typ exists, live or archived.
func (v *View) exists(typ string, id int64) bool {
	tr, ok := v.typeRecords(typ)
	if !ok {
		return false
	}
	_, _, ok = tr.get(id)
	return ok
}

// snapshotAssociations adds the domain to an exported document.
func (v *View) snapshotAssociations(out *Snapshot) {
	itr := v.assocs().edges.Iterator()
	for !itr.Done() {
		k, ids, _ := itr.Next()
		if !k.canonical() {
			continue
		}
		p := Pair{k.fromType, k.toType}
		unl, _ := v.unlabeledType(p)
		labels := slices.DeleteFunc(slices.Clone(ids), func(id int32) bool { return id == unl })
		out.Associations = append(out.Associations, SnapshotAssociation{
			From: k.fromType, FromID: strconv.FormatInt(k.fromID, 10), To: k.toType, ToID: strconv.FormatInt(k.toID, 10), TypeIDs: labels,
		})
	}
}

// AssociationTotal returns how many associations the portal stores, those
// of archived records included.
func (v *View) AssociationTotal() int { return v.assocs().n }

// labelInUse reports whether stored associations use type id.
func (v *View) labelInUse(id int32) bool {
	n, _ := v.assocs().use.Get(id)
	return n > 0
}
