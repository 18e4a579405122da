package store

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

func (pt *Portal) mergeRecords(typ, primary, merged string, props map[string]string) (Record, error) {
	var r Record
	err := pt.Update(func(tx *Tx) error {
		var err error
		r, err = tx.MergeRecords(typ, primary, merged, props, at(5))
		return err
	})
	return r, err
}

func (pt *Portal) deleteRecord(typ, id string) (existed bool) {
	err := pt.Update(func(tx *Tx) error {
		var err error
		existed, err = tx.DeleteRecord(typ, id)
		return err
	})
	if err != nil {
		panic(err)
	}
	return existed
}

// TestMergeRecords: the merged record is gone, its unique values move with
// the props written to the primary, and every refusal changes nothing.
func TestMergeRecords(t *testing.T) {
	tests := []struct {
		name string
		// primary, merged: which of the created records (a, b, archived c)
		primary, merged string
		props           map[string]string
		kind            ErrorKind
	}{
		{"merge moves the email", "a", "b", map[string]string{"hs_additional_emails": "b@x.com"}, 0},
		{"merge into itself", "a", "a", nil, KindInvalid},
		{"unknown primary", "9", "b", nil, KindNotFound},
		{"unknown merged", "a", "9", nil, KindNotFound},
		{"archived merged", "a", "c", nil, KindNotFound},
		{"archived primary", "c", "a", nil, KindNotFound},
		{"not an id", "a", "x", nil, KindNotFound},
		{"props colliding with a third record", "a", "b", map[string]string{"hs_additional_emails": "d@x.com"}, KindConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestStore(t).Portal(1)
			ids := map[string]string{
				"a": mustCreate(t, p, "contact", map[string]string{"email": "a@x.com", "firstname": "A"}),
				"b": mustCreate(t, p, "contact", map[string]string{"email": "b@x.com", "lastname": "B"}),
				"c": mustCreate(t, p, "contact", map[string]string{"email": "c@x.com"}),
				"d": mustCreate(t, p, "contact", map[string]string{"email": "d@x.com"}),
				"9": "999999999999",
				"x": "x",
			}
			if err := p.archiveRecord("contact", ids["c"], at(1)); err != nil {
				t.Fatal(err)
			}
			before := p.Snapshot()
			r, err := p.mergeRecords("contact", ids[tc.primary], ids[tc.merged], tc.props)
			if tc.kind != 0 {
				if kindOf(err) != tc.kind {
					t.Fatalf("err %v, want kind %v", err, tc.kind)
				}
				if after := p.Snapshot(); !reflect.DeepEqual(after, before) {
					t.Fatal("a refused merge changed the state")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.ID != ids["a"] || r.Properties["hs_additional_emails"] != "b@x.com" || !r.UpdatedAt.Equal(at(5).Truncate(time.Millisecond)) {
				t.Fatalf("merged %+v", r)
			}
			if _, ok := p.record("contact", ids["b"]); ok {
				t.Fatal("the merged record is still readable")
			}
			if id, ok := p.findUnique("contact", "email", "B@x.com"); !ok || id != ids["a"] {
				t.Fatalf("b's email finds %q, %v; want the primary", id, ok)
			}
			if n := recordCount(p, false); n != 2 {
				t.Fatalf("%d live contacts, want 2 (a and d)", n)
			}
		})
	}
}

// TestDeleteRecord: a deleted record is gone, live or archived, and its
// email is free; unknown ids change nothing.
func TestDeleteRecord(t *testing.T) {
	p := newTestStore(t).Portal(1)
	a := mustCreate(t, p, "contact", map[string]string{"email": "a@x.com", "hs_additional_emails": "a2@x.com"})
	b := mustCreate(t, p, "contact", map[string]string{"email": "b@x.com"})
	if err := p.archiveRecord("contact", b, at(1)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, id string
		existed  bool
	}{
		{"live", a, true},
		{"again", a, false},
		{"archived", b, true},
		{"unknown", "999999999999", false},
		{"not an id", "x", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.deleteRecord("contact", tc.id); got != tc.existed {
				t.Fatalf("existed = %v, want %v", got, tc.existed)
			}
			if _, ok := p.record("contact", tc.id); ok {
				t.Fatal("still readable")
			}
		})
	}
	if got := p.deleteRecord("company", a); got {
		t.Fatal("a type without records deleted something")
	}
	if n := recordCount(p, false) + recordCount(p, true); n != 0 {
		t.Fatalf("%d contacts left", n)
	}
	for _, email := range []string{"a@x.com", "a2@x.com"} {
		if _, ok := p.findUnique("contact", "email", email); ok {
			t.Fatalf("%s still indexed", email)
		}
	}
	if _, err := p.createRecord("contact", map[string]string{"email": "A@x.com", "hs_additional_emails": "a2@x.com"}, at(2)); err != nil {
		t.Fatalf("a deleted contact's emails are not free: %v", err)
	}
}

// TestMergeAndDeleteSaveTheirRecords: a merge saves both records' rows
// (the merged one as removed), a delete the deleted one's.
func TestMergeAndDeleteSaveTheirRecords(t *testing.T) {
	s := newTestStore(t)
	p := s.Portal(1)
	a := mustCreate(t, p, "contact", nil)
	b := mustCreate(t, p, "contact", nil)
	rec := &recorder{}
	s.SetPersister(rec)
	p.saved = true
	if _, err := p.mergeRecords("contact", a, b, map[string]string{"firstname": "x"}); err != nil {
		t.Fatal(err)
	}
	p.deleteRecord("contact", a)
	p.deleteRecord("contact", a)
	want := []string{"records/contact/" + a, "records/contact/" + b, "records/contact/" + a}
	if !slices.Equal(rec.keys, want) {
		t.Fatalf("saved %v, want %v", rec.keys, want)
	}
}

func recordCount(p *Portal, archived bool) (n int) {
	p.View(func(v *View) { n = v.RecordCount("contact", archived) })
	return n
}

func partners(p *Portal, from RecordRef, toType string) (ids []string, count int) {
	p.View(func(v *View) {
		page, _ := v.Associations(from, toType, "", 100)
		for _, a := range page {
			ids = append(ids, a.ToID)
		}
		count = v.AssociationCount(from, toType)
	})
	return ids, count
}

// TestMergeMovesAssociations: the merged record's associations move to the
// primary (types combined where both had the same partner), partners'
// counts stay right, one between the two records goes, and a move over a
// limit fails the whole merge.
func TestMergeMovesAssociations(t *testing.T) {
	setup := func(t *testing.T) (p *Portal, a, b, x, y, d string) {
		p = newTestStore(t).Portal(1)
		a = mustCreate(t, p, "contact", map[string]string{"email": "a@x.com"})
		b = mustCreate(t, p, "contact", map[string]string{"email": "b@x.com"})
		x = mustCreate(t, p, "company", nil)
		y = mustCreate(t, p, "company", nil)
		d = mustCreate(t, p, "deal", nil)
		mustUpdate(t, p, func(tx *Tx) error {
			for _, pair := range [][2]RecordRef{
				{ref("contact", b), ref("company", x)},
				{ref("contact", b), ref("company", y)},
				{ref("contact", a), ref("company", y)},
				{ref("deal", d), ref("contact", b)},
				{ref("contact", a), ref("contact", b)},
			} {
				if _, _, err := tx.AssociateDefault(pair[0], pair[1]); err != nil {
					return err
				}
			}
			return nil
		})
		return
	}

	t.Run("moved", func(t *testing.T) {
		p, a, b, x, y, d := setup(t)
		if _, err := p.mergeRecords("contact", a, b, nil); err != nil {
			t.Fatal(err)
		}
		if ids, n := partners(p, ref("contact", a), "company"); !slices.Equal(ids, []string{x, y}) || n != 2 {
			t.Fatalf("a's companies %v (count %d), want %s, %s", ids, n, x, y)
		}
		for _, c := range []string{x, y} {
			if ids, n := partners(p, ref("company", c), "contact"); !slices.Equal(ids, []string{a}) || n != 1 {
				t.Fatalf("company %s's contacts %v (count %d), want only %s", c, ids, n, a)
			}
		}
		if ids, n := partners(p, ref("deal", d), "contact"); !slices.Equal(ids, []string{a}) || n != 1 {
			t.Fatalf("deal's contacts %v (count %d)", ids, n)
		}
		if ids, n := partners(p, ref("contact", a), "contact"); len(ids) != 0 || n != 0 {
			t.Fatalf("a is associated with %v (count %d) after merging its partner into it", ids, n)
		}
		for _, sa := range p.Snapshot().Associations {
			if sa.FromID == b || sa.ToID == b {
				t.Fatalf("an association of the merged record is left: %+v", sa)
			}
		}
	})

	t.Run("over a limit", func(t *testing.T) {
		p, a, b, _, _, _ := setup(t)
		setLimit(t, p, Pair{"contact", "company"}, HubSpotDefined, 279, 1)
		before := p.Snapshot()
		_, err := p.mergeRecords("contact", a, b, nil)
		if kindOf(err) != KindInvalid {
			t.Fatalf("err %v, want the limit's 400", err)
		}
		if !reflect.DeepEqual(p.Snapshot(), before) {
			t.Fatal("a refused merge changed the state")
		}
	})
}

// TestDeleteRecordRemovesAssociations: a deleted record's associations are
// gone, live or archived, and its partners' counts drop.
func TestDeleteRecordRemovesAssociations(t *testing.T) {
	p := newTestStore(t).Portal(1)
	a := mustCreate(t, p, "contact", nil)
	c := mustCreate(t, p, "contact", nil)
	x := mustCreate(t, p, "company", nil)
	mustUpdate(t, p, func(tx *Tx) error {
		for _, id := range []string{a, c} {
			if _, _, err := tx.AssociateDefault(ref("contact", id), ref("company", x)); err != nil {
				return err
			}
		}
		return nil
	})
	if err := p.archiveRecord("contact", c, at(1)); err != nil {
		t.Fatal(err)
	}
	p.deleteRecord("contact", a)
	p.deleteRecord("contact", c)
	if ids, n := partners(p, ref("company", x), "contact"); len(ids) != 0 || n != 0 {
		t.Fatalf("company's contacts %v (count %d)", ids, n)
	}
	if got := p.Snapshot().Associations; len(got) != 0 {
		t.Fatalf("associations left: %+v", got)
	}
	p.View(func(v *View) {
		if n := v.assocs().counts.Len(); n != 0 {
			t.Fatalf("%d counts left", n)
		}
	})
}
