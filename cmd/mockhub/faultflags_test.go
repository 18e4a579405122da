package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/server"
)

func TestFaultOptions(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rules := write("faults.yaml", "rules:\n  - match: {path: /crm/**}\n    fault: {kind: status, status: 503}\n    times: 1\n")
	tokens := write("tokens.json", `{"tokens":[{"token":"pat-na1-a","portalId":111,"scopes":["crm.objects.contacts.read"]}]}`)
	bad := write("bad.yaml", "rules:\n  - fault: {kind: status, status: 200}\n")

	opts, err := parseFlags([]string{"--faults", rules, "--rate-limit", "professional", "--tokens", tokens}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var cfg server.Config
	if err := faultOptions(opts, &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.FaultRules) != 1 || cfg.RateLimit == nil || cfg.RateLimit.TenSecondly != 190 {
		t.Errorf("config %+v", cfg)
	}
	if _, ok := cfg.Authenticator.(*auth.Tokens); !ok {
		t.Errorf("authenticator %T", cfg.Authenticator)
	}

	t.Setenv("MOCKHUB_RATE_LIMIT", "5/10s,100/day")
	opts, _ = parseFlags(nil, io.Discard)
	cfg = server.Config{}
	if err := faultOptions(opts, &cfg); err != nil || cfg.RateLimit.Daily != 100 {
		t.Errorf("env: %+v %v", cfg.RateLimit, err)
	}

	for _, args := range [][]string{
		{"--faults", bad},
		{"--faults", filepath.Join(dir, "missing.json")},
		{"--rate-limit", "gold"},
		{"--tokens", rules},
	} {
		opts, err := parseFlags(args, io.Discard)
		if err != nil {
			continue // refused while parsing (--rate-limit)
		}
		if err := faultOptions(opts, &server.Config{}); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
