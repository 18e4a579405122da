package server

import (
	"errors"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/dashboard"
	"github.com/mockhub/mockhub/internal/journal"
)

// DashboardPath is where the dashboard is served: under the admin prefix,
// so it is never a HubSpot path and its requests stay out of the journal.
const DashboardPath = AdminPrefix + "/ui/"

// dashboardRoutes mounts the dashboard. It is handed the services the
// admin API's handlers use, and nothing else.
func (s *Server) dashboardRoutes(r chi.Router) error {
	db, err := dashboard.New(dashboard.Deps{
		Base:         AdminPrefix + "/ui",
		Store:        s.store,
		Schema:       s.schema,
		Journal:      s.journal,
		Faults:       s.faults,
		Reset:        s.Reset,
		ResetPortal:  s.ResetPortal,
		Fingerprints: s.tokens.fingerprints,
		Settle:       s.batches.SettlePortal,
		JournalFilter: func(q url.Values) (journal.Filter, string) {
			return parseJournalFilter(q)
		},
		Clock: dashboardClock{s},
		Done:  s.done,
		Log:   s.log,
	})
	if err != nil {
		return err
	}
	r.Mount("/ui", db)
	return nil
}

// dashboardClock is the clock admin service as the dashboard uses it.
type dashboardClock struct{ s *Server }

func (c dashboardClock) State() (time.Time, bool, bool) {
	if c.s.control == nil {
		return c.s.clock.Now(), false, false
	}
	now, frozen := c.s.control.State()
	return now, frozen, true
}

func (c dashboardClock) Move(advance, set string, freeze *bool) error {
	var body clockBody
	if advance != "" {
		body.Advance = &advance
	}
	if set != "" {
		body.Set = &set
	}
	body.Freeze = freeze
	if e := c.s.moveClockBy(body); e != nil {
		return errors.New(e.Message)
	}
	return nil
}
