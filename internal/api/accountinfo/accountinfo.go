// Package accountinfo serves HubSpot's account information API in v3 and
// 2026-03: the portal's details (id, account type, time zone, currencies,
// UI domain, data hosting location) and its private apps' daily API usage,
// read from the rate limiter's real counters. Its operations are in the
// account-info source of our documents.
package accountinfo

import (
	"fmt"
	"net/http"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/store"
)

// Defaults of the account details a portal's settings do not set. HubSpot's
// own example account is on US/Eastern with USD; app.hubspot.com is the UI
// of its North American data centre (na1).
const (
	DefaultTimeZone     = "US/Eastern"
	DefaultCurrency     = "USD"
	DefaultUIDomain     = "app.hubspot.com"
	DataHostingLocation = "na1"
	AccountType         = "STANDARD"
	// UsageName names the daily private-app usage, as HubSpot does.
	UsageName = "private-apps-api-calls-daily"
)

// Deps is what the family needs from the server.
type Deps struct {
	Clock   clock.Clock
	Limiter *ratelimit.Limiter
}

// Register binds the family's operations.
func Register(reg *endpoint.Registry, d Deps) {
	h := handlers{d}
	reg.Handle("account-details", h.details)
	reg.Handle("account-api-usage-daily", h.usage)
}

type handlers struct{ Deps }

type detailsBody struct {
	PortalID              int64    `json:"portalId"`
	AccountType           string   `json:"accountType"`
	TimeZone              string   `json:"timeZone"`
	CompanyCurrency       string   `json:"companyCurrency"`
	AdditionalCurrencies  []string `json:"additionalCurrencies"`
	UTCOffset             string   `json:"utcOffset"`
	UTCOffsetMilliseconds int64    `json:"utcOffsetMilliseconds"`
	UIDomain              string   `json:"uiDomain"`
	DataHostingLocation   string   `json:"dataHostingLocation"`
}

// Account returns a portal's account settings with the defaults filled in.
func Account(a store.AccountSettings) store.AccountSettings {
	if a.TimeZone == "" {
		a.TimeZone = DefaultTimeZone
	}
	if a.CompanyCurrency == "" {
		a.CompanyCurrency = DefaultCurrency
	}
	if a.UIDomain == "" {
		a.UIDomain = DefaultUIDomain
	}
	return a
}

// Offset formats the offset of zone at now as HubSpot does ("-04:00") and
// in milliseconds. A zone Go does not know (settings are checked, so never
// in practice) counts as UTC.
func Offset(zone string, now time.Time) (string, int64) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	_, secs := now.In(loc).Zone()
	sign, abs := "+", secs
	if secs < 0 {
		sign, abs = "-", -secs
	}
	return fmt.Sprintf("%s%02d:%02d", sign, abs/3600, abs%3600/60), int64(secs) * 1000
}

func (h handlers) details(c *endpoint.Call) (endpoint.Reply, error) {
	var st store.Settings
	c.Portal().View(func(v *store.View) { st = v.Settings() })
	a := Account(st.Account)
	offset, ms := Offset(a.TimeZone, h.Clock.Now())
	return endpoint.Reply{Status: http.StatusOK, Body: detailsBody{
		PortalID: c.PortalID, AccountType: AccountType, TimeZone: a.TimeZone,
		CompanyCurrency: a.CompanyCurrency, AdditionalCurrencies: []string{},
		UTCOffset: offset, UTCOffsetMilliseconds: ms, UIDomain: a.UIDomain, DataHostingLocation: DataHostingLocation,
	}}, nil
}

type usageBody struct {
	Name         string `json:"name"`
	UsageLimit   int64  `json:"usageLimit"`
	CurrentUsage int64  `json:"currentUsage"`
	CollectedAt  string `json:"collectedAt"`
	FetchStatus  string `json:"fetchStatus"`
	ResetsAt     string `json:"resetsAt"`
}

// usage answers the daily count of private-app calls, which the rate
// limiter keeps per UTC day on the server's clock (this call included,
// when made with a private-app token; OAuth calls have no daily quota).
func (h handlers) usage(c *endpoint.Call) (endpoint.Reply, error) {
	now := h.Clock.Now().UTC()
	u := h.Limiter.Peek(ratelimit.Request{Portal: c.PortalID})
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	return endpoint.Reply{Status: http.StatusOK, Body: endpoint.Results{Results: []usageBody{{
		Name:         UsageName,
		UsageLimit:   int64(u.Daily),
		CurrentUsage: int64(u.Daily - u.DailyRemaining),
		CollectedAt:  endpoint.FormatTime(now),
		FetchStatus:  "SUCCESS",
		ResetsAt:     endpoint.FormatTime(midnight),
	}}}}, nil
}
