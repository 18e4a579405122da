package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/mockhub/mockhub/fixtures"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/persist"
)

// One-transaction forms of the records calls, so a test states a write in
// one line.

func (pt *Portal) createRecord(typ string, props map[string]string, now time.Time) (Record, error) {
	var r Record
	err := pt.Update(func(tx *Tx) error {
		var err error
		r, err = tx.CreateRecord(typ, props, now)
		return err
	})
	return r, err
}

func (pt *Portal) updateRecord(typ, id string, props map[string]string, now time.Time) (Record, error) {
	var r Record
	err := pt.Update(func(tx *Tx) error {
		var err error
		r, err = tx.UpdateRecord(typ, id, props, now)
		return err
	})
	return r, err
}

func (pt *Portal) archiveRecord(typ, id string, now time.Time) error {
	return pt.Update(func(tx *Tx) error { return tx.ArchiveRecord(typ, id, now) })
}

func (pt *Portal) record(typ, id string) (r Record, ok bool) {
	pt.View(func(v *View) { r, ok = v.Record(typ, id) })
	return r, ok
}

func (pt *Portal) findUnique(typ, prop, value string) (id string, ok bool) {
	pt.View(func(v *View) { id, ok = v.FindUnique(typ, prop, value) })
	return id, ok
}

// mustCreate creates a contact and returns its id.
func mustCreate(t testing.TB, p *Portal, typ string, props map[string]string) string {
	t.Helper()
	r, err := p.createRecord(typ, props, t0)
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

var t0 = time.Date(2026, 3, 30, 12, 0, 0, 123_456_789, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

func TestRecordIDs(t *testing.T) {
	contact := firstRecordID(&Config{FirstRecordID: 10_000_000_001}, "contact")
	deal := firstRecordID(&Config{FirstRecordID: 10_000_000_001}, "deal")
	if contact == deal || len(strconv.FormatInt(contact, 10)) != 11 || len(strconv.FormatInt(deal, 10)) != 11 {
		t.Fatalf("first ids contact %d, deal %d: want two distinct 11-digit ids", contact, deal)
	}
	tests := []struct {
		name string
		step int64
		ops  []string // type of each create
		want []int64
	}{
		{"one type counts up", 1, []string{"contact", "contact", "contact"}, []int64{contact, contact + 1, contact + 2}},
		{"types have their own sequence", 1, []string{"contact", "deal", "contact"}, []int64{contact, deal, contact + 1}},
		{"the step is configurable", 50, []string{"contact", "contact"}, []int64{contact, contact + 50}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Two stores given the same writes give the same ids.
			for range 2 {
				s := newTestStore(t)
				s.cfg.RecordIDStep = tc.step
				p := s.Portal(1)
				for i, typ := range tc.ops {
					if got := mustCreate(t, p, typ, nil); got != strconv.FormatInt(tc.want[i], 10) {
						t.Fatalf("create %d: id %s, want %d", i, got, tc.want[i])
					}
				}
			}
		})
	}
	t.Run("a refused create uses no id", func(t *testing.T) {
		p := newTestStore(t).Portal(1)
		mustCreate(t, p, "contact", map[string]string{"email": "a@example.com"})
		if _, err := p.createRecord("contact", map[string]string{"email": "a@example.com"}, t0); err == nil {
			t.Fatal("duplicate email accepted")
		}
		if got := mustCreate(t, p, "contact", nil); got != strconv.FormatInt(contact+1, 10) {
			t.Fatalf("id %s after a refused create, want %d", got, contact+1)
		}
	})
	t.Run("an unknown or non-canonical type is refused", func(t *testing.T) {
		p := newTestStore(t).Portal(1)
		for _, typ := range []string{"", "contacts", "0-1", "nope", "2-x", "contact/1"} {
			if _, err := p.createRecord(typ, nil, t0); kindOf(err) != KindInvalid {
				t.Errorf("type %q: %v", typ, err)
			}
		}
		if _, err := p.createRecord("2-123", nil, t0); kindOf(err) != KindInvalid {
			t.Errorf("undefined custom object type: %v", err)
		}
		defineWidget(t, p)
		if got := mustCreate(t, p, "2-123", nil); got == "" {
			t.Fatal("custom object refused")
		}
	})
}

func kindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

func TestRecordWritesAndHistory(t *testing.T) {
	p := newTestStore(t).Portal(1)
	created, err := p.createRecord("contact", map[string]string{"email": "a@example.com", "firstname": "Ann", "lastname": ""}, at(0))
	if err != nil {
		t.Fatal(err)
	}
	id := created.ID
	steps := []struct {
		name    string
		props   map[string]string
		at      time.Time
		want    map[string]string
		history map[string][]string // value@ms, newest first
	}{
		{"create keeps non-empty values", nil, time.Time{},
			map[string]string{"email": "a@example.com", "firstname": "Ann"},
			map[string][]string{"email": {"a@example.com@0"}, "firstname": {"Ann@0"}}},
		{"a change is prepended", map[string]string{"firstname": "Anna"}, at(10),
			map[string]string{"email": "a@example.com", "firstname": "Anna"},
			map[string][]string{"email": {"a@example.com@0"}, "firstname": {"Anna@10", "Ann@0"}}},
		{"the same value adds nothing", map[string]string{"firstname": "Anna"}, at(20),
			map[string]string{"email": "a@example.com", "firstname": "Anna"},
			map[string][]string{"email": {"a@example.com@0"}, "firstname": {"Anna@10", "Ann@0"}}},
		{"an empty value clears", map[string]string{"firstname": "", "lastname": "Lee"}, at(30),
			map[string]string{"email": "a@example.com", "lastname": "Lee"},
			map[string][]string{"email": {"a@example.com@0"}, "firstname": {"@30", "Anna@10", "Ann@0"}, "lastname": {"Lee@30"}}},
		{"clearing an unset property writes nothing", map[string]string{"phone": ""}, at(40),
			map[string]string{"email": "a@example.com", "lastname": "Lee"},
			map[string][]string{"email": {"a@example.com@0"}, "firstname": {"@30", "Anna@10", "Ann@0"}, "lastname": {"Lee@30"}}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.props != nil {
				r, err := p.updateRecord("contact", id, st.props, st.at)
				if err != nil {
					t.Fatal(err)
				}
				if !r.UpdatedAt.Equal(st.at.Truncate(time.Millisecond)) {
					t.Errorf("updatedAt %v, want %v", r.UpdatedAt, st.at)
				}
			}
			r, ok := p.record("contact", id)
			if !ok {
				t.Fatal("record not found")
			}
			if !reflect.DeepEqual(r.Properties, st.want) {
				t.Errorf("properties %v, want %v", r.Properties, st.want)
			}
			got := map[string][]string{}
			for name, h := range r.History() {
				if !reflect.DeepEqual(r.PropertyHistory(name), h) {
					t.Errorf("PropertyHistory(%q) = %v, History()[%q] = %v", name, r.PropertyHistory(name), name, h)
				}
				for _, v := range h {
					if v.SourceType != "INTEGRATION" {
						t.Errorf("sourceType %q", v.SourceType)
					}
					got[name] = append(got[name], fmt.Sprintf("%s@%d", v.Value, v.Timestamp.Sub(at(0).Truncate(time.Millisecond)).Milliseconds()))
				}
			}
			if !reflect.DeepEqual(got, st.history) {
				t.Errorf("history %v, want %v", got, st.history)
			}
			if !r.CreatedAt.Equal(at(0).Truncate(time.Millisecond)) || r.CreatedAt.Location() != time.UTC {
				t.Errorf("createdAt %v", r.CreatedAt)
			}
		})
	}
	t.Run("a returned record is a copy", func(t *testing.T) {
		r, _ := p.record("contact", id)
		r.Properties["email"] = "x"
		r.History()["email"][0].Value = "x"
		r.PropertyHistory("email")[0].Value = "x"
		again, _ := p.record("contact", id)
		if again.Properties["email"] != "a@example.com" || again.PropertyHistory("email")[0].Value != "a@example.com" {
			t.Fatalf("the stored record changed: %+v", again)
		}
	})
	t.Run("an unknown id is not found", func(t *testing.T) {
		for _, bad := range []string{"1", "abc", "", "-1", "0" + id, id + "0"} {
			if _, err := p.updateRecord("contact", bad, nil, at(50)); kindOf(err) != KindNotFound {
				t.Errorf("update %q: %v", bad, err)
			}
			if _, ok := p.record("contact", bad); ok {
				t.Errorf("read %q found a record", bad)
			}
		}
		if _, err := p.updateRecord("deal", id, nil, at(50)); kindOf(err) != KindNotFound {
			t.Errorf("update of another type's id: %v", err)
		}
	})
	t.Run("a time no document can hold is refused", func(t *testing.T) {
		far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
		if _, err := p.updateRecord("contact", id, nil, far); kindOf(err) != KindInvalid {
			t.Errorf("update: %v", err)
		}
		if _, err := p.createRecord("contact", nil, far); kindOf(err) != KindInvalid {
			t.Errorf("create: %v", err)
		}
	})
}

func TestRecordUniqueIndex(t *testing.T) {
	type step struct {
		op       string // create, update, archive
		ref      int    // for update/archive: index of the created record
		props    map[string]string
		conflict int // index of the created record a conflict names, -1 for success
	}
	tests := []struct {
		name  string
		steps []step
		find  map[string]int // "prop=value" -> index of created record, -1 for none
	}{
		{"email is unique, case-insensitive", []step{
			{op: "create", props: map[string]string{"email": "Ann@Example.com"}, conflict: -1},
			{op: "create", props: map[string]string{"email": "ann@example.COM"}, conflict: 0},
			{op: "create", props: map[string]string{"email": " ann@example.com "}, conflict: 0},
		}, map[string]int{"email=ANN@example.com": 0, "email=ann@example.com ": 0, "email=bob@example.com": -1}},
		{"additional emails share email's namespace", []step{
			{op: "create", props: map[string]string{"email": "a@x.com", "hs_additional_emails": "b@x.com;C@x.com"}, conflict: -1},
			{op: "create", props: map[string]string{"email": "c@x.com"}, conflict: 0},
			{op: "create", props: map[string]string{"email": "d@x.com", "hs_additional_emails": "A@X.com"}, conflict: 0},
		}, map[string]int{"email=b@x.com": 0, "hs_additional_emails=a@x.com": 0, "email=c@x.com": 0}},
		{"an update may not take another record's value", []step{
			{op: "create", props: map[string]string{"email": "a@x.com"}, conflict: -1},
			{op: "create", props: map[string]string{"email": "b@x.com"}, conflict: -1},
			{op: "update", ref: 1, props: map[string]string{"email": "A@x.com"}, conflict: 0},
		}, map[string]int{"email=a@x.com": 0, "email=b@x.com": 1}},
		{"a record may rewrite its own value", []step{
			{op: "create", props: map[string]string{"email": "a@x.com"}, conflict: -1},
			{op: "update", ref: 0, props: map[string]string{"email": "A@X.COM", "hs_additional_emails": "a@x.com"}, conflict: -1},
		}, map[string]int{"email=a@x.com": 0}},
		{"a changed or cleared value is released", []step{
			{op: "create", props: map[string]string{"email": "a@x.com", "hs_additional_emails": "b@x.com"}, conflict: -1},
			{op: "update", ref: 0, props: map[string]string{"email": "z@x.com", "hs_additional_emails": ""}, conflict: -1},
			{op: "create", props: map[string]string{"email": "a@x.com", "hs_additional_emails": "b@x.com"}, conflict: -1},
		}, map[string]int{"email=a@x.com": 1, "email=b@x.com": 1, "email=z@x.com": 0}},
		{"archived records do not count", []step{
			{op: "create", props: map[string]string{"email": "a@x.com"}, conflict: -1},
			{op: "archive", ref: 0, conflict: -1},
			{op: "create", props: map[string]string{"email": "A@x.com"}, conflict: -1},
		}, map[string]int{"email=a@x.com": 1}},
		{"undeclared properties are not unique", []step{
			{op: "create", props: map[string]string{"firstname": "Ann", "email": ""}, conflict: -1},
			{op: "create", props: map[string]string{"firstname": "Ann", "email": ""}, conflict: -1},
		}, map[string]int{"firstname=Ann": -1, "email=": -1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestStore(t).Portal(1)
			var ids []string
			for i, st := range tc.steps {
				var err error
				switch st.op {
				case "create":
					var r Record
					if r, err = p.createRecord("contact", st.props, at(i)); err == nil {
						ids = append(ids, r.ID)
					}
				case "update":
					_, err = p.updateRecord("contact", ids[st.ref], st.props, at(i))
				case "archive":
					err = p.archiveRecord("contact", ids[st.ref], at(i))
				}
				if st.conflict < 0 {
					if err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
					continue
				}
				existing, ok := ExistingRecordID(err)
				if kindOf(err) != KindConflict || !ok || existing != ids[st.conflict] {
					t.Fatalf("step %d: %v, want a conflict with %s", i, err, ids[st.conflict])
				}
				if want := "Contact already exists. Existing ID: " + ids[st.conflict]; Message(err) != want {
					t.Fatalf("step %d: message %q, want %q", i, Message(err), want)
				}
			}
			for q, want := range tc.find {
				prop, value, _ := strings.Cut(q, "=")
				id, ok := p.findUnique("contact", prop, value)
				switch {
				case want < 0 && ok:
					t.Errorf("%s found %s", q, id)
				case want >= 0 && (!ok || id != ids[want]):
					t.Errorf("%s found %q, %v; want %s", q, id, ok, ids[want])
				}
			}
		})
	}
	t.Run("other object types are not indexed by default", func(t *testing.T) {
		p := newTestStore(t).Portal(1)
		mustCreate(t, p, "company", map[string]string{"domain": "x.com"})
		if _, err := p.createRecord("company", map[string]string{"domain": "x.com"}, t0); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a declared property of another type", func(t *testing.T) {
		s := newTestStore(t)
		s.cfg.UniqueProperties = map[string][]UniqueProperty{"2-123": {{Name: "code"}}}
		p := s.Portal(1)
		defineWidget(t, p)
		first := mustCreate(t, p, "2-123", map[string]string{"code": "A"})
		if _, err := p.createRecord("2-123", map[string]string{"code": "a"}, t0); err != nil {
			t.Fatalf("case-sensitive property: %v", err)
		}
		_, err := p.createRecord("2-123", map[string]string{"code": "A"}, t0)
		if id, _ := ExistingRecordID(err); id != first || Message(err) != "Object already exists. Existing ID: "+first {
			t.Fatalf("%v", err)
		}
	})
}

func TestArchiveRecord(t *testing.T) {
	p := newTestStore(t).Portal(1)
	id := mustCreate(t, p, "contact", map[string]string{"email": "a@x.com"})
	for i, when := range []time.Time{at(5), at(9)} {
		if err := p.archiveRecord("contact", id, when); err != nil {
			t.Fatalf("archive %d: %v", i, err)
		}
	}
	r, ok := p.record("contact", id)
	if !ok || !r.Archived || !r.ArchivedAt.Equal(at(5).Truncate(time.Millisecond)) || r.Properties["email"] != "a@x.com" {
		t.Fatalf("archived record %+v, %v: want archived at the first archive", r, ok)
	}
	for _, unknown := range []string{"1", "x", ""} {
		if err := p.archiveRecord("contact", unknown, t0); err != nil {
			t.Errorf("archive %q: %v", unknown, err)
		}
	}
	if _, err := p.updateRecord("contact", id, map[string]string{"firstname": "x"}, t0); kindOf(err) != KindNotFound {
		t.Errorf("update of an archived record: %v", err)
	}
	var live, archived int
	p.View(func(v *View) { live, archived = v.RecordCount("contact", false), v.RecordCount("contact", true) })
	if live != 0 || archived != 1 {
		t.Fatalf("counts live %d archived %d", live, archived)
	}
}

func TestListRecords(t *testing.T) {
	p := newTestStore(t).Portal(1)
	var ids []string
	for i := range 7 {
		ids = append(ids, mustCreate(t, p, "deal", map[string]string{"dealname": strconv.Itoa(i)}))
	}
	for _, i := range []int{1, 4, 5} {
		if err := p.archiveRecord("deal", ids[i], t0); err != nil {
			t.Fatal(err)
		}
	}
	live := []string{ids[0], ids[2], ids[3], ids[6]}
	archived := []string{ids[1], ids[4], ids[5]}
	tests := []struct {
		name     string
		typ      string
		limit    int
		archived bool
		want     [][]string
	}{
		{"pages of two", "deal", 2, false, [][]string{live[:2], live[2:]}},
		{"one page", "deal", 100, false, [][]string{live}},
		{"pages of three, archived only", "deal", 3, true, [][]string{archived}},
		{"archived in pages of two", "deal", 2, true, [][]string{archived[:2], archived[2:]}},
		{"a limit below one is one", "deal", 0, true, [][]string{archived[:1], archived[1:2], archived[2:]}},
		{"a type without records", "ticket", 10, false, [][]string{nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got [][]string
			after := ""
			for {
				var page []Record
				p.View(func(v *View) { page, after = v.Records(tc.typ, after, tc.limit, tc.archived) })
				var pageIDs []string
				for _, r := range page {
					if r.Archived != tc.archived || r.ObjectType != tc.typ {
						t.Errorf("listed %+v", r)
					}
					pageIDs = append(pageIDs, r.ID)
				}
				got = append(got, pageIDs)
				if after == "" || len(got) > 10 {
					break
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("pages %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("a cursor that is not one starts over", func(t *testing.T) {
		var page []Record
		p.View(func(v *View) { page, _ = v.Records("deal", "zz", 1, false) })
		if len(page) != 1 || page[0].ID != live[0] {
			t.Fatalf("page %+v", page)
		}
	})
}

func TestRecordsSnapshotRoundTrip(t *testing.T) {
	s := newTestStore(t)
	fp := &fakePersister{saved: map[int64]map[[2]string][]byte{}}
	s.SetPersister(fp)
	p := s.Portal(3)
	defineWidget(t, p)
	a := mustCreate(t, p, "contact", map[string]string{"email": "a@x.com", "firstname": "Ann"})
	b := mustCreate(t, p, "contact", map[string]string{"email": "b@x.com"})
	mustCreate(t, p, "2-123", map[string]string{"name": "widget"})
	if _, err := p.updateRecord("contact", a, map[string]string{"firstname": ""}, at(7)); err != nil {
		t.Fatal(err)
	}
	if err := p.archiveRecord("contact", b, at(9)); err != nil {
		t.Fatal(err)
	}
	snap := p.Snapshot()
	data, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	wantA := `{"objectType":"contact","id":"` + a + `","createdAt":"2026-03-30T12:00:00.123Z","updatedAt":"2026-03-30T12:00:00.13Z",` +
		`"properties":{"email":"a@x.com"},"propertiesWithHistory":{"email":[{"value":"a@x.com","timestamp":"2026-03-30T12:00:00.123Z"}],` +
		`"firstname":[{"value":"","timestamp":"2026-03-30T12:00:00.13Z"},{"value":"Ann","timestamp":"2026-03-30T12:00:00.123Z"}]}}`
	if !strings.Contains(string(data), wantA) || !strings.Contains(string(data), `"archived":true,"archivedAt":"2026-03-30T12:00:00.132Z"`) {
		t.Fatalf("export:\n%s\nwant it to hold\n%s", data, wantA)
	}

	// Import into another store, and load what was saved: both give the
	// same document, and both continue the id sequences.
	other := newTestStore(t)
	dec, err := DecodeSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Replace(3, dec); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]Snapshot{"import": other.Portal(3).Snapshot(), "saved rows": fp.load(t, s, 3)} {
		if !reflect.DeepEqual(got, snap) {
			t.Fatalf("%s:\n%+v\nwant\n%+v", name, got, snap)
		}
	}
	next := mustCreate(t, other.Portal(3), "contact", nil)
	if want := mustCreate(t, p, "contact", nil); next != want {
		t.Fatalf("imported portal's next id %s, want %s", next, want)
	}
	if id, ok := other.Portal(3).findUnique("contact", "email", "A@x.com"); !ok || id != a {
		t.Fatalf("imported unique index: %q, %v", id, ok)
	}
	if _, ok := other.Portal(3).findUnique("contact", "email", "b@x.com"); ok {
		t.Fatal("an archived record's email is indexed")
	}
}

func TestRecordWritesSaveOnlyTheirRecord(t *testing.T) {
	s := newTestStore(t)
	p := s.Portal(1)
	a := mustCreate(t, p, "contact", nil)
	mustCreate(t, p, "contact", nil)
	rec := &recorder{}
	s.SetPersister(rec)
	p.saved = true
	c := mustCreate(t, p, "contact", nil)
	if _, err := p.updateRecord("contact", a, map[string]string{"x": "1"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := p.archiveRecord("contact", a, t0); err != nil {
		t.Fatal(err)
	}
	if err := p.archiveRecord("contact", a, t0); err != nil {
		t.Fatal(err)
	}
	want := []string{"records/contact", "records/contact/" + c, "records/contact/" + a, "records/contact/" + a}
	if !slices.Equal(rec.keys, want) {
		t.Fatalf("saved %v, want %v", rec.keys, want)
	}
}

func TestRecordsFixturesAndReset(t *testing.T) {
	s := newTestStore(t)
	doc := `{"portals":[{"portalId":9,"labels":[],"limits":[],"nextRecordIds":{"contacts":500},` +
		`"records":[{"objectType":"contacts","id":"42","createdAt":"2026-01-01T00:00:00Z","properties":{"email":"fix@x.com"}}]}]}`
	f, err := DecodeFixtures([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(f); err != nil {
		t.Fatal(err)
	}
	p := s.Portal(9)
	if id := mustCreate(t, p, "contact", nil); id != "500" {
		t.Fatalf("first id %s, want the fixture's 500", id)
	}
	if r, ok := p.record("contact", "42"); !ok || !r.UpdatedAt.Equal(r.CreatedAt) || len(r.PropertyHistory("email")) != 1 || r.PropertyHistory("phone") != nil {
		t.Fatalf("fixture record %+v, %v", r, ok)
	}
	if _, err := p.createRecord("contact", map[string]string{"email": "FIX@x.com"}, t0); kindOf(err) != KindConflict {
		t.Fatalf("fixture email not indexed: %v", err)
	}
	if err := s.ResetPortal(9); err != nil {
		t.Fatal(err)
	}
	if id := mustCreate(t, s.Portal(9), "contact", nil); id != "500" {
		t.Fatalf("id %s after reset, want 500 again", id)
	}
}

func TestImportRejectsBadRecords(t *testing.T) {
	const rec = `"createdAt":"2026-01-01T00:00:00Z","properties":{}`
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"unknown type", `{"records":[{"objectType":"nope","id":"1",` + rec + `}]}`,
			[]string{`records[0].objectType: unknown object type "nope"`}},
		{"bad ids", `{"records":[{"objectType":"contact","id":"01",` + rec + `},{"objectType":"contact","id":"x",` + rec + `},{"objectType":"contact","id":"-3",` + rec + `}]}`,
			[]string{"records[0].id: id must be", "records[1].id: id must be", "records[2].id: id must be"}},
		{"duplicate id, any spelling", `{"records":[{"objectType":"contact","id":"1",` + rec + `},{"objectType":"CONTACTS","id":"1",` + rec + `}]}`,
			[]string{"records[1].id: contact 1 is defined more than once"}},
		{"no createdAt", `{"records":[{"objectType":"contact","id":"1","properties":{}}]}`,
			[]string{"records[0].createdAt: createdAt is required"}},
		{"archivedAt without archived, archived without archivedAt",
			`{"records":[{"objectType":"contact","id":"1","archivedAt":"2026-01-01T00:00:00Z",` + rec + `},{"objectType":"contact","id":"2","archived":true,` + rec + `}]}`,
			[]string{"records[0].archivedAt: archivedAt is only for archived records", "records[1].archivedAt: archivedAt is required"}},
		{"history disagrees with the value",
			`{"records":[{"objectType":"contact","id":"1","createdAt":"2026-01-01T00:00:00Z","properties":{"a":"1"},"propertiesWithHistory":{"a":[{"value":"2","timestamp":"2026-01-01T00:00:00Z"}],"b":[]}}]}`,
			[]string{`records[0].propertiesWithHistory["a"]: the newest value "2" is not the property's value "1"`, `records[0].propertiesWithHistory["b"]: a property's history must not be empty`}},
		{"history out of order",
			`{"records":[{"objectType":"contact","id":"1","createdAt":"2026-01-01T00:00:00Z","properties":{"a":"1"},"propertiesWithHistory":{"a":[{"value":"1","timestamp":"2026-01-01T00:00:00Z"},{"value":"0","timestamp":"2026-01-02T00:00:00Z"},{"value":"z"}]}}]}`,
			[]string{`records[0].propertiesWithHistory["a"][1].timestamp: history must be newest first`, `records[0].propertiesWithHistory["a"][2].timestamp: timestamp is required`}},
		{"empty property name", `{"records":[{"objectType":"contact","id":"1","createdAt":"2026-01-01T00:00:00Z","properties":{"":"1"}}]}`,
			[]string{`records[0].properties: property names must be non-empty text, got ""`}},
		{"duplicate unique value among live records",
			`{"records":[{"objectType":"contact","id":"1","createdAt":"2026-01-01T00:00:00Z","properties":{"email":"A@x.com"}},` +
				`{"objectType":"contact","id":"3","archived":true,"archivedAt":"2026-01-01T00:00:00Z","createdAt":"2026-01-01T00:00:00Z","properties":{"email":"a@x.com"}},` +
				`{"objectType":"contact","id":"2","createdAt":"2026-01-01T00:00:00Z","properties":{"hs_additional_emails":"a@X.com"}}]}`,
			[]string{`records[2].properties: email "a@x.com" is also held by contact 1`}},
		{"bad sequences", `{"nextRecordIds":{"contact":0,"contacts":5,"nope":3}}`,
			[]string{`nextRecordIds["contact"]: the next record id must be a positive integer up to 1152921505680588800, got 0`, `nextRecordIds["nope"]: unknown object type "nope"`}},
		{"ids beyond the bound", `{"nextRecordIds":{"contact":1152921505680588801},"records":[{"objectType":"contact","id":"1152921504606846977",` + rec + `}]}`,
			[]string{`nextRecordIds["contact"]: the next record id must be`, `records[0].id: id must be a positive integer up to 1152921504606846976`}},
		{"two spellings of one sequence", `{"nextRecordIds":{"contact":7,"contacts":5}}`,
			[]string{`nextRecordIds["contacts"]: object type contact has more than one id sequence`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestStore(t)
			snap, err := DecodeSnapshot([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			err = s.Replace(1, snap)
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindInvalid {
				t.Fatalf("got %v, want a validation error", err)
			}
			var got []string
			for _, d := range e.Details {
				got = append(got, d.Message)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems %q, want %d: %q", got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d: %q, want it to start with %q", i, got[i], w)
				}
			}
			if _, exists := s.Lookup(1); exists {
				t.Fatal("a refused document created the portal")
			}
		})
	}
}

func TestImportRaisesTheSequence(t *testing.T) {
	s := newTestStore(t)
	doc := `{"nextRecordIds":{"deal":3},"records":[{"objectType":"deal","id":"10","createdAt":"2026-01-01T00:00:00Z","properties":{}}]}`
	snap, err := DecodeSnapshot([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(1, snap); err != nil {
		t.Fatal(err)
	}
	if id := mustCreate(t, s.Portal(1), "deal", nil); id != "11" {
		t.Fatalf("next id %s, want 11", id)
	}
}

func TestExhaustedSequenceRefusesCreates(t *testing.T) {
	s := newTestStore(t)
	snap := &Snapshot{NextRecordIDs: map[string]int64{"contact": maxRecordID}}
	if err := s.Replace(1, snap); err != nil {
		t.Fatal(err)
	}
	p := s.Portal(1)
	if id := mustCreate(t, p, "contact", nil); id != strconv.FormatInt(maxRecordID, 10) {
		t.Fatalf("last id %s", id)
	}
	if _, err := p.createRecord("contact", nil, t0); kindOf(err) != KindInvalid {
		t.Fatalf("create past the bound: %v", err)
	}
	// What was saved still loads.
	if _, err := s.loadRows(persist.Portal{ID: 1, Rows: stateRows(p.st.Load())}); err != nil {
		t.Fatal(err)
	}
}

func TestRecordReadsDuringWrites(t *testing.T) {
	p := newTestStore(t).Portal(1)
	id := mustCreate(t, p, "contact", map[string]string{"email": "a@x.com", "firstname": "v0"})
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Within MaxHistory, so that the history counts every write.
		for i := range MaxHistory - 1 {
			// One transaction: readers see both writes or neither.
			err := p.Update(func(tx *Tx) error {
				if _, err := tx.UpdateRecord("contact", id, map[string]string{"firstname": "v" + strconv.Itoa(i+1)}, at(i+1)); err != nil {
					return err
				}
				_, err := tx.CreateRecord("contact", nil, at(i+1))
				return err
			})
			if err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 200 {
		p.View(func(v *View) {
			r, _ := v.Record("contact", id)
			h := r.PropertyHistory("firstname")
			// A view is one state: the value, the history and the count agree.
			if r.Properties["firstname"] != "v"+strconv.Itoa(len(h)-1) || v.RecordCount("contact", false) != len(h) {
				t.Errorf("value %q with %d history entries and %d records", r.Properties["firstname"], len(h), v.RecordCount("contact", false))
			}
		})
	}
	<-done
}

// defineWidget makes custom object type 2-123 ("widget", with text
// properties name and code, associated with the default types) the only
// thing portal p holds.
func defineWidget(t testing.TB, p *Portal) {
	t.Helper()
	err := p.Update(func(tx *Tx) error {
		noLabels := func(int32) bool { return false }
		part, next := buildTypes(p.id, p.cfg, p.catalog, &Snapshot{ObjectTypes: []CustomObjectType{widgetType()}}, noLabels, p.cfg.FirstLabelTypeID, func(in, format string, args ...any) {
			t.Fatalf("%s: "+format, append([]any{in}, args...)...)
		})
		tx.set(schemaDomain, part, "2-123")
		// Its default association types took ids of the sequence.
		tx.set(labelsDomain, newLabelPart(next), nextKey)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func widgetType() CustomObjectType {
	return CustomObjectType{
		ID: "2-123", Name: "widget", Labels: fixtures.CRMLabels{Singular: "Widget", Plural: "Widgets"}, PrimaryDisplayProperty: "name",
		Properties: []fixtures.CRMProperty{
			{Name: "name", Label: "Name", Type: "string", FieldType: "text"},
			{Name: "code", Label: "Code", Type: "string", FieldType: "text"},
		},
	}
}

func TestHistoryIsBounded(t *testing.T) {
	p := newTestStore(t).Portal(1)
	id := mustCreate(t, p, "contact", map[string]string{"firstname": "v0"})
	const writes = 5*MaxHistory + 3
	for i := 1; i <= writes; i++ {
		if _, err := p.updateRecord("contact", id, map[string]string{"firstname": "v" + strconv.Itoa(i)}, t0.Add(time.Duration(i)*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	p.View(func(v *View) {
		r, _ := v.Record("contact", id)
		h := r.PropertyHistory("firstname")
		if len(h) != MaxHistory || h[0].Value != "v"+strconv.Itoa(writes) || h[MaxHistory-1].Value != "v"+strconv.Itoa(writes-MaxHistory+1) {
			t.Fatalf("history of %d entries, newest %q, oldest %q", len(h), h[0].Value, h[len(h)-1].Value)
		}
		i, _ := r.stored.find("firstname")
		kept := 0
		for e := r.stored.props[i].hist; e != nil; e = e.older {
			kept++
		}
		if kept > 2*MaxHistory {
			t.Fatalf("%d entries kept in memory", kept)
		}
	})
}
