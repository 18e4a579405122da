package associationschema

import (
	"net/http"

	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/objecttype"
	"github.com/mockhub/mockhub/internal/store"
)

// labels serves the label operations.
type labels struct {
	types *objecttype.Registry
}

// labelBody is an association type with its label (AssociationSpecWithLabel).
type labelBody struct {
	Category         string  `json:"category"`
	TypeID           int32   `json:"typeId"`
	Label            *string `json:"label,omitempty"`
	FromObjectTypeID string  `json:"fromObjectTypeId,omitempty"`
	ToObjectTypeID   string  `json:"toObjectTypeId,omitempty"`
}

// labelCreate is the body of labels-create.
type labelCreate struct {
	Name         string  `json:"name"`
	Label        string  `json:"label"`
	InverseLabel *string `json:"inverseLabel"`
}

// labelUpdate is the body of labels-update.
type labelUpdate struct {
	AssociationTypeID int32   `json:"associationTypeId"`
	Label             string  `json:"label"`
	InverseLabel      *string `json:"inverseLabel"`
}

func (l labels) list(c *endpoint.Call) (endpoint.Reply, error) {
	var types []store.AssocType
	c.Portal().View(func(v *store.View) { types = v.Labels(pair(c)) })
	return endpoint.Reply{Status: http.StatusOK, Body: endpoint.Results{Results: l.bodies(c, types)}}, nil
}

func (l labels) create(c *endpoint.Call, in *labelCreate) (endpoint.Reply, error) {
	var created []store.AssocType
	err := c.Portal().Update(func(tx *store.Tx) error {
		var err error
		created, err = tx.CreateLabel(pair(c), store.LabelInput{Name: in.Name, Label: in.Label, InverseLabel: in.InverseLabel})
		return err
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusOK, Body: endpoint.Results{Results: l.bodies(c, created)}}, nil
}

func (l labels) update(c *endpoint.Call, in *labelUpdate) (endpoint.Reply, error) {
	err := c.Portal().Update(func(tx *store.Tx) error {
		return tx.UpdateLabel(pair(c), in.AssociationTypeID, in.Label, in.InverseLabel)
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.NoContent, nil
}

func (l labels) delete(c *endpoint.Call) (endpoint.Reply, error) {
	id := endpoint.Value[int32](c, "associationTypeId")
	err := c.Portal().Update(func(tx *store.Tx) error { return tx.DeleteLabel(pair(c), id) })
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.NoContent, nil
}

// bodies renders association types; the object type ids are included only
// where this version's contract has them.
func (l labels) bodies(c *endpoint.Call, types []store.AssocType) any {
	if len(types) == 0 {
		return endpoint.EmptyResults
	}
	withIDs := c.Op.ResponseHasProperty("fromObjectTypeId")
	out := make([]labelBody, len(types))
	for i, t := range types {
		out[i] = labelBody{Category: t.Category, TypeID: t.TypeID, Label: t.Label}
		if withIDs {
			out[i].FromObjectTypeID = l.objectTypeID(t.Pair.From)
			out[i].ToObjectTypeID = l.objectTypeID(t.Pair.To)
		}
	}
	return out
}

func (l labels) objectTypeID(key string) string {
	if t, ok := l.types.ByKey(key); ok {
		return t.ID
	}
	return ""
}
