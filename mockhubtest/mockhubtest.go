// Package mockhubtest runs mockhub inside a Go test, in the spirit of
// net/http/httptest: NewServer starts the same server the mockhub binary
// serves on a loopback port and stops it when the test ends.
//
//	srv := mockhubtest.NewServer(t, mockhubtest.WithFrozenClock(start))
//	client := hubspot.NewClient(srv.URL, srv.Token) // whatever your code uses
//	...
//	reqs := srv.Requests(mockhubtest.Filter{Method: "POST", Path: "/crm/**/batch/create"})
//
// Each Server is its own set of portals; Token is ready to use and maps to
// PortalID. Tests that share one Server can Reset it, or use a token each
// (PortalOf tells its portal). To serve mockhub from a server of your own,
// mount a Handler (NewHandler) instead.
//
// The server's clock is always under the test's control: Now, Advance,
// SetTime, Freeze and Unfreeze work on every Server, frozen (WithFrozenClock)
// or running, as the admin API's /_mockhub/clock does. A running clock never
// goes back: Freeze it to set it back.
package mockhubtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
)

// DefaultToken is the token a Server hands out unless WithToken or
// WithTokens says otherwise. It looks like a private-app token.
const DefaultToken = "pat-na1-mockhubtest"

// TB is the part of testing.TB the helper uses.
type TB interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// Server is a running mockhub.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:38215, with no trailing
	// slash: use it as your HubSpot client's base path.
	URL string
	// Token is a bearer token the server accepts; PortalID is its portal.
	Token    string
	PortalID int64

	t    TB // nil for servers from Start
	h    *Handler
	http *httptest.Server
	once sync.Once
}

// NewServer starts a Server for the test and stops it in t.Cleanup. It fails
// the test if an option's value is refused or the server cannot start.
func NewServer(t TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("%v", err)
		return nil // t.Fatalf stops the test; this is for a TB that does not
	}
	s.t = t
	t.Cleanup(s.Close)
	return s
}

// Start starts a Server outside a test (Examples, TestMain) and returns an
// error when an option's value is refused or the server cannot start. Call
// Close when done. Methods that fail the test on a NewServer server panic on
// a Start server instead.
func Start(opts ...Option) (*Server, error) {
	h, err := NewHandler(opts...)
	if err != nil {
		return nil, err
	}
	id, err := h.setup.portalOf(h.srv, h.setup.token)
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("mockhubtest: %w", err)
	}
	hs := httptest.NewServer(h)
	return &Server{URL: hs.URL, Token: h.setup.token, PortalID: id, h: h, http: hs}, nil
}

// Close stops the server: it releases requests held by hang or latency
// faults, waits for the others in flight and releases the data directory.
// It may be called more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		// Held requests first, or the HTTP server would wait for them.
		s.h.srv.Close()
		s.http.Close()
		s.h.Close()
	})
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.http.Client() }

// PortalOf returns the portal that requests with token use, so a test that
// gives each case its own token can filter Requests or read its state. With
// WithTokens, a token the document does not list has no portal (0).
// Otherwise a token not used yet is given its portal now, as its first
// request would be; the test fails if a data directory cannot save it.
func (s *Server) PortalOf(token string) int64 {
	if s.t != nil {
		s.t.Helper()
	}
	id, err := s.h.setup.portalOf(s.h.srv, token)
	s.check(err)
	return id
}

// NewRequest builds a request to path (e.g. "/crm/associations/2026-03/...")
// carrying Token, ready for Client().Do. body is sent as is when it is an
// io.Reader, a string, a []byte or a json.RawMessage, and marshaled to JSON
// otherwise; a nil body sends none. A request with a body says
// Content-Type: application/json (set another on the request if you need
// to). The test fails if the request cannot be built.
func (s *Server) NewRequest(method, path string, body any) *http.Request {
	if s.t != nil {
		s.t.Helper()
	}
	r, err := bodyReader(body)
	s.check(err)
	req, err := http.NewRequest(method, s.URL+path, r)
	s.check(err)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// bodyReader is NewRequest's body: raw forms as they are, anything else as
// JSON.
func bodyReader(body any) (io.Reader, error) {
	switch b := body.(type) {
	case nil:
		return nil, nil
	case string:
		return strings.NewReader(b), nil
	case []byte:
		return bytes.NewReader(b), nil
	case json.RawMessage:
		return bytes.NewReader(b), nil
	case io.Reader:
		return b, nil
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("mockhubtest: NewRequest: a %T body cannot be sent as JSON: %v", body, err)
		}
		return bytes.NewReader(data), nil
	}
}

// Reset returns every portal to its fixtures and clears fault rules (back to
// WithFaultRules), the journal and rate-limit windows, like
// POST /_mockhub/reset. The clock is left where it is.
func (s *Server) Reset() {
	if s.t != nil {
		s.t.Helper()
	}
	s.check(s.h.Reset())
}

// ResetPortal returns one portal to its fixtures and forgets its journal
// entries and rate-limit windows, like POST /_mockhub/reset?portal=ID.
func (s *Server) ResetPortal(portalID int64) {
	if s.t != nil {
		s.t.Helper()
	}
	_, err := s.h.admin(http.MethodPost, "/reset?portal="+strconv.FormatInt(portalID, 10), nil, http.StatusOK)
	s.check(err)
}

// PortalState returns a portal's state document, as
// GET /_mockhub/portals/{id}/state does (format in README.md). The test fails
// if no request has used the portal.
func (s *Server) PortalState(portalID int64) []byte {
	if s.t != nil {
		s.t.Helper()
	}
	body, err := s.h.admin(http.MethodGet, "/portals/"+strconv.FormatInt(portalID, 10)+"/state", nil, http.StatusOK)
	s.check(err)
	return body
}

// SetPortalState replaces a portal's state, as PUT /_mockhub/portals/{id}/state
// does: doc is a state document, as a JSON string or []byte or a value
// marshaled to JSON. Nothing changes and the test fails if the server refuses
// it.
func (s *Server) SetPortalState(portalID int64, doc any) {
	if s.t != nil {
		s.t.Helper()
	}
	data, err := jsonBytes("SetPortalState", doc)
	if err == nil {
		_, err = s.h.admin(http.MethodPut, "/portals/"+strconv.FormatInt(portalID, 10)+"/state", data, http.StatusOK)
	}
	s.check(err)
}

// check fails the test (or panics outside one) on err. Like any FailNow, it
// must run on the goroutine of the test that created the server.
func (s *Server) check(err error) {
	if err == nil {
		return
	}
	if s.t == nil {
		panic(err)
	}
	s.t.Helper()
	s.t.Fatalf("%v", err)
}

// AdminError is an admin API answer other than the expected one.
type AdminError struct {
	Status int
	Body   string
}

func (e *AdminError) Error() string {
	return fmt.Sprintf("mockhubtest: admin API answered %d: %s", e.Status, e.Body)
}

// jsonBytes is a JSON document given as a string, []byte, json.RawMessage
// or a value to marshal.
func jsonBytes(what string, v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		return []byte(v), nil
	case []byte:
		return v, nil
	case json.RawMessage:
		return v, nil
	case nil:
		return nil, fmt.Errorf("mockhubtest: %s: the document is nil", what)
	default:
		data, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("mockhubtest: %s: a %T cannot be sent as JSON: %v", what, v, err)
		}
		return data, nil
	}
}
