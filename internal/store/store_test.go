package store

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
)

var (
	contactsToCompanies = Pair{"contact", "company"}
	dealsToContacts     = Pair{"deal", "contact"}
)

// status is the HTTP status the error package answers err with.
func status(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return map[ErrorKind]int{KindInvalid: 400, KindNotFound: 404, KindConflict: 409}[e.Kind]
	}
	if err != nil {
		return -1
	}
	return 0
}

func TestCatalogHasHubSpotDefaults(t *testing.T) {
	s := newTestStore(t)
	if got := s.Catalog().Len(); got != 410 {
		t.Fatalf("catalog has %d types, want 410", got)
	}
	types := s.Portal(1).Labels(contactsToCompanies)
	ids := map[int32]bool{}
	for _, ty := range types {
		ids[ty.TypeID] = true
	}
	for _, want := range []int32{279, 1, 931} {
		if !ids[want] {
			t.Errorf("contact->company lacks typeId %d", want)
		}
	}
}

func TestLimitsBatchRules(t *testing.T) {
	cases := []struct {
		name       string
		setup      []LimitInput
		op         LimitOp
		inputs     []LimitInput
		wantStatus int // of the whole batch
		wantOK     int
		wantErrs   []string
	}{
		{name: "create", op: LimitCreate, inputs: []LimitInput{{HubSpotDefined, 279, 5}}, wantOK: 1},
		{name: "create existing", setup: []LimitInput{{HubSpotDefined, 279, 5}}, op: LimitCreate,
			inputs: []LimitInput{{HubSpotDefined, 279, 6}}, wantStatus: 400},
		{name: "partial create", setup: []LimitInput{{HubSpotDefined, 279, 5}}, op: LimitCreate,
			inputs: []LimitInput{{HubSpotDefined, 279, 6}, {HubSpotDefined, 1, 1}}, wantOK: 1,
			wantErrs: []string{fmt.Sprintf(MsgLimitExists, 279)}},
		{name: "unknown type for pair", op: LimitCreate, inputs: []LimitInput{{HubSpotDefined, 3, 5}, {HubSpotDefined, 279, 5}},
			wantOK: 1, wantErrs: []string{fmt.Sprintf(MsgUnknownType, 3, "contact", "company")}},
		{name: "wrong category", op: LimitCreate, inputs: []LimitInput{{UserDefined, 279, 5}, {HubSpotDefined, 1, 1}},
			wantOK: 1, wantErrs: []string{fmt.Sprintf(MsgWrongCategory, 279, HubSpotDefined, UserDefined)}},
		{name: "zero max", op: LimitCreate, inputs: []LimitInput{{HubSpotDefined, 279, 0}}, wantStatus: 400},
		{name: "max above ceiling", op: LimitCreate, inputs: []LimitInput{{HubSpotDefined, 279, 50001}, {HubSpotDefined, 1, 1}},
			wantOK: 1, wantErrs: []string{fmt.Sprintf(MsgLimitOutOfRange, 50001, 279, 50000)}},
		{name: "label above object limit", setup: []LimitInput{{HubSpotDefined, 279, 5}}, op: LimitCreate,
			inputs: []LimitInput{{HubSpotDefined, 1, 6}, {HubSpotDefined, 931, 5}}, wantOK: 1,
			wantErrs: []string{fmt.Sprintf(MsgLabelAboveObject, 6, 1, 5, 279, 5)}},
		{name: "object and label in one batch", op: LimitCreate,
			inputs: []LimitInput{{HubSpotDefined, 279, 10}, {HubSpotDefined, 1, 10}}, wantOK: 2},
		{name: "object below label", setup: []LimitInput{{HubSpotDefined, 279, 10}, {HubSpotDefined, 1, 8}}, op: LimitUpdate,
			inputs: []LimitInput{{HubSpotDefined, 279, 7}}, wantStatus: 400},
		{name: "update missing", op: LimitUpdate, inputs: []LimitInput{{HubSpotDefined, 279, 5}}, wantStatus: 400},
		{name: "update", setup: []LimitInput{{HubSpotDefined, 279, 5}}, op: LimitUpdate, inputs: []LimitInput{{HubSpotDefined, 279, 9}}, wantOK: 1},
		{name: "purge missing is fine", op: LimitPurge, inputs: []LimitInput{{HubSpotDefined, 279, 0}}, wantOK: 1},
		{name: "purge unknown type", op: LimitPurge, inputs: []LimitInput{{HubSpotDefined, 4, 0}}, wantStatus: 400},
		{name: "too many inputs", op: LimitCreate, inputs: make([]LimitInput, 101), wantStatus: 400},
		{name: "empty batch", op: LimitCreate, inputs: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestStore(t).Portal(1)
			if len(tc.setup) > 0 {
				if _, err := p.ApplyLimits(LimitCreate, contactsToCompanies, tc.setup, true); err != nil {
					t.Fatal(err)
				}
			}
			before := p.Limits(contactsToCompanies)
			res, err := p.ApplyLimits(tc.op, contactsToCompanies, tc.inputs, false)
			if got := status(err); got != tc.wantStatus {
				t.Fatalf("status %d (%v), want %d", got, err, tc.wantStatus)
			}
			if err != nil {
				if after := p.Limits(contactsToCompanies); fmt.Sprint(after) != fmt.Sprint(before) {
					t.Fatalf("failed batch changed state: %v -> %v", before, after)
				}
				return
			}
			if len(res.Limits) != tc.wantOK {
				t.Errorf("%d applied, want %d", len(res.Limits), tc.wantOK)
			}
			var msgs []string
			for _, e := range res.Errors {
				msgs = append(msgs, e.Message)
			}
			if fmt.Sprint(msgs) != fmt.Sprint(tc.wantErrs) {
				t.Errorf("errors %q, want %q", msgs, tc.wantErrs)
			}
		})
	}
}

func TestAllOrNothingBatchLeavesStateOnAnyFailure(t *testing.T) {
	p := newTestStore(t).Portal(1)
	_, err := p.ApplyLimits(LimitCreate, contactsToCompanies, []LimitInput{{HubSpotDefined, 279, 5}, {HubSpotDefined, 3, 5}}, true)
	if status(err) != http.StatusBadRequest {
		t.Fatalf("err = %v", err)
	}
	if got := p.Limits(contactsToCompanies); len(got) != 0 {
		t.Fatalf("state changed: %v", got)
	}
}

func TestLimitReadsCarryLabels(t *testing.T) {
	p := newTestStore(t).Portal(1)
	types, err := p.CreateLabel(dealsToContacts, LabelInput{Name: "point_of_contact", Label: "Point of contact"})
	if err != nil {
		t.Fatal(err)
	}
	own := types[0].TypeID
	if _, err := p.ApplyLimits(LimitCreate, dealsToContacts, []LimitInput{{HubSpotDefined, 3, 5}, {UserDefined, own, 1}}, false); err != nil {
		t.Fatal(err)
	}
	got := p.Limits(dealsToContacts)
	if len(got) != 2 || got[0].TypeID != 3 || got[0].Label != nil || got[1].TypeID != own || *got[1].Label != "Point of contact" || got[1].Max != 1 {
		t.Fatalf("limits = %+v", got)
	}
	if all := p.AllLimits(); len(all) != 2 {
		t.Fatalf("all limits = %+v", all)
	}
	if err := p.DeleteLabel(dealsToContacts, own); status(err) != 400 {
		t.Fatalf("deleting a label in use: %v", err)
	}
	if _, err := p.ApplyLimits(LimitPurge, dealsToContacts, []LimitInput{{UserDefined, own, 0}}, true); err != nil {
		t.Fatal(err)
	}
	if err := p.DeleteLabel(dealsToContacts, own); err != nil {
		t.Fatal(err)
	}
}

func TestLabelLifecycle(t *testing.T) {
	s := newTestStore(t)
	p := s.Portal(7)
	inverse := "Employee"
	created, err := p.CreateLabel(Pair{"contact", "company"}, LabelInput{Name: "manager", Label: "Manager", InverseLabel: &inverse})
	if err != nil {
		t.Fatal(err)
	}
	if len(created) != 2 || created[1].TypeID != created[0].TypeID+1 || *created[0].Label != "Manager" || *created[1].Label != "Employee" {
		t.Fatalf("created = %+v", created)
	}
	if created[1].Pair != (Pair{"company", "contact"}) {
		t.Fatalf("inverse runs along %v", created[1].Pair)
	}
	// The inverse shows up when listing the other direction.
	found := false
	for _, ty := range p.Labels(Pair{"company", "contact"}) {
		if ty.TypeID == created[1].TypeID && *ty.Label == "Employee" && ty.Category == UserDefined {
			found = true
		}
	}
	if !found {
		t.Fatal("inverse type not listed on company->contact")
	}
	if err := p.UpdateLabel(Pair{"contact", "company"}, created[0].TypeID, "Boss", nil); err != nil {
		t.Fatal(err)
	}
	if err := p.UpdateLabel(Pair{"company", "contact"}, created[1].TypeID, "Staff", nil); err != nil {
		t.Fatal(err)
	}
	texts := map[int32]string{}
	for _, pr := range []Pair{{"contact", "company"}, {"company", "contact"}} {
		for _, ty := range p.Labels(pr) {
			if ty.Category == UserDefined {
				texts[ty.TypeID] = *ty.Label
			}
		}
	}
	if texts[created[0].TypeID] != "Boss" || texts[created[1].TypeID] != "Staff" {
		t.Fatalf("texts = %v", texts)
	}
	if _, err := p.CreateLabel(Pair{"company", "contact"}, LabelInput{Name: "manager", Label: "X"}); status(err) != http.StatusConflict {
		t.Fatalf("duplicate name: %v", err)
	}
	if err := p.UpdateLabel(Pair{"contact", "company"}, 279, "x", nil); status(err) != 400 {
		t.Fatalf("update of HubSpot type: %v", err)
	}
	if err := p.DeleteLabel(Pair{"contact", "company"}, 1); status(err) != 400 {
		t.Fatalf("delete of HubSpot type: %v", err)
	}
	if err := p.DeleteLabel(Pair{"contact", "company"}, 99999); status(err) != 404 {
		t.Fatalf("delete of unknown: %v", err)
	}
	if err := p.DeleteLabel(Pair{"contact", "deal"}, created[0].TypeID); status(err) != 404 {
		t.Fatalf("delete along another pair: %v", err)
	}
	if err := p.DeleteLabel(Pair{"company", "contact"}, created[1].TypeID); err != nil {
		t.Fatal(err)
	}
	for _, ty := range p.Labels(Pair{"contact", "company"}) {
		if ty.Category == UserDefined {
			t.Fatalf("label survived deletion: %+v", ty)
		}
	}
	// Other portals never saw any of it.
	for _, ty := range s.Portal(8).Labels(Pair{"contact", "company"}) {
		if ty.Category == UserDefined {
			t.Fatal("portal 8 sees portal 7's label")
		}
	}
}

func TestLabelRules(t *testing.T) {
	p := newTestStore(t).Portal(1)
	pair := Pair{"contact", "contact"}
	bad := []LabelInput{
		{Name: "", Label: "x"},
		{Name: "has-hyphen", Label: "x"},
		{Name: "9lives", Label: "x"},
		{Name: "ok", Label: " "},
	}
	for _, in := range bad {
		if _, err := p.CreateLabel(pair, in); status(err) != 400 {
			t.Errorf("%+v: %v", in, err)
		}
	}
	single, err := p.CreateLabel(pair, LabelInput{Name: "sibling", Label: "Sibling"})
	if err != nil || len(single) != 1 {
		t.Fatalf("symmetric label: %v %v", single, err)
	}
	for i := 1; i < 10; i++ {
		if _, err := p.CreateLabel(pair, LabelInput{Name: fmt.Sprintf("l%d", i), Label: "L"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.CreateLabel(pair, LabelInput{Name: "eleventh", Label: "L"}); status(err) != 400 {
		t.Fatalf("11th label: %v", err)
	}
}

func TestTypeIDsSkipHubSpotIDs(t *testing.T) {
	s := newTestStore(t)
	p := s.Portal(1)
	seen := map[int32]bool{}
	for i := 0; i < 10; i++ {
		types, err := p.CreateLabel(Pair{"deal", "ticket"}, LabelInput{Name: fmt.Sprintf("n%d", i), Label: "x"})
		if err != nil {
			t.Fatal(err)
		}
		for _, ty := range types {
			if _, hub := s.Catalog().byID[ty.TypeID]; hub || seen[ty.TypeID] {
				t.Fatalf("typeId %d reused", ty.TypeID)
			}
			seen[ty.TypeID] = true
		}
	}
}

func TestConcurrentBatchesOnOnePortal(t *testing.T) {
	p := newTestStore(t).Portal(1)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = p.ApplyLimits(LimitCreate, contactsToCompanies, []LimitInput{{HubSpotDefined, 279, 5}}, false)
			_ = p.Limits(contactsToCompanies)
			_, _ = p.CreateLabel(Pair{"deal", "deal"}, LabelInput{Name: fmt.Sprintf("x%d", i), Label: "X"})
		}()
	}
	wg.Wait()
	if got := p.Limits(contactsToCompanies); len(got) != 1 {
		t.Fatalf("limits = %v", got)
	}
}
