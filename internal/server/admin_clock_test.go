package server_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/server"
)

// clockState is GET /_mockhub/clock's answer.
type clockState struct {
	Now    string `json:"now"`
	Frozen bool   `json:"frozen"`
}

func readClock(t *testing.T, a answer) clockState {
	t.Helper()
	var st clockState
	if err := json.Unmarshal([]byte(a.body), &st); err != nil || a.status != 200 {
		t.Fatalf("clock answer %d %s: %v", a.status, a.body, err)
	}
	return st
}

// TestAdminClock drives one server's clock, frozen at first, through the
// admin API. A refused move answers a HubSpot-shaped 400 naming the problem
// and leaves the clock as it was.
func TestAdminClock(t *testing.T) {
	_, hs := newServer(t, server.Config{Clock: clock.NewManual(time.Date(2026, 3, 30, 23, 59, 0, 0, time.UTC))})
	steps := []struct {
		name    string
		body    string // "" for GET
		status  int
		want    string // the clock's state after (exact when frozen)
		message string // of a 400
	}{
		{"read", "", 200, `{"now":"2026-03-30T23:59:00.000Z","frozen":true}`, ""},
		{"advance", `{"advance":"30m"}`, 200, `{"now":"2026-03-31T00:29:00.000Z","frozen":true}`, ""},
		{"advance days", `{"advance":"1d1h30m"}`, 200, `{"now":"2026-04-01T01:59:00.000Z","frozen":true}`, ""},
		{"advance ms", `{"advance":"250ms"}`, 200, `{"now":"2026-04-01T01:59:00.250Z","frozen":true}`, ""},
		{"set", `{"set":"2027-01-01T00:00:00Z"}`, 200, `{"now":"2027-01-01T00:00:00.000Z","frozen":true}`, ""},
		{"set with an offset", `{"set":"2027-01-01T02:00:00.5+02:00"}`, 200, `{"now":"2027-01-01T00:00:00.500Z","frozen":true}`, ""},
		{"set back while frozen", `{"set":"2020-01-01T00:00:00Z"}`, 200, `{"now":"2020-01-01T00:00:00.000Z","frozen":true}`, ""},
		{"freeze a frozen clock", `{"freeze":true}`, 200, `{"now":"2020-01-01T00:00:00.000Z","frozen":true}`, ""},
		{"no move", `{}`, 400, "", "give advance"},
		{"null moves", `{"advance":null,"set":null,"freeze":null}`, 400, "", "give advance"},
		{"negative advance", `{"advance":"-30m"}`, 400, "", "advance must not be negative"},
		{"bad advance", `{"advance":"soon"}`, 400, "", `advance must be a duration such as 30m, 1h30m or 2d (a day is 24h), got "soon"`},
		{"advance as a number", `{"advance":1800}`, 400, "", "advance must be a string"},
		{"bad set", `{"set":"tomorrow"}`, 400, "", `set must be an RFC 3339 time such as "2027-01-01T00:00:00Z", got "tomorrow"`},
		{"set and advance", `{"set":"2027-01-01T00:00:00Z","advance":"1m"}`, 400, "", "advance and set cannot be combined"},
		{"freeze not a boolean", `{"freeze":"yes"}`, 400, "", "freeze must be true or false, got a string"},
		{"unknown field", `{"travel":"1h"}`, 400, "", `unknown field "travel"`},
		{"not JSON", `advance=1h`, 400, "", "Invalid clock move: invalid JSON"},
		{"set before 1970", `{"set":"1969-12-31T23:59:59Z"}`, 400, "", "the clock reads from 1970-01-01T00:00:00Z up to 2200-01-01T00:00:00Z"},
		{"advance out of range", `{"advance":"106000d"}`, 400, "", "the clock reads from 1970-01-01T00:00:00Z up to 2200-01-01T00:00:00Z"},
		{"unfreeze", `{"freeze":false}`, 200, "running from 2020-01-01T00:00:00.000Z", ""},
		{"set back while running", `{"set":"2019-01-01T00:00:00Z"}`, 400, "", "the clock is running and never goes back: 2019-01-01T00:00:00.000Z is before its time"},
		{"freeze, then set back, in one move", `{"freeze":true,"set":"2019-01-01T00:00:00Z"}`, 200, `{"now":"2019-01-01T00:00:00.000Z","frozen":true}`, ""},
		{"set, then run from there, in one move", `{"set":"2018-06-01T00:00:00Z","freeze":false}`, 200, "running from 2018-06-01T00:00:00.000Z", ""},
		{"freeze", `{"freeze":true}`, 200, "frozen from 2018-06-01T00:00:00.000Z", ""},
	}
	before := readClock(t, call(t, hs, "GET", "/_mockhub/clock", "", ""))
	for _, s := range steps {
		var a answer
		if s.body == "" {
			a = call(t, hs, "GET", "/_mockhub/clock", "", "")
		} else {
			a = call(t, hs, "POST", "/_mockhub/clock", "", s.body)
		}
		if s.status != 200 {
			wantAdminError(t, a, s.status, s.message)
			if m := a.json(t); m["category"] != "VALIDATION_ERROR" {
				t.Fatalf("%s: category %v", s.name, m["category"])
			}
			after := readClock(t, call(t, hs, "GET", "/_mockhub/clock", "", ""))
			if after.Frozen != before.Frozen || (before.Frozen && after.Now != before.Now) || after.Now < before.Now {
				t.Fatalf("%s: a refused move changed the clock from %+v to %+v", s.name, before, after)
			}
			continue
		}
		st := readClock(t, a)
		switch {
		case strings.HasPrefix(s.want, "running from "), strings.HasPrefix(s.want, "frozen from "):
			from := s.want[strings.LastIndexByte(s.want, ' ')+1:]
			if st.Frozen != strings.HasPrefix(s.want, "frozen") || st.Now < from {
				t.Fatalf("%s: clock %+v, want %s", s.name, st, s.want)
			}
		case a.body != s.want:
			t.Fatalf("%s: %d %s, want %s", s.name, a.status, a.body, s.want)
		}
		before = st
	}
}

// A running server's clock (the default) reads the wall clock's time until
// moved, and moves as the admin API says.
func TestAdminClockRunningByDefault(t *testing.T) {
	_, hs := newServer(t, server.Config{})
	wall := time.Now().UTC().Add(-time.Second).Format("2006-01-02T15:04:05.000Z")
	st := readClock(t, call(t, hs, "GET", "/_mockhub/clock", "", ""))
	if st.Frozen || st.Now < wall {
		t.Fatalf("default clock %+v, wall clock %s", st, wall)
	}
	st = readClock(t, call(t, hs, "POST", "/_mockhub/clock", "", `{"advance":"2d"}`))
	if st.Frozen || st.Now < time.Now().UTC().Add(47*time.Hour).Format("2006-01-02T15:04:05.000Z") {
		t.Fatalf("after advancing 2d: %+v", st)
	}
	a := call(t, hs, "POST", "/_mockhub/clock", "", `{"set":"`+wall+`"}`)
	wantAdminError(t, a, 400, "never goes back")
}

// A clock the embedder gave that is not a Controlled one is read, not
// moved.
func TestAdminClockFixedByEmbedder(t *testing.T) {
	_, hs := newServer(t, server.Config{Clock: clock.Real{}})
	if st := readClock(t, call(t, hs, "GET", "/_mockhub/clock", "", "")); st.Frozen || st.Now == "" {
		t.Fatalf("GET = %+v", st)
	}
	wantAdminError(t, call(t, hs, "POST", "/_mockhub/clock", "", `{"advance":"1m"}`), 409, "cannot be moved")
	// A bad body is still a 400.
	wantAdminError(t, call(t, hs, "POST", "/_mockhub/clock", "", `{}`), 400, "give advance")
}

// Advancing through the admin API answers once a deferred batch that fell
// due has been applied; journal entries carry the server's time.
func TestAdminClockAdvanceAppliesDeferredBatch(t *testing.T) {
	e := newEnv(t, server.Config{})
	r := e.must("POST", limitsPath("2026-03", "/batch/create"), token, seedInput, map[string]string{"X-Mockhub-Fault": "batchStatus;status=PENDING;applyAfterMs=3600000"})
	if r.status != 201 || r.json(t)["status"] != "PENDING" {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if got := e.limits(token); len(got) != 0 {
		t.Fatalf("applied at once: %v", got)
	}
	r = e.must("POST", "/_mockhub/clock", "", `{"advance":"59m59s"}`, nil)
	if r.status != 200 || len(e.limits(token)) != 0 {
		t.Fatalf("before due: %d %s, limits %v", r.status, r.body, e.limits(token))
	}
	r = e.must("POST", "/_mockhub/clock", "", `{"advance":"1s"}`, nil)
	if got := e.limits(token); r.status != 200 || got[279] != 5 {
		t.Fatalf("after due: %d %s, limits %v", r.status, r.body, got)
	}
	st := e.must("GET", "/_mockhub/requests?limit=1", "", "", nil).json(t)
	entry := st["results"].([]any)[0].(map[string]any)
	if when := entry["time"].(string); !strings.HasPrefix(when, start.Add(time.Hour).Format("2006-01-02T15:04:05")) {
		t.Fatalf("journal time %s, want the server's %v", when, start.Add(time.Hour))
	}
}

// FuzzClockMoves feeds arbitrary bodies to POST /_mockhub/clock: the server
// answers 200 with the state GET then answers (a running clock may have
// moved on since), or a HubSpot-shaped 400 that changes nothing.
func FuzzClockMoves(f *testing.F) {
	for _, s := range []string{`{"advance":"30m"}`, `{"advance":"1d2h"}`, `{"set":"2027-01-01T00:00:00Z"}`, `{"freeze":true}`, `{"freeze":false}`,
		`{"freeze":true,"set":"2019-01-01T00:00:00Z"}`, `{"advance":"-1s"}`, `{"set":"1969-01-01T00:00:00Z"}`, `{}`, `[]`, `{"advance":"106000d"}`, `null`} {
		f.Add(s)
	}
	srv, err := server.New(server.Config{Seed: 1, Clock: clock.NewManual(time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC))})
	if err != nil {
		f.Fatal(err)
	}
	do := func(method, body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(method, "/_mockhub/clock", strings.NewReader(body)))
		return rec
	}
	state := func(rec *httptest.ResponseRecorder) clockState {
		var st clockState
		if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
			f.Fatalf("%d %s: %v", rec.Code, rec.Body, err)
		}
		return st
	}
	f.Fuzz(func(t *testing.T, body string) {
		before := state(do("GET", ""))
		post := do("POST", body)
		after := state(do("GET", ""))
		switch post.Code {
		case 200:
			moved := state(post)
			if moved.Frozen != after.Frozen || (after.Frozen && moved.Now != after.Now) || after.Now < moved.Now {
				t.Fatalf("POST %s answered %+v, GET %+v", body, moved, after)
			}
		case 400:
			var e map[string]any
			if err := json.Unmarshal(post.Body.Bytes(), &e); err != nil || e["status"] != "error" || e["message"] == nil || e["correlationId"] == nil {
				t.Fatalf("400 answer is not HubSpot-shaped: %s", post.Body)
			}
			if before.Frozen != after.Frozen || (before.Frozen && before.Now != after.Now) || after.Now < before.Now {
				t.Fatalf("refused %s changed the clock: %+v -> %+v", body, before, after)
			}
		default:
			t.Fatalf("%q: %d %s", body, post.Code, post.Body)
		}
	})
}
