package mockhubtest

import (
	"fmt"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
)

// newClock is a server's clock: the same one the binary runs on, frozen at
// *frozen (WithFrozenClock) or running from the wall clock's time.
func newClock(frozen *time.Time) *clock.Controlled {
	if frozen != nil {
		return clock.NewFrozen(*frozen)
	}
	return clock.NewRunning(time.Time{})
}

// Now returns the server's time: the frozen time, or the running clock's,
// which keeps the wall clock's pace from wherever it was put.
func (h *Handler) Now() time.Time { return h.clock.Now() }

// Frozen reports whether the server's clock stands still.
func (h *Handler) Frozen() bool { return h.clock.Frozen() }

// Advance moves the server's clock forward by d and returns the new time,
// once the work that fell due (deferred batches) has run, each piece at its
// own time. A frozen clock stays frozen at its new time; a running one runs
// on from it. It panics if d is negative or the clock would pass the year
// 2199, as POST /_mockhub/clock refuses them.
func (h *Handler) Advance(d time.Duration) time.Time {
	now, err := h.clock.Advance(d)
	if err != nil {
		panic(fmt.Errorf("mockhubtest: Advance: %w", err))
	}
	return now
}

// SetTime moves the server's clock to t, once the work that fell due has
// run; the clock stays frozen or running as it was. A running clock never
// goes back: an earlier time than its own is refused unless it is frozen
// (Freeze, or WithFrozenClock). t must be from 1970 up to 2200. A refused
// SetTime moves nothing.
func (h *Handler) SetTime(t time.Time) error {
	if err := h.clock.Set(t); err != nil {
		return fmt.Errorf("mockhubtest: SetTime: %w", err)
	}
	return nil
}

// Freeze stops the server's clock where it is and returns its time; it then
// moves only when Advance or SetTime says so, and may be set back.
func (h *Handler) Freeze() time.Time { return h.clock.Freeze() }

// Unfreeze lets the server's clock run on from its time, at the wall
// clock's pace, and returns that time.
func (h *Handler) Unfreeze() time.Time { return h.clock.Unfreeze() }

// Now returns the server's time; see Handler.Now.
func (s *Server) Now() time.Time { return s.h.Now() }

// Frozen reports whether the server's clock stands still.
func (s *Server) Frozen() bool { return s.h.Frozen() }

// Advance moves the server's clock forward by d and returns the new time;
// see Handler.Advance. The test fails if d is negative.
func (s *Server) Advance(d time.Duration) time.Time {
	if s.t != nil {
		s.t.Helper()
	}
	now, err := s.h.clock.Advance(d)
	s.check(wrap("Advance", err))
	return now
}

// SetTime moves the server's clock to t; see Handler.SetTime. The test
// fails if the clock is running and t is before its time: Freeze first to
// set it back.
func (s *Server) SetTime(t time.Time) {
	if s.t != nil {
		s.t.Helper()
	}
	s.check(s.h.SetTime(t))
}

// Freeze stops the server's clock and returns its time; see
// Handler.Freeze.
func (s *Server) Freeze() time.Time { return s.h.Freeze() }

// Unfreeze lets the server's clock run on; see Handler.Unfreeze.
func (s *Server) Unfreeze() time.Time { return s.h.Unfreeze() }

func wrap(method string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("mockhubtest: %s: %w", method, err)
}
