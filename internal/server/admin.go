package server

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/endpoint"
)

// AdminPrefix is the reserved path prefix of mockhub's own API. It is never a
// HubSpot path, and requests under it bypass auth, faults and rate limits.
const AdminPrefix = "/_mockhub"

// resetHooks are the parts of the server that hold state beyond the store
// (fault rules, rate-limit windows, the journal). Reset calls each of them.
type resetHooks struct {
	mu  sync.Mutex
	fns []func(portal *int64)
}

// OnReset registers fn to run on every reset; portal is nil for a reset of
// everything, or the id of the one portal being reset.
func (s *Server) OnReset(fn func(portal *int64)) {
	s.resets.mu.Lock()
	defer s.resets.mu.Unlock()
	s.resets.fns = append(s.resets.fns, fn)
}

// Reset returns every portal to its fixtures and clears every registered
// component's state. It fails only when saved state cannot be removed (the
// portals concerned keep their state).
func (s *Server) Reset() error {
	err := s.store.Reset()
	s.runResetHooks(nil)
	return err
}

// ResetPortal returns one portal to its fixtures.
func (s *Server) ResetPortal(id int64) error {
	err := s.store.ResetPortal(id)
	s.runResetHooks(&id)
	return err
}

func (s *Server) runResetHooks(portal *int64) {
	s.resets.mu.Lock()
	fns := append([]func(*int64){}, s.resets.fns...)
	s.resets.mu.Unlock()
	for _, fn := range fns {
		fn(portal)
	}
}

// adminRoutes builds the router mounted at AdminPrefix. Components add their
// own admin endpoints here (one file each: admin_*.go).
func (s *Server) adminRoutes() (chi.Router, error) {
	r := chi.NewRouter()
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)
	r.Get("/health", s.health)
	r.Post("/reset", s.reset)
	s.portalRoutes(r)
	s.settingsRoutes(r)
	s.journalRoutes(r)
	s.faultRoutes(r)
	s.clockRoutes(r)
	if err := s.dashboardRoutes(r); err != nil {
		return nil, err
	}
	return r, nil
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusOK, Body: map[string]any{"status": "ok", "version": s.cfg.Version, "operations": len(s.ops)}})
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	var err error
	if p := r.URL.Query().Get("portal"); p != "" {
		var id int64
		id, err = strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			writeAdminError(w, r, http.StatusBadRequest, "portal must be a positive integer, got "+strconv.Quote(p))
			return
		}
		err = s.ResetPortal(id)
	} else {
		err = s.Reset()
	}
	if err != nil {
		s.log.Error("reset", "error", err)
		apierr.Write(w, r, apierr.Internal())
		return
	}
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusOK, Body: map[string]any{"status": "reset"}})
}

// writeAdminError answers an admin request with an error in the same shape
// as API errors.
func writeAdminError(w http.ResponseWriter, r *http.Request, status int, message string) {
	category := apierr.CategoryValidation
	if status == http.StatusNotFound {
		category = apierr.CategoryObjectNotFound
	}
	apierr.Write(w, r, &apierr.Error{Status: status, Category: category, Message: message})
}
