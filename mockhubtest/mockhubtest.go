// Package mockhubtest runs mockhub inside a Go test, in the spirit of
// net/http/httptest: NewServer starts the same server the mockhub binary
// serves on a loopback port and stops it when the test ends.
//
//	srv := mockhubtest.NewServer(t)
//	client := hubspot.NewClient(srv.URL, srv.Token) // whatever your code uses
//	...
//	reqs := srv.Requests(mockhubtest.Filter{Method: "POST", Path: "/crm/**/batch/create"})
//
// Each Server is its own set of portals; Token is ready to use and maps to
// PortalID. Tests that share one Server can Reset it, or use a token each.
package mockhubtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"time"

	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/journal"
	"github.com/mockhub/mockhub/internal/server"
)

// DefaultToken is the token a Server hands out unless WithToken says
// otherwise. It looks like a private-app token.
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
	// Server is the mockhub handler, for direct access to its store.
	Server *server.Server

	t     TB // nil for servers from Start
	clock *clock.Manual
	http  *httptest.Server
}

// Option configures a Server.
type Option func(*options)

type options struct {
	cfg   server.Config
	token string
	clock *clock.Manual
}

// WithToken makes Token (and so PortalID) the given token.
func WithToken(token string) Option { return func(o *options) { o.token = token } }

// WithSeed seeds the random source (correlation ids, fault probabilities).
func WithSeed(seed uint64) Option { return func(o *options) { o.cfg.Seed = seed } }

// WithFrozenClock freezes the server's clock at t; move it with Advance or
// Clock. Every timestamp the server writes comes from this clock.
func WithFrozenClock(t time.Time) Option {
	return func(o *options) { o.clock = clock.NewManual(t) }
}

// WithJournalSize bounds the request journal (default 1000).
func WithJournalSize(n int) Option { return func(o *options) { o.cfg.JournalSize = n } }

// WithFixtures seeds portals from a fixtures document (the format of
// GET /_mockhub/portals/{id}/state, in {"portals": [...]}).
func WithFixtures(doc []byte) Option { return func(o *options) { o.cfg.Fixtures = doc } }

// WithLogger sends the server's request log to l.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.cfg.Logger = l } }

// WithConfig edits the server configuration directly, for anything the
// other options do not cover.
func WithConfig(fn func(*server.Config)) Option { return func(o *options) { fn(&o.cfg) } }

// NewServer starts a Server for the test and stops it in t.Cleanup. It fails
// the test if the server cannot start.
func NewServer(t TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("mockhubtest: %v", err)
	}
	s.t = t
	t.Cleanup(s.Close)
	return s
}

// Start starts a Server outside a test (Examples, TestMain). Call Close when
// done. Methods that fail the test on a NewServer server panic on a Start
// server instead.
func Start(opts ...Option) (*Server, error) {
	o := options{token: DefaultToken, cfg: server.Config{Version: "mockhubtest"}}
	for _, opt := range opts {
		opt(&o)
	}
	if o.clock != nil {
		o.cfg.Clock = o.clock
	}
	srv, err := server.New(o.cfg)
	if err != nil {
		return nil, err
	}
	hs := httptest.NewServer(srv)
	return &Server{URL: hs.URL, Token: o.token, PortalID: auth.PortalID(o.token), Server: srv, clock: o.clock, http: hs}, nil
}

// Close stops the server; it waits for requests in flight. It may be called
// more than once.
func (s *Server) Close() { s.http.Close() }

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.http.Client() }

// Clock returns the frozen clock, or nil when the server runs on the wall
// clock (see WithFrozenClock).
func (s *Server) Clock() *clock.Manual { return s.clock }

// Advance moves the frozen clock forward by d. It panics when the server was
// not started WithFrozenClock: that is a mistake in the test.
func (s *Server) Advance(d time.Duration) time.Time {
	if s.clock == nil {
		panic("mockhubtest: Advance needs a server started WithFrozenClock")
	}
	return s.clock.Advance(d)
}

// NewRequest builds a request to path (e.g. "/crm/associations/2026-03/...")
// carrying Token. A non-nil body is sent as JSON: a string or []byte as is,
// anything else marshaled. The test fails if the request cannot be built.
func (s *Server) NewRequest(method, path string, body any) *http.Request {
	if s.t != nil {
		s.t.Helper()
	}
	var r io.Reader
	if body != nil {
		data, err := jsonBytes(body)
		s.check(err)
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, s.URL+path, r)
	s.check(err)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// Reset returns every portal to its fixtures and clears fault rules, the
// journal and rate-limit windows, like POST /_mockhub/reset.
func (s *Server) Reset() {
	s.check(s.Server.Reset())
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
	s.t.Fatalf("mockhubtest: %v", err)
}

// Fault is a fault rule as the server stored it.
type Fault struct {
	ID   string
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
	f, err := s.postFault(rule)
	s.check(err)
	return f
}

func (s *Server) postFault(rule any) (Fault, error) {
	data, err := jsonBytes(rule)
	if err != nil {
		return Fault{}, err
	}
	resp, err := s.Client().Post(s.URL+server.AdminPrefix+"/faults", "application/json", bytes.NewReader(data))
	if err != nil {
		return Fault{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Fault{}, err
	}
	if resp.StatusCode != http.StatusCreated {
		return Fault{}, &AdminError{Status: resp.StatusCode, Body: string(body)}
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

// AdminError is an admin API answer other than the expected one.
type AdminError struct {
	Status int
	Body   string
}

func (e *AdminError) Error() string {
	return fmt.Sprintf("mockhubtest: admin API answered %d: %s", e.Status, e.Body)
}

// Request is one recorded request (see GET /_mockhub/requests).
type Request = journal.Entry

// Filter selects recorded requests; zero fields select everything.
type Filter struct {
	Method string
	// Path is a pattern: "*" matches one segment, "**" any number.
	Path   string
	Portal int64
	// Status is "404" or a class such as "4xx".
	Status string
	Limit  int
}

// Requests returns the recorded API requests f selects, newest first, as
// GET /_mockhub/requests does. The test fails if the filter is refused.
func (s *Server) Requests(f Filter) []Request {
	if s.t != nil {
		s.t.Helper()
	}
	out, err := s.requests(f)
	s.check(err)
	return out
}

func (s *Server) requests(f Filter) ([]Request, error) {
	q := url.Values{}
	if f.Method != "" {
		q.Set("method", f.Method)
	}
	if f.Path != "" {
		q.Set("path", f.Path)
	}
	if f.Portal != 0 {
		q.Set("portal", strconv.FormatInt(f.Portal, 10))
	}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	if f.Limit != 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	u := s.URL + server.AdminPrefix + "/requests"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	resp, err := s.Client().Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &AdminError{Status: resp.StatusCode, Body: string(body)}
	}
	var out struct {
		Results []Request `json:"results"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("mockhubtest: journal answer: %w", err)
	}
	return out.Results, nil
}

func jsonBytes(v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		return []byte(v), nil
	case []byte:
		return v, nil
	case json.RawMessage:
		return v, nil
	case nil:
		return nil, errors.New("mockhubtest: nil body")
	default:
		return json.Marshal(v)
	}
}
