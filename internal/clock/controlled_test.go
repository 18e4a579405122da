package clock

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 30, 23, 0, 0, 0, time.UTC)

func TestFrozenMoves(t *testing.T) {
	c := NewFrozen(t0.In(time.FixedZone("x", 3600)))
	if now, frozen := c.State(); !now.Equal(t0) || now.Location() != time.UTC || !frozen {
		t.Fatalf("State = %v, %v", now, frozen)
	}
	steps := []struct {
		name    string
		move    func() error
		want    time.Time
		wantErr error
	}{
		{"advance", func() error { _, err := c.Advance(90 * time.Minute); return err }, t0.Add(90 * time.Minute), nil},
		{"advance zero", func() error { _, err := c.Advance(0); return err }, t0.Add(90 * time.Minute), nil},
		{"negative advance", func() error { _, err := c.Advance(-time.Second); return err }, t0.Add(90 * time.Minute), ErrNegative},
		{"set back (frozen)", func() error { return c.Set(t0.Add(-48 * time.Hour)) }, t0.Add(-48 * time.Hour), nil},
		{"set before 1970", func() error { return c.Set(Earliest.Add(-time.Millisecond)) }, t0.Add(-48 * time.Hour), ErrRange},
		{"set to 1970", func() error { return c.Set(Earliest) }, Earliest, nil},
		{"set to Latest", func() error { return c.Set(Latest) }, Earliest, ErrRange},
		{"set just before Latest", func() error { return c.Set(Latest.Add(-time.Nanosecond)) }, Latest.Add(-time.Nanosecond), nil},
		{"advance to Latest", func() error { _, err := c.Advance(time.Nanosecond); return err }, Latest.Add(-time.Nanosecond), ErrRange},
	}
	for _, s := range steps {
		err := s.move()
		if !errors.Is(err, s.wantErr) || (s.wantErr == nil) != (err == nil) {
			t.Fatalf("%s: err = %v, want %v", s.name, err, s.wantErr)
		}
		if got := c.Now(); !got.Equal(s.want) {
			t.Fatalf("%s: Now = %v, want %v", s.name, got, s.want)
		}
	}
}

func TestRunningNeverGoesBack(t *testing.T) {
	c := NewRunning(t0)
	if now, frozen := c.State(); now.Before(t0) || frozen {
		t.Fatalf("State = %v, %v", now, frozen)
	}
	before := c.Now()
	err := c.Set(before.Add(-time.Millisecond))
	if !errors.Is(err, ErrBackwards) || !strings.Contains(err.Error(), "freeze it first") {
		t.Fatalf("set back while running: %v", err)
	}
	if now := c.Now(); now.Before(before) {
		t.Fatalf("a refused set moved the clock back: %v < %v", now, before)
	}
	later := t0.Add(24 * time.Hour)
	if err := c.Set(later); err != nil {
		t.Fatal(err)
	}
	if now := c.Now(); now.Before(later) {
		t.Fatalf("Now = %v after Set(%v)", now, later)
	}
	got, err := c.Advance(time.Hour)
	if err != nil || got.Before(later.Add(time.Hour)) {
		t.Fatalf("Advance = %v, %v", got, err)
	}
	prev := c.Now()
	for range 1000 {
		now := c.Now()
		if now.Before(prev) {
			t.Fatalf("running clock went back from %v to %v", prev, now)
		}
		prev = now
	}
	if _, err := c.Advance(-time.Nanosecond); !errors.Is(err, ErrNegative) {
		t.Fatalf("negative advance: %v", err)
	}
}

func TestNewRunningFromWallClock(t *testing.T) {
	before := time.Now().UTC()
	c := NewRunning(time.Time{})
	if now := c.Now(); now.Before(before.Add(-time.Second)) || now.Location() != time.UTC {
		t.Fatalf("Now = %v, wall clock %v", now, before)
	}
}

func TestFreezeAndUnfreeze(t *testing.T) {
	c := NewRunning(t0)
	at := c.Freeze()
	if now, frozen := c.State(); !now.Equal(at) || !frozen {
		t.Fatalf("after Freeze: %v, %v; Freeze said %v", now, frozen, at)
	}
	if again := c.Freeze(); !again.Equal(at) {
		t.Fatalf("a second Freeze moved the clock: %v -> %v", at, again)
	}
	back := at.Add(-time.Hour)
	if err := c.Set(back); err != nil {
		t.Fatalf("set back while frozen: %v", err)
	}
	if got := c.Unfreeze(); !got.Equal(back) {
		t.Fatalf("Unfreeze = %v, want %v", got, back)
	}
	if now, frozen := c.State(); now.Before(back) || frozen {
		t.Fatalf("after Unfreeze: %v, %v", now, frozen)
	}
	if err := c.Set(back.Add(-time.Hour)); !errors.Is(err, ErrBackwards) {
		t.Fatalf("set back after Unfreeze: %v", err)
	}
	if got := c.Unfreeze(); got.Before(back) {
		t.Fatalf("Unfreeze of a running clock = %v", got)
	}
}

// Work runs in due order, each piece with the clock at its due time, and
// work that due work schedules within the move runs in the same move.
func TestMoveRunsDueWorkInOrderAtItsTime(t *testing.T) {
	for _, running := range []bool{false, true} {
		name := map[bool]string{false: "frozen", true: "running"}[running]
		t.Run(name, func(t *testing.T) {
			c := NewFrozen(t0)
			if running {
				c = NewRunning(t0)
			}
			start := c.Now()
			var mu sync.Mutex
			var ran []string
			seen := map[string]time.Time{}
			record := func(name string) func() {
				return func() {
					mu.Lock()
					defer mu.Unlock()
					ran = append(ran, name)
					seen[name] = c.Now()
				}
			}
			c.At(start.Add(2*time.Hour), record("b"))
			c.At(start.Add(time.Hour), func() {
				record("a")()
				// Scheduled by work, due within the same move.
				c.At(start.Add(90*time.Minute), record("a2"))
			})
			c.At(start.Add(2*time.Hour), record("c"))
			cancel := c.At(start.Add(time.Hour), record("canceled"))
			cancel()
			c.At(start.Add(5*time.Hour), record("later"))

			if _, err := c.Advance(59 * time.Minute); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			if len(ran) != 0 {
				t.Fatalf("ran %v before due", ran)
			}
			mu.Unlock()
			if err := c.Set(start.Add(3 * time.Hour)); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if got := strings.Join(ran, ","); got != "a,a2,b,c" {
				t.Fatalf("ran %s, want a,a2,b,c", got)
			}
			for name, due := range map[string]time.Duration{"a": time.Hour, "a2": 90 * time.Minute, "b": 2 * time.Hour} {
				at := seen[name]
				// A running clock moves on while the work runs.
				if at.Before(start.Add(due)) || (!running && !at.Equal(start.Add(due))) || at.After(start.Add(3*time.Hour)) {
					t.Errorf("%s ran with the clock at %v, due %v", name, at, start.Add(due))
				}
			}
			if now := c.Now(); now.Before(start.Add(3 * time.Hour)) {
				t.Fatalf("Now = %v after the move", now)
			}
		})
	}
}

// Freezing runs nothing early, and work runs once however the clock gets
// there.
func TestWorkRunsOnce(t *testing.T) {
	c := NewFrozen(t0)
	n := 0
	c.At(t0.Add(time.Minute), func() { n++ })
	c.Unfreeze()
	c.Freeze()
	if _, err := c.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Hour)
	if n != 1 {
		t.Fatalf("ran %d times", n)
	}
	done := make(chan struct{})
	c.At(c.Now(), func() { close(done) }) // due already: runs at once
	<-done
}

// A running clock runs work when the wall clock gets there, without a move.
func TestRunningRunsWorkAsTimePasses(t *testing.T) {
	c := NewRunning(t0)
	done := make(chan time.Time, 1)
	due := c.Now().Add(20 * time.Millisecond)
	c.At(due, func() { done <- c.Now() })
	select {
	case at := <-done:
		if at.Before(due) {
			t.Fatalf("ran at %v, before its time %v", at, due)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("scheduled work never ran")
	}
}

// A frozen clock's work waits for a move, and runs on the wall clock once
// the clock runs again.
func TestUnfreezeArmsWork(t *testing.T) {
	c := NewFrozen(t0)
	done := make(chan struct{})
	c.At(t0.Add(10*time.Millisecond), func() { close(done) })
	c.Unfreeze()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("work due 10ms after the unfrozen clock's time never ran")
	}
}

func TestConcurrentUse(t *testing.T) {
	c := NewRunning(t0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ran := 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				c.At(c.Now().Add(time.Duration(j)*time.Minute), func() { mu.Lock(); ran++; mu.Unlock() })
				switch (i + j) % 4 {
				case 0:
					c.Advance(time.Minute)
				case 1:
					c.Freeze()
				case 2:
					c.Unfreeze()
				default:
					c.State()
				}
			}
		}()
	}
	wg.Wait()
	c.Freeze()
	c.Advance(time.Hour)
	// Work due at once runs in its own goroutine: wait for those boundedly.
	for i := 0; ; i++ {
		mu.Lock()
		n := ran
		mu.Unlock()
		if n == 8*50 {
			break
		}
		if i == 1000 {
			t.Fatalf("ran %d of %d", n, 8*50)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestControlOf(t *testing.T) {
	c := NewFrozen(t0)
	m := NewManual(t0)
	for _, tt := range []struct {
		clk  Clock
		want *Controlled
	}{{c, c}, {m, m.Controlled()}, {Real{}, nil}} {
		if got := ControlOf(tt.clk); got != tt.want {
			t.Errorf("ControlOf(%T) = %p, want %p", tt.clk, got, tt.want)
		}
	}
	m.Controlled().Advance(time.Minute)
	if !m.Now().Equal(t0.Add(time.Minute)) {
		t.Fatalf("a move of the Manual's Controlled clock is not the Manual's: %v", m.Now())
	}
}

func TestParseAdvance(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"30m", 30 * time.Minute, ""},
		{" 1h30m ", 90 * time.Minute, ""},
		{"1d", Day, ""},
		{"2d12h", 60 * time.Hour, ""},
		{"1d0s", Day, ""},
		{"0d", 0, ""},
		{"0", 0, ""},
		{"-0s", 0, ""},
		{"+5m", 5 * time.Minute, ""},
		{"250ms", 250 * time.Millisecond, ""},
		{"-30m", 0, "must not be negative"},
		{"-1d", 0, "must not be negative"},
		{"", 0, "must be a duration"},
		{"d", 0, "must be a duration"},
		{"1.5d", 0, "must be a duration"},
		{"1d-2h", 0, "must be a duration"},
		{"1d+2h", 0, "must be a duration"},
		{"1d1d", 0, "must be a duration"},
		{"soon", 0, "must be a duration"},
		{"1w", 0, "must be a duration"},
		{"106752d", 0, "must be a duration"},
		{"106751d24h", 0, "must be a duration"},
		{"--5m", 0, "must be a duration"},
	}
	for _, tt := range tests {
		got, err := ParseAdvance(tt.in)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseAdvance(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("ParseAdvance(%q) = %v, %v; want an error %q", tt.in, got, err, tt.err)
		}
	}
}

func FuzzParseAdvance(f *testing.F) {
	for _, s := range []string{"30m", "1d", "2d12h", "-1h", "1d-1h", "106751d", "9223372036854775807ns"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseAdvance(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("ParseAdvance(%q) = %v, negative", s, d)
		}
		// A plain Go duration reads the same.
		if g, gerr := time.ParseDuration(s); gerr == nil && g >= 0 && g != d {
			t.Fatalf("ParseAdvance(%q) = %v, time.ParseDuration %v", s, d, g)
		}
	})
}

// BenchmarkNow reads the clock from every P at once, as requests do.
func BenchmarkNow(b *testing.B) {
	for _, bc := range []struct {
		name string
		clk  Clock
	}{{"real", Real{}}, {"running", NewRunning(t0)}, {"frozen", NewFrozen(t0)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					bc.clk.Now()
				}
			})
		})
	}
}

// While a clock is frozen, unfrozen and advanced (never set back), no
// reader sees it go back, though readers do not lock.
func TestReadersNeverSeeTimeGoBack(t *testing.T) {
	c := NewRunning(t0)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prev := c.Now()
			for {
				select {
				case <-stop:
					return
				default:
				}
				now := c.Now()
				if now.Before(prev) {
					errs <- now.String() + " after " + prev.String()
					return
				}
				prev = now
			}
		}()
	}
	for i := range 3000 {
		switch i % 3 {
		case 0:
			c.Freeze()
		case 1:
			c.Unfreeze()
		default:
			c.Advance(time.Duration(i%5) * time.Nanosecond)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("a reader saw the clock go back: %s", e)
	}
}
