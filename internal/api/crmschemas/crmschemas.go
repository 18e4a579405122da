// Package crmschemas serves HubSpot's custom object schemas API: list,
// create, read, update and delete a portal's custom object types, and add
// or remove the object types their records may be associated with, in v3
// (under /crm-object-schemas/v3/schemas and /crm/v3/schemas) and 2026-03.
// Its operations are in the crm-schemas source of our documents; Register
// binds each operationId to its handler.
//
// The store keeps the types as a state document declares them and checks
// every change; this package shapes the answers. A type created here is one
// the objects, properties and associations APIs serve at once.
package crmschemas

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/api/crmproperties"
	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/store"
)

// Deps is what the family needs from the server.
type Deps struct {
	// Clock stamps every write.
	Clock clock.Clock
}

// Register binds the family's operations.
func Register(reg *endpoint.Registry, d Deps) {
	s := schemas{clock: d.Clock}
	reg.Handle("schemas-list", s.list)
	endpoint.HandleBody(reg, "schemas-create", s.create)
	reg.Handle("schemas-read", s.read)
	endpoint.HandleBody(reg, "schemas-update", s.update)
	reg.Handle("schemas-delete", s.delete)
	endpoint.HandleBody(reg, "schemas-associations-create", s.addAssociation)
	reg.Handle("schemas-associations-delete", s.removeAssociation)
}

type schemas struct {
	clock clock.Clock
}

// labels are a type's display names on the wire.
type labels struct {
	Singular string `json:"singular,omitempty"`
	Plural   string `json:"plural,omitempty"`
}

// optionInput is an option of a property of a create body.
type optionInput struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	Description  string `json:"description"`
	DisplayOrder *int   `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// propertyInput is a property of a create body. Fields HubSpot accepts that
// mockhub does not keep are validated by the contract and dropped.
type propertyInput struct {
	Name                 string        `json:"name"`
	Label                string        `json:"label"`
	Type                 string        `json:"type"`
	FieldType            string        `json:"fieldType"`
	GroupName            string        `json:"groupName"`
	Description          string        `json:"description"`
	Options              []optionInput `json:"options"`
	HasUniqueValue       bool          `json:"hasUniqueValue"`
	ReferencedObjectType string        `json:"referencedObjectType"`
}

// createInput is the body of schemas-create.
type createInput struct {
	Name                       string          `json:"name"`
	Labels                     labels          `json:"labels"`
	Description                string          `json:"description"`
	PrimaryDisplayProperty     string          `json:"primaryDisplayProperty"`
	SecondaryDisplayProperties []string        `json:"secondaryDisplayProperties"`
	RequiredProperties         []string        `json:"requiredProperties"`
	SearchableProperties       []string        `json:"searchableProperties"`
	Properties                 []propertyInput `json:"properties"`
	AssociatedObjects          []string        `json:"associatedObjects"`
}

// updateInput is the body of schemas-update: nil fields are left alone.
type updateInput struct {
	Labels                     *labels   `json:"labels"`
	Description                *string   `json:"description"`
	ClearDescription           bool      `json:"clearDescription"`
	PrimaryDisplayProperty     *string   `json:"primaryDisplayProperty"`
	SecondaryDisplayProperties *[]string `json:"secondaryDisplayProperties"`
	RequiredProperties         *[]string `json:"requiredProperties"`
	SearchableProperties       *[]string `json:"searchableProperties"`
}

// associationInput is the body of schemas-associations-create.
type associationInput struct {
	FromObjectTypeID string `json:"fromObjectTypeId"`
	ToObjectTypeID   string `json:"toObjectTypeId"`
	Name             string `json:"name"`
}

// definitionBody is a type without its properties and associations
// (HubSpot's ObjectTypeDefinition, the answer of an update).
type definitionBody struct {
	ID                         string   `json:"id"`
	ObjectTypeID               string   `json:"objectTypeId"`
	FullyQualifiedName         string   `json:"fullyQualifiedName"`
	Name                       string   `json:"name"`
	PortalID                   int64    `json:"portalId"`
	Labels                     labels   `json:"labels"`
	Description                string   `json:"description,omitempty"`
	PrimaryDisplayProperty     string   `json:"primaryDisplayProperty,omitempty"`
	SecondaryDisplayProperties []string `json:"secondaryDisplayProperties"`
	RequiredProperties         []string `json:"requiredProperties"`
	SearchableProperties       []string `json:"searchableProperties"`
	Archived                   bool     `json:"archived"`
	CreatedAt                  string   `json:"createdAt,omitempty"`
	UpdatedAt                  string   `json:"updatedAt,omitempty"`
}

// schemaBody is a type with its properties and associations (HubSpot's
// ObjectSchema).
type schemaBody struct {
	definitionBody
	Properties   []any             `json:"properties"`
	Associations []associationBody `json:"associations"`
}

// associationBody is one object type a custom type is associated with; id
// is the default association type from the custom type.
type associationBody struct {
	ID               string `json:"id"`
	FromObjectTypeID string `json:"fromObjectTypeId"`
	ToObjectTypeID   string `json:"toObjectTypeId"`
	CreatedAt        string `json:"createdAt,omitempty"`
	UpdatedAt        string `json:"updatedAt,omitempty"`
}

type collection struct {
	Results []schemaBody `json:"results"`
}

// stamp is a time on the wire, or nothing for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return endpoint.FormatTime(t)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func definition(portalID int64, ct store.CustomObjectType) definitionBody {
	searchable := ct.SearchableProperties
	if len(searchable) == 0 && ct.PrimaryDisplayProperty != "" {
		// The type searches its primary display property when it names no
		// other (schema.NewCustomType).
		searchable = []string{ct.PrimaryDisplayProperty}
	}
	return definitionBody{
		ID:                         strings.TrimPrefix(ct.ID, "2-"),
		ObjectTypeID:               ct.ID,
		FullyQualifiedName:         schema.FullyQualifiedName(portalID, ct.Name),
		Name:                       ct.Name,
		PortalID:                   portalID,
		Labels:                     labels{Singular: ct.Labels.Singular, Plural: ct.Labels.Plural},
		Description:                ct.Description,
		PrimaryDisplayProperty:     ct.PrimaryDisplayProperty,
		SecondaryDisplayProperties: orEmpty(ct.SecondaryDisplayProperties),
		RequiredProperties:         orEmpty(ct.RequiredProperties),
		SearchableProperties:       orEmpty(searchable),
		CreatedAt:                  stamp(ct.CreatedAt),
		UpdatedAt:                  stamp(ct.UpdatedAt),
	}
}

func association(v *store.View, ct store.CustomObjectType, a store.CustomAssociation) associationBody {
	return associationBody{ID: strconv.Itoa(int(a.TypeID)), FromObjectTypeID: ct.ID, ToObjectTypeID: v.ObjectTypeID(a.ToObjectType)}
}

// render shapes a type with its live properties and its associations.
func render(v *store.View, portalID int64, ct store.CustomObjectType) schemaBody {
	out := schemaBody{definitionBody: definition(portalID, ct), Properties: []any{}, Associations: []associationBody{}}
	for _, p := range v.Properties(ct.ID, false) {
		out.Properties = append(out.Properties, crmproperties.Render(p))
	}
	for _, a := range ct.Associations {
		out.Associations = append(out.Associations, association(v, ct, a))
	}
	return out
}

// param is a path parameter percent-decoded.
func param(c *endpoint.Call, name string) string { return c.DecodedParam(name) }

func archivedQuery(c *endpoint.Call) bool {
	archived, _ := strconv.ParseBool(c.Query().Get("archived"))
	return archived
}

// notFound is the 404 of a type no spelling names.
func notFound(spelling string) error {
	return apierr.NotFound(fmt.Sprintf(store.MsgObjectTypeNotFound, spelling))
}

func (s schemas) list(c *endpoint.Call) (endpoint.Reply, error) {
	out := collection{Results: []schemaBody{}}
	if !archivedQuery(c) {
		// No type is kept archived: a deleted one is removed.
		c.Portal().View(func(v *store.View) {
			for _, ct := range v.CustomObjectTypes() {
				out.Results = append(out.Results, render(v, c.Portal().ID(), ct))
			}
		})
	}
	return endpoint.Reply{Status: http.StatusOK, Body: out}, nil
}

func (s schemas) read(c *endpoint.Call) (endpoint.Reply, error) {
	spelling := param(c, "schemaType")
	var out schemaBody
	found := false
	c.Portal().View(func(v *store.View) {
		var ct store.CustomObjectType
		if ct, found = v.CustomObjectType(spelling); found {
			out = render(v, c.Portal().ID(), ct)
		}
	})
	if !found || archivedQuery(c) {
		return endpoint.Reply{}, notFound(spelling)
	}
	return endpoint.Reply{Status: http.StatusOK, Body: out}, nil
}

// definition is the type a create body asks for.
func (in *createInput) definition() store.CustomObjectType {
	ct := store.CustomObjectType{
		Name:                       in.Name,
		Labels:                     fixtures.CRMLabels{Singular: in.Labels.Singular, Plural: in.Labels.Plural},
		Description:                in.Description,
		PrimaryDisplayProperty:     in.PrimaryDisplayProperty,
		SecondaryDisplayProperties: in.SecondaryDisplayProperties,
		RequiredProperties:         in.RequiredProperties,
		SearchableProperties:       in.SearchableProperties,
		Properties:                 make([]fixtures.CRMProperty, 0, len(in.Properties)),
		AssociatedObjects:          in.AssociatedObjects,
	}
	for _, p := range in.Properties {
		opts := make([]fixtures.CRMOption, 0, len(p.Options))
		for _, o := range p.Options {
			order := -1
			if o.DisplayOrder != nil {
				order = *o.DisplayOrder
			}
			opts = append(opts, fixtures.CRMOption{Label: o.Label, Value: o.Value, Description: o.Description, DisplayOrder: order, Hidden: o.Hidden})
		}
		ct.Properties = append(ct.Properties, fixtures.CRMProperty{
			Name: p.Name, Label: p.Label, Type: p.Type, FieldType: p.FieldType, GroupName: p.GroupName,
			Description: p.Description, Options: opts, HasUniqueValue: p.HasUniqueValue, ReferencedObjectType: p.ReferencedObjectType,
		})
	}
	return ct
}

func (s schemas) create(c *endpoint.Call, in *createInput) (endpoint.Reply, error) {
	var out schemaBody
	err := c.Portal().Update(func(tx *store.Tx) error {
		ct, err := tx.CreateObjectType(in.definition(), s.clock.Now())
		if err != nil {
			return err
		}
		out = render(&tx.View, c.Portal().ID(), ct)
		return nil
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusCreated, Body: out}, nil
}

func (s schemas) update(c *endpoint.Call, in *updateInput) (endpoint.Reply, error) {
	patch := store.CustomTypePatch{
		Description: in.Description, PrimaryDisplayProperty: in.PrimaryDisplayProperty,
		SecondaryDisplayProperties: in.SecondaryDisplayProperties, RequiredProperties: in.RequiredProperties,
		SearchableProperties: in.SearchableProperties,
	}
	if in.ClearDescription {
		patch.Description = new(string)
	}
	if in.Labels != nil {
		patch.Labels = &fixtures.CRMLabels{Singular: in.Labels.Singular, Plural: in.Labels.Plural}
	}
	var out definitionBody
	err := c.Portal().Update(func(tx *store.Tx) error {
		ct, err := tx.UpdateObjectType(param(c, "schemaType"), patch, s.clock.Now())
		if err != nil {
			return err
		}
		out = definition(c.Portal().ID(), ct)
		return nil
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusOK, Body: out}, nil
}

func (s schemas) delete(c *endpoint.Call) (endpoint.Reply, error) {
	spelling := param(c, "schemaType")
	err := c.Portal().Update(func(tx *store.Tx) error {
		if _, ok := tx.CustomObjectType(spelling); !ok && archivedQuery(c) {
			// The purge of an archived type: a deleted type is gone
			// already, which is what the client asks for.
			return nil
		}
		return tx.DeleteObjectType(spelling)
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.NoContent, nil
}

func (s schemas) addAssociation(c *endpoint.Call, in *associationInput) (endpoint.Reply, error) {
	var out associationBody
	err := c.Portal().Update(func(tx *store.Tx) error {
		now := s.clock.Now()
		a, err := tx.AddObjectTypeAssociation(param(c, "schemaType"), in.ToObjectTypeID, now)
		if err != nil {
			return err
		}
		ct, _ := tx.CustomObjectType(param(c, "schemaType"))
		out = association(&tx.View, ct, a)
		out.CreatedAt, out.UpdatedAt = stamp(now), stamp(now)
		return nil
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusCreated, Body: out}, nil
}

func (s schemas) removeAssociation(c *endpoint.Call) (endpoint.Reply, error) {
	spelling, raw := param(c, "schemaType"), param(c, "associationIdentifier")
	err := c.Portal().Update(func(tx *store.Tx) error {
		id, err := strconv.ParseInt(raw, 10, 32)
		if err != nil || id <= 0 {
			ct, ok := tx.CustomObjectType(spelling)
			if !ok {
				return notFound(spelling)
			}
			return apierr.NotFound(fmt.Sprintf(store.MsgAssociationNotFound, raw, ct.ID))
		}
		return tx.RemoveObjectTypeAssociation(spelling, int32(id), s.clock.Now())
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.NoContent, nil
}
