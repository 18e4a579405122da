package crmassociations

import (
	"encoding/json"
	"fmt"

	"github.com/mockhub/mockhub/internal/batch"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/store"
)

// Inputs per batch (HUBSPOT-RECORDS.md §3.2, §7 #10): batch read takes at
// most 1,000, batch create 2,000; HubSpot does not say for the others, which
// take 2,000 too.
const (
	maxReadInputs  = 1000
	maxWriteInputs = 2000
	// readPageSize is how many associated records one input of a batch
	// read returns before its paging.next.after (HubSpot does not say; the
	// single-record list's maximum).
	readPageSize = 500
)

// msgNoAssociations is HubSpot's error item for a batch read input whose
// record has no associations of the path's type: the target type, then the
// source type and id (HUBSPOT-RECORDS.md §3.2).
const msgNoAssociations = "No %s is associated with %s %s."

// recordID names a record in a batch input.
type recordID struct {
	ID any `json:"id"`
}

// typesInput is an input of batch create and labels archive.
type typesInput struct {
	From  recordID   `json:"from"`
	To    recordID   `json:"to"`
	Types []specBody `json:"types"`
}

// pairInput is an input of batch associate default.
type pairInput struct {
	From recordID `json:"from"`
	To   recordID `json:"to"`
}

// readInput is an input of batch read.
type readInput struct {
	ID    any    `json:"id"`
	After string `json:"after,omitempty"`
}

// archiveInput is an input of batch archive: one record and the records it
// is no longer associated with.
type archiveInput struct {
	From recordID   `json:"from"`
	To   []recordID `json:"to"`
}

// readBody is one input's answer of batch read.
type readBody struct {
	From idBody      `json:"from"`
	To   []multiBody `json:"to"`
	// Paging is the input's own next page, when there is one.
	Paging *paging `json:"paging,omitempty"`
}

// removed is what an archive input leaves in results: nothing.
type removed struct{}

// registerBatches binds the batch operations.
func (a associations) registerBatches(reg *endpoint.Registry, run *batch.Runner) {
	batch.HandleWith(reg, run, "associations-batch-create", bodyInputs[typesInput], a.batchCreate)
	batch.HandleWith(reg, run, "associations-batch-create-default", bodyInputs[pairInput], a.batchCreateDefault)
	batch.HandleWith(reg, run, "associations-batch-read", bodyInputs[readInput], a.batchRead)
	batch.HandleWith(reg, run, "associations-batch-archive", bodyInputs[archiveInput], a.batchArchive)
	batch.HandleWith(reg, run, "associations-batch-archive-labels", bodyInputs[typesInput], a.batchArchiveLabels)
}

func bodyInputs[In any](b *batch.Body[In]) []In { return b.Inputs }

// batchTypes are the object types of a batch's path.
func batchTypes(c *endpoint.Call) (from, to *schema.ObjectType, err error) {
	return pairTypes(c, "fromObjectType", "toObjectType")
}

// pairContext names a pair input in the error of an input failed on
// purpose (the partial fault).
func pairContext(from, to recordID) map[string][]string {
	return map[string][]string{"fromObjectId": {idText(from.ID)}, "toObjectId": {idText(to.ID)}}
}

func (a associations) batchCreate(c *endpoint.Call, _ *batch.Body[typesInput]) (batch.Spec[typesInput, labelsBody], error) {
	f, t, err := batchTypes(c)
	if err != nil {
		return batch.Spec[typesInput, labelsBody]{}, err
	}
	return batch.Spec[typesInput, labelsBody]{
		// Inputs apply in order, each against the state the earlier ones
		// left, so a limit is reached inside one batch as it would be by
		// separate calls (HUBSPOT-RECORDS.md §4.3).
		Apply: func(_ *endpoint.Call, tx *store.Tx, in typesInput) (labelsBody, *store.InputError) {
			from := store.RecordRef{Type: f.Key(), ID: idText(in.From.ID)}
			to := store.RecordRef{Type: t.Key(), ID: idText(in.To.ID)}
			types, err := tx.Associate(from, to, specs(in.Types), store.AssocSetLabels)
			if err != nil {
				return labelsBody{}, inputError(err)
			}
			return labelsBetween(f, t, from.ID, to.ID, types), nil
		},
		Context:   func(in typesInput) map[string][]string { return pairContext(in.From, in.To) },
		Results:   func(_ *endpoint.Call, out []labelsBody) any { return nonNil(out) },
		MaxInputs: maxWriteInputs,
		// A batch whose every input was refused still answers 207 (or 200
		// with errors) with empty results (HUBSPOT-RECORDS.md §4.4).
		AnswerAllFailed: true,
	}, nil
}

func (a associations) batchCreateDefault(c *endpoint.Call, _ *batch.Body[pairInput]) (batch.Spec[pairInput, []defaultBody], error) {
	f, t, err := batchTypes(c)
	if err != nil {
		return batch.Spec[pairInput, []defaultBody]{}, err
	}
	return batch.Spec[pairInput, []defaultBody]{
		Apply: func(_ *endpoint.Call, tx *store.Tx, in pairInput) ([]defaultBody, *store.InputError) {
			from := store.RecordRef{Type: f.Key(), ID: idText(in.From.ID)}
			to := store.RecordRef{Type: t.Key(), ID: idText(in.To.ID)}
			forward, inverse, err := tx.AssociateDefault(from, to)
			if err != nil {
				return nil, inputError(err)
			}
			return defaults(from.ID, to.ID, forward, inverse), nil
		},
		Context: func(in pairInput) map[string][]string { return pairContext(in.From, in.To) },
		Results: func(_ *endpoint.Call, out [][]defaultBody) any {
			flat := make([]defaultBody, 0, 2*len(out))
			for _, o := range out {
				flat = append(flat, o...)
			}
			return flat
		},
		MaxInputs:       maxWriteInputs,
		AnswerAllFailed: true,
	}, nil
}

func (a associations) batchRead(c *endpoint.Call, _ *batch.Body[readInput]) (batch.Spec[readInput, readBody], error) {
	f, t, err := batchTypes(c)
	if err != nil {
		return batch.Spec[readInput, readBody]{}, err
	}
	r := newTypeRenderer(c, f, t)
	return batch.Spec[readInput, readBody]{
		Apply: func(_ *endpoint.Call, tx *store.Tx, in readInput) (readBody, *store.InputError) {
			id := idText(in.ID)
			page, next := tx.Associations(store.RecordRef{Type: f.Key(), ID: id}, t.Key(), in.After, readPageSize)
			if len(page) == 0 && in.After == "" {
				// HubSpot leaves such a record out of results and reports
				// it (HUBSPOT-RECORDS.md §3.2); its subCategory string
				// (crm.associations.NO_ASSOCIATIONS_FOUND) is left out, as
				// the contract types subCategory as an object (§7 #14).
				return readBody{}, &store.InputError{
					Kind:    store.KindNotFound,
					Message: fmt.Sprintf(msgNoAssociations, t.Name, f.Name, id),
					Context: map[string][]string{"fromObjectId": {id}, "fromObjectType": {f.Name}, "toObjectType": {t.Name}},
				}
			}
			out := readBody{From: idBody{id}, To: r.page(page)}
			if next != "" {
				out.Paging = &paging{Next: nextPage{After: next}}
			}
			return out, nil
		},
		Context:         func(in readInput) map[string][]string { return map[string][]string{"fromObjectId": {idText(in.ID)}} },
		Results:         func(_ *endpoint.Call, out []readBody) any { return nonNil(out) },
		MaxInputs:       maxReadInputs,
		AnswerAllFailed: true,
	}, nil
}

func (a associations) batchArchive(c *endpoint.Call, _ *batch.Body[archiveInput]) (batch.Spec[archiveInput, removed], error) {
	f, t, err := batchTypes(c)
	if err != nil {
		return batch.Spec[archiveInput, removed]{}, err
	}
	return batch.Spec[archiveInput, removed]{
		Apply: func(_ *endpoint.Call, tx *store.Tx, in archiveInput) (removed, *store.InputError) {
			from := store.RecordRef{Type: f.Key(), ID: idText(in.From.ID)}
			for _, to := range in.To {
				if err := tx.Dissociate(from, store.RecordRef{Type: t.Key(), ID: idText(to.ID)}); err != nil {
					return removed{}, inputError(err)
				}
			}
			return removed{}, nil
		},
		Context: func(in archiveInput) map[string][]string {
			return map[string][]string{"fromObjectId": {idText(in.From.ID)}}
		},
		Results:   emptyResults[removed],
		MaxInputs: maxWriteInputs,
	}, nil
}

func (a associations) batchArchiveLabels(c *endpoint.Call, _ *batch.Body[typesInput]) (batch.Spec[typesInput, removed], error) {
	f, t, err := batchTypes(c)
	if err != nil {
		return batch.Spec[typesInput, removed]{}, err
	}
	return batch.Spec[typesInput, removed]{
		Apply: func(_ *endpoint.Call, tx *store.Tx, in typesInput) (removed, *store.InputError) {
			from := store.RecordRef{Type: f.Key(), ID: idText(in.From.ID)}
			to := store.RecordRef{Type: t.Key(), ID: idText(in.To.ID)}
			if err := tx.RemoveAssociationTypes(from, to, specs(in.Types)); err != nil {
				return removed{}, inputError(err)
			}
			return removed{}, nil
		},
		Context:   func(in typesInput) map[string][]string { return pairContext(in.From, in.To) },
		Results:   emptyResults[removed],
		MaxInputs: maxWriteInputs,
	}, nil
}

// emptyResults is the results list of removals, which carry no data.
func emptyResults[Out any](*endpoint.Call, []Out) any { return json.RawMessage("[]") }

// nonNil keeps an empty results list from encoding as null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
