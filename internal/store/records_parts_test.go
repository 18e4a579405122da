package store

import (
	"slices"
	"testing"
)

// TestLiveRecordParts: the parts of a walk yield every live record once, in
// id order part after part, with archived records left out; a small type
// is one part, and never more parts than asked.
func TestLiveRecordParts(t *testing.T) {
	p := newTestStore(t).Portal(1)
	ids := populateContacts(t, p, 2*minPartRecords+5)
	archived := map[string]bool{ids[0]: true, ids[minPartRecords]: true, ids[len(ids)-1]: true}
	if err := p.Update(func(tx *Tx) error {
		for id := range archived {
			if err := tx.ArchiveRecord("contact", id, t0); err != nil {
				return err
			}
		}
		_, err := tx.CreateRecord("company", map[string]string{"name": "Acme"}, t0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, id := range ids {
		if !archived[id] {
			want = append(want, id)
		}
	}
	for _, tc := range []struct {
		typ       string
		n         int
		wantParts int
	}{
		{"contact", 1, 1},
		{"contact", 2, 2},
		{"contact", 8, 2}, // 16,387 live records make two parts of at least minPartRecords
		{"company", 4, 1},
		{"deal", 4, 0},
	} {
		p.View(func(v *View) {
			parts := v.LiveRecordParts(tc.typ, tc.n)
			if len(parts) != tc.wantParts {
				t.Errorf("%s in %d: %d parts, want %d", tc.typ, tc.n, len(parts), tc.wantParts)
			}
			if tc.typ != "contact" {
				return
			}
			var got []string
			for _, part := range parts {
				for s := range part {
					got = append(got, s.ID())
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("contact in %d: %d records walked, want %d", tc.n, len(got), len(want))
			}
		})
	}
}
