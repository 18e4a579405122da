package clock

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Day is the length of a "d" in ParseAdvance: 24 hours, as the server
// clock is UTC, which has no daylight saving.
const Day = 24 * time.Hour

// ParseAdvance reads how far to move a clock: a Go duration ("30m",
// "1h30m", "90s"), optionally after a whole number of days ("1d", "2d12h").
// A negative amount is refused with ErrNegative, as moving a clock back is a
// Set.
func ParseAdvance(s string) (time.Duration, error) {
	v := strings.TrimSpace(s)
	neg := strings.HasPrefix(v, "-")
	if neg || strings.HasPrefix(v, "+") {
		v = v[1:]
	}
	d, ok := parseUnsigned(v)
	switch {
	case !ok:
		return 0, fmt.Errorf("advance must be a duration such as 30m, 1h30m or 2d (a day is 24h), got %q", s)
	case neg && d > 0:
		return 0, fmt.Errorf("%w, got %q", ErrNegative, s)
	}
	return d, nil
}

// parseUnsigned reads [<days>d][<Go duration>] without a sign.
func parseUnsigned(v string) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	var days time.Duration
	if i := strings.IndexByte(v, 'd'); i >= 0 {
		n, err := strconv.ParseUint(v[:i], 10, 64)
		if err != nil || n > uint64(math.MaxInt64/Day) {
			return 0, false
		}
		days, v = time.Duration(n)*Day, v[i+1:]
		if v == "" {
			return days, true
		}
	}
	if v[0] == '+' || v[0] == '-' {
		return 0, false
	}
	d, err := time.ParseDuration(v)
	if err != nil || d > math.MaxInt64-days {
		return 0, false
	}
	return days + d, true
}
