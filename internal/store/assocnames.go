package store

import (
	"strconv"
	"strings"
)

// HubSpot's legacy (v3) API and the `associations=` embedding of record
// reads name association types by text ("contact_to_company") instead of
// category and typeId. The names are not published as a table; they follow
// the rule of HUBSPOT-RECORDS.md §5.2:
//   - a pair's Primary type (HUBSPOT_DEFINED, label "Primary") is x_to_y,
//     and the pair's unlabeled type is then x_to_y_unlabeled;
//   - the unlabeled type of a pair without a Primary type is x_to_y;
//   - the other labeled HubSpot types carry the names of HubSpot's type id
//     tables, snake-cased (parent_to_child_company, as in the Node client's
//     enum) — namedHubSpotTypes;
//   - a USER_DEFINED label is the label's internal name (§7 #17).
//
// x and y are singular object names (contact, line_item); a custom object
// type is named by its own name (credentialing_2_0).

// labelPrimary is the label text of HubSpot's Primary types in the fixtures.
const labelPrimary = "Primary"

// namedHubSpotTypes are the v3 names of the labeled HUBSPOT_DEFINED types
// that are not Primary types: the "name" column of HubSpot's association
// type tables (HUBSPOT.md §10), snake-cased. Only 13/14 are corroborated
// by a client (the Node enum's parentToChildCompany/childToParentCompany);
// the rest are inferred the same way.
var namedHubSpotTypes = map[int32]string{
	13:   "parent_to_child_company",
	14:   "child_to_parent_company",
	930:  "company_to_billing_contact",
	931:  "billing_contact_to_company",
	1335: "billing_company_to_quote",
	703:  "signer_contact_to_quote",
	1227: "billing_contact_to_quote",
	1226: "quote_to_billing_contact",
	1334: "quote_to_billing_company",
	702:  "quote_to_signer_contact",
	571:  "line_item_to_abandoned_cart",
	565:  "upcoming_line_item_to_subscription",
}

// objectName is the singular name of object type key in type names: a
// standard type's name, or a custom object type's own name (its id when
// the portal no longer has it).
func (v *View) objectName(key string) string {
	if !strings.HasPrefix(key, "2-") {
		return key
	}
	if t, ok := v.ObjectType(key); ok && t.Name != "" {
		return strings.ToLower(t.Name)
	}
	return key
}

// hasPrimary reports whether pair p has a HubSpot Primary type.
func (v *View) hasPrimary(p Pair) bool {
	for _, t := range v.definedTypes(p) {
		if t.Label != nil && *t.Label == labelPrimary {
			return true
		}
	}
	return false
}

// AssocTypeName returns the v3 name of association type t (the rule above).
func (v *View) AssocTypeName(t AssocType) string {
	base := v.objectName(t.Pair.From) + "_to_" + v.objectName(t.Pair.To)
	switch {
	case t.Label == nil:
		// HubSpot's unlabeled types, and a custom object pair's default
		// type (contact_to_credentialing_2_0, HUBSPOT-RECORDS.md §5.2).
		if v.hasPrimary(t.Pair) {
			return base + "_unlabeled"
		}
		return base
	case t.Category == UserDefined:
		if d, ok := v.labels().defs.Get(t.TypeID); ok {
			return d.Name
		}
		return strconv.Itoa(int(t.TypeID))
	case *t.Label == labelPrimary:
		return base
	}
	if name, ok := namedHubSpotTypes[t.TypeID]; ok {
		return name
	}
	// A labeled type the table does not know (a future fixture row).
	return base + "_" + strings.ToLower(strings.ReplaceAll(*t.Label, " ", "_"))
}

// AssocTypeByName resolves what a v3 call names a type by on pair p: its
// v3 name (any case) or its numeric typeId. A paired USER_DEFINED label
// between an object type and itself has one name for both directions; the
// name resolves to the forward direction (the inverse is reachable by id).
func (v *View) AssocTypeByName(p Pair, name string) (AssocType, bool) {
	types := v.Labels(p)
	if id, err := strconv.ParseInt(name, 10, 32); err == nil {
		for _, t := range types {
			if t.TypeID == int32(id) {
				return t, true
			}
		}
		return AssocType{}, false
	}
	for _, t := range types {
		if strings.EqualFold(v.AssocTypeName(t), name) {
			return t, true
		}
	}
	return AssocType{}, false
}

// AssocTypeFrom resolves an association type a record create names by
// category and typeId alone (HUBSPOT-RECORDS.md §5.1): the type must leave
// from object type from; its pair says what the target's type is. A type
// that does not exist, has another category or leaves from another object
// type is HubSpot's "One or more associations are invalid" with the
// INVALID_ASSOCIATION_TYPE_ID context (§6).
func (v *View) AssocTypeFrom(from string, spec AssocSpec) (AssocType, error) {
	var t AssocType
	ok := false
	if c, found := v.definedType(spec.TypeID); found {
		t, ok = c, c.Category == spec.Category
	} else if d, found := v.labels().defs.Get(spec.TypeID); found && spec.Category == UserDefined {
		p := d.direction(spec.TypeID)
		t, ok = AssocType{Pair: p, Category: UserDefined, TypeID: spec.TypeID, Label: ptr(d.text(spec.TypeID))}, true
	}
	if !ok || t.Pair.From != from {
		return AssocType{}, invalidType(spec)
	}
	return t, nil
}
