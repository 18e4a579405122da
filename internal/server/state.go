package server

import (
	"errors"
	"fmt"

	"github.com/mockhub/mockhub/internal/auth"
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
		if err := s.setupAuth(nil); err != nil {
			return err
		}
		s.setupOAuth()
		return nil
	}
	db, err := persist.Open(s.cfg.DataDir)
	if err != nil {
		return err
	}
	if err := s.setupAuth(db); err != nil {
		db.Close()
		return err
	}
	s.setupOAuth()
	n, err := s.store.Attach(db)
	if err != nil {
		db.Close()
		return err
	}
	s.log.Info("state restored", "dataDir", db.Path(), "portals", n)
	return nil
}

// setupAuth builds the lenient authenticator unless the config brings its
// own. With a data directory (db), the saved token assignments are read
// (and checked, whichever authenticator runs) and new ones are saved, so a
// token keeps its portal for the life of the directory; a reset keeps them.
func (s *Server) setupAuth(db *persist.DB) error {
	var saved map[auth.Sum]int64
	var saver auth.Saver
	if db != nil {
		var err error
		if saved, err = db.Tokens(); err != nil {
			return corruptData(db.File(), err)
		}
		saver = db
	}
	if s.auth != nil {
		return nil
	}
	portals, err := auth.NewPortals(saved, saver)
	if err != nil {
		// Only saved assignments can be refused, so db is set.
		return corruptData(db.File(), err)
	}
	s.portals = portals
	s.auth = auth.NewLenient(portals, s.log)
	return nil
}

// defaultOAuthPortal is the portal of OAuth installs when neither the app,
// the request nor a tokens file names one and the authenticator is the
// caller's own.
const defaultOAuthPortal = 10_000_001

// setupOAuth builds the OAuth issuer and makes the authenticator accept the
// tokens it issues. Issued codes and tokens live in memory only (a restart
// forgets them, even with a data directory) and a reset forgets them. An
// install that names no portal goes to: with a tokens file, the portal of
// its first token; with lenient auth, the portal the client id would have
// as a token (so that each client id gets a portal of its own).
func (s *Server) setupOAuth() {
	var apps map[string]auth.App
	defaultPortal := func(string) (int64, error) { return defaultOAuthPortal, nil }
	switch a := s.auth.(type) {
	case *auth.Tokens:
		apps = a.Apps()
		if first := a.FirstPortal(); first > 0 {
			defaultPortal = func(string) (int64, error) { return first, nil }
		}
	case *auth.Lenient:
		defaultPortal = func(clientID string) (int64, error) { return s.portals.PortalOf("oauth-client:" + clientID) }
	}
	s.oauth = auth.NewIssuer(s.clock, s.random, apps, defaultPortal)
	s.auth = auth.WithIssued(s.auth, s.oauth)
	s.OnReset(s.oauth.Reset)
}

// corruptData is the start-up error for a data file that cannot be read,
// worded as the store words its own.
func corruptData(file string, err error) error {
	return fmt.Errorf("data file %s is corrupt: %v; mockhub will not start and will not overwrite it: repair or remove the file", file, err)
}

// PortalOf returns the portal that requests with token use. With the
// default (lenient) authenticator it assigns one on the token's first sight
// (and, with a data directory, saves it) and fails only when that save
// fails; with a tokens file it is the listed portal, and an error for a
// token the file does not list. An access token issued through OAuth is
// its install's portal, expired or not.
func (s *Server) PortalOf(token string) (int64, error) {
	if at, ok := s.oauth.Access(token); ok {
		return at.PortalID, nil
	}
	if t, ok := auth.Inner(s.auth).(*auth.Tokens); ok {
		if id, ok := t.PortalOf(token); ok {
			return id, nil
		}
		return 0, errors.New("server: the token is not in the tokens file")
	}
	if s.portals == nil {
		return 0, errors.New("server: the configured authenticator decides portals")
	}
	return s.portals.PortalOf(token)
}

// Journal returns the request journal.
func (s *Server) Journal() *journal.Journal { return s.journal }
