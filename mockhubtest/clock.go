package mockhubtest

import (
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
}

var _ controlClock = (*runningClock)(nil)

// Now returns the wall-clock time plus the offset, in UTC.
func (c *runningClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().UTC().Add(c.offset)
}

// Advance jumps the clock forward by d and returns the new time.
func (c *runningClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
	return time.Now().UTC().Add(c.offset)
}

// Set makes the clock read t now; it runs on from there.
func (c *runningClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = t.Sub(time.Now())
}
