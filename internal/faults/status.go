package faults

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/ratelimit"
)

// KindStatus answers with an error status instead of the real answer.
const KindStatus = "status"

// Status answers with one of HubSpot's error statuses and the body HubSpot
// sends with it. The request never reaches the handler, so nothing changes.
// A 429 also zeroes the remaining count of its policy in the rate-limit
// headers.
type Status struct {
	Status int `json:"status"`
	// Policy is the 429's policyName: TEN_SECONDLY_ROLLING (default) or DAILY.
	Policy string `json:"policy,omitempty"`
	// RetryAfter is the 477's Retry-After in seconds (default 60).
	RetryAfter int `json:"retryAfter,omitempty"`
}

// Kind implements Fault.
func (*Status) Kind() string { return KindStatus }

func (f *Status) check() error {
	if !slices.Contains(apierr.FaultStatuses, f.Status) {
		return fmt.Errorf("status must be one of %v, got %d", apierr.FaultStatuses, f.Status)
	}
	switch f.Policy {
	case "":
		if f.Status == http.StatusTooManyRequests {
			f.Policy = apierr.PolicyTenSecondly
		}
	case apierr.PolicyTenSecondly, apierr.PolicyDaily:
		if f.Status != http.StatusTooManyRequests {
			return fmt.Errorf("policy applies to status 429 only")
		}
	default:
		return fmt.Errorf("policy must be %s or %s, got %q", apierr.PolicyTenSecondly, apierr.PolicyDaily, f.Policy)
	}
	switch {
	case f.RetryAfter < 0 || f.RetryAfter > 86400:
		return fmt.Errorf("retryAfter must be 0-86400 seconds, got %d", f.RetryAfter)
	case f.RetryAfter != 0 && f.Status != 477:
		return fmt.Errorf("retryAfter applies to status 477 only")
	case f.RetryAfter == 0 && f.Status == 477:
		f.RetryAfter = 60
	}
	return nil
}

// Serve implements Fault.
func (f *Status) Serve(x *Exchange, w http.ResponseWriter, r *http.Request, _ http.Handler) {
	e, ok := apierr.ForStatus(f.Status, f.Policy, x.Portal, f.RetryAfter)
	if !ok {
		e = apierr.Internal()
	}
	if f.Status == http.StatusTooManyRequests {
		// The rate-limit headers of a 429 say the limit is spent, so that
		// clients that read them back off as they would from HubSpot.
		h := w.Header()
		if f.Policy == apierr.PolicyDaily {
			if _, ok := h[ratelimit.HeaderDailyRemaining]; ok {
				h.Set(ratelimit.HeaderDailyRemaining, "0")
			}
		} else {
			h.Set(ratelimit.HeaderRemaining, "0")
			h.Set(ratelimit.HeaderSecondlyRemaining, "0")
		}
	}
	apierr.Write(w, r, e)
}
