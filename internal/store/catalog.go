package store

import (
	"fmt"
	"slices"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/objecttype"
)

// Association type categories.
const (
	HubSpotDefined    = "HUBSPOT_DEFINED"
	IntegratorDefined = "INTEGRATOR_DEFINED"
	UserDefined       = "USER_DEFINED"
	Work              = "WORK"
)

// Pair is an ordered pair of object type keys (objecttype.Type.Key).
type Pair struct {
	From string
	To   string
}

// Reverse returns the pair the other way round.
func (p Pair) Reverse() Pair { return Pair{From: p.To, To: p.From} }

// String renders the pair for messages.
func (p Pair) String() string { return p.From + " to " + p.To }

// AssocType is one association type in one direction.
type AssocType struct {
	Pair     Pair
	Category string
	TypeID   int32
	// Label is nil for the unlabeled (default) type of a pair.
	Label *string
}

// Catalog is the immutable set of HUBSPOT_DEFINED association types every
// portal starts with.
type Catalog struct {
	byPair    map[Pair][]AssocType
	byID      map[int32]AssocType
	unlabeled map[Pair]int32
	// inverse maps each type to the type of the other direction.
	inverse map[int32]int32
	// types resolves object type spellings in imported documents.
	types *objecttype.Registry
}

// NewCatalog indexes the fixture types. Each object type named by a fixture
// row must be known to reg, and each typeId must be unique.
func NewCatalog(rows []fixtures.AssociationType, reg *objecttype.Registry) (*Catalog, error) {
	c := &Catalog{byPair: map[Pair][]AssocType{}, byID: map[int32]AssocType{}, unlabeled: map[Pair]int32{}, inverse: map[int32]int32{}, types: reg}
	for _, r := range rows {
		from, ok1 := reg.ByKey(r.From)
		to, ok2 := reg.ByKey(r.To)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("store: association type %d names an unknown object type (%s, %s)", r.TypeID, r.From, r.To)
		}
		if _, dup := c.byID[r.TypeID]; dup {
			return nil, fmt.Errorf("store: association type %d is defined twice", r.TypeID)
		}
		t := AssocType{Pair: Pair{from.Key(), to.Key()}, Category: HubSpotDefined, TypeID: r.TypeID, Label: r.Label}
		c.byPair[t.Pair] = append(c.byPair[t.Pair], t)
		c.byID[t.TypeID] = t
		if t.Label == nil {
			c.unlabeled[t.Pair] = t.TypeID
		}
	}
	for id, t := range c.byID {
		if inv, ok := c.findInverse(t); ok {
			c.inverse[id] = inv
		}
	}
	return c, nil
}

// findInverse finds the type of t's other direction. HubSpot publishes no
// table of inverses; its ids show the rule: the unlabeled type between a
// type and itself is its own inverse; otherwise the inverse is the
// neighbouring id of the pair (1/2, 3/4, 279/280) running the other way,
// or failing that the one with the same label the other way (930/931
// "Billing contact"). A type with neither falls back to the reverse
// pair's unlabeled type.
func (c *Catalog) findInverse(t AssocType) (int32, bool) {
	rev := t.Pair.Reverse()
	if rev == t.Pair && t.Label == nil {
		return t.TypeID, true
	}
	neighbour := t.TypeID + 1
	if t.TypeID%2 == 0 {
		neighbour = t.TypeID - 1
	}
	if n, ok := c.byID[neighbour]; ok && n.Pair == rev {
		return neighbour, true
	}
	var match []int32
	for _, o := range c.byPair[rev] {
		if (o.Label == nil) == (t.Label == nil) && (t.Label == nil || *o.Label == *t.Label) && o.TypeID != t.TypeID {
			match = append(match, o.TypeID)
		}
	}
	if len(match) == 1 {
		return match[0], true
	}
	if u, ok := c.unlabeled[rev]; ok {
		return u, true
	}
	return 0, false
}

// DefaultCatalog builds the catalog from the embedded fixtures.
func DefaultCatalog(reg *objecttype.Registry) (*Catalog, error) {
	rows, err := fixtures.AssociationTypes()
	if err != nil {
		return nil, err
	}
	return NewCatalog(rows, reg)
}

// Types returns the HUBSPOT_DEFINED types of the pair.
func (c *Catalog) Types(p Pair) []AssocType { return c.byPair[p] }

// Len is the number of types in the catalog.
func (c *Catalog) Len() int { return len(c.byID) }

// customPairs are a portal's default association types between its custom
// object types and the object types they are associated with: HubSpot
// creates one per direction for each type a schema's associatedObjects
// names, with ids of the portal's own (HUBSPOT.md §3: labels, and so
// associations, are supported between contacts, companies, deals, tickets
// and custom objects). They are unlabeled; their category is USER_DEFINED,
// as the portal's other ids are. They change only with the types, on a
// document import, and are immutable once built.
type customPairs struct {
	byID      map[int32]AssocType
	unlabeled map[Pair]int32
	inverse   map[int32]int32
}

func newCustomPairs() *customPairs {
	return &customPairs{byID: map[int32]AssocType{}, unlabeled: map[Pair]int32{}, inverse: map[int32]int32{}}
}

// add makes forward p's unlabeled type and inverse that of p.Reverse(); a
// type and itself have one type, its own inverse.
func (cp *customPairs) add(p Pair, forward, inverse int32) {
	cp.byID[forward] = AssocType{Pair: p, Category: UserDefined, TypeID: forward}
	cp.unlabeled[p] = forward
	if p.From == p.To {
		cp.inverse[forward] = forward
		return
	}
	cp.byID[inverse] = AssocType{Pair: p.Reverse(), Category: UserDefined, TypeID: inverse}
	cp.unlabeled[p.Reverse()] = inverse
	cp.inverse[forward] = inverse
	cp.inverse[inverse] = forward
}

// Every lookup of the types a portal did not create as labels goes through
// these View methods: HubSpot's catalog first, then the portal's custom
// object pairs.

// definedType returns association type id when it is one of HubSpot's or
// the default type of a custom object pair.
func (v *View) definedType(id int32) (AssocType, bool) {
	if t, ok := v.pt.catalog.byID[id]; ok {
		return t, true
	}
	if cp := v.schemaTypes().pairs; cp != nil {
		t, ok := cp.byID[id]
		return t, ok
	}
	return AssocType{}, false
}

// unlabeledType returns the unlabeled (default) type of pair p; records of
// a pair without one cannot be associated.
func (v *View) unlabeledType(p Pair) (int32, bool) {
	if id, ok := v.pt.catalog.unlabeled[p]; ok {
		return id, true
	}
	if cp := v.schemaTypes().pairs; cp != nil {
		id, ok := cp.unlabeled[p]
		return id, ok
	}
	return 0, false
}

// definedTypes returns the types of pair p that are not the portal's
// labels. A pair is either HubSpot's or has a custom object type in it.
func (v *View) definedTypes(p Pair) []AssocType {
	if ts := v.pt.catalog.Types(p); len(ts) > 0 {
		return ts
	}
	if cp := v.schemaTypes().pairs; cp != nil {
		if id, ok := cp.unlabeled[p]; ok {
			return []AssocType{cp.byID[id]}
		}
	}
	return nil
}

// definedInverse returns the type of the other direction of a type
// definedType knows.
func (v *View) definedInverse(id int32) (int32, bool) {
	if inv, ok := v.pt.catalog.inverse[id]; ok {
		return inv, true
	}
	if cp := v.schemaTypes().pairs; cp != nil {
		inv, ok := cp.inverse[id]
		return inv, ok
	}
	return 0, false
}

// defaultAssociated are the object types a custom object type is
// associated with when its document names none (neither associatedObjects
// nor associations): the standard types mockhub keeps records of, which is
// what a suite declaring a type most likely associates it with. An explicit
// empty associatedObjects means none.
var defaultAssociated = []string{"contact", "company", "deal", "ticket"}

// maxPinnedTypeID bounds the typeIds a document may give a custom object
// pair, leaving the portal's typeId sequence room to grow.
const maxPinnedTypeID = 1 << 30

// buildCustomPairs gives the custom object types of part (built from snap)
// their default association types and records them in part.pairs. Ids a
// document gives (associations) are kept; the other declared pairs get the
// next free ids of the portal's typeId sequence from next on, in document
// order (two per pair, one for a type and itself), skipping ids taken by
// HubSpot's types or the document's labels. Each built type then lists
// every pair it declares with its ids, so that an export reloads to the
// same ids. It returns where the sequence resumes.
func buildCustomPairs(part *schemaPart, snap *Snapshot, typeKey func(spelling string) (string, bool), taken func(int32) bool, next int32, fail func(in, format string, args ...any)) int32 {
	cp := newCustomPairs()
	part.pairs = cp
	type declared struct {
		index  int // in snap.ObjectTypes
		ts     *typeSchema
		pinned []string // keys of the pairs the document gives ids for
	}
	var decls []declared
	seen := map[string]bool{}
	// The ids the document gives come first, so that a pair declared by
	// both of its types keeps them whichever type is read first.
	for i, ct := range snap.ObjectTypes {
		ts, ok := part.types.Get(ct.ID)
		if !ok || ts.custom == nil || seen[ct.ID] {
			continue
		}
		seen[ct.ID] = true
		d := declared{index: i, ts: ts}
		for j, a := range ct.Associations {
			in := fmt.Sprintf("objectTypes[%d].associations[%d]", i, j)
			to, ok := typeKey(a.ToObjectType)
			if !ok {
				fail(in+".toObjectType", "unknown object type %q", a.ToObjectType)
				continue
			}
			if cp.pin(Pair{ct.ID, to}, a, taken, func(field, format string, args ...any) { fail(in+field, format, args...) }) {
				d.pinned = append(d.pinned, to)
				next = max(next, a.TypeID+1, a.InverseTypeID+1)
			}
		}
		decls = append(decls, d)
	}
	free := func(id int32) bool {
		_, used := cp.byID[id]
		return !used && !taken(id)
	}
	alloc := func(single bool) int32 {
		for {
			n := next
			if free(n) && (single || free(n+1)) {
				next = n + 2
				if single {
					next = n + 1
				}
				return n
			}
			next++
		}
	}
	for _, d := range decls {
		ct := snap.ObjectTypes[d.index]
		spellings, quiet := ct.AssociatedObjects, false
		if spellings == nil && ct.Associations == nil {
			spellings, quiet = defaultAssociated, true
		}
		var targets []string
		for j, spelling := range spellings {
			to, ok := typeKey(spelling)
			if !ok {
				if !quiet {
					fail(fmt.Sprintf("objectTypes[%d].associatedObjects[%d]", d.index, j), "unknown object type %q", spelling)
				}
				continue
			}
			p := Pair{ct.ID, to}
			if _, has := cp.unlabeled[p]; !has {
				single := p.From == p.To
				forward, inverse := alloc(single), int32(0)
				if !single {
					inverse = forward + 1
				}
				cp.add(p, forward, inverse)
			}
			if !slices.Contains(targets, p.To) {
				targets = append(targets, p.To)
			}
		}
		for _, key := range d.pinned {
			if !slices.Contains(targets, key) {
				targets = append(targets, key)
			}
		}
		c := *d.ts.custom
		c.AssociatedObjects = make([]string, 0, len(targets))
		c.Associations = nil
		for _, key := range targets {
			forward := cp.unlabeled[Pair{c.ID, key}]
			a := CustomAssociation{ToObjectType: key, TypeID: forward}
			if key != c.ID {
				a.InverseTypeID = cp.inverse[forward]
			}
			c.AssociatedObjects = append(c.AssociatedObjects, key)
			c.Associations = append(c.Associations, a)
		}
		d.ts.custom = &c
	}
	return next
}

// pin records the ids a document gives pair p, after checking them: a
// positive typeId and, unless p joins a type to itself, a different
// inverseTypeId, none taken by another type; a pair both of its types
// give ids for must be given the same ones. It reports whether the pair
// has them afterwards.
func (cp *customPairs) pin(p Pair, a CustomAssociation, taken func(int32) bool, fail func(field, format string, args ...any)) bool {
	self := p.From == p.To
	switch {
	case a.TypeID <= 0 || a.TypeID >= maxPinnedTypeID:
		fail(".typeId", "typeId must be between 1 and %d, got %d", maxPinnedTypeID-1, a.TypeID)
		return false
	case self && a.InverseTypeID != 0:
		fail(".inverseTypeId", "the association type between a type and itself has one typeId; remove inverseTypeId")
		return false
	case !self && (a.InverseTypeID <= 0 || a.InverseTypeID >= maxPinnedTypeID):
		fail(".inverseTypeId", "inverseTypeId must be between 1 and %d, got %d", maxPinnedTypeID-1, a.InverseTypeID)
		return false
	case !self && a.InverseTypeID == a.TypeID:
		fail(".inverseTypeId", "inverseTypeId must differ from typeId")
		return false
	}
	if have, ok := cp.unlabeled[p]; ok {
		if have != a.TypeID || (!self && cp.inverse[have] != a.InverseTypeID) {
			fail("", "%s already has typeIds %d and %d", p, have, cp.inverse[have])
			return false
		}
		return true
	}
	ids := []int32{a.TypeID}
	if !self {
		ids = append(ids, a.InverseTypeID)
	}
	for _, id := range ids {
		if t, used := cp.byID[id]; used {
			fail("", "typeId %d is already the association type from %s", id, t.Pair)
			return false
		}
		if taken(id) {
			fail("", "typeId %d is already a HubSpot-defined association type or a label", id)
			return false
		}
	}
	cp.add(p, a.TypeID, a.InverseTypeID)
	return true
}

// buildTypes builds the schema domain of a document: its custom object
// types and properties (buildSchema), then the default association types
// of the custom types' pairs (buildCustomPairs), whose ids must not be
// HubSpot's nor those taken by the document's labels. A type the pairs
// name is one of the document's custom types (by id or fully qualified
// name) or any standard type HubSpot has. It returns the part and where
// the typeId sequence resumes.
func buildTypes(portalID int64, cfg *Config, c *Catalog, snap *Snapshot, labels func(int32) bool, next int32, fail func(in, format string, args ...any)) (schemaPart, int32) {
	part := buildSchema(portalID, cfg, snap, fail)
	typeKey := func(spelling string) (string, bool) {
		if t, ok := part.objectType(portalID, cfg, spelling); ok {
			return t.Key(), true
		}
		if schema.IsCustomTypeID(spelling) {
			return "", false
		}
		t, ok := c.types.Resolve(spelling)
		return t.Key(), ok
	}
	taken := func(id int32) bool {
		_, hub := c.byID[id]
		return hub || labels(id)
	}
	next = buildCustomPairs(&part, snap, typeKey, taken, next, fail)
	return part, next
}
