package objecttype

import "testing"

func TestResolve(t *testing.T) {
	reg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		in   string
		want Type
		ok   bool
	}{
		{"0-1", Type{"0-1", "contact"}, true},
		{"contacts", Type{"0-1", "contact"}, true},
		{"Contact", Type{"0-1", "contact"}, true},
		{"COMPANIES", Type{"0-2", "company"}, true},
		{"line_items", Type{"0-8", "line_item"}, true},
		{"line_item", Type{"0-8", "line_item"}, true},
		{"0-53", Type{"0-53", "invoice"}, true},
		{"taxes", Type{"0-86", "tax"}, true},
		{"2-123", Type{ID: "2-123"}, true},
		{"2-0", Type{}, false},
		{"2-", Type{}, false},
		{"2-01", Type{}, false},
		{"2-abc", Type{}, false},
		{"credentialing_2_0", Type{}, false},
		{"false", Type{}, false},
		{"", Type{}, false},
		{"0-999", Type{}, false},
	}
	for _, tc := range cases {
		got, ok := reg.Resolve(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("Resolve(%q) = %+v %v, want %+v %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
