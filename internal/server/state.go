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
	dir, err := persist.Open(s.cfg.DataDir)
	if err != nil {
		return err
	}
	files, err := dir.Load()
	if err != nil {
		return fmt.Errorf("%w; mockhub will not start until it is repaired or removed", err)
	}
	for _, f := range files {
		if err := s.store.Restore(f.Portal, f.Data); err != nil {
			return fmt.Errorf("data file %s is corrupt: %v; mockhub will not start and will not overwrite it: repair or remove the file", f.Path, err)
		}
	}
	s.store.SetPersister(dir)
	s.log.Info("state restored", "dataDir", dir.Path(), "portals", len(files))
	return nil
}

// Journal returns the request journal.
func (s *Server) Journal() *journal.Journal { return s.journal }
