package store

import (
	"bytes"
	"testing"

	"github.com/mockhub/mockhub/internal/persist"
)

// FuzzLoadRows feeds arbitrary saved rows to the start-up loader: it must
// refuse or accept them without panicking, and what it accepts must save
// back to rows that load to the same state.
func FuzzLoadRows(f *testing.F) {
	f.Add("limits", "contact/company/279", []byte(`{"fromObjectType":"contact","toObjectType":"company","typeId":279,"maxToObjectIds":2}`))
	f.Add("labels", "101", []byte(`{"name":"manager","fromObjectType":"contact","toObjectType":"company","typeId":101,"label":"Manager","inverseTypeId":102,"inverseLabel":"Managed by"}`))
	f.Add("labels", "103", []byte(`{"name":"sibling","fromObjectType":"contact","toObjectType":"contact","typeId":103,"label":"Sibling"}`))
	f.Add("labels", "next", []byte(`104`))
	f.Add("limits", "a/b/c", []byte(`{}`))
	f.Add("labels", "1", []byte(`{"typeId":1} x`))
	f.Add("settings", "searchLag", []byte(`"1.5s"`))
	f.Add("schema", "2-7", []byte(`{"objectType":{"id":"2-7","name":"car","labels":{"singular":"Car","plural":"Cars"},"primaryDisplayProperty":"model",`+
		`"properties":[{"name":"model","label":"Model","type":"string","fieldType":"text"}],"associatedObjects":["contact","2-7"],`+
		`"associations":[{"toObjectType":"contact","typeId":101,"inverseTypeId":102},{"toObjectType":"2-7","typeId":103}]}}`))
	f.Add("schema", "2-8", []byte(`{"objectType":{"id":"2-8","name":"boat","labels":{"singular":"Boat","plural":"Boats"},"primaryDisplayProperty":"hull",`+
		`"description":"Boats","requiredProperties":["hull"],"secondaryDisplayProperties":["hs_object_id"],"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z",`+
		`"properties":[{"name":"hull","label":"Hull","type":"string","fieldType":"text"}],"associatedObjects":[]}}`))
	s := newTestStore(f)
	f.Fuzz(func(t *testing.T, domain, key string, value []byte) {
		st, err := s.loadRows(persist.Portal{ID: 1, Rows: []persist.Row{{Domain: domain, Key: key, Value: value}}})
		if err != nil {
			return
		}
		rows := stateRows(st)
		again, err := s.loadRows(persist.Portal{ID: 1, Rows: rows})
		if err != nil {
			t.Fatalf("rows saved from an accepted state do not load: %v", err)
		}
		for i, r := range stateRows(again) {
			if r.Domain != rows[i].Domain || r.Key != rows[i].Key || !bytes.Equal(r.Value, rows[i].Value) {
				t.Fatalf("round trip changed row %d: %+v -> %+v", i, rows[i], r)
			}
		}
	})
}
