package endpoint

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

type bindInner struct {
	Name string `json:"name"`
}

type bindTarget struct {
	Category string            `json:"category"`
	TypeID   int32             `json:"typeId"`
	Max      int64             `json:"max"`
	Ratio    float64           `json:"ratio"`
	Flag     bool              `json:"flag"`
	Inverse  *string           `json:"inverseLabel"`
	Items    []bindInner       `json:"items"`
	Props    map[string]string `json:"properties"`
	Raw      any               `json:"raw"`
	Skipped  string            `json:"-"`
	Untagged string
	hidden   string
}

func TestBind(t *testing.T) {
	label := "Billing"
	tests := []struct {
		name  string
		input string
		want  bindTarget
		err   string
	}{
		{name: "empty object", input: `{}`, want: bindTarget{}},
		{name: "scalars", input: `{"category":"USER_DEFINED","typeId":7,"max":5000000000,"ratio":0.5,"flag":true}`,
			want: bindTarget{Category: "USER_DEFINED", TypeID: 7, Max: 5000000000, Ratio: 0.5, Flag: true}},
		{name: "integral float is an integer", input: `{"typeId":5.0}`, want: bindTarget{TypeID: 5}},
		{name: "optional string present", input: `{"inverseLabel":"Billing"}`, want: bindTarget{Inverse: &label}},
		{name: "null leaves the field alone", input: `{"inverseLabel":null,"typeId":null}`, want: bindTarget{}},
		{name: "nested", input: `{"items":[{"name":"a"},{"name":"b","extra":1}],"properties":{"email":"x@y.z"}}`,
			want: bindTarget{Items: []bindInner{{"a"}, {"b"}}, Props: map[string]string{"email": "x@y.z"}}},
		{name: "any keeps the value", input: `{"raw":[1,"two"]}`, want: bindTarget{Raw: []any{1.0, "two"}}},
		{name: "dash and unexported are ignored", input: `{"-":"x","Skipped":"x","hidden":"x","Untagged":"u"}`, want: bindTarget{Untagged: "u"}},
		{name: "unknown properties are ignored", input: `{"other":{"deep":[1]}}`, want: bindTarget{}},
		{name: "fraction is not an integer", input: `{"typeId":1.5}`, err: "typeId"},
		{name: "int32 overflow", input: `{"typeId":3000000000}`, err: "typeId"},
		{name: "string for integer", input: `{"typeId":"1"}`, err: "typeId"},
		{name: "number for string", input: `{"category":1}`, err: "category"},
		{name: "object for list", input: `{"items":{}}`, err: "items"},
		{name: "wrong item", input: `{"items":[{"name":1}]}`, err: "items[0].name"},
		{name: "wrong map value", input: `{"properties":{"a":1}}`, err: "properties.a"},
		{name: "list for body", input: `[]`, err: "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(tt.input), &v); err != nil {
				t.Fatal(err)
			}
			var got bindTarget
			err := Bind(v, &got)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want one naming %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestBindNeedsAPointer(t *testing.T) {
	var target bindTarget
	if err := Bind(map[string]any{}, target); err == nil {
		t.Error("a non-pointer destination was accepted")
	}
	if err := Bind(map[string]any{}, (*bindTarget)(nil)); err == nil {
		t.Error("a nil pointer destination was accepted")
	}
}

// FuzzBind: whatever JSON arrives, binding returns (value or error) and never
// panics, and a value encoding/json can decode into the target binds to the
// same result. encoding/json matches keys regardless of case, which neither
// JSON Schema nor HubSpot does: inputs that spell a field in another case
// are only checked for panics.
func FuzzBind(f *testing.F) {
	for _, seed := range []string{`{}`, `{"typeId":1,"items":[{"name":"x"}]}`, `{"max":1e300}`, `{"typeId":-2147483649}`, `[1,2]`, `"s"`, `null`, `{"properties":{"a":"b"}}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		var v any
		if json.Unmarshal([]byte(input), &v) != nil {
			return
		}
		var bound bindTarget
		bindErr := Bind(v, &bound)
		lower := strings.ToLower(input)
		for _, f := range fieldsOf(reflect.TypeFor[bindTarget]()) {
			key := `"` + f.name + `"`
			if strings.Count(lower, strings.ToLower(key)) != strings.Count(input, key) {
				return
			}
		}
		var decoded bindTarget
		if json.Unmarshal([]byte(input), &decoded) != nil || bindErr != nil {
			return
		}
		decoded.Skipped = ""
		if !reflect.DeepEqual(bound, decoded) {
			t.Errorf("Bind = %+v, encoding/json = %+v", bound, decoded)
		}
	})
}
