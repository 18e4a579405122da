package pathpattern

import "testing"

func TestPattern(t *testing.T) {
	const create = "/crm/associations/2026-03/definitions/configurations/contacts/companies/batch/create"
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"", create, true},
		{create, create, true},
		{"/crm/associations/*/definitions/configurations/*/*/batch/create", create, true},
		{"/crm/associations/*/definitions/configurations/*/*/batch/update", create, false},
		{"/crm/**", create, true},
		{"/**", "/", true},
		{"/**/batch/create", create, true},
		{"/crm/**/contacts/**/create", create, true},
		{"/crm/*/batch/create", create, false},
		{"/crm/associations/**/labels", "/crm/associations/v4/contacts/companies/labels", true},
		{"/crm/associations/**/labels", "/crm/associations/labels", true},
		{"/crm/associations/*", "/crm/associations", false},
		{"/crm/associations/*", "/crm/associations/v4/x", false},
		{"/crm/associations/*", "/crm/associations/v4", true},
		{"/a/b", "/a/b/", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.path, func(t *testing.T) {
			p, err := Compile(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Match(tt.path); got != tt.want {
				t.Errorf("match = %v, want %v", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"crm/x", "/crm/a*"} {
		if _, err := Compile(bad); err == nil {
			t.Errorf("Compile(%q) succeeded", bad)
		}
	}
}
