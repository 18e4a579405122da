package store

import (
	"fmt"
	"iter"
	"strings"
	"time"
	// Time zones are checked with Go's own database, so that a host (or a
	// container image) without one accepts the same names.
	_ "time/tzdata"

	"github.com/mockhub/mockhub/internal/decode"
)

// The settings domain holds a portal's own settings: how mockhub behaves
// for that portal where a test suite wants to tune it. They are part of the
// portal's state, so a state document exports and imports them, a fixtures
// file seeds them, a data directory keeps them and a reset of the portal
// returns them to its fixtures.

// MaxSearchLag bounds a search lag: far above any delay HubSpot's index
// shows, low enough that a typo of units is refused.
const MaxSearchLag = 24 * time.Hour

// Settings are a portal's settings. A nil field is unset: the server's
// default applies.
type Settings struct {
	// SearchLag is how long after a write search sees it.
	SearchLag *time.Duration
	// Account are the account details account-info reports.
	Account AccountSettings
}

// AccountSettings are the account details a portal may set; empty fields
// take the defaults of account-info.
type AccountSettings struct {
	// TimeZone is an IANA time zone name ("US/Eastern", "Europe/Paris").
	TimeZone string `json:"timeZone,omitempty"`
	// CompanyCurrency is an ISO 4217 code ("USD").
	CompanyCurrency string `json:"companyCurrency,omitempty"`
	// UIDomain is the host of the portal's HubSpot UI ("app-eu1.hubspot.com").
	UIDomain string `json:"uiDomain,omitempty"`
}

// CheckAccount checks account settings: a time zone Go knows, a currency
// of three capital letters and a UI domain that is a plain host name. in
// prefixes the field names in the error.
func CheckAccount(a AccountSettings) (in string, err error) {
	if a.TimeZone != "" {
		if _, lerr := time.LoadLocation(a.TimeZone); lerr != nil || a.TimeZone == "Local" {
			return "timeZone", fmt.Errorf("timeZone must be an IANA time zone name such as \"US/Eastern\", got %q", a.TimeZone)
		}
	}
	if c := a.CompanyCurrency; c != "" && (len(c) != 3 || strings.ToUpper(c) != c || strings.ContainsFunc(c, func(r rune) bool { return r < 'A' || r > 'Z' })) {
		return "companyCurrency", fmt.Errorf("companyCurrency must be an ISO 4217 code of three capital letters such as \"USD\", got %q", c)
	}
	if d := a.UIDomain; d != "" && (len(d) > 253 || strings.ContainsFunc(d, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.')
	})) {
		return "uiDomain", fmt.Errorf("uiDomain must be a host name such as \"app.hubspot.com\", got %q", d)
	}
	return "", nil
}

// SnapshotSettings are the settings in a state document. A duration is
// written as Go writes it ("5s", "1m30s", "250ms"); empty means unset.
type SnapshotSettings struct {
	SearchLag string `json:"searchLag,omitempty"`
	AccountSettings
}

// ParseSearchLag reads a search lag: a duration such as "5s" or "250ms",
// from 0 to MaxSearchLag.
func ParseSearchLag(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return 0, fmt.Errorf("searchLag must be a duration such as \"5s\" or \"250ms\", got %q", s)
	case d < 0 || d > MaxSearchLag:
		return 0, fmt.Errorf("searchLag must be between 0s and %s, got %q", MaxSearchLag, s)
	}
	return d, nil
}

// settingsPart is the settings domain, held by value.
type settingsPart struct {
	searchLag    time.Duration
	hasSearchLag bool
	account      AccountSettings
}

// Saved keys of the settings.
const (
	settingSearchLag = "searchLag"
	settingTimeZone  = "timeZone"
	settingCurrency  = "companyCurrency"
	settingUIDomain  = "uiDomain"
)

// accountRows lists the account settings with their saved keys.
func (sp settingsPart) accountRows() [3][2]string {
	return [3][2]string{
		{settingTimeZone, sp.account.TimeZone},
		{settingCurrency, sp.account.CompanyCurrency},
		{settingUIDomain, sp.account.UIDomain},
	}
}

var settingsDomain = register(domain{
	name:  "settings",
	empty: func(*Config) any { return settingsPart{} },
	row: func(part any, key string) ([]byte, bool) {
		sp := part.(settingsPart)
		for _, r := range sp.accountRows() {
			if key == r[0] {
				return mustJSON(r[1]), r[1] != ""
			}
		}
		if key != settingSearchLag || !sp.hasSearchLag {
			return nil, false
		}
		return mustJSON(sp.searchLag.String()), true
	},
	rows: func(part any) iter.Seq2[string, []byte] {
		return func(yield func(string, []byte) bool) {
			sp := part.(settingsPart)
			if sp.hasSearchLag && !yield(settingSearchLag, mustJSON(sp.searchLag.String())) {
				return
			}
			for _, r := range sp.accountRows() {
				if r[1] != "" && !yield(r[0], mustJSON(r[1])) {
					return
				}
			}
		}
	},
	load: func(snap *Snapshot, key string, value []byte) error {
		var s string
		if err := decode.JSON(value, &s); err != nil {
			return fmt.Errorf("setting %q: %w", key, err)
		}
		if snap.Settings == nil {
			snap.Settings = &SnapshotSettings{}
		}
		switch key {
		case settingSearchLag:
			snap.Settings.SearchLag = s
		case settingTimeZone:
			snap.Settings.TimeZone = s
		case settingCurrency:
			snap.Settings.CompanyCurrency = s
		case settingUIDomain:
			snap.Settings.UIDomain = s
		default:
			return fmt.Errorf("unknown setting %q", key)
		}
		return nil
	},
})

func (v *View) settings() settingsPart { return v.part(settingsDomain).(settingsPart) }

// Settings returns the portal's settings.
func (v *View) Settings() Settings {
	sp := v.settings()
	out := Settings{Account: sp.account}
	if sp.hasSearchLag {
		lag := sp.searchLag
		out.SearchLag = &lag
	}
	return out
}

// SetSettings replaces the portal's settings. A search lag out of range or
// an account setting CheckAccount refuses is KindInvalid and changes
// nothing.
func (tx *Tx) SetSettings(s Settings) error {
	var sp settingsPart
	if s.SearchLag != nil {
		if d := *s.SearchLag; d < 0 || d > MaxSearchLag {
			return invalid(fmt.Sprintf("searchLag must be between 0s and %s, got %s", MaxSearchLag, d),
				Detail{Message: "searchLag is out of range", In: "searchLag"})
		}
		sp = settingsPart{searchLag: *s.SearchLag, hasSearchLag: true}
	}
	if in, err := CheckAccount(s.Account); err != nil {
		return invalid(err.Error(), Detail{Message: err.Error(), In: in})
	}
	sp.account = s.Account
	tx.set(settingsDomain, sp, settingSearchLag, settingTimeZone, settingCurrency, settingUIDomain)
	return nil
}

// buildSettings checks the settings of a state document.
func buildSettings(s *SnapshotSettings, fail func(in, format string, args ...any)) settingsPart {
	if s == nil {
		return settingsPart{}
	}
	var sp settingsPart
	if in, err := CheckAccount(s.AccountSettings); err != nil {
		fail("settings."+in, "%s", err.Error())
	} else {
		sp.account = s.AccountSettings
	}
	if s.SearchLag == "" {
		return sp
	}
	d, err := ParseSearchLag(s.SearchLag)
	if err != nil {
		fail("settings.searchLag", "%s", err.Error())
		return sp
	}
	sp.searchLag, sp.hasSearchLag = d, true
	return sp
}

// snapshotSettings adds the settings to an exported document, when any is
// set.
func (v *View) snapshotSettings(out *Snapshot) {
	sp := v.settings()
	if !sp.hasSearchLag && sp.account == (AccountSettings{}) {
		return
	}
	out.Settings = &SnapshotSettings{AccountSettings: sp.account}
	if sp.hasSearchLag {
		out.Settings.SearchLag = sp.searchLag.String()
	}
}
