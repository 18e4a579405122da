// Package store holds mockhub's state: for each portal, the custom association
// labels it defined, the association limits it configured (on top of the
// shared catalog of HubSpot-defined types), the batches it deferred and its
// CRM records (records.go). Every write is a transaction
// (Portal.Update) and all-or-nothing: it works on its own version of the
// portal's state and publishes it only when the whole operation succeeded
// (and was saved). Reads (Portal.View) load the published state through an
// atomic pointer and never wait. See state.go for how a state is split into
// domains.
package store

import (
	"errors"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/mockhub/mockhub/internal/crm/schema"
)

// Config tunes business rules HubSpot does not publish.
type Config struct {
	// MaxLimit is the highest maxToObjectIds a limit may have (HubSpot's
	// subscription ceiling).
	MaxLimit int32
	// MaxLabelsPerPairing is how many custom labels one object pairing holds.
	MaxLabelsPerPairing int
	// MaxBatchInputs is how many inputs one limits batch accepts.
	MaxBatchInputs int
	// FirstLabelTypeID is where each portal's USER_DEFINED typeIds start.
	FirstLabelTypeID int32
	// MaxDeferred is how many deferred batches one portal may hold at once
	// (0: no limit).
	MaxDeferred int
	// FirstRecordID is the base of every object type's record id sequence;
	// each type starts at a fixed offset above it (records.go).
	FirstRecordID int64
	// RecordIDStep is how far apart consecutive record ids are.
	RecordIDStep int64
	// UniqueProperties declares, per object type key, the properties whose
	// values no two live records may share.
	UniqueProperties map[string][]UniqueProperty
	// MaxAssociationsPerPair is the hard ceiling on how many records of one
	// type a record may be associated with (HubSpot's subscription limit
	// per object pair); configured limits only lower it.
	MaxAssociationsPerPair int32
	// Schema is the catalog of CRM object types records are kept for; a
	// portal's custom properties extend its types (properties.go).
	Schema *schema.Catalog
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		MaxLimit: 50000, MaxLabelsPerPairing: 10, MaxBatchInputs: 100, FirstLabelTypeID: 100, MaxDeferred: 1000,
		FirstRecordID: 10_000_000_001, RecordIDStep: 1, UniqueProperties: DefaultUniqueProperties(),
		MaxAssociationsPerPair: defaultMaxAssociations,
	}
}

// Store is the set of portals. Portals are created on first use.
type Store struct {
	cfg     Config
	catalog *Catalog

	mu      sync.RWMutex
	portals map[int64]*Portal

	// empty is the state every new portal starts from (snapshot.go).
	empty *state
	// seeds and persister: see snapshot.go.
	seeds     map[int64]*state
	persister Persister
}

// New returns an empty store.
func New(cfg Config, catalog *Catalog) *Store {
	return &Store{cfg: cfg, catalog: catalog, portals: map[int64]*Portal{}}
}

// Config returns the store's business rules.
func (s *Store) Config() Config { return s.cfg }

// Catalog returns the HubSpot-defined types shared by every portal.
func (s *Store) Catalog() *Catalog { return s.catalog }

// Portal returns the portal with the given id, creating it from the fixtures
// when it does not exist yet.
func (s *Store) Portal(id int64) *Portal {
	s.mu.RLock()
	p := s.portals[id]
	s.mu.RUnlock()
	if p != nil {
		return p
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p = s.portals[id]; p == nil {
		p = s.newPortal(id)
		s.portals[id] = p
	}
	return p
}

// Lookup returns the portal with the given id if it exists.
func (s *Store) Lookup(id int64) (*Portal, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.portals[id]
	return p, ok
}

// PortalIDs lists the portals that exist, in ascending order.
func (s *Store) PortalIDs() []int64 {
	s.mu.RLock()
	ids := make([]int64, 0, len(s.portals))
	for id := range s.portals {
		ids = append(ids, id)
	}
	s.mu.RUnlock()
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// Reset returns every portal to its fixtures. With a persister, each
// portal's saved state is removed; a portal whose saved state cannot be
// removed keeps its state, so memory and disk never disagree, and the error
// names it.
func (s *Store) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := s.seededPortals()
	var errs []error
	for id, p := range s.portals {
		if err := p.detach(); err != nil {
			next[id] = p
			errs = append(errs, err)
		}
	}
	s.portals = next
	return errors.Join(errs...)
}

// ResetPortal returns one portal to its fixtures.
func (s *Store) ResetPortal(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.portals[id]; ok {
		if err := p.detach(); err != nil {
			return err
		}
		delete(s.portals, id)
	}
	if _, seeded := s.seeds[id]; seeded {
		s.portals[id] = s.newPortal(id)
	}
	return nil
}

// Portal is one HubSpot account's state.
type Portal struct {
	id      int64
	cfg     *Config
	catalog *Catalog

	// st is the published state, replaced whole by each write.
	st atomic.Pointer[state]
	// mu serializes writes and guards persister, detached and saved.
	mu sync.Mutex
	// persister saves every write before it is published; detached
	// portals (removed by a reset) no longer save.
	persister Persister
	detached  bool
	// saved says the persister holds this portal's whole state, so a write
	// may commit only the keys it changed. A portal built from fixtures or
	// created empty is not saved until its first write, which saves it
	// whole; one restored from the persister is.
	saved bool
}

// ID returns the portal id.
func (p *Portal) ID() int64 { return p.id }
