package clock

import (
	"strings"
	"testing"
	"time"
)

func TestManualMovesOnlyWhenTold(t *testing.T) {
	start := time.Date(2026, 3, 30, 12, 0, 0, 0, time.FixedZone("x", 3600))
	c := NewManual(start)
	if got := c.Now(); !got.Equal(start) || got.Location() != time.UTC {
		t.Fatalf("Now = %v, want %v in UTC", got, start)
	}
	if got := c.Advance(1500 * time.Millisecond); !got.Equal(start.Add(1500 * time.Millisecond)) {
		t.Fatalf("Advance = %v", got)
	}
	later := start.Add(time.Hour)
	c.Set(later)
	if !c.Now().Equal(later) {
		t.Fatalf("Set: Now = %v", c.Now())
	}
}

func TestManualRunsScheduledWorkWhenAdvanced(t *testing.T) {
	start := time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC)
	m := NewManual(start)
	var ran []string
	At(m, start.Add(2*time.Second), func() { ran = append(ran, "b") })
	At(m, start.Add(time.Second), func() { ran = append(ran, "a") })
	At(m, start.Add(2*time.Second), func() { ran = append(ran, "c") })
	cancel := At(m, start.Add(time.Second), func() { ran = append(ran, "canceled") })
	cancel()
	m.Advance(999 * time.Millisecond)
	if len(ran) != 0 {
		t.Fatalf("ran %v before due", ran)
	}
	m.Advance(time.Millisecond)
	if strings.Join(ran, "") != "a" {
		t.Fatalf("ran %v at 1s", ran)
	}
	m.Set(start.Add(time.Hour))
	if strings.Join(ran, "") != "abc" {
		t.Fatalf("ran %v, want a, b, c", ran)
	}
	done := make(chan struct{})
	At(m, start, func() { close(done) }) // already due: runs at once
	<-done
}
