package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/server"
)

// start is when every test's manual clock starts.
var start = time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC)

const (
	token     = "pat-na1-test"
	seedInput = `{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":279}]}`
	// threeInputs sets the object limit of contacts->companies and two
	// label limits under it.
	threeInputs = `{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":279},` +
		`{"category":"HUBSPOT_DEFINED","maxToObjectIds":2,"typeId":1},` +
		`{"category":"HUBSPOT_DEFINED","maxToObjectIds":3,"typeId":931}]}`
)

func limitsPath(version, rest string) string {
	return "/crm/associations/" + version + "/definitions/configurations/contacts/companies" + rest
}

// env is a server behind a real listener with a manual clock.
type env struct {
	t      *testing.T
	srv    *server.Server
	ts     *httptest.Server
	clock  *clock.Manual
	client *http.Client
}

func newEnv(t *testing.T, cfg server.Config) *env {
	t.Helper()
	clk, ok := cfg.Clock.(*clock.Manual)
	if !ok {
		clk = clock.NewManual(start)
	}
	cfg.Clock = clk
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	// Release held requests before the listener waits for them.
	t.Cleanup(func() { srv.Close(); ts.Close() })
	// A fresh connection per request, so that a fault on one connection
	// cannot be retried on another by the transport.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	return &env{t: t, srv: srv, ts: ts, clock: clk, client: client}
}

// response is a finished exchange.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	return m
}

// send does one request; header holds extra headers ("Authorization" is
// set from tok unless tok is empty).
func (e *env) send(method, path, tok, body string, header map[string]string) (response, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, e.ts.URL+path, rd)
	if err != nil {
		return response{}, err
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, data}, err
}

// must is send that fails the test on a transport error.
func (e *env) must(method, path, tok, body string, header map[string]string) response {
	e.t.Helper()
	r, err := e.send(method, path, tok, body, header)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// limits reads the contacts->companies limits as typeId -> max.
func (e *env) limits(tok string) map[int]int {
	e.t.Helper()
	r := e.must("GET", limitsPath("2026-03", ""), tok, "", nil)
	if r.status != 200 {
		e.t.Fatalf("read limits: %d %s", r.status, r.body)
	}
	var body struct {
		Results []struct {
			TypeID int `json:"typeId"`
			Max    int `json:"userEnforcedMaxToObjectIds"`
		} `json:"results"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		e.t.Fatal(err)
	}
	out := map[int]int{}
	for _, l := range body.Results {
		out[l.TypeID] = l.Max
	}
	return out
}

// addRule posts a fault rule and returns its id.
func (e *env) addRule(rule string) string {
	e.t.Helper()
	r := e.must("POST", "/_mockhub/faults", "", rule, nil)
	if r.status != 201 {
		e.t.Fatalf("add rule: %d %s", r.status, r.body)
	}
	return r.json(e.t)["id"].(string)
}

// portalOf is the portal srv gives tok's requests.
func portalOf(t *testing.T, srv *server.Server, tok string) int64 {
	t.Helper()
	id, err := srv.PortalOf(tok)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
