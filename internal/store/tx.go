package store

import (
	"fmt"

	"github.com/mockhub/mockhub/internal/persist"
)

// View reads one portal state as it was when the view began; later writes
// do not show through it. It is valid only inside the function it is given
// to.
type View struct {
	pt *Portal
	st *state
}

// Tx is a write transaction on one portal. Its reads (the View methods) see
// its own writes. Nothing it does is visible to others, or saved, until the
// function given to Update returns nil.
type Tx struct {
	View
	// dirty lists the keys the transaction changed, each once, in the order
	// first changed; seen indexes it once it is long (most transactions
	// change a key or two, which a scan finds faster than a map).
	dirty   []dirtyKey
	seen    map[dirtyKey]bool
	buf     [4]dirtyKey
	replace bool
}

// seenScan is how many dirty keys are searched by scanning.
const seenScan = 16

type dirtyKey struct {
	d   *domain
	key string
}

// part returns d's part of the state being read.
func (v *View) part(d *domain) any { return v.st.parts[d.index] }

// set replaces d's part and records that key changed in it.
func (tx *Tx) set(d *domain, part any, keys ...string) {
	tx.st.parts[d.index] = part
	for _, k := range keys {
		dk := dirtyKey{d, k}
		if tx.isDirty(dk) {
			continue
		}
		if tx.dirty == nil {
			tx.dirty = tx.buf[:0]
		}
		tx.dirty = append(tx.dirty, dk)
		switch {
		case tx.seen != nil:
			tx.seen[dk] = true
		case len(tx.dirty) > seenScan:
			tx.seen = make(map[dirtyKey]bool, 2*len(tx.dirty))
			for _, k := range tx.dirty {
				tx.seen[k] = true
			}
		}
	}
}

func (tx *Tx) isDirty(dk dirtyKey) bool {
	if tx.seen != nil {
		return tx.seen[dk]
	}
	for _, k := range tx.dirty {
		if k == dk {
			return true
		}
	}
	return false
}

// replaceAll makes st the transaction's whole state.
func (tx *Tx) replaceAll(st *state) {
	tx.st = st.clone()
	tx.replace = true
	tx.dirty, tx.seen = nil, nil
}

// rows returns what the transaction saves: the changed keys, or the whole
// state when it replaced it.
func (tx *Tx) rows() []persist.Row {
	var out []persist.Row
	if tx.replace {
		for _, d := range domains {
			for k, v := range d.rows(tx.st.parts[d.index]) {
				out = append(out, persist.Row{Domain: d.name, Key: k, Value: v})
			}
		}
		return out
	}
	for _, dk := range tx.dirty {
		v, ok := dk.d.row(tx.st.parts[dk.d.index], dk.key)
		if !ok {
			v = nil
		} else if v == nil {
			v = []byte{}
		}
		out = append(out, persist.Row{Domain: dk.d.name, Key: dk.key, Value: v})
	}
	return out
}

// View runs fn on the portal's current state. It never waits for a write,
// not even for one being saved.
func (p *Portal) View(fn func(v *View)) {
	fn(&View{pt: p, st: p.st.Load()})
}

// Update runs fn in a transaction. When fn returns an error nothing changes
// and Update returns it. Otherwise the changes are saved (with a persister)
// and only then made visible, all at once. Writes to one portal run one at a
// time; reads go on meanwhile, seeing the state before the write.
func (p *Portal) Update(fn func(tx *Tx) error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	tx := &Tx{View: View{pt: p, st: p.st.Load().clone()}}
	if err := fn(tx); err != nil {
		return err
	}
	if !tx.replace && len(tx.dirty) == 0 {
		return nil
	}
	if err := p.save(tx); err != nil {
		return err
	}
	p.st.Store(tx.st)
	return nil
}

// Check runs fn on a transaction over the current state and throws its
// changes away.
func (p *Portal) Check(fn func(tx *Tx) error) error {
	return fn(&Tx{View: View{pt: p, st: p.st.Load().clone()}})
}

// save hands the transaction's changes to the persister. The caller holds
// p.mu.
func (p *Portal) save(tx *Tx) error {
	if p.persister == nil || p.detached {
		return nil
	}
	if !p.saved {
		// What the persister holds of this portal, if anything, is not its
		// state (fixtures are not saved): write the whole state once.
		tx.replace = true
	}
	if err := p.persister.Commit(p.id, tx.replace, tx.rows()); err != nil {
		return fmt.Errorf("save portal %d: %w", p.id, err)
	}
	p.saved = true
	return nil
}
