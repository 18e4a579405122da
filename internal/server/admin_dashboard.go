package server

import (
	"net/url"

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
		Done: s.done,
		Log:  s.log,
	})
	if err != nil {
		return err
	}
	r.Mount("/ui", db)
	return nil
}
