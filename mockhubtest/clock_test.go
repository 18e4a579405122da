package mockhubtest

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
)

// TestRunningClockRunsScheduledWorkWhenAdvanced: a running (not frozen)
// clock runs work scheduled on it when the test moves it past the work's
// time, before Advance returns, and only once.
func TestRunningClockRunsScheduledWorkWhenAdvanced(t *testing.T) {
	c := &runningClock{}
	var ran atomic.Int32
	at := c.Now().Add(time.Hour)
	clock.At(c, at, func() { ran.Add(1) })
	cancel := clock.At(c, at, func() { t.Error("canceled work ran") })
	cancel()
	c.Advance(30 * time.Minute)
	if n := ran.Load(); n != 0 {
		t.Fatalf("ran %d times before due", n)
	}
	c.Advance(31 * time.Minute)
	if n := ran.Load(); n != 1 {
		t.Fatalf("ran %d times once due, want 1", n)
	}
	c.Set(at.Add(time.Hour))
	if n := ran.Load(); n != 1 {
		t.Fatalf("ran %d times after a second move, want 1", n)
	}
}

// TestRunningClockRunsScheduledWorkAsTimePasses: without a move, the work
// runs when the wall clock gets there.
func TestRunningClockRunsScheduledWorkAsTimePasses(t *testing.T) {
	c := &runningClock{}
	done := make(chan struct{})
	clock.At(c, c.Now().Add(20*time.Millisecond), func() { close(done) })
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("scheduled work never ran")
	}
}
