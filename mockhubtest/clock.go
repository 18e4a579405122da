package mockhubtest

import (
	"slices"
	"sync"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
)

// controlClock is a server clock the test can move: every mockhubtest server
// has one, frozen (WithFrozenClock) or running.
type controlClock interface {
	clock.Clock
	Advance(d time.Duration) time.Time
	Set(t time.Time)
}

// newFrozenClock is the server's own manual clock, so whatever the server
// learns to do when its manual clock moves, a frozen mockhubtest clock does
// too.
func newFrozenClock(t time.Time) controlClock { return clock.NewManual(t) }

// runningClock is the wall clock shifted by an offset that Advance and Set
// move: time keeps passing, from wherever the test put it.
type runningClock struct {
	mu     sync.Mutex
	offset time.Duration
	// timers are the work scheduled with At that has not run yet.
	timers []*runningTimer
}

var (
	_ controlClock    = (*runningClock)(nil)
	_ clock.Scheduler = (*runningClock)(nil)
)

// Now returns the wall-clock time plus the offset, in UTC.
func (c *runningClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().UTC().Add(c.offset)
}

// Advance jumps the clock forward by d and returns the new time, after
// running the work that fell due (deferred batches).
func (c *runningClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	c.offset += d
	now := time.Now().UTC().Add(c.offset)
	c.fireDue(now)
	return now
}

// Set makes the clock read t now; it runs on from there, after the work
// that fell due has run.
func (c *runningClock) Set(t time.Time) {
	c.mu.Lock()
	c.offset = t.Sub(time.Now())
	c.fireDue(t.UTC())
}

// runningTimer is work scheduled on a running clock.
type runningTimer struct {
	at   time.Time
	f    func()
	done bool
}

// At implements clock.Scheduler: f runs when the clock reaches t, whether
// time passes (a wall-clock timer) or the test moves the clock past t
// (Advance and Set run what fell due before they return), and once only.
func (c *runningClock) At(t time.Time, f func()) (cancel func()) {
	tm := &runningTimer{at: t, f: f}
	c.mu.Lock()
	wait := t.Sub(time.Now().UTC().Add(c.offset))
	if wait > 0 {
		c.timers = append(c.timers, tm)
	}
	c.mu.Unlock()
	if wait <= 0 {
		go f()
		return func() {}
	}
	timer := time.AfterFunc(wait, func() { c.run(tm) })
	return func() {
		timer.Stop()
		c.mu.Lock()
		tm.done = true
		c.mu.Unlock()
	}
}

// run runs tm unless it has run or was canceled.
func (c *runningClock) run(tm *runningTimer) {
	c.mu.Lock()
	if tm.done {
		c.mu.Unlock()
		return
	}
	tm.done = true
	c.mu.Unlock()
	tm.f()
}

// fireDue runs the timers due by now, in the order of their times. The
// caller holds c.mu; fireDue releases it.
func (c *runningClock) fireDue(now time.Time) {
	var due []*runningTimer
	keep := c.timers[:0]
	for _, tm := range c.timers {
		switch {
		case tm.done:
		case !tm.at.After(now):
			due = append(due, tm)
		default:
			keep = append(keep, tm)
		}
	}
	clear(c.timers[len(keep):])
	c.timers = keep
	c.mu.Unlock()
	slices.SortStableFunc(due, func(a, b *runningTimer) int { return a.at.Compare(b.at) })
	for _, tm := range due {
		c.run(tm)
	}
}
