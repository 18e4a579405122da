package mockhubtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/mockhubtest"
)

const (
	pairPath    = "/crm/associations/2026-03/definitions/configurations/contacts/companies"
	createLimit = `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5}]}`
)

func do(t *testing.T, srv *mockhubtest.Server, req *http.Request) (int, string) {
	t.Helper()
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// fakeTB stands for the testing.T of a test that is meant to fail: Fatalf
// stops the function under test (by panicking with fatal) instead of the
// real test.
type fakeTB struct{ cleanups []func() }

type fatal struct{ msg string }

func (*fakeTB) Helper()                        {}
func (f *fakeTB) Cleanup(fn func())            { f.cleanups = append(f.cleanups, fn) }
func (*fakeTB) Fatalf(format string, a ...any) { panic(fatal{fmt.Sprintf(format, a...)}) }

// failure runs fn with a fakeTB and returns the message it failed with, or
// "" if it did not fail. The fakeTB's cleanups run before it returns.
func failure(fn func(tb mockhubtest.TB)) (msg string) {
	tb := &fakeTB{}
	defer func() {
		for i := len(tb.cleanups) - 1; i >= 0; i-- {
			tb.cleanups[i]()
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(fatal)
			if !ok {
				panic(r)
			}
			msg = f.msg
		}
	}()
	fn(tb)
	return ""
}

func TestNewServerServesWithReadyToken(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("URL = %q, want a loopback address", srv.URL)
	}
	if srv.Token != mockhubtest.DefaultToken {
		t.Fatalf("Token = %q, want %q", srv.Token, mockhubtest.DefaultToken)
	}
	status, body := do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", createLimit))
	if status != http.StatusCreated {
		t.Fatalf("create = %d %s", status, body)
	}
	reqs := srv.Requests(mockhubtest.Filter{})
	if len(reqs) != 1 || reqs[0].Portal != srv.PortalID {
		t.Fatalf("the server recorded %+v, want one request on portal %d", reqs, srv.PortalID)
	}
	if reqs[0].ResponseBody != body || reqs[0].ResponseBodyTruncated {
		t.Fatalf("recorded response %q, the client got %q", reqs[0].ResponseBody, body)
	}
}

func TestWithTokenChoosesPortal(t *testing.T) {
	srv := mockhubtest.NewServer(t, mockhubtest.WithToken("pat-eu1-custom"))
	if srv.Token != "pat-eu1-custom" || srv.PortalID != srv.PortalOf("pat-eu1-custom") {
		t.Fatalf("Token, PortalID = %q, %d", srv.Token, srv.PortalID)
	}
	do(t, srv, srv.NewRequest("GET", pairPath, nil))
	if reqs := srv.Requests(mockhubtest.Filter{}); len(reqs) != 1 || reqs[0].Portal != srv.PortalID {
		t.Fatalf("recorded %+v, want portal %d", reqs, srv.PortalID)
	}
}

// PortalOf tells each token's portal, so a test with a token per case can
// select its own requests and state.
func TestPortalOf(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	tokens := []string{"pat-na1-case-a", "pat-na1-case-b", "oauth-case-c"}
	for _, tok := range tokens {
		req := srv.NewRequest("GET", pairPath, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		do(t, srv, req)
	}
	seen := map[int64]bool{}
	for _, tok := range tokens {
		id := srv.PortalOf(tok)
		if seen[id] || id == srv.PortalID {
			t.Fatalf("PortalOf(%q) = %d, shared with another token", tok, id)
		}
		seen[id] = true
		if reqs := srv.Requests(mockhubtest.Filter{Portal: id}); len(reqs) != 1 {
			t.Fatalf("portal %d of %q holds %d requests, want 1", id, tok, len(reqs))
		}
	}
}

func TestResetClearsStateAndJournal(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", createLimit))
	if n := len(srv.Requests(mockhubtest.Filter{})); n != 1 {
		t.Fatalf("journal holds %d requests, want 1", n)
	}
	srv.Reset()
	if n := len(srv.Requests(mockhubtest.Filter{})); n != 0 {
		t.Fatalf("journal holds %d requests after Reset, want 0", n)
	}
	_, body := do(t, srv, srv.NewRequest("GET", pairPath, nil))
	if body != `{"results":[]}` {
		t.Fatalf("limits after Reset = %s, want none", body)
	}
}

func TestResetPortalAndState(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	other := "pat-na1-other"
	for _, tok := range []string{srv.Token, other} {
		req := srv.NewRequest("POST", pairPath+"/batch/create", createLimit)
		req.Header.Set("Authorization", "Bearer "+tok)
		if status, body := do(t, srv, req); status != http.StatusCreated {
			t.Fatalf("create for %s = %d %s", tok, status, body)
		}
	}
	var state struct {
		PortalID int64 `json:"portalId"`
		Limits   []struct {
			TypeID         int `json:"typeId"`
			MaxToObjectIds int `json:"maxToObjectIds"`
		} `json:"limits"`
	}
	if err := json.Unmarshal(srv.PortalState(srv.PortalID), &state); err != nil || state.PortalID != srv.PortalID || len(state.Limits) != 1 || state.Limits[0].MaxToObjectIds != 5 {
		t.Fatalf("PortalState = %+v (%v)", state, err)
	}

	srv.ResetPortal(srv.PortalOf(other))
	if n := len(srv.Requests(mockhubtest.Filter{Portal: srv.PortalOf(other)})); n != 0 {
		t.Fatalf("the reset portal keeps %d journal entries", n)
	}
	if n := len(srv.Requests(mockhubtest.Filter{Portal: srv.PortalID})); n != 1 {
		t.Fatalf("the other portal keeps %d journal entries, want 1", n)
	}

	srv.SetPortalState(srv.PortalID, map[string]any{
		"portalId": srv.PortalID,
		"limits":   []map[string]any{{"fromObjectType": "contacts", "toObjectType": "companies", "typeId": 279, "maxToObjectIds": 9}},
	})
	if _, body := do(t, srv, srv.NewRequest("GET", pairPath, nil)); !strings.Contains(body, `"userEnforcedMaxToObjectIds":9`) {
		t.Fatalf("limits after SetPortalState = %s", body)
	}
}

func TestStateMethodsFailTheTest(t *testing.T) {
	cases := map[string]struct {
		call func(*mockhubtest.Server)
		want string
	}{
		"unused portal":  {func(s *mockhubtest.Server) { s.PortalState(12345678) }, "404"},
		"bad document":   {func(s *mockhubtest.Server) { s.SetPortalState(s.PortalID, `{"limits":"many"}`) }, "400"},
		"nil document":   {func(s *mockhubtest.Server) { s.SetPortalState(s.PortalID, nil) }, "SetPortalState: the document is nil"},
		"unknown fault":  {func(s *mockhubtest.Server) { s.RemoveFault("rule-404") }, "404"},
		"bad fault rule": {func(s *mockhubtest.Server) { s.AddFault(`{"fault":{"kind":"boom"}}`) }, "400"},
		"bad filter":     {func(s *mockhubtest.Server) { s.Requests(mockhubtest.Filter{Status: "teapot"}) }, "status must be an HTTP status"},
		"bad portal":     {func(s *mockhubtest.Server) { s.ResetPortal(-1) }, "portal must be a positive integer"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			msg := failure(func(tb mockhubtest.TB) { c.call(mockhubtest.NewServer(tb)) })
			if !strings.Contains(msg, c.want) {
				t.Fatalf("failed with %q, want a message with %q", msg, c.want)
			}
		})
	}
}

func TestRequestsFilters(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	do(t, srv, srv.NewRequest("GET", pairPath, nil))
	do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", createLimit))
	do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", `{"inputs":[]`))

	posts := srv.Requests(mockhubtest.Filter{Method: "post", Path: "/crm/associations/*/definitions/configurations/*/*/batch/create"})
	if len(posts) != 2 || posts[0].Status != 400 || posts[1].Status != 201 {
		t.Fatalf("POST batch/create requests = %+v", posts)
	}
	var in struct {
		Inputs []struct {
			TypeID int `json:"typeId"`
		} `json:"inputs"`
	}
	if err := posts[1].DecodeBody(&in); err != nil || in.Inputs[0].TypeID != 279 {
		t.Fatalf("body = %q (%v)", posts[1].Body, err)
	}
	if err := posts[0].DecodeBody(&in); err == nil {
		t.Fatal("DecodeBody accepted a truncated JSON body")
	}
	if got := srv.Requests(mockhubtest.Filter{Status: "4xx"}); len(got) != 1 {
		t.Fatalf("4xx requests = %d, want 1", len(got))
	}
	if got := srv.Requests(mockhubtest.Filter{Limit: 1}); len(got) != 1 || got[0].Status != 400 {
		t.Fatalf("newest request = %+v", got)
	}
}

// Every field of Request carries what the server saw and answered.
func TestRequestFields(t *testing.T) {
	start := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	srv := mockhubtest.NewServer(t, mockhubtest.WithFrozenClock(start))
	srv.AddFault(`{"match":{"method":"GET"},"fault":{"kind":"status","status":503},"times":1}`)
	req := srv.NewRequest("GET", pairPath+"?hapikey=secret&after=abc", nil)
	req.Header.Set("X-Trace", "t-1")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	reqs := srv.Requests(mockhubtest.Filter{})
	if len(reqs) != 1 {
		t.Fatalf("recorded %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	checks := []struct {
		field     string
		got, want any
	}{
		{"Seq", r.Seq, uint64(1)},
		{"Time", r.Time, start},
		{"Method", r.Method, "GET"},
		{"Path", r.Path, pairPath},
		{"Query after", r.Query().Get("after"), "abc"},
		{"Query hapikey shown", r.Query().Get("hapikey") == "secret", false},
		{"Status", r.Status, http.StatusServiceUnavailable},
		{"Portal", r.Portal, srv.PortalID},
		{"CorrelationID", r.CorrelationID, resp.Header.Get("X-HubSpot-Correlation-Id")},
		{"CorrelationID set", r.CorrelationID != "", true},
		{"OperationID set", r.OperationID != "", true},
		{"Fault set", r.Fault != "", true},
		{"Header", r.Header.Get("X-Trace"), "t-1"},
		{"Authorization shown", strings.Contains(r.Header.Get("Authorization"), srv.Token), false},
		{"Duration", r.Duration >= 0, true},
		{"Body", r.Body, ""},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.field, c.got, c.want)
		}
	}
}

func TestClearRequests(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", createLimit))
	srv.ClearRequests()
	if n := len(srv.Requests(mockhubtest.Filter{})); n != 0 {
		t.Fatalf("journal holds %d requests after ClearRequests", n)
	}
	if _, body := do(t, srv, srv.NewRequest("GET", pairPath, nil)); !strings.Contains(body, `"typeId":279`) {
		t.Fatalf("ClearRequests touched the state: %s", body)
	}
}

// NewRequest sends raw forms of a body as they are and anything else as JSON.
func TestNewRequestBody(t *testing.T) {
	type limit struct {
		TypeID int `json:"typeId"`
	}
	cases := []struct {
		name     string
		body     any
		wantBody string
		wantType string
	}{
		{"nil", nil, "", ""},
		{"string", `{"a":1}`, `{"a":1}`, "application/json"},
		{"bytes", []byte(`{"b":2}`), `{"b":2}`, "application/json"},
		{"raw message", json.RawMessage(`{"c":3}`), `{"c":3}`, "application/json"},
		{"strings.Reader", strings.NewReader(`{"d":4}`), `{"d":4}`, "application/json"},
		{"bytes.Buffer", bytes.NewBufferString(`{"e":5}`), `{"e":5}`, "application/json"},
		{"io.Reader", io.MultiReader(strings.NewReader(`{"f":`), strings.NewReader(`6}`)), `{"f":6}`, "application/json"},
		{"struct", limit{TypeID: 279}, `{"typeId":279}`, "application/json"},
		{"map", map[string]int{"g": 7}, `{"g":7}`, "application/json"},
	}
	srv := mockhubtest.NewServer(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := srv.NewRequest("POST", "/crm/v4/associations/anything", c.body)
			if got := req.Header.Get("Content-Type"); got != c.wantType {
				t.Errorf("Content-Type = %q, want %q", got, c.wantType)
			}
			if got := req.Header.Get("Authorization"); got != "Bearer "+srv.Token {
				t.Errorf("Authorization = %q", got)
			}
			var sent []byte
			if req.Body != nil {
				var err error
				if sent, err = io.ReadAll(req.Body); err != nil {
					t.Fatal(err)
				}
			}
			if string(sent) != c.wantBody {
				t.Errorf("body = %q, want %q", sent, c.wantBody)
			}
		})
	}
}

// A reader's body reaches the server, where the journal shows it.
func TestNewRequestReaderReachesServer(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	status, body := do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", strings.NewReader(createLimit)))
	if status != http.StatusCreated {
		t.Fatalf("create with a reader body = %d %s", status, body)
	}
	if r := srv.Requests(mockhubtest.Filter{}); len(r) != 1 || r[0].Body != createLimit {
		t.Fatalf("recorded %+v", r)
	}
}

func TestNewRequestFailsTheTest(t *testing.T) {
	cases := map[string]struct {
		method, path string
		body         any
		want         string
	}{
		"body not JSON": {"POST", pairPath, make(chan int), "a chan int body cannot be sent as JSON"},
		"bad method":    {"GET POST", pairPath, nil, "invalid method"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			msg := failure(func(tb mockhubtest.TB) { mockhubtest.NewServer(tb).NewRequest(c.method, c.path, c.body) })
			if !strings.Contains(msg, c.want) {
				t.Fatalf("failed with %q, want %q", msg, c.want)
			}
		})
	}
}

// Methods of a server from Start panic where they would fail a test.
func TestStartServerPanics(t *testing.T) {
	srv, err := mockhubtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	defer func() {
		r := recover()
		var admin *mockhubtest.AdminError
		if err, ok := r.(error); !ok || !errors.As(err, &admin) || admin.Status != http.StatusNotFound {
			t.Fatalf("recovered %v, want the admin API's 404", r)
		}
	}()
	srv.PortalState(12345678)
}

func TestClock(t *testing.T) {
	// Ahead of the wall clock: a running clock is set only forward.
	start := time.Now().UTC().AddDate(1, 0, 0).Truncate(time.Second)
	later := start.AddDate(4, 0, 0)
	cases := []struct {
		name   string
		opts   []mockhubtest.Option
		frozen bool // else the clock runs on between the test's steps
	}{
		{"frozen", []mockhubtest.Option{mockhubtest.WithFrozenClock(start)}, true},
		{"running", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := mockhubtest.NewServer(t, c.opts...)
			// want is what the clock should read; a running clock may have
			// moved on since by at most the wall-clock time elapsed.
			expect := func(what string, got, want time.Time, elapsed time.Duration) {
				t.Helper()
				if c.frozen {
					elapsed = 0
				}
				if got.Before(want) || got.After(want.Add(elapsed)) {
					t.Fatalf("%s = %v, want %v (+ up to %v)", what, got, want, elapsed)
				}
			}

			before := time.Now()
			srv.SetTime(start)
			expect("Now after SetTime", srv.Now(), start, time.Since(before))

			before = time.Now()
			now := srv.Now()
			got := srv.Advance(time.Hour)
			expect("Advance", got, now.Add(time.Hour), time.Since(before))

			before = time.Now()
			srv.SetTime(later)
			do(t, srv, srv.NewRequest("GET", pairPath, nil))
			reqs := srv.Requests(mockhubtest.Filter{})
			if len(reqs) != 1 {
				t.Fatalf("recorded %d requests", len(reqs))
			}
			expect("journal time", reqs[0].Time, later, time.Since(before))
		})
	}
}

// The frozen clock keeps still until told.
func TestFrozenClockStaysPut(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := mockhubtest.NewServer(t, mockhubtest.WithFrozenClock(start))
	do(t, srv, srv.NewRequest("GET", pairPath, nil))
	if got := srv.Now(); !got.Equal(start) {
		t.Fatalf("Now = %v after a request, want %v", got, start)
	}
}

func TestWithFixtures(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	doc := `{"portals":[{"portalId":` + fmt.Sprint(srv.PortalID) + `,"labels":[],"limits":[{"fromObjectType":"contacts","toObjectType":"companies","typeId":279,"maxToObjectIds":3}]}]}`
	srv = mockhubtest.NewServer(t, mockhubtest.WithFixtures([]byte(doc)))
	_, body := do(t, srv, srv.NewRequest("GET", pairPath, nil))
	if !strings.Contains(body, `"userEnforcedMaxToObjectIds":3`) {
		t.Fatalf("seeded limits = %s", body)
	}
}

func TestAddAndRemoveFault(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	create := func() int {
		status, _ := do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", createLimit))
		return status
	}
	f := srv.AddFault(map[string]any{
		"match": map[string]any{"method": "POST", "path": "/crm/associations/*/definitions/configurations/*/*/batch/create"},
		"fault": map[string]any{"kind": "status", "status": 429},
		"times": 1,
	})
	if f.ID == "" {
		t.Fatalf("stored rule has no id: %s", f.Rule)
	}
	if got := create(); got != http.StatusTooManyRequests {
		t.Fatalf("first create = %d, want 429", got)
	}
	if got := create(); got != http.StatusCreated {
		t.Fatalf("second create = %d, want 201", got)
	}
	if reqs := srv.Requests(mockhubtest.Filter{Status: "429"}); len(reqs) != 1 || reqs[0].Fault == "" {
		t.Fatalf("journal does not name the fault: %+v", reqs)
	}

	g := srv.AddFault(`{"match":{"method":"GET"},"fault":{"kind":"status","status":500}}`)
	srv.RemoveFault(g.ID)
	if status, body := do(t, srv, srv.NewRequest("GET", pairPath, nil)); status != http.StatusOK {
		t.Fatalf("GET after RemoveFault = %d %s", status, body)
	}
}

// Close releases a request that a hang fault holds; without that, it would
// wait for the client to give up. If it did not, this test would hang until
// go test's timeout.
func TestCloseReleasesHungRequest(t *testing.T) {
	srv, err := mockhubtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	f := srv.AddFault(`{"match":{"method":"POST"},"fault":{"kind":"hang"}}`)
	done := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(srv.NewRequest("POST", pairPath+"/batch/create", createLimit))
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	// The rule counts the request it holds.
	for fired := 0; fired == 0; {
		resp, err := srv.Client().Get(srv.URL + "/_mockhub/faults/" + f.ID)
		if err != nil {
			t.Fatal(err)
		}
		var st struct{ Fired int }
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		fired = st.Fired
		time.Sleep(time.Millisecond)
	}
	srv.Close()
	if err := <-done; err == nil {
		t.Fatal("the hung request got an answer; hang drops the connection")
	}
	srv.Close() // a second Close does nothing
}
