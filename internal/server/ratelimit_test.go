package server_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/server"
)

// documentsWithoutExemptions loads our documents and drops the ten-secondly
// exemption from version's operations: every operation in our documents is
// exempt, so the ten-second window needs an operation that is not.
func documentsWithoutExemptions(t *testing.T, version string) []*openapi.Document {
	t.Helper()
	docs, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.Version != version {
			continue
		}
		for _, item := range d.Spec.Paths.Map() {
			for _, op := range item.Operations() {
				delete(op.Extensions, "x-hubspot-rate-limit-exemptions")
			}
		}
	}
	return docs
}

type limitHeaders struct{ max, remaining, secondly, secondlyRemaining, daily, dailyRemaining string }

func headersOf(r response) limitHeaders {
	h := r.header
	return limitHeaders{
		h.Get("X-HubSpot-RateLimit-Max"), h.Get("X-HubSpot-RateLimit-Remaining"),
		h.Get("X-HubSpot-RateLimit-Secondly"), h.Get("X-HubSpot-RateLimit-Secondly-Remaining"),
		h.Get("X-HubSpot-RateLimit-Daily"), h.Get("X-HubSpot-RateLimit-Daily-Remaining"),
	}
}

func TestRateLimitHeadersWithoutEnforcement(t *testing.T) {
	e := newEnv(t, server.Config{Documents: documentsWithoutExemptions(t, "2026-03")})
	r := e.must("GET", limitsPath("2026-03", ""), token, "", nil)
	want := limitHeaders{"100", "99", "10", "9", "250000", "249999"}
	if got := headersOf(r); got != want {
		t.Errorf("headers %+v, want %+v", got, want)
	}
	if r.header.Get("X-HubSpot-RateLimit-Interval-Milliseconds") != "10000" {
		t.Error("no interval header")
	}
	// Far over the limit, nothing is refused.
	for range 120 {
		if r = e.must("GET", limitsPath("2026-03", ""), token, "", nil); r.status != 200 {
			t.Fatalf("refused without enforcement: %d", r.status)
		}
	}
	if got := headersOf(r); got.remaining != "0" || got.dailyRemaining != "249879" {
		t.Errorf("after 121 requests: %+v", got)
	}
	// OAuth tokens get no daily headers.
	r = e.must("GET", limitsPath("2026-03", ""), "oauth-token", "", nil)
	if _, ok := r.header["X-Hubspot-Ratelimit-Daily"]; ok || r.header.Get("X-HubSpot-RateLimit-Max") != "100" {
		t.Errorf("OAuth headers %v", r.header)
	}
	// Unauthenticated requests belong to no portal: no headers.
	r = e.must("GET", limitsPath("2026-03", ""), "", "", nil)
	if r.status != 401 || r.header.Get("X-HubSpot-RateLimit-Max") != "" {
		t.Errorf("401 with headers: %v", r.header)
	}
}

func TestRateLimitEnforced(t *testing.T) {
	tier, _ := ratelimit.ParseTier("3/10s,5/day")
	e := newEnv(t, server.Config{RateLimit: &tier, Documents: documentsWithoutExemptions(t, "2026-03")})
	read := limitsPath("2026-03", "")
	exempt := limitsPath("v4", "")

	// Headers count down on a frozen clock.
	for i, want := range []string{"2", "1", "0"} {
		r := e.must("GET", read, token, "", nil)
		if r.status != 200 || headersOf(r).remaining != want || headersOf(r).dailyRemaining != strconv.Itoa(4-i) {
			t.Fatalf("request %d: %d %+v", i, r.status, headersOf(r))
		}
	}
	r := e.must("GET", read, token, "", nil)
	if r.status != 429 {
		t.Fatalf("over the window: %d", r.status)
	}
	body := r.json(t)
	if body["policyName"] != apierr.PolicyTenSecondly || body["message"] != apierr.MsgTenSecondlyLimit ||
		body["errorType"] != "RATE_LIMIT" || body["category"] != "RATE_LIMITS" || body["correlationId"] == "" ||
		body["groupName"] == "" || headersOf(r).remaining != "0" {
		t.Errorf("429 %s %+v", r.body, headersOf(r))
	}
	// Exempt operations pass and do not touch the window, but count daily.
	r = e.must("GET", exempt, token, "", nil)
	if got := headersOf(r); r.status != 200 || got.remaining != "0" || got.dailyRemaining != "1" {
		t.Fatalf("exempt: %d %+v", r.status, got)
	}
	// Another portal has its own window.
	if r := e.must("GET", read, "pat-na1-other", "", nil); r.status != 200 || headersOf(r).remaining != "2" {
		t.Fatalf("other portal: %d %+v", r.status, headersOf(r))
	}
	// The window refills after ten seconds.
	e.clock.Advance(10 * time.Second)
	r = e.must("GET", read, token, "", nil)
	if got := headersOf(r); r.status != 200 || got.remaining != "2" || got.dailyRemaining != "0" {
		t.Fatalf("refilled: %d %+v", r.status, got)
	}
	// The daily quota is spent: exempt or not, 429 DAILY.
	for _, path := range []string{read, exempt} {
		r = e.must("GET", path, token, "", nil)
		if body := r.json(t); r.status != 429 || body["policyName"] != apierr.PolicyDaily || body["message"] != apierr.MsgDailyLimit {
			t.Errorf("%s over daily: %d %s", path, r.status, r.body)
		}
	}
	// A portal reset forgets its windows.
	if r := e.must("POST", "/_mockhub/reset?portal="+strconv.FormatInt(portalOf(t, e.srv, token), 10), "", "", nil); r.status != 200 {
		t.Fatal(r.status)
	}
	if r := e.must("GET", read, token, "", nil); r.status != 200 || headersOf(r).dailyRemaining != "4" {
		t.Errorf("after portal reset: %d %+v", r.status, headersOf(r))
	}
	// The next day the quota is back.
	e.clock.Advance(24 * time.Hour)
	if r := e.must("GET", read, "pat-na1-other", "", nil); r.status != 200 || headersOf(r).dailyRemaining != "4" {
		t.Errorf("next day: %d %+v", r.status, headersOf(r))
	}
}
