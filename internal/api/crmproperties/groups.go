package crmproperties

import (
	"fmt"
	"net/http"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/store"
)

// groupInput is the body of property-groups-create.
type groupInput struct {
	Name         string `json:"name"`
	Label        string `json:"label"`
	DisplayOrder *int   `json:"displayOrder"`
}

func (p properties) listGroups(c *endpoint.Call) (endpoint.Reply, error) {
	var groups []store.PropertyGroupInfo
	var err error
	c.Portal().View(func(v *store.View) {
		var t *schema.ObjectType
		if t, err = objectType(c, v); err == nil {
			groups = v.PropertyGroups(t.Key())
		}
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	out := collection[groupBody]{Results: make([]groupBody, 0, len(groups))}
	for _, g := range groups {
		if !g.Archived {
			out.Results = append(out.Results, renderGroup(g))
		}
	}
	return endpoint.Reply{Status: http.StatusOK, Body: out}, nil
}

func (p properties) readGroup(c *endpoint.Call) (endpoint.Reply, error) {
	name := pathName(c, "groupName")
	var found *store.PropertyGroupInfo
	var key string
	var err error
	c.Portal().View(func(v *store.View) {
		var t *schema.ObjectType
		if t, err = objectType(c, v); err != nil {
			return
		}
		key = t.Key()
		for _, g := range v.PropertyGroups(t.Key()) {
			if g.Name == name && !g.Archived {
				found = &g
				return
			}
		}
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	if found == nil {
		e := apierr.NotFound(fmt.Sprintf(store.MsgGroupUnknown, name, key))
		e.Context = map[string][]string{"groupName": {name}}
		return endpoint.Reply{}, e
	}
	return endpoint.Reply{Status: http.StatusOK, Body: renderGroup(*found)}, nil
}

func (p properties) createGroup(c *endpoint.Call, in *groupInput) (endpoint.Reply, error) {
	order := defaultDisplayOrder
	if in.DisplayOrder != nil {
		order = *in.DisplayOrder
	}
	var created store.PropertyGroupInfo
	err := c.Portal().Update(func(tx *store.Tx) error {
		t, err := objectType(c, &tx.View)
		if err != nil {
			return err
		}
		created, err = tx.CreatePropertyGroup(t.Key(), store.PropertyGroupInfo{
			ObjectType: t.Key(), Name: in.Name, Label: in.Label, DisplayOrder: order, Custom: true,
		})
		return err
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusCreated, Body: renderGroup(created)}, nil
}

// groupPatch is the body of property-groups-update.
type groupPatch struct {
	Label        *string `json:"label"`
	DisplayOrder *int    `json:"displayOrder"`
}

func (p properties) updateGroup(c *endpoint.Call, in *groupPatch) (endpoint.Reply, error) {
	name := pathName(c, "groupName")
	var updated store.PropertyGroupInfo
	err := c.Portal().Update(func(tx *store.Tx) error {
		t, err := objectType(c, &tx.View)
		if err != nil {
			return err
		}
		updated, err = tx.UpdatePropertyGroup(t.Key(), name, in.Label, in.DisplayOrder)
		return err
	})
	if err != nil {
		return endpoint.Reply{}, groupError(err, name)
	}
	return endpoint.Reply{Status: http.StatusOK, Body: renderGroup(updated)}, nil
}

func (p properties) archiveGroup(c *endpoint.Call) (endpoint.Reply, error) {
	name := pathName(c, "groupName")
	err := c.Portal().Update(func(tx *store.Tx) error {
		t, err := objectType(c, &tx.View)
		if err != nil {
			return err
		}
		return tx.ArchivePropertyGroup(t.Key(), name)
	})
	if err != nil {
		return endpoint.Reply{}, groupError(err, name)
	}
	return endpoint.Reply{Status: http.StatusNoContent}, nil
}

// groupError names the group in the context of a group that was not found.
func groupError(err error, name string) error {
	e := apierr.From(err)
	if e.Status == http.StatusNotFound {
		e.Context = map[string][]string{"groupName": {name}}
	}
	return e
}
