package server

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/store"
)

// maxStateBytes bounds a state document sent to PUT .../state.
const maxStateBytes = 8 << 20

// portalRoutes serves portal listing and state export/import.
func (s *Server) portalRoutes(r chi.Router) {
	r.Get("/portals", s.listPortals)
	r.Get("/portals/{portalId}/state", s.getPortalState)
	r.Put("/portals/{portalId}/state", s.putPortalState)
}

// portalSummary is one row of GET /_mockhub/portals.
type portalSummary struct {
	PortalID int64    `json:"portalId"`
	Tokens   []string `json:"tokens"`
	Labels   int      `json:"labels"`
	Limits   int      `json:"limits"`
}

func (s *Server) listPortals(w http.ResponseWriter, r *http.Request) {
	out := []portalSummary{}
	for _, id := range s.store.PortalIDs() {
		p, ok := s.store.Lookup(id)
		if !ok {
			continue
		}
		p.Settle(s.clock) // batches a fault deferred count once due
		labels, limits := p.Counts()
		out = append(out, portalSummary{PortalID: id, Tokens: s.tokens.fingerprints(id), Labels: labels, Limits: limits})
	}
	writeJSON(w, reply{http.StatusOK, map[string]any{"results": out}})
}

func (s *Server) getPortalState(w http.ResponseWriter, r *http.Request) {
	id, ok := portalParam(w, r)
	if !ok {
		return
	}
	p, ok := s.store.Lookup(id)
	if !ok {
		writeAdminError(w, r, http.StatusNotFound, "Portal "+strconv.FormatInt(id, 10)+" does not exist: no API request has used it since start-up or the last reset")
		return
	}
	// The export shows what an API read would: deferred batches once due.
	p.Settle(s.clock)
	writeJSON(w, reply{http.StatusOK, p.Snapshot()})
}

func (s *Server) putPortalState(w http.ResponseWriter, r *http.Request) {
	id, ok := portalParam(w, r)
	if !ok {
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxStateBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			apierr.Write(w, r, apierr.TooLarge(tooBig.Limit))
			return
		}
		writeAdminError(w, r, http.StatusBadRequest, "Could not read the request body: "+err.Error())
		return
	}
	snap, err := store.DecodeSnapshot(data)
	if err == nil {
		err = s.store.Replace(id, snap)
	}
	if err != nil {
		if !apierr.Known(err) {
			s.log.Error("replace portal state", "portal", id, "error", err)
		}
		apierr.Write(w, r, apierr.From(err))
		return
	}
	p, _ := s.store.Lookup(id)
	writeJSON(w, reply{http.StatusOK, p.Snapshot()})
}

func portalParam(w http.ResponseWriter, r *http.Request) (int64, bool) {
	raw := chi.URLParam(r, "portalId")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		writeAdminError(w, r, http.StatusBadRequest, "portalId must be a positive integer, got "+strconv.Quote(raw))
		return 0, false
	}
	return id, true
}
