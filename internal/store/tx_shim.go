package store

import "maps"

// Tx is a write transaction on one portal's state (transitional form, until
// the store's transactions land).
type Tx struct {
	pt      *Portal
	st      *state
	touched map[Pair]bool
}

// Update runs fn in a transaction: all or nothing.
func (pt *Portal) Update(fn func(tx *Tx) error) error {
	return pt.mutate(func(st *state) error { return fn(&Tx{pt: pt, st: st, touched: map[Pair]bool{}}) })
}

// ApplyLimit applies one limits input.
func (tx *Tx) ApplyLimit(op LimitOp, p Pair, in LimitInput) (Limit, *InputError) {
	limits := tx.st.Limits[p]
	if !tx.touched[p] {
		limits = maps.Clone(limits)
		tx.touched[p] = true
	}
	if limits == nil {
		limits = map[int32]int32{}
	}
	tx.st.Limits[p] = limits
	lim, ierr := tx.st.applyLimit(tx.pt, op, p, limits, in)
	if len(limits) == 0 {
		delete(tx.st.Limits, p)
	}
	return lim, ierr
}

// Config returns the store's configuration.
func (s *Store) Config() Config { return s.cfg }
