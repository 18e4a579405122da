package server_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/server"
)

func TestStatusFaults(t *testing.T) {
	e := newEnv(t, server.Config{})
	want := map[int]string{
		400: apierr.CategoryValidation, 401: apierr.CategoryInvalidAuthentication, 403: apierr.CategoryMissingScopes,
		404: apierr.CategoryObjectNotFound, 409: apierr.CategoryConflict, 423: apierr.CategoryLocked,
		429: apierr.CategoryRateLimits, 477: apierr.CategoryMigrationInProgress, 500: apierr.CategoryInternal,
		502: apierr.CategoryBadGateway, 503: apierr.CategoryServiceUnavailable, 504: apierr.CategoryGatewayTimeout,
	}
	for _, status := range apierr.FaultStatuses {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			r := e.must("POST", limitsPath("2026-03", "/batch/create"), token, seedInput,
				map[string]string{"X-Mockhub-Fault": "status;status=" + strconv.Itoa(status)})
			if r.status != status {
				t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
			}
			body := r.json(t)
			if body["category"] != want[status] || body["status"] != "error" || body["correlationId"] == "" || body["message"] == "" {
				t.Errorf("body %s", r.body)
			}
			if r.header.Get("X-HubSpot-Correlation-Id") != body["correlationId"] {
				t.Error("correlation id header and body differ")
			}
			switch status {
			case 429:
				if body["policyName"] != "TEN_SECONDLY_ROLLING" || body["errorType"] != "RATE_LIMIT" || body["message"] != apierr.MsgTenSecondlyLimit {
					t.Errorf("429 body %s", r.body)
				}
				if r.header.Get("X-HubSpot-RateLimit-Remaining") != "0" || r.header.Get("X-HubSpot-RateLimit-Daily-Remaining") == "0" {
					t.Errorf("429 headers %v", r.header)
				}
			case 477:
				if r.header.Get("Retry-After") != "60" {
					t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
				}
			case 401:
				if r.header.Get("X-Hubspot-Auth-Failure") == "" {
					t.Error("401 without x-hubspot-auth-failure")
				}
			}
			if r.header.Get("X-HubSpot-RateLimit-Max") == "" {
				t.Error("fault answer without rate-limit headers")
			}
		})
	}
	if got := e.limits(token); len(got) != 0 {
		t.Errorf("status faults changed state: %v", got)
	}
	r := e.must("GET", limitsPath("2026-03", ""), token, "", map[string]string{"X-Mockhub-Fault": "status;status=429;policy=DAILY"})
	if body := r.json(t); body["policyName"] != "DAILY" || body["message"] != apierr.MsgDailyLimit || r.header.Get("X-HubSpot-RateLimit-Daily-Remaining") != "0" {
		t.Errorf("daily 429: %s", r.body)
	}
	r = e.must("GET", limitsPath("2026-03", ""), token, "", map[string]string{"X-Mockhub-Fault": "status;status=477;retryAfter=3600"})
	if r.header.Get("Retry-After") != "3600" {
		t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
	}
}

func TestConnectionFaults(t *testing.T) {
	e := newEnv(t, server.Config{})
	create := limitsPath("2026-03", "/batch/create")

	t.Run("reset", func(t *testing.T) {
		_, err := e.send("POST", create, token, seedInput, map[string]string{"X-Mockhub-Fault": "reset"})
		if !errors.Is(err, syscall.ECONNRESET) {
			t.Fatalf("err = %v, want connection reset", err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		_, err := e.send("POST", create, token, seedInput, map[string]string{"X-Mockhub-Fault": "empty"})
		if err == nil || !strings.Contains(err.Error(), "EOF") || errors.Is(err, syscall.ECONNRESET) {
			t.Fatalf("err = %v, want EOF", err)
		}
	})
	t.Run("malformed", func(t *testing.T) {
		r := e.must("POST", create, token, seedInput, map[string]string{"X-Mockhub-Fault": "malformed"})
		if r.status != 201 || r.header.Get("Content-Type") != "application/json;charset=utf-8" {
			t.Fatalf("%d %v", r.status, r.header)
		}
		if json.Valid(r.body) || !bytes.HasPrefix(r.body, []byte(`{"status":"COMPLETE"`)) {
			t.Errorf("body %q is not truncated JSON", r.body)
		}
		if r.header.Get("Content-Length") != strconv.Itoa(len(r.body)) {
			t.Errorf("Content-Length %s for %d bytes", r.header.Get("Content-Length"), len(r.body))
		}
		// The real answer happened: the limit is stored.
		if got := e.limits(token); got[279] != 5 {
			t.Errorf("limits %v", got)
		}
		e.srv.Reset()
	})
	t.Run("latency", func(t *testing.T) {
		began := time.Now()
		r := e.must("POST", create, token, seedInput, map[string]string{"X-Mockhub-Fault": "latency;ms=150;jitterMs=20"})
		took := time.Since(began)
		if r.status != 201 || took < 150*time.Millisecond {
			t.Errorf("%d after %v", r.status, took)
		}
		e.srv.Reset()
	})
	t.Run("hang until the client gives up", func(t *testing.T) {
		client := *e.client
		client.Timeout = 200 * time.Millisecond
		e := *e
		e.client = &client
		began := time.Now()
		_, err := e.send("GET", limitsPath("2026-03", ""), token, "", map[string]string{"X-Mockhub-Fault": "hang"})
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() || time.Since(began) < 200*time.Millisecond {
			t.Fatalf("err = %v after %v, want a client timeout", err, time.Since(began))
		}
	})
}

func TestHangEndsOnServerClose(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.addRule(`{"match":{"method":"GET"},"fault":{"kind":"hang"}}`)
	errc := make(chan error, 1)
	go func() {
		_, err := e.send("GET", limitsPath("v4", ""), token, "", nil)
		errc <- err
	}()
	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-errc:
		t.Fatalf("hang answered early: %v", err)
	default:
	}
	e.srv.Close()
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("hang answered after close")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("hang outlived the server")
	}
}

func TestLatencyCompletesOnServerClose(t *testing.T) {
	e := newEnv(t, server.Config{})
	type result struct {
		r   response
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := e.send("POST", limitsPath("2026-03", "/batch/create"), token, seedInput, map[string]string{"X-Mockhub-Fault": "latency;ms=60000"})
		done <- result{r, err}
	}()
	time.Sleep(100 * time.Millisecond)
	e.srv.Close()
	select {
	case res := <-done:
		if res.err != nil || res.r.status != 201 {
			t.Fatalf("delayed request after close: %v %d %s", res.err, res.r.status, res.r.body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the delay outlived the server")
	}
}

func TestFaultRulesByPath(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, nil))
	e := newEnv(t, server.Config{Logger: logger})
	id := e.addRule(`{"match":{"method":"post","path":"/crm/associations/*/definitions/configurations/*/*/batch/create"},"fault":{"kind":"status","status":503}}`)
	for _, v := range []string{"v4", "2025-09", "2026-03", "2026-09"} {
		if r := e.must("POST", limitsPath(v, "/batch/create"), token, seedInput, nil); r.status != 503 {
			t.Errorf("%s create: %d", v, r.status)
		}
	}
	// The v4 alias path does not fit the pattern; other operations neither.
	if r := e.must("POST", "/crm/v4/associations/definitions/configurations/contacts/companies/batch/create", token, seedInput, nil); r.status != 201 {
		t.Errorf("v4 alias: %d %s", r.status, r.body)
	}
	if r := e.must("GET", limitsPath("v4", ""), token, "", nil); r.status != 200 {
		t.Errorf("read: %d", r.status)
	}
	// Faults never touch the admin API.
	e.addRule(`{"fault":{"kind":"reset"}}`)
	if r := e.must("GET", "/_mockhub/health", "", "", nil); r.status != 200 {
		t.Errorf("health: %d", r.status)
	}
	mu.Lock()
	defer mu.Unlock()
	if n := strings.Count(logs.String(), "msg=fault rule="+id+" kind=status"); n != 4 {
		t.Errorf("logged %d faults of %s:\n%s", n, id, logs.String())
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestRetryPath(t *testing.T) {
	e := newEnv(t, server.Config{})
	id := e.addRule(`{"match":{"method":"POST","path":"/crm/associations/**/batch/create"},"fault":{"kind":"status","status":429},"times":2}`)
	create := limitsPath("2026-03", "/batch/create")
	var got []int
	for range 3 {
		r := e.must("POST", create, token, seedInput, nil)
		got = append(got, r.status)
		if r.status == 429 && r.json(t)["policyName"] != "TEN_SECONDLY_ROLLING" {
			t.Errorf("429 body %s", r.body)
		}
	}
	if got[0] != 429 || got[1] != 429 || got[2] != 201 {
		t.Fatalf("statuses %v, want 429 429 201", got)
	}
	if l := e.limits(token); len(l) != 1 || l[279] != 5 {
		t.Errorf("limits %v, want one", l)
	}
	// A fourth create finds the limit: it was stored once.
	if r := e.must("POST", create, token, seedInput, nil); r.status != 400 {
		t.Errorf("second real create: %d", r.status)
	}
	r := e.must("GET", "/_mockhub/faults/"+id, "", "", nil)
	if body := r.json(t); body["fired"] != 2.0 || body["matched"] != 4.0 {
		t.Errorf("counters %s", r.body)
	}
}

func TestAfterAndPortal(t *testing.T) {
	e := newEnv(t, server.Config{})
	other := "pat-na1-other"
	e.addRule(`{"match":{"method":"GET","portal":` + strconv.FormatInt(portalOf(t, e.srv, other), 10) + `},"fault":{"kind":"status","status":500},"after":1,"times":1}`)
	var seq []int
	for _, tok := range []string{other, token, other, token, other} {
		seq = append(seq, e.must("GET", limitsPath("2026-03", ""), tok, "", nil).status)
	}
	if want := []int{200, 200, 500, 200, 200}; !slices.Equal(seq, want) {
		t.Errorf("statuses %v, want %v", seq, want)
	}
}

// pattern runs the same request sequence against a fresh server seeded with
// seed and returns which requests a probability-0.5 rule hit.
func pattern(t *testing.T, seed uint64) string {
	e := newEnv(t, server.Config{Seed: seed})
	e.addRule(`{"fault":{"kind":"status","status":503},"probability":0.5}`)
	var b strings.Builder
	for i := range 40 {
		tok := "pat-na1-" + strconv.Itoa(i%3)
		if e.must("GET", limitsPath("2026-03", ""), tok, "", nil).status == 503 {
			b.WriteByte('x')
		} else {
			b.WriteByte('.')
		}
	}
	return b.String()
}

func TestSameSeedSameFaults(t *testing.T) {
	a, b, c := pattern(t, 42), pattern(t, 42), pattern(t, 43)
	if a != b {
		t.Errorf("seed 42 twice:\n%s\n%s", a, b)
	}
	if a == c {
		t.Errorf("seeds 42 and 43 both gave %s", a)
	}
	if !strings.Contains(a, "x") || !strings.Contains(a, ".") {
		t.Errorf("probability 0.5 gave %s", a)
	}
}

func TestBadFaultHeader(t *testing.T) {
	e := newEnv(t, server.Config{})
	for _, h := range []string{"", "bogus", "status", "status;status=200", "latency;ms=abc", "partial;failInputs=1", "batchStatus;status=PENDING", ";;;", "status;status=503;status=500", "\x00"} {
		r, err := e.send("GET", limitsPath("2026-03", ""), token, "", map[string]string{"X-Mockhub-Fault": h})
		if err != nil {
			if h == "\x00" {
				continue // the client refuses to send it
			}
			t.Fatal(err)
		}
		if r.status != 400 || r.json(t)["category"] != apierr.CategoryValidation || !strings.Contains(string(r.body), "X-Mockhub-Fault") {
			t.Errorf("%q: %d %s", h, r.status, r.body)
		}
	}
}
