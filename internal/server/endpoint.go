package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/objecttype"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/reqctx"
	"github.com/mockhub/mockhub/internal/store"
	"github.com/mockhub/mockhub/internal/validation"
)

// call is one validated request, ready for its handler.
type call struct {
	op     *openapi.Operation
	portal *store.Portal
	// from and to are the resolved object types of the path, when present.
	from, to objecttype.Type
	pair     store.Pair
	// body is the decoded JSON body, nil for operations without one.
	body any
	// params holds the raw path parameters.
	params map[string]string
	// requestedAt and startedAt stamp batch envelopes.
	requestedAt, startedAt time.Time
	// fault is the batch fault (faults.BatchStatus, faults.Partial) that
	// fired for this request, if any.
	fault faults.Fault
}

// reply is what a handler answers: a status and a body to encode as JSON
// (nil for no body).
type reply struct {
	status int
	body   any
}

type handlerFunc func(s *Server, c *call) (reply, error)

// endpoint wraps an operation's handler in the checks HubSpot makes, in
// HubSpot's order: credentials and scopes, rate limits, then (mockhub's own)
// faults, object types, path parameters and the body.
func (s *Server) endpoint(op *openapi.Operation, h handlerFunc) http.Handler {
	v := validation.New(op)
	g := newOpGuard(op)
	serve := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := reqctx.From(r.Context())
		c := &call{op: op, requestedAt: info.RequestedAt, fault: faults.BatchFault(r.Context())}
		if err := s.prepare(w, r, v, c); err != nil {
			apierr.Write(w, r, err)
			return
		}
		c.portal = s.store.Portal(info.PortalID)
		c.portal.Settle(s.clock)
		c.startedAt = s.clock.Now()
		out, err := h(s, c)
		if err != nil {
			if _, ok := err.(*apierr.Error); !ok {
				s.log.Error("request failed", "operation", op.ID, "portal", info.PortalID, "correlationId", info.CorrelationID, "error", err)
			}
			apierr.Write(w, r, apierr.From(err))
			return
		}
		writeJSON(w, out)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := reqctx.From(r.Context())
		info.OperationID, info.Version = op.ID, op.Document.Version
		principal, aerr := s.auth.Authenticate(r, op)
		if aerr != nil {
			s.refuse(w, r, g, principal, aerr)
			return
		}
		info.PortalID, info.Token, info.TokenKind = principal.PortalID, principal.Token, principal.Kind
		if !s.admit(w, r, g, principal) || s.injectFault(w, r, g, principal, serve) {
			return
		}
		serve(w, r)
	})
}

// prepare fills c from the request: object types, validated path parameters
// and the decoded body.
func (s *Server) prepare(w http.ResponseWriter, r *http.Request, v *validation.Validator, c *call) *apierr.Error {
	rctx := chi.RouteContext(r.Context())
	c.params = make(map[string]string, len(rctx.URLParams.Keys))
	for i, k := range rctx.URLParams.Keys {
		c.params[k] = rctx.URLParams.Values[i]
	}
	if err := s.resolveTypes(c); err != nil {
		return err
	}
	if err := v.Params(r.Context(), r, c.params); err != nil {
		return err
	}
	if !v.HasBody() {
		return nil
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apierr.TooLarge(tooBig.Limit)
		}
		return apierr.Validation("Could not read the request body: " + err.Error())
	}
	reqctx.From(r.Context()).Body = data
	body, verr := v.Body(r.Header.Get("Content-Type"), data)
	if verr != nil {
		return verr
	}
	c.body = body
	return nil
}

// resolveTypes resolves fromObjectType and toObjectType, answering HubSpot's
// 400 for a spelling it cannot infer.
func (s *Server) resolveTypes(c *call) *apierr.Error {
	from, hasFrom := c.params["fromObjectType"]
	to, hasTo := c.params["toObjectType"]
	if !hasFrom || !hasTo {
		return nil
	}
	var details []apierr.Detail
	var ok bool
	if c.from, ok = s.types.Resolve(from); !ok {
		details = append(details, apierr.Detail{Message: "Unable to infer object type from: " + from, In: "fromObjectType"})
	}
	if c.to, ok = s.types.Resolve(to); !ok {
		details = append(details, apierr.Detail{Message: "Unable to infer object type from: " + to, In: "toObjectType"})
	}
	if len(details) > 0 {
		return apierr.Validation(details[0].Message, details...)
	}
	c.pair = store.Pair{From: c.from.Key(), To: c.to.Key()}
	return nil
}

// jsonContentType is HubSpot's content type for JSON answers. Handlers never
// modify it, so one slice serves every response.
var jsonContentType = []string{"application/json;charset=utf-8"}

// writeJSON sends a handler's reply.
func writeJSON(w http.ResponseWriter, out reply) {
	if out.body == nil {
		w.WriteHeader(out.status)
		return
	}
	payload, err := json.Marshal(out.body)
	if err != nil {
		// Handlers build bodies from plain structs; this is a programming
		// error, surfaced as HubSpot's 500 by the recoverer.
		panic(fmt.Errorf("encode response: %w", err))
	}
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Content-Length"] = []string{strconv.Itoa(len(payload))}
	w.WriteHeader(out.status)
	_, _ = w.Write(payload)
}
