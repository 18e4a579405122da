package store

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/persist"
)

// asOfState lists the records of typ live at t as "id:prop=value,...".
func asOfState(p *Portal, typ string, t time.Time) []string {
	var out []string
	p.View(func(v *View) {
		for r := range v.RecordsAsOf(typ, t) {
			var kv []string
			for _, k := range slices.Sorted(maps.Keys(r.Properties)) {
				kv = append(kv, k+"="+r.Properties[k])
			}
			out = append(out, r.ID+":"+strings.Join(kv, ","))
			if r.Archived {
				out = append(out, "archived!")
			}
		}
	})
	return out
}

func TestRecordsAsOf(t *testing.T) {
	p := newTestStore(t).Portal(1)
	a, err := p.createRecord("contact", map[string]string{"firstname": "a0"}, at(0))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := p.createRecord("contact", map[string]string{"firstname": "b0", "lastname": "B"}, at(100))
	if _, err := p.updateRecord("contact", a.ID, map[string]string{"firstname": "a1", "lastname": "A"}, at(200)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.updateRecord("contact", b.ID, map[string]string{"lastname": ""}, at(300)); err != nil {
		t.Fatal(err)
	}
	if err := p.archiveRecord("contact", a.ID, at(400)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		at   int
		want []string
	}{
		{-1, nil},
		{0, []string{a.ID + ":firstname=a0"}},
		{99, []string{a.ID + ":firstname=a0"}},
		{100, []string{a.ID + ":firstname=a0", b.ID + ":firstname=b0,lastname=B"}},
		{200, []string{a.ID + ":firstname=a1,lastname=A", b.ID + ":firstname=b0,lastname=B"}},
		{300, []string{a.ID + ":firstname=a1,lastname=A", b.ID + ":firstname=b0"}},
		{399, []string{a.ID + ":firstname=a1,lastname=A", b.ID + ":firstname=b0"}},
		{400, []string{b.ID + ":firstname=b0"}},
	}
	for _, tc := range tests {
		if got := asOfState(p, "contact", at(tc.at)); !slices.Equal(got, tc.want) {
			t.Errorf("as of %d ms: %q, want %q", tc.at, got, tc.want)
		}
	}

	p.View(func(v *View) {
		// One record as of a time: its values, history and updatedAt then.
		r, ok := v.RecordAsOf("contact", a.ID, at(250))
		if !ok || r.Archived || r.Properties["firstname"] != "a1" || !r.UpdatedAt.Equal(at(200).Truncate(time.Millisecond)) {
			t.Fatalf("a as of 250: %+v %v", r, ok)
		}
		if h := r.PropertyHistory("firstname"); len(h) != 2 {
			t.Fatalf("a's history as of 250: %+v", h)
		}
		r, _ = v.RecordAsOf("contact", a.ID, at(150))
		if r.Properties["firstname"] != "a0" || !r.UpdatedAt.Equal(r.CreatedAt) || len(r.PropertyHistory("firstname")) != 1 {
			t.Fatalf("a as of 150: %+v", r)
		}
		for _, tc := range []struct {
			id string
			at int
		}{{a.ID, -1}, {a.ID, 400}, {b.ID, 50}, {"1", 500}, {"x", 500}} {
			if r, ok := v.RecordAsOf("contact", tc.id, at(tc.at)); ok {
				t.Errorf("%s as of %d found: %+v", tc.id, tc.at, r)
			}
		}
		if _, ok := v.RecordAsOf("deal", a.ID, at(500)); ok {
			t.Error("a record of another type found")
		}
		// The current state is the state as of the last write.
		if !v.RecordsChangedSince("contact", at(399)) || v.RecordsChangedSince("contact", at(400)) || v.RecordsChangedSince("deal", at(0)) {
			t.Error("RecordsChangedSince disagrees with the writes")
		}
	})
}

// TestAsOfUntouchedRecordIsShared: a record not written since the time is
// returned as stored, without a copy of its properties.
func TestAsOfUntouchedRecordIsShared(t *testing.T) {
	p := newTestStore(t).Portal(1)
	id := mustCreate(t, p, "contact", map[string]string{"firstname": "x"})
	p.View(func(v *View) {
		cur, _ := v.Record("contact", id)
		then, _ := v.RecordAsOf("contact", id, t0.Add(time.Second))
		if &then.stored.props[0] != &cur.stored.props[0] {
			t.Fatal("untouched record copied")
		}
	})
}

// TestImportedHistoryNewerThanUpdatedAt: a document may hold history newer
// than updatedAt; the type's last write and as-of reads see it.
func TestImportedHistoryNewerThanUpdatedAt(t *testing.T) {
	s := newTestStore(t)
	snap := &Snapshot{Records: []SnapshotRecord{{
		ObjectType: "contact", ID: "5", CreatedAt: at(0), UpdatedAt: at(0),
		Properties: map[string]string{"firstname": "new"},
		History:    map[string][]SnapshotValue{"firstname": {{Value: "new", Timestamp: at(500)}, {Value: "old", Timestamp: at(0)}}},
	}}}
	if err := s.Replace(1, snap); err != nil {
		t.Fatal(err)
	}
	p := s.Portal(1)
	if got := asOfState(p, "contact", at(100)); !slices.Equal(got, []string{"5:firstname=old"}) {
		t.Fatalf("as of 100: %q", got)
	}
	p.View(func(v *View) {
		if !v.RecordsChangedSince("contact", at(100)) || v.RecordsChangedSince("contact", at(500)) {
			t.Fatal("the type's last write ignores imported history")
		}
	})
}

func TestRecordCounts(t *testing.T) {
	p := newTestStore(t).Portal(1)
	mustCreate(t, p, "contact", nil)
	id := mustCreate(t, p, "contact", nil)
	mustCreate(t, p, "deal", nil)
	if err := p.archiveRecord("deal", mustCreate(t, p, "deal", nil), t0); err != nil {
		t.Fatal(err)
	}
	if err := p.archiveRecord("contact", id, t0); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, p, "ticket", nil)
	var live, archived map[string]int
	p.View(func(v *View) { live, archived = v.RecordCounts() })
	if !maps.Equal(live, map[string]int{"contact": 1, "deal": 1, "ticket": 1}) || !maps.Equal(archived, map[string]int{"contact": 1, "deal": 1}) {
		t.Fatalf("live %v, archived %v", live, archived)
	}
}

func TestSettings(t *testing.T) {
	s := newTestStore(t)
	p := s.Portal(1)
	var got Settings
	p.View(func(v *View) { got = v.Settings() })
	if got.SearchLag != nil {
		t.Fatalf("a new portal has settings: %+v", got)
	}
	lag := 1500 * time.Millisecond
	if err := p.Update(func(tx *Tx) error { return tx.SetSettings(Settings{SearchLag: &lag}) }); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []time.Duration{-time.Millisecond, MaxSearchLag + 1} {
		if err := p.Update(func(tx *Tx) error { return tx.SetSettings(Settings{SearchLag: &bad}) }); kindOf(err) != KindInvalid {
			t.Errorf("lag %s: %v", bad, err)
		}
	}
	// Exported, saved and loaded back alike.
	snap := p.Snapshot()
	if snap.Settings == nil || snap.Settings.SearchLag != "1.5s" {
		t.Fatalf("exported settings %+v", snap.Settings)
	}
	st, err := s.loadRows(persist.Portal{ID: 1, Rows: stateRows(p.st.Load())})
	if err != nil {
		t.Fatal(err)
	}
	if sp := st.parts[settingsDomain.index].(settingsPart); !sp.hasSearchLag || sp.searchLag != lag {
		t.Fatalf("loaded settings %+v", sp)
	}
	snap.PortalID = 2
	if err := s.Replace(2, &snap); err != nil {
		t.Fatal(err)
	}
	s.Portal(2).View(func(v *View) { got = v.Settings() })
	if got.SearchLag == nil || *got.SearchLag != lag {
		t.Fatalf("imported settings %+v", got)
	}
	// Unset again: nothing exported.
	if err := p.Update(func(tx *Tx) error { return tx.SetSettings(Settings{}) }); err != nil {
		t.Fatal(err)
	}
	if snap := p.Snapshot(); snap.Settings != nil {
		t.Fatalf("unset settings exported: %+v", snap.Settings)
	}
	for _, bad := range []string{"5", "-1s", "25h", "soon"} {
		if err := s.Replace(3, &Snapshot{Settings: &SnapshotSettings{SearchLag: bad}}); kindOf(err) != KindInvalid || !strings.Contains(Message(err), "settings.searchLag") {
			t.Errorf("document lag %q: %v", bad, err)
		}
	}
}

// BenchmarkRecordsAsOf walks 10,000 contacts as of a time: after every
// write (each record is its stored self), and before half of them were
// changed (those are rebuilt from their history). Records is the walk a
// search without lag makes, for comparison.
func BenchmarkRecordsAsOf(b *testing.B) {
	const n = 10_000
	p := newTestStore(b).Portal(1)
	ids := populateContacts(b, p, n)
	err := p.Update(func(tx *Tx) error {
		for i, id := range ids {
			if i%2 == 0 {
				if _, err := tx.UpdateRecord("contact", id, map[string]string{"firstname": "Changed"}, at(1000)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	walk := func(b *testing.B, seq func(v *View) func(func(Record) bool)) {
		for b.Loop() {
			c := 0
			p.View(func(v *View) {
				for range seq(v) {
					c++
				}
			})
			if c != n {
				b.Fatalf("walked %d records", c)
			}
		}
	}
	b.Run("Records", func(b *testing.B) {
		walk(b, func(v *View) func(func(Record) bool) {
			return func(yield func(Record) bool) {
				after := ""
				for {
					page, next := v.Records("contact", after, 500, false)
					for _, r := range page {
						if !yield(r) {
							return
						}
					}
					if next == "" {
						return
					}
					after = next
				}
			}
		})
	})
	b.Run("after-every-write", func(b *testing.B) {
		walk(b, func(v *View) func(func(Record) bool) { return v.RecordsAsOf("contact", at(2000)) })
	})
	b.Run("half-changed-since", func(b *testing.B) {
		walk(b, func(v *View) func(func(Record) bool) { return v.RecordsAsOf("contact", at(500)) })
	})
}
