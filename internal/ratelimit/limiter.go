package ratelimit

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
)

// Interval is the length of the rolling window HubSpot calls
// TEN_SECONDLY_ROLLING.
const Interval = 10 * time.Second

// Header names (HubSpot's spelling; net/http canonicalises them anyway).
const (
	HeaderMax               = "X-Hubspot-Ratelimit-Max"
	HeaderRemaining         = "X-Hubspot-Ratelimit-Remaining"
	HeaderInterval          = "X-Hubspot-Ratelimit-Interval-Milliseconds"
	HeaderSecondly          = "X-Hubspot-Ratelimit-Secondly"
	HeaderSecondlyRemaining = "X-Hubspot-Ratelimit-Secondly-Remaining"
	HeaderDaily             = "X-Hubspot-Ratelimit-Daily"
	HeaderDailyRemaining    = "X-Hubspot-Ratelimit-Daily-Remaining"
)

// Limiter keeps one window per portal.
type Limiter struct {
	tier    Tier
	enforce bool
	clock   clock.Clock

	mu      sync.Mutex
	portals map[int64]*window
}

// New returns a limiter for tier on clk. With enforce off it counts and
// reports but never refuses.
func New(tier Tier, enforce bool, clk clock.Clock) *Limiter {
	return &Limiter{tier: tier, enforce: enforce, clock: clk, portals: map[int64]*window{}}
}

// Tier returns the limiter's tier.
func (l *Limiter) Tier() Tier { return l.tier }

// Enforced reports whether requests over a limit are refused.
func (l *Limiter) Enforced() bool { return l.enforce }

// window is one portal's counts: the arrival times of the requests in the
// last ten seconds (a ring of at most TenSecondly entries, oldest first) and
// the number of requests on the current UTC day.
type window struct {
	times []time.Time
	head  int
	n     int
	day   int64
	daily int
}

// Request says how one request counts.
type Request struct {
	Portal int64
	// ExemptTenSecondly and ExemptDaily come from the operation's
	// x-hubspot-rate-limit-exemptions.
	ExemptTenSecondly bool
	ExemptDaily       bool
	// OAuth requests have no daily quota and no daily headers.
	OAuth bool
}

// Usage is a portal's counts after a request, and the policy that refused
// it (empty when it was let through).
type Usage struct {
	Max, Remaining              int
	Secondly, SecondlyRemaining int
	Daily, DailyRemaining       int
	ShowDaily                   bool
	Refused                     string
}

// Policies a request may be refused under (policyName of the 429).
const (
	PolicyTenSecondly = "TEN_SECONDLY_ROLLING"
	PolicyDaily       = "DAILY"
)

// Take counts req and reports the portal's usage. With enforcement on, a
// request over a limit is refused (Usage.Refused names the policy) and not
// counted.
func (l *Limiter) Take(req Request) Usage {
	return l.use(req, true)
}

// Peek reports a portal's usage without counting a request.
func (l *Limiter) Peek(req Request) Usage {
	return l.use(req, false)
}

func (l *Limiter) use(req Request, count bool) Usage {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.portals[req.Portal]
	if w == nil {
		w = &window{times: make([]time.Time, l.tier.TenSecondly)}
		l.portals[req.Portal] = w
	}
	w.expire(now)
	countTen := count && !req.ExemptTenSecondly
	countDay := count && !req.ExemptDaily && !req.OAuth
	refused := ""
	if l.enforce && count {
		switch {
		case countDay && w.daily >= l.tier.Daily:
			refused = PolicyDaily
		case countTen && w.n >= len(w.times):
			refused = PolicyTenSecondly
		}
	}
	if refused == "" {
		if countTen {
			w.add(now)
		}
		if countDay {
			w.daily++
		}
	}
	u := Usage{
		Max:       l.tier.TenSecondly,
		Remaining: max(l.tier.TenSecondly-w.n, 0),
		Secondly:  max(l.tier.TenSecondly/10, 1),
		Daily:     l.tier.Daily,
		ShowDaily: !req.OAuth,
		Refused:   refused,
	}
	u.SecondlyRemaining = max(u.Secondly-w.since(now.Add(-time.Second)), 0)
	u.DailyRemaining = max(l.tier.Daily-w.daily, 0)
	return u
}

// expire drops requests older than the window and the count of past days.
func (w *window) expire(now time.Time) {
	cutoff := now.Add(-Interval)
	for w.n > 0 && !w.times[w.head].After(cutoff) {
		w.head = (w.head + 1) % len(w.times)
		w.n--
	}
	if day := now.Unix() / 86400; day != w.day {
		w.day, w.daily = day, 0
	}
}

// add records a request at now. When the ring is full (enforcement off) the
// oldest entry makes room, so the count saturates at the limit.
func (w *window) add(now time.Time) {
	if w.n == len(w.times) {
		w.head = (w.head + 1) % len(w.times)
		w.n--
	}
	w.times[(w.head+w.n)%len(w.times)] = now
	w.n++
}

// since counts the requests in the window that arrived after t.
func (w *window) since(t time.Time) int {
	c := 0
	for i := w.n - 1; i >= 0; i-- {
		if !w.times[(w.head+i)%len(w.times)].After(t) {
			break
		}
		c++
	}
	return c
}

// Reset forgets the windows of one portal, or of every portal when portal
// is nil.
func (l *Limiter) Reset(portal *int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if portal == nil {
		l.portals = map[int64]*window{}
		return
	}
	delete(l.portals, *portal)
}

// intervalValue is shared by every answer: header values are never modified
// after they are set.
var intervalValue = []string{strconv.Itoa(int(Interval / time.Millisecond))}

// WriteHeaders sets HubSpot's rate-limit headers on h. It allocates one
// string for all the numbers and one array for all the values.
func (u Usage) WriteHeaders(h http.Header) {
	var buf [96]byte
	b := buf[:0]
	var ends [6]int
	nums := [6]int{u.Max, u.Remaining, u.Secondly, u.SecondlyRemaining, u.Daily, u.DailyRemaining}
	n := 4
	if u.ShowDaily {
		n = 6
	}
	for i := 0; i < n; i++ {
		b = strconv.AppendInt(b, int64(nums[i]), 10)
		ends[i] = len(b)
	}
	s := string(b)
	vals := new([6]string)
	start := 0
	for i := 0; i < n; i++ {
		vals[i] = s[start:ends[i]]
		start = ends[i]
	}
	h[HeaderMax] = vals[0:1:1]
	h[HeaderRemaining] = vals[1:2:2]
	h[HeaderInterval] = intervalValue
	h[HeaderSecondly] = vals[2:3:3]
	h[HeaderSecondlyRemaining] = vals[3:4:4]
	if u.ShowDaily {
		h[HeaderDaily] = vals[4:5:5]
		h[HeaderDailyRemaining] = vals[5:6:6]
	}
}
