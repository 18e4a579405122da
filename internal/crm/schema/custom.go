package schema

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/objecttype"
)

// A portal changes the catalog's types in two ways: it adds property groups
// and properties to a type (Extend), and it defines custom object types of
// its own (NewCustomType). Both build a new immutable ObjectType, so readers
// of the old one are never disturbed; the store keeps the result beside the
// definitions it was built from.

// MaxPropertyNameLength bounds a custom property's internal name.
const MaxPropertyNameLength = 100

// CheckPropertyName reports what is wrong with a custom property or group
// name, or "" when it is valid. HubSpot documents internal names as starting
// with a letter and holding lower-case letters, digits and underscores.
func CheckPropertyName(name string) string {
	switch {
	case name == "":
		return "name must not be empty"
	case len(name) > MaxPropertyNameLength:
		return fmt.Sprintf("name must be at most %d characters", MaxPropertyNameLength)
	case name[0] < 'a' || name[0] > 'z':
		return fmt.Sprintf("name %q must start with a lower-case letter", name)
	}
	for _, r := range name {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return fmt.Sprintf("name %q may hold only lower-case letters, digits and underscores", name)
		}
	}
	return ""
}

// CheckObjectTypeName reports what is wrong with a custom object type's
// name, or "" when it is valid. HubSpot documents it as starting with a
// letter and holding only letters, digits and underscores: unlike a
// property's, its letters may be upper-case.
func CheckObjectTypeName(name string) string {
	isLetter := func(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }
	switch {
	case name == "":
		return "name must not be empty"
	case len(name) > MaxPropertyNameLength:
		return fmt.Sprintf("name must be at most %d characters", MaxPropertyNameLength)
	case !isLetter(rune(name[0])):
		return fmt.Sprintf("name %q must start with a letter", name)
	}
	for _, r := range name {
		if !isLetter(r) && (r < '0' || r > '9') && r != '_' {
			return fmt.Sprintf("name %q may hold only letters, digits and underscores", name)
		}
	}
	return ""
}

// CheckProperty reports what is wrong with a property definition, without a
// type to check its group against: an unknown type or fieldType, options a
// type cannot have, an enumeration without options.
func CheckProperty(pd fixtures.CRMProperty) error {
	_, err := newProperty(pd)
	return err
}

// Extend returns t with groups and props added. A property named like one
// of t's replaces it (a portal's edit of a HubSpot-defined property); every
// property's group must be one of t's or one of groups. Properties with a
// unique value become usable as idProperty.
func (t *ObjectType) Extend(groups []fixtures.CRMPropertyGroup, props []fixtures.CRMProperty) (*ObjectType, error) {
	if len(groups) == 0 && len(props) == 0 {
		return t, nil
	}
	n := *t
	n.groups = slices.Clone(t.groups)
	n.props = slices.Clone(t.props)
	n.byName = maps.Clone(t.byName)
	n.unique = slices.Clone(t.unique)
	known := map[string]bool{}
	for _, g := range n.groups {
		known[g.Name] = true
	}
	for _, g := range groups {
		if known[g.Name] {
			continue
		}
		known[g.Name] = true
		n.groups = append(n.groups, &PropertyGroup{Name: g.Name, Label: g.Label, DisplayOrder: g.DisplayOrder})
	}
	sort.SliceStable(n.groups, func(i, j int) bool { return n.groups[i].DisplayOrder < n.groups[j].DisplayOrder })
	for _, pd := range props {
		p, err := newProperty(pd)
		if err != nil {
			return nil, fmt.Errorf("property %q: %w", pd.Name, err)
		}
		if !known[p.GroupName] {
			return nil, fmt.Errorf("property %q: unknown group %q", p.Name, p.GroupName)
		}
		if old, ok := n.byName[p.Name]; ok {
			n.props[slices.Index(n.props, old)] = p
		} else {
			n.props = append(n.props, p)
		}
		n.byName[p.Name] = p
		if p.HasUniqueValue && !slices.Contains(n.unique, p.Name) {
			n.unique = append(n.unique, p.Name)
		}
	}
	sort.Strings(n.unique)
	return &n, nil
}

// Custom object types get the properties HubSpot gives every custom object:
// the record id and its timestamps, which are also what a read returns when
// it names no property.
var customSystemProperties = []fixtures.CRMProperty{
	{Name: "hs_createdate", Label: "Object create date/time", Type: "datetime", FieldType: "date", ReadOnlyValue: true, HubspotDefined: true},
	{Name: "hs_lastmodifieddate", Label: "Object last modified date/time", Type: "datetime", FieldType: "date", ReadOnlyValue: true, HubspotDefined: true},
	{Name: "hs_object_id", Label: "Record ID", Type: "number", FieldType: "number", ReadOnlyValue: true, HubspotDefined: true},
}

// IsCustomTypeID reports whether id is a custom object type id, 2-N.
func IsCustomTypeID(id string) bool {
	n, ok := strings.CutPrefix(id, "2-")
	if !ok || n == "" {
		return false
	}
	v, err := strconv.ParseUint(n, 10, 63)
	return err == nil && v > 0 && strconv.FormatUint(v, 10) == n
}

// FullyQualifiedName is HubSpot's name of a portal's custom object type,
// p{portalId}_{name}, which the objects API accepts in place of its id.
func FullyQualifiedName(portalID int64, name string) string {
	return "p" + strconv.FormatInt(portalID, 10) + "_" + name
}

// NewCustomType builds a portal's custom object type from its definition:
// id 2-N, a name (HubSpot's internal name rules), labels, a primary display
// property and the properties. The record id and timestamps are added, and
// are the default properties; the searchable properties default to the
// primary display property; properties with a unique value are unique.
// Custom object types have no pipelines here.
func NewCustomType(def fixtures.CRMObjectType, fullyQualifiedName string) (*ObjectType, error) {
	if !IsCustomTypeID(def.ID) {
		return nil, fmt.Errorf("id %q is not a custom object type id (2-N)", def.ID)
	}
	if msg := CheckObjectTypeName(def.Name); msg != "" {
		return nil, errors.New(msg)
	}
	if len(def.Pipelines) > 0 || def.PipelineProperty != "" || def.StageProperty != "" {
		return nil, errors.New("custom object types have no pipelines here")
	}
	group := strings.ToLower(def.Name) + "_information"
	groups := slices.Clone(def.Groups)
	if len(groups) == 0 {
		groups = []fixtures.CRMPropertyGroup{{Name: group, Label: def.Labels.Singular + " information"}}
	}
	props := slices.Clone(def.Properties)
	var unique []string
	for _, sp := range customSystemProperties {
		if slices.ContainsFunc(props, func(p fixtures.CRMProperty) bool { return p.Name == sp.Name }) {
			return nil, fmt.Errorf("property %q is HubSpot's on every custom object and cannot be defined", sp.Name)
		}
		sp.GroupName = groups[0].Name
		props = append(props, sp)
	}
	for i := range props {
		if props[i].GroupName == "" {
			props[i].GroupName = groups[0].Name
		}
		if props[i].HasUniqueValue {
			unique = append(unique, props[i].Name)
		}
	}
	unique = append(unique, "hs_object_id")
	props[len(props)-1].HasUniqueValue = true
	searchable := def.SearchableProperties
	if len(searchable) == 0 && def.PrimaryDisplayProperty != "" {
		searchable = []string{def.PrimaryDisplayProperty}
	}
	defaults := []string{"hs_createdate", "hs_lastmodifieddate", "hs_object_id"}
	full := fixtures.CRMObjectType{
		ID:                     def.ID,
		Name:                   def.Name,
		Plural:                 def.Plural,
		Labels:                 def.Labels,
		PrimaryDisplayProperty: def.PrimaryDisplayProperty,
		DefaultProperties:      defaults,
		AlwaysAddedProperties:  defaults,
		SearchableProperties:   searchable,
		UniqueProperties:       unique,
		CreatedValues:          def.CreatedValues,
		Groups:                 groups,
		Properties:             props,
	}
	if full.PrimaryDisplayProperty == "" {
		full.PrimaryDisplayProperty = "hs_object_id"
	}
	if full.Plural == "" {
		full.Plural = def.Name
	}
	reg, err := objecttype.NewRegistry([]fixtures.ObjectType{{ID: &full.ID, Name: full.Name, Plural: full.Plural}})
	if err != nil {
		return nil, err
	}
	t, err := newObjectType(full, reg)
	if err != nil {
		return nil, err
	}
	// Records of a custom type are kept under its id, not its name, which
	// only the portal knows.
	t.key = objecttype.Type{ID: def.ID}
	t.FullyQualifiedName = fullyQualifiedName
	t.Custom = true
	return t, nil
}
