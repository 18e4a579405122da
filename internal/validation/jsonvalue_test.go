package validation

import (
	"encoding/json"
	"reflect"
	"testing"
)

var jsonSamples = []string{
	`{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":279}]}`,
	`{"a":"\u00e9\ud83d\ude00\n\"x\\","b":[true,false,null,-0,1.5e3,2E-2]}`,
	`  [ ]  `, `{}`, `"\ud800"`, `"\ud800\u0041"`, "\"\xff\xfe\"", `1e400`, `-`, `01`, `1.`, `{"a" 1}`, `[1,]`,
	`{"a":1,"a":2}`, `"é"`, "\"\t\"", `nul`, `{"a":[[[[]]]]}`,
}

// testKeys are shared keys, as a validator passes them.
var testKeys = map[string]string{"inputs": "inputs", "a": "a", "b": "b", "typeId": "typeId"}

func TestParseJSONAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range jsonSamples {
		compareParsers(t, []byte(s))
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range jsonSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { compareParsers(t, data) })
}

// compareParsers: where the fast parser accepts input, encoding/json must
// accept it too and produce the same value; where encoding/json rejects it,
// the fast parser must reject it too.
func compareParsers(t *testing.T, data []byte) {
	t.Helper()
	fast, ok := parseJSON(data, testKeys)
	var std any
	err := json.Unmarshal(data, &std)
	if ok && err != nil {
		t.Fatalf("%q: fast parser accepted what encoding/json rejects: %v", data, err)
	}
	if ok && !reflect.DeepEqual(fast, std) {
		t.Fatalf("%q: fast %#v, std %#v", data, fast, std)
	}
}
