package store

import (
	"fmt"

	"github.com/mockhub/mockhub/internal/persist"
)

// Attach restores every portal saved in db, imports the portal files of
// earlier versions (portal-<id>.json) into it, and then makes every later
// write durable through db. Saved data passes the checks of PUT .../state;
// data that does not stops start-up with an error that names the file, and
// nothing is written. An imported file is renamed with persist.ImportedSuffix
// once its portal is committed, so it is kept but not imported again. It
// returns how many portals it restored.
func (s *Store) Attach(db *persist.DB) (int, error) {
	corrupt := func(file string, err error) error {
		return fmt.Errorf("data file %s is corrupt: %v; mockhub will not start and will not overwrite it: repair or remove the file", file, err)
	}
	saved, err := db.Portals()
	if err != nil {
		return 0, corrupt(db.File(), err)
	}
	states := map[int64]*state{}
	for _, p := range saved {
		st, err := s.loadRows(p)
		if err != nil {
			return 0, corrupt(db.File(), fmt.Errorf("portal %d: %w", p.ID, err))
		}
		states[p.ID] = st
	}
	legacy, err := db.Legacy()
	if err != nil {
		return 0, fmt.Errorf("%w; mockhub will not start until it is repaired or removed", err)
	}
	imported := map[int64]*state{}
	for _, f := range legacy {
		st, err := s.decodeSaved(f.Portal, f.Data)
		if err != nil {
			return 0, corrupt(f.Path, err)
		}
		imported[f.Portal] = st
	}
	for _, f := range legacy {
		if err := db.Commit(f.Portal, true, stateRows(imported[f.Portal])); err != nil {
			return 0, fmt.Errorf("data dir: import %s: %w", f.Path, err)
		}
		if err := db.SetAside(f); err != nil {
			return 0, fmt.Errorf("data dir: import %s: %w", f.Path, err)
		}
		states[f.Portal] = imported[f.Portal]
	}
	for id, st := range states {
		s.install(id, st).saved = true
	}
	s.SetPersister(db)
	return len(states), nil
}

// loadRows rebuilds a portal's state from its saved rows.
func (s *Store) loadRows(p persist.Portal) (*state, error) {
	snap := &Snapshot{PortalID: p.ID}
	for _, r := range p.Rows {
		d, ok := domainNamed(r.Domain)
		if !ok {
			return nil, fmt.Errorf("unknown domain %q", r.Domain)
		}
		if err := d.load(snap, r.Key, r.Value); err != nil {
			return nil, fmt.Errorf("%s: %w", d.name, err)
		}
	}
	st, err := s.buildState(p.ID, snap)
	if err != nil {
		return nil, fmt.Errorf("%s", Message(err))
	}
	return st, nil
}

// stateRows lists every saved row of st.
func stateRows(st *state) []persist.Row {
	tx := &Tx{View: View{st: st}}
	tx.replace = true
	return tx.rows()
}

// install makes st portal id's state without saving it (it comes from
// storage).
func (s *Store) install(id int64, st *state) *Portal {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.newPortal(id)
	p.st.Store(st)
	s.portals[id] = p
	return p
}
