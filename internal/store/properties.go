package store

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/benbjohnson/immutable"
	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/decode"
)

// The schema domain holds what a portal changed in its CRM schema: the
// property groups and properties it created (or edited, for HubSpot-defined
// ones) on each object type, and its custom object types. For every object
// type it changed, it also keeps the portal's effective *schema.ObjectType
// (the catalog's type with the portal's changes, or the custom type), built
// when the definitions change so that a record read or write costs a lookup.
//
// Its rows are one per object type, keyed by the type's key ("contact",
// "2-123"): a type's definitions are few (HubSpot allows some hundreds of
// custom properties per type), so a change rewrites the type's row.

// PropertyInfo is one property definition as the Properties API shows it.
// It is also the form a state document lists custom properties in.
type PropertyInfo struct {
	// ObjectType is the key of the type the property belongs to.
	ObjectType string `json:"objectType"`
	fixtures.CRMProperty
	DisplayOrder int  `json:"displayOrder,omitempty"`
	Hidden       bool `json:"hidden,omitempty"`
	FormField    bool `json:"formField,omitempty"`
	// Custom is true for a property the portal created; false for a
	// HubSpot-defined one (from the catalog, possibly edited).
	Custom bool `json:"-"`
	// CreatedAt and UpdatedAt are zero for catalog properties never edited.
	CreatedAt  time.Time `json:"createdAt,omitzero"`
	UpdatedAt  time.Time `json:"updatedAt,omitzero"`
	Archived   bool      `json:"archived,omitempty"`
	ArchivedAt time.Time `json:"archivedAt,omitzero"`
}

// PropertyGroupInfo is one property group of an object type.
type PropertyGroupInfo struct {
	ObjectType   string `json:"objectType"`
	Name         string `json:"name"`
	Label        string `json:"label"`
	DisplayOrder int    `json:"displayOrder"`
	Archived     bool   `json:"archived,omitempty"`
	// Custom is true for a group the portal created.
	Custom bool `json:"-"`
}

// PropertyPatch is an update of a property: nil fields are left unchanged.
type PropertyPatch struct {
	Label, Description, GroupName, Type, FieldType *string
	Options                                        *[]fixtures.CRMOption
	DisplayOrder                                   *int
	Hidden, FormField                              *bool
}

// CustomObjectType is one custom object type of a portal as a state
// document declares it: id 2-N, its internal name (the fully qualified name
// is p{portalId}_{name}), labels, primary display property and properties,
// and the object types its records may be associated with.
type CustomObjectType struct {
	ID                     string                      `json:"id"`
	Name                   string                      `json:"name"`
	Labels                 fixtures.CRMLabels          `json:"labels"`
	PrimaryDisplayProperty string                      `json:"primaryDisplayProperty,omitempty"`
	SearchableProperties   []string                    `json:"searchableProperties,omitempty"`
	Properties             []fixtures.CRMProperty      `json:"properties"`
	Groups                 []fixtures.CRMPropertyGroup `json:"groups,omitempty"`
	// Description, RequiredProperties and SecondaryDisplayProperties are
	// kept for the schemas API, which shows them; the properties named
	// must be the type's.
	Description                string   `json:"description,omitempty"`
	RequiredProperties         []string `json:"requiredProperties,omitempty"`
	SecondaryDisplayProperties []string `json:"secondaryDisplayProperties,omitempty"`
	// CreatedAt and UpdatedAt are when the schemas API created and last
	// changed the type; zero for a type a document declared without them.
	CreatedAt time.Time `json:"createdAt,omitzero"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	// AssociatedObjects names the object types (standard or the portal's
	// custom ones) the type's records may be associated with, as HubSpot's
	// schema does; each pair gets a default association type per
	// direction. Nil when the document gives neither it nor Associations:
	// then contacts, companies, deals and tickets (defaultAssociated). A
	// built type always has it, canonical and never nil, so that an
	// exported empty list stays empty.
	AssociatedObjects []string `json:"associatedObjects"`
	// Associations are the typeIds of those default types, from this type
	// to the other and back. A document may leave them out (the portal
	// then allocates them from its typeId sequence); a built type lists
	// every pair it declares, so that the ids survive an export.
	Associations []CustomAssociation `json:"associations,omitempty"`
}

// CustomAssociation is the default association type between a custom
// object type and one type it is associated with: TypeID from the custom
// type to ToObjectType, InverseTypeID back (0 between a type and itself,
// where the one type reads both ways).
type CustomAssociation struct {
	ToObjectType  string `json:"toObjectType"`
	TypeID        int32  `json:"typeId"`
	InverseTypeID int32  `json:"inverseTypeId,omitempty"`
}

// typeSchema is what a portal changed of one object type. It is immutable
// once published.
type typeSchema struct {
	custom *CustomObjectType
	// props are the portal's properties (live and archived), sorted by
	// name; groups its groups, sorted by name.
	props  []PropertyInfo
	groups []PropertyGroupInfo
	// eff is the effective type; unique the unique properties records of
	// the type are indexed by.
	eff    *schema.ObjectType
	unique []UniqueProperty
}

type schemaPart struct {
	types *immutable.SortedMap[string, *typeSchema]
	// pairs are the default association types of the custom object types;
	// they change only with the types (a document import).
	pairs *customPairs
}

// schemaRow is the saved form of one type's typeSchema.
type schemaRow struct {
	ObjectType *CustomObjectType   `json:"objectType,omitempty"`
	Properties []PropertyInfo      `json:"properties,omitempty"`
	Groups     []PropertyGroupInfo `json:"groups,omitempty"`
}

var schemaDomain = register(domain{
	name: "schema",
	empty: func(*Config) any {
		return schemaPart{types: immutable.NewSortedMap[string, *typeSchema](immutable.NewComparer(""))}
	},
	row: func(part any, key string) ([]byte, bool) {
		ts, ok := part.(schemaPart).types.Get(key)
		if !ok {
			return nil, false
		}
		return mustJSON(ts.row()), true
	},
	rows: func(part any) iter.Seq2[string, []byte] {
		return func(yield func(string, []byte) bool) {
			itr := part.(schemaPart).types.Iterator()
			for !itr.Done() {
				k, ts, _ := itr.Next()
				if !yield(k, mustJSON(ts.row())) {
					return
				}
			}
		}
	},
	load: loadSchema,
})

func (ts *typeSchema) row() schemaRow {
	return schemaRow{ObjectType: ts.custom, Properties: ts.props, Groups: ts.groups}
}

func loadSchema(snap *Snapshot, key string, value []byte) error {
	var row schemaRow
	if err := decode.JSON(value, &row); err != nil {
		return fmt.Errorf("schema %q: %w", key, err)
	}
	if row.ObjectType != nil {
		if row.ObjectType.ID != key {
			return fmt.Errorf("schema %q: the value is object type %q", key, row.ObjectType.ID)
		}
		snap.ObjectTypes = append(snap.ObjectTypes, *row.ObjectType)
	}
	for _, p := range row.Properties {
		if p.ObjectType != key {
			return fmt.Errorf("schema %q: property %q is of object type %q", key, p.Name, p.ObjectType)
		}
		snap.Properties = append(snap.Properties, p)
	}
	for _, g := range row.Groups {
		if g.ObjectType != key {
			return fmt.Errorf("schema %q: group %q is of object type %q", key, g.Name, g.ObjectType)
		}
		snap.PropertyGroups = append(snap.PropertyGroups, g)
	}
	return nil
}

func (v *View) schemaTypes() schemaPart { return v.part(schemaDomain).(schemaPart) }

// ObjectType returns the portal's effective object type named by spelling:
// a catalog type (any spelling objecttype accepts) with the portal's
// properties, or one of its custom object types by id (2-N) or fully
// qualified name (p{portalId}_{name}, any case).
func (v *View) ObjectType(spelling string) (*schema.ObjectType, bool) {
	return v.schemaTypes().objectType(v.pt.id, v.pt.cfg, spelling)
}

// objectType is View.ObjectType on the part, for the import that builds it.
func (sp schemaPart) objectType(portalID int64, cfg *Config, spelling string) (*schema.ObjectType, bool) {
	if cfg.Schema != nil {
		if t, ok := cfg.Schema.Type(spelling); ok {
			if ts, ok := sp.types.Get(t.Key()); ok {
				return ts.eff, true
			}
			return t, true
		}
	}
	if schema.IsCustomTypeID(spelling) {
		if ts, ok := sp.types.Get(spelling); ok && ts.custom != nil {
			return ts.eff, true
		}
		return nil, false
	}
	prefix := schema.FullyQualifiedName(portalID, "")
	if len(spelling) <= len(prefix) || !strings.EqualFold(spelling[:len(prefix)], prefix) {
		return nil, false
	}
	name := strings.ToLower(spelling[len(prefix):])
	// Custom object types sort after the catalog's ("2-" < letters), and a
	// portal has a handful: a scan is cheap.
	itr := sp.types.Iterator()
	for !itr.Done() {
		_, ts, _ := itr.Next()
		if ts.custom != nil && strings.EqualFold(ts.custom.Name, name) {
			return ts.eff, true
		}
	}
	return nil, false
}

// uniqueDecl returns the properties records of objectType are indexed by.
func (v *View) uniqueDecl(objectType string) []UniqueProperty {
	if ts, ok := v.schemaTypes().types.Get(objectType); ok {
		return ts.unique
	}
	return v.pt.cfg.UniqueProperties[objectType]
}

// catalogInfo is the PropertyInfo of a property of the effective type the
// portal has not changed.
func catalogInfo(typeKey string, p *schema.Property, order int) PropertyInfo {
	info := PropertyInfo{ObjectType: typeKey, DisplayOrder: order, FormField: !p.ReadOnlyValue && !p.Calculated}
	info.CRMProperty = fixtures.CRMProperty{
		Name: p.Name, Label: p.Label, Type: string(p.Type), FieldType: p.FieldType, GroupName: p.GroupName,
		Description: p.Description, ReadOnlyValue: p.ReadOnlyValue, HasUniqueValue: p.HasUniqueValue,
		Calculated: p.Calculated, ExternalOptions: p.ExternalOptions, HubspotDefined: p.HubspotDefined,
		ReferencedObjectType: p.ReferencedObjectType, Format: p.Format,
	}
	for _, o := range p.Options {
		info.Options = append(info.Options, fixtures.CRMOption{Label: o.Label, Value: o.Value, DisplayOrder: o.DisplayOrder, Hidden: o.Hidden, Description: o.Description})
	}
	return info
}

// Properties returns the properties of the type with key typeKey sorted by
// name: with archived false every live one (the catalog's and the
// portal's), with archived true only the archived ones.
func (v *View) Properties(typeKey string, archived bool) []PropertyInfo {
	t, ok := v.ObjectType(typeKey)
	if !ok {
		return nil
	}
	ts, _ := v.schemaTypes().types.Get(t.Key())
	var out []PropertyInfo
	if archived {
		if ts != nil {
			for _, p := range ts.props {
				if p.Archived {
					out = append(out, p)
				}
			}
		}
		return out
	}
	for i, p := range t.Properties() {
		if ts != nil {
			if j, ok := ts.find(p.Name); ok {
				out = append(out, ts.props[j])
				continue
			}
		}
		out = append(out, catalogInfo(t.Key(), p, i))
	}
	slices.SortFunc(out, func(a, b PropertyInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Property returns one property of the type with key typeKey, live or
// archived.
func (v *View) Property(typeKey, name string) (PropertyInfo, bool) {
	t, ok := v.ObjectType(typeKey)
	if !ok {
		return PropertyInfo{}, false
	}
	ts, _ := v.schemaTypes().types.Get(t.Key())
	if ts != nil {
		if i, ok := ts.find(name); ok {
			return ts.props[i], true
		}
	}
	if _, ok := t.Property(name); !ok {
		return PropertyInfo{}, false
	}
	return v.propertyInfo(t, ts, name), true
}

func (v *View) propertyInfo(t *schema.ObjectType, ts *typeSchema, name string) PropertyInfo {
	if ts != nil {
		if i, ok := ts.find(name); ok {
			return ts.props[i]
		}
	}
	p, _ := t.Property(name)
	return catalogInfo(t.Key(), p, slices.IndexFunc(t.Properties(), func(q *schema.Property) bool { return q.Name == name }))
}

func (ts *typeSchema) find(name string) (int, bool) {
	return slices.BinarySearchFunc(ts.props, name, func(p PropertyInfo, n string) int { return strings.Compare(p.Name, n) })
}

// PropertyGroups returns the groups of the type with key typeKey in display
// order.
func (v *View) PropertyGroups(typeKey string) []PropertyGroupInfo {
	t, ok := v.ObjectType(typeKey)
	if !ok {
		return nil
	}
	ts, _ := v.schemaTypes().types.Get(t.Key())
	var out []PropertyGroupInfo
	for _, g := range t.Groups() {
		info := PropertyGroupInfo{ObjectType: t.Key(), Name: g.Name, Label: g.Label, DisplayOrder: g.DisplayOrder}
		if ts != nil {
			if i := slices.IndexFunc(ts.groups, func(c PropertyGroupInfo) bool { return c.Name == g.Name }); i >= 0 {
				info = ts.groups[i]
			}
		}
		out = append(out, info)
	}
	return out
}

// Messages of the schema domain.
const (
	MsgUnknownObjectType = "Unable to infer object type from: %s"
	MsgPropertyExists    = "Property named '%s' already exists."
	MsgPropertyNotFound  = "Unable to find property with name '%s' for object type %s"
	MsgGroupExists       = "Property group named '%s' already exists."
	MsgGroupUnknown      = "Property group '%s' does not exist for object type %s"
	MsgHubSpotProperty   = "Property '%s' is defined by HubSpot and cannot be %s"
)

// editable returns the type typeKey names and a copy of the portal's
// changes to it, ready to be changed and published with putSchema.
func (tx *Tx) editable(typeKey string) (*schema.ObjectType, *typeSchema, error) {
	t, ok := tx.ObjectType(typeKey)
	if !ok {
		return nil, nil, invalid(fmt.Sprintf(MsgUnknownObjectType, typeKey))
	}
	next := &typeSchema{}
	if ts, ok := tx.schemaTypes().types.Get(t.Key()); ok {
		next.custom = ts.custom
		next.props = slices.Clone(ts.props)
		next.groups = slices.Clone(ts.groups)
	}
	return t, next, nil
}

// putSchema builds ts's effective type and publishes it under key.
func (tx *Tx) putSchema(key string, ts *typeSchema) error {
	if err := ts.build(tx.pt.id, tx.pt.cfg, key); err != nil {
		return invalid(err.Error())
	}
	part := tx.schemaTypes()
	part.types = part.types.Set(key, ts)
	tx.set(schemaDomain, part, key)
	return nil
}

// build makes ts's effective type and unique declarations from its
// definitions.
func (ts *typeSchema) build(portalID int64, cfg *Config, key string) error {
	var base *schema.ObjectType
	switch {
	case ts.custom != nil:
		t, err := schema.NewCustomType(fixtures.CRMObjectType{
			ID: ts.custom.ID, Name: ts.custom.Name, Labels: ts.custom.Labels,
			PrimaryDisplayProperty: ts.custom.PrimaryDisplayProperty, SearchableProperties: ts.custom.SearchableProperties,
			Properties: ts.custom.Properties, Groups: ts.custom.Groups,
		}, schema.FullyQualifiedName(portalID, ts.custom.Name))
		if err != nil {
			return fmt.Errorf("object type %s: %w", ts.custom.ID, err)
		}
		base = t
	case cfg.Schema != nil:
		t, ok := cfg.Schema.Type(key)
		if !ok {
			return fmt.Errorf("object type %s has no schema", key)
		}
		base = t
	default:
		return errors.New("no schema catalog")
	}
	groups := make([]fixtures.CRMPropertyGroup, 0, len(ts.groups))
	for _, g := range ts.groups {
		if !g.Archived {
			groups = append(groups, fixtures.CRMPropertyGroup{Name: g.Name, Label: g.Label, DisplayOrder: g.DisplayOrder})
		}
	}
	var props []fixtures.CRMProperty
	for _, p := range ts.props {
		if !p.Archived {
			props = append(props, p.CRMProperty)
		}
	}
	eff, err := base.Extend(groups, props)
	if err != nil {
		return err
	}
	if ts.custom != nil {
		if err := checkNamed(eff, ts.custom); err != nil {
			return fmt.Errorf("object type %s: %w", ts.custom.ID, err)
		}
	}
	ts.eff = eff
	ts.unique = slices.Clone(cfg.UniqueProperties[key])
	for _, name := range eff.UniqueProperties() {
		if name == "hs_object_id" || slices.ContainsFunc(ts.unique, func(u UniqueProperty) bool { return u.Name == name }) {
			continue
		}
		ts.unique = append(ts.unique, UniqueProperty{Name: name})
	}
	return nil
}

func (ts *typeSchema) insert(p PropertyInfo) {
	i, found := ts.find(p.Name)
	if found {
		ts.props[i] = p
		return
	}
	ts.props = slices.Insert(ts.props, i, p)
}

// CreateProperty creates a custom property on the type typeKey names. Its
// name must be new (among live and archived properties), its group must
// exist and its definition must be one HubSpot accepts. It cannot be
// HubSpot-defined, read-only or calculated.
func (tx *Tx) CreateProperty(typeKey string, p PropertyInfo, now time.Time) (PropertyInfo, error) {
	if err := checkTime(now); err != nil {
		return PropertyInfo{}, err
	}
	t, ts, err := tx.editable(typeKey)
	if err != nil {
		return PropertyInfo{}, err
	}
	if msg := schema.CheckPropertyName(p.Name); msg != "" {
		return PropertyInfo{}, invalid(msg, Detail{Message: msg, In: "name"})
	}
	if _, exists := t.Property(p.Name); exists {
		return PropertyInfo{}, conflict(fmt.Sprintf(MsgPropertyExists, p.Name))
	}
	if _, archived := ts.find(p.Name); archived {
		return PropertyInfo{}, conflict(fmt.Sprintf(MsgPropertyExists, p.Name))
	}
	if !slices.ContainsFunc(t.Groups(), func(g *schema.PropertyGroup) bool { return g.Name == p.GroupName }) {
		msg := fmt.Sprintf(MsgGroupUnknown, p.GroupName, t.Key())
		return PropertyInfo{}, invalid(msg, Detail{Message: msg, In: "groupName"})
	}
	if err := schema.CheckProperty(p.CRMProperty); err != nil {
		return PropertyInfo{}, invalid(err.Error())
	}
	p.ObjectType = t.Key()
	p.HubspotDefined, p.ReadOnlyValue, p.Calculated, p.Custom = false, false, false, true
	p.Archived, p.ArchivedAt = false, time.Time{}
	p.CreatedAt, p.UpdatedAt = now.UTC().Truncate(time.Millisecond), now.UTC().Truncate(time.Millisecond)
	ts.insert(p)
	if err := tx.putSchema(t.Key(), ts); err != nil {
		return PropertyInfo{}, err
	}
	return p, nil
}

// UpdateProperty changes a live property. A HubSpot-defined property keeps
// its type and field type.
func (tx *Tx) UpdateProperty(typeKey, name string, patch PropertyPatch, now time.Time) (PropertyInfo, error) {
	if err := checkTime(now); err != nil {
		return PropertyInfo{}, err
	}
	t, ts, err := tx.editable(typeKey)
	if err != nil {
		return PropertyInfo{}, err
	}
	p, ok := tx.Property(t.Key(), name)
	if !ok || p.Archived {
		return PropertyInfo{}, notFound(fmt.Sprintf(MsgPropertyNotFound, name, t.Key()))
	}
	if p.HubspotDefined && ((patch.Type != nil && *patch.Type != p.Type) || (patch.FieldType != nil && *patch.FieldType != p.FieldType)) {
		return PropertyInfo{}, invalid(fmt.Sprintf(MsgHubSpotProperty, name, "given another type"))
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&p.Label, patch.Label)
	set(&p.Description, patch.Description)
	set(&p.GroupName, patch.GroupName)
	set(&p.Type, patch.Type)
	set(&p.FieldType, patch.FieldType)
	if patch.Options != nil {
		p.Options = slices.Clone(*patch.Options)
	}
	if patch.DisplayOrder != nil {
		p.DisplayOrder = *patch.DisplayOrder
	}
	if patch.Hidden != nil {
		p.Hidden = *patch.Hidden
	}
	if patch.FormField != nil {
		p.FormField = *patch.FormField
	}
	if !slices.ContainsFunc(t.Groups(), func(g *schema.PropertyGroup) bool { return g.Name == p.GroupName }) {
		msg := fmt.Sprintf(MsgGroupUnknown, p.GroupName, t.Key())
		return PropertyInfo{}, invalid(msg, Detail{Message: msg, In: "groupName"})
	}
	if err := schema.CheckProperty(p.CRMProperty); err != nil {
		return PropertyInfo{}, invalid(err.Error())
	}
	if p.CreatedAt.IsZero() && !p.HubspotDefined {
		p.CreatedAt = now.UTC().Truncate(time.Millisecond)
	}
	p.UpdatedAt = now.UTC().Truncate(time.Millisecond)
	ts.insert(p)
	if err := tx.putSchema(t.Key(), ts); err != nil {
		return PropertyInfo{}, err
	}
	return p, nil
}

// ArchiveProperty archives a custom property: records keep their values,
// but the property is no longer read, written or searched. Archiving an
// archived property does nothing.
func (tx *Tx) ArchiveProperty(typeKey, name string, now time.Time) error {
	if err := checkTime(now); err != nil {
		return err
	}
	t, ts, err := tx.editable(typeKey)
	if err != nil {
		return err
	}
	p, ok := tx.Property(t.Key(), name)
	switch {
	case !ok:
		return notFound(fmt.Sprintf(MsgPropertyNotFound, name, t.Key()))
	case p.Archived:
		return nil
	case p.HubspotDefined || !p.Custom && ts.custom == nil:
		return invalid(fmt.Sprintf(MsgHubSpotProperty, name, "archived"))
	case t.Custom && slices.ContainsFunc(ts.custom.Properties, func(d fixtures.CRMProperty) bool { return d.Name == name }):
		return invalid(fmt.Sprintf("Property '%s' defines object type %s and cannot be archived", name, t.Key()))
	}
	if name == t.PrimaryDisplayProperty {
		return invalid(fmt.Sprintf("Property '%s' is the primary display property of %s and cannot be archived", name, t.Key()))
	}
	p.Archived = true
	p.ArchivedAt = now.UTC().Truncate(time.Millisecond)
	p.UpdatedAt = p.ArchivedAt
	ts.insert(p)
	return tx.putSchema(t.Key(), ts)
}

// CreatePropertyGroup creates a property group on the type typeKey names.
func (tx *Tx) CreatePropertyGroup(typeKey string, g PropertyGroupInfo) (PropertyGroupInfo, error) {
	t, ts, err := tx.editable(typeKey)
	if err != nil {
		return PropertyGroupInfo{}, err
	}
	if msg := schema.CheckPropertyName(g.Name); msg != "" {
		return PropertyGroupInfo{}, invalid(msg, Detail{Message: msg, In: "name"})
	}
	if g.Label == "" {
		return PropertyGroupInfo{}, invalid("label must not be empty", Detail{Message: "label must not be empty", In: "label"})
	}
	if slices.ContainsFunc(t.Groups(), func(e *schema.PropertyGroup) bool { return e.Name == g.Name }) {
		return PropertyGroupInfo{}, conflict(fmt.Sprintf(MsgGroupExists, g.Name))
	}
	g.ObjectType, g.Custom, g.Archived = t.Key(), true, false
	i, found := ts.findGroup(g.Name)
	if found {
		// An archived group's name is free again.
		ts.groups[i] = g
	} else {
		ts.groups = slices.Insert(ts.groups, i, g)
	}
	if err := tx.putSchema(t.Key(), ts); err != nil {
		return PropertyGroupInfo{}, err
	}
	return g, nil
}

func (ts *typeSchema) findGroup(name string) (int, bool) {
	return slices.BinarySearchFunc(ts.groups, name, func(e PropertyGroupInfo, n string) int { return strings.Compare(e.Name, n) })
}

// UpdatePropertyGroup changes a live group's label and display order (nil:
// unchanged); HubSpot's groups may be relabelled too.
func (tx *Tx) UpdatePropertyGroup(typeKey, name string, label *string, displayOrder *int) (PropertyGroupInfo, error) {
	t, ts, err := tx.editable(typeKey)
	if err != nil {
		return PropertyGroupInfo{}, err
	}
	i := slices.IndexFunc(tx.PropertyGroups(t.Key()), func(g PropertyGroupInfo) bool { return g.Name == name })
	if i < 0 {
		return PropertyGroupInfo{}, notFound(fmt.Sprintf(MsgGroupUnknown, name, t.Key()))
	}
	g := tx.PropertyGroups(t.Key())[i]
	if label != nil {
		if *label == "" {
			return PropertyGroupInfo{}, invalid("label must not be empty", Detail{Message: "label must not be empty", In: "label"})
		}
		g.Label = *label
	}
	if displayOrder != nil {
		g.DisplayOrder = *displayOrder
	}
	if j, found := ts.findGroup(name); found {
		ts.groups[j] = g
	} else {
		ts.groups = slices.Insert(ts.groups, j, g)
	}
	if err := tx.putSchema(t.Key(), ts); err != nil {
		return PropertyGroupInfo{}, err
	}
	return g, nil
}

// ArchivePropertyGroup archives a group the portal created. HubSpot's
// groups stay, and so does a group live properties belong to: they would be
// left without one.
func (tx *Tx) ArchivePropertyGroup(typeKey, name string) error {
	t, ts, err := tx.editable(typeKey)
	if err != nil {
		return err
	}
	j, found := ts.findGroup(name)
	switch {
	case found && ts.groups[j].Archived:
		return nil
	case !slices.ContainsFunc(t.Groups(), func(g *schema.PropertyGroup) bool { return g.Name == name }):
		return notFound(fmt.Sprintf(MsgGroupUnknown, name, t.Key()))
	case !found || !ts.groups[j].Custom:
		return invalid(fmt.Sprintf("Property group '%s' is defined by HubSpot and cannot be archived", name))
	}
	for _, p := range t.Properties() {
		if p.GroupName == name {
			return invalid(fmt.Sprintf("Property group '%s' cannot be archived while property '%s' belongs to it", name, p.Name))
		}
	}
	ts.groups[j].Archived = true
	return tx.putSchema(t.Key(), ts)
}

// buildSchema checks the schema sections of a state document (custom
// object types, then properties and groups) and returns the domain's part.
func buildSchema(portalID int64, cfg *Config, snap *Snapshot, fail func(in, format string, args ...any)) schemaPart {
	types := map[string]*typeSchema{}
	names := map[string]bool{}
	for i, ct := range snap.ObjectTypes {
		at := fmt.Sprintf("objectTypes[%d]", i)
		switch {
		case !schema.IsCustomTypeID(ct.ID):
			fail(at+".id", "a custom object type id is 2-N, got %q", ct.ID)
			continue
		case types[ct.ID] != nil:
			fail(at+".id", "object type %s is defined twice", ct.ID)
			continue
		case names[strings.ToLower(ct.Name)]:
			// Names are looked up in any case, so they differ in more than case.
			fail(at+".name", "object type name %q is used twice", ct.Name)
			continue
		}
		ct := ct
		types[ct.ID] = &typeSchema{custom: &ct}
		names[strings.ToLower(ct.Name)] = true
	}
	typeOf := func(at, spelling string) (string, *typeSchema, bool) {
		key := spelling
		switch {
		case schema.IsCustomTypeID(spelling):
			if types[key] == nil {
				fail(at+".objectType", "custom object type %s is not defined in objectTypes", spelling)
				return "", nil, false
			}
		case cfg.Schema == nil:
			fail(at+".objectType", "unknown object type %q", spelling)
			return "", nil, false
		default:
			st, ok := cfg.Schema.Type(spelling)
			if !ok {
				fail(at+".objectType", "unknown object type %q", spelling)
				return "", nil, false
			}
			key = st.Key()
		}
		if types[key] == nil {
			types[key] = &typeSchema{}
		}
		return key, types[key], true
	}
	for i, g := range snap.PropertyGroups {
		at := fmt.Sprintf("propertyGroups[%d]", i)
		key, ts, ok := typeOf(at, g.ObjectType)
		if !ok {
			continue
		}
		if msg := schema.CheckPropertyName(g.Name); msg != "" {
			fail(at+".name", "%s", msg)
			continue
		}
		if slices.ContainsFunc(ts.groups, func(e PropertyGroupInfo) bool { return e.Name == g.Name }) {
			fail(at+".name", "group %q is defined twice", g.Name)
			continue
		}
		g.ObjectType, g.Custom = key, true
		ts.groups = append(ts.groups, g)
	}
	for i, p := range snap.Properties {
		at := fmt.Sprintf("properties[%d]", i)
		key, ts, ok := typeOf(at, p.ObjectType)
		if !ok {
			continue
		}
		if _, dup := ts.find(p.Name); dup {
			fail(at+".name", "property %q of %s is defined twice", p.Name, key)
			continue
		}
		if msg := schema.CheckPropertyName(p.Name); msg != "" && !p.HubspotDefined {
			fail(at+".name", "%s", msg)
			continue
		}
		p.ObjectType, p.Custom = key, !p.HubspotDefined
		switch {
		case p.Archived && p.ArchivedAt.IsZero():
			fail(at+".archivedAt", "archivedAt is required for an archived property")
			continue
		case !p.Archived && !p.ArchivedAt.IsZero():
			fail(at+".archivedAt", "archivedAt is only for archived properties")
			continue
		}
		ts.insert(p)
	}
	b := immutable.NewSortedMapBuilder[string, *typeSchema](immutable.NewComparer(""))
	keys := make([]string, 0, len(types))
	for k := range types {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		ts := types[k]
		slices.SortFunc(ts.groups, func(a, b PropertyGroupInfo) int { return strings.Compare(a.Name, b.Name) })
		if err := ts.build(portalID, cfg, k); err != nil {
			fail("objectTypes", "%s: %s", k, err)
			continue
		}
		b.Set(k, ts)
	}
	return schemaPart{types: b.Map()}
}

// snapshotSchema adds the schema domain to an exported document.
func (v *View) snapshotSchema(out *Snapshot) {
	itr := v.schemaTypes().types.Iterator()
	for !itr.Done() {
		_, ts, _ := itr.Next()
		if ts.custom != nil {
			out.ObjectTypes = append(out.ObjectTypes, *ts.custom)
		}
		out.Properties = append(out.Properties, ts.props...)
		out.PropertyGroups = append(out.PropertyGroups, ts.groups...)
	}
}
