package mockhubtest_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/mockhubtest"
)

// A bad option value fails NewServer and is returned by Start and
// NewHandler, naming the option.
func TestBadOptionValues(t *testing.T) {
	cases := []struct {
		name string
		opt  mockhubtest.Option
		want string
	}{
		{"negative journal", mockhubtest.WithJournalSize(-1), "WithJournalSize: size must be 0 (no journal) or more, got -1"},
		{"zero body bound", mockhubtest.WithMaxBodyBytes(0), "WithMaxBodyBytes: the bound must be a positive number of bytes, got 0"},
		{"empty data dir", mockhubtest.WithDataDir(""), "WithDataDir: the directory is empty"},
		{"empty token", mockhubtest.WithToken(""), "WithToken: the token is empty"},
		{"rate-limit tier", mockhubtest.WithRateLimit("fast"), `WithRateLimit: rate-limit tier must be free, starter, professional, enterprise or N/10s,D/day (positive N, D), got "fast"`},
		{"fault rules not a document", mockhubtest.WithFaultRules([]byte(`rules: [`)), "WithFaultRules: "},
		{"fault rule refused", mockhubtest.WithFaultRules([]byte(`{"rules":[{"fault":{"kind":"boom"}}]}`)), `WithFaultRules: unknown fault kind "boom"`},
		{"tokens not a document", mockhubtest.WithTokens([]byte(`{"tokens":`)), "WithTokens: "},
		{"token without portal", mockhubtest.WithTokens([]byte(`{"tokens":[{"token":"a"}]}`)), "WithTokens: tokens[0]: portalId must be a positive integer"},
		{"no tokens", mockhubtest.WithTokens([]byte(`{"tokens":[]}`)), "WithTokens: the document lists no tokens"},
		{"fixtures", mockhubtest.WithFixtures([]byte(`{"portals":[{"portalId":-4}]}`)), "WithFixtures: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := mockhubtest.Start(c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Start: %v, want an error with %q", err, c.want)
			}
			if _, err := mockhubtest.NewHandler(c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("NewHandler: %v, want an error with %q", err, c.want)
			}
			msg := failure(func(tb mockhubtest.TB) { mockhubtest.NewServer(tb, c.opt) })
			if !strings.Contains(msg, c.want) || !strings.HasPrefix(msg, "mockhubtest: ") {
				t.Fatalf("NewServer failed with %q, want %q", msg, c.want)
			}
		})
	}
}

// Every bad option is reported at once.
func TestBadOptionValuesAllReported(t *testing.T) {
	_, err := mockhubtest.Start(mockhubtest.WithJournalSize(-1), mockhubtest.WithRateLimit("fast"))
	if err == nil || !strings.Contains(err.Error(), "WithJournalSize") || !strings.Contains(err.Error(), "WithRateLimit") {
		t.Fatalf("Start: %v, want both options named", err)
	}
}

func TestWithJournalSize(t *testing.T) {
	cases := []struct {
		size, sent, want int
	}{
		{0, 3, 0},
		{2, 3, 2},
		{5, 3, 3},
	}
	for _, c := range cases {
		srv := mockhubtest.NewServer(t, mockhubtest.WithJournalSize(c.size))
		for range c.sent {
			do(t, srv, srv.NewRequest("GET", pairPath, nil))
		}
		if got := len(srv.Requests(mockhubtest.Filter{})); got != c.want {
			t.Errorf("WithJournalSize(%d) after %d requests keeps %d, want %d", c.size, c.sent, got, c.want)
		}
	}
}

func TestWithMaxBodyBytes(t *testing.T) {
	srv := mockhubtest.NewServer(t, mockhubtest.WithMaxBodyBytes(int64(len(createLimit))))
	cases := []struct {
		body string
		want int
	}{
		{createLimit, http.StatusCreated},
		{createLimit + " ", http.StatusRequestEntityTooLarge},
	}
	for _, c := range cases {
		if status, body := do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", c.body)); status != c.want {
			t.Errorf("a %d-byte body = %d %s, want %d", len(c.body), status, body, c.want)
		}
		srv.Reset()
	}
}

// State written under WithDataDir is found by the next server on the
// directory, and two servers cannot share one.
func TestWithDataDir(t *testing.T) {
	dir := t.TempDir()
	first, err := mockhubtest.Start(mockhubtest.WithDataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if status, body := do(t, first, first.NewRequest("POST", pairPath+"/batch/create", createLimit)); status != http.StatusCreated {
		first.Close()
		t.Fatalf("create = %d %s", status, body)
	}
	_, err = mockhubtest.Start(mockhubtest.WithDataDir(dir))
	first.Close()
	if err == nil || !strings.Contains(err.Error(), "WithDataDir: ") {
		t.Fatalf("a second server on the same directory: %v, want a WithDataDir error", err)
	}

	second := mockhubtest.NewServer(t, mockhubtest.WithDataDir(dir))
	if _, body := do(t, second, second.NewRequest("GET", pairPath, nil)); !strings.Contains(body, `"userEnforcedMaxToObjectIds":5`) {
		t.Fatalf("after a restart on the directory, limits = %s", body)
	}
}

// Rules of WithFaultRules fire from the start, come back on Reset and go
// with ClearFaults.
func TestWithFaultRules(t *testing.T) {
	yamlRules := []byte(`
rules:
  - match: {method: GET}
    fault: {kind: status, status: 503}
    times: 1
`)
	srv := mockhubtest.NewServer(t, mockhubtest.WithFaultRules(yamlRules))
	get := func() int {
		status, _ := do(t, srv, srv.NewRequest("GET", pairPath, nil))
		return status
	}
	steps := []struct {
		name   string
		before func()
		want   []int
	}{
		{"from the start, once", func() {}, []int{503, 200}},
		{"back after Reset", srv.Reset, []int{503, 200}},
		{"gone after ClearFaults", func() { srv.Reset(); srv.ClearFaults() }, []int{200, 200}},
	}
	for _, s := range steps {
		s.before()
		for i, want := range s.want {
			if got := get(); got != want {
				t.Fatalf("%s: GET %d = %d, want %d", s.name, i+1, got, want)
			}
		}
	}
}

func TestWithRateLimit(t *testing.T) {
	cases := []struct {
		tier      string
		daily     string
		refuseAt3 bool
	}{
		{"professional", "625000", false},
		{"5/10s,2/day", "2", true},
	}
	for _, c := range cases {
		t.Run(c.tier, func(t *testing.T) {
			srv := mockhubtest.NewServer(t, mockhubtest.WithRateLimit(c.tier))
			var statuses []int
			for range 3 {
				resp, err := srv.Client().Do(srv.NewRequest("GET", pairPath, nil))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if got := resp.Header.Get("X-HubSpot-RateLimit-Daily"); got != c.daily {
					t.Fatalf("daily quota header = %q, want %q", got, c.daily)
				}
				statuses = append(statuses, resp.StatusCode)
			}
			if refused := statuses[2] == http.StatusTooManyRequests; refused != c.refuseAt3 {
				t.Fatalf("statuses %v; third refused = %v, want %v", statuses, refused, c.refuseAt3)
			}
		})
	}
}

// Without WithRateLimit headers report the free tier and nothing is
// refused.
func TestRateLimitOffByDefault(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	resp, err := srv.Client().Do(srv.NewRequest("GET", pairPath, nil))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-HubSpot-RateLimit-Daily"); got != "250000" {
		t.Fatalf("daily quota header = %q, want the free tier's 250000", got)
	}
}

const tokensDoc = `
tokens:
  - token: pat-na1-writer
    portalId: 111
    scopes: [crm.objects.contacts.write]
  - token: oauth-short-lived
    portalId: 222
    kind: oauth
    scopes: [crm.objects.contacts.read]
    expiresAt: 2026-03-01T10:00:00Z
`

func TestWithTokens(t *testing.T) {
	cases := []struct {
		name      string
		opts      []mockhubtest.Option
		wantToken string
		wantID    int64
	}{
		{"first listed", nil, "pat-na1-writer", 111},
		{"chosen", []mockhubtest.Option{mockhubtest.WithToken("oauth-short-lived"), mockhubtest.WithFrozenClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))}, "oauth-short-lived", 222},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := append([]mockhubtest.Option{mockhubtest.WithTokens([]byte(tokensDoc))}, c.opts...)
			srv := mockhubtest.NewServer(t, opts...)
			if srv.Token != c.wantToken || srv.PortalID != c.wantID {
				t.Fatalf("Token, PortalID = %q, %d, want %q, %d", srv.Token, srv.PortalID, c.wantToken, c.wantID)
			}
			if status, body := do(t, srv, srv.NewRequest("GET", pairPath, nil)); status != http.StatusOK {
				t.Fatalf("GET with Token = %d %s", status, body)
			}
		})
	}

	srv := mockhubtest.NewServer(t, mockhubtest.WithTokens([]byte(tokensDoc)))
	if got := srv.PortalOf("pat-na1-unlisted"); got != 0 {
		t.Fatalf("PortalOf an unlisted token = %d, want 0", got)
	}
	req := srv.NewRequest("GET", pairPath, nil)
	req.Header.Set("Authorization", "Bearer pat-na1-unlisted")
	if status, body := do(t, srv, req); status != http.StatusUnauthorized {
		t.Fatalf("GET with an unlisted token = %d %s, want 401", status, body)
	}
}

func TestWithTokensRefusesUnlistedToken(t *testing.T) {
	_, err := mockhubtest.Start(mockhubtest.WithTokens([]byte(tokensDoc)), mockhubtest.WithToken("pat-na1-other"))
	if err == nil || !strings.Contains(err.Error(), `WithTokens: WithToken's token "pat-na1-other" is not in the document`) {
		t.Fatalf("Start: %v", err)
	}
}

// Token expiry is judged on the server's clock, which the test moves.
func TestWithTokensExpiryOnServerClock(t *testing.T) {
	srv := mockhubtest.NewServer(t,
		mockhubtest.WithTokens([]byte(tokensDoc)),
		mockhubtest.WithToken("oauth-short-lived"),
		mockhubtest.WithFrozenClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)))
	steps := []struct {
		advance time.Duration
		want    int
	}{
		{0, http.StatusOK},
		{59 * time.Minute, http.StatusOK},
		{2 * time.Minute, http.StatusUnauthorized},
	}
	for _, s := range steps {
		srv.Advance(s.advance)
		if status, body := do(t, srv, srv.NewRequest("GET", pairPath, nil)); status != s.want {
			t.Fatalf("at %v: GET = %d %s, want %d", srv.Now(), status, body, s.want)
		}
	}
}

// The same seed gives the same correlation ids.
func TestWithSeed(t *testing.T) {
	ids := func(seed uint64) string {
		srv := mockhubtest.NewServer(t, mockhubtest.WithSeed(seed))
		var out []string
		for range 2 {
			resp, err := srv.Client().Do(srv.NewRequest("GET", pairPath, nil))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			out = append(out, resp.Header.Get("X-HubSpot-Correlation-Id"))
		}
		return strings.Join(out, ",")
	}
	a, b, c := ids(7), ids(7), ids(8)
	if a != b || a == c || a == "," {
		t.Fatalf("seed 7 gave %q then %q, seed 8 %q", a, b, c)
	}
}

func TestWithLogger(t *testing.T) {
	var buf bytes.Buffer
	srv := mockhubtest.NewServer(t, mockhubtest.WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	do(t, srv, srv.NewRequest("GET", pairPath, nil))
	if !strings.Contains(buf.String(), "path="+pairPath) {
		t.Fatalf("log = %q, want the request", buf.String())
	}
}

// A later option overrides an earlier one of the same kind.
func TestLastOptionWins(t *testing.T) {
	srv := mockhubtest.NewServer(t, mockhubtest.WithToken("pat-na1-first"), mockhubtest.WithToken("pat-na1-second"))
	if srv.Token != "pat-na1-second" {
		t.Fatalf("Token = %q", srv.Token)
	}
	// A zero Option (a variable never set) changes nothing.
	zero, err := mockhubtest.Start(mockhubtest.Option{})
	if err != nil {
		t.Fatalf("Start with a zero Option: %v", err)
	}
	zero.Close()
}
