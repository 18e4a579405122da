package ratelimit

import (
	"runtime"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
)

// heapBytes is the live heap after a collection.
func heapBytes() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// growth is how much the live heap grew since before: one reading, and zero
// when the heap shrank (unsigned subtraction would wrap).
func growth(before uint64) uint64 {
	if now := heapBytes(); now > before {
		return now - before
	}
	return 0
}

// bytesPerPortal counts one request in each of n new portals, and returns
// the heap bytes per portal right after (active) and once every window has
// passed and one more request has arrived (idle).
func bytesPerPortal(n int, req Request) (active, idle float64) {
	clk := clock.NewManual(time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC))
	before := heapBytes()
	l := New(Tiers["free"], false, clk)
	for i := range n {
		req.Portal = int64(i + 1)
		l.Take(req)
	}
	active = float64(growth(before)) / float64(n)
	clk.Advance(24*time.Hour + Interval)
	req.Portal = int64(n + 1)
	l.Take(req)
	idle = float64(growth(before)) / float64(n)
	runtime.KeepAlive(l)
	return active, idle
}

// BenchmarkPortalBytes reports the heap a portal's counters take: B/portal
// while its windows are open, idle-B/portal once they have passed.
func BenchmarkPortalBytes(b *testing.B) {
	for _, tt := range []struct {
		name string
		req  Request
	}{
		{"exempt", Request{ExemptTenSecondly: true}},
		{"counted", Request{}},
		{"oauth-exempt", Request{ExemptTenSecondly: true, OAuth: true}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			var active, idle float64
			for b.Loop() {
				active, idle = bytesPerPortal(20_000, tt.req)
			}
			b.ReportMetric(active, "B/portal")
			b.ReportMetric(idle, "idle-B/portal")
		})
	}
}

// TestPassedWindowsAreForgotten: once both of a portal's windows have
// passed, the limiter forgets it, and a forgotten portal counts as a new
// one would.
func TestPassedWindowsAreForgotten(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC))
	l := New(Tier{TenSecondly: 3, Daily: 5}, true, clk)
	const n = 5000
	for i := range n {
		l.Take(Request{Portal: int64(i + 1)})
		l.Take(Request{Portal: int64(i + 1), OAuth: true})
	}
	if got := l.portalCount(); got != n {
		t.Fatalf("%d portals counted, want %d", got, n)
	}
	// Ten seconds on, the ten-second windows have passed but the day has
	// not: the daily counts are kept.
	clk.Advance(Interval)
	for i := range n {
		l.Take(Request{Portal: int64(n + i + 1), OAuth: true})
	}
	if u := l.Peek(Request{Portal: 1}); u.Remaining != 3 || u.DailyRemaining != 4 {
		t.Fatalf("portal 1 after ten seconds: %+v", u)
	}
	// The next day every window has passed: the next request forgets them
	// all, and one that counts nothing keeps nothing.
	clk.Advance(24 * time.Hour)
	l.Take(Request{Portal: 3*n + 1, ExemptTenSecondly: true, OAuth: true})
	if got := l.portalCount(); got != 0 {
		t.Fatalf("%d portals kept after every window passed, want 0", got)
	}
	if u := l.Peek(Request{Portal: 1}); u.Remaining != 3 || u.DailyRemaining != 5 || u.SecondlyRemaining != 1 {
		t.Fatalf("forgotten portal 1: %+v", u)
	}
}

// TestIdlePortalIsSmall bounds the heap of a portal whose requests are
// exempt from the ten-second window (every operation served today).
func TestIdlePortalIsSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	active, idle := bytesPerPortal(20_000, Request{ExemptTenSecondly: true})
	if active > 200 || idle > 16 {
		t.Fatalf("%.0f bytes per portal while active, %.0f once idle; want at most 200 and 16", active, idle)
	}
}
