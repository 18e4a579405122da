package endpoint

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/reqbody"
	"github.com/mockhub/mockhub/internal/reqctx"
	"github.com/mockhub/mockhub/internal/store"
	"github.com/mockhub/mockhub/internal/validation"
)

// Deps is what every endpoint needs from the server.
type Deps struct {
	Store        *store.Store
	Clock        clock.Clock
	Log          *slog.Logger
	MaxBodyBytes int64
	// Settle runs before each handler with the caller's portal, so that work
	// deferred by a batch fault and now due is visible to it.
	Settle func(p *store.Portal)
}

// Endpoint returns the handler that serves op: it resolves and validates
// the path parameters, reads and validates the body, and calls the handler
// registered for op. The guards (auth, scopes, rate limit, fault) run before
// it. It fails when op has no handler or a path parameter a routing resolver
// needs is missing.
func (r *Registry) Endpoint(op *openapi.Operation, d Deps) (http.Handler, error) {
	h, ok := r.handler(op.ID)
	if !ok {
		return nil, fmt.Errorf("operation %s (%s %s) has no handler", op.ID, op.Method, op.Path)
	}
	e := &endpoint{op: op, h: h, d: d, v: validation.New(op), resolvers: r.resolvers}
	return e, nil
}

type endpoint struct {
	op        *openapi.Operation
	h         Handler
	d         Deps
	v         *validation.Validator
	resolvers map[string]Resolver
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := reqctx.From(r.Context())
	c := &Call{
		Op:          e.op,
		PortalID:    info.PortalID,
		RequestedAt: info.RequestedAt,
		Fault:       faults.BatchFault(r.Context()),
		store:       e.d.Store,
	}
	if err := e.prepare(w, r, c); err != nil {
		apierr.Write(w, r, err)
		return
	}
	// Every call that reaches its handler has a portal, even one whose
	// handler ends up not touching it (a canceled batch): a portal exists
	// from the first request that got that far. A public operation (OAuth)
	// acts on none.
	if !e.op.Public {
		p := c.Portal()
		if e.d.Settle != nil {
			e.d.Settle(p)
		}
	}
	c.StartedAt = e.d.Clock.Now()
	out, err := e.h(c)
	if err != nil {
		// A HubSpot-shaped or store error keeps its answer when wrapped
		// with context; anything else is a 500, logged.
		if !apierr.Known(err) {
			e.d.Log.Error("request failed", "operation", e.op.ID, "portal", c.PortalID, "correlationId", info.CorrelationID, "error", err)
		}
		apierr.Write(w, r, apierr.From(err))
		return
	}
	WriteJSON(w, out)
}

// prepare fills c from the request, in HubSpot's order: path parameters
// resolved while routing (object types), the parameters against the
// contract, the other resolvers, then the body.
func (e *endpoint) prepare(w http.ResponseWriter, r *http.Request, c *Call) *apierr.Error {
	rctx := chi.RouteContext(r.Context())
	c.raw = make(map[string]string, len(rctx.URLParams.Keys))
	for i, k := range rctx.URLParams.Keys {
		c.raw[k] = rctx.URLParams.Values[i]
	}
	c.url = r.URL
	if err := e.resolve(c, rctx.URLParams.Keys, true); err != nil {
		return err
	}
	if err := e.v.Params(r.Context(), r, c.raw); err != nil {
		return err
	}
	if err := e.resolve(c, rctx.URLParams.Keys, false); err != nil {
		return err
	}
	if !e.v.HasBody() {
		return nil
	}
	data, err := reqbody.Read(w, r, e.d.MaxBodyBytes)
	if err != nil {
		return err
	}
	reqctx.From(r.Context()).Body = data
	body, verr := e.v.Body(r.Header.Get("Content-Type"), data)
	if verr != nil {
		return verr
	}
	c.body = body
	return nil
}

// resolve runs the resolvers of one stage over the path parameters in path
// order, reporting every parameter that fails (the message is the first's).
func (e *endpoint) resolve(c *Call, names []string, routing bool) *apierr.Error {
	var details []apierr.Detail
	for _, name := range names {
		res, ok := e.resolvers[name]
		if !ok || res.Routing != routing {
			continue
		}
		v, detail := res.Resolve(c, c.raw[name])
		if detail != nil {
			details = append(details, *detail)
			continue
		}
		if c.resolved == nil {
			c.resolved = c.buf[:0]
		}
		c.resolved = append(c.resolved, resolvedParam{name, v})
	}
	if len(details) > 0 {
		return apierr.Validation(details[0].Message, details...)
	}
	return nil
}

// jsonContentType is HubSpot's content type for JSON answers. Handlers never
// modify it, so one slice serves every response.
var jsonContentType = []string{"application/json;charset=utf-8"}

// WriteJSON sends a reply.
func WriteJSON(w http.ResponseWriter, out Reply) {
	for k, v := range out.Header {
		w.Header()[k] = v
	}
	if out.Body == nil {
		w.WriteHeader(out.Status)
		return
	}
	payload, err := json.Marshal(out.Body)
	if err != nil {
		// Handlers build bodies from plain structs; this is a programming
		// error, surfaced as HubSpot's 500 by the recoverer.
		panic(fmt.Errorf("encode response: %w", err))
	}
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Content-Length"] = []string{strconv.Itoa(len(payload))}
	w.WriteHeader(out.Status)
	_, _ = w.Write(payload)
}

// Replay rebuilds the call of an operation accepted earlier, from its path
// parameters as the request sent them: work deferred past a restart runs on
// a call like the one that acknowledged it. The parameters were validated
// then, so only the resolvers run.
func (r *Registry) Replay(op *openapi.Operation, d Deps, portalID int64, params map[string]string, query string) (*Call, error) {
	c := &Call{Op: op, PortalID: portalID, store: d.Store, raw: params, url: &url.URL{RawQuery: query}}
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	sort.Strings(names)
	e := &endpoint{op: op, d: d, resolvers: r.resolvers}
	for _, routing := range []bool{true, false} {
		if err := e.resolve(c, names, routing); err != nil {
			return nil, err
		}
	}
	now := d.Clock.Now()
	c.RequestedAt, c.StartedAt = now, now
	return c, nil
}
