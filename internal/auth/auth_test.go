package auth

import "testing"

func TestPrincipalHolds(t *testing.T) {
	tests := []struct {
		name     string
		p        Principal
		accepted []string
		want     bool
	}{
		{"all scopes", Principal{AllScopes: true}, []string{"crm.objects.contacts.write"}, true},
		{"all scopes, none accepted", Principal{AllScopes: true}, []string{}, true},
		{"no scope required", Principal{}, nil, true},
		{"no scope required, some held", Principal{Scopes: []string{"files"}}, nil, true},
		{"one of several accepted", Principal{Scopes: []string{"files", "crm.objects.deals.read"}}, []string{"crm.objects.contacts.write", "crm.objects.deals.read"}, true},
		{"no overlap", Principal{Scopes: []string{"files", "oauth"}}, []string{"crm.objects.contacts.write", "crm.objects.deals.read"}, false},
		{"no scopes held", Principal{}, []string{"crm.objects.contacts.write"}, false},
		{"none of this kind accepted", Principal{Scopes: []string{"crm.objects.contacts.write"}}, []string{}, false},
		{"prefix is not a match", Principal{Scopes: []string{"crm.objects.contacts"}}, []string{"crm.objects.contacts.write"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Holds(tt.accepted); got != tt.want {
				t.Errorf("Holds(%v) = %v, want %v", tt.accepted, got, tt.want)
			}
		})
	}
}
