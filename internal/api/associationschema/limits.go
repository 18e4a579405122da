package associationschema

import (
	"net/http"
	"strconv"

	"github.com/mockhub/mockhub/internal/batch"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/store"
)

// limitInput is one input of a limits batch (maxToObjectIds is ignored by
// purge).
type limitInput struct {
	Category string `json:"category"`
	TypeID   int32  `json:"typeId"`
	Max      int32  `json:"maxToObjectIds"`
}

// limitBody is a limit as HubSpot reports it (UserConfiguration).
type limitBody struct {
	Category string  `json:"category"`
	TypeID   int32   `json:"typeId"`
	Label    *string `json:"label,omitempty"`
	Max      int32   `json:"userEnforcedMaxToObjectIds"`
}

// limitUpdateBody is the result item of a limits update: no label.
type limitUpdateBody struct {
	Category string `json:"category"`
	TypeID   int32  `json:"typeId"`
	Max      int32  `json:"userEnforcedMaxToObjectIds"`
}

func readAllLimits(c *endpoint.Call) (endpoint.Reply, error) {
	var limits []store.Limit
	c.Portal().View(func(v *store.View) { limits = v.AllLimits() })
	return endpoint.Reply{Status: http.StatusOK, Body: endpoint.Results{Results: limitBodies(limits)}}, nil
}

func readPairLimits(c *endpoint.Call) (endpoint.Reply, error) {
	var limits []store.Limit
	c.Portal().View(func(v *store.View) { limits = v.Limits(pair(c)) })
	return endpoint.Reply{Status: http.StatusOK, Body: endpoint.Results{Results: limitBodies(limits)}}, nil
}

func limitBodies(limits []store.Limit) any {
	if len(limits) == 0 {
		return endpoint.EmptyResults
	}
	out := make([]limitBody, len(limits))
	for i, l := range limits {
		out[i] = limitBody{Category: l.Category, TypeID: l.TypeID, Label: l.Label, Max: l.Max}
	}
	return out
}

// limitsBatch is batch/create, batch/update or batch/purge: each input sets
// or removes one limit of the path's pair.
func limitsBatch(op store.LimitOp) batch.Spec[limitInput, store.Limit] {
	return batch.Spec[limitInput, store.Limit]{
		Apply: func(c *endpoint.Call, tx *store.Tx, in limitInput) (store.Limit, *store.InputError) {
			return tx.ApplyLimit(op, pair(c), store.LimitInput{Category: in.Category, TypeID: in.TypeID, Max: in.Max})
		},
		Context: func(in limitInput) map[string][]string {
			return map[string][]string{"typeId": {strconv.Itoa(int(in.TypeID))}}
		},
		Results: func(_ *endpoint.Call, applied []store.Limit) any {
			switch op {
			case store.LimitPurge:
				return endpoint.EmptyResults
			case store.LimitUpdate:
				out := make([]limitUpdateBody, len(applied))
				for i, l := range applied {
					out[i] = limitUpdateBody{Category: l.Category, TypeID: l.TypeID, Max: l.Max}
				}
				return out
			}
			return limitBodies(applied)
		},
	}
}
