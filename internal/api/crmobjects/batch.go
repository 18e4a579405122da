package crmobjects

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/batch"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/store"
)

// msgSomeNotFound is HubSpot's one error item for every id of a batch read
// or update that names no record; the type's singular name, upper-case,
// comes first (HUBSPOT-RECORDS.md §1.6).
const msgSomeNotFound = "Could not get some %s objects, they may be deleted or not exist. Check that ids are valid."

// maxBatchInputs is HubSpot's limit on inputs per object batch
// (HUBSPOT-RECORDS.md §1.6), whatever the limits batches take.
const maxBatchInputs = 100

// idText is a batch input's id as text: HubSpot's examples send numbers
// where the contract says string (HUBSPOT-RECORDS.md §1.3), so both are
// taken; the contract admits nothing else.
func idText(id any) string {
	if text, err := schema.ValueText(id); err == nil {
		return text
	}
	return fmt.Sprint(id)
}

// idInput is an input of batch read and archive.
type idInput struct {
	ID any `json:"id"`
}

// readBody is the body of batch read: the ids and what to return of them.
type readBody struct {
	Inputs                []idInput `json:"inputs"`
	Properties            []string  `json:"properties"`
	PropertiesWithHistory []string  `json:"propertiesWithHistory"`
	IDProperty            string    `json:"idProperty"`
}

// createInput is an input of batch create.
type createInput struct {
	Properties         map[string]any `json:"properties"`
	Associations       []assocInput   `json:"associations,omitempty"`
	ObjectWriteTraceID string         `json:"objectWriteTraceId,omitempty"`
}

// writeInput is an input of batch update and upsert.
type writeInput struct {
	ID                 any            `json:"id"`
	IDProperty         string         `json:"idProperty,omitempty"`
	Properties         map[string]any `json:"properties"`
	ObjectWriteTraceID string         `json:"objectWriteTraceId,omitempty"`
}

// written is a record a batch wrote, and the properties its answer shows.
type written struct {
	rec     store.Record
	names   []string
	created bool
	// traceID is the input's objectWriteTraceId, echoed in its result.
	traceID string
}

// upsertBody is a record of an upsert's answer: new says it was created.
type upsertBody struct {
	objectBody
	New bool `json:"new"`
}

// registerBatches binds the batch operations.
func (o objects) registerBatches(reg *endpoint.Registry, run *batch.Runner) {
	batch.HandleWith(reg, run, "objects-batch-read", func(b *readBody) []idInput { return b.Inputs }, o.batchRead)
	batch.HandleWith(reg, run, "objects-batch-create", bodyInputs[createInput], o.batchCreate)
	batch.HandleWith(reg, run, "objects-batch-update", bodyInputs[writeInput], o.batchUpdate)
	batch.HandleWith(reg, run, "objects-batch-upsert", bodyInputs[writeInput], o.batchUpsert)
	batch.HandleWith(reg, run, "objects-batch-archive", bodyInputs[idInput], o.batchArchive)
}

func bodyInputs[In any](b *batch.Body[In]) []In { return b.Inputs }

// idContext names an input by its id in an error.
func idContext(id any) map[string][]string {
	return map[string][]string{"id": {idText(id)}}
}

// traceContext names an input by its trace id in an error, when it has one.
func traceContext(traceID string) map[string][]string {
	if traceID == "" {
		return map[string][]string{}
	}
	return map[string][]string{"objectWriteTraceId": {traceID}}
}

// inputError turns the error a single operation would answer into the
// failure of one batch input, named by context.
func inputError(err error, context map[string][]string) *store.InputError {
	return apierr.AsInput(err, context)
}

// missing is the failure of an input whose id names no record: merged into
// one item by mergeNotFound.
func missing(raw string) *store.InputError {
	return &store.InputError{Kind: store.KindNotFound, Message: store.MsgRecordNotFound, Context: map[string][]string{"ids": {raw}}}
}

// mergeNotFound reports every id that names no record in one item, first,
// as HubSpot does; other failures follow as they are.
func mergeNotFound(t *schema.ObjectType) func(*endpoint.Call, []store.InputError) []store.InputError {
	return func(_ *endpoint.Call, errs []store.InputError) []store.InputError {
		var ids []string
		var rest []store.InputError
		for _, e := range errs {
			if e.Kind == store.KindNotFound && len(e.Context["ids"]) > 0 {
				ids = append(ids, e.Context["ids"]...)
				continue
			}
			rest = append(rest, e)
		}
		if len(ids) == 0 {
			return rest
		}
		item := store.InputError{
			Kind:    store.KindNotFound,
			Message: fmt.Sprintf(msgSomeNotFound, strings.ToUpper(t.Name)),
			Context: map[string][]string{"ids": ids},
		}
		return append([]store.InputError{item}, rest...)
	}
}

// liveID resolves a batch input's id (by idProperty when given) to a live
// record's id, or reports it missing.
func liveID(v *store.View, t *schema.ObjectType, raw, idProperty string, archived bool) (store.Record, *store.InputError) {
	id, err := recordID(v, t, raw, idProperty)
	if err != nil {
		return store.Record{}, missing(raw)
	}
	rec, ok := v.Record(t.Key(), id)
	if !ok || rec.Archived != archived {
		return store.Record{}, missing(raw)
	}
	return rec, nil
}

func (o objects) batchRead(c *endpoint.Call, body *readBody) (batch.Spec[idInput, store.Record], error) {
	t, err := o.objectType(c)
	if err != nil {
		return batch.Spec[idInput, store.Record]{}, err
	}
	if body == nil {
		// A deferred read changes nothing when applied.
		body = &readBody{}
	}
	archived, _ := strconv.ParseBool(c.Query().Get("archived"))
	return batch.Spec[idInput, store.Record]{
		Apply: func(_ *endpoint.Call, tx *store.Tx, in idInput) (store.Record, *store.InputError) {
			return liveID(&tx.View, t, idText(in.ID), body.IDProperty, archived)
		},
		MaxInputs: maxBatchInputs,
		Context:   func(in idInput) map[string][]string { return idContext(in.ID) },
		Results: func(_ *endpoint.Call, recs []store.Record) any {
			names := selectRead(t, body.Properties)
			out := make([]objectBody, 0, len(recs))
			for _, r := range recs {
				out = append(out, render(t, r, names, body.PropertiesWithHistory))
			}
			return out
		},
		Merge:           mergeNotFound(t),
		AnswerAllFailed: true,
	}, nil
}

// newValues is what a new record of type t stores: the values HubSpot sets
// on create, the ones written, and those derived from them.
func newValues(t *schema.ObjectType, props map[string]string) map[string]string {
	values := t.CreatedValues()
	for k, v := range props {
		values[k] = v
	}
	if _, ok := t.Property("hs_email_domain"); ok {
		if _, domain, found := strings.Cut(values["email"], "@"); found {
			values["hs_email_domain"] = strings.ToLower(domain)
		}
	}
	return values
}

// createIn creates one record of a batch inside tx, with its associations.
func (o objects) createIn(c *endpoint.Call, tx *store.Tx, t *schema.ObjectType, properties map[string]any, assocs []assocInput) (written, error) {
	props, err := o.checkWrite(c, t, nil, &input{Properties: properties})
	if err != nil {
		return written{}, err
	}
	// A refused association undoes the record's creation, while the batch's
	// other inputs go on.
	sp := tx.Savepoint()
	rec, err := tx.CreateRecord(t.Key(), newValues(t, props), o.clock.Now())
	if err != nil {
		return written{}, conflictOnly(err)
	}
	if err := associateNew(tx, t, rec.ID, assocs); err != nil {
		tx.Rollback(sp)
		return written{}, err
	}
	return written{rec: rec, names: selectAll(t, rec), created: true}, nil
}

// updateIn writes one record of a batch inside tx.
func (o objects) updateIn(c *endpoint.Call, tx *store.Tx, t *schema.ObjectType, cur store.Record, properties map[string]any) (written, error) {
	props, err := o.checkWrite(c, t, cur.Properties, &input{Properties: properties})
	if err != nil {
		return written{}, err
	}
	rec, err := tx.UpdateRecord(t.Key(), cur.ID, props, o.clock.Now())
	if err != nil {
		return written{}, conflictOnly(err)
	}
	return written{rec: rec, names: selectUpdate(t, props)}, nil
}

// renderWritten renders the records a batch wrote.
func renderWritten(t *schema.ObjectType, ws []written) []objectBody {
	out := make([]objectBody, 0, len(ws))
	for _, w := range ws {
		b := render(t, w.rec, w.names, nil)
		b.ObjectWriteTraceID = w.traceID
		out = append(out, b)
	}
	return out
}

func (o objects) batchCreate(c *endpoint.Call, _ *batch.Body[createInput]) (batch.Spec[createInput, written], error) {
	t, err := o.objectType(c)
	if err != nil {
		return batch.Spec[createInput, written]{}, err
	}
	return batch.Spec[createInput, written]{
		Apply: func(c *endpoint.Call, tx *store.Tx, in createInput) (written, *store.InputError) {
			w, err := o.createIn(c, tx, t, in.Properties, in.Associations)
			if err != nil {
				return written{}, inputError(err, traceContext(in.ObjectWriteTraceID))
			}
			w.traceID = in.ObjectWriteTraceID
			return w, nil
		},
		MaxInputs: maxBatchInputs,
		Context:   func(in createInput) map[string][]string { return traceContext(in.ObjectWriteTraceID) },
		Results:   func(_ *endpoint.Call, ws []written) any { return renderWritten(t, ws) },
		// HubSpot reports failed inputs one by one only when every input
		// carries a trace id; otherwise one failure fails the call
		// (HUBSPOT-RECORDS.md §1.6, §7 #9).
		AllOrNothing: func(ins []createInput) bool {
			for _, in := range ins {
				if in.ObjectWriteTraceID == "" {
					return true
				}
			}
			return false
		},
	}, nil
}

func (o objects) batchUpdate(c *endpoint.Call, _ *batch.Body[writeInput]) (batch.Spec[writeInput, written], error) {
	t, err := o.objectType(c)
	if err != nil {
		return batch.Spec[writeInput, written]{}, err
	}
	return batch.Spec[writeInput, written]{
		Apply: func(c *endpoint.Call, tx *store.Tx, in writeInput) (written, *store.InputError) {
			cur, ierr := liveID(&tx.View, t, idText(in.ID), in.IDProperty, false)
			if ierr != nil {
				return written{}, ierr
			}
			w, err := o.updateIn(c, tx, t, cur, in.Properties)
			if err != nil {
				return written{}, inputError(err, traceContext(in.ObjectWriteTraceID))
			}
			w.traceID = in.ObjectWriteTraceID
			return w, nil
		},
		MaxInputs:       maxBatchInputs,
		Context:         func(in writeInput) map[string][]string { return idContext(in.ID) },
		Results:         func(_ *endpoint.Call, ws []written) any { return renderWritten(t, ws) },
		Merge:           mergeNotFound(t),
		AnswerAllFailed: true,
	}, nil
}

func (o objects) batchUpsert(c *endpoint.Call, _ *batch.Body[writeInput]) (batch.Spec[writeInput, written], error) {
	t, err := o.objectType(c)
	if err != nil {
		return batch.Spec[writeInput, written]{}, err
	}
	// HubSpot's descriptions name an idProperty query parameter, its schema
	// an idProperty per input: an input's own wins (HUBSPOT-RECORDS.md §1.6).
	queryIDProperty := c.Query().Get("idProperty")
	return batch.Spec[writeInput, written]{
		Apply: func(c *endpoint.Call, tx *store.Tx, in writeInput) (written, *store.InputError) {
			w, err := o.upsertIn(c, tx, t, in, queryIDProperty)
			if err != nil {
				return written{}, inputError(err, traceContext(in.ObjectWriteTraceID))
			}
			w.traceID = in.ObjectWriteTraceID
			return w, nil
		},
		MaxInputs:       maxBatchInputs,
		Context:         func(in writeInput) map[string][]string { return idContext(in.ID) },
		AnswerAllFailed: true,
		Results: func(_ *endpoint.Call, ws []written) any {
			out := make([]upsertBody, 0, len(ws))
			for _, w := range ws {
				b := render(t, w.rec, w.names, nil)
				b.ObjectWriteTraceID = w.traceID
				out = append(out, upsertBody{b, w.created})
			}
			return out
		},
	}, nil
}

// upsertIn updates the record in names, or creates it: by the value of a
// unique property, or by record id, which updates only (HUBSPOT-RECORDS.md
// §7 #24).
func (o objects) upsertIn(c *endpoint.Call, tx *store.Tx, t *schema.ObjectType, in writeInput, queryIDProperty string) (written, error) {
	raw, idProperty := idText(in.ID), in.IDProperty
	if idProperty == "" {
		idProperty = queryIDProperty
	}
	if idProperty == "" || idProperty == "hs_object_id" {
		cur, ierr := liveID(&tx.View, t, raw, idProperty, false)
		if ierr != nil {
			return written{}, notFound(raw, false)
		}
		return o.updateIn(c, tx, t, cur, in.Properties)
	}
	if !t.IsUnique(idProperty) {
		msg := idProperty + " is not a unique property of " + t.Plural
		return written{}, apierr.Validation(msg, apierr.Detail{Message: msg, In: "idProperty"})
	}
	if id, ok := tx.FindUnique(t.Key(), idProperty, raw); ok {
		if cur, ok := tx.Record(t.Key(), id); ok && !cur.Archived {
			return o.updateIn(c, tx, t, cur, in.Properties)
		}
	}
	props := make(map[string]any, len(in.Properties)+1)
	for k, v := range in.Properties {
		props[k] = v
	}
	props[idProperty] = raw
	return o.createIn(c, tx, t, props, nil)
}

func (o objects) batchArchive(c *endpoint.Call, _ *batch.Body[idInput]) (batch.Spec[idInput, struct{}], error) {
	t, err := o.objectType(c)
	if err != nil {
		return batch.Spec[idInput, struct{}]{}, err
	}
	return batch.Spec[idInput, struct{}]{
		// Archiving an archived, unknown or malformed id succeeds too
		// (HUBSPOT-RECORDS.md §1.6).
		Apply: func(_ *endpoint.Call, tx *store.Tx, in idInput) (struct{}, *store.InputError) {
			if err := tx.ArchiveRecord(t.Key(), idText(in.ID), o.clock.Now()); err != nil {
				return struct{}{}, inputError(err, idContext(in.ID))
			}
			return struct{}{}, nil
		},
		MaxInputs: maxBatchInputs,
		Context:   func(in idInput) map[string][]string { return idContext(in.ID) },
		Results:   func(*endpoint.Call, []struct{}) any { return []struct{}{} },
	}, nil
}
