package server

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// middleware wraps the router in the layers every request passes, outermost
// first: request info (correlation id, arrival time), access log, request
// journal, panic recovery.
func (s *Server) middleware(next http.Handler) http.Handler {
	return s.requestInfo(s.observe(s.recoverer(next)))
}

// requestInfo gives the request its correlation id and arrival time and
// announces the id in X-HubSpot-Correlation-Id, as HubSpot does on every
// answer.
func (s *Server) requestInfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := &reqctx.Info{CorrelationID: s.random.UUID().String(), RequestedAt: s.clock.Now()}
		// Assigned in canonical form directly: Header.Set would canonicalize
		// the key on every request.
		w.Header()["X-Hubspot-Correlation-Id"] = []string{info.CorrelationID}
		next.ServeHTTP(w, r.WithContext(reqctx.With(r.Context(), info)))
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (faults that
// hijack or flush it).
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe writes, once a request is answered (or aborted on purpose: a
// connection fault panics with http.ErrAbortHandler), one access-log line
// and, for API requests, a journal entry.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			elapsed := time.Since(start)
			info := reqctx.From(r.Context())
			if s.log.Enabled(r.Context(), slog.LevelInfo) {
				s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
					slog.String("method", r.Method),
					slog.String("path", r.URL.Path),
					slog.Int("status", rec.status),
					slog.Duration("duration", elapsed),
					slog.Int64("portal", info.PortalID),
					slog.String("correlationId", info.CorrelationID),
				)
			}
			if !isAdminPath(r.URL.Path) {
				s.record(r, info, rec.status, elapsed)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// recoverer turns a panic into HubSpot's 500 so that no input can crash the
// server. http.ErrAbortHandler is re-panicked: it is how a handler aborts a
// response on purpose.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				s.log.Error("panic", "value", v, "correlationId", reqctx.From(r.Context()).CorrelationID)
				apierr.Write(w, r, apierr.Internal())
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	apierr.Write(w, r, apierr.RouteNotFound(r.Method, r.URL.Path))
}

// methodNotAllowed answers 405 with the methods the path does serve in
// Allow; chi does not hand them to a custom handler, so they are looked up.
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if s.router.Match(chi.NewRouteContext(), m, path) {
			allowed = append(allowed, m)
		}
	}
	apierr.Write(w, r, apierr.MethodNotAllowed(r.Method, r.URL.Path, allowed))
}
