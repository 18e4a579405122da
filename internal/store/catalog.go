package store

import (
	"fmt"

	"github.com/mockhub/mockhub/fixtures"
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
