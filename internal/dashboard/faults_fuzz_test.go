package dashboard

import (
	"encoding/json"
	"testing"

	"github.com/mockhub/mockhub/internal/decode"
	"github.com/mockhub/mockhub/internal/faults"
)

// FuzzRuleDocument: whatever a form holds, the document built from it is
// JSON the admin API's decoder reads or refuses, never a panic, and a rule
// it accepts is validated by the fault set.
func FuzzRuleDocument(f *testing.F) {
	f.Add("GET", "/crm/**", "12", "X-A", "b", "status", "status=503", "2", "1", "0.5", "id-1")
	f.Add("", "", "", "", "", "latency", "ms=300;jitterMs=50", "", "", "", "")
	f.Add("post", "crm", "x", "", "", "batchStatus", "status=PENDING,applyAfterMs=1e3", "-1", "x", "2", "a b")
	f.Add("", "", "", "", "", "", "=;kind=status;a==b", "1.5", "", "NaN", "")
	f.Fuzz(func(t *testing.T, method, path, portal, hname, hvalue, kind, params, times, after, prob, id string) {
		form := faultForm{ID: id, Method: method, Path: path, Portal: portal, HeaderName: hname, HeaderValue: hvalue, Kind: kind, Params: params, Times: times, After: after, Probability: prob}
		doc, msg := ruleDocument(form)
		if msg != "" {
			return
		}
		if !json.Valid(doc) {
			t.Fatalf("invalid JSON %s", doc)
		}
		var rule faults.Rule
		if err := decode.JSON(doc, &rule); err != nil {
			return
		}
		set, err := faults.NewSet(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = set.Add(rule)
	})
}
