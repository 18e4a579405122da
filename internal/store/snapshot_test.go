package store

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/objecttype"
	"github.com/mockhub/mockhub/internal/persist"
)

func newTestStore(t testing.TB) *Store {
	t.Helper()
	s, err := defaultStore()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func defaultStore() (*Store, error) {
	reg, err := objecttype.Default()
	if err != nil {
		return nil, err
	}
	c, err := DefaultCatalog(reg)
	if err != nil {
		return nil, err
	}
	return New(DefaultConfig(), c), nil
}

var contactCompany = Pair{"contact", "company"}

// populate gives portal id two labels and three limits through the API.
func populate(t *testing.T, s *Store, id int64) *Portal {
	t.Helper()
	p := s.Portal(id)
	inv := "Managed by"
	if _, err := p.CreateLabel(contactCompany, LabelInput{Name: "manager", Label: "Manager", InverseLabel: &inv}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreateLabel(Pair{"contact", "contact"}, LabelInput{Name: "sibling", Label: "Sibling"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ApplyLimits(LimitCreate, contactCompany, []LimitInput{
		{Category: HubSpotDefined, TypeID: 279, Max: 10},
		{Category: UserDefined, TypeID: 101, Max: 2},
	}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ApplyLimits(LimitCreate, Pair{"deal", "contact"}, []LimitInput{{Category: HubSpotDefined, TypeID: 3, Max: 5}}, true); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSnapshotRoundTrip(t *testing.T) {
	s := newTestStore(t)
	src := populate(t, s, 1)
	snap := src.Snapshot()
	data, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"portalId":1,"nextTypeId":104,"labels":[` +
		`{"name":"manager","fromObjectType":"contact","toObjectType":"company","typeId":101,"label":"Manager","inverseTypeId":102,"inverseLabel":"Managed by"},` +
		`{"name":"sibling","fromObjectType":"contact","toObjectType":"contact","typeId":103,"label":"Sibling"}],"limits":[` +
		`{"fromObjectType":"contact","toObjectType":"company","category":"USER_DEFINED","typeId":101,"maxToObjectIds":2},` +
		`{"fromObjectType":"contact","toObjectType":"company","category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":10},` +
		`{"fromObjectType":"deal","toObjectType":"contact","category":"HUBSPOT_DEFINED","typeId":3,"maxToObjectIds":5}]}`
	if string(data) != want {
		t.Fatalf("export =\n%s\nwant\n%s", data, want)
	}

	other := newTestStore(t)
	dec, err := DecodeSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	dec.PortalID = 0
	if err := other.Replace(2, dec); err != nil {
		t.Fatal(err)
	}
	dst := other.Portal(2)
	got := dst.Snapshot()
	got.PortalID = 1
	if !reflect.DeepEqual(got, snap) {
		t.Fatalf("re-imported state = %+v, want %+v", got, snap)
	}
	if !reflect.DeepEqual(dst.AllLimits(), src.AllLimits()) || !reflect.DeepEqual(dst.Labels(contactCompany), src.Labels(contactCompany)) {
		t.Fatal("the API reads differ after a round trip")
	}
	// The sequence resumes where it was: the next label gets 104.
	created, err := dst.CreateLabel(contactCompany, LabelInput{Name: "next", Label: "Next"})
	if err != nil || created[0].TypeID != 104 {
		t.Fatalf("next label = %+v, %v", created, err)
	}
}

func TestReplaceAcceptsAnySpelling(t *testing.T) {
	s := newTestStore(t)
	snap, err := DecodeSnapshot([]byte(`{"labels":[],"limits":[{"fromObjectType":"0-1","toObjectType":"Companies","typeId":279,"maxToObjectIds":4}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(9, snap); err != nil {
		t.Fatal(err)
	}
	if got := s.Portal(9).Limits(contactCompany); len(got) != 1 || got[0].Max != 4 {
		t.Fatalf("limits = %+v", got)
	}
}

func TestReplaceRejectsBadDocuments(t *testing.T) {
	label := func(extra string) string {
		return `{"name":"manager","fromObjectType":"contact","toObjectType":"company","typeId":1000,"label":"Manager","inverseTypeId":1001` + extra + `}`
	}
	tests := []struct {
		name, doc, want string
	}{
		{"syntax", `{"labels":[`, "Invalid portal state document"},
		{"unknown field", `{"labels":[],"limits":[],"extra":1}`, `unknown field "extra"`},
		{"trailing data", `{"labels":[],"limits":[]} {}`, "unexpected data after"},
		{"wrong type", `{"labels":"x"}`, "cannot unmarshal"},
		{"portal mismatch", `{"portalId":2,"labels":[],"limits":[]}`, "portalId 2 in the document does not match portal 1"},
		{"unknown object type", `{"labels":[],"limits":[{"fromObjectType":"widgets","toObjectType":"company","typeId":279,"maxToObjectIds":1}]}`, `limits[0].fromObjectType: unknown object type "widgets"`},
		{"type not on pair", `{"labels":[],"limits":[{"fromObjectType":"company","toObjectType":"contact","typeId":279,"maxToObjectIds":1}]}`, "typeId 279 is not an association type from company to contact"},
		{"wrong category", `{"labels":[],"limits":[{"fromObjectType":"contact","toObjectType":"company","category":"USER_DEFINED","typeId":279,"maxToObjectIds":1}]}`, "typeId 279 has category HUBSPOT_DEFINED, not USER_DEFINED"},
		{"limit out of range", `{"labels":[],"limits":[{"fromObjectType":"contact","toObjectType":"company","typeId":279,"maxToObjectIds":0}]}`, "the valid range is 1-50000"},
		{"duplicate limit", `{"labels":[],"limits":[{"fromObjectType":"contact","toObjectType":"company","typeId":279,"maxToObjectIds":1},{"fromObjectType":"contacts","toObjectType":"companies","typeId":279,"maxToObjectIds":2}]}`, "more than one limit"},
		{"label above object limit", `{"labels":[` + label("") + `],"limits":[{"fromObjectType":"contact","toObjectType":"company","typeId":279,"maxToObjectIds":1},{"fromObjectType":"contact","toObjectType":"company","typeId":1000,"maxToObjectIds":2}]}`, "exceeds the limit of 1 on the unlabeled typeId 279"},
		{"hubspot type id", `{"labels":[{"name":"x","fromObjectType":"contact","toObjectType":"company","typeId":279,"label":"X","inverseTypeId":500}],"limits":[]}`, "typeId 279 is a HubSpot-defined association type"},
		{"duplicate type id", `{"labels":[` + label("") + `,{"name":"other","fromObjectType":"deal","toObjectType":"company","typeId":1001,"label":"O","inverseTypeId":1002}],"limits":[]}`, "typeId 1001 is used by another label"},
		{"missing inverse", `{"labels":[{"name":"x","fromObjectType":"contact","toObjectType":"company","typeId":1000,"label":"X"}],"limits":[]}`, "inverseTypeId is required"},
		{"symmetric with inverse", `{"labels":[{"name":"x","fromObjectType":"contact","toObjectType":"contact","typeId":1000,"label":"X","inverseTypeId":1001}],"limits":[]}`, "remove inverseTypeId"},
		{"bad name", `{"labels":[{"name":"my-label","fromObjectType":"contact","toObjectType":"company","typeId":1000,"label":"X","inverseTypeId":1001}],"limits":[]}`, "labels[0].name: name 'my-label' is not a valid internal name"},
		{"empty label", `{"labels":[{"name":"x","fromObjectType":"contact","toObjectType":"company","typeId":1000,"label":"","inverseTypeId":1001}],"limits":[]}`, "labels[0].label: label must not be empty"},
		{"duplicate name in pairing", `{"labels":[` + label("") + `,{"name":"manager","fromObjectType":"company","toObjectType":"contact","typeId":2000,"label":"M","inverseTypeId":2001}],"limits":[]}`, "A label named 'manager' already exists"},
		{"limit on unknown label", `{"labels":[],"limits":[{"fromObjectType":"contact","toObjectType":"company","typeId":1000,"maxToObjectIds":1}]}`, "typeId 1000 is not an association type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestStore(t)
			before := populate(t, s, 1).Snapshot()
			snap, err := DecodeSnapshot([]byte(tt.doc))
			if err == nil {
				err = s.Replace(1, snap)
			}
			if err == nil {
				t.Fatal("accepted")
			}
			var aerr *Error
			if !errors.As(err, &aerr) || aerr.Kind != KindInvalid {
				t.Fatalf("error %v is not a 400", err)
			}
			if !strings.Contains(aerr.Message, tt.want) {
				t.Fatalf("message %q does not contain %q", aerr.Message, tt.want)
			}
			if after := s.Portal(1).Snapshot(); !reflect.DeepEqual(after, before) {
				t.Fatal("a refused document changed the state")
			}
			if snap != nil {
				snap.PortalID = 3
				s.Replace(2, snap)
				if _, ok := s.Lookup(2); ok {
					t.Fatal("a refused document created a portal")
				}
			}
		})
	}
}

func TestTooManyLabelsInDocument(t *testing.T) {
	s := newTestStore(t)
	var labels []string
	for i := 0; i <= s.cfg.MaxLabelsPerPairing; i++ {
		id := 1000 + 2*i
		labels = append(labels, `{"name":"l`+itoa(i)+`","fromObjectType":"contact","toObjectType":"company","typeId":`+itoa(id)+`,"label":"L","inverseTypeId":`+itoa(id+1)+`}`)
	}
	snap, err := DecodeSnapshot([]byte(`{"labels":[` + strings.Join(labels, ",") + `],"limits":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(1, snap); err == nil || !strings.Contains(err.Error(), "At most 10 custom association labels") {
		t.Fatalf("Replace = %v", err)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// fakePersister keeps committed rows in memory and can be told to fail.
type fakePersister struct {
	saved   map[int64]map[[2]string][]byte
	removed []int64
	commits int
	fail    error
}

func (f *fakePersister) Commit(id int64, replace bool, rows []persist.Row) error {
	if f.fail != nil {
		return f.fail
	}
	f.commits++
	if replace || f.saved[id] == nil {
		f.saved[id] = map[[2]string][]byte{}
	}
	for _, r := range rows {
		if r.Value == nil {
			delete(f.saved[id], [2]string{r.Domain, r.Key})
		} else {
			f.saved[id][[2]string{r.Domain, r.Key}] = r.Value
		}
	}
	return nil
}

func (f *fakePersister) Remove(id int64) error {
	if f.fail != nil {
		return f.fail
	}
	f.removed = append(f.removed, id)
	delete(f.saved, id)
	return nil
}

// load rebuilds portal id's state from what was committed.
func (f *fakePersister) load(t *testing.T, s *Store, id int64) Snapshot {
	t.Helper()
	p := persist.Portal{ID: id}
	for k, v := range f.saved[id] {
		p.Rows = append(p.Rows, persist.Row{Domain: k[0], Key: k[1], Value: v})
	}
	st, err := s.loadRows(p)
	if err != nil {
		t.Fatalf("saved rows do not load: %v", err)
	}
	v := View{pt: &Portal{id: id, catalog: s.catalog}, st: st}
	return v.snapshot()
}

func TestPersisterSeesEveryMutation(t *testing.T) {
	s := newTestStore(t)
	fp := &fakePersister{saved: map[int64]map[[2]string][]byte{}}
	s.SetPersister(fp)
	p := populate(t, s, 7)
	want, _ := json.Marshal(p.Snapshot())
	if got, _ := json.Marshal(fp.load(t, s, 7)); string(got) != string(want) {
		t.Fatalf("saved %s, want the current state %s", got, want)
	}
	// Each write saves only the keys it changed.
	commits := fp.commits
	if _, err := p.ApplyLimits(LimitPurge, contactCompany, []LimitInput{{Category: HubSpotDefined, TypeID: 279}}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ApplyLimits(LimitCreate, contactCompany, []LimitInput{{Category: HubSpotDefined, TypeID: 279, Max: 10}}, true); err != nil {
		t.Fatal(err)
	}
	if fp.commits != commits+2 {
		t.Fatalf("two writes made %d commits", fp.commits-commits)
	}
	if got, _ := json.Marshal(fp.load(t, s, 7)); string(got) != string(want) {
		t.Fatalf("after purge and create: saved %s, want %s", got, want)
	}

	fp.fail = errors.New("disk full")
	_, err := p.ApplyLimits(LimitUpdate, contactCompany, []LimitInput{{Category: HubSpotDefined, TypeID: 279, Max: 20}}, true)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("ApplyLimits with a failing persister = %v", err)
	}
	if got, _ := json.Marshal(p.Snapshot()); string(got) != string(want) {
		t.Fatal("a write that could not be saved changed the state")
	}
	if err := s.Reset(); err == nil {
		t.Fatal("Reset succeeded although saved state could not be removed")
	}
	if kept, ok := s.Lookup(7); !ok || kept != p {
		t.Fatal("a portal whose file could not be removed was reset in memory only")
	}
	fp.fail = nil
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	if len(fp.saved) != 0 || len(s.PortalIDs()) != 0 {
		t.Fatalf("after Reset: saved %v, portals %v", fp.saved, s.PortalIDs())
	}
	// A request that still holds the old portal writes nothing durable.
	if _, err := p.CreateLabel(contactCompany, LabelInput{Name: "late", Label: "Late"}); err != nil {
		t.Fatal(err)
	}
	if len(fp.saved) != 0 {
		t.Fatal("a portal removed by a reset was saved again")
	}
}

func TestSeedResetAndRestore(t *testing.T) {
	s := newTestStore(t)
	f, err := DecodeFixtures([]byte(`{"portals":[{"portalId":5,"labels":[],"limits":[{"fromObjectType":"contact","toObjectType":"company","typeId":279,"maxToObjectIds":3}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(f); err != nil {
		t.Fatal(err)
	}
	if ids := s.PortalIDs(); len(ids) != 1 || ids[0] != 5 {
		t.Fatalf("portals = %v, want the seeded one", ids)
	}
	p := s.Portal(5)
	p.ApplyLimits(LimitUpdate, contactCompany, []LimitInput{{Category: HubSpotDefined, TypeID: 279, Max: 9}}, true)
	s.Portal(6)
	if err := s.ResetPortal(5); err != nil {
		t.Fatal(err)
	}
	if got := s.Portal(5).Limits(contactCompany); got[0].Max != 3 {
		t.Fatalf("after ResetPortal: %+v, want the fixture's 3", got)
	}
	s.Reset()
	if ids := s.PortalIDs(); len(ids) != 1 || ids[0] != 5 {
		t.Fatalf("portals after Reset = %v", ids)
	}

	doc, _ := json.Marshal(populate(t, newTestStore(t), 8).Snapshot())
	if err := s.Restore(8, doc); err != nil {
		t.Fatal(err)
	}
	if err := s.Restore(9, doc); err == nil || !strings.Contains(err.Error(), "document is for portal 8") {
		t.Fatalf("Restore under another id = %v", err)
	}
	if err := s.Restore(8, doc[:len(doc)/2]); err == nil {
		t.Fatal("Restore accepted half a document")
	}

	bad := []string{
		`{"portals":[{"labels":[],"limits":[]}]}`,
		`{"portals":[{"portalId":1,"labels":[],"limits":[]},{"portalId":1,"labels":[],"limits":[]}]}`,
		`{"portals":[{"portalId":1,"labels":[],"limits":[{"fromObjectType":"x","toObjectType":"company","typeId":279,"maxToObjectIds":3}]}]}`,
	}
	for _, doc := range bad {
		f, err := DecodeFixtures([]byte(doc))
		if err == nil {
			err = s.Seed(f)
		}
		if err == nil {
			t.Errorf("Seed accepted %s", doc)
		}
	}
}

// FuzzReplace feeds arbitrary documents to the importer: it must never
// panic, and whatever it accepts must export and re-import unchanged.
func FuzzReplace(f *testing.F) {
	f.Add([]byte(`{"labels":[{"name":"manager","fromObjectType":"contacts","toObjectType":"companies","typeId":1000,"label":"Manager","inverseTypeId":1001}],"limits":[{"fromObjectType":"0-1","toObjectType":"0-2","typeId":279,"maxToObjectIds":8},{"fromObjectType":"contact","toObjectType":"company","typeId":1000,"maxToObjectIds":2}]}`))
	f.Add([]byte(`{"labels":[{"name":"s","fromObjectType":"contact","toObjectType":"contact","typeId":5000,"label":"S"}],"limits":[],"nextTypeId":7}`))
	f.Add([]byte(`{"portalId":1,"labels":[],"limits":[]}`))
	s, err := defaultStore()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		snap, err := DecodeSnapshot(data)
		if err != nil {
			return
		}
		snap.PortalID = 0
		if err := s.Replace(1, snap); err != nil {
			return
		}
		exported := s.Portal(1).Snapshot()
		doc, err := json.Marshal(exported)
		if err != nil {
			t.Fatal(err)
		}
		again, err := DecodeSnapshot(doc)
		if err != nil {
			t.Fatalf("export %s does not decode: %v", doc, err)
		}
		if err := s.Replace(1, again); err != nil {
			t.Fatalf("export %s is refused: %v", doc, err)
		}
		if got := s.Portal(1).Snapshot(); !reflect.DeepEqual(got, exported) {
			t.Fatalf("re-import changed the state:\n%+v\n%+v", exported, got)
		}
	})
}
