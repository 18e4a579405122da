package server

import (
	"net/http"
	"strconv"

	"github.com/mockhub/mockhub/internal/store"
)

func listLabels(s *Server, c *call) (reply, error) {
	return reply{http.StatusOK, resultsBody{s.labelBodies(c, c.portal.Labels(c.pair))}}, nil
}

func createLabel(s *Server, c *call) (reply, error) {
	m, _ := c.body.(map[string]any)
	in := store.LabelInput{Name: stringField(m, "name"), Label: stringField(m, "label")}
	if v, ok := m["inverseLabel"].(string); ok {
		in.InverseLabel = &v
	}
	created, err := c.portal.CreateLabel(c.pair, in)
	if err != nil {
		return reply{}, err
	}
	return reply{http.StatusOK, resultsBody{s.labelBodies(c, created)}}, nil
}

func updateLabel(s *Server, c *call) (reply, error) {
	m, _ := c.body.(map[string]any)
	var inverse *string
	if v, ok := m["inverseLabel"].(string); ok {
		inverse = &v
	}
	if err := c.portal.UpdateLabel(c.pair, int32Field(m, "associationTypeId"), stringField(m, "label"), inverse); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusNoContent}, nil
}

func deleteLabel(s *Server, c *call) (reply, error) {
	// Parameter validation has checked that the id is an int32.
	id, _ := strconv.ParseInt(c.params["associationTypeId"], 10, 32)
	if err := c.portal.DeleteLabel(c.pair, int32(id)); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusNoContent}, nil
}

// labelBodies renders association types; the object type ids are included
// only where this version's contract has them.
func (s *Server) labelBodies(c *call, types []store.AssocType) any {
	if len(types) == 0 {
		return emptyResults
	}
	withIDs := c.op.ResponseHasProperty("fromObjectTypeId")
	out := make([]labelBody, len(types))
	for i, t := range types {
		out[i] = labelBody{Category: t.Category, TypeID: t.TypeID, Label: t.Label}
		if withIDs {
			out[i].FromObjectTypeID = s.objectTypeID(t.Pair.From)
			out[i].ToObjectTypeID = s.objectTypeID(t.Pair.To)
		}
	}
	return out
}

func (s *Server) objectTypeID(key string) string {
	if t, ok := s.types.ByKey(key); ok {
		return t.ID
	}
	return ""
}
