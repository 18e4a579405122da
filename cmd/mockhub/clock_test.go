package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestClockFlags(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		start  time.Time
		frozen bool
		err    string
	}{
		{"defaults", nil, nil, time.Time{}, false, ""},
		{"start", []string{"--clock-start", "2027-01-01T00:00:00Z"}, nil, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), false, ""},
		{"start with an offset", []string{"--clock-start=2027-01-01T02:00:00.5+02:00"}, nil, time.Date(2027, 1, 1, 0, 0, 0, 5e8, time.UTC), false, ""},
		{"frozen", []string{"--clock-frozen"}, nil, time.Time{}, true, ""},
		{"frozen=false", []string{"--clock-frozen=false"}, map[string]string{"MOCKHUB_CLOCK_FROZEN": "true"}, time.Time{}, false, ""},
		{"from the environment", nil, map[string]string{"MOCKHUB_CLOCK_START": "2030-06-01T12:00:00Z", "MOCKHUB_CLOCK_FROZEN": "1"}, time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC), true, ""},
		{"empty variables", nil, map[string]string{"MOCKHUB_CLOCK_START": "", "MOCKHUB_CLOCK_FROZEN": ""}, time.Time{}, false, ""},
		{"start not a time", []string{"--clock-start", "tomorrow"}, nil, time.Time{}, false, `--clock-start must be an RFC 3339 time such as 2027-01-01T00:00:00Z, from 1970 up to 2200, got "tomorrow"`},
		{"start without a zone", []string{"--clock-start", "2027-01-01T00:00:00"}, nil, time.Time{}, false, `--clock-start must be an RFC 3339 time`},
		{"start before 1970", []string{"--clock-start", "1969-12-31T23:59:59Z"}, nil, time.Time{}, false, `got "1969-12-31T23:59:59Z"`},
		{"start from the environment", nil, map[string]string{"MOCKHUB_CLOCK_START": "2300-01-01T00:00:00Z"}, time.Time{}, false, `environment variable MOCKHUB_CLOCK_START (for --clock-start) must be an RFC 3339 time`},
		{"frozen not a boolean", []string{"--clock-frozen=maybe"}, nil, time.Time{}, false, `--clock-frozen must be true or false, got "maybe"`},
		{"frozen from the environment", nil, map[string]string{"MOCKHUB_CLOCK_FROZEN": "yes"}, time.Time{}, false, `environment variable MOCKHUB_CLOCK_FROZEN (for --clock-frozen) must be true or false, got "yes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			o, err := parseFlags(tt.args, io.Discard)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !o.clockStart.Equal(tt.start) || o.clockFrozen != tt.frozen {
				t.Fatalf("clockStart %v, clockFrozen %v, err %v; want %v, %v", o.clockStart, o.clockFrozen, err, tt.start, tt.frozen)
			}
			clk := serverClock(o)
			if now, frozen := clk.State(); frozen != tt.frozen || (!tt.start.IsZero() && now.Before(tt.start)) || (tt.frozen && !tt.start.IsZero() && !now.Equal(tt.start)) {
				t.Fatalf("server clock %v, frozen %v", now, frozen)
			}
		})
	}
	var help bytes.Buffer
	clearEnv(t)
	parseFlags([]string{"--help"}, &help)
	for _, line := range []string{`--clock-start (env MOCKHUB_CLOCK_START, default "")`, `--clock-frozen (env MOCKHUB_CLOCK_FROZEN, default "false")`} {
		if !strings.Contains(help.String(), line) {
			t.Errorf("help lacks %q", line)
		}
	}
}

// exchange sends a request with extra headers and returns the answer.
func (p *process) exchange(t *testing.T, method, path, token, body string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://"+p.addr+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(data)
}

// moveClock posts a move to the admin API and returns the clock's state.
func (p *process) moveClock(t *testing.T, move string, want int) (now string, frozen bool) {
	t.Helper()
	status, body := p.do(t, "POST", "/_mockhub/clock", "", move)
	if status != want {
		t.Fatalf("POST /_mockhub/clock %s = %d %s, want %d", move, status, body, want)
	}
	if status != 200 {
		return "", false
	}
	var st struct {
		Now    string `json:"now"`
		Frozen bool   `json:"frozen"`
	}
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatalf("clock answer %s: %v", body, err)
	}
	return st.Now, st.Frozen
}

// TestDailyQuotaResetsAtUTCMidnight: the daily quota counts per UTC day of
// the server clock; advancing the clock past midnight starts a new day.
func TestDailyQuotaResetsAtUTCMidnight(t *testing.T) {
	bin := binary(t)
	p := start(t, bin, t.TempDir(), "--rate-limit", "100/10s,3/day", "--clock-start", "2026-06-30T23:59:00Z", "--clock-frozen")
	const tok = "pat-na1-quota"
	call := func() (int, string, string) {
		status, h, body := p.exchange(t, "GET", seedPath, tok, "", nil)
		return status, h.Get("X-HubSpot-RateLimit-Daily-Remaining"), body
	}
	for _, want := range []string{"2", "1", "0"} {
		if status, remaining, body := call(); status != 200 || remaining != want {
			t.Fatalf("before midnight: %d, Daily-Remaining %q, want 200 %s: %s", status, remaining, want, body)
		}
	}
	if status, _, body := call(); status != 429 || !strings.Contains(body, `"policyName":"DAILY"`) {
		t.Fatalf("over the daily quota: %d %s", status, body)
	}
	if now, frozen := p.moveClock(t, `{"advance":"59s"}`, 200); now != "2026-06-30T23:59:59.000Z" || !frozen {
		t.Fatalf("clock %s, frozen %v", now, frozen)
	}
	if status, _, _ := call(); status != 429 {
		t.Fatalf("a second before midnight: %d", status)
	}
	if now, _ := p.moveClock(t, `{"advance":"1s"}`, 200); now != "2026-07-01T00:00:00.000Z" {
		t.Fatalf("clock %s", now)
	}
	if status, remaining, body := call(); status != 200 || remaining != "2" {
		t.Fatalf("after midnight: %d, Daily-Remaining %q: %s", status, remaining, body)
	}
}

// TestPendingBatchCompletesOnAdvance: a batch a fault answered PENDING is
// applied by the time POST /_mockhub/clock answers, without waiting, on the
// default running clock.
func TestPendingBatchCompletesOnAdvance(t *testing.T) {
	bin := binary(t)
	p := start(t, bin, t.TempDir())
	const tok = "pat-na1-pending"
	status, _, body := p.exchange(t, "POST", seedPath+"/batch/create", tok, seedBody, map[string]string{"X-Mockhub-Fault": "batchStatus;status=PENDING;applyAfterMs=3600000"})
	if status != 201 || !strings.Contains(body, `"status":"PENDING"`) {
		t.Fatalf("create: %d %s", status, body)
	}
	if _, body := p.do(t, "GET", seedPath, tok, ""); body != `{"results":[]}` {
		t.Fatalf("applied before due: %s", body)
	}
	if _, frozen := p.moveClock(t, `{"advance":"1h"}`, 200); frozen {
		t.Fatal("the default clock is frozen")
	}
	if _, body := p.do(t, "GET", seedPath, tok, ""); !strings.Contains(body, `"userEnforcedMaxToObjectIds":5`) {
		t.Fatalf("not applied once the clock passed its due time: %s", body)
	}
}

// TestClockNeverGoesBackWhileRunning: a set to the past is refused while the
// clock runs, allowed once it is frozen.
func TestClockNeverGoesBackWhileRunning(t *testing.T) {
	bin := binary(t)
	p := start(t, bin, t.TempDir(), "--clock-start", "2027-01-01T00:00:00Z")
	status, body := p.do(t, "POST", "/_mockhub/clock", "", `{"set":"2026-12-31T00:00:00Z"}`)
	if status != 400 || !strings.Contains(body, "the clock is running and never goes back") {
		t.Fatalf("set back while running: %d %s", status, body)
	}
	if status, body := p.do(t, "GET", "/_mockhub/clock", "", ""); status != 200 || !strings.Contains(body, `"now":"2027-01-01T`) || !strings.Contains(body, `"frozen":false`) {
		t.Fatalf("after a refused set: %d %s", status, body)
	}
	if _, frozen := p.moveClock(t, `{"freeze":true}`, 200); !frozen {
		t.Fatal("not frozen")
	}
	if now, frozen := p.moveClock(t, `{"set":"2026-12-31T00:00:00Z"}`, 200); now != "2026-12-31T00:00:00.000Z" || !frozen {
		t.Fatalf("set back while frozen: %s, frozen %v", now, frozen)
	}
	if now, frozen := p.moveClock(t, `{"freeze":false}`, 200); now < "2026-12-31T00:00:00.000Z" || frozen {
		t.Fatalf("unfreeze: %s, frozen %v", now, frozen)
	}
	p.moveClock(t, `{"set":"2026-01-01T00:00:00Z"}`, 400)
}

// TestStaticTokenExpiresOnServerClock: a tokens file's expiresAt is judged
// on the server clock, which --clock-start puts years before the wall
// clock; advancing past it gets 401 EXPIRED_AUTHENTICATION. Search lag and
// the journal's time follow the same clock.
func TestStaticTokenExpiresOnServerClock(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	tokens := "tokens:\n  - token: oauth-short\n    portalId: 123\n    kind: oauth\n    scopes: [crm.objects.contacts.read, crm.objects.contacts.write, crm.schemas.contacts.read]\n    expiresAt: 2020-01-01T01:00:00Z\n"
	if err := os.WriteFile(filepath.Join(dir, "tokens.yaml"), []byte(tokens), 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, bin, dir, "--tokens", "tokens.yaml", "--clock-start", "2020-01-01T00:00:00Z", "--search-lag", "10m")
	const tok = "oauth-short"
	status, body := p.do(t, "POST", "/crm/v3/objects/contacts", tok, `{"properties":{"email":"clock@example.com"}}`)
	if status != 201 || !strings.Contains(body, `"createdAt":"2020-01-01T00:0`) {
		t.Fatalf("create on the server clock: %d %s", status, body)
	}
	search := func() (int, string) {
		return p.do(t, "POST", "/crm/v3/objects/contacts/search", tok, `{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"clock@example.com"}]}]}`)
	}
	if status, body := search(); status != 200 || !strings.Contains(body, `"total":0`) {
		t.Fatalf("search within the lag: %d %s", status, body)
	}
	p.moveClock(t, `{"advance":"10m"}`, 200)
	if status, body := search(); status != 200 || !strings.Contains(body, `"total":1`) {
		t.Fatalf("search once the lag passed on the server clock: %d %s", status, body)
	}
	p.moveClock(t, `{"advance":"51m"}`, 200)
	status, body = p.do(t, "GET", "/crm/v3/objects/contacts", tok, "")
	if status != 401 || !strings.Contains(body, `"category":"EXPIRED_AUTHENTICATION"`) || !strings.Contains(body, `"expire time":["2020-01-01T01:00:00.000Z"]`) {
		t.Fatalf("after its expiry on the server clock: %d %s", status, body)
	}
	_, journal := p.do(t, "GET", "/_mockhub/requests?limit=1", "", "")
	var last struct {
		Results []struct {
			Time string `json:"time"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(journal), &last); err != nil || len(last.Results) != 1 || !strings.HasPrefix(last.Results[0].Time, "2020-01-01T01:01") {
		t.Fatalf("journal %s: %v", journal, err)
	}

}
