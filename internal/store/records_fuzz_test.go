package store

import (
	"bytes"
	"testing"

	"github.com/mockhub/mockhub/internal/persist"
)

// FuzzLoadRecordRows feeds arbitrary saved rows of the records domain (a
// sequence row and a record row) to the start-up loader: it must refuse or
// accept them without panicking, and what it accepts must save back to rows
// that load to the same state.
func FuzzLoadRecordRows(f *testing.F) {
	rec := []byte(`{"objectType":"contact","id":"10000000001","createdAt":"2026-03-30T12:00:00.123Z","updatedAt":"2026-03-30T12:00:00.13Z",` +
		`"properties":{"email":"a@x.com"},"propertiesWithHistory":{"email":[{"value":"a@x.com","timestamp":"2026-03-30T12:00:00.123Z"}],` +
		`"firstname":[{"value":"","timestamp":"2026-03-30T12:00:00.13Z"},{"value":"Ann","timestamp":"2026-03-30T12:00:00.123Z"}]}}`)
	f.Add("contact", []byte(`10000000002`), "contact/10000000001", rec)
	f.Add("contacts", []byte(`5`), "contacts/1", []byte(`{"objectType":"contacts","id":"1","createdAt":"2026-01-01T00:00:00Z","archived":true,"archivedAt":"2026-01-02T00:00:00Z","properties":{"email":"A@x.com"}}`))
	f.Add("2-123", []byte(`-1`), "2-123/01", []byte(`{"objectType":"2-123","id":"01","createdAt":"2026-01-01T00:00:00Z","properties":{}}`))
	f.Add("deal", []byte(`1e3`), "deal/7", []byte(`{"objectType":"deal","id":"7","createdAt":"9999-12-31T23:59:59.999Z","properties":{"a":""},"propertiesWithHistory":{"a":[{"value":"","timestamp":"0000-01-01T00:00:00Z"}]}}`))
	f.Add("x/y", []byte(`{}`), "contact/1", []byte(`{"objectType":"contact","id":"1"} x`))
	s := newTestStore(f)
	f.Fuzz(func(t *testing.T, seqKey string, seq []byte, recKey string, value []byte) {
		rows := []persist.Row{{Domain: "records", Key: seqKey, Value: seq}, {Domain: "records", Key: recKey, Value: value}}
		st, err := s.loadRows(persist.Portal{ID: 1, Rows: rows})
		if err != nil {
			return
		}
		saved := stateRows(st)
		again, err := s.loadRows(persist.Portal{ID: 1, Rows: saved})
		if err != nil {
			t.Fatalf("rows saved from an accepted state do not load: %v", err)
		}
		for i, r := range stateRows(again) {
			if r.Domain != saved[i].Domain || r.Key != saved[i].Key || !bytes.Equal(r.Value, saved[i].Value) {
				t.Fatalf("round trip changed row %d: %+v -> %+v", i, saved[i], r)
			}
		}
	})
}
