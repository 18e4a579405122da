// Package endpoint is mockhub's model of an API operation. A request that
// passed the guards (auth, scopes, rate limit, fault) becomes a Call: its
// portal, its path parameters resolved by name, and its body validated
// against the operation's contract and bound to the handler's Go type. Each
// API family registers its handlers in a Registry by operationId; the server
// mounts one Endpoint per operation of the documents and refuses to start
// when one has no handler.
package endpoint

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"time"

	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/store"
)

// Call is one validated request, ready for its handler.
type Call struct {
	// Op is the operation the request was routed to.
	Op *openapi.Operation
	// PortalID is the portal the caller authenticated for.
	PortalID int64
	// RequestedAt is when the request arrived and StartedAt when its handler
	// started, both on the server's clock; batch envelopes carry them.
	RequestedAt, StartedAt time.Time
	// Fault is the batch fault (faults.BatchStatus, faults.Partial) that
	// fired for this request, if any; the batch runner honours it.
	Fault faults.Fault

	store *store.Store
	// portal is looked up on first use, so a request refused before its
	// handler creates no portal.
	portal *store.Portal
	// raw holds the path parameters as sent, resolved their resolved values
	// (a few per call: a slice beats a map, and buf keeps it off the heap).
	raw      map[string]string
	resolved []resolvedParam
	buf      [4]resolvedParam
	// body is the validated, decoded body (nil without one).
	body any
	url  *url.URL
	// query is url's parsed query, on first use.
	query url.Values
}

// Query returns the request's query parameters.
func (c *Call) Query() url.Values {
	if c.query == nil {
		c.query = url.Values{}
		if c.url != nil {
			c.query = c.url.Query()
		}
	}
	return c.query
}

// RawQuery returns the request's query string as sent.
func (c *Call) RawQuery() string {
	if c.url == nil {
		return ""
	}
	return c.url.RawQuery
}

// Portal returns the caller's portal, creating it on first use.
func (c *Call) Portal() *store.Portal {
	if c.portal == nil {
		c.portal = c.store.Portal(c.PortalID)
	}
	return c.portal
}

// Params returns a copy of the path parameters as sent.
func (c *Call) Params() map[string]string { return maps.Clone(c.raw) }

// Param returns the path parameter name as sent.
func (c *Call) Param(name string) string { return c.raw[name] }

// DecodedParam returns the path parameter name percent-decoded (an email
// as a record id arrives as a%40b.com from clients that encode paths
// correctly), or as sent when it does not decode.
func (c *Call) DecodedParam(name string) string {
	raw := c.raw[name]
	if s, err := url.PathUnescape(raw); err == nil {
		return s
	}
	return raw
}

// Value returns the resolved path parameter name. The operation's contract
// names its parameters and the registry's resolvers give their types, so a
// missing or mistyped value is a programming error: Value panics, which the
// recoverer answers with HubSpot's 500.
func Value[T any](c *Call, name string) T {
	var found any
	for _, p := range c.resolved {
		if p.name == name {
			found = p.value
			break
		}
	}
	v, ok := found.(T)
	if !ok {
		panic(fmt.Sprintf("endpoint: path parameter %q of %s is %T, not %T", name, c.Op.ID, found, *new(T)))
	}
	return v
}

type resolvedParam struct {
	name  string
	value any
}

// Reply is what a handler answers: a status and a body to encode as JSON
// (nil for no body).
type Reply struct {
	Status int
	Body   any
	// Header holds headers the answer carries beside the content type
	// (a created resource's Location); nil for none.
	Header http.Header
}

// Handler serves one operation. An error that is not HubSpot-shaped
// (apierr, or a store error) becomes HubSpot's 500.
type Handler func(c *Call) (Reply, error)

// NoContent is the reply of operations that answer 204.
var NoContent = Reply{Status: http.StatusNoContent}
