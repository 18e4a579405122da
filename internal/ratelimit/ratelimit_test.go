package ratelimit

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
)

func TestParseTier(t *testing.T) {
	tests := []struct {
		in         string
		ten, daily int
		wantErr    bool
	}{
		{"free", 100, 250_000, false},
		{"Starter", 100, 250_000, false},
		{"professional", 190, 625_000, false},
		{"enterprise", 190, 1_000_000, false},
		{"5/10s,100/day", 5, 100, false},
		{" 5/10s , 100/day ", 5, 100, false},
		{"0/10s,100/day", 0, 0, true},
		{"5/10s", 0, 0, true},
		{"5/s,100/day", 0, 0, true},
		{"gold", 0, 0, true},
		{"", 0, 0, true},
	}
	for _, tt := range tests {
		got, err := ParseTier(tt.in)
		if (err != nil) != tt.wantErr || got.TenSecondly != tt.ten || got.Daily != tt.daily {
			t.Errorf("ParseTier(%q) = %+v, %v", tt.in, got, err)
		}
	}
}

func TestWindowRollsAndDayResets(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 9, 30, 23, 59, 40, 0, time.UTC))
	l := New(Tier{TenSecondly: 3, Daily: 5}, true, clk)
	req := Request{Portal: 1}
	take := func() Usage { return l.Take(req) }

	for i, want := range []int{2, 1, 0} {
		if u := take(); u.Refused != "" || u.Remaining != want {
			t.Fatalf("request %d: %+v", i, u)
		}
		clk.Advance(2 * time.Second)
	}
	// t=6s: the window holds requests at 0, 2 and 4 s.
	if u := take(); u.Refused != PolicyTenSecondly || u.Remaining != 0 {
		t.Fatalf("4th request: %+v", u)
	}
	clk.Advance(4 * time.Second) // t=10s: the first request leaves the window
	if u := take(); u.Refused != "" || u.Remaining != 0 || u.DailyRemaining != 1 {
		t.Fatalf("after roll: %+v", u)
	}
	clk.Advance(10 * time.Second) // t=20s, 00:00:00 next day: both reset
	if u := l.Peek(req); u.Remaining != 3 || u.DailyRemaining != 5 {
		t.Fatalf("next day: %+v", u)
	}
}

func TestDailyAndExemptions(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC))
	l := New(Tier{TenSecondly: 100, Daily: 2}, true, clk)
	exempt := Request{Portal: 1, ExemptTenSecondly: true}
	for range 2 {
		if u := l.Take(exempt); u.Refused != "" || u.Remaining != 100 {
			t.Fatalf("exempt: %+v", u)
		}
	}
	if u := l.Take(exempt); u.Refused != PolicyDaily || u.DailyRemaining != 0 {
		t.Fatalf("over daily: %+v", u)
	}
	// OAuth has no daily quota.
	if u := l.Take(Request{Portal: 1, OAuth: true}); u.Refused != "" || u.ShowDaily || u.Remaining != 99 {
		t.Fatalf("oauth: %+v", u)
	}
	// Other portals have their own windows.
	if u := l.Take(Request{Portal: 2}); u.Refused != "" || u.DailyRemaining != 1 {
		t.Fatalf("portal 2: %+v", u)
	}
	p := int64(1)
	l.Reset(&p)
	if u := l.Peek(Request{Portal: 1}); u.DailyRemaining != 2 {
		t.Fatalf("after reset: %+v", u)
	}
}

func TestNotEnforced(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC))
	l := New(Tier{TenSecondly: 2, Daily: 3}, false, clk)
	for range 5 {
		if u := l.Take(Request{Portal: 1}); u.Refused != "" {
			t.Fatalf("refused while not enforced: %+v", u)
		}
	}
	if u := l.Peek(Request{Portal: 1}); u.Remaining != 0 || u.DailyRemaining != 0 {
		t.Fatalf("saturated: %+v", u)
	}
}

func TestWriteHeaders(t *testing.T) {
	h := http.Header{}
	Usage{Max: 100, Remaining: 99, Secondly: 10, SecondlyRemaining: 9, Daily: 250000, DailyRemaining: 249991, ShowDaily: true}.WriteHeaders(h)
	want := map[string]string{
		"X-HubSpot-RateLimit-Max": "100", "X-HubSpot-RateLimit-Remaining": "99",
		"X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
		"X-HubSpot-RateLimit-Secondly":              "10", "X-HubSpot-RateLimit-Secondly-Remaining": "9",
		"X-HubSpot-RateLimit-Daily": "250000", "X-HubSpot-RateLimit-Daily-Remaining": "249991",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	h = http.Header{}
	Usage{Max: 100, Remaining: 99, Secondly: 10, SecondlyRemaining: 9}.WriteHeaders(h)
	if _, ok := h[HeaderDaily]; ok || len(h) != 5 {
		t.Errorf("OAuth headers: %v", h)
	}
}

func BenchmarkTakeAndHeaders(b *testing.B) {
	l := New(Tiers["free"], false, clock.Real{})
	h := http.Header{}
	b.ReportAllocs()
	for b.Loop() {
		l.Take(Request{Portal: 1, ExemptTenSecondly: true}).WriteHeaders(h)
	}
}

func TestBucketPerSecond(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC))
	l := New(Tier{TenSecondly: 100, Daily: 7}, true, clk)
	search := Request{Portal: 1, ExemptTenSecondly: true, Bucket: Bucket{Name: "search", PerSecond: 3}}
	for i := range 3 {
		if u := l.Take(search); u.Refused != "" {
			t.Fatalf("search %d refused: %+v", i, u)
		}
		clk.Advance(100 * time.Millisecond)
	}
	// t=300ms: the bucket is full; the refusal counts nowhere.
	if u := l.Take(search); u.Refused != PolicySecondly || u.DailyRemaining != 4 {
		t.Fatalf("4th search: %+v", u)
	}
	// Other requests, and another portal's searches, are not held back.
	if u := l.Take(Request{Portal: 1}); u.Refused != "" || u.Remaining != 99 {
		t.Fatalf("a plain request: %+v", u)
	}
	if u := l.Take(Request{Portal: 2, Bucket: search.Bucket}); u.Refused != "" {
		t.Fatalf("another portal's search: %+v", u)
	}
	other := Request{Portal: 1, Bucket: Bucket{Name: "other", PerSecond: 1}}
	if u := l.Take(other); u.Refused != "" {
		t.Fatalf("another bucket: %+v", u)
	}
	if u := l.Take(other); u.Refused != PolicySecondly {
		t.Fatalf("another bucket, twice: %+v", u)
	}
	clk.Advance(700 * time.Millisecond) // t=1s: the first search leaves
	if u := l.Take(search); u.Refused != "" {
		t.Fatalf("after a second: %+v", u)
	}
	if u := l.Take(search); u.Refused != PolicySecondly {
		t.Fatalf("the bucket rolls one at a time: %+v", u)
	}
	// Portal 1 has made 3 searches, 1 plain request, 1 of the other bucket
	// and 1 more search: the 7th request is the last of the day, and the
	// daily quota is checked first.
	if u := l.Take(Request{Portal: 1}); u.Refused != "" || u.DailyRemaining != 0 {
		t.Fatalf("last of the day: %+v", u)
	}
	clk.Advance(5 * time.Second)
	if u := l.Take(search); u.Refused != PolicyDaily {
		t.Fatalf("over the daily quota: %+v", u)
	}
}

func TestBucketNotCountedUnlessEnforced(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC))
	l := New(Tiers["free"], false, clk)
	search := Request{Portal: 1, ExemptTenSecondly: true, Bucket: Bucket{Name: "search", PerSecond: 1}}
	for range 5 {
		if u := l.Take(search); u.Refused != "" {
			t.Fatalf("refused without enforcement: %+v", u)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := l.portals[1]; w == nil || w.buckets != nil {
		t.Fatalf("window %+v: buckets counted without enforcement", w)
	}
}

func TestBucketWindowIsForgotten(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC))
	l := New(Tiers["free"], true, clk)
	l.Take(Request{Portal: 1, ExemptTenSecondly: true, ExemptDaily: true, Bucket: Bucket{Name: "search", PerSecond: 5}})
	if n := l.portalCount(); n != 1 {
		t.Fatalf("%d portals after a search", n)
	}
	clk.Advance(sweepEvery + time.Second)
	l.Take(Request{Portal: 2, ExemptTenSecondly: true, ExemptDaily: true})
	if n := l.portalCount(); n != 0 {
		t.Fatalf("%d portals once the second has passed", n)
	}
}

func TestParseBucket(t *testing.T) {
	tests := []struct {
		in      any
		want    Bucket
		wantErr string
	}{
		{nil, Bucket{}, ""},
		{map[string]any{"bucket": "search", "perSecond": 5.0}, Bucket{"search", 5}, ""},
		{map[string]any{"bucket": "search", "perSecond": 5}, Bucket{"search", 5}, ""},
		{map[string]any{"bucket": "search", "perSecond": 5.5}, Bucket{}, "whole number"},
		{map[string]any{"bucket": "search", "perSecond": 0.0}, Bucket{}, "from 1"},
		{map[string]any{"bucket": "search", "perSecond": "5"}, Bucket{}, "whole number"},
		{map[string]any{"perSecond": 5.0}, Bucket{}, "must name a bucket"},
		{map[string]any{"bucket": "search", "perSecond": 5.0, "burst": 1.0}, Bucket{}, `unknown field "burst"`},
		{"search", Bucket{}, "must be an object"},
	}
	for _, tt := range tests {
		got, err := ParseBucket(tt.in)
		if got != tt.want || (err == nil) != (tt.wantErr == "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseBucket(%v) = %+v, %v; want %+v, %q", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
