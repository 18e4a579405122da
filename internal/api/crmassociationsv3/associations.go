// Package crmassociationsv3 serves HubSpot's legacy (v3) association calls,
// which older integrations and the v3 object clients still make
// (HUBSPOT-RECORDS.md §3.1): batch create, read and archive under
// /crm/v3/associations/{fromObjectType}/{toObjectType}, and one association
// between two records under /crm/v3/objects/{objectType}/{objectId}/
// associations/{toObjectType}/{toObjectId}/{associationType}. Its
// operations are in the crm-associations-v3 source of our documents.
//
// v3 names association types by text (contact_to_company; the store's
// AssocTypeName) where v4 uses category and typeId; a numeric type id is
// taken too. The association records are v4's: the store enforces every
// configured limit here as on every other path.
//
// The paths have a family of their own: none of them collides with
// crm-objects' in the router (the per-record path is longer than any
// objects path), and the other association families serve v4 and dated
// versions only.
package crmassociationsv3

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/mockhub/mockhub/internal/api/crmobjects"
	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/batch"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/objecttype"
	"github.com/mockhub/mockhub/internal/store"
)

// Inputs per batch: HubSpot's figures for association batches
// (HUBSPOT-RECORDS.md §7 #10): create and archive 2,000, read 1,000.
const (
	maxWriteInputs = 2000
	maxReadInputs  = 1000
)

// msgNoAssociations is HubSpot's error item for a batch read input without
// associations of the asked type (HUBSPOT-RECORDS.md §6).
const msgNoAssociations = "No %s is associated with %s %s."

// Deps is what the family needs from the server.
type Deps struct {
	// Batches runs the batch operations.
	Batches *batch.Runner
}

// Register binds the family's operations.
func Register(reg *endpoint.Registry, d Deps) {
	batch.HandleWith(reg, d.Batches, "associations-v3-batch-create", inputsOf[pairInput], batchCreate)
	batch.HandleWith(reg, d.Batches, "associations-v3-batch-read", inputsOf[idInput], batchRead)
	batch.HandleWith(reg, d.Batches, "associations-v3-batch-archive", inputsOf[pairInput], batchArchive)
	reg.Handle("associations-v3-create", create)
	reg.Handle("associations-v3-archive", archive)
}

func inputsOf[In any](b *batch.Body[In]) []In { return b.Inputs }

// idInput is a record by id; HubSpot's examples send numbers too.
type idInput struct {
	ID any `json:"id"`
}

// pairInput is an input of batch create and archive.
type pairInput struct {
	From idInput `json:"from"`
	To   idInput `json:"to"`
	Type string  `json:"type"`
}

// pairOut is an association of a batch create's answer.
type pairOut struct {
	From idOut  `json:"from"`
	To   idOut  `json:"to"`
	Type string `json:"type"`
}

type idOut struct {
	ID string `json:"id"`
}

// readOut is one record's associations in a batch read's answer.
type readOut struct {
	From idOut      `json:"from"`
	To   []assocOut `json:"to"`
}

type assocOut struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// idText is an id as text: digits as sent, a number as its digits.
func idText(id any) string {
	if text, err := schema.ValueText(id); err == nil {
		return text
	}
	return fmt.Sprint(id)
}

// objectType returns the portal's type of path parameter name, or HubSpot's
// 400 for a type the portal does not have.
func objectType(c *endpoint.Call, v *store.View, name string) (*schema.ObjectType, error) {
	key := endpoint.Value[objecttype.Type](c, name).Key()
	if t, ok := v.ObjectType(key); ok {
		return t, nil
	}
	msg := "Unable to infer object type from: " + c.Param(name)
	return nil, apierr.Validation(msg, apierr.Detail{Message: msg, In: name})
}

// pairOf resolves the two object types of a call.
func pairOf(c *endpoint.Call, fromParam string) (from, to *schema.ObjectType, err error) {
	c.Portal().View(func(v *store.View) {
		if from, err = objectType(c, v, fromParam); err != nil {
			return
		}
		to, err = objectType(c, v, "toObjectType")
	})
	return from, to, err
}

// invalidType refuses a type name or id that is not a type of the pair:
// the store's refusal of an invalid type, with the name as sent.
func invalidType(name string) *store.Error {
	return &store.Error{Kind: store.KindInvalid, Message: store.MsgAssociationsInvalid, Context: map[string][]string{
		"associationSpec":             {name},
		"INVALID_ASSOCIATION_TYPE_ID": {name + " is not a valid association definition id"},
	}}
}

// typeOf resolves a v3 type name (or numeric id) on the pair.
func typeOf(v *store.View, p store.Pair, name string) (store.AssocType, error) {
	at, ok := v.AssocTypeByName(p, strings.TrimSpace(name))
	if !ok {
		return store.AssocType{}, invalidType(name)
	}
	return at, nil
}

// inputError turns a refusal into the failure of one batch input, keeping
// the store's context (what was refused and why).
func inputError(err error, context map[string][]string) *store.InputError {
	return apierr.AsInput(err, context)
}

func pairContext(in pairInput) map[string][]string {
	return map[string][]string{"from": {idText(in.From.ID)}, "to": {idText(in.To.ID)}}
}

// batchCreate associates each pair with the named type (v3 adds the type;
// the unlabeled type is implied) and answers both directions of each
// association, forward first, as a live v3 call did (HUBSPOT-RECORDS.md
// §3.1). Inputs are applied in order, each against what the earlier ones
// left, so a configured limit refuses the input that would pass it.
func batchCreate(c *endpoint.Call, _ *batch.Body[pairInput]) (batch.Spec[pairInput, []pairOut], error) {
	from, to, err := pairOf(c, "fromObjectType")
	if err != nil {
		return batch.Spec[pairInput, []pairOut]{}, err
	}
	p := store.Pair{From: from.Key(), To: to.Key()}
	return batch.Spec[pairInput, []pairOut]{
		Apply: func(_ *endpoint.Call, tx *store.Tx, in pairInput) ([]pairOut, *store.InputError) {
			at, err := typeOf(&tx.View, p, in.Type)
			if err != nil {
				return nil, inputError(err, pairContext(in))
			}
			f := store.RecordRef{Type: p.From, ID: idText(in.From.ID)}
			t := store.RecordRef{Type: p.To, ID: idText(in.To.ID)}
			if _, err := tx.Associate(f, t, []store.AssocSpec{{Category: at.Category, TypeID: at.TypeID}}, store.AssocAdd); err != nil {
				return nil, inputError(err, pairContext(in))
			}
			out := []pairOut{{From: idOut{f.ID}, To: idOut{t.ID}, Type: tx.AssocTypeName(at)}}
			if inv, ok := tx.InverseType(p, at.TypeID); ok {
				out = append(out, pairOut{From: idOut{t.ID}, To: idOut{f.ID}, Type: tx.AssocTypeName(inv)})
			}
			return out, nil
		},
		MaxInputs: maxWriteInputs,
		Context:   pairContext,
		Results: func(_ *endpoint.Call, applied [][]pairOut) any {
			out := make([]pairOut, 0, 2*len(applied))
			for _, a := range applied {
				out = append(out, a...)
			}
			return out
		},
		// As v4's batch create: every input failing is still a 207 with
		// empty results (HUBSPOT-RECORDS.md §4.4).
		AnswerAllFailed: true,
	}, nil
}

// batchRead lists each record's associations with the other type, one
// entry per association type. A record without any (or that does not
// exist) is HubSpot's NO_ASSOCIATIONS_FOUND item (HUBSPOT-RECORDS.md §6).
func batchRead(c *endpoint.Call, _ *batch.Body[idInput]) (batch.Spec[idInput, readOut], error) {
	from, to, err := pairOf(c, "fromObjectType")
	if err != nil {
		return batch.Spec[idInput, readOut]{}, err
	}
	return batch.Spec[idInput, readOut]{
		Apply: func(_ *endpoint.Call, tx *store.Tx, in idInput) (readOut, *store.InputError) {
			id := idText(in.ID)
			out := readOut{From: idOut{id}, To: []assocOut{}}
			// An archived record's associations are hidden: it reads as one
			// without any.
			if rec, ok := tx.Record(from.Key(), id); !ok || rec.Archived {
				return readOut{}, noAssociations(from, to, id)
			}
			names := map[store.AssocType]string{}
			ref := store.RecordRef{Type: from.Key(), ID: id}
			after := ""
			for {
				page, next := tx.Associations(ref, to.Key(), after, maxReadInputs)
				for _, a := range page {
					for _, at := range a.Types {
						key := at
						key.Label = nil
						n, ok := names[key]
						if !ok {
							n = tx.AssocTypeName(at)
							names[key] = n
						}
						out.To = append(out.To, assocOut{ID: a.ToID, Type: n})
					}
				}
				if next == "" {
					break
				}
				after = next
			}
			if len(out.To) == 0 {
				return readOut{}, noAssociations(from, to, id)
			}
			return out, nil
		},
		MaxInputs: maxReadInputs,
		Context:   func(in idInput) map[string][]string { return map[string][]string{"ids": {idText(in.ID)}} },
		Results: func(_ *endpoint.Call, applied []readOut) any {
			return append(make([]readOut, 0, len(applied)), applied...)
		},
		AnswerAllFailed: true,
	}, nil
}

// batchArchive removes the named type between each pair; removing the
// unlabeled type removes every type (as v4's labels archive). Pairs that
// are not associated are no error. The answer is 204 whatever happened, so
// an input the call cannot understand (a type name of another pair)
// refuses the whole call and nothing is removed.
func batchArchive(c *endpoint.Call, _ *batch.Body[pairInput]) (batch.Spec[pairInput, struct{}], error) {
	from, to, err := pairOf(c, "fromObjectType")
	if err != nil {
		return batch.Spec[pairInput, struct{}]{}, err
	}
	p := store.Pair{From: from.Key(), To: to.Key()}
	return batch.Spec[pairInput, struct{}]{
		Apply: func(_ *endpoint.Call, tx *store.Tx, in pairInput) (struct{}, *store.InputError) {
			at, err := typeOf(&tx.View, p, in.Type)
			if err != nil {
				return struct{}{}, inputError(err, pairContext(in))
			}
			f := store.RecordRef{Type: p.From, ID: idText(in.From.ID)}
			t := store.RecordRef{Type: p.To, ID: idText(in.To.ID)}
			if err := tx.RemoveAssociationTypes(f, t, []store.AssocSpec{{Category: at.Category, TypeID: at.TypeID}}); err != nil {
				return struct{}{}, inputError(err, pairContext(in))
			}
			return struct{}{}, nil
		},
		MaxInputs: maxWriteInputs,
		Context:   pairContext,
		Results:   func(*endpoint.Call, []struct{}) any { return []struct{}{} },
	}, nil
}

// noAssociations is the batch read item of a record id without
// associations with records of type to.
func noAssociations(from, to *schema.ObjectType, id string) *store.InputError {
	return &store.InputError{
		Kind:    store.KindNotFound,
		Message: fmt.Sprintf(msgNoAssociations, to.Name, from.Name, id),
		Context: map[string][]string{"ids": {id}},
	}
}

// onePair is what the per-record calls name: the two records and the type.
type onePair struct {
	t, toType *schema.ObjectType
	from, to  store.RecordRef
	typeName  string
}

func onePairOf(c *endpoint.Call) (onePair, error) {
	t, toType, err := pairOf(c, "objectType")
	if err != nil {
		return onePair{}, err
	}
	return onePair{
		t: t, toType: toType,
		from:     store.RecordRef{Type: t.Key(), ID: c.Param("objectId")},
		to:       store.RecordRef{Type: toType.Key(), ID: c.Param("toObjectId")},
		typeName: c.Param("associationType"),
	}, nil
}

func (o onePair) pair() store.Pair { return store.Pair{From: o.t.Key(), To: o.toType.Key()} }

// create associates two records with one type and answers the record with
// its associations of the target type (HubSpot's v3 object clients expect
// SimplePublicObjectWithAssociations). Refusals are the store's: an
// unknown record, a type of another pair, or a configured limit (400).
func create(c *endpoint.Call) (endpoint.Reply, error) {
	o, err := onePairOf(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	var body any
	err = c.Portal().Update(func(tx *store.Tx) error {
		at, err := typeOf(&tx.View, o.pair(), o.typeName)
		if err != nil {
			return err
		}
		if _, err := tx.Associate(o.from, o.to, []store.AssocSpec{{Category: at.Category, TypeID: at.TypeID}}, store.AssocAdd); err != nil {
			return err
		}
		rec, ok := tx.Record(o.from.Type, o.from.ID)
		if !ok {
			// Associate has checked the record is live.
			return apierr.Internal()
		}
		body = crmobjects.RecordWithAssociations(&tx.View, o.t, rec, o.toType)
		return nil
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusOK, Body: body}, nil
}

// archive removes one type between two records (the unlabeled type: every
// type); records that are not associated, or do not exist, are no error.
func archive(c *endpoint.Call) (endpoint.Reply, error) {
	o, err := onePairOf(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	err = c.Portal().Update(func(tx *store.Tx) error {
		at, err := typeOf(&tx.View, o.pair(), o.typeName)
		if err != nil {
			return err
		}
		return tx.RemoveAssociationTypes(o.from, o.to, []store.AssocSpec{{Category: at.Category, TypeID: at.TypeID}})
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.NoContent, nil
}
