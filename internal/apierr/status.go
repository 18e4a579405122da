package apierr

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// Messages of the answers a fault, the rate limiter or the tokens file
// produce. Where HubSpot's wording is known it is HubSpot's (§6, §7 of the
// reference); the others are ours and say what happened.
const (
	MsgBadRequest          = "Invalid input: the request was rejected"
	MsgConflict            = "Conflict: the resource was changed by another request"
	MsgLocked              = "Too many requests in a row on this resource; it is locked for 2 seconds"
	MsgMigrationInProgress = "Migration in progress; retry after the time in the Retry-After header"
	MsgBadGateway          = "Bad gateway: the request could not be processed; pause and retry"
	MsgServiceUnavailable  = "Service temporarily unavailable; retry later"
	MsgGatewayTimeout      = "Gateway timeout: the request took too long to process; pause and retry"
	MsgTenSecondlyLimit    = "You have reached your ten_secondly_rolling limit."
	MsgDailyLimit          = "You have reached your daily limit."
	MsgSecondlyLimit       = "You have reached your secondly limit."
	MsgMissingScopes       = "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes."
	MsgScopesRequired      = "One or more of the following scopes are required."
	// MsgExpired is formatted with the amount and unit since expiry.
	MsgExpired = "The OAuth token used to make this call expired %d %s(s) ago."
)

// Rate-limit policies (policyName in a 429 body).
const (
	PolicyTenSecondly = "TEN_SECONDLY_ROLLING"
	PolicyDaily       = "DAILY"
	// PolicySecondly is a per-second limit of some endpoints (search).
	PolicySecondly = "SECONDLY"
	// ErrorTypeRateLimit is the errorType of every 429.
	ErrorTypeRateLimit = "RATE_LIMIT"
	// ScopesLink is where 403 bodies point.
	ScopesLink = "https://developers.hubspot.com/scopes"
)

// FaultStatuses are the error statuses HubSpot answers with, which a status
// fault may inject.
var FaultStatuses = []int{400, 401, 403, 404, 409, 423, 429, 477, 500, 502, 503, 504}

// ForStatus returns HubSpot's error for status, as a status fault injects
// it. policy picks the 429 policy (PolicyTenSecondly when empty), portal
// names the 429's group and retryAfter is the 477's Retry-After in seconds.
// ok is false for a status not in FaultStatuses.
func ForStatus(status int, policy string, portal int64, retryAfter int) (e *Error, ok bool) {
	switch status {
	case http.StatusBadRequest:
		return Validation(MsgBadRequest), true
	case http.StatusUnauthorized:
		return Unauthenticated(), true
	case http.StatusForbidden:
		return MissingScopes(nil), true
	case http.StatusNotFound:
		return NotFound(MsgNotFound), true
	case http.StatusConflict:
		return Conflict(MsgConflict), true
	case http.StatusLocked:
		return &Error{Status: status, Category: CategoryLocked, Message: MsgLocked}, true
	case http.StatusTooManyRequests:
		return RateLimited(policy, portal), true
	case 477:
		return &Error{
			Status: status, Category: CategoryMigrationInProgress, Message: MsgMigrationInProgress,
			Header: http.Header{"Retry-After": {strconv.Itoa(retryAfter)}},
		}, true
	case http.StatusInternalServerError:
		return Internal(), true
	case http.StatusBadGateway:
		return &Error{Status: status, Category: CategoryBadGateway, Message: MsgBadGateway}, true
	case http.StatusServiceUnavailable:
		return &Error{Status: status, Category: CategoryServiceUnavailable, Message: MsgServiceUnavailable}, true
	case http.StatusGatewayTimeout:
		return &Error{Status: status, Category: CategoryGatewayTimeout, Message: MsgGatewayTimeout}, true
	}
	return nil, false
}

// RateLimited is HubSpot's 429 for policy (PolicyTenSecondly, PolicyDaily
// or PolicySecondly; empty means PolicyTenSecondly). The body carries errorType,
// policyName and groupName, which HubSpot's clients read to decide whether to
// retry, and category RATE_LIMITS, which our Error schema requires.
func RateLimited(policy string, portal int64) *Error {
	msg, group := MsgTenSecondlyLimit, "publicapi:ten-secondly-rolling:"
	switch policy {
	case PolicyDaily:
		msg, group = MsgDailyLimit, "publicapi:daily:"
	case PolicySecondly:
		// HubSpot's wording and policy for its per-second limits; the
		// official Node client retries it after a second.
		msg, group = MsgSecondlyLimit, "publicapi:secondly:"
	default:
		policy = PolicyTenSecondly
	}
	return &Error{
		Status:     http.StatusTooManyRequests,
		Category:   CategoryRateLimits,
		Message:    msg,
		ErrorType:  ErrorTypeRateLimit,
		PolicyName: policy,
		GroupName:  group + strconv.FormatInt(portal, 10),
	}
}

// MissingScopes is HubSpot's 403 for a token that holds none of the scopes
// an operation accepts. The accepted scopes are listed under both names
// clients read: requiredGranularScopes (current) and requiredScopes (older).
func MissingScopes(accepted []string) *Error {
	e := &Error{
		Status:   http.StatusForbidden,
		Category: CategoryMissingScopes,
		Message:  MsgMissingScopes,
		Links:    map[string]string{"scopes": ScopesLink},
	}
	if len(accepted) > 0 {
		scopes := append([]string(nil), accepted...)
		sort.Strings(scopes)
		e.Errors = []Detail{{
			Message: MsgScopesRequired,
			Context: map[string][]string{"requiredGranularScopes": scopes, "requiredScopes": scopes},
		}}
	}
	return e
}

// Expired is HubSpot's 401 for a token past its expiry: the message says
// how long ago, the context gives the expire time.
func Expired(expiredAt, now time.Time) *Error {
	ago := now.Sub(expiredAt)
	if ago < 0 {
		ago = 0
	}
	n, unit := int64(ago/time.Second), "second"
	switch {
	case ago >= 24*time.Hour:
		n, unit = int64(ago/(24*time.Hour)), "day"
	case ago >= time.Hour:
		n, unit = int64(ago/time.Hour), "hour"
	case ago >= time.Minute:
		n, unit = int64(ago/time.Minute), "minute"
	}
	return &Error{
		Status:   http.StatusUnauthorized,
		Category: CategoryExpiredAuthentication,
		Message:  fmt.Sprintf(MsgExpired, n, unit),
		Context:  map[string][]string{"expire time": {expiredAt.UTC().Format("2006-01-02T15:04:05.000Z")}},
		Header:   http.Header{"X-Hubspot-Auth-Failure": {"401 Unauthorized"}},
	}
}

// InvalidToken is the 401 for a bearer token the tokens file does not know.
// HubSpot answers unknown tokens with the same body as missing ones.
func InvalidToken() *Error { return Unauthenticated() }
