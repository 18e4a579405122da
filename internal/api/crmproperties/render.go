package crmproperties

import (
	"time"

	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/store"
)

// propertyBody is a property on the wire (HubSpot's Property), in the key
// order HubSpot's answers show. description and options are always present
// (the contract requires them); HubSpot leaves hubspotDefined out of custom
// properties and timestamps out of definitions nobody changed.
type propertyBody struct {
	UpdatedAt            string         `json:"updatedAt,omitempty"`
	CreatedAt            string         `json:"createdAt,omitempty"`
	ArchivedAt           string         `json:"archivedAt,omitempty"`
	Name                 string         `json:"name"`
	Label                string         `json:"label"`
	Type                 string         `json:"type"`
	FieldType            string         `json:"fieldType"`
	Description          string         `json:"description"`
	GroupName            string         `json:"groupName"`
	Options              []optionBody   `json:"options"`
	DisplayOrder         int            `json:"displayOrder"`
	Calculated           bool           `json:"calculated"`
	ExternalOptions      bool           `json:"externalOptions"`
	HasUniqueValue       bool           `json:"hasUniqueValue"`
	Hidden               bool           `json:"hidden"`
	HubspotDefined       bool           `json:"hubspotDefined,omitempty"`
	ModificationMetadata modificationMD `json:"modificationMetadata"`
	FormField            bool           `json:"formField"`
	ReferencedObjectType string         `json:"referencedObjectType,omitempty"`
	Archived             bool           `json:"archived"`
}

// optionBody is one option of an enumeration or bool property.
type optionBody struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
	Description  string `json:"description,omitempty"`
}

// modificationMD says what a client may change of a property: HubSpot's own
// definitions can be neither archived nor redefined, and only properties
// the portal created can be archived (not those defining a custom object
// type).
type modificationMD struct {
	Archivable         bool `json:"archivable"`
	ReadOnlyDefinition bool `json:"readOnlyDefinition"`
	ReadOnlyValue      bool `json:"readOnlyValue"`
}

// collection is HubSpot's list answer without paging.
type collection[T any] struct {
	Results []T `json:"results"`
}

// groupBody is a property group on the wire.
type groupBody struct {
	Name         string `json:"name"`
	Label        string `json:"label"`
	DisplayOrder int    `json:"displayOrder"`
	Archived     bool   `json:"archived"`
}

// stamp is a time on the wire, or nothing for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return endpoint.FormatTime(t)
}

// render shapes one property.
func render(p store.PropertyInfo) propertyBody {
	out := propertyBody{
		UpdatedAt:            stamp(p.UpdatedAt),
		CreatedAt:            stamp(p.CreatedAt),
		Name:                 p.Name,
		Label:                p.Label,
		Type:                 p.Type,
		FieldType:            p.FieldType,
		Description:          p.Description,
		GroupName:            p.GroupName,
		Options:              make([]optionBody, 0, len(p.Options)),
		DisplayOrder:         p.DisplayOrder,
		Calculated:           p.Calculated,
		ExternalOptions:      p.ExternalOptions,
		HasUniqueValue:       p.HasUniqueValue,
		Hidden:               p.Hidden,
		HubspotDefined:       p.HubspotDefined,
		FormField:            p.FormField,
		ReferencedObjectType: p.ReferencedObjectType,
		Archived:             p.Archived,
		ModificationMetadata: modificationMD{
			Archivable:         p.Custom && !p.HubspotDefined,
			ReadOnlyDefinition: p.HubspotDefined,
			ReadOnlyValue:      p.ReadOnlyValue,
		},
	}
	if p.Archived {
		out.ArchivedAt = stamp(p.ArchivedAt)
	}
	for _, o := range p.Options {
		out.Options = append(out.Options, optionBody{Label: o.Label, Value: o.Value, DisplayOrder: o.DisplayOrder, Hidden: o.Hidden, Description: o.Description})
	}
	return out
}

// renderAll shapes a list of properties.
func renderAll(ps []store.PropertyInfo) []propertyBody {
	out := make([]propertyBody, 0, len(ps))
	for _, p := range ps {
		out = append(out, render(p))
	}
	return out
}

// renderGroup shapes one property group.
func renderGroup(g store.PropertyGroupInfo) groupBody {
	return groupBody{Name: g.Name, Label: g.Label, DisplayOrder: g.DisplayOrder, Archived: g.Archived}
}
