// Package clock is the single source of time for mockhub. Every timestamp the
// server writes (batch envelopes, rate-limit windows, journal entries) comes
// from a Clock so that tests can freeze or advance time. The server's own
// clock is a Controlled one, running or frozen, which the admin API and
// mockhubtest move.
package clock

import "time"

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now in UTC.
func (Real) Now() time.Time { return time.Now().UTC() }

// Manual is a clock frozen until moved: a Controlled clock created frozen,
// with the moves tests have used since before Controlled existed (they
// never fail: Advance by a negative d and Set to any time move it there).
// The zero value is not usable; create one with NewManual.
type Manual struct {
	c *Controlled
}

// NewManual returns a Manual clock frozen at t.
func NewManual(t time.Time) *Manual { return &Manual{c: NewFrozen(t)} }

// Now returns the clock's time.
func (m *Manual) Now() time.Time { return m.c.Now() }

// Advance moves the clock by d and returns the new time, after running the
// work scheduled (At) up to it.
func (m *Manual) Advance(d time.Duration) time.Time {
	m.c.move.Lock()
	defer m.c.move.Unlock()
	now, frozen := m.c.State()
	if target := now.Add(d); frozen || !target.Before(now) {
		m.c.runTo(target)
	}
	return m.c.Now()
}

// Set moves the clock to t, after which the work scheduled up to t has run.
// Should the clock have been unfrozen (through its Controlled), a time
// before its own is ignored, as a running clock never goes back.
func (m *Manual) Set(t time.Time) { _ = m.c.setTo(t, false) }

// At implements Scheduler; see Controlled.At.
func (m *Manual) At(t time.Time, f func()) (cancel func()) { return m.c.At(t, f) }

// Controlled returns the clock m moves, which the admin API also moves.
func (m *Manual) Controlled() *Controlled { return m.c }

// ControlOf returns the Controlled clock behind clk: clk itself, or a
// Manual's; nil for any other clock, which cannot be moved.
func ControlOf(clk Clock) *Controlled {
	switch c := clk.(type) {
	case *Controlled:
		return c
	case *Manual:
		return c.c
	}
	return nil
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
