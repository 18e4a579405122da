// Package schema holds the CRM object types mockhub keeps records for
// (contacts, companies, deals, tickets): their property catalogs, the
// properties HubSpot returns and searches by default, unique identifiers,
// pipelines, and the rules that check and normalise a property value the way
// HubSpot does before it is stored.
//
// Object types are data, not code: everything here comes from the embedded
// fixtures (fixtures/crm-schema.json), so adding another type is a fixtures
// entry. A Catalog is immutable once built and safe for concurrent use: the
// *Property, *Pipeline, *Stage and *PropertyGroup values it hands out are
// shared, so callers read them and never modify them (slices and maps that
// methods of ObjectType return are copies).
package schema

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/objecttype"
)

// PropertyType is a property's data type in HubSpot's Properties API.
type PropertyType string

// The property types HubSpot defines.
const (
	TypeString      PropertyType = "string"
	TypeNumber      PropertyType = "number"
	TypeBool        PropertyType = "bool"
	TypeDate        PropertyType = "date"
	TypeDateTime    PropertyType = "datetime"
	TypeEnumeration PropertyType = "enumeration"
	TypePhoneNumber PropertyType = "phone_number"
)

var propertyTypes = []PropertyType{TypeString, TypeNumber, TypeBool, TypeDate, TypeDateTime, TypeEnumeration, TypePhoneNumber}

// fieldTypes are the fieldType values HubSpot's Properties API documents.
var fieldTypes = []string{"text", "textarea", "number", "booleancheckbox", "date", "select", "radio", "checkbox", "phonenumber", "calculation_equation", "file", "html"}

// Formats a string or externally sourced value can be constrained to.
const (
	FormatEmail     = "email"
	FormatEmailList = "email-list"
)

// Referenced object types of enumerations whose options live outside the
// property (HubSpot's referencedObjectType).
const (
	RefPipeline      = "PIPELINE"
	RefPipelineStage = "PIPELINE_STAGE"
	RefOwner         = "OWNER"
)

// Option is one allowed value of an enumeration or bool property.
type Option struct {
	Label        string
	Value        string
	DisplayOrder int
	Hidden       bool
	Description  string
}

// Property is one property definition.
type Property struct {
	Name                 string
	Label                string
	Type                 PropertyType
	FieldType            string
	GroupName            string
	Description          string
	Options              []Option
	ReadOnlyValue        bool
	HasUniqueValue       bool
	Calculated           bool
	ExternalOptions      bool
	HubspotDefined       bool
	ReferencedObjectType string
	Format               string

	// optionValues indexes Options by value; values lists them in
	// displayOrder for INVALID_OPTION messages.
	optionValues map[string]bool
	valuesList   string
}

// MultiValued reports whether the property holds several options separated
// by ';' (HubSpot's multiple checkboxes).
func (p *Property) MultiValued() bool {
	return p.FieldType == "checkbox"
}

// PropertyGroup is a named group of properties.
type PropertyGroup struct {
	Name         string
	Label        string
	DisplayOrder int
}

// Stage is one pipeline stage.
type Stage struct {
	ID           string
	Label        string
	DisplayOrder int
	Metadata     map[string]string
}

// Pipeline is one pipeline with its stages in display order.
type Pipeline struct {
	ID           string
	Label        string
	DisplayOrder int
	Stages       []*Stage

	byID map[string]*Stage
}

// Stage returns the stage with the given id.
func (p *Pipeline) Stage(id string) (*Stage, bool) {
	s, ok := p.byID[id]
	return s, ok
}

// ObjectType is one CRM object type and everything the fixtures say about it.
// Slices returned by its methods are copies the caller may keep and change.
type ObjectType struct {
	ID                     string
	Name                   string
	Plural                 string
	SingularLabel          string
	PluralLabel            string
	PrimaryDisplayProperty string
	// Custom is true for a portal's own object type (2-N), whose
	// FullyQualifiedName (p{portalId}_{name}) also names it in paths.
	Custom             bool
	FullyQualifiedName string
	// PipelineProperty and StageProperty name the properties holding a
	// record's pipeline and stage ("pipeline"/"dealstage" for deals,
	// "hs_pipeline"/"hs_pipeline_stage" for tickets); empty for types
	// without pipelines.
	PipelineProperty string
	StageProperty    string

	key          objecttype.Type
	defaults     []string
	alwaysAdded  []string
	searchable   []string
	unique       []string
	created      map[string]string
	groups       []*PropertyGroup
	props        []*Property
	byName       map[string]*Property
	pipelines    []*Pipeline
	pipelineByID map[string]*Pipeline
	stageOwner   map[string]*Pipeline
}

// Key is the type's key in state and fixtures (objecttype.Type.Key).
func (t *ObjectType) Key() string { return t.key.Key() }

// Property returns the property with the given name. Names are matched
// exactly: HubSpot's internal names are lower-case.
func (t *ObjectType) Property(name string) (*Property, bool) {
	p, ok := t.byName[name]
	return p, ok
}

// Properties returns the property catalog in fixture order.
func (t *ObjectType) Properties() []*Property { return slices.Clone(t.props) }

// Groups returns the property groups in display order.
func (t *ObjectType) Groups() []*PropertyGroup { return slices.Clone(t.groups) }

// DefaultProperties returns the properties returned when a read, list or
// search names none, sorted by name.
func (t *ObjectType) DefaultProperties() []string { return slices.Clone(t.defaults) }

// AlwaysAddedProperties returns the properties HubSpot adds to every
// requested property list, sorted by name.
func (t *ObjectType) AlwaysAddedProperties() []string { return slices.Clone(t.alwaysAdded) }

// SearchableProperties returns the properties a search's free-text query
// looks in, in fixture order.
func (t *ObjectType) SearchableProperties() []string { return slices.Clone(t.searchable) }

// UniqueProperties returns the properties whose values identify one record
// (usable as idProperty), sorted by name.
func (t *ObjectType) UniqueProperties() []string { return slices.Clone(t.unique) }

// IsUnique reports whether name is one of UniqueProperties.
func (t *ObjectType) IsUnique(name string) bool {
	_, found := slices.BinarySearch(t.unique, name)
	return found
}

// CreatedValues returns the fixed values HubSpot sets on every new record of
// the type (hs_object_source, lifecyclestage "lead", ...). Values the client
// sends win over these; ids and timestamps are the store's to set.
func (t *ObjectType) CreatedValues() map[string]string {
	out := make(map[string]string, len(t.created))
	for k, v := range t.created {
		out[k] = v
	}
	return out
}

// ReturnedProperties returns the property names a read answers with: the
// defaults when requested is empty, otherwise requested plus the always-added
// ones; deduplicated and sorted by name (HubSpot lists keys alphabetically).
// Names outside the catalog are kept: the caller decides what an unknown name
// means (custom properties live in the store, not here).
func (t *ObjectType) ReturnedProperties(requested []string) []string {
	if len(requested) == 0 {
		return t.DefaultProperties()
	}
	out := make([]string, 0, len(requested)+len(t.alwaysAdded))
	out = append(out, requested...)
	out = append(out, t.alwaysAdded...)
	sort.Strings(out)
	return slices.Compact(out)
}

// Catalog is the set of CRM object types.
type Catalog struct {
	reg   *objecttype.Registry
	types []*ObjectType
	byKey map[string]*ObjectType
}

// Type returns the object type any spelling objecttype accepts names ("0-1",
// "contact", "Contacts", ...).
func (c *Catalog) Type(spelling string) (*ObjectType, bool) {
	rt, ok := c.reg.Resolve(spelling)
	if !ok {
		return nil, false
	}
	t, ok := c.byKey[rt.Key()]
	return t, ok
}

// Types returns the object types in fixture order.
func (c *Catalog) Types() []*ObjectType { return slices.Clone(c.types) }

var (
	defaultOnce    sync.Once
	defaultCatalog *Catalog
	defaultErr     error
)

// Default returns the catalog of the embedded fixtures, built once.
func Default() (*Catalog, error) {
	defaultOnce.Do(func() {
		reg, err := objecttype.Default()
		if err != nil {
			defaultErr = err
			return
		}
		doc, err := fixtures.CRMSchemaDocument()
		if err != nil {
			defaultErr = err
			return
		}
		defaultCatalog, defaultErr = New(doc, reg)
	})
	return defaultCatalog, defaultErr
}

// New builds a catalog from a schema document. Every type must be known to
// reg under the same id and name. It fails on duplicates and on anything
// inconsistent: a default, always-added, searchable, unique or created
// property missing from the catalog, a property in an unknown group, an
// unknown type or fieldType, an enumeration without options, a stage id used
// twice, pipeline properties that do not fit the pipelines.
func New(doc fixtures.CRMSchema, reg *objecttype.Registry) (*Catalog, error) {
	c := &Catalog{reg: reg, byKey: map[string]*ObjectType{}}
	for _, def := range doc.ObjectTypes {
		t, err := newObjectType(def, reg)
		if err != nil {
			return nil, fmt.Errorf("schema: object type %q: %w", def.Name, err)
		}
		if _, dup := c.byKey[t.Key()]; dup {
			return nil, fmt.Errorf("schema: object type %q defined twice", def.Name)
		}
		c.byKey[t.Key()] = t
		c.types = append(c.types, t)
	}
	return c, nil
}
