package mockhubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Fault is a fault rule as the server stored it.
type Fault struct {
	ID string
	// Rule is the stored rule as the admin API answered it, with its
	// counters at the time.
	Rule json.RawMessage
}

// AddFault installs a fault rule (POST /_mockhub/faults): rule is a struct or
// map marshaled to JSON, or a JSON string or []byte, in the rule format of
// README.md, e.g.
//
//	srv.AddFault(`{"match":{"method":"POST","path":"/crm/**"},"fault":{"kind":"status","status":429},"times":2}`)
//
// The test fails if the server does not answer 201.
func (s *Server) AddFault(rule any) Fault {
	if s.t != nil {
		s.t.Helper()
	}
	f, err := s.addFault(rule)
	s.check(err)
	return f
}

func (s *Server) addFault(rule any) (Fault, error) {
	data, err := jsonBytes("AddFault", rule)
	if err != nil {
		return Fault{}, err
	}
	body, err := s.h.admin(http.MethodPost, "/faults", data, http.StatusCreated)
	if err != nil {
		return Fault{}, err
	}
	var stored struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(body, &stored); err != nil {
		return Fault{}, fmt.Errorf("mockhubtest: fault rule answer: %w", err)
	}
	id := string(stored.ID)
	if unq, err := strconv.Unquote(id); err == nil {
		id = unq
	}
	return Fault{ID: id, Rule: body}, nil
}

// RemoveFault removes one fault rule (DELETE /_mockhub/faults/{id}). The test
// fails if there is no rule with that id.
func (s *Server) RemoveFault(id string) {
	if s.t != nil {
		s.t.Helper()
	}
	_, err := s.h.admin(http.MethodDelete, "/faults/"+url.PathEscape(id), nil, http.StatusNoContent)
	s.check(err)
}

// ClearFaults removes every fault rule, those of WithFaultRules too, until
// the next Reset restores them (DELETE /_mockhub/faults).
func (s *Server) ClearFaults() {
	if s.t != nil {
		s.t.Helper()
	}
	_, err := s.h.admin(http.MethodDelete, "/faults", nil, http.StatusNoContent)
	s.check(err)
}
