package store

import (
	"reflect"
	"testing"
	"time"
)

func TestLimitUse(t *testing.T) {
	p := newTestStore(t).Portal(1)
	pair := Pair{"deal", "contact"}
	var label int32
	mustUpdate(t, p, func(tx *Tx) error {
		ts, err := tx.CreateLabel(pair, LabelInput{Name: "decider", Label: "Decider"})
		label = ts[0].TypeID
		return err
	})
	setLimit(t, p, pair, HubSpotDefined, 3, 2)
	setLimit(t, p, pair, UserDefined, label, 1)
	deals := []string{mustCreate(t, p, "deal", nil), mustCreate(t, p, "deal", nil), mustCreate(t, p, "deal", nil), mustCreate(t, p, "deal", nil)}
	contacts := []string{mustCreate(t, p, "contact", nil), mustCreate(t, p, "contact", nil)}
	// Deals 0 and 1 are at 2 of 2 contacts, deal 2 at 1; deal 0's
	// first contact is its decider too (a labeled association counts for
	// the unlabeled limit as any partner does). Deal 3 has none.
	mustUpdate(t, p, func(tx *Tx) error {
		for _, d := range deals[:2] {
			for _, c := range contacts {
				if _, _, err := tx.AssociateDefault(ref("deal", d), ref("contact", c)); err != nil {
					return err
				}
			}
		}
		if _, _, err := tx.AssociateDefault(ref("deal", deals[2]), ref("contact", contacts[0])); err != nil {
			return err
		}
		_, err := tx.Associate(ref("deal", deals[0]), ref("contact", contacts[0]), []AssocSpec{{UserDefined, label}}, AssocAdd)
		return err
	})
	var unlabeled, labeled, inverse map[int32]int
	p.View(func(v *View) {
		unlabeled = v.LimitUse(Limit{Pair: pair, TypeID: 3, Max: 2})
		labeled = v.LimitUse(Limit{Pair: pair, TypeID: label, Max: 1})
		inverse = v.LimitUse(Limit{Pair: pair.Reverse(), TypeID: 4, Max: 5})
	})
	if want := map[int32]int{2: 2, 1: 1}; !reflect.DeepEqual(unlabeled, want) {
		t.Errorf("unlabeled limit use %v, want %v", unlabeled, want)
	}
	if want := map[int32]int{1: 1}; !reflect.DeepEqual(labeled, want) {
		t.Errorf("label limit use %v, want %v", labeled, want)
	}
	if want := map[int32]int{3: 1, 2: 1}; !reflect.DeepEqual(inverse, want) {
		t.Errorf("contacts to deals use %v, want %v", inverse, want)
	}
	// An archived record is not counted.
	mustUpdate(t, p, func(tx *Tx) error { return tx.ArchiveRecord("deal", deals[2], time.Now()) })
	p.View(func(v *View) { unlabeled = v.LimitUse(Limit{Pair: pair, TypeID: 3, Max: 2}) })
	if want := map[int32]int{2: 2}; !reflect.DeepEqual(unlabeled, want) {
		t.Errorf("after archiving: %v, want %v", unlabeled, want)
	}
}
