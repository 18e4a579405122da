package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/decode"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/reqbody"
)

// maxRuleBytes bounds the body of POST /_mockhub/faults.
const maxRuleBytes = 1 << 20

// faultRoutes mounts the fault rules API:
//
//	POST   /faults       add a rule -> 201 with the stored rule and its id
//	GET    /faults       list rules with their counters
//	GET    /faults/{id}  one rule
//	DELETE /faults/{id}  remove one rule -> 204
//	DELETE /faults       remove every rule -> 204
func (s *Server) faultRoutes(r chi.Router) {
	r.Post("/faults", s.addFault)
	r.Get("/faults", s.listFaults)
	r.Delete("/faults", s.clearFaults)
	r.Get("/faults/{id}", s.getFault)
	r.Delete("/faults/{id}", s.deleteFault)
}

func (s *Server) addFault(w http.ResponseWriter, r *http.Request) {
	data, rerr := reqbody.Read(w, r, maxRuleBytes)
	if rerr != nil {
		apierr.Write(w, r, rerr)
		return
	}
	var rule faults.Rule
	if err := decode.JSON(data, &rule); err != nil {
		writeAdminError(w, r, http.StatusBadRequest, "Invalid fault rule: "+err.Error())
		return
	}
	stored, err := s.faults.Add(rule)
	switch {
	case errors.Is(err, faults.ErrDuplicateID):
		apierr.Write(w, r, apierr.Conflict("Invalid fault rule: "+err.Error()))
		return
	case err != nil:
		writeAdminError(w, r, http.StatusBadRequest, "Invalid fault rule: "+err.Error())
		return
	}
	st, _ := s.faults.Get(stored.ID)
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusCreated, Body: st})
}

func (s *Server) listFaults(w http.ResponseWriter, r *http.Request) {
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusOK, Body: endpoint.Results{Results: s.faults.List()}})
}

func (s *Server) getFault(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	st, ok := s.faults.Get(id)
	if !ok {
		writeAdminError(w, r, http.StatusNotFound, "No fault rule with id "+id)
		return
	}
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusOK, Body: st})
}

func (s *Server) deleteFault(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if !s.faults.Remove(id) {
		writeAdminError(w, r, http.StatusNotFound, "No fault rule with id "+id)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) clearFaults(w http.ResponseWriter, r *http.Request) {
	s.faults.Clear()
	w.WriteHeader(http.StatusNoContent)
}
