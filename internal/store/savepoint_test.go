package store

import (
	"reflect"
	"testing"
	"time"
)

// TestRollbackUndoesWritesSinceTheSavepoint: a record created and
// associated after a savepoint is gone after Rollback, writes before it
// stay, and what is saved is exactly the state made visible.
func TestRollbackUndoesWritesSinceTheSavepoint(t *testing.T) {
	s := newTestStore(t)
	fp := &fakePersister{saved: map[int64]map[[2]string][]byte{}}
	s.SetPersister(fp)
	p := s.Portal(1)
	// Saved before: only the transaction's changed keys are written.
	p.saved = true
	fp.saved[1] = map[[2]string][]byte{}
	for _, r := range stateRows(p.st.Load()) {
		fp.saved[1][[2]string{r.Domain, r.Key}] = r.Value
	}
	now := time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC)
	var kept Record
	err := p.Update(func(tx *Tx) error {
		var err error
		if kept, err = tx.CreateRecord("company", map[string]string{"name": "Kept"}, now); err != nil {
			return err
		}
		sp := tx.Savepoint()
		c, err := tx.CreateRecord("contact", map[string]string{"email": "gone@example.com"}, now)
		if err != nil {
			return err
		}
		if _, err := tx.Associate(RecordRef{"contact", c.ID}, RecordRef{"company", kept.ID}, nil, AssocAdd); err != nil {
			return err
		}
		tx.Rollback(sp)
		if _, ok := tx.Record("contact", c.ID); ok {
			t.Error("the rolled-back contact is still there")
		}
		if page, _ := tx.Associations(RecordRef{"company", kept.ID}, "contact", "", 10); len(page) != 0 {
			t.Errorf("the rolled-back association is still there: %v", page)
		}
		// The id sequence is back too: the next contact takes the same id.
		again, err := tx.CreateRecord("contact", map[string]string{"email": "again@example.com"}, now)
		if err != nil {
			return err
		}
		if again.ID != c.ID {
			t.Errorf("next contact id %s, rolled back %s", again.ID, c.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	p.View(func(v *View) { n = v.RecordCount("contact", false) })
	if n != 1 {
		t.Fatalf("%d contacts", n)
	}
	// The rows saved are the visible state's, key for key.
	want := map[[2]string][]byte{}
	for _, r := range stateRows(p.st.Load()) {
		want[[2]string{r.Domain, r.Key}] = r.Value
	}
	if !reflect.DeepEqual(fp.saved[1], want) {
		t.Fatalf("saved rows differ from the state:\n%v\n%v", fp.saved[1], want)
	}
}
