package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/persist"
)

func TestUpdateIsAllOrNothing(t *testing.T) {
	s := newTestStore(t)
	fp := &fakePersister{saved: map[int64]map[[2]string][]byte{}}
	s.SetPersister(fp)
	p := populate(t, s, 1)
	before := p.Snapshot()
	commits := fp.commits
	boom := errors.New("boom")
	err := p.Update(func(tx *Tx) error {
		if _, err := tx.CreateLabel(Pair{"deal", "company"}, LabelInput{Name: "x", Label: "X"}); err != nil {
			return err
		}
		if _, ierr := tx.ApplyLimit(LimitUpdate, contactCompany, LimitInput{Category: HubSpotDefined, TypeID: 279, Max: 20}); ierr != nil {
			return errors.New(ierr.Message)
		}
		if err := tx.DeleteLabel(Pair{"contact", "contact"}, 103); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("Update = %v, want fn's error", err)
	}
	if after := p.Snapshot(); !reflect.DeepEqual(after, before) {
		t.Fatalf("a failed transaction changed the state:\n%+v\n%+v", after, before)
	}
	if fp.commits != commits {
		t.Fatal("a failed transaction was saved")
	}
}

func TestTxSeesItsOwnWritesAndOthersDoNot(t *testing.T) {
	s := newTestStore(t)
	p := s.Portal(1)
	pair := Pair{"deal", "company"}
	var outside [][]AssocType
	err := p.Update(func(tx *Tx) error {
		created, err := tx.CreateLabel(pair, LabelInput{Name: "buyer", Label: "Buyer"})
		if err != nil {
			return err
		}
		// The new label is a type along pair for the rest of the transaction.
		if _, ierr := tx.ApplyLimit(LimitCreate, pair, LimitInput{Category: UserDefined, TypeID: created[0].TypeID, Max: 3}); ierr != nil {
			t.Fatalf("limit on the label created earlier in the tx: %+v", ierr)
		}
		if got := tx.Limits(pair); len(got) != 1 || got[0].Max != 3 || *got[0].Label != "Buyer" {
			t.Fatalf("tx.Limits = %+v", got)
		}
		if labels, limits := tx.Counts(); labels != 1 || limits != 1 {
			t.Fatalf("tx.Counts = %d, %d", labels, limits)
		}
		// Deleting a label the tx's own limit uses is refused.
		if err := tx.DeleteLabel(pair, created[0].TypeID); status(err) != 400 {
			t.Fatalf("DeleteLabel of a label in use = %v", err)
		}
		p.View(func(v *View) { outside = append(outside, v.Labels(pair)) })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Catalog().Types(pair)); len(outside[0]) != n {
		t.Fatalf("a reader saw the uncommitted label: %+v", outside[0])
	}
	if got := p.Labels(pair); len(got) != len(s.Catalog().Types(pair))+1 {
		t.Fatalf("after commit: %+v", got)
	}
}

// blockingPersister holds every commit until released.
type blockingPersister struct {
	entered chan struct{}
	release chan struct{}
}

func (b *blockingPersister) Commit(int64, bool, []persist.Row) error {
	b.entered <- struct{}{}
	<-b.release
	return nil
}

func (b *blockingPersister) Remove(int64) error { return nil }

func TestReadsDoNotWaitForASave(t *testing.T) {
	s := newTestStore(t)
	bp := &blockingPersister{entered: make(chan struct{}), release: make(chan struct{})}
	s.SetPersister(bp)
	p := s.Portal(1)
	done := make(chan error)
	go func() {
		_, err := p.ApplyLimits(LimitCreate, contactCompany, []LimitInput{{Category: HubSpotDefined, TypeID: 279, Max: 5}}, true)
		done <- err
	}()
	<-bp.entered
	// The write is being saved: reads answer at once, with the state before
	// it (a read that waited would hang here).
	if got := p.Limits(contactCompany); len(got) != 0 {
		t.Fatalf("read during the save = %+v, want the old state", got)
	}
	if _, n := p.Counts(); n != 0 {
		t.Fatalf("Counts during the save = %d", n)
	}
	close(bp.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := p.Limits(contactCompany); len(got) != 1 {
		t.Fatalf("after the save: %+v", got)
	}
}

func TestEachWriteSavesOnlyItsKeys(t *testing.T) {
	tests := []struct {
		name  string
		write func(p *Portal) error
		want  []string // domain/key, in order
	}{
		{"create limit", func(p *Portal) error {
			_, err := p.ApplyLimits(LimitCreate, Pair{"company", "contact"}, []LimitInput{{Category: UserDefined, TypeID: 102, Max: 7}}, true)
			return err
		}, []string{"limits/company/contact/102"}},
		{"purge limit", func(p *Portal) error {
			_, err := p.ApplyLimits(LimitPurge, Pair{"deal", "contact"}, []LimitInput{{Category: HubSpotDefined, TypeID: 3}}, true)
			return err
		}, []string{"limits/deal/contact/3"}},
		{"create label", func(p *Portal) error {
			_, err := p.CreateLabel(Pair{"deal", "company"}, LabelInput{Name: "x", Label: "X"})
			return err
		}, []string{"labels/next", "labels/104"}},
		{"update label", func(p *Portal) error {
			return p.UpdateLabel(Pair{"company", "contact"}, 102, "Boss", nil)
		}, []string{"labels/101"}},
		{"delete label", func(p *Portal) error {
			return p.DeleteLabel(Pair{"contact", "contact"}, 103)
		}, []string{"labels/103"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestStore(t)
			rec := &recorder{}
			s.SetPersister(rec)
			p := populate(t, s, 1)
			rec.keys = nil
			if err := tt.write(p); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rec.keys, tt.want) {
				t.Fatalf("saved %v, want %v", rec.keys, tt.want)
			}
		})
	}
}

type recorder struct{ keys []string }

func (r *recorder) Commit(_ int64, _ bool, rows []persist.Row) error {
	for _, row := range rows {
		r.keys = append(r.keys, row.Domain+"/"+row.Key)
	}
	return nil
}

func (r *recorder) Remove(int64) error { return nil }

func TestAttachRestoresAndImportsOldFiles(t *testing.T) {
	dir := t.TempDir()
	// A portal file as earlier versions wrote it.
	old := newTestStore(t)
	doc, _ := json.Marshal(populate(t, old, 8).Snapshot())
	legacy := filepath.Join(dir, "portal-8.json")
	os.WriteFile(legacy, doc, 0o644)

	db, err := persist.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestStore(t)
	if n, err := s.Attach(db); err != nil || n != 1 {
		t.Fatalf("Attach = %d, %v", n, err)
	}
	if got, _ := json.Marshal(s.Portal(8).Snapshot()); string(got) != string(doc) {
		t.Fatalf("imported %s, want %s", got, doc)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Fatal("the imported file is still where it would be imported again")
	}
	if got, _ := os.ReadFile(legacy + persist.ImportedSuffix); string(got) != string(doc) {
		t.Fatal("the imported file was not kept aside unchanged")
	}
	if _, err := s.Portal(8).CreateLabel(Pair{"deal", "company"}, LabelInput{Name: "x", Label: "X"}); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(s.Portal(8).Snapshot())
	db.Close()

	db2, err := persist.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	s2 := newTestStore(t)
	if n, err := s2.Attach(db2); err != nil || n != 1 {
		t.Fatalf("Attach after restart = %d, %v", n, err)
	}
	if got, _ := json.Marshal(s2.Portal(8).Snapshot()); string(got) != string(want) {
		t.Fatalf("restored %s, want %s", got, want)
	}
}

func TestAttachRefusesBadSavedData(t *testing.T) {
	tests := []struct {
		name string
		rows []persist.Row
		want string
	}{
		{"undecodable", []persist.Row{{Domain: "limits", Key: "contact/company/279", Value: []byte(`{"fromObj`)}}, "limit"},
		{"key does not match", []persist.Row{{Domain: "limits", Key: "contact/company/1", Value: []byte(`{"fromObjectType":"contact","toObjectType":"company","typeId":279,"maxToObjectIds":2}`)}}, "the value is the limit"},
		{"breaks a rule", []persist.Row{{Domain: "limits", Key: "contact/company/279", Value: []byte(`{"fromObjectType":"contact","toObjectType":"company","typeId":279,"maxToObjectIds":0}`)}}, "out of range"},
		{"unknown domain", []persist.Row{{Domain: "nope", Key: "k", Value: []byte(`1`)}}, `unknown domain "nope"`},
		{"bad sequence", []persist.Row{{Domain: "labels", Key: "next", Value: []byte(`x`)}}, "labels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db, err := persist.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Commit(4, false, tt.rows); err != nil {
				t.Fatal(err)
			}
			before, _ := db.Portals()
			_, err = newTestStore(t).Attach(db)
			if err == nil || !strings.Contains(err.Error(), "data file "+db.File()+" is corrupt") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Attach = %v, want corrupt ... %s", err, tt.want)
			}
			if after, _ := db.Portals(); !reflect.DeepEqual(after, before) {
				t.Fatal("refused data was changed")
			}
		})
	}
}

func TestFirstWriteOfASeededPortalSavesItWhole(t *testing.T) {
	fixtures := `{"portals":[{"portalId":5,"labels":[],"limits":[{"fromObjectType":"contact","toObjectType":"company","typeId":279,"maxToObjectIds":3}]}]}`
	seeded := func() *Store {
		s := newTestStore(t)
		f, err := DecodeFixtures([]byte(fixtures))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Seed(f); err != nil {
			t.Fatal(err)
		}
		return s
	}
	dir := t.TempDir()
	db, err := persist.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := seeded()
	if _, err := s.Attach(db); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Portal(5).CreateLabel(Pair{"deal", "company"}, LabelInput{Name: "x", Label: "X"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Portal(6).CreateLabel(Pair{"deal", "company"}, LabelInput{Name: "y", Label: "Y"}); err != nil {
		t.Fatal(err)
	}
	want5, _ := json.Marshal(s.Portal(5).Snapshot())
	want6, _ := json.Marshal(s.Portal(6).Snapshot())
	db.Close()

	db, err = persist.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s = seeded()
	if _, err := s.Attach(db); err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(s.Portal(5).Snapshot()); string(got) != string(want5) {
		t.Fatalf("seeded portal after restart: %s, want %s", got, want5)
	}
	if got, _ := json.Marshal(s.Portal(6).Snapshot()); string(got) != string(want6) {
		t.Fatalf("new portal after restart: %s, want %s", got, want6)
	}
}
