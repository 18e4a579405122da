package crmproperties

import (
	"errors"
	"net/http"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/batch"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/store"
)

// nameInput is an input of batch read and archive.
type nameInput struct {
	Name string `json:"name"`
}

// readBody is the body of batch read: the names, and whether to read the
// archived properties instead of the live ones.
type readBody struct {
	Inputs   []nameInput `json:"inputs"`
	Archived bool        `json:"archived,omitempty"`
}

// registerBatches binds the batch operations.
func (p properties) registerBatches(reg *endpoint.Registry, run *batch.Runner) {
	batch.HandleWith(reg, run, "properties-batch-read", func(b *readBody) []nameInput { return b.Inputs }, p.batchRead)
	batch.HandleWith(reg, run, "properties-batch-create", bodyInputs[createInput], p.batchCreate)
	batch.HandleWith(reg, run, "properties-batch-archive", bodyInputs[nameInput], p.batchArchive)
}

func bodyInputs[In any](b *batch.Body[In]) []In { return b.Inputs }

// nameContext names an input by its property name in an error.
func nameContext(name string) map[string][]string {
	return map[string][]string{"name": {name}}
}

// inputError turns the error a single operation would answer into the
// failure of one batch input, named by context.
func inputError(err error, context map[string][]string) *store.InputError {
	e := apierr.From(err)
	kind, msg := store.KindInternal, apierr.MsgInternal
	switch e.Status {
	case http.StatusBadRequest:
		kind, msg = store.KindInvalid, e.Message
	case http.StatusNotFound:
		kind, msg = store.KindNotFound, e.Message
	case http.StatusConflict:
		kind, msg = store.KindConflict, e.Message
	}
	return &store.InputError{Kind: kind, Message: msg, Context: context}
}

func renderResults(_ *endpoint.Call, ps []store.PropertyInfo) any { return renderAll(ps) }

func (p properties) batchRead(c *endpoint.Call, body *readBody) (batch.Spec[nameInput, store.PropertyInfo], error) {
	t, err := typeOf(c)
	if err != nil {
		return batch.Spec[nameInput, store.PropertyInfo]{}, err
	}
	archived := body != nil && body.Archived
	key := t.Key()
	return batch.Spec[nameInput, store.PropertyInfo]{
		Apply: func(_ *endpoint.Call, tx *store.Tx, in nameInput) (store.PropertyInfo, *store.InputError) {
			prop, ok := tx.Property(key, in.Name)
			if !ok || prop.Archived != archived {
				return store.PropertyInfo{}, inputError(propertyNotFound(in.Name, key), nameContext(in.Name))
			}
			return prop, nil
		},
		Context: func(in nameInput) map[string][]string { return nameContext(in.Name) },
		Results: renderResults,
		// Names that name no property are reported, never a refusal of
		// the whole batch, even when none is found.
		AnswerAllFailed: true,
	}, nil
}

func (p properties) batchCreate(c *endpoint.Call, _ *batch.Body[createInput]) (batch.Spec[createInput, store.PropertyInfo], error) {
	t, err := typeOf(c)
	if err != nil {
		return batch.Spec[createInput, store.PropertyInfo]{}, err
	}
	key := t.Key()
	return batch.Spec[createInput, store.PropertyInfo]{
		Apply: func(_ *endpoint.Call, tx *store.Tx, in createInput) (store.PropertyInfo, *store.InputError) {
			created, err := p.createIn(tx, key, &in)
			if err != nil {
				return store.PropertyInfo{}, inputError(err, nameContext(in.Name))
			}
			return created, nil
		},
		Context: func(in createInput) map[string][]string { return nameContext(in.Name) },
		Results: renderResults,
		// An install script that creates its properties again gets 207
		// naming each that exists, not a refusal: failed inputs are
		// reported one by one whatever their number.
		AnswerAllFailed: true,
	}, nil
}

func (p properties) batchArchive(c *endpoint.Call, _ *batch.Body[nameInput]) (batch.Spec[nameInput, struct{}], error) {
	t, err := typeOf(c)
	if err != nil {
		return batch.Spec[nameInput, struct{}]{}, err
	}
	key := t.Key()
	return batch.Spec[nameInput, struct{}]{
		// Archived and unknown names succeed too (HubSpot's description of
		// the operation); a HubSpot-defined property fails the call.
		Apply: func(_ *endpoint.Call, tx *store.Tx, in nameInput) (struct{}, *store.InputError) {
			err := tx.ArchiveProperty(key, in.Name, p.clock.Now())
			var se *store.Error
			if err == nil || (errors.As(err, &se) && se.Kind == store.KindNotFound) {
				return struct{}{}, nil
			}
			return struct{}{}, inputError(err, nameContext(in.Name))
		},
		Context: func(in nameInput) map[string][]string { return nameContext(in.Name) },
		Results: func(*endpoint.Call, []struct{}) any { return []struct{}{} },
	}, nil
}
