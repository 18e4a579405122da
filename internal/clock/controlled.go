package clock

import (
	"container/heap"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Earliest and Latest bound where Set and Advance may put a Controlled
// clock: from the Unix epoch (timestamps are milliseconds since it) up to,
// not including, Latest, so that no two instants a server holds are more
// than time.Duration's 292 years apart (rate-limit windows count in
// durations from the clock's start).
var (
	Earliest = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	Latest   = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Errors of Set and Advance. The errors returned wrap them and say what was
// asked and where the clock is.
var (
	// ErrBackwards: a running clock never goes back.
	ErrBackwards = errors.New("the clock is running and never goes back")
	// ErrNegative: Advance only moves forward.
	ErrNegative = errors.New("advance must not be negative")
	// ErrRange: the time is outside [Earliest, Latest).
	ErrRange = errors.New("the clock reads from 1970-01-01T00:00:00Z up to 2200-01-01T00:00:00Z")
)

// Controlled is the server clock a test moves. It either runs, from the
// wall clock's pace but shifted to wherever it was set, or stands frozen
// until moved. A running clock never goes back: Set to an earlier time is
// refused unless the clock is frozen. The zero value is not usable; create
// one with NewRunning or NewFrozen.
//
// Work scheduled with At runs once the clock reaches its time: as time
// passes (running), or when Advance, Set or Freeze move the clock past it.
// A move runs what fell due before it returns, in due order, each with the
// clock reading its due time (as if the clock had got there by itself), so
// that what the work writes carries its own time.
type Controlled struct {
	// move serialises moves and the running of due work, so that due work
	// runs in order and a move answers with the state it made.
	move sync.Mutex

	// mu guards changes of reading, and the timers. Readers load reading
	// without it, as every request reads the clock several times; see
	// Now and change for how they still never see it go back.
	mu      sync.Mutex
	reading atomic.Pointer[reading]
	timers  timerHeap
	seq     uint64
	// wake is the wall-clock timer of a running clock's earliest work.
	wake *time.Timer
}

var _ Scheduler = (*Controlled)(nil)

// reading is how a clock tells the time; a change replaces it whole.
type reading struct {
	// changing marks the reading stored while a change is made: readers
	// wait for the new one.
	changing bool
	frozen   bool
	// base is the time the clock read at mark (running) or reads (frozen).
	base time.Time
	// mark is the wall-clock instant, with its monotonic reading, from
	// which a running clock counts: a wall clock stepped back by the system
	// does not move it back.
	mark time.Time
}

// at is the time the reading gives at the wall-clock instant w (which
// carries a monotonic reading).
func (r *reading) at(w time.Time) time.Time {
	if r.frozen {
		return r.base
	}
	return r.base.Add(w.Sub(r.mark))
}

// changingReading is stored while a change is made.
var changingReading = &reading{changing: true}

// NewRunning returns a running clock that reads start now; a zero start is
// the wall clock's time.
func NewRunning(start time.Time) *Controlled {
	mark := time.Now()
	if start.IsZero() {
		start = mark
	}
	c := &Controlled{}
	c.reading.Store(&reading{base: start.UTC().Round(0), mark: mark})
	return c
}

// NewFrozen returns a clock frozen at t.
func NewFrozen(t time.Time) *Controlled {
	c := &Controlled{}
	c.reading.Store(&reading{frozen: true, base: t.UTC().Round(0)})
	return c
}

// Now returns the clock's time, in UTC.
func (c *Controlled) Now() time.Time {
	now, _ := c.State()
	return now
}

// State returns the clock's time and whether it is frozen, read together.
// A time is returned only if the reading it came from was still in force
// after it was taken: then it is not later than the time a change starts
// from (see change), so no reader sees the clock go back across a change.
func (c *Controlled) State() (now time.Time, frozen bool) {
	for {
		r := c.reading.Load()
		if r.changing {
			c.waitForChange()
			continue
		}
		if r.frozen {
			return r.base, true
		}
		now := r.at(time.Now())
		if c.reading.Load() == r {
			return now, false
		}
	}
}

// waitForChange returns once the change under way is over: it holds mu.
func (c *Controlled) waitForChange() {
	c.mu.Lock()
	defer c.mu.Unlock()
}

// Frozen reports whether the clock stands still.
func (c *Controlled) Frozen() bool {
	_, frozen := c.State()
	return frozen
}

// current is the reading in force; the caller holds mu, so no change is
// under way.
func (c *Controlled) current() *reading { return c.reading.Load() }

func (c *Controlled) nowLocked() time.Time { return c.current().at(time.Now()) }

// change replaces the reading with next(old, from, w): from is the old
// reading's time at the wall-clock instant w of the change, taken after
// readers were told to wait, so that every time a reader got from the old
// reading is at most from. The caller holds mu.
func (c *Controlled) change(next func(old *reading, from, w time.Time) *reading) *reading {
	old := c.current()
	c.reading.Store(changingReading)
	w := time.Now()
	r := next(old, old.at(w), w)
	c.reading.Store(r)
	return r
}

// moveLocked makes the clock read t, staying frozen or running. A running
// clock never goes back: it reads the later of t and its own time.
func (c *Controlled) moveLocked(t time.Time) {
	c.change(func(old *reading, from, w time.Time) *reading {
		if old.frozen {
			return &reading{frozen: true, base: t.UTC().Round(0)}
		}
		return &reading{base: latest(t.UTC().Round(0), from), mark: w}
	})
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Advance moves the clock forward by d, runs the work that fell due and
// returns the clock's time then. A negative d, or one that would take the
// clock to Latest or beyond, is refused and nothing moves.
func (c *Controlled) Advance(d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, fmt.Errorf("%w, got %s", ErrNegative, d)
	}
	c.move.Lock()
	defer c.move.Unlock()
	now := c.Now()
	target := now.Add(d)
	if err := inRange(target); err != nil {
		return time.Time{}, fmt.Errorf("%w: advancing %s from %s gives %s", ErrRange, d, format(now), format(target))
	}
	c.runTo(target)
	return c.Now(), nil
}

// Set moves the clock to t and runs the work that fell due. A running clock
// refuses an earlier time than its own (freeze it first to go back), and t
// must be within [Earliest, Latest); a refused Set moves nothing.
func (c *Controlled) Set(t time.Time) error {
	return c.setTo(t, true)
}

func (c *Controlled) setTo(t time.Time, checkRange bool) error {
	c.move.Lock()
	defer c.move.Unlock()
	if checkRange {
		if err := inRange(t); err != nil {
			return fmt.Errorf("%w: got %s", ErrRange, format(t))
		}
	}
	now, frozen := c.State()
	if !frozen && t.Before(now) {
		return fmt.Errorf("%w: %s is before its time, %s; freeze it first to set it back", ErrBackwards, format(t), format(now))
	}
	c.runTo(t)
	return nil
}

// Freeze stops the clock where it is, after running the work due by then,
// and returns its time. Freezing a frozen clock changes nothing.
func (c *Controlled) Freeze() time.Time {
	c.move.Lock()
	defer c.move.Unlock()
	c.mu.Lock()
	now := c.change(func(old *reading, from, _ time.Time) *reading {
		return &reading{frozen: true, base: from}
	}).base
	c.rearmLocked()
	c.mu.Unlock()
	c.runTo(now)
	return now
}

// Unfreeze lets a frozen clock run on from its time, and returns that
// time. Unfreezing a running clock changes nothing.
func (c *Controlled) Unfreeze() time.Time {
	c.move.Lock()
	defer c.move.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := c.current(); r.frozen {
		c.change(func(old *reading, _, w time.Time) *reading {
			return &reading{base: old.base, mark: w}
		})
		c.rearmLocked()
		return r.base
	}
	return c.nowLocked()
}

// runTo moves the clock to target, stepping through the work due by then:
// each piece of work runs with the clock at its due time (or later, if the
// clock was there already), in due order; then the clock reads target. A
// running clock that is past target already stays where it is. The caller
// holds c.move.
func (c *Controlled) runTo(target time.Time) {
	for {
		c.mu.Lock()
		tm := c.timers.popDue(target)
		if tm == nil {
			if c.current().frozen || target.After(c.nowLocked()) {
				c.moveLocked(target)
			}
			c.rearmLocked()
			c.mu.Unlock()
			return
		}
		if tm.at.After(c.nowLocked()) {
			c.moveLocked(tm.at)
		}
		c.mu.Unlock()
		tm.f()
	}
}

// At implements Scheduler: f runs once the clock reaches t, whether time
// passes (running) or a move takes the clock past t (before the move
// returns), and once only. Work that is due already runs at once, in its
// own goroutine. Work due together runs in the order of its times, then in
// the order it was scheduled. f may read the clock and schedule more work,
// but must not move the clock.
func (c *Controlled) At(t time.Time, f func()) (cancel func()) {
	c.mu.Lock()
	if !t.After(c.nowLocked()) {
		c.mu.Unlock()
		go f()
		return func() {}
	}
	c.seq++
	tm := &timer{at: t, seq: c.seq, f: f}
	heap.Push(&c.timers, tm)
	if c.timers[0] == tm {
		c.rearmLocked()
	}
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if tm.index >= 0 {
			heap.Remove(&c.timers, tm.index)
		}
	}
}

// rearmLocked sets the wall-clock timer of a running clock's earliest work,
// and stops it when the clock is frozen or has no work.
func (c *Controlled) rearmLocked() {
	if c.wake != nil {
		c.wake.Stop()
		c.wake = nil
	}
	if c.current().frozen || len(c.timers) == 0 {
		return
	}
	wait := max(c.timers[0].at.Sub(c.nowLocked()), 0)
	c.wake = time.AfterFunc(wait, c.fire)
}

// fire runs the work that time brought due on a running clock. A timer
// stopped too late to keep it from firing finds nothing due, or what a
// move has not run yet.
func (c *Controlled) fire() {
	c.move.Lock()
	defer c.move.Unlock()
	now, frozen := c.State()
	if frozen {
		return
	}
	c.runTo(now)
}

// timer is work scheduled with At.
type timer struct {
	at    time.Time
	seq   uint64
	f     func()
	index int // in the heap; -1 once out of it
}

// timerHeap orders timers by time, then by the order they were scheduled.
type timerHeap []*timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if c := h[i].at.Compare(h[j].at); c != 0 {
		return c < 0
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *timerHeap) Push(x any) {
	tm := x.(*timer)
	tm.index = len(*h)
	*h = append(*h, tm)
}
func (h *timerHeap) Pop() any {
	old := *h
	n := len(old) - 1
	tm := old[n]
	old[n] = nil
	tm.index = -1
	*h = old[:n]
	return tm
}

// popDue removes and returns the earliest timer due by t, or nil.
func (h *timerHeap) popDue(t time.Time) *timer {
	if len(*h) == 0 || (*h)[0].at.After(t) {
		return nil
	}
	return heap.Pop(h).(*timer)
}

func inRange(t time.Time) error {
	if t.Before(Earliest) || !t.Before(Latest) {
		return ErrRange
	}
	return nil
}

// format writes t as the admin API shows times: RFC 3339 in UTC with
// milliseconds.
func format(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }
