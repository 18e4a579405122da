package crmassociations

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/store"
)

// Page sizes of a record's association list (HUBSPOT-RECORDS.md §3.2): 500
// by default and at most; a larger limit is lowered, never refused, so
// that clients page on.
const (
	defaultLimit = 500
	maxLimit     = 500
)

// associations serves the association record operations.
type associations struct {
	clock clock.Clock
}

// refs are the object types and records of a single-pair call.
func refs(c *endpoint.Call) (f, t *schema.ObjectType, from, to store.RecordRef, err error) {
	if f, t, err = pairTypes(c, "objectType", "toObjectType"); err != nil {
		return nil, nil, from, to, err
	}
	from = store.RecordRef{Type: f.Key(), ID: pathID(c, "objectId")}
	to = store.RecordRef{Type: t.Key(), ID: pathID(c, "toObjectId")}
	return f, t, from, to, nil
}

func (a associations) createDefault(c *endpoint.Call) (endpoint.Reply, error) {
	_, _, from, to, err := refs(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	var forward, inverse store.AssocType
	err = c.Portal().Update(func(tx *store.Tx) error {
		var err error
		forward, inverse, err = tx.AssociateDefault(from, to)
		return err
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusOK, Body: a.envelope(c, defaults(from.ID, to.ID, forward, inverse))}, nil
}

func (a associations) create(c *endpoint.Call, body *[]specBody) (endpoint.Reply, error) {
	f, t, from, to, err := refs(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	var types []store.AssocType
	err = c.Portal().Update(func(tx *store.Tx) error {
		var err error
		types, err = tx.Associate(from, to, specs(*body), store.AssocSetLabels)
		return err
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	reply := endpoint.Reply{Status: http.StatusCreated, Body: labelsBetween(f, t, from.ID, to.ID, types)}
	if hasHeader(c, "Location") {
		// What HubSpot's Location points at is not recorded; the pair's
		// own path is where its association lives.
		reply.Header = http.Header{"Location": {requestPath(c)}}
	}
	return reply, nil
}

func (a associations) archive(c *endpoint.Call) (endpoint.Reply, error) {
	_, _, from, to, err := refs(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	if err := c.Portal().Update(func(tx *store.Tx) error { return tx.Dissociate(from, to) }); err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.NoContent, nil
}

// pageBody is a page of a record's associations.
type pageBody struct {
	Results []multiBody `json:"results"`
	Paging  *paging     `json:"paging,omitempty"`
}

func (a associations) list(c *endpoint.Call) (endpoint.Reply, error) {
	f, t, err := pairTypes(c, "objectType", "toObjectType")
	if err != nil {
		return endpoint.Reply{}, err
	}
	from := store.RecordRef{Type: f.Key(), ID: pathID(c, "objectId")}
	q := c.Query()
	limit := defaultLimit
	if s := q.Get("limit"); s != "" {
		// The contract has checked it is an int32.
		limit, _ = strconv.Atoi(s)
	}
	limit = min(max(limit, 1), maxLimit)
	var page []store.Association
	var next string
	c.Portal().View(func(v *store.View) { page, next = v.Associations(from, t.Key(), q.Get("after"), limit) })
	out := pageBody{Results: newTypeRenderer(c, f, t).page(page)}
	if next != "" {
		out.Paging = &paging{Next: nextPage{After: next, Link: nextLink(c, next)}}
	}
	return endpoint.Reply{Status: http.StatusOK, Body: out}, nil
}

// nextLink is the same request with after moved to the next page.
func nextLink(c *endpoint.Call, after string) string {
	q := url.Values{}
	for k, vs := range c.Query() {
		q[k] = vs
	}
	q.Set("after", after)
	return requestPath(c) + "?" + q.Encode()
}

// usageBody is the answer of the high-usage report request.
type usageBody struct {
	UserEmail   string      `json:"userEmail"`
	UserID      int32       `json:"userId"`
	EnqueueTime enqueueTime `json:"enqueueTime"`
}

type enqueueTime struct {
	DateOnly      bool  `json:"dateOnly"`
	TimeZoneShift int32 `json:"timeZoneShift"`
	Value         int64 `json:"value"`
}

// usageReport answers HubSpot's request for the high-usage report, which
// HubSpot e-mails to the user (HUBSPOT.md §4). mockhub sends nothing: it
// acknowledges the request as queued now. Portals have no users here, so
// the e-mail address is made up from the id.
func (a associations) usageReport(c *endpoint.Call) (endpoint.Reply, error) {
	// The contract has checked it is an int32.
	id, _ := strconv.ParseInt(c.Param("userId"), 10, 32)
	return endpoint.Reply{Status: http.StatusOK, Body: usageBody{
		UserEmail:   "user-" + strconv.FormatInt(id, 10) + "@example.com",
		UserID:      int32(id),
		EnqueueTime: enqueueTime{Value: a.clock.Now().UnixMilli()},
	}}, nil
}
