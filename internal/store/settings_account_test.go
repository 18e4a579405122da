package store

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/persist"
)

// TestAccountSettingsAreState: the account settings go through a state
// document and a data directory like the search lag, and a change of one
// leaves the other as set.
func TestAccountSettingsAreState(t *testing.T) {
	dir := t.TempDir()
	db, err := persist.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestStore(t)
	if _, err := s.Attach(db); err != nil {
		t.Fatal(err)
	}
	lag := 2 * time.Second
	want := Settings{SearchLag: &lag, Account: AccountSettings{TimeZone: "Europe/Paris", CompanyCurrency: "EUR", UIDomain: "app-eu1.hubspot.com"}}
	if err := s.Portal(7).Update(func(tx *Tx) error { return tx.SetSettings(want) }); err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(s.Portal(7).Snapshot())
	if !strings.Contains(string(doc), `"settings":{"searchLag":"2s","timeZone":"Europe/Paris","companyCurrency":"EUR","uiDomain":"app-eu1.hubspot.com"}`) {
		t.Fatalf("snapshot %s", doc)
	}
	db.Close()

	db2, err := persist.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	s2 := newTestStore(t)
	if _, err := s2.Attach(db2); err != nil {
		t.Fatal(err)
	}
	var got Settings
	s2.Portal(7).View(func(v *View) { got = v.Settings() })
	if got.Account != want.Account || got.SearchLag == nil || *got.SearchLag != lag {
		t.Fatalf("restored %+v", got)
	}
	// Unsetting the account settings removes their rows.
	if err := s2.Portal(7).Update(func(tx *Tx) error { return tx.SetSettings(Settings{SearchLag: &lag}) }); err != nil {
		t.Fatal(err)
	}
	if doc, _ := json.Marshal(s2.Portal(7).Snapshot()); !strings.Contains(string(doc), `"settings":{"searchLag":"2s"}`) {
		t.Fatalf("snapshot after unset %s", doc)
	}

	snap, err := DecodeSnapshot([]byte(`{"settings":{"timeZone":"Nowhere/Else"}}`))
	if err == nil {
		err = s2.Replace(8, snap)
	}
	if kindOf(err) != KindInvalid || !strings.Contains(Message(err), "settings.timeZone") {
		t.Fatalf("bad time zone imported: %v", err)
	}
	for _, bad := range []AccountSettings{{TimeZone: "Local"}, {CompanyCurrency: "US"}, {CompanyCurrency: "usd"}, {UIDomain: "a b"}} {
		if err := s2.Portal(9).Update(func(tx *Tx) error { return tx.SetSettings(Settings{Account: bad}) }); kindOf(err) != KindInvalid {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}
