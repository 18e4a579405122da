package server

import (
	"errors"
	"fmt"

	"github.com/mockhub/mockhub/internal/journal"
	"github.com/mockhub/mockhub/internal/persist"
	"github.com/mockhub/mockhub/internal/store"
)

// ErrFixtures marks a start-up failure caused by the fixtures document.
var ErrFixtures = errors.New("invalid fixtures")

// setupState builds what lives beside the store (the journal and the token
// registry), seeds fixtures and, with a data directory, restores saved state
// and makes every later write durable. A data file that cannot be read stops
// start-up: starting empty would overwrite it on the next write.
func (s *Server) setupState() error {
	size := s.cfg.JournalSize
	if size == 0 {
		size = defaultJournalSize
	}
	s.journal = journal.New(size)
	s.tokens = newTokenRegistry()
	s.OnReset(func(portal *int64) {
		if portal == nil {
			s.journal.Clear()
		} else {
			s.journal.ClearPortal(*portal)
		}
		s.tokens.reset(portal)
	})

	if len(s.cfg.Fixtures) > 0 {
		f, err := store.DecodeFixtures(s.cfg.Fixtures)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrFixtures, err)
		}
		if err := s.store.Seed(f); err != nil {
			return fmt.Errorf("%w: %v", ErrFixtures, err)
		}
	}
	if s.cfg.DataDir == "" {
		return nil
	}
	db, err := persist.Open(s.cfg.DataDir)
	if err != nil {
		return err
	}
	n, err := s.store.Attach(db)
	if err != nil {
		db.Close()
		return err
	}
	s.log.Info("state restored", "dataDir", db.Path(), "portals", n)
	return nil
}

// Journal returns the request journal.
func (s *Server) Journal() *journal.Journal { return s.journal }
