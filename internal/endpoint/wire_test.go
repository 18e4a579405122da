package endpoint

import (
	"testing"
	"time"
)

func TestFormatTimeMatchesTheLayout(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2026, 3, 30, 12, 0, 0, 123_456_789, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.FixedZone("x", 3600)),
		time.Date(2026, 11, 28, 9, 5, 7, 4_000_000, time.Local),
		time.Date(12026, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		if got, want := FormatTime(tm), tm.UTC().Format(TimeLayout); got != want {
			t.Errorf("FormatTime(%v) = %s, want %s", tm, got, want)
		}
	}
}
