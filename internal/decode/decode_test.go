package decode

import (
	"testing"
	"time"
)

type doc struct {
	Name  string     `json:"name"`
	N     int        `json:"n"`
	At    *time.Time `json:"at,omitempty"`
	Items []string   `json:"items"`
}

func TestStrict(t *testing.T) {
	tests := []struct {
		in   string
		want doc
		err  bool
	}{
		{`{"name":"a","n":1,"items":["x"]}`, doc{Name: "a", N: 1, Items: []string{"x"}}, false},
		{"name: a\nn: 1\nitems: [x]\n", doc{Name: "a", N: 1, Items: []string{"x"}}, false},
		{"# comment\nname: a\n", doc{Name: "a"}, false},
		{"at: 2027-01-01T00:00:00Z\n", doc{}, false},
		{`{"name":"a","bogus":1}`, doc{}, true},
		{"bogus: 1\n", doc{}, true},
		{`{"name":"a"} {"name":"b"}`, doc{}, true},
		{"n: abc\n", doc{}, true},
		{"name: [unclosed\n", doc{}, true},
		{"", doc{}, true},
		{"   \n", doc{}, true},
	}
	for _, tt := range tests {
		var got doc
		err := Strict([]byte(tt.in), &got)
		if (err != nil) != tt.err {
			t.Errorf("Strict(%q) error = %v", tt.in, err)
			continue
		}
		if err == nil && (got.Name != tt.want.Name || got.N != tt.want.N || len(got.Items) != len(tt.want.Items)) {
			t.Errorf("Strict(%q) = %+v", tt.in, got)
		}
	}
	var got doc
	if err := Strict([]byte("at: 2027-01-01T00:00:00Z\n"), &got); err != nil || got.At == nil || got.At.Year() != 2027 {
		t.Errorf("YAML timestamp: %+v %v", got.At, err)
	}
}

func TestPlain(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{`{"n":"abc"}`, `n must be a whole number, got a string`},
		{`{"n":1.5}`, `n must be a whole number, got 1.5`},
		{`{"name":3}`, `name must be a string, got a number`},
		{`{"items":{}}`, `items must be a list, got an object`},
		{`{"items":[true]}`, `items must be a string, got true or false`},
		{`[1]`, `the value must be an object, got a list`},
		{`{"bogus":1}`, `unknown field "bogus"`},
		{`{"name":`, `the document ends in the middle of a value`},
		{`{"name" 1}`, `invalid JSON at byte 9: invalid character '1' after object key`},
	}
	for _, tt := range tests {
		var d doc
		err := JSON([]byte(tt.in), &d)
		if err == nil {
			t.Errorf("%s: accepted", tt.in)
			continue
		}
		if got := Plain(err).Error(); got != tt.want {
			t.Errorf("Plain(%q) = %q, want %q", err, got, tt.want)
		}
	}
	if err := Strict([]byte("n: abc\n"), &doc{}); Plain(err).Error() != "n must be a whole number, got a string" {
		t.Errorf("YAML: %v", Plain(err))
	}
}
