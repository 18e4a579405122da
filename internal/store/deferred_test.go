package store

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestDeferredIsOrderedByDueAndBounded(t *testing.T) {
	s := newTestStore(t)
	s.cfg.MaxDeferred = 3
	p := s.Portal(1)
	at := time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC)
	for _, ms := range []int{300, 100, 100} {
		err := p.Update(func(tx *Tx) error {
			_, err := tx.Defer(Deferred{Due: at.Add(time.Duration(ms) * time.Millisecond), Operation: "v 1", Inputs: json.RawMessage(`[]`)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err := p.Update(func(tx *Tx) error {
		_, err := tx.Defer(Deferred{Due: at, Operation: "v 1", Inputs: json.RawMessage(`[]`)})
		return err
	})
	if err == nil || !strings.Contains(Message(err), "already holds 3 deferred batches") {
		t.Fatalf("a fourth deferred batch: %v", err)
	}
	// Due order, then acceptance order among equal due times.
	var order []int64
	for {
		var next Deferred
		var ok bool
		p.View(func(v *View) { next, ok = v.NextDeferred() })
		if !ok {
			break
		}
		order = append(order, next.ID)
		if err := p.Update(func(tx *Tx) error {
			if !tx.Undefer(next) {
				t.Errorf("item %d was not there", next.ID)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if len(order) != 3 || order[0] != 2 || order[1] != 3 || order[2] != 1 {
		t.Fatalf("order %v, want [2 3 1]", order)
	}
}

func TestDeferredInTheStateDocument(t *testing.T) {
	s := newTestStore(t)
	doc := `{"labels":[],"limits":[],"deferred":[{"id":7,"due":"2026-03-30T12:00:01Z","operation":"2026-03 limits-batch-create","params":{"fromObjectType":"contacts"},"inputs":[{"typeId":1}]}]}`
	snap, err := DecodeSnapshot([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(5, snap); err != nil {
		t.Fatal(err)
	}
	got := s.Portal(5).Snapshot()
	if len(got.Deferred) != 1 || got.Deferred[0].ID != 7 || got.Deferred[0].Params["fromObjectType"] != "contacts" {
		t.Fatalf("exported %+v", got.Deferred)
	}
	// The next deferred batch continues the sequence.
	var d Deferred
	if err := s.Portal(5).Update(func(tx *Tx) error {
		var err error
		d, err = tx.Defer(Deferred{Due: time.Now(), Operation: "x y", Inputs: json.RawMessage(`[]`)})
		return err
	}); err != nil || d.ID != 8 {
		t.Fatalf("next id %d, %v", d.ID, err)
	}
	for _, bad := range []string{
		`{"deferred":[{"id":0,"due":"2026-03-30T12:00:01Z","operation":"a b","inputs":[]}]}`,
		`{"deferred":[{"id":1,"operation":"a b","inputs":[]}]}`,
		`{"deferred":[{"id":1,"due":"2026-03-30T12:00:01Z","inputs":[]}]}`,
		`{"deferred":[{"id":1,"due":"2026-03-30T12:00:01Z","operation":"a b","inputs":[]},{"id":1,"due":"2026-03-30T12:00:02Z","operation":"a b","inputs":[]}]}`,
	} {
		snap, err := DecodeSnapshot([]byte(bad))
		if err == nil {
			err = s.Replace(6, snap)
		}
		if err == nil || !strings.Contains(Message(err), "deferred[") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
