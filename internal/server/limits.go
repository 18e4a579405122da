package server

import (
	"net/http"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/store"
)

// handlers maps each operationId of our documents to its handler. An
// operation without an entry stops start-up.
var handlers = map[string]handlerFunc{
	"limits-read-all":     readAllLimits,
	"limits-read-pair":    readPairLimits,
	"limits-batch-create": batchLimits(store.LimitCreate),
	"limits-batch-update": batchLimits(store.LimitUpdate),
	"limits-batch-purge":  batchLimits(store.LimitPurge),
	"labels-list":         listLabels,
	"labels-create":       createLabel,
	"labels-update":       updateLabel,
	"labels-delete":       deleteLabel,
}

func readAllLimits(s *Server, c *call) (reply, error) {
	return reply{http.StatusOK, resultsBody{limitBodies(c.portal.AllLimits())}}, nil
}

func readPairLimits(s *Server, c *call) (reply, error) {
	return reply{http.StatusOK, resultsBody{limitBodies(c.portal.Limits(c.pair))}}, nil
}

func limitBodies(limits []store.Limit) any {
	if len(limits) == 0 {
		return emptyResults
	}
	out := make([]limitBody, len(limits))
	for i, l := range limits {
		out[i] = limitBody{Category: l.Category, TypeID: l.TypeID, Label: l.Label, Max: l.Max}
	}
	return out
}

// batchLimits serves batch/create, batch/update and batch/purge. How a
// partial failure is answered comes from the operation's contract: 207 where
// the version has it, errors in the 200 body where that body carries them,
// and otherwise the batch is all-or-nothing.
func batchLimits(kind store.LimitOp) handlerFunc {
	return func(s *Server, c *call) (reply, error) {
		inputs := limitInputs(c.body)
		allOrNothing := !c.op.MultiStatus && !c.op.ErrorsInBody
		if c.fault != nil {
			return s.faultedLimits(kind, c, inputs, allOrNothing)
		}
		res, err := c.portal.ApplyLimits(kind, c.pair, inputs, allOrNothing)
		if err != nil {
			return reply{}, err
		}
		return limitsReply(s, c, kind, res, StatusComplete), nil
	}
}

// limitsReply builds the answer of a limits batch with the given status.
func limitsReply(s *Server, c *call, kind store.LimitOp, res store.BatchResult, status string) reply {
	if c.op.Success == http.StatusNoContent {
		return reply{status: http.StatusNoContent}
	}
	body := batchBody{
		Status:      status,
		RequestedAt: formatTime(c.requestedAt),
		StartedAt:   formatTime(c.startedAt),
		CompletedAt: formatTime(s.clock.Now()),
	}
	switch kind {
	case store.LimitPurge:
		body.Results = emptyResults
	case store.LimitUpdate:
		out := make([]limitUpdateBody, len(res.Limits))
		for i, l := range res.Limits {
			out[i] = limitUpdateBody{Category: l.Category, TypeID: l.TypeID, Max: l.Max}
		}
		body.Results = out
	default:
		body.Results = limitBodies(res.Limits)
	}
	code := c.op.Success
	if len(res.Errors) > 0 {
		for _, e := range res.Errors {
			body.Errors = append(body.Errors, apierr.FromInput(e))
		}
		body.NumErrors = len(res.Errors)
		if c.op.MultiStatus {
			code = http.StatusMultiStatus
		}
	}
	return reply{code, body}
}

// limitInputs reads the validated body's inputs. Validation has already
// checked every field's presence and type.
func limitInputs(body any) []store.LimitInput {
	m, _ := body.(map[string]any)
	raw, _ := m["inputs"].([]any)
	out := make([]store.LimitInput, len(raw))
	for i, item := range raw {
		in, _ := item.(map[string]any)
		out[i] = store.LimitInput{
			Category: stringField(in, "category"),
			TypeID:   int32Field(in, "typeId"),
			Max:      int32Field(in, "maxToObjectIds"),
		}
	}
	return out
}

func stringField(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func int32Field(m map[string]any, key string) int32 {
	n, _ := m[key].(float64)
	return int32(n)
}
