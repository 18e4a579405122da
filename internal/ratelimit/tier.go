// Package ratelimit counts each portal's requests the way HubSpot does: a
// rolling ten-second window and a daily quota, both on the server's
// injectable clock. It reports the counts in HubSpot's X-HubSpot-RateLimit-*
// headers and, when enforcement is on, refuses requests over either limit.
package ratelimit

import (
	"fmt"
	"strconv"
	"strings"
)

// Tier is a pair of limits: requests per ten seconds and per day.
type Tier struct {
	Name        string
	TenSecondly int
	Daily       int
}

// Tiers are HubSpot's published limits per subscription (usage guidelines,
// August 2025): Free and Starter 100/10 s and 250,000/day, Professional
// 190/10 s and 625,000/day, Enterprise 190/10 s and 1,000,000/day.
var Tiers = map[string]Tier{
	"free":         {Name: "free", TenSecondly: 100, Daily: 250_000},
	"starter":      {Name: "starter", TenSecondly: 100, Daily: 250_000},
	"professional": {Name: "professional", TenSecondly: 190, Daily: 625_000},
	"enterprise":   {Name: "enterprise", TenSecondly: 190, Daily: 1_000_000},
}

// DefaultTier is the tier whose figures headers report when no tier is
// chosen.
const DefaultTier = "free"

// ParseTier reads a tier name (free, starter, professional, enterprise) or
// explicit limits "N/10s,D/day".
func ParseTier(s string) (Tier, error) {
	s = strings.TrimSpace(s)
	if t, ok := Tiers[strings.ToLower(s)]; ok {
		return t, nil
	}
	burst, daily, ok := strings.Cut(s, ",")
	if ok {
		n, okN := cutNumber(burst, "/10s")
		d, okD := cutNumber(daily, "/day")
		if okN && okD {
			return Tier{Name: s, TenSecondly: n, Daily: d}, nil
		}
	}
	return Tier{}, fmt.Errorf("rate-limit tier must be free, starter, professional, enterprise or N/10s,D/day (positive N, D), got %q", s)
}

func cutNumber(s, suffix string) (int, bool) {
	num, ok := strings.CutSuffix(strings.TrimSpace(s), suffix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(num))
	return n, err == nil && n > 0 && n <= 1<<30
}
