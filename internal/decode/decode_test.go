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
