package crmobjects

import (
	"time"

	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/objecttype"
	"github.com/mockhub/mockhub/internal/store"
)

// Page sizes of a list (HUBSPOT-RECORDS.md §1.2, §7 #11): a larger limit is
// lowered, never refused, so that clients page on.
const (
	defaultLimit     = 10
	maxLimit         = 100
	maxLimitHistory  = 50
	msgNonNumericID  = "Object not found.  objectId are usually numeric."
	msgUnknownTypeAt = "Unable to infer object type from: "
)

// objects serves the record operations.
type objects struct {
	clock     clock.Clock
	searchLag time.Duration
}

// input is the body of objects-create and objects-update. Values are
// strings, numbers, booleans or null (the contract says which).
type input struct {
	Properties map[string]any `json:"properties"`
	// Associations is taken by a create only (associations.go).
	Associations []assocInput `json:"associations"`
}

// objectType returns the portal's type of the call's path: a catalog type
// with the portal's custom properties, or one of its custom object types.
// The router has already refused spellings no object type can have; a type
// mockhub keeps no records for (products) or a custom object type the
// portal does not define gets the same answer.
func (o objects) objectType(c *endpoint.Call) (*schema.ObjectType, error) {
	raw := c.Param("objectType")
	key := endpoint.Value[objecttype.Type](c, "objectType").Key()
	var t *schema.ObjectType
	ok := false
	c.Portal().View(func(v *store.View) { t, ok = v.ObjectType(key) })
	if ok {
		return t, nil
	}
	msg := msgUnknownTypeAt + raw
	return nil, apierr.Validation(msg, apierr.Detail{Message: msg, In: "objectType"})
}

// notFound is HubSpot's 404 for an object id: a non-numeric id without
// idProperty has its own message (HUBSPOT-RECORDS.md §6, §7 #6).
func notFound(raw string, numericRule bool) error {
	msg := store.MsgRecordNotFound
	if numericRule {
		msg = msgNonNumericID
	}
	e := apierr.NotFound(msg)
	e.Context = map[string][]string{"id": {raw}}
	return e
}

// objectID is the path's objectId percent-decoded: HubSpot was seen not to
// decode %40 in an email (HUBSPOT-RECORDS.md §2.7), which only punishes
// clients that encode paths correctly, so we decode.
func objectID(c *endpoint.Call) string { return c.DecodedParam("objectId") }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// recordID turns the path's objectId into a record id: as is, or looked up
// by the unique property idProperty names (email for contacts).
func recordID(v *store.View, t *schema.ObjectType, raw, idProperty string) (string, error) {
	if idProperty == "" || idProperty == "hs_object_id" {
		if !isDigits(raw) {
			return "", notFound(raw, idProperty == "")
		}
		return raw, nil
	}
	id, ok := v.FindUnique(t.Key(), idProperty, raw)
	if !ok {
		return "", notFound(raw, false)
	}
	return id, nil
}

// names reads a repeated, comma-separated list query parameter.
func names(q url.Values, key string) []string {
	var out []string
	for _, v := range q[key] {
		for n := range strings.SplitSeq(v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

// readOptions are the query parameters of reads and lists.
type readOptions struct {
	properties, history []string
	archived            bool
}

func optionsOf(q url.Values) readOptions {
	archived, _ := strconv.ParseBool(q.Get("archived"))
	return readOptions{properties: names(q, "properties"), history: names(q, "propertiesWithHistory"), archived: archived}
}

func (o objects) list(c *endpoint.Call) (endpoint.Reply, error) {
	t, err := o.objectType(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	q := c.Query()
	opts := optionsOf(q)
	targets, err := assocTargets(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	limit := defaultLimit
	if s := q.Get("limit"); s != "" {
		// The contract has checked it is an int32.
		limit, _ = strconv.Atoi(s)
	}
	ceiling := maxLimit
	if len(opts.history) > 0 {
		ceiling = maxLimitHistory
	}
	limit = min(max(limit, 1), ceiling)

	var page []store.Record
	var next string
	var embedded []map[string]assocList
	c.Portal().View(func(v *store.View) {
		page, next = v.Records(t.Key(), q.Get("after"), limit, opts.archived)
		if len(targets) > 0 {
			e := newEmbedder(v, targets)
			for _, r := range page {
				embedded = append(embedded, e.of(t, r))
			}
		}
	})
	out := pageBody{Results: make([]objectBody, 0, len(page))}
	names := selectRead(t, opts.properties)
	for i, r := range page {
		out.Results = append(out.Results, render(t, r, names, opts.history))
		if embedded != nil {
			out.Results[i].Associations = embedded[i]
		}
	}
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
	path := strings.Replace(c.Op.Path, "{objectType}", url.PathEscape(c.Param("objectType")), 1)
	return path + "?" + q.Encode()
}

func (o objects) read(c *endpoint.Call) (endpoint.Reply, error) {
	t, err := o.objectType(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	q := c.Query()
	opts := optionsOf(q)
	raw := objectID(c)
	targets, err := assocTargets(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	var rec store.Record
	var embedded map[string]assocList
	c.Portal().View(func(v *store.View) {
		var id string
		if id, err = recordID(v, t, raw, q.Get("idProperty")); err != nil {
			return
		}
		var ok bool
		if rec, ok = v.Record(t.Key(), id); !ok || rec.Archived != opts.archived {
			err = notFound(raw, false)
			return
		}
		embedded = newEmbedder(v, targets).of(t, rec)
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	body := render(t, rec, selectRead(t, opts.properties), opts.history)
	body.Associations = embedded
	return endpoint.Reply{Status: http.StatusOK, Body: body}, nil
}

func (o objects) create(c *endpoint.Call, in *input) (endpoint.Reply, error) {
	t, err := o.objectType(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	props, err := o.checkWrite(c, t, nil, in)
	if err != nil {
		return endpoint.Reply{}, err
	}
	values := newValues(t, props)
	var rec store.Record
	err = c.Portal().Update(func(tx *store.Tx) error {
		var err error
		if rec, err = tx.CreateRecord(t.Key(), values, o.clock.Now()); err != nil {
			return err
		}
		return associateNew(tx, t, rec.ID, in.Associations)
	})
	if err != nil {
		return endpoint.Reply{}, conflictOnly(err)
	}
	return endpoint.Reply{Status: http.StatusCreated, Body: render(t, rec, selectAll(t, rec), nil)}, nil
}

func (o objects) update(c *endpoint.Call, in *input) (endpoint.Reply, error) {
	t, err := o.objectType(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	raw := objectID(c)
	idProperty := c.Query().Get("idProperty")
	var rec store.Record
	var written map[string]string
	err = c.Portal().Update(func(tx *store.Tx) error {
		id, err := recordID(&tx.View, t, raw, idProperty)
		if err != nil {
			return err
		}
		cur, ok := tx.Record(t.Key(), id)
		if !ok || cur.Archived {
			return notFound(raw, false)
		}
		if written, err = o.checkWrite(c, t, cur.Properties, in); err != nil {
			return err
		}
		rec, err = tx.UpdateRecord(t.Key(), id, written, o.clock.Now())
		return err
	})
	if err != nil {
		return endpoint.Reply{}, conflictOnly(err)
	}
	return endpoint.Reply{Status: http.StatusOK, Body: render(t, rec, selectUpdate(t, written), nil)}, nil
}

func (o objects) archive(c *endpoint.Call) (endpoint.Reply, error) {
	t, err := o.objectType(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	raw := objectID(c)
	if !isDigits(raw) {
		return endpoint.Reply{}, notFound(raw, true)
	}
	err = c.Portal().Update(func(tx *store.Tx) error { return tx.ArchiveRecord(t.Key(), raw, o.clock.Now()) })
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.NoContent, nil
}

// conflictOnly answers a duplicate unique value as HubSpot does: 409 with
// the message alone ("Contact already exists. Existing ID: N",
// HUBSPOT-RECORDS.md §6), no errors list.
func conflictOnly(err error) error {
	var se *store.Error
	if errors.As(err, &se) && se.Kind == store.KindConflict {
		return apierr.Conflict(se.Message)
	}
	return err
}
