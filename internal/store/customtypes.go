package store

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/crm/schema"
)

// The schemas API changes a portal's custom object types one at a time.
// Each change leaves the schema domain as a state document import would
// have built it from the changed type: the type's row holds its definition
// with every pair it declares and their typeIds, and the pairs index
// (customPairs) is copied and changed, never edited in place.

// Messages of the schemas API. HubSpot's own words are unknown; these say
// what is wrong.
const (
	MsgObjectTypeExists      = "An object type named '%s' already exists"
	MsgObjectTypeNotFound    = "Unable to find object type %s"
	MsgObjectTypeHasRecords  = "Object type %s still has %d records; delete them before deleting the object type"
	MsgObjectTypeHasLabels   = "Object type %s still has association labels with %s; delete them before deleting the object type"
	MsgObjectTypeHasLimits   = "Object type %s still has association limits with %s; delete them before deleting the object type"
	MsgObjectTypeLabelsEmpty = "labels.singular and labels.plural are required"
	MsgPropertyNotOfType     = "%s names '%s', which is not a property of the object type"
	MsgAssociationNotFound   = "Unable to find association %s of object type %s"
	MsgAssociationInUse      = "Association %s of object type %s is used by records, labels or limits"
)

// CustomTypePatch is an update of a custom object type: nil fields are left
// unchanged.
type CustomTypePatch struct {
	Labels                     *fixtures.CRMLabels
	Description                *string
	PrimaryDisplayProperty     *string
	SecondaryDisplayProperties *[]string
	RequiredProperties         *[]string
	SearchableProperties       *[]string
}

// checkNamed reports a display, required or searchable property of ct that
// t (the type's effective definition) does not have.
func checkNamed(t *schema.ObjectType, ct *CustomObjectType) error {
	lists := []struct {
		field string
		names []string
	}{
		{"primaryDisplayProperty", []string{ct.PrimaryDisplayProperty}},
		{"secondaryDisplayProperties", ct.SecondaryDisplayProperties},
		{"requiredProperties", ct.RequiredProperties},
		{"searchableProperties", ct.SearchableProperties},
	}
	for _, l := range lists {
		for _, name := range l.names {
			if name == "" {
				continue
			}
			if _, ok := t.Property(name); !ok {
				return &Error{Kind: KindInvalid, Message: fmt.Sprintf(MsgPropertyNotOfType, l.field, name),
					Details: []Detail{{Message: fmt.Sprintf(MsgPropertyNotOfType, l.field, name), In: l.field}}}
			}
		}
	}
	return nil
}

// CustomObjectTypes lists the portal's custom object types by id.
func (v *View) CustomObjectTypes() []CustomObjectType {
	var out []CustomObjectType
	itr := v.schemaTypes().types.Iterator()
	for !itr.Done() {
		_, ts, _ := itr.Next()
		if ts.custom != nil {
			out = append(out, *ts.custom)
		}
	}
	slices.SortFunc(out, func(a, b CustomObjectType) int { return compareTypeIDs(a.ID, b.ID) })
	return out
}

// compareTypeIDs orders 2-N ids by N.
func compareTypeIDs(a, b string) int {
	na, _ := strconv.ParseInt(strings.TrimPrefix(a, "2-"), 10, 64)
	nb, _ := strconv.ParseInt(strings.TrimPrefix(b, "2-"), 10, 64)
	return int(max(-1, min(1, na-nb)))
}

// CustomObjectType returns the portal's custom object type named by
// spelling: its id (2-N), its fully qualified name or its name (any case).
func (v *View) CustomObjectType(spelling string) (CustomObjectType, bool) {
	if t, ok := v.ObjectType(spelling); ok && t.Custom {
		if ts, ok := v.schemaTypes().types.Get(t.Key()); ok && ts.custom != nil {
			return *ts.custom, true
		}
	}
	name := strings.ToLower(spelling)
	itr := v.schemaTypes().types.Iterator()
	for !itr.Done() {
		_, ts, _ := itr.Next()
		if ts.custom != nil && strings.EqualFold(ts.custom.Name, name) {
			return *ts.custom, true
		}
	}
	return CustomObjectType{}, false
}

// associationKey resolves an object type spelling a schema names in
// associatedObjects: one of the portal's types (custom ones included) or
// any standard type HubSpot has.
func (v *View) associationKey(spelling string) (string, bool) {
	if t, ok := v.ObjectType(spelling); ok {
		return t.Key(), true
	}
	if schema.IsCustomTypeID(spelling) || v.pt.catalog == nil {
		return "", false
	}
	t, ok := v.pt.catalog.types.Resolve(spelling)
	return t.Key(), ok
}

// nextCustomTypeID is the id a new custom object type gets: 2-(N+1) for the
// highest N the portal has, 2-1 for its first.
func (v *View) nextCustomTypeID() string {
	var n int64
	itr := v.schemaTypes().types.Iterator()
	for !itr.Done() {
		k, ts, _ := itr.Next()
		if ts.custom == nil {
			continue
		}
		if id, err := strconv.ParseInt(strings.TrimPrefix(k, "2-"), 10, 64); err == nil {
			n = max(n, id)
		}
	}
	return "2-" + strconv.FormatInt(n+1, 10)
}

// clonePairs copies the pairs index so that a change leaves the published
// one as it is.
func clonePairs(cp *customPairs) *customPairs {
	if cp == nil {
		return newCustomPairs()
	}
	return &customPairs{byID: maps.Clone(cp.byID), unlabeled: maps.Clone(cp.unlabeled), inverse: maps.Clone(cp.inverse)}
}

// CreateObjectType creates a custom object type from def (name, labels,
// display, required and searchable properties, properties and the object
// types in AssociatedObjects). Its id is the portal's next 2-N; each pair it
// declares gets a default association type per direction from the portal's
// typeId sequence, as an imported document's undeclared ids do. The name
// must be new to the portal (409 otherwise).
func (tx *Tx) CreateObjectType(def CustomObjectType, now time.Time) (CustomObjectType, error) {
	if msg := schema.CheckObjectTypeName(def.Name); msg != "" {
		return CustomObjectType{}, invalid(msg, Detail{Message: msg, In: "name"})
	}
	if strings.TrimSpace(def.Labels.Singular) == "" || strings.TrimSpace(def.Labels.Plural) == "" {
		return CustomObjectType{}, invalid(MsgObjectTypeLabelsEmpty, Detail{Message: MsgObjectTypeLabelsEmpty, In: "labels"})
	}
	if _, taken := tx.CustomObjectType(def.Name); taken {
		return CustomObjectType{}, conflict(fmt.Sprintf(MsgObjectTypeExists, def.Name))
	}
	ct := def
	ct.ID = tx.nextCustomTypeID()
	ct.CreatedAt, ct.UpdatedAt = now.UTC(), now.UTC()
	ct.Properties = slices.Clone(def.Properties)
	ct.AssociatedObjects, ct.Associations = []string{}, nil
	var targets []string
	for i, spelling := range def.AssociatedObjects {
		key, ok := tx.associationKey(spelling)
		if !ok {
			msg := fmt.Sprintf(MsgUnknownObjectType, spelling)
			return CustomObjectType{}, invalid(msg, Detail{Message: msg, In: fmt.Sprintf("associatedObjects[%d]", i)})
		}
		if !slices.Contains(targets, key) {
			targets = append(targets, key)
		}
	}
	// The properties first, alone, so that a display, required or
	// searchable property they lack is refused naming its field.
	bare := ct
	bare.PrimaryDisplayProperty, bare.SearchableProperties, bare.RequiredProperties, bare.SecondaryDisplayProperties = "", nil, nil, nil
	bt := &typeSchema{custom: &bare}
	if err := bt.build(tx.pt.id, tx.pt.cfg, ct.ID); err != nil {
		return CustomObjectType{}, asInvalid(err)
	}
	if err := checkNamed(bt.eff, &ct); err != nil {
		return CustomObjectType{}, err
	}
	ts := &typeSchema{custom: &ct}
	if err := ts.build(tx.pt.id, tx.pt.cfg, ct.ID); err != nil {
		return CustomObjectType{}, asInvalid(err)
	}
	part := tx.schemaTypes()
	part.types = part.types.Set(ct.ID, ts)
	part.pairs = clonePairs(part.pairs)
	for _, key := range targets {
		tx.addPair(&part, &ct, key)
	}
	ts.custom = &ct
	tx.set(schemaDomain, part, ct.ID)
	return ct, nil
}

// asInvalid is a build error as a 400: a store error (which names the
// field) with the build's context, any other one with its text.
func asInvalid(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return invalid(err.Error(), e.Details...)
	}
	return invalid(err.Error())
}

// addPair gives ct a default association type with key, allocating its
// typeIds from the portal's sequence, and records it in ct and part.
func (tx *Tx) addPair(part *schemaPart, ct *CustomObjectType, key string) CustomAssociation {
	p := Pair{ct.ID, key}
	if _, has := part.pairs.unlabeled[p]; !has {
		lp := tx.labels()
		next := &labelPart{next: lp.next, defs: lp.defs, count: lp.count}
		single := p.From == p.To
		forward, inverse := next.allocTypeID(&tx.View, single), int32(0)
		if !single {
			inverse = forward + 1
		}
		part.pairs.add(p, forward, inverse)
		tx.set(labelsDomain, next, nextKey)
	}
	forward := part.pairs.unlabeled[p]
	a := CustomAssociation{ToObjectType: key, TypeID: forward}
	if key != ct.ID {
		a.InverseTypeID = part.pairs.inverse[forward]
	}
	if !slices.Contains(ct.AssociatedObjects, key) {
		ct.AssociatedObjects = append(ct.AssociatedObjects, key)
		ct.Associations = append(ct.Associations, a)
	}
	return a
}

// customType returns the custom object type spelling names and its schema.
func (tx *Tx) customType(spelling string) (*typeSchema, error) {
	ct, ok := tx.CustomObjectType(spelling)
	if !ok {
		return nil, notFound(fmt.Sprintf(MsgObjectTypeNotFound, spelling))
	}
	ts, _ := tx.schemaTypes().types.Get(ct.ID)
	return ts, nil
}

// UpdateObjectType changes the labels, description and display, required
// and searchable properties of the custom object type spelling names.
func (tx *Tx) UpdateObjectType(spelling string, patch CustomTypePatch, now time.Time) (CustomObjectType, error) {
	cur, err := tx.customType(spelling)
	if err != nil {
		return CustomObjectType{}, err
	}
	ct := *cur.custom
	if patch.Labels != nil {
		l := ct.Labels
		if patch.Labels.Singular != "" {
			l.Singular = patch.Labels.Singular
		}
		if patch.Labels.Plural != "" {
			l.Plural = patch.Labels.Plural
		}
		ct.Labels = l
	}
	if patch.Description != nil {
		ct.Description = *patch.Description
	}
	if patch.PrimaryDisplayProperty != nil {
		ct.PrimaryDisplayProperty = *patch.PrimaryDisplayProperty
	}
	if patch.SecondaryDisplayProperties != nil {
		ct.SecondaryDisplayProperties = slices.Clone(*patch.SecondaryDisplayProperties)
	}
	if patch.RequiredProperties != nil {
		ct.RequiredProperties = slices.Clone(*patch.RequiredProperties)
	}
	if patch.SearchableProperties != nil {
		ct.SearchableProperties = slices.Clone(*patch.SearchableProperties)
	}
	ct.UpdatedAt = now.UTC()
	if err := checkNamed(cur.eff, &ct); err != nil {
		return CustomObjectType{}, err
	}
	next := &typeSchema{custom: &ct, props: cur.props, groups: cur.groups}
	if err := next.build(tx.pt.id, tx.pt.cfg, ct.ID); err != nil {
		return CustomObjectType{}, asInvalid(err)
	}
	part := tx.schemaTypes()
	part.types = part.types.Set(ct.ID, next)
	tx.set(schemaDomain, part, ct.ID)
	return ct, nil
}

// DeleteObjectType removes the custom object type spelling names, with its
// properties and the default association types of its pairs. A type that
// still has records (live or archived), or whose pairs have labels or
// limits, is refused: a state document could not hold them without it.
// Other custom types that name it in associatedObjects stop naming it.
func (tx *Tx) DeleteObjectType(spelling string) error {
	ts, err := tx.customType(spelling)
	if err != nil {
		return err
	}
	id := ts.custom.ID
	if n := tx.RecordCount(id, false) + tx.RecordCount(id, true); n > 0 {
		return invalid(fmt.Sprintf(MsgObjectTypeHasRecords, id, n))
	}
	for _, d := range tx.labels().all() {
		if d.Pair.From == id || d.Pair.To == id {
			other := d.Pair.To
			if other == id {
				other = d.Pair.From
			}
			return invalid(fmt.Sprintf(MsgObjectTypeHasLabels, id, other))
		}
	}
	for k := range tx.limits().all() {
		if k.pair.From == id || k.pair.To == id {
			other := k.pair.To
			if other == id {
				other = k.pair.From
			}
			return invalid(fmt.Sprintf(MsgObjectTypeHasLimits, id, other))
		}
	}
	part := tx.schemaTypes()
	part.pairs = clonePairs(part.pairs)
	for p, forward := range maps.Clone(part.pairs.unlabeled) {
		if p.From == id || p.To == id {
			part.pairs.remove(forward)
		}
	}
	part.types = part.types.Delete(id)
	keys := []string{id}
	// Other types drop the pairs they declared with it.
	itr := part.types.Iterator()
	for !itr.Done() {
		k, other, _ := itr.Next()
		if other.custom == nil || !slices.Contains(other.custom.AssociatedObjects, id) {
			continue
		}
		c := *other.custom
		c.AssociatedObjects = slices.DeleteFunc(slices.Clone(c.AssociatedObjects), func(s string) bool { return s == id })
		c.Associations = slices.DeleteFunc(slices.Clone(c.Associations), func(a CustomAssociation) bool { return a.ToObjectType == id })
		next := *other
		next.custom = &c
		part.types = part.types.Set(k, &next)
		keys = append(keys, k)
	}
	tx.set(schemaDomain, part, keys...)
	// An empty id sequence would name a type that no longer exists.
	if rp := tx.records(); func() bool { _, ok := rp.types.Get(id); return ok }() {
		rp.types = rp.types.Delete(id)
		tx.set(recordsDomain, rp, id)
	}
	return nil
}

// remove drops the pair whose type (either direction) is id.
func (cp *customPairs) remove(id int32) {
	t, ok := cp.byID[id]
	if !ok {
		return
	}
	inv := cp.inverse[id]
	delete(cp.byID, id)
	delete(cp.unlabeled, t.Pair)
	delete(cp.inverse, id)
	if inv != id {
		if it, ok := cp.byID[inv]; ok {
			delete(cp.unlabeled, it.Pair)
		}
		delete(cp.byID, inv)
		delete(cp.inverse, inv)
	}
}

// AddObjectTypeAssociation makes the custom object type spelling names
// associable with the type toSpelling names, and returns the pair's
// default association type from it. A pair it has already is returned as
// it is.
func (tx *Tx) AddObjectTypeAssociation(spelling, toSpelling string, now time.Time) (CustomAssociation, error) {
	ts, err := tx.customType(spelling)
	if err != nil {
		return CustomAssociation{}, err
	}
	key, ok := tx.associationKey(toSpelling)
	if !ok {
		msg := fmt.Sprintf(MsgUnknownObjectType, toSpelling)
		return CustomAssociation{}, invalid(msg, Detail{Message: msg, In: "toObjectTypeId"})
	}
	ct := *ts.custom
	if i := slices.IndexFunc(ct.Associations, func(a CustomAssociation) bool { return a.ToObjectType == key }); i >= 0 {
		return ct.Associations[i], nil
	}
	ct.AssociatedObjects = slices.Clone(ct.AssociatedObjects)
	ct.Associations = slices.Clone(ct.Associations)
	ct.UpdatedAt = now.UTC()
	part := tx.schemaTypes()
	part.pairs = clonePairs(part.pairs)
	a := tx.addPair(&part, &ct, key)
	next := *ts
	next.custom = &ct
	part.types = part.types.Set(ct.ID, &next)
	tx.set(schemaDomain, part, ct.ID)
	return a, nil
}

// RemoveObjectTypeAssociation removes the pair of the custom object type
// spelling names whose default association type (either direction) is
// typeID. A pair records, labels or limits still use is refused.
func (tx *Tx) RemoveObjectTypeAssociation(spelling string, typeID int32, now time.Time) error {
	ts, err := tx.customType(spelling)
	if err != nil {
		return err
	}
	ct := *ts.custom
	i := slices.IndexFunc(ct.Associations, func(a CustomAssociation) bool {
		return a.TypeID == typeID || (a.InverseTypeID != 0 && a.InverseTypeID == typeID)
	})
	if i < 0 {
		return notFound(fmt.Sprintf(MsgAssociationNotFound, strconv.Itoa(int(typeID)), ct.ID))
	}
	a := ct.Associations[i]
	p := Pair{ct.ID, a.ToObjectType}
	if tx.pairInUse(p) {
		return invalid(fmt.Sprintf(MsgAssociationInUse, strconv.Itoa(int(typeID)), ct.ID))
	}
	for _, d := range tx.labels().all() {
		if samePairing(d.Pair, p) {
			return invalid(fmt.Sprintf(MsgAssociationInUse, strconv.Itoa(int(typeID)), ct.ID))
		}
	}
	for k := range tx.limits().all() {
		if k.pair == p || k.pair == p.Reverse() {
			return invalid(fmt.Sprintf(MsgAssociationInUse, strconv.Itoa(int(typeID)), ct.ID))
		}
	}
	// The pair may be the other type's too (both declared it): then it
	// stays, and only this type stops declaring it.
	other, _ := tx.schemaTypes().types.Get(a.ToObjectType)
	shared := other != nil && other.custom != nil && a.ToObjectType != ct.ID && slices.Contains(other.custom.AssociatedObjects, ct.ID)
	ct.AssociatedObjects = slices.DeleteFunc(slices.Clone(ct.AssociatedObjects), func(s string) bool { return s == a.ToObjectType })
	ct.Associations = slices.Delete(slices.Clone(ct.Associations), i, i+1)
	ct.UpdatedAt = now.UTC()
	part := tx.schemaTypes()
	if !shared {
		part.pairs = clonePairs(part.pairs)
		part.pairs.remove(a.TypeID)
	}
	next := *ts
	next.custom = &ct
	part.types = part.types.Set(ct.ID, &next)
	tx.set(schemaDomain, part, ct.ID)
	return nil
}

// pairInUse reports whether records of p.From are associated with records
// of p.To: a walk of p.From's edges, which are stored together.
func (v *View) pairInUse(p Pair) bool {
	itr := v.assocs().edges.Iterator()
	itr.Seek(assocKey{fromType: p.From, fromID: math.MinInt64})
	for !itr.Done() {
		k, _, _ := itr.Next()
		if k.fromType != p.From {
			return false
		}
		if k.toType == p.To {
			return true
		}
	}
	return false
}

// ObjectTypeID returns HubSpot's object type id (0-1, 2-N) of the type with
// key, or key itself for a type HubSpot publishes no id for.
func (v *View) ObjectTypeID(key string) string {
	if schema.IsCustomTypeID(key) || v.pt.catalog == nil {
		return key
	}
	if t, ok := v.pt.catalog.types.ByKey(key); ok && t.ID != "" {
		return t.ID
	}
	return key
}
