package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestFlagsTakeEnvironmentDefaults(t *testing.T) {
	t.Setenv("MOCKHUB_ADDR", "127.0.0.1:9999")
	t.Setenv("MOCKHUB_JOURNAL_SIZE", "42")
	t.Setenv("MOCKHUB_DATA_DIR", "/tmp/x")
	t.Setenv("MOCKHUB_FIXTURES", "/tmp/f.json")
	t.Setenv("MOCKHUB_SEED", "7")
	t.Setenv("MOCKHUB_SHUTDOWN_TIMEOUT", "3s")
	t.Setenv("MOCKHUB_SEARCH_LAG", "250ms")
	o, err := parseFlags(nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	want := defaultOptions()
	want.addr, want.seed, want.journalSize, want.dataDir, want.fixtures, want.shutdownTimeout = "127.0.0.1:9999", 7, 42, "/tmp/x", "/tmp/f.json", 3*time.Second
	want.searchLag = 250 * time.Millisecond
	if !sameOptions(o, want) {
		t.Fatalf("options = %+v, want %+v", o, want)
	}
	// A flag beats its variable.
	if o, _ = parseFlags([]string{"--journal-size", "5"}, &bytes.Buffer{}); o.journalSize != 5 {
		t.Fatalf("--journal-size 5 gave %d", o.journalSize)
	}
}

// defaultOptions are the options without flags or variables.
func defaultOptions() options {
	return options{addr: "127.0.0.1:4010", logLevel: slog.LevelInfo, journalSize: 1000, shutdownTimeout: 10 * time.Second,
		readTimeout: 60 * time.Second, writeTimeout: 2 * time.Minute, idleTimeout: 2 * time.Minute, maxConns: 4096, maxAssociations: 50000}
}

// sameOptions compares options but for their source function.
func sameOptions(a, b options) bool {
	a.source, b.source = nil, nil
	return reflect.DeepEqual(a, b)
}

// clearEnv unsets every MOCKHUB_* variable for the test.
func clearEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		name, value, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "MOCKHUB_") {
			t.Setenv(name, value) // restores it after the test
			os.Unsetenv(name)
		}
	}
}

func TestFlagDefaults(t *testing.T) {
	clearEnv(t)
	o, err := parseFlags(nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if want := defaultOptions(); !sameOptions(o, want) {
		t.Fatalf("options = %+v, want %+v", o, want)
	}
}

func TestBadEnvironmentValueIsNamed(t *testing.T) {
	t.Setenv("MOCKHUB_JOURNAL_SIZE", "lots")
	if _, err := parseFlags(nil, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "MOCKHUB_JOURNAL_SIZE") {
		t.Fatalf("err = %v", err)
	}
}

func TestHelpListsEveryFlagWithEnvAndDefault(t *testing.T) {
	clearEnv(t)
	var stderr bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, &bytes.Buffer{}, &stderr); err != nil {
		t.Fatal(err)
	}
	help := stderr.String()
	for _, line := range []string{
		`--addr (env MOCKHUB_ADDR, default "127.0.0.1:4010")`,
		`--log-level (env MOCKHUB_LOG_LEVEL, default "info")`,
		`--seed (env MOCKHUB_SEED, default "0")`,
		`--journal-size (env MOCKHUB_JOURNAL_SIZE, default "1000")`,
		`--data-dir (env MOCKHUB_DATA_DIR, default "")`,
		`--fixtures (env MOCKHUB_FIXTURES, default "")`,
		`--shutdown-timeout (env MOCKHUB_SHUTDOWN_TIMEOUT, default "10s")`,
		`--read-timeout (env MOCKHUB_READ_TIMEOUT, default "60s")`,
		`--write-timeout (env MOCKHUB_WRITE_TIMEOUT, default "2m")`,
		`--idle-timeout (env MOCKHUB_IDLE_TIMEOUT, default "2m")`,
		`--max-conns (env MOCKHUB_MAX_CONNS, default "4096")`,
		`--search-lag (env MOCKHUB_SEARCH_LAG, default "0s")`,
		`--max-associations (env MOCKHUB_MAX_ASSOCIATIONS, default "50000")`,
		`--version`,
		`mockhub healthcheck`,
	} {
		if !strings.Contains(help, line) {
			t.Errorf("help lacks %q:\n%s", line, help)
		}
	}
}

func TestBadFixturesFileIsNamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fixtures.json")
	os.WriteFile(path, []byte(`{"portals":[{"portalId":5,"labels":[],"limits":[{"fromObjectType":"planets","toObjectType":"company","typeId":279,"maxToObjectIds":3}]}]}`), 0o644)
	err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--fixtures", path}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "--fixtures "+path) || !strings.Contains(err.Error(), `unknown object type "planets"`) {
		t.Fatalf("err = %v", err)
	}
	err = run(context.Background(), []string{"--addr", "127.0.0.1:0", "--fixtures", path + ".missing"}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "--fixtures") {
		t.Fatalf("missing file: err = %v", err)
	}
}

func TestHealthURL(t *testing.T) {
	tests := map[string]string{
		"0.0.0.0:4010":   "http://127.0.0.1:4010/_mockhub/health",
		":4010":          "http://127.0.0.1:4010/_mockhub/health",
		"[::]:4010":      "http://127.0.0.1:4010/_mockhub/health",
		"127.0.0.1:5000": "http://127.0.0.1:5000/_mockhub/health",
		"mock:80":        "http://mock:80/_mockhub/health",
	}
	for addr, want := range tests {
		if got, err := healthURL(addr); err != nil || got != want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
	if _, err := healthURL("4010"); err == nil {
		t.Error("healthURL accepted an address without a port")
	}
}
