package store

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/fixtures"
)

// sameAfterReload checks that what p saved reloads to p's state, and that
// p's export imports to the same export.
func sameAfterReload(t *testing.T, s *Store, fp *fakePersister, p *Portal) {
	t.Helper()
	want := p.Snapshot()
	if saved := fp.load(t, s, 9); !reflect.DeepEqual(saved, want) {
		t.Fatalf("saved\n%+v\nwant\n%+v", saved, want)
	}
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	again, err := DecodeSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	other := newTestStore(t)
	if err := other.Replace(9, again); err != nil {
		t.Fatalf("import of the export: %v", err)
	}
	if got := other.Portal(9).Snapshot(); !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip\n%+v\nwant\n%+v", got, want)
	}
	if got, w := pairIDs(other.Portal(9)), pairIDs(p); !reflect.DeepEqual(got, w) {
		t.Fatalf("pairs after the round trip %v, want %v", got, w)
	}
}

// TestObjectTypeLifecycle: a type the schemas API creates, changes,
// associates and deletes is at every step what a state document would
// hold, with ids from the portal's sequences.
func TestObjectTypeLifecycle(t *testing.T) {
	s := newTestStore(t)
	fp := &fakePersister{saved: map[int64]map[[2]string][]byte{}}
	s.SetPersister(fp)
	if err := s.Replace(9, &Snapshot{ObjectTypes: []CustomObjectType{customType("2-7", "car", "contact")}}); err != nil {
		t.Fatal(err)
	}
	p := s.Portal(9)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	def := CustomObjectType{
		Name: "boat", Labels: fixtures.CRMLabels{Singular: "Boat", Plural: "Boats"}, PrimaryDisplayProperty: "hull",
		RequiredProperties: []string{"hull"},
		Properties:         []fixtures.CRMProperty{{Name: "hull", Label: "Hull", Type: "string", FieldType: "text"}},
		AssociatedObjects:  []string{"contacts", "2-7", "p9_car"},
	}
	var created CustomObjectType
	mustUpdate(t, p, func(tx *Tx) error {
		var err error
		created, err = tx.CreateObjectType(def, now)
		return err
	})
	if created.ID != "2-8" {
		t.Fatalf("id %s, want 2-8 after 2-7", created.ID)
	}
	want := []CustomAssociation{{ToObjectType: "contact", TypeID: 103, InverseTypeID: 104}, {ToObjectType: "2-7", TypeID: 105, InverseTypeID: 106}}
	if !reflect.DeepEqual(created.Associations, want) || !reflect.DeepEqual(created.AssociatedObjects, []string{"contact", "2-7"}) {
		t.Fatalf("associations %+v / %v", created.Associations, created.AssociatedObjects)
	}
	sameAfterReload(t, s, fp, p)

	// Records of the new type associate with contacts by the pair's type.
	boat := mustCreate(t, p, "2-8", map[string]string{"hull": "steel"})
	contact := mustCreate(t, p, "contact", nil)
	mustUpdate(t, p, func(tx *Tx) error {
		fwd, _, err := tx.AssociateDefault(ref("2-8", boat), ref("contact", contact))
		if err == nil && fwd.TypeID != 103 {
			t.Errorf("associated with type %d, want 103", fwd.TypeID)
		}
		return err
	})

	mustUpdate(t, p, func(tx *Tx) error {
		a, err := tx.AddObjectTypeAssociation("boat", "company", now)
		if err == nil && a.TypeID != 107 {
			t.Errorf("company pair %+v, want 107", a)
		}
		return err
	})
	mustUpdate(t, p, func(tx *Tx) error {
		_, err := tx.UpdateObjectType("p9_boat", CustomTypePatch{Labels: &fixtures.CRMLabels{Singular: "Ship"}, SearchableProperties: &[]string{"hull"}}, now.Add(time.Hour))
		return err
	})
	sameAfterReload(t, s, fp, p)

	refusals := map[string]struct {
		fn   func(tx *Tx) error
		kind ErrorKind
		msg  string
	}{
		"duplicate name": {func(tx *Tx) error { _, err := tx.CreateObjectType(def, now); return err }, KindConflict, "already exists"},
		"bad name":       {func(tx *Tx) error { d := def; d.Name = "Bad name"; _, err := tx.CreateObjectType(d, now); return err }, KindInvalid, "letters, digits and underscores"},
		"unknown associated": {func(tx *Tx) error {
			d := def
			d.Name = "x"
			d.AssociatedObjects = []string{"nope"}
			_, err := tx.CreateObjectType(d, now)
			return err
		}, KindInvalid, "nope"},
		"unknown required": {func(tx *Tx) error {
			d := def
			d.Name = "x"
			d.RequiredProperties = []string{"nope"}
			_, err := tx.CreateObjectType(d, now)
			return err
		}, KindInvalid, "requiredProperties"},
		"records":      {func(tx *Tx) error { return tx.DeleteObjectType("2-8") }, KindInvalid, "records"},
		"used pair":    {func(tx *Tx) error { return tx.RemoveObjectTypeAssociation("2-8", 104, now) }, KindInvalid, "used by records"},
		"unknown pair": {func(tx *Tx) error { return tx.RemoveObjectTypeAssociation("2-8", 5, now) }, KindNotFound, "Unable to find association"},
		"unknown type": {func(tx *Tx) error { return tx.DeleteObjectType("2-99") }, KindNotFound, "Unable to find object type"},
	}
	for name, r := range refusals {
		err := p.Update(r.fn)
		if kindOf(err) != r.kind || !strings.Contains(Message(err), r.msg) {
			t.Errorf("%s: %v", name, err)
		}
	}

	mustUpdate(t, p, func(tx *Tx) error { return tx.RemoveObjectTypeAssociation("2-8", 108, now) })
	if _, ok := pairIDs(p)["2-8>company"]; ok {
		t.Fatal("the company pair is still there")
	}
	mustUpdate(t, p, func(tx *Tx) error {
		if _, err := tx.DeleteRecord("2-8", boat); err != nil {
			return err
		}
		return tx.DeleteObjectType("boat")
	})
	if got := pairIDs(p); len(got) != 2 {
		t.Fatalf("pairs after the delete %v, want car's only", got)
	}
	sameAfterReload(t, s, fp, p)
}

// FuzzCreateObjectType creates a type from arbitrary input, then associates
// it and deletes it: each step is refused or applied without panicking, and
// what is applied reloads and round-trips through an export.
func FuzzCreateObjectType(f *testing.F) {
	f.Add("boat", "contacts,2-7", "hull", "hull", "company")
	f.Add("Boat", "", "", "", "")
	f.Add("car", "p9_car", "nope", "", "2-7")
	f.Add("b", "boat,b,0-1", "hs_object_id", "hs_createdate", "p9_b")
	f.Fuzz(func(t *testing.T, name, associated, primary, required, more string) {
		s := newTestStore(t)
		fp := &fakePersister{saved: map[int64]map[[2]string][]byte{}}
		s.SetPersister(fp)
		if err := s.Replace(9, &Snapshot{ObjectTypes: []CustomObjectType{customType("2-7", "car", "contact")}}); err != nil {
			t.Fatal(err)
		}
		p := s.Portal(9)
		def := CustomObjectType{
			Name: name, Labels: fixtures.CRMLabels{Singular: "S", Plural: "P"}, PrimaryDisplayProperty: primary,
			Properties: []fixtures.CRMProperty{{Name: "hull", Label: "Hull", Type: "string", FieldType: "text"}},
		}
		if associated != "" {
			def.AssociatedObjects = strings.Split(associated, ",")
		}
		if required != "" {
			def.RequiredProperties = []string{required}
		}
		var id string
		if p.Update(func(tx *Tx) error {
			ct, err := tx.CreateObjectType(def, time.Unix(1, 0))
			id = ct.ID
			return err
		}) != nil {
			return
		}
		sameAfterReload(t, s, fp, p)
		if p.Update(func(tx *Tx) error { _, err := tx.AddObjectTypeAssociation(id, more, time.Unix(2, 0)); return err }) == nil {
			sameAfterReload(t, s, fp, p)
		}
		if err := p.Update(func(tx *Tx) error { return tx.DeleteObjectType(id) }); err != nil {
			t.Fatalf("delete of a type without records: %v", err)
		}
		sameAfterReload(t, s, fp, p)
	})
}
