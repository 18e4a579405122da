package store

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func ref(typ, id string) RecordRef { return RecordRef{Type: typ, ID: id} }

func typeIDs(ts []AssocType) []int32 {
	out := make([]int32, 0, len(ts))
	for _, t := range ts {
		out = append(out, t.TypeID)
	}
	return out
}

func mustUpdate(t testing.TB, p *Portal, fn func(tx *Tx) error) {
	t.Helper()
	if err := p.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func setLimit(t testing.TB, p *Portal, pair Pair, category string, typeID, max int32) {
	t.Helper()
	mustUpdate(t, p, func(tx *Tx) error {
		if _, ie := tx.ApplyLimit(LimitCreate, pair, LimitInput{Category: category, TypeID: typeID, Max: max}); ie != nil {
			t.Fatalf("limit: %+v", ie)
		}
		return nil
	})
}

// contextOf returns err's context value for key.
func contextOf(err error, key string) string {
	e, ok := err.(*Error)
	if !ok {
		return ""
	}
	return strings.Join(e.Context[key], ";")
}

func TestAssociationsAreTwoWay(t *testing.T) {
	p := newTestStore(t).Portal(1)
	deal := mustCreate(t, p, "deal", nil)
	contact := mustCreate(t, p, "contact", nil)
	var fwd, inv AssocType
	mustUpdate(t, p, func(tx *Tx) error {
		var err error
		fwd, inv, err = tx.AssociateDefault(ref("deal", deal), ref("contact", contact))
		return err
	})
	if fwd.TypeID != 3 || inv.TypeID != 4 {
		t.Fatalf("default types %d/%d, want 3/4", fwd.TypeID, inv.TypeID)
	}
	p.View(func(v *View) {
		if got := typeIDs(v.AssociationTypesBetween(ref("contact", contact), ref("deal", deal))); !reflect.DeepEqual(got, []int32{4}) {
			t.Fatalf("from the contact: %v", got)
		}
		page, next := v.Associations(ref("contact", contact), "deal", "", 10)
		if len(page) != 1 || page[0].ToID != deal || next != "" {
			t.Fatalf("list %+v %q", page, next)
		}
	})
	// Labeled: the request's labels replace the old ones; unlabeled kept.
	var labels []AssocType
	mustUpdate(t, p, func(tx *Tx) error {
		var err error
		labels, err = tx.CreateLabel(Pair{"deal", "contact"}, LabelInput{Name: "buyer", Label: "Buyer"})
		if err != nil {
			return err
		}
		more, err := tx.CreateLabel(Pair{"deal", "contact"}, LabelInput{Name: "seller", Label: "Seller"})
		labels = append(labels, more...)
		return err
	})
	buyer, seller := labels[0].TypeID, labels[2].TypeID
	set := func(ids ...int32) []int32 {
		var specs []AssocSpec
		for _, id := range ids {
			specs = append(specs, AssocSpec{Category: UserDefined, TypeID: id})
		}
		var got []AssocType
		mustUpdate(t, p, func(tx *Tx) error {
			var err error
			got, err = tx.Associate(ref("deal", deal), ref("contact", contact), specs, AssocSetLabels)
			return err
		})
		return typeIDs(got)
	}
	if got := set(buyer); !reflect.DeepEqual(got, []int32{3, buyer}) {
		t.Fatalf("labels %v", got)
	}
	if got := set(seller); !reflect.DeepEqual(got, []int32{3, seller}) {
		t.Fatalf("replaced labels %v", got)
	}
	p.View(func(v *View) {
		inverse, _ := v.InverseType(Pair{"deal", "contact"}, seller)
		if got := typeIDs(v.AssociationTypesBetween(ref("contact", contact), ref("deal", deal))); !reflect.DeepEqual(got, []int32{4, inverse.TypeID}) {
			t.Fatalf("inverse labels %v", got)
		}
	})
	// A label in use cannot be deleted.
	if err := p.Update(func(tx *Tx) error { return tx.DeleteLabel(Pair{"deal", "contact"}, seller) }); kindOf(err) != KindInvalid {
		t.Fatalf("deleting a used label: %v", err)
	}
	// Labels archive removes only the listed type; the unlabeled type all.
	mustUpdate(t, p, func(tx *Tx) error {
		return tx.RemoveAssociationTypes(ref("deal", deal), ref("contact", contact), []AssocSpec{{UserDefined, seller}})
	})
	p.View(func(v *View) {
		if got := typeIDs(v.AssociationTypesBetween(ref("deal", deal), ref("contact", contact))); !reflect.DeepEqual(got, []int32{3}) {
			t.Fatalf("after labels archive %v", got)
		}
	})
	mustUpdate(t, p, func(tx *Tx) error { return tx.DeleteLabel(Pair{"deal", "contact"}, seller) })
	mustUpdate(t, p, func(tx *Tx) error {
		return tx.RemoveAssociationTypes(ref("deal", deal), ref("contact", contact), []AssocSpec{{HubSpotDefined, 3}})
	})
	p.View(func(v *View) {
		if got := v.AssociationTypesBetween(ref("contact", contact), ref("deal", deal)); got != nil {
			t.Fatalf("after removing the unlabeled type %v", got)
		}
	})
}

func TestAssociationRefusals(t *testing.T) {
	p := newTestStore(t).Portal(1)
	deal := mustCreate(t, p, "deal", nil)
	contact := mustCreate(t, p, "contact", nil)
	gone := mustCreate(t, p, "contact", nil)
	if err := p.archiveRecord("contact", gone, t0); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		to       RecordRef
		specs    []AssocSpec
		key, val string
	}{
		{"an unknown record", ref("contact", "99"), nil, "INVALID_OBJECT_IDS", "CONTACT=99 is not valid"},
		{"an archived record", ref("contact", gone), nil, "INVALID_OBJECT_IDS", "CONTACT=" + gone + " is not valid"},
		{"a type of another pair", ref("contact", contact), []AssocSpec{{HubSpotDefined, 279}}, "INVALID_ASSOCIATION_TYPE_ID", "HUBSPOT_DEFINED=279 is not a valid association definition id"},
		{"the wrong category", ref("contact", contact), []AssocSpec{{UserDefined, 3}}, "associationSpec", "USER_DEFINED=3"},
		{"an unknown label", ref("contact", contact), []AssocSpec{{UserDefined, 777}}, "INVALID_ASSOCIATION_TYPE_ID", "USER_DEFINED=777 is not a valid association definition id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := p.Update(func(tx *Tx) error {
				_, err := tx.Associate(ref("deal", deal), tc.to, tc.specs, AssocAdd)
				return err
			})
			if kindOf(err) != KindInvalid || Message(err) != MsgAssociationsInvalid || contextOf(err, tc.key) != tc.val {
				t.Fatalf("got %v with context %+v", err, err)
			}
		})
	}
}

func TestAssociationLimits(t *testing.T) {
	p := newTestStore(t).Portal(1)
	deals := []string{mustCreate(t, p, "deal", nil), mustCreate(t, p, "deal", nil)}
	var contacts []string
	for range 4 {
		contacts = append(contacts, mustCreate(t, p, "contact", nil))
	}
	setLimit(t, p, Pair{"deal", "contact"}, HubSpotDefined, 3, 2)
	setLimit(t, p, Pair{"contact", "deal"}, HubSpotDefined, 4, 1)
	associate := func(deal, contact string) error {
		return p.Update(func(tx *Tx) error {
			_, _, err := tx.AssociateDefault(ref("deal", deal), ref("contact", contact))
			return err
		})
	}
	for _, c := range contacts[:2] {
		if err := associate(deals[0], c); err != nil {
			t.Fatal(err)
		}
	}
	// Re-sending an association never fails.
	if err := associate(deals[0], contacts[0]); err != nil {
		t.Fatalf("re-sent: %v", err)
	}
	err := associate(deals[0], contacts[2])
	want := "DEAL=" + deals[0] + " may have at most 2 contact associations of type HUBSPOT_DEFINED=3"
	if contextOf(err, "ASSOCIATION_LIMIT_EXCEEDED") != want || contextOf(err, "objectId") != deals[0] || contextOf(err, "objectType") != "DEAL" {
		t.Fatalf("third contact: %v %+v", err, err)
	}
	// The inverse direction: contacts[0] already has its one deal.
	err = associate(deals[1], contacts[0])
	if want := "CONTACT=" + contacts[0] + " may have at most 1 deal associations of type HUBSPOT_DEFINED=4"; contextOf(err, "ASSOCIATION_LIMIT_EXCEEDED") != want {
		t.Fatalf("inverse: %v", contextOf(err, "ASSOCIATION_LIMIT_EXCEEDED"))
	}
	// An archived partner no longer counts, and is hidden.
	if err := p.archiveRecord("contact", contacts[1], t0); err != nil {
		t.Fatal(err)
	}
	if err := associate(deals[0], contacts[2]); err != nil {
		t.Fatalf("after archiving a partner: %v", err)
	}
	p.View(func(v *View) {
		page, _ := v.Associations(ref("deal", deals[0]), "contact", "", 10)
		var ids []string
		for _, a := range page {
			ids = append(ids, a.ToID)
		}
		if !reflect.DeepEqual(ids, []string{contacts[0], contacts[2]}) || v.AssociationCount(ref("deal", deals[0]), "contact") != 2 {
			t.Fatalf("partners %v", ids)
		}
	})
	// Lowering a limit below usage changes nothing stored.
	mustUpdate(t, p, func(tx *Tx) error {
		_, ie := tx.ApplyLimit(LimitUpdate, Pair{"deal", "contact"}, LimitInput{Category: HubSpotDefined, TypeID: 3, Max: 1})
		if ie != nil {
			t.Fatalf("%+v", ie)
		}
		return nil
	})
	p.View(func(v *View) {
		if v.AssociationCount(ref("deal", deals[0]), "contact") != 2 {
			t.Fatal("lowering a limit changed associations")
		}
	})
	// The hard ceiling applies without a configured limit.
	p.cfg.MaxAssociationsPerPair = 1
	c := mustCreate(t, p, "company", nil)
	mustUpdate(t, p, func(tx *Tx) error {
		_, _, err := tx.AssociateDefault(ref("company", c), ref("contact", contacts[3]))
		return err
	})
	err = p.Update(func(tx *Tx) error {
		_, _, err := tx.AssociateDefault(ref("company", c), ref("contact", contacts[2]))
		return err
	})
	if !strings.Contains(contextOf(err, "ASSOCIATION_LIMIT_EXCEEDED"), "at most 1 contact") {
		t.Fatalf("hard ceiling: %v", err)
	}
}

func TestAssociationLabelLimit(t *testing.T) {
	p := newTestStore(t).Portal(1)
	deal := mustCreate(t, p, "deal", nil)
	a, b := mustCreate(t, p, "contact", nil), mustCreate(t, p, "contact", nil)
	var label int32
	mustUpdate(t, p, func(tx *Tx) error {
		ts, err := tx.CreateLabel(Pair{"deal", "contact"}, LabelInput{Name: "decider", Label: "Decider"})
		label = ts[0].TypeID
		return err
	})
	setLimit(t, p, Pair{"deal", "contact"}, UserDefined, label, 1)
	assoc := func(c string) error {
		return p.Update(func(tx *Tx) error {
			_, err := tx.Associate(ref("deal", deal), ref("contact", c), []AssocSpec{{UserDefined, label}}, AssocAdd)
			return err
		})
	}
	if err := assoc(a); err != nil {
		t.Fatal(err)
	}
	err := assoc(b)
	if want := "DEAL=" + deal + " may have at most 1 contact associations of type USER_DEFINED=" + strconv.Itoa(int(label)); contextOf(err, "ASSOCIATION_LIMIT_EXCEEDED") != want {
		t.Fatalf("label limit: %v", contextOf(err, "ASSOCIATION_LIMIT_EXCEEDED"))
	}
	// Unlabeled is still allowed.
	if err := p.Update(func(tx *Tx) error {
		_, _, err := tx.AssociateDefault(ref("deal", deal), ref("contact", b))
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func TestAssociationPagingAndPersistence(t *testing.T) {
	s := newTestStore(t)
	fp := &fakePersister{saved: map[int64]map[[2]string][]byte{}}
	s.SetPersister(fp)
	p := s.Portal(2)
	company := mustCreate(t, p, "company", nil)
	var contacts []string
	for range 5 {
		c := mustCreate(t, p, "contact", nil)
		contacts = append(contacts, c)
		mustUpdate(t, p, func(tx *Tx) error {
			_, err := tx.Associate(ref("company", company), ref("contact", c), []AssocSpec{{HubSpotDefined, 2}}, AssocAdd)
			return err
		})
	}
	var got []string
	after := ""
	p.View(func(v *View) {
		for range 10 {
			page, next := v.Associations(ref("company", company), "contact", after, 2)
			for _, a := range page {
				got = append(got, a.ToID)
			}
			if next == "" {
				break
			}
			after = next
		}
	})
	if !reflect.DeepEqual(got, contacts) {
		t.Fatalf("paged %v, want %v", got, contacts)
	}
	snap := p.Snapshot()
	total := 0
	p.View(func(v *View) { total = v.AssociationTotal() })
	if len(snap.Associations) != 5 || total != 5 {
		t.Fatalf("exported %+v", snap.Associations)
	}
	data, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := DecodeSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	other := newTestStore(t)
	if err := other.Replace(2, dec); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]Snapshot{"import": other.Portal(2).Snapshot(), "saved rows": fp.load(t, s, 2)} {
		if !reflect.DeepEqual(got, snap) {
			t.Fatalf("%s:\n%+v\nwant\n%+v", name, got.Associations, snap.Associations)
		}
	}
	// Counts are rebuilt on import.
	other.Portal(2).View(func(v *View) {
		if v.AssociationCount(ref("contact", contacts[0]), "company") != 1 || v.AssociationCount(ref("company", company), "contact") != 5 {
			t.Fatal("counts not rebuilt")
		}
	})
	bad := `{"associations":[{"fromObjectType":"company","fromObjectId":"` + company + `","toObjectType":"contacts","toObjectId":"1"}]}`
	dec, err = DecodeSnapshot([]byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	if err := newTestStore(t).Replace(2, dec); kindOf(err) != KindInvalid || !strings.Contains(Message(err), "is not a record of the document") {
		t.Fatalf("dangling association: %v", err)
	}
}

// TestSameObjectLimit: between an object type and itself the unlabeled
// type is its own inverse, so one limit binds both records of a pair
// (HUBSPOT.md §11).
func TestSameObjectLimit(t *testing.T) {
	p := newTestStore(t).Portal(1)
	a, b, c := mustCreate(t, p, "contact", nil), mustCreate(t, p, "contact", nil), mustCreate(t, p, "contact", nil)
	setLimit(t, p, Pair{"contact", "contact"}, HubSpotDefined, 449, 1)
	assoc := func(x, y string) error {
		return p.Update(func(tx *Tx) error {
			_, _, err := tx.AssociateDefault(ref("contact", x), ref("contact", y))
			return err
		})
	}
	if err := assoc(a, b); err != nil {
		t.Fatal(err)
	}
	p.View(func(v *View) {
		if got := typeIDs(v.AssociationTypesBetween(ref("contact", b), ref("contact", a))); !reflect.DeepEqual(got, []int32{449}) {
			t.Fatalf("inverse of 449: %v", got)
		}
	})
	// a is at its limit as the first record, b as the second.
	for _, pair := range [][2]string{{a, c}, {c, b}} {
		if err := assoc(pair[0], pair[1]); contextOf(err, "ASSOCIATION_LIMIT_EXCEEDED") == "" {
			t.Fatalf("%s to %s: %v", pair[0], pair[1], err)
		}
	}
}
