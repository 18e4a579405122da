// Package clock is the single source of time for mockhub. Every timestamp the
// server writes (batch envelopes, rate-limit windows, journal entries) comes
// from a Clock so that tests can freeze or advance time.
package clock

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now in UTC.
func (Real) Now() time.Time { return time.Now().UTC() }

// Manual is a clock that only moves when told to. The zero value is not
// usable; create one with NewManual.
type Manual struct {
	mu     sync.Mutex
	now    time.Time
	timers []*timer
	seq    uint64
}

// NewManual returns a Manual clock frozen at t.
func NewManual(t time.Time) *Manual { return &Manual{now: t.UTC()} }

// Now returns the frozen time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

// Advance moves the clock forward by d and returns the new time, after
// running the work scheduled (At) up to it.
func (m *Manual) Advance(d time.Duration) time.Time {
	m.mu.Lock()
	m.now = m.now.Add(d)
	now := m.now
	m.fire()
	return now
}

// Set moves the clock to t, after which the work scheduled up to t has run.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	m.now = t.UTC()
	m.fire()
}

// Scheduler is a clock that runs functions when its own time reaches a
// given instant (a manual clock does when it is advanced or set past it).
type Scheduler interface {
	Clock
	At(t time.Time, f func()) (cancel func())
}

// At runs f in its own goroutine once clk's time reaches t: through clk's
// own scheduling when it is a Scheduler, else on a wall-clock timer for the
// time left. Work that is due already runs at once. cancel stops a run that
// has not started.
func At(clk Clock, t time.Time, f func()) (cancel func()) {
	if s, ok := clk.(Scheduler); ok {
		return s.At(t, f)
	}
	timer := time.AfterFunc(max(t.Sub(clk.Now()), 0), f)
	return func() { timer.Stop() }
}

// At implements Scheduler on the wall clock.
func (Real) At(t time.Time, f func()) (cancel func()) {
	timer := time.AfterFunc(max(time.Until(t), 0), f)
	return func() { timer.Stop() }
}

// timer is work scheduled on a Manual clock.
type timer struct {
	at       time.Time
	seq      uint64
	f        func()
	canceled bool
}

// At implements Scheduler: f runs when Advance or Set moves the clock to t
// or past it (before that call returns), or at once when t is not after
// now. Functions due together run in the order of their times, then in the
// order they were scheduled.
func (m *Manual) At(t time.Time, f func()) (cancel func()) {
	m.mu.Lock()
	if !t.After(m.now) {
		m.mu.Unlock()
		go f()
		return func() {}
	}
	m.seq++
	tm := &timer{at: t, seq: m.seq, f: f}
	m.timers = append(m.timers, tm)
	m.mu.Unlock()
	return func() {
		m.mu.Lock()
		tm.canceled = true
		m.mu.Unlock()
	}
}

// fire runs the timers due by now, in order, outside the lock (a timer's
// function may read the clock). The caller holds m.mu; fire releases it.
func (m *Manual) fire() {
	var due []*timer
	keep := m.timers[:0]
	for _, tm := range m.timers {
		switch {
		case tm.canceled:
		case !tm.at.After(m.now):
			due = append(due, tm)
		default:
			keep = append(keep, tm)
		}
	}
	clear(m.timers[len(keep):])
	m.timers = keep
	m.mu.Unlock()
	slices.SortFunc(due, func(a, b *timer) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	for _, tm := range due {
		tm.f()
	}
}
