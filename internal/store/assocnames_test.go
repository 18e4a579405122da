package store

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/fixtures"
)

func TestAssocTypeNames(t *testing.T) {
	s := newTestStore(t)
	p := s.Portal(1)
	if _, err := p.CreateLabel(Pair{"contact", "company"}, LabelInput{Name: "manager", Label: "Manager", InverseLabel: ptr("Employee")}); err != nil {
		t.Fatal(err)
	}
	created, err := p.CreateLabel(Pair{"deal", "deal"}, LabelInput{Name: "follow_up", Label: "Follow-up"})
	if err != nil {
		t.Fatal(err)
	}
	var manager, managerInverse AssocType
	p.View(func(v *View) {
		for _, l := range v.customTypes(Pair{"contact", "company"}) {
			manager = l
		}
		for _, l := range v.customTypes(Pair{"company", "contact"}) {
			managerInverse = l
		}
	})
	cases := []struct {
		pair   Pair
		typeID int32
		want   string
	}{
		{Pair{"contact", "company"}, 1, "contact_to_company"},
		{Pair{"contact", "company"}, 279, "contact_to_company_unlabeled"},
		{Pair{"contact", "company"}, 931, "billing_contact_to_company"},
		{Pair{"company", "contact"}, 2, "company_to_contact"},
		{Pair{"company", "contact"}, 280, "company_to_contact_unlabeled"},
		{Pair{"deal", "company"}, 5, "deal_to_company"},
		{Pair{"deal", "company"}, 341, "deal_to_company_unlabeled"},
		{Pair{"company", "deal"}, 342, "company_to_deal_unlabeled"},
		{Pair{"deal", "contact"}, 3, "deal_to_contact"},
		{Pair{"contact", "deal"}, 4, "contact_to_deal"},
		{Pair{"contact", "ticket"}, 15, "contact_to_ticket"},
		{Pair{"ticket", "contact"}, 16, "ticket_to_contact"},
		{Pair{"ticket", "company"}, 339, "ticket_to_company_unlabeled"},
		{Pair{"ticket", "deal"}, 28, "ticket_to_deal"},
		{Pair{"contact", "contact"}, 449, "contact_to_contact"},
		{Pair{"company", "company"}, 13, "parent_to_child_company"},
		{Pair{"company", "company"}, 14, "child_to_parent_company"},
		{Pair{"company", "company"}, 450, "company_to_company"},
		{Pair{"line_item", "deal"}, 20, "line_item_to_deal"},
		{Pair{"contact", "company"}, manager.TypeID, "manager"},
		{Pair{"company", "contact"}, managerInverse.TypeID, "manager"},
		{Pair{"deal", "deal"}, created[0].TypeID, "follow_up"},
	}
	p.View(func(v *View) {
		for _, tc := range cases {
			t.Run(tc.want+"/"+strconv.Itoa(int(tc.typeID)), func(t *testing.T) {
				var typ AssocType
				for _, l := range v.Labels(tc.pair) {
					if l.TypeID == tc.typeID {
						typ = l
					}
				}
				if typ.TypeID == 0 {
					t.Fatalf("%v has no type %d", tc.pair, tc.typeID)
				}
				if got := v.AssocTypeName(typ); got != tc.want {
					t.Fatalf("name = %q, want %q", got, tc.want)
				}
				for _, spelling := range []string{tc.want, strconv.Itoa(int(tc.typeID))} {
					got, ok := v.AssocTypeByName(tc.pair, spelling)
					if !ok || got.TypeID != tc.typeID {
						t.Fatalf("AssocTypeByName(%v, %q) = %v, %v", tc.pair, spelling, got, ok)
					}
				}
			})
		}
	})
}

// TestAssocTypeNamesRoundTripOverFixtures checks every HubSpot-defined type
// of the fixtures: its name is unique on its pair and resolves back to it.
func TestAssocTypeNamesRoundTripOverFixtures(t *testing.T) {
	rows, err := fixtures.AssociationTypes()
	if err != nil {
		t.Fatal(err)
	}
	s := newTestStore(t)
	s.Portal(1).View(func(v *View) {
		seen := map[Pair]map[string]int32{}
		for _, r := range rows {
			pair := Pair{r.From, r.To}
			var typ AssocType
			for _, l := range v.Labels(pair) {
				if l.TypeID == r.TypeID {
					typ = l
				}
			}
			name := v.AssocTypeName(typ)
			if seen[pair] == nil {
				seen[pair] = map[string]int32{}
			}
			if other, dup := seen[pair][name]; dup {
				t.Errorf("%v: %d and %d are both named %q", pair, other, r.TypeID, name)
			}
			seen[pair][name] = r.TypeID
			if got, ok := v.AssocTypeByName(pair, name); !ok || got.TypeID != r.TypeID {
				t.Errorf("%v %q resolves to %v, %v; want %d", pair, name, got, ok, r.TypeID)
			}
		}
	})
}

func TestAssocTypeByNameRefusals(t *testing.T) {
	s := newTestStore(t)
	s.Portal(1).View(func(v *View) {
		for _, tc := range []struct {
			pair Pair
			name string
		}{
			{Pair{"contact", "company"}, "company_to_contact"}, // the other direction
			{Pair{"contact", "company"}, "4"},                  // an id of another pair
			{Pair{"contact", "company"}, ""},
			{Pair{"contact", "company"}, "contact_to_companyx"},
			{Pair{"contact", "company"}, "99999999999"},
			{Pair{"contact", "gadget"}, "contact_to_gadget"},
		} {
			if got, ok := v.AssocTypeByName(tc.pair, tc.name); ok {
				t.Errorf("AssocTypeByName(%v, %q) = %v, want refusal", tc.pair, tc.name, got)
			}
		}
	})
}

func TestAssocTypeFrom(t *testing.T) {
	s := newTestStore(t)
	p := s.Portal(1)
	created, err := p.CreateLabel(Pair{"contact", "company"}, LabelInput{Name: "manager", Label: "Manager", InverseLabel: ptr("Employee")})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		from     string
		spec     AssocSpec
		wantPair Pair
	}{
		{"unlabeled", "contact", AssocSpec{HubSpotDefined, 279}, Pair{"contact", "company"}},
		{"primary", "deal", AssocSpec{HubSpotDefined, 5}, Pair{"deal", "company"}},
		{"ticket to contact", "ticket", AssocSpec{HubSpotDefined, 16}, Pair{"ticket", "contact"}},
		{"label", "contact", AssocSpec{UserDefined, created[0].TypeID}, Pair{"contact", "company"}},
		{"label inverse", "company", AssocSpec{UserDefined, created[1].TypeID}, Pair{"company", "contact"}},
		{"other direction", "company", AssocSpec{HubSpotDefined, 279}, Pair{}},
		{"wrong category", "contact", AssocSpec{UserDefined, 279}, Pair{}},
		{"label as hubspot", "contact", AssocSpec{HubSpotDefined, created[0].TypeID}, Pair{}},
		{"unknown id", "contact", AssocSpec{HubSpotDefined, 99999}, Pair{}},
		{"unknown category", "contact", AssocSpec{"WORK", 279}, Pair{}},
	}
	p.View(func(v *View) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got, err := v.AssocTypeFrom(tc.from, tc.spec)
				if tc.wantPair == (Pair{}) {
					var se *Error
					if !errors.As(err, &se) || se.Kind != KindInvalid || se.Message != MsgAssociationsInvalid {
						t.Fatalf("err = %v", err)
					}
					spec := tc.spec.Category + "=" + strconv.Itoa(int(tc.spec.TypeID))
					want := map[string][]string{"associationSpec": {spec}, "INVALID_ASSOCIATION_TYPE_ID": {spec + " is not a valid association definition id"}}
					if !reflect.DeepEqual(se.Context, want) {
						t.Fatalf("context = %v", se.Context)
					}
					return
				}
				if err != nil || got.Pair != tc.wantPair || got.TypeID != tc.spec.TypeID {
					t.Fatalf("got %v, %v", got, err)
				}
			})
		}
	})
}

// FuzzAssocTypeByName: any name resolves or not without panicking, and a
// name that resolves is the type's own name (any case) or its id.
func FuzzAssocTypeByName(f *testing.F) {
	for _, s := range []string{"contact_to_company", "CONTACT_TO_COMPANY_UNLABELED", "279", "-1", "2147483648", "", "manager", "0279"} {
		f.Add(s)
	}
	s := newTestStore(f)
	p := s.Portal(1)
	if _, err := p.CreateLabel(Pair{"contact", "company"}, LabelInput{Name: "manager", Label: "Manager"}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string) {
		p.View(func(v *View) {
			got, ok := v.AssocTypeByName(Pair{"contact", "company"}, name)
			if !ok {
				return
			}
			if id, err := strconv.ParseInt(name, 10, 32); err == nil {
				if int32(id) != got.TypeID {
					t.Fatalf("%q resolved to %d", name, got.TypeID)
				}
				return
			}
			if !strings.EqualFold(v.AssocTypeName(got), name) {
				t.Fatalf("%q resolved to %d named %q", name, got.TypeID, v.AssocTypeName(got))
			}
		})
	})
}
