package store

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/fixtures"
)

// customType is a custom object type with one text property, associated
// with what associated names (nil: the default types).
func customType(id, name string, associated ...string) CustomObjectType {
	return CustomObjectType{
		ID: id, Name: name, Labels: fixtures.CRMLabels{Singular: name, Plural: name + "s"}, PrimaryDisplayProperty: "name",
		Properties:        []fixtures.CRMProperty{{Name: "name", Label: "Name", Type: "string", FieldType: "text"}},
		AssociatedObjects: associated,
	}
}

// pairIDs is every custom pair of portal p: "from>to" -> typeId.
func pairIDs(p *Portal) map[string]int32 {
	out := map[string]int32{}
	p.View(func(v *View) {
		if cp := v.schemaTypes().pairs; cp != nil {
			for pair, id := range cp.unlabeled {
				out[pair.From+">"+pair.To] = id
			}
		}
	})
	return out
}

// TestCustomPairsOfDocuments: what pairs, with what ids, a document gives
// its custom object types, and what it may not give them.
func TestCustomPairsOfDocuments(t *testing.T) {
	car := customType("2-7", "car", "contacts")
	boat := customType("2-8", "boat", "2-7", "p9_car")
	pinned := customType("2-7", "car")
	pinned.Associations = []CustomAssociation{{ToObjectType: "contact", TypeID: 2000, InverseTypeID: 2001}}
	pinnedPlus := pinned
	pinnedPlus.AssociatedObjects = []string{"company"}
	tests := []struct {
		name  string
		snap  Snapshot
		want  map[string]int32
		next  int32  // the typeId sequence afterwards
		error string // a part of the refusal
	}{
		{"the default types", Snapshot{ObjectTypes: []CustomObjectType{customType("2-7", "car")}},
			// 100 is HubSpot's (feedback submission to ticket).
			map[string]int32{"2-7>contact": 101, "contact>2-7": 102, "2-7>company": 103, "company>2-7": 104, "2-7>deal": 105, "deal>2-7": 106, "2-7>ticket": 107, "ticket>2-7": 108}, 109, ""},
		{"none", Snapshot{ObjectTypes: []CustomObjectType{customType("2-7", "car", []string{}...)}}, map[string]int32{}, 100, ""},
		{"two custom types, one pairing between them, one type with itself", Snapshot{ObjectTypes: []CustomObjectType{car, boat, customType("2-9", "part", "2-9")}},
			map[string]int32{"2-7>contact": 101, "contact>2-7": 102, "2-8>2-7": 103, "2-7>2-8": 104, "2-9>2-9": 105}, 106, ""},
		{"after the labels' ids", Snapshot{ObjectTypes: []CustomObjectType{car}, Labels: []SnapshotLabel{{Name: "boss", From: "contact", To: "company", TypeID: 101, Label: "Boss", InverseTypeID: 102}}},
			map[string]int32{"2-7>contact": 103, "contact>2-7": 104}, 105, ""},
		{"after the document's sequence", Snapshot{NextTypeID: 3000, ObjectTypes: []CustomObjectType{car}}, map[string]int32{"2-7>contact": 3000, "contact>2-7": 3001}, 3002, ""},
		{"ids the document gives", Snapshot{ObjectTypes: []CustomObjectType{pinned}}, map[string]int32{"2-7>contact": 2000, "contact>2-7": 2001}, 2002, ""},
		{"ids given and a pair declared", Snapshot{ObjectTypes: []CustomObjectType{pinnedPlus}},
			map[string]int32{"2-7>contact": 2000, "contact>2-7": 2001, "2-7>company": 2002, "company>2-7": 2003}, 2004, ""},
		{"an unknown type", Snapshot{ObjectTypes: []CustomObjectType{customType("2-7", "car", "widgets")}}, nil, 0, `objectTypes[0].associatedObjects[0]: unknown object type "widgets"`},
		{"a custom type the document does not define", Snapshot{ObjectTypes: []CustomObjectType{customType("2-7", "car", "2-99")}}, nil, 0, `unknown object type "2-99"`},
		{"a HubSpot-defined id", Snapshot{ObjectTypes: []CustomObjectType{withPins(pinned, CustomAssociation{"contact", 1, 2100})}}, nil, 0, "typeId 1 is already a HubSpot-defined association type or a label"},
		{"a label's id", Snapshot{ObjectTypes: []CustomObjectType{pinned}, Labels: []SnapshotLabel{{Name: "boss", From: "contact", To: "company", TypeID: 2000, Label: "Boss", InverseTypeID: 1510}}},
			nil, 0, "typeId 2000 is already a HubSpot-defined association type or a label"},
		{"one id for two pairs", Snapshot{ObjectTypes: []CustomObjectType{withPins(pinned, CustomAssociation{"contact", 2000, 2001}, CustomAssociation{"company", 2001, 2002})}}, nil, 0, "typeId 2001 is already the association type from contact to 2-7"},
		{"both types give other ids", Snapshot{ObjectTypes: []CustomObjectType{
			withPins(customType("2-7", "car"), CustomAssociation{"2-8", 2000, 2001}),
			withPins(customType("2-8", "boat"), CustomAssociation{"2-7", 2100, 2101})}}, nil, 0, "2-8 to 2-7 already has typeIds 2001 and 2000"},
		{"a type and itself with two ids", Snapshot{ObjectTypes: []CustomObjectType{withPins(customType("2-7", "car"), CustomAssociation{"2-7", 2000, 2001})}}, nil, 0, "remove inverseTypeId"},
		{"no inverse id", Snapshot{ObjectTypes: []CustomObjectType{withPins(customType("2-7", "car"), CustomAssociation{"contact", 2000, 0})}}, nil, 0, "inverseTypeId must be between 1 and"},
		{"an id out of range", Snapshot{ObjectTypes: []CustomObjectType{withPins(customType("2-7", "car"), CustomAssociation{"contact", -1, 5})}}, nil, 0, "typeId must be between 1 and"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestStore(t)
			err := s.Replace(9, &tc.snap)
			if tc.error != "" {
				if err == nil || !strings.Contains(detailsOf(err), tc.error) {
					t.Fatalf("error %v (%s), want one with %q", err, detailsOf(err), tc.error)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v: %s", err, detailsOf(err))
			}
			p := s.Portal(9)
			if got := pairIDs(p); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("pairs %v, want %v", got, tc.want)
			}
			exported := p.Snapshot()
			if exported.NextTypeID != tc.next {
				t.Fatalf("next typeId %d, want %d", exported.NextTypeID, tc.next)
			}
			// The export names every pair with its ids: importing it, or
			// what was saved of it, gives the same pairs.
			data, err := json.Marshal(exported)
			if err != nil {
				t.Fatal(err)
			}
			again, err := DecodeSnapshot(data)
			if err != nil {
				t.Fatal(err)
			}
			other := newTestStore(t)
			if err := other.Replace(9, again); err != nil {
				t.Fatalf("reimport: %v: %s", err, detailsOf(err))
			}
			if got := pairIDs(other.Portal(9)); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("reimported pairs %v, want %v", got, tc.want)
			}
			if !reflect.DeepEqual(other.Portal(9).Snapshot(), exported) {
				t.Fatalf("reimport exports\n%+v\nwant\n%+v", other.Portal(9).Snapshot(), exported)
			}
		})
	}
}

func withPins(ct CustomObjectType, pins ...CustomAssociation) CustomObjectType {
	ct.Associations = pins
	return ct
}

// detailsOf joins the messages of a store error's details.
func detailsOf(err error) string {
	e, ok := err.(*Error)
	if !ok || e == nil {
		return ""
	}
	var out []string
	for _, d := range e.Details {
		out = append(out, d.Message)
	}
	return strings.Join(out, "; ")
}

// TestCustomPairsAfterLabels: a label created later takes ids after the
// pairs', and a saved state reloads to the same pairs and labels.
func TestCustomPairsAfterLabels(t *testing.T) {
	s := newTestStore(t)
	fp := &fakePersister{saved: map[int64]map[[2]string][]byte{}}
	s.SetPersister(fp)
	if err := s.Replace(9, &Snapshot{ObjectTypes: []CustomObjectType{customType("2-7", "car", "contact")}}); err != nil {
		t.Fatal(err)
	}
	p := s.Portal(9)
	created, err := p.CreateLabel(Pair{"2-7", "contact"}, LabelInput{Name: "driver", Label: "Driver", InverseLabel: ptr("Car")})
	if err != nil {
		t.Fatal(err)
	}
	if got := typeIDs(created); !reflect.DeepEqual(got, []int32{103, 104}) {
		t.Fatalf("label ids %v, want 103/104 after the pair's 101/102", got)
	}
	labels := typeIDs(p.Labels(Pair{"2-7", "contact"}))
	if !reflect.DeepEqual(labels, []int32{101, 103}) {
		t.Fatalf("types of the pair %v", labels)
	}
	// Editing the type's definitions keeps its pairs.
	mustUpdate(t, p, func(tx *Tx) error {
		_, err := tx.CreatePropertyGroup("2-7", PropertyGroupInfo{Name: "specs", Label: "Specs"})
		return err
	})
	if got := pairIDs(p); got["2-7>contact"] != 101 {
		t.Fatalf("pairs after a schema edit %v", got)
	}
	saved := fp.load(t, s, 9)
	if !reflect.DeepEqual(saved, p.Snapshot()) {
		t.Fatalf("saved\n%+v\nwant\n%+v", saved, p.Snapshot())
	}
	// The default type is not a label: it cannot be changed or deleted.
	for name, err := range map[string]error{
		"update": p.UpdateLabel(Pair{"2-7", "contact"}, 101, "X", nil),
		"delete": p.DeleteLabel(Pair{"contact", "2-7"}, 102),
	} {
		if kindOf(err) != KindInvalid || !strings.Contains(Message(err), "default association type from") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestCustomPairAssociations: records of a custom object type associate
// with those of the types it declares like any others: both ways, with
// labels, under limits, hidden when archived.
func TestCustomPairAssociations(t *testing.T) {
	s := newTestStore(t)
	if err := s.Replace(9, &Snapshot{ObjectTypes: []CustomObjectType{customType("2-7", "car", "contact", "2-7")}}); err != nil {
		t.Fatal(err)
	}
	p := s.Portal(9)
	carToContact := Pair{"2-7", "contact"}
	cars := []string{mustCreate(t, p, "2-7", nil), mustCreate(t, p, "2-7", nil), mustCreate(t, p, "2-7", nil)}
	contact := mustCreate(t, p, "contact", nil)
	company := mustCreate(t, p, "company", nil)

	var fwd, inv AssocType
	mustUpdate(t, p, func(tx *Tx) error {
		var err error
		fwd, inv, err = tx.AssociateDefault(ref("2-7", cars[0]), ref("contact", contact))
		return err
	})
	if fwd.TypeID != 101 || inv.TypeID != 102 || fwd.Category != UserDefined || inv.Category != UserDefined || fwd.Label != nil {
		t.Fatalf("default types %+v / %+v", fwd, inv)
	}
	p.View(func(v *View) {
		if got := typeIDs(v.AssociationTypesBetween(ref("contact", contact), ref("2-7", cars[0]))); !reflect.DeepEqual(got, []int32{102}) {
			t.Fatalf("from the contact: %v", got)
		}
		if n := v.AssociationCount(ref("contact", contact), "2-7"); n != 1 {
			t.Fatalf("contact counts %d cars", n)
		}
		// v3 names: the type's own name (HUBSPOT-RECORDS.md §5.2).
		if a, b := v.AssocTypeName(fwd), v.AssocTypeName(inv); a != "car_to_contact" || b != "contact_to_car" {
			t.Fatalf("names %q, %q", a, b)
		}
		if got, ok := v.AssocTypeByName(carToContact.Reverse(), "CONTACT_TO_CAR"); !ok || got.TypeID != 102 {
			t.Fatalf("by name: %+v %v", got, ok)
		}
		// A record create names the type by category and id.
		if got, err := v.AssocTypeFrom("contact", AssocSpec{UserDefined, 102}); err != nil || got.Pair != carToContact.Reverse() {
			t.Fatalf("type from a contact: %+v %v", got, err)
		}
		if _, err := v.AssocTypeFrom("contact", AssocSpec{HubSpotDefined, 102}); contextOf(err, "INVALID_ASSOCIATION_TYPE_ID") == "" {
			t.Fatalf("the wrong category: %v", err)
		}
	})

	// Pairs the type does not declare cannot be associated.
	err := p.Update(func(tx *Tx) error {
		_, _, err := tx.AssociateDefault(ref("2-7", cars[0]), ref("company", company))
		return err
	})
	if kindOf(err) != KindInvalid {
		t.Fatalf("a pair the type does not declare: %v", err)
	}

	// A type with itself: one type, both ways.
	mustUpdate(t, p, func(tx *Tx) error {
		f, i, err := tx.AssociateDefault(ref("2-7", cars[1]), ref("2-7", cars[2]))
		if err == nil && (f.TypeID != i.TypeID || f.TypeID != 103) {
			t.Errorf("self types %d/%d", f.TypeID, i.TypeID)
		}
		return err
	})

	// A limit on the contact side (typeId 102: contact to car) binds.
	setLimit(t, p, carToContact.Reverse(), UserDefined, 102, 2)
	mustUpdate(t, p, func(tx *Tx) error {
		_, _, err := tx.AssociateDefault(ref("2-7", cars[1]), ref("contact", contact))
		return err
	})
	err = p.Update(func(tx *Tx) error {
		_, _, err := tx.AssociateDefault(ref("2-7", cars[2]), ref("contact", contact))
		return err
	})
	if got := contextOf(err, "ASSOCIATION_LIMIT_EXCEEDED"); !strings.Contains(got, "may have at most 2 2-7 associations of type USER_DEFINED=102") {
		t.Fatalf("over the limit: %v (%s)", err, got)
	}
	// An archived car leaves the count: the third fits.
	if err := p.archiveRecord("2-7", cars[0], at(5)); err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, p, func(tx *Tx) error {
		_, _, err := tx.AssociateDefault(ref("2-7", cars[2]), ref("contact", contact))
		return err
	})
	p.View(func(v *View) {
		page, _ := v.Associations(ref("contact", contact), "2-7", "", 10)
		if len(page) != 2 || page[0].ToID != cars[1] || page[1].ToID != cars[2] {
			t.Fatalf("the contact's cars %+v", page)
		}
	})
	// Merging the contact into another moves its cars, under the limit.
	second := mustCreate(t, p, "contact", nil)
	mustUpdate(t, p, func(tx *Tx) error {
		_, err := tx.MergeRecords("contact", second, contact, nil, at(6))
		return err
	})
	p.View(func(v *View) {
		page, _ := v.Associations(ref("contact", second), "2-7", "", 10)
		if len(page) != 2 || typeIDs(page[0].Types)[0] != 102 {
			t.Fatalf("the merged contact's cars %+v", page)
		}
	})
	// The export lists the limit with the pair's category.
	for _, l := range p.Snapshot().Limits {
		if l.TypeID == 102 && l.Category != UserDefined {
			t.Fatalf("exported limit %+v", l)
		}
	}
}

// TestCustomPairDocuments: a document's associations, labels and limits
// may use the custom pairs it declares.
func TestCustomPairDocuments(t *testing.T) {
	s := newTestStore(t)
	snap := &Snapshot{
		ObjectTypes:   []CustomObjectType{customType("2-7", "car", "contact")},
		NextRecordIDs: map[string]int64{},
		Records: []SnapshotRecord{
			{ObjectType: "2-7", ID: "1", CreatedAt: t0, UpdatedAt: t0, Properties: map[string]string{"name": "a"}},
			{ObjectType: "contact", ID: "2", CreatedAt: t0, UpdatedAt: t0, Properties: map[string]string{}},
		},
		Labels:       []SnapshotLabel{{Name: "driver", From: "2-7", To: "contact", TypeID: 150, Label: "Driver", InverseTypeID: 151}},
		Limits:       []SnapshotLimit{{From: "2-7", To: "contact", TypeID: 152, Max: 3}, {From: "2-7", To: "contact", Category: UserDefined, TypeID: 150, Max: 1}},
		Associations: []SnapshotAssociation{{From: "contact", FromID: "2", To: "2-7", ToID: "1", TypeIDs: []int32{151}}},
	}
	if err := s.Replace(9, snap); err != nil {
		t.Fatalf("%v: %s", err, detailsOf(err))
	}
	p := s.Portal(9)
	// The pair's ids follow the label's (the sequence resumes after them).
	p.View(func(v *View) {
		if got := typeIDs(v.AssociationTypesBetween(ref("2-7", "1"), ref("contact", "2"))); !reflect.DeepEqual(got, []int32{150, 152}) {
			t.Fatalf("imported association %v", got)
		}
	})
	if got := p.Limits(Pair{"2-7", "contact"}); len(got) != 2 || got[1].TypeID != 152 || got[1].Category != UserDefined || got[1].Label != nil {
		t.Fatalf("limits %+v", got)
	}
	// A label limit above the pair's limit is refused, as on standard pairs.
	snap.Limits[1].Max = 5
	if err := s.Replace(9, snap); err == nil || !strings.Contains(detailsOf(err), "exceeds the limit of 3 on the unlabeled typeId 152") {
		t.Fatalf("label limit above the pair's: %v", err)
	}
	// Undeclared pairs still cannot hold associations.
	snap.Limits = nil
	snap.ObjectTypes[0].AssociatedObjects = []string{"company"}
	if err := s.Replace(9, snap); err == nil || !strings.Contains(detailsOf(err), "records of contact and 2-7 cannot be associated") {
		t.Fatalf("an undeclared pair: %v: %s", err, detailsOf(err))
	}
}

// FuzzCustomPairs feeds arbitrary object type declarations to the import:
// it must refuse or accept them without panicking, and what it accepts
// must export to a document that imports to the same state.
func FuzzCustomPairs(f *testing.F) {
	f.Add(`[{"id":"2-7","name":"car","labels":{"singular":"Car","plural":"Cars"},"properties":[]}]`)
	f.Add(`[{"id":"2-7","name":"car","labels":{"singular":"Car","plural":"Cars"},"properties":[],"associatedObjects":["contacts","2-8","2-7"]},` +
		`{"id":"2-8","name":"boat","labels":{"singular":"Boat","plural":"Boats"},"properties":[],"associatedObjects":["2-7"],"associations":[{"toObjectType":"2-7","typeId":7,"inverseTypeId":9}]}]`)
	f.Add(`[{"id":"2-7","name":"car","labels":{"singular":"Car","plural":"Cars"},"properties":[],"associations":[{"toObjectType":"company","typeId":2147483647,"inverseTypeId":1}]}]`)
	s := newTestStore(f)
	f.Fuzz(func(t *testing.T, objectTypes string) {
		snap, err := DecodeSnapshot([]byte(`{"objectTypes":` + objectTypes + `}`))
		if err != nil {
			return
		}
		if err := s.Replace(1, snap); err != nil {
			return
		}
		exported := s.Portal(1).Snapshot()
		data, err := json.Marshal(exported)
		if err != nil {
			t.Fatal(err)
		}
		again, err := DecodeSnapshot(data)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Replace(1, again); err != nil {
			t.Fatalf("an accepted document's export is refused: %v: %s", err, detailsOf(err))
		}
		reexported := s.Portal(1).Snapshot()
		if !reflect.DeepEqual(reexported, exported) {
			t.Fatalf("round trip changed the state:\n%+v\n%+v", exported, reexported)
		}
	})
}
