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
	// epoch is the origin of the windows' timestamps.
	epoch time.Time

	mu      sync.Mutex
	portals map[int64]*window
	// sweepAt is the portal count whose next new portal triggers a sweep,
	// nextSweep the clock time after which any request does.
	sweepAt   int
	nextSweep time.Time
}

// Sweeps forget the portals whose windows have all passed. One runs when
// the number of portals has doubled since the last (so its cost is
// amortised over the new portals) and at most every sweepEvery of clock
// time otherwise, so that a flood of tokens that stops is forgotten too.
const (
	minSweep   = 1024
	sweepEvery = time.Minute
)

// New returns a limiter for tier on clk. With enforce off it counts and
// reports but never refuses.
func New(tier Tier, enforce bool, clk clock.Clock) *Limiter {
	now := clk.Now()
	return &Limiter{tier: tier, enforce: enforce, clock: clk, epoch: now, portals: map[int64]*window{}, sweepAt: minSweep, nextSweep: now.Add(sweepEvery)}
}

// Tier returns the limiter's tier.
func (l *Limiter) Tier() Tier { return l.tier }

// Enforced reports whether requests over a limit are refused.
func (l *Limiter) Enforced() bool { return l.enforce }

// window is one portal's counts: the arrival times of the requests in the
// last ten seconds, the number of requests on the current UTC day, and the
// arrival times in the last second of the requests of each bucket the
// portal used (enforced only). A portal whose rings are empty and that made
// no request today is forgotten; it counts as a new portal would.
type window struct {
	ring
	day     int32
	daily   int32
	buckets []bucketRing
}

// ring holds arrival times, nanoseconds since the limiter's epoch, oldest
// at head. It grows as requests arrive, up to its limit, and is released
// when it empties: a portal whose requests are all exempt from a window
// never allocates one.
type ring struct {
	times []int64
	head  int32
	n     int32
}

// bucketRing is a portal's last second of one bucket's requests.
type bucketRing struct {
	name string
	ring
}

// empty reports whether w holds nothing a new window would not.
func (w *window) empty() bool { return w.n == 0 && w.daily == 0 && len(w.buckets) == 0 }

// bucket returns the portal's ring of bucket name, nil when it has none.
func (w *window) bucket(name string) *ring {
	for i := range w.buckets {
		if w.buckets[i].name == name {
			return &w.buckets[i].ring
		}
	}
	return nil
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
	// Bucket, when named, is a per-second limit the request counts against
	// besides the others (x-mockhub-rate-limit).
	Bucket Bucket
}

// Bucket is a per-second limit that some operations share, per portal, on
// top of the tier's limits: HubSpot's search endpoints allow 5 requests a
// second per account. Only an enforcing limiter counts buckets; headers do
// not report them.
type Bucket struct {
	Name      string
	PerSecond int
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
	// PolicySecondly refuses a request over its bucket's per-second limit.
	PolicySecondly = "SECONDLY"
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
	at := int64(now.Sub(l.epoch))
	day := int32(now.Unix() / 86400)
	l.mu.Lock()
	defer l.mu.Unlock()
	// The counts are worked on in a copy, so that a portal seen for the
	// first time allocates nothing unless it has something to keep.
	var w window
	stored := l.portals[req.Portal]
	if stored != nil {
		w = *stored
	}
	w.expire(at, day)
	countTen := count && !req.ExemptTenSecondly
	countDay := count && !req.ExemptDaily && !req.OAuth
	countBucket := count && l.enforce && req.Bucket.Name != "" && req.Bucket.PerSecond > 0
	var bucket *ring
	if countBucket {
		bucket = w.bucket(req.Bucket.Name)
	}
	refused := ""
	if l.enforce && count {
		switch {
		case countDay && int(w.daily) >= l.tier.Daily:
			refused = PolicyDaily
		case countTen && int(w.n) >= l.tier.TenSecondly:
			refused = PolicyTenSecondly
		case bucket != nil && int(bucket.n) >= req.Bucket.PerSecond:
			refused = PolicySecondly
		}
	}
	if refused == "" {
		if countTen {
			w.add(at, l.tier.TenSecondly)
		}
		if countDay {
			w.daily++
		}
		if countBucket {
			if bucket == nil {
				w.buckets = append(w.buckets, bucketRing{name: req.Bucket.Name})
				bucket = &w.buckets[len(w.buckets)-1].ring
			}
			bucket.add(at, req.Bucket.PerSecond)
		}
	}
	if stored != nil {
		*stored = w
	} else if !w.empty() {
		stored = new(window)
		*stored = w
		l.portals[req.Portal] = stored
	}
	if len(l.portals) >= l.sweepAt || now.After(l.nextSweep) {
		l.sweep(at, day, now)
	}
	u := Usage{
		Max:       l.tier.TenSecondly,
		Remaining: max(l.tier.TenSecondly-int(w.n), 0),
		Secondly:  max(l.tier.TenSecondly/10, 1),
		Daily:     l.tier.Daily,
		ShowDaily: !req.OAuth,
		Refused:   refused,
	}
	u.SecondlyRemaining = max(u.Secondly-w.since(at-int64(time.Second)), 0)
	u.DailyRemaining = max(l.tier.Daily-int(w.daily), 0)
	return u
}

// sweep forgets every portal whose windows have passed. The map is
// rebuilt when most of it goes, since a Go map never shrinks.
func (l *Limiter) sweep(at int64, day int32, now time.Time) {
	peak := len(l.portals)
	for p, w := range l.portals {
		if w.expire(at, day); w.empty() {
			delete(l.portals, p)
		}
	}
	if len(l.portals) < peak/2 {
		kept := make(map[int64]*window, len(l.portals))
		for p, w := range l.portals {
			kept[p] = w
		}
		l.portals = kept
	}
	l.sweepAt = max(2*len(l.portals), minSweep)
	l.nextSweep = now.Add(sweepEvery)
}

// expire drops requests older than their windows, releasing the rings
// that empty, and the count of past days.
func (w *window) expire(at int64, day int32) {
	w.ring.expire(at - int64(Interval))
	if day != w.day {
		w.day, w.daily = day, 0
	}
	// The copy a request works on shares its rings with the stored window,
	// as the ten-second ring does: both are stored back under the lock.
	kept := w.buckets[:0]
	for _, b := range w.buckets {
		if b.expire(at - int64(time.Second)); b.n > 0 {
			kept = append(kept, b)
		}
	}
	w.buckets = kept
	if len(kept) == 0 {
		w.buckets = nil
	}
}

// expire drops the entries at or before cutoff, releasing the ring once it
// is empty.
func (w *ring) expire(cutoff int64) {
	for w.n > 0 && w.times[w.head] <= cutoff {
		w.head = (w.head + 1) % int32(len(w.times))
		w.n--
	}
	if w.n == 0 {
		w.times, w.head = nil, 0
	}
}

// add records a request at at. The ring grows (doubling, from 4) up to
// limit entries; when it is full at limit (enforcement off) the oldest
// entry makes room, so the count saturates at the limit.
func (w *ring) add(at int64, limit int) {
	if int(w.n) == len(w.times) {
		if len(w.times) < limit {
			grown := make([]int64, min(max(2*len(w.times), 4), limit))
			for i := range w.n {
				grown[i] = w.times[(w.head+i)%int32(len(w.times))]
			}
			w.times, w.head = grown, 0
		} else {
			w.head = (w.head + 1) % int32(len(w.times))
			w.n--
		}
	}
	w.times[(w.head+w.n)%int32(len(w.times))] = at
	w.n++
}

// since counts the requests in the ring that arrived after t.
func (w *ring) since(t int64) int {
	c := 0
	for i := w.n - 1; i >= 0; i-- {
		if w.times[(w.head+i)%int32(len(w.times))] <= t {
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

// portalCount is how many portals have counters.
func (l *Limiter) portalCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.portals)
}
