package server

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// guards are the checks between authentication and the handler: rate limits
// and fault injection. Requests under AdminPrefix never meet them.
type guards struct {
	faults    *faults.Set
	limits    *ratelimit.Limiter
	done      chan struct{}
	closeOnce sync.Once
}

// initGuards builds the fault rules and rate limiter from the config and
// registers their reset: a full reset restores the start-up fault rules and
// forgets every rate-limit window; a portal reset forgets that portal's
// windows.
func (s *Server) initGuards() error {
	set, err := faults.NewSet(s.random, s.cfg.FaultRules)
	if err != nil {
		return err
	}
	tier, enforce := ratelimit.Tiers[ratelimit.DefaultTier], false
	if s.cfg.RateLimit != nil {
		tier, enforce = *s.cfg.RateLimit, true
	}
	s.guard.faults = set
	s.guard.limits = ratelimit.New(tier, enforce, s.clock)
	s.guard.done = make(chan struct{})
	s.OnReset(func(portal *int64) {
		if portal == nil {
			s.guard.faults.Reset()
		}
		s.guard.limits.Reset(portal)
	})
	return nil
}

// Close releases requests that faults hold (hang, latency), which otherwise
// end only when their client gives up. Call it before shutting down the
// HTTP server that serves s.
func (s *Server) Close() {
	s.guard.closeOnce.Do(func() { close(s.guard.done) })
}

// Faults returns the server's fault rules.
func (s *Server) Faults() *faults.Set { return s.guard.faults }

// RateLimiter returns the server's rate limiter.
func (s *Server) RateLimiter() *ratelimit.Limiter { return s.guard.limits }

// opGuard is what the guards need to know about an operation, worked out
// once when the route is mounted.
type opGuard struct {
	// batch says the operation is a batch, which batch faults need.
	batch bool
	// exemptTenSecondly and exemptDaily come from the operation's
	// x-hubspot-rate-limit-exemptions.
	exemptTenSecondly, exemptDaily bool
}

func newOpGuard(op *openapi.Operation) opGuard {
	return opGuard{
		batch:             strings.Contains(op.Path, "/batch/"),
		exemptTenSecondly: slices.Contains(op.RateLimitExemptions, "ten-secondly"),
		exemptDaily:       slices.Contains(op.RateLimitExemptions, "daily"),
	}
}

func (g opGuard) limitRequest(p auth.Principal) ratelimit.Request {
	return ratelimit.Request{
		Portal:            p.PortalID,
		ExemptTenSecondly: g.exemptTenSecondly,
		ExemptDaily:       g.exemptDaily,
		OAuth:             p.Kind == auth.KindOAuth,
	}
}

// refuse answers a request that authentication refused. A 403 knows its
// portal, so it carries the portal's rate-limit headers (without counting);
// a 401 does not.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, g opGuard, p auth.Principal, e *apierr.Error) {
	if p.PortalID != 0 {
		s.guard.limits.Peek(g.limitRequest(p)).WriteHeaders(w.Header())
	}
	apierr.Write(w, r, e)
}

// admit counts the request against its portal's rate limits, sets the
// rate-limit headers and, when enforcement refuses the request, answers
// HubSpot's 429. It reports whether the request may go on.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, g opGuard, p auth.Principal) bool {
	u := s.guard.limits.Take(g.limitRequest(p))
	u.WriteHeaders(w.Header())
	if u.Refused == "" {
		return true
	}
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "rate limited",
		slog.String("policy", u.Refused),
		slog.Int64("portal", p.PortalID),
		slog.String("correlationId", reqctx.From(r.Context()).CorrelationID),
	)
	apierr.Write(w, r, apierr.RateLimited(u.Refused, p.PortalID))
	return false
}

// faultSourceHeader is the rule id of faults attached with the header.
const faultSourceHeader = "header"

// injectFault applies the fault of the request, if any: the one its
// X-Mockhub-Fault header names, else the first rule that fires. It reports
// whether it answered the request (next runs inside the fault when the fault
// lets the real answer through). Without rules and without the header it
// costs one atomic load and one map lookup.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request, g opGuard, p auth.Principal, next http.Handler) bool {
	hv, hasHeader := r.Header[faults.Header]
	if !hasHeader && !s.guard.faults.Armed() {
		return false
	}
	var d faults.Decision
	if hasHeader {
		f, err := faults.ParseHeader(strings.Join(hv, ";"))
		if err != nil {
			apierr.Write(w, r, apierr.Validation("Invalid "+faults.Header+" header: "+err.Error()))
			return true
		}
		if faults.BatchOnly(f) && !g.batch {
			apierr.Write(w, r, apierr.Validation("Invalid "+faults.Header+" header: fault "+f.Kind()+" applies to batch operations only"))
			return true
		}
		d = faults.Decision{RuleID: faultSourceHeader, Fault: f}
	} else {
		var fired bool
		d, fired = s.guard.faults.Decide(&faults.Request{
			Method: r.Method, Path: r.URL.Path, Portal: p.PortalID, Header: r.Header, Batch: g.batch,
		})
		if !fired {
			return false
		}
	}
	info := reqctx.From(r.Context())
	info.Fault = d.Fault.Kind() + "/" + d.RuleID
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "fault",
		slog.String("rule", d.RuleID),
		slog.String("kind", d.Fault.Kind()),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int64("portal", p.PortalID),
		slog.String("correlationId", info.CorrelationID),
	)
	d.Fault.Serve(&faults.Exchange{Random: s.random, Done: s.guard.done, Portal: p.PortalID}, w, r, next)
	return true
}
