// Package bare is the floor mockhub's benchmarks compare against: a plain
// net/http handler that decodes a limits batch into a struct and writes a
// canned answer, with no validation, state or HubSpot behaviour.
package bare

import (
	"encoding/json"
	"net/http"
)

type input struct {
	Category       string `json:"category"`
	TypeID         int32  `json:"typeId"`
	MaxToObjectIDs int32  `json:"maxToObjectIds"`
}

var canned = []byte(`{"status":"COMPLETE","results":[{"category":"HUBSPOT_DEFINED","typeId":279,"userEnforcedMaxToObjectIds":5}],"startedAt":"2026-01-01T00:00:00.000Z","completedAt":"2026-01-01T00:00:00.000Z"}`)

// Handler answers every request with status after decoding its body.
func Handler(status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Inputs []input `json:"inputs"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(canned)
	})
}
