package crmproperties

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/objecttype"
	"github.com/mockhub/mockhub/internal/store"
)

// msgNeedsOptions refuses an enumeration without options, naming the
// field; the store's other refusals of a definition keep its words.
const msgNeedsOptions = "Enumeration properties need at least one option"

// defaultDisplayOrder places a property, option or group given no
// displayOrder after those that have one, as HubSpot's -1 does.
const defaultDisplayOrder = -1

// properties serves the family's operations.
type properties struct {
	clock clock.Clock
}

// optionInput is an option of a create or update body.
type optionInput struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	DisplayOrder *int   `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
	Description  string `json:"description"`
}

// createInput is the body of properties-create and an input of batch create.
// Fields HubSpot accepts that mockhub does not keep (calculationFormula,
// numberDisplayHint, ...) are validated by the contract and dropped.
type createInput struct {
	Name           string        `json:"name"`
	Label          string        `json:"label"`
	Type           string        `json:"type"`
	FieldType      string        `json:"fieldType"`
	GroupName      string        `json:"groupName"`
	Description    string        `json:"description,omitempty"`
	Options        []optionInput `json:"options,omitempty"`
	DisplayOrder   *int          `json:"displayOrder,omitempty"`
	HasUniqueValue bool          `json:"hasUniqueValue,omitempty"`
	Hidden         bool          `json:"hidden,omitempty"`
	FormField      bool          `json:"formField,omitempty"`
	// An enumeration with externalOptions takes its options from elsewhere
	// (referencedObjectType OWNER: the portal's users), so needs none.
	ExternalOptions      bool   `json:"externalOptions,omitempty"`
	ReferencedObjectType string `json:"referencedObjectType,omitempty"`
}

// updateInput is the body of properties-update: nil fields are left alone.
type updateInput struct {
	Label        *string        `json:"label"`
	Type         *string        `json:"type"`
	FieldType    *string        `json:"fieldType"`
	GroupName    *string        `json:"groupName"`
	Description  *string        `json:"description"`
	Options      *[]optionInput `json:"options"`
	DisplayOrder *int           `json:"displayOrder"`
	Hidden       *bool          `json:"hidden"`
	FormField    *bool          `json:"formField"`
}

func (u *updateInput) empty() bool { return *u == updateInput{} }

// options turns input options into the catalog's.
func options(in []optionInput) []fixtures.CRMOption {
	out := make([]fixtures.CRMOption, 0, len(in))
	for _, o := range in {
		order := defaultDisplayOrder
		if o.DisplayOrder != nil {
			order = *o.DisplayOrder
		}
		out = append(out, fixtures.CRMOption{Label: o.Label, Value: o.Value, DisplayOrder: order, Hidden: o.Hidden, Description: o.Description})
	}
	return out
}

// definition is the property a create input asks for.
func (in *createInput) definition(typeKey string) store.PropertyInfo {
	order := defaultDisplayOrder
	if in.DisplayOrder != nil {
		order = *in.DisplayOrder
	}
	return store.PropertyInfo{
		ObjectType: typeKey,
		CRMProperty: fixtures.CRMProperty{
			Name:                 in.Name,
			Label:                in.Label,
			Type:                 in.Type,
			FieldType:            in.FieldType,
			GroupName:            in.GroupName,
			Description:          in.Description,
			Options:              options(in.Options),
			HasUniqueValue:       in.HasUniqueValue,
			ExternalOptions:      in.ExternalOptions,
			ReferencedObjectType: in.ReferencedObjectType,
		},
		DisplayOrder: order,
		Hidden:       in.Hidden,
		FormField:    in.FormField,
		Custom:       true,
	}
}

// objectType returns the portal's type named by the call's path. The
// router has already refused spellings no object type has; a type the
// portal does not have gets the same answer.
func objectType(c *endpoint.Call, v *store.View) (*schema.ObjectType, error) {
	key := endpoint.Value[objecttype.Type](c, "objectType").Key()
	if t, ok := v.ObjectType(key); ok {
		return t, nil
	}
	msg := fmt.Sprintf(store.MsgUnknownObjectType, c.Param("objectType"))
	return nil, apierr.Validation(msg, apierr.Detail{Message: msg, In: "objectType"})
}

// typeOf is objectType on the portal's current state, for calls that read
// nothing else (batch specs).
func typeOf(c *endpoint.Call) (*schema.ObjectType, error) {
	var t *schema.ObjectType
	var err error
	c.Portal().View(func(v *store.View) { t, err = objectType(c, v) })
	return t, err
}

// pathName is a path parameter percent-decoded, as crmobjects decodes ids.
func pathName(c *endpoint.Call, param string) string { return c.DecodedParam(param) }

func archivedQuery(c *endpoint.Call) bool {
	archived, _ := strconv.ParseBool(c.Query().Get("archived"))
	return archived
}

// propertyNotFound is the 404 of a property name, naming it in context.
func propertyNotFound(name, typeKey string) *apierr.Error {
	e := apierr.NotFound(fmt.Sprintf(store.MsgPropertyNotFound, name, typeKey))
	e.Context = map[string][]string{"propertyName": {name}}
	return e
}

// invalidField is a 400 naming the field at fault.
func invalidField(field, msg string) *apierr.Error {
	return apierr.Validation(msg, apierr.Detail{Message: msg, In: field})
}

// needsOptions refuses an enumeration without options (unless they come
// from elsewhere) naming the options field, which the store's refusal does
// not.
func needsOptions(typ string, options []fixtures.CRMOption, external bool) error {
	if typ == string(schema.TypeEnumeration) && len(options) == 0 && !external {
		return invalidField("options", msgNeedsOptions)
	}
	return nil
}

// answer is a store error of property name as HubSpot answers it: the
// store's words, a 404 naming the property in context.
func answer(err error, name string) error {
	if err == nil {
		return nil
	}
	e := apierr.From(err)
	if e.Status == http.StatusNotFound {
		e.Context = map[string][]string{"propertyName": {name}}
	}
	return e
}

// createIn creates one property inside tx, as properties-create and each
// input of batch create do.
func (p properties) createIn(tx *store.Tx, typeKey string, in *createInput) (store.PropertyInfo, error) {
	def := in.definition(typeKey)
	if err := needsOptions(def.Type, def.Options, def.ExternalOptions); err != nil {
		return store.PropertyInfo{}, err
	}
	created, err := tx.CreateProperty(typeKey, def, p.clock.Now())
	if err != nil {
		return store.PropertyInfo{}, answer(err, in.Name)
	}
	return created, nil
}

func (p properties) list(c *endpoint.Call) (endpoint.Reply, error) {
	archived := archivedQuery(c)
	var out []store.PropertyInfo
	var err error
	c.Portal().View(func(v *store.View) {
		var t *schema.ObjectType
		if t, err = objectType(c, v); err == nil {
			out = v.Properties(t.Key(), archived)
		}
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusOK, Body: collection[propertyBody]{Results: renderAll(out)}}, nil
}

func (p properties) read(c *endpoint.Call) (endpoint.Reply, error) {
	name := pathName(c, "propertyName")
	archived := archivedQuery(c)
	var prop store.PropertyInfo
	var err error
	c.Portal().View(func(v *store.View) {
		var t *schema.ObjectType
		if t, err = objectType(c, v); err != nil {
			return
		}
		var ok bool
		if prop, ok = v.Property(t.Key(), name); !ok || prop.Archived != archived {
			err = propertyNotFound(name, t.Key())
		}
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusOK, Body: render(prop)}, nil
}

func (p properties) create(c *endpoint.Call, in *createInput) (endpoint.Reply, error) {
	var created store.PropertyInfo
	err := c.Portal().Update(func(tx *store.Tx) error {
		t, err := objectType(c, &tx.View)
		if err != nil {
			return err
		}
		created, err = p.createIn(tx, t.Key(), in)
		return err
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusCreated, Body: render(created)}, nil
}

// patch is what an update body changes.
func (in *updateInput) patch() store.PropertyPatch {
	out := store.PropertyPatch{
		Label: in.Label, Description: in.Description, GroupName: in.GroupName,
		Type: in.Type, FieldType: in.FieldType, DisplayOrder: in.DisplayOrder,
		Hidden: in.Hidden, FormField: in.FormField,
	}
	if in.Options != nil {
		opts := options(*in.Options)
		out.Options = &opts
	}
	return out
}

func (p properties) update(c *endpoint.Call, in *updateInput) (endpoint.Reply, error) {
	name := pathName(c, "propertyName")
	var prop store.PropertyInfo
	err := c.Portal().Update(func(tx *store.Tx) error {
		t, err := objectType(c, &tx.View)
		if err != nil {
			return err
		}
		cur, ok := tx.Property(t.Key(), name)
		if !ok || cur.Archived {
			return propertyNotFound(name, t.Key())
		}
		if in.empty() {
			// Nothing to change: the property as it is.
			prop = cur
			return nil
		}
		typ, opts := cur.Type, cur.Options
		if in.Type != nil {
			typ = *in.Type
		}
		if in.Options != nil {
			opts = options(*in.Options)
		}
		if err := needsOptions(typ, opts, cur.ExternalOptions); err != nil {
			return err
		}
		prop, err = tx.UpdateProperty(t.Key(), name, in.patch(), p.clock.Now())
		return answer(err, name)
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusOK, Body: render(prop)}, nil
}

func (p properties) archive(c *endpoint.Call) (endpoint.Reply, error) {
	name := pathName(c, "propertyName")
	err := c.Portal().Update(func(tx *store.Tx) error {
		t, err := objectType(c, &tx.View)
		if err != nil {
			return err
		}
		return answer(tx.ArchiveProperty(t.Key(), name, p.clock.Now()), name)
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.NoContent, nil
}
