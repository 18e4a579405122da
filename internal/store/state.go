package store

import "iter"

// A portal's state is split into domains (labels, limits; records,
// associations and properties next). Each domain keeps its part of the state
// as an immutable value whose writes return a new value sharing all but the
// changed path (persistent maps: benbjohnson/immutable's SortedMap, a B+tree
// with path copying, ordered so listings need no sort), so a write costs
// O(log n) in the size of its domain and a state is copied by copying one
// pointer per domain. Each
// domain also says how its keys are saved (domain.row), so a transaction
// persists only the keys it changed.
//
// A domain is added by one register call in its own file.

// domain describes one part of a portal's state.
type domain struct {
	index int
	// name names the domain's rows on disk; never change it.
	name string
	// empty returns the part of a new, empty portal.
	empty func(cfg *Config) any
	// row returns the saved form of key in part, false when key is absent.
	row func(part any, key string) ([]byte, bool)
	// rows yields every key of part with its saved form, for writes that
	// replace a whole state.
	rows func(part any) iter.Seq2[string, []byte]
	// load adds one saved row to the document a restored state is built
	// from, so saved data passes the same checks as PUT .../state.
	load func(snap *Snapshot, key string, value []byte) error
}

var domains []*domain

// register adds a domain. Call it from a package-level var in the domain's
// own file.
func register(d domain) *domain {
	d.index = len(domains)
	domains = append(domains, &d)
	return &d
}

func domainNamed(name string) (*domain, bool) {
	for _, d := range domains {
		if d.name == name {
			return d, true
		}
	}
	return nil, false
}

// state is everything one portal owns: one immutable part per domain. A
// state that a portal published is never changed; a transaction works on a
// copy of the part pointers and replaces the parts it changes.
type state struct {
	parts []any
}

func newState(cfg *Config) *state {
	st := &state{parts: make([]any, len(domains))}
	for i, d := range domains {
		st.parts[i] = d.empty(cfg)
	}
	return st
}

func (st *state) clone() *state {
	return &state{parts: append([]any(nil), st.parts...)}
}
