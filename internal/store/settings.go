package store

import (
	"fmt"
	"iter"
	"time"

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
}

// SnapshotSettings are the settings in a state document. A duration is
// written as Go writes it ("5s", "1m30s", "250ms"); empty means unset.
type SnapshotSettings struct {
	SearchLag string `json:"searchLag,omitempty"`
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
}

// settingSearchLag is the saved key of the search lag.
const settingSearchLag = "searchLag"

var settingsDomain = register(domain{
	name:  "settings",
	empty: func(*Config) any { return settingsPart{} },
	row: func(part any, key string) ([]byte, bool) {
		sp := part.(settingsPart)
		if key != settingSearchLag || !sp.hasSearchLag {
			return nil, false
		}
		return mustJSON(sp.searchLag.String()), true
	},
	rows: func(part any) iter.Seq2[string, []byte] {
		return func(yield func(string, []byte) bool) {
			if sp := part.(settingsPart); sp.hasSearchLag {
				yield(settingSearchLag, mustJSON(sp.searchLag.String()))
			}
		}
	},
	load: func(snap *Snapshot, key string, value []byte) error {
		if key != settingSearchLag {
			return fmt.Errorf("unknown setting %q", key)
		}
		var s string
		if err := decode.JSON(value, &s); err != nil {
			return fmt.Errorf("setting %q: %w", key, err)
		}
		if snap.Settings == nil {
			snap.Settings = &SnapshotSettings{}
		}
		snap.Settings.SearchLag = s
		return nil
	},
})

func (v *View) settings() settingsPart { return v.part(settingsDomain).(settingsPart) }

// Settings returns the portal's settings.
func (v *View) Settings() Settings {
	sp := v.settings()
	var out Settings
	if sp.hasSearchLag {
		lag := sp.searchLag
		out.SearchLag = &lag
	}
	return out
}

// SetSettings replaces the portal's settings. A search lag out of range is
// KindInvalid and changes nothing.
func (tx *Tx) SetSettings(s Settings) error {
	var sp settingsPart
	if s.SearchLag != nil {
		if d := *s.SearchLag; d < 0 || d > MaxSearchLag {
			return invalid(fmt.Sprintf("searchLag must be between 0s and %s, got %s", MaxSearchLag, d),
				Detail{Message: "searchLag is out of range", In: "searchLag"})
		}
		sp = settingsPart{searchLag: *s.SearchLag, hasSearchLag: true}
	}
	tx.set(settingsDomain, sp, settingSearchLag)
	return nil
}

// buildSettings checks the settings of a state document.
func buildSettings(s *SnapshotSettings, fail func(in, format string, args ...any)) settingsPart {
	if s == nil || s.SearchLag == "" {
		return settingsPart{}
	}
	d, err := ParseSearchLag(s.SearchLag)
	if err != nil {
		fail("settings.searchLag", "%s", err.Error())
		return settingsPart{}
	}
	return settingsPart{searchLag: d, hasSearchLag: true}
}

// snapshotSettings adds the settings to an exported document, when any is
// set.
func (v *View) snapshotSettings(out *Snapshot) {
	if sp := v.settings(); sp.hasSearchLag {
		out.Settings = &SnapshotSettings{SearchLag: sp.searchLag.String()}
	}
}
