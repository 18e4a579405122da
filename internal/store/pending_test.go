package store

import (
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/objecttype"
)

type fixed time.Time

func (f fixed) Now() time.Time { return time.Time(f) }

func testPortal(t *testing.T) *Portal {
	t.Helper()
	types, err := objecttype.Default()
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := DefaultCatalog(types)
	if err != nil {
		t.Fatal(err)
	}
	return New(DefaultConfig(), catalog).Portal(1)
}

func TestDeferredBatchesSettleInOrder(t *testing.T) {
	pt := testPortal(t)
	pair := Pair{From: "contact", To: "company"}
	t0 := time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC)
	create := []LimitInput{{Category: "HUBSPOT_DEFINED", TypeID: 279, Max: 5}}
	update := []LimitInput{{Category: "HUBSPOT_DEFINED", TypeID: 279, Max: 8}}

	if res, err := pt.CheckLimits(LimitCreate, pair, create, false); err != nil || len(res.Limits) != 1 {
		t.Fatal(res, err)
	}
	if len(pt.Limits(pair)) != 0 {
		t.Fatal("CheckLimits changed the state")
	}
	pt.DeferLimits(LimitCreate, pair, create, false, t0.Add(time.Second))
	pt.DeferLimits(LimitUpdate, pair, update, false, t0.Add(2*time.Second))
	pt.Settle(fixed(t0.Add(999 * time.Millisecond)))
	if pt.Pending() != 2 || len(pt.Limits(pair)) != 0 {
		t.Fatalf("settled early: %d pending, %v", pt.Pending(), pt.Limits(pair))
	}
	pt.Settle(fixed(t0.Add(5 * time.Second)))
	if l := pt.Limits(pair); pt.Pending() != 0 || len(l) != 1 || l[0].Max != 8 {
		t.Fatalf("after both: %d pending, %v", pt.Pending(), l)
	}
}

func TestApplyLimitsFailingLast(t *testing.T) {
	pt := testPortal(t)
	pair := Pair{From: "contact", To: "company"}
	in := []LimitInput{{Category: "HUBSPOT_DEFINED", TypeID: 279, Max: 5}, {Category: "HUBSPOT_DEFINED", TypeID: 1, Max: 2}}
	res, err := pt.ApplyLimitsFailingLast(LimitCreate, pair, in, false, 1)
	if err != nil || len(res.Limits) != 1 || len(res.Errors) != 1 || res.Errors[0].Index != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	if _, err := pt.ApplyLimitsFailingLast(LimitUpdate, pair, in[:1], true, 1); err == nil {
		t.Fatal("every input failed, yet no error")
	}
	if _, err := pt.ApplyLimitsFailingLast(LimitPurge, pair, in, true, 1); err == nil {
		t.Fatal("all-or-nothing batch with a failure applied")
	}
	if l := pt.Limits(pair); len(l) != 1 || l[0].Max != 5 {
		t.Fatalf("limits %v", l)
	}
}
