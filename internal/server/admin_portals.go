package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/reqbody"
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

// portalSummary is one row of GET /_mockhub/portals. Records counts the
// live records of each object type that has any, ArchivedRecords the
// archived ones; both cost one step per type, not per record. Associations
// counts the stored associations between records, each once.
type portalSummary struct {
	PortalID        int64          `json:"portalId"`
	Tokens          []string       `json:"tokens"`
	Labels          int            `json:"labels"`
	Limits          int            `json:"limits"`
	Records         map[string]int `json:"records"`
	ArchivedRecords map[string]int `json:"archivedRecords"`
	Associations    int            `json:"associations"`
}

func (s *Server) listPortals(w http.ResponseWriter, r *http.Request) {
	out := []portalSummary{}
	for _, id := range s.store.PortalIDs() {
		p, ok := s.store.Lookup(id)
		if !ok {
			continue
		}
		s.batches.SettlePortal(id) // batches a fault deferred count once due
		row := portalSummary{PortalID: id, Tokens: s.tokens.fingerprints(id)}
		p.View(func(v *store.View) {
			row.Labels, row.Limits = v.Counts()
			row.Records, row.ArchivedRecords = v.RecordCounts()
			row.Associations = v.AssociationTotal()
		})
		out = append(out, row)
	}
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusOK, Body: map[string]any{"results": out}})
}

func (s *Server) getPortalState(w http.ResponseWriter, r *http.Request) {
	id, ok := portalParam(w, r)
	if !ok {
		return
	}
	p, ok := s.existingPortal(w, r, id)
	if !ok {
		return
	}
	// The export shows what an API read would: deferred batches once due.
	s.batches.SettlePortal(id)
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusOK, Body: p.Snapshot()})
}

func (s *Server) putPortalState(w http.ResponseWriter, r *http.Request) {
	id, ok := portalParam(w, r)
	if !ok {
		return
	}
	data, rerr := reqbody.Read(w, r, maxStateBytes)
	if rerr != nil {
		apierr.Write(w, r, rerr)
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
	// Deferred work in the document is owed like any other: arm its timer.
	s.batches.SettlePortal(id)
	p, _ := s.store.Lookup(id)
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusOK, Body: p.Snapshot()})
}

// existingPortal returns portal id, or answers 404 when no request has
// used it.
func (s *Server) existingPortal(w http.ResponseWriter, r *http.Request, id int64) (*store.Portal, bool) {
	p, ok := s.store.Lookup(id)
	if !ok {
		writeAdminError(w, r, http.StatusNotFound, "Portal "+strconv.FormatInt(id, 10)+" does not exist: no API request has used it since start-up or the last reset")
	}
	return p, ok
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
