package crmassociations

import (
	"fmt"
	"strings"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/batch"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/objecttype"
	"github.com/mockhub/mockhub/internal/store"
)

// msgUnknownTypeAt starts HubSpot's answer to an object type it cannot
// resolve (HUBSPOT.md §6).
const msgUnknownTypeAt = "Unable to infer object type from: "

// specBody is HubSpot's AssociationSpec: one association type, in the
// direction of the request.
type specBody struct {
	Category string `json:"associationCategory"`
	TypeID   int32  `json:"associationTypeId"`
}

// typeBody is an association type with its label (AssociationSpecWithLabel);
// the object type ids only where the version's contract has them. The
// unlabeled type has no label field, as in the labels API: HubSpot's docs
// show null, but its schemas type label as a plain string, which a strict
// client rejects as null, and an absent field satisfies both.
type typeBody struct {
	Category         string  `json:"category"`
	TypeID           int32   `json:"typeId"`
	Label            *string `json:"label,omitempty"`
	FromObjectTypeID string  `json:"fromObjectTypeId,omitempty"`
	ToObjectTypeID   string  `json:"toObjectTypeId,omitempty"`
}

// multiBody is an associated record with the types that link it
// (MultiAssociatedObjectWithLabel).
type multiBody struct {
	ToObjectID       string     `json:"toObjectId"`
	AssociationTypes []typeBody `json:"associationTypes"`
}

// idBody names a record in an answer; ids are strings (HUBSPOT-RECORDS.md
// §3.2, §7 #13).
type idBody struct {
	ID string `json:"id"`
}

// defaultBody is one direction of a default association
// (PublicDefaultAssociation).
type defaultBody struct {
	From            idBody   `json:"from"`
	To              idBody   `json:"to"`
	AssociationSpec specBody `json:"associationSpec"`
}

// labelsBody is the labels between two records (LabelsBetweenObjectPair).
type labelsBody struct {
	FromObjectTypeID string   `json:"fromObjectTypeId"`
	FromObjectID     string   `json:"fromObjectId"`
	ToObjectTypeID   string   `json:"toObjectTypeId"`
	ToObjectID       string   `json:"toObjectId"`
	Labels           []string `json:"labels"`
}

// paging points at the next page.
type paging struct {
	Next nextPage `json:"next"`
}

type nextPage struct {
	After string `json:"after"`
	Link  string `json:"link,omitempty"`
}

// pairTypes returns the portal's object types named by two path
// parameters. The router has already refused spellings no object type can
// have; a custom object type the portal does not define gets the same
// answer.
func pairTypes(c *endpoint.Call, fromParam, toParam string) (from, to *schema.ObjectType, err error) {
	c.Portal().View(func(v *store.View) {
		if from, err = portalType(c, v, fromParam); err == nil {
			to, err = portalType(c, v, toParam)
		}
	})
	return from, to, err
}

func portalType(c *endpoint.Call, v *store.View, param string) (*schema.ObjectType, error) {
	if t, ok := v.ObjectType(endpoint.Value[objecttype.Type](c, param).Key()); ok {
		return t, nil
	}
	msg := msgUnknownTypeAt + c.Param(param)
	return nil, apierr.Validation(msg, apierr.Detail{Message: msg, In: param})
}

// pathID is a record id of the path, percent-decoded.
func pathID(c *endpoint.Call, param string) string { return c.DecodedParam(param) }

// idText is a request's record id as text: the contract takes strings and,
// as HubSpot's examples send them, integers.
func idText(id any) string {
	if text, err := schema.ValueText(id); err == nil {
		return text
	}
	return fmt.Sprint(id)
}

// specs turns request specs into the store's.
func specs(in []specBody) []store.AssocSpec {
	out := make([]store.AssocSpec, len(in))
	for i, s := range in {
		out[i] = store.AssocSpec{Category: s.Category, TypeID: s.TypeID}
	}
	return out
}

// defaults renders a default association, the request's direction first
// (HUBSPOT-RECORDS.md §7 #16).
func defaults(fromID, toID string, forward, inverse store.AssocType) []defaultBody {
	return []defaultBody{
		{From: idBody{fromID}, To: idBody{toID}, AssociationSpec: specBody{forward.Category, forward.TypeID}},
		{From: idBody{toID}, To: idBody{fromID}, AssociationSpec: specBody{inverse.Category, inverse.TypeID}},
	}
}

// labelsBetween renders the pair's types after a labeled create: the texts
// of its labeled types, none for the unlabeled one (HUBSPOT-RECORDS.md §7
// #15).
func labelsBetween(from, to *schema.ObjectType, fromID, toID string, types []store.AssocType) labelsBody {
	out := labelsBody{FromObjectTypeID: from.ID, FromObjectID: fromID, ToObjectTypeID: to.ID, ToObjectID: toID, Labels: []string{}}
	for _, t := range types {
		if t.Label != nil {
			out.Labels = append(out.Labels, *t.Label)
		}
	}
	return out
}

// typeRenderer renders association types of one object type pair.
type typeRenderer struct {
	fromTypeID, toTypeID string
}

// newTypeRenderer names the pair's object types in each type only where
// the version's contract has those fields (not 2026-09).
func newTypeRenderer(c *endpoint.Call, from, to *schema.ObjectType) typeRenderer {
	if !contractHasTypeIDs(c) {
		return typeRenderer{}
	}
	return typeRenderer{fromTypeID: from.ID, toTypeID: to.ID}
}

func contractHasTypeIDs(c *endpoint.Call) bool {
	if c.Op == nil || c.Op.Document == nil || c.Op.Document.Spec == nil || c.Op.Document.Spec.Components == nil {
		return false
	}
	s := c.Op.Document.Spec.Components.Schemas["AssocSpecWithLabel"]
	return s != nil && s.Value != nil && s.Value.Properties["fromObjectTypeId"] != nil
}

func (r typeRenderer) multi(a store.Association) multiBody {
	out := multiBody{ToObjectID: a.ToID, AssociationTypes: make([]typeBody, len(a.Types))}
	for i, t := range a.Types {
		out.AssociationTypes[i] = typeBody{Category: t.Category, TypeID: t.TypeID, Label: t.Label, FromObjectTypeID: r.fromTypeID, ToObjectTypeID: r.toTypeID}
	}
	return out
}

func (r typeRenderer) page(page []store.Association) []multiBody {
	out := make([]multiBody, len(page))
	for i, a := range page {
		out[i] = r.multi(a)
	}
	return out
}

// envelope is the batch answer of a single-pair operation (A1 answers one).
func (a associations) envelope(c *endpoint.Call, results any) batch.Envelope {
	return batch.Envelope{
		Status:      batch.StatusComplete,
		Results:     results,
		RequestedAt: endpoint.FormatTime(c.RequestedAt),
		StartedAt:   endpoint.FormatTime(c.StartedAt),
		CompletedAt: endpoint.FormatTime(a.clock.Now()),
	}
}

// requestPath is the call's path as sent: its document path with the path
// parameters as the request spelled them (already valid path segments:
// they come from the request's own path).
func requestPath(c *endpoint.Call) string {
	path := c.Op.Path
	for name, value := range c.Params() {
		path = strings.Replace(path, "{"+name+"}", value, 1)
	}
	return path
}

// hasHeader reports whether the operation's success answer declares header.
func hasHeader(c *endpoint.Call, header string) bool {
	if c.Op.Operation == nil || c.Op.Operation.Responses == nil {
		return false
	}
	resp := c.Op.Operation.Responses.Status(c.Op.Success)
	return resp != nil && resp.Value != nil && resp.Value.Headers[header] != nil
}

// inputError turns the error the store (or a single operation) answers
// into the failure of one batch input, keeping its message and context.
func inputError(err error) *store.InputError { return apierr.AsInput(err, nil) }
