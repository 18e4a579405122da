package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOfficialNodeClient drives the real binary with HubSpot's official Node
// client (@hubspot/api-client, clients/node/check.mjs). It needs Node.js and
// `npm ci` in clients/node; .ci/run does both and sets
// MOCKHUB_REQUIRE_NODE_CLIENT=1 so that a missing client fails instead of
// skipping.
func TestOfficialNodeClient(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "clients", "node"))
	if err != nil {
		t.Fatal(err)
	}
	required := os.Getenv("MOCKHUB_REQUIRE_NODE_CLIENT") == "1"
	node, err := exec.LookPath("node")
	if _, statErr := os.Stat(filepath.Join(dir, "node_modules", "@hubspot", "api-client")); err != nil || statErr != nil {
		if required {
			t.Fatalf("node client not installed (node: %v, module: %v); run npm ci in %s", err, statErr, dir)
		}
		t.Skip("run `npm ci` in clients/node to drive mockhub with HubSpot's Node client")
	}
	p := start(t, binary(t), t.TempDir())
	cmd := exec.Command(node, "check.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "MOCKHUB_URL=http://"+p.addr)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), " passed, 0 failed") {
		t.Fatalf("node client check: %v\n%s\nserver log:\n%s", err, out, p.log())
	}
	t.Logf("%s", strings.TrimSpace(string(out)))
}
