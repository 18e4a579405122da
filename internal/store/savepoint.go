package store

import "slices"

// Savepoint is a transaction's state at one moment, to return to when a
// step of several writes fails halfway (a record created, then one of its
// associations refused) while the transaction goes on (a batch whose other
// inputs still apply).
type Savepoint struct {
	parts []any
}

// Savepoint marks the transaction's current state. It costs one slice of
// the domains' parts: the parts themselves are never edited in place.
func (tx *Tx) Savepoint() Savepoint {
	return Savepoint{parts: slices.Clone(tx.st.parts)}
}

// Rollback returns the transaction to sp, undoing every write since. Keys
// written since stay listed as changed: they are saved with the values
// they have again, which changes nothing.
func (tx *Tx) Rollback(sp Savepoint) {
	copy(tx.st.parts, sp.parts)
}
