package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goInternals are fragments of Go's own error texts that no message of the
// command line may show.
var goInternals = []string{"strconv", "json:", "Go struct", "slog", "time:", "flag provided", "open "}

func TestCommandLineErrorsArePlain(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badType := write("faults.yaml", "rules:\n  - fault: {kind: latency, ms: abc}\n")
	badTokens := write("tokens.yaml", "tokens:\n  - token: a\n    portalId: many\n")
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		usage bool // exit 2
		want  []string
	}{
		{"misspelled command", []string{"healtcheck"}, nil, true, []string{`unknown command or stray argument "healtcheck"`, "healthcheck"}},
		{"stray argument after flags", []string{"--addr", "127.0.0.1:0", "serve"}, nil, true, []string{`stray argument "serve"`}},
		{"stray argument of healthcheck", []string{"healthcheck", "now"}, nil, true, []string{`stray argument "now": mockhub healthcheck takes only flags`}},
		{"negative journal size", []string{"--journal-size", "-5"}, nil, true, []string{`--journal-size must be a whole number, 0 or more (0 disables the journal), got "-5"`}},
		{"journal size not a number", []string{"--journal-size=abc"}, nil, true, []string{`--journal-size must be a whole number`, `got "abc"`}},
		{"journal size from the environment", nil, map[string]string{"MOCKHUB_JOURNAL_SIZE": "abc"}, true, []string{`environment variable MOCKHUB_JOURNAL_SIZE (for --journal-size) must be a whole number`, `got "abc"`}},
		{"log level", []string{"--log-level", "loud"}, nil, true, []string{`--log-level must be debug, info, warn or error, got "loud"`}},
		{"log level from the environment", nil, map[string]string{"MOCKHUB_LOG_LEVEL": "loud"}, true, []string{`environment variable MOCKHUB_LOG_LEVEL (for --log-level) must be debug, info, warn or error`}},
		{"seed", []string{"--seed", "-1"}, nil, true, []string{`--seed must be a whole number, 0 or more`}},
		{"duration without unit", []string{"--read-timeout", "5"}, nil, true, []string{`--read-timeout must be a duration such as 500ms, 10s or 2m`, `got "5"`}},
		{"negative duration", []string{"--shutdown-timeout", "-1s"}, nil, true, []string{`--shutdown-timeout must be a duration`}},
		{"negative connection cap", []string{"--max-conns", "-1"}, nil, true, []string{`--max-conns must be a whole number, 0 or more (0 means no cap)`}},
		{"healthcheck timeout from the environment", []string{"healthcheck"}, map[string]string{"MOCKHUB_HEALTHCHECK_TIMEOUT": "soon"}, true, []string{`environment variable MOCKHUB_HEALTHCHECK_TIMEOUT (for --timeout) must be a duration`}},
		{"rate limit", []string{"--rate-limit", "gold"}, nil, true, []string{`--rate-limit must be free, starter, professional, enterprise or N/10s,D/day`, `got "gold"`}},
		{"rate limit from the environment", nil, map[string]string{"MOCKHUB_RATE_LIMIT": "gold"}, true, []string{`environment variable MOCKHUB_RATE_LIMIT (for --rate-limit)`}},
		{"search lag without unit", []string{"--search-lag", "5"}, nil, true, []string{`--search-lag must be a duration such as 500ms, 5s or 1m, from 0 to 24h0m0s, got "5"`}},
		{"search lag too long", []string{"--search-lag", "48h"}, nil, true, []string{`--search-lag must be a duration`, `got "48h"`}},
		{"search lag from the environment", nil, map[string]string{"MOCKHUB_SEARCH_LAG": "-1s"}, true, []string{`environment variable MOCKHUB_SEARCH_LAG (for --search-lag) must be a duration`}},
		{"association ceiling of zero", []string{"--max-associations", "0"}, nil, true, []string{`--max-associations must be a whole number from 1 to 2147483647, got "0"`}},
		{"association ceiling from the environment", nil, map[string]string{"MOCKHUB_MAX_ASSOCIATIONS": "many"}, true, []string{`environment variable MOCKHUB_MAX_ASSOCIATIONS (for --max-associations) must be a whole number`}},
		{"unknown flag", []string{"--jounal-size", "5"}, nil, true, []string{"unknown flag --jounal-size"}},
		{"flag without value", []string{"--addr"}, nil, true, []string{"flag --addr needs a value"}},
		{"version with a value", []string{"--version=maybe"}, nil, true, []string{`--version takes no value, got "maybe"`}},
		{"fault rule of the wrong type", []string{"--addr", "127.0.0.1:0", "--faults", badType}, nil, false, []string{"--faults: " + badType + ": fault latency: ms must be a whole number, got a string"}},
		{"fault file from the environment", []string{"--addr", "127.0.0.1:0"}, map[string]string{"MOCKHUB_FAULTS": badType}, false, []string{"MOCKHUB_FAULTS: " + badType + ": "}},
		{"missing fault file", []string{"--addr", "127.0.0.1:0", "--faults", badType + ".missing"}, nil, false, []string{"--faults: " + badType + ".missing: no such file or directory"}},
		{"tokens of the wrong type", []string{"--addr", "127.0.0.1:0", "--tokens", badTokens}, nil, false, []string{"--tokens: " + badTokens + ": tokens.portalId must be a whole number, got a string"}},
		{"missing fixtures from the environment", []string{"--addr", "127.0.0.1:0"}, map[string]string{"MOCKHUB_FIXTURES": badType + ".missing"}, false, []string{"MOCKHUB_FIXTURES: " + badType + ".missing: no such file or directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var stderr bytes.Buffer
			err := run(context.Background(), tt.args, io.Discard, &stderr)
			if err == nil {
				t.Fatal("accepted")
			}
			var usage *usageError
			if got := errors.As(err, &usage); got != tt.usage {
				t.Errorf("usage error (exit 2) = %v, want %v: %v", got, tt.usage, err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message %q lacks %q", err, want)
				}
			}
			for _, bad := range goInternals {
				if strings.Contains(err.Error(), bad) {
					t.Errorf("message %q shows Go's %q", err, bad)
				}
			}
			if stderr.Len() > 0 {
				t.Errorf("printed besides the error: %s", stderr.String())
			}
		})
	}
}

// TestFlagOverridesBadVariable: a bad MOCKHUB_* value does not matter when
// the command line gives the flag.
func TestFlagOverridesBadVariable(t *testing.T) {
	clearEnv(t)
	t.Setenv("MOCKHUB_JOURNAL_SIZE", "lots")
	o, err := parseFlags([]string{"--journal-size", "3"}, io.Discard)
	if err != nil || o.journalSize != 3 {
		t.Fatalf("journalSize %d, err %v", o.journalSize, err)
	}
}
