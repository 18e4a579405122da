package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOfficialNodeClient drives the real binary with HubSpot's official Node
// client (@hubspot/api-client): clients/node/check.mjs (association labels
// and limits, then records in clients/node/records.mjs and the schema APIs
// in schema.mjs) and check-associations.mjs (association records). It needs
// Node.js and `npm ci` in clients/node; .ci/run does both and sets
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
		const why = "HubSpot's Node client is not installed; run `cd clients/node && npm ci` to drive mockhub with it"
		if !testing.Short() { // under -short it would be skipped anyway
			notice("mockhub: TestOfficialNodeClient skipped: " + why)
		}
		t.Skip(why)
	}
	p := start(t, binary(t), t.TempDir())
	// Each script uses a token of its own, so they share the binary but not a portal.
	for _, script := range []string{"check.mjs", "check-associations.mjs"} {
		cmd := exec.Command(node, script)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "MOCKHUB_URL=http://"+p.addr)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), " passed, 0 failed") {
			t.Fatalf("node client %s: %v\n%s\nserver log:\n%s", script, err, out, p.log())
		}
		t.Logf("%s: %s", script, strings.TrimSpace(string(out)))
	}
}

// notice tells whoever runs the tests something they should act on, even in a
// plain `go test ./...`, which shows a passing package's output (t.Skip's
// reason included) only with -v. It writes to the controlling terminal when
// there is one, else to stderr. The terminal is opened with syscall.Open
// rather than os.OpenFile so that the go command does not record it as an
// input of the test, which would keep the package's result out of its cache.
func notice(msg string) {
	if fd, err := syscall.Open("/dev/tty", syscall.O_WRONLY, 0); err == nil {
		tty := os.NewFile(uintptr(fd), "/dev/tty")
		_, err = fmt.Fprintln(tty, msg)
		tty.Close()
		if err == nil {
			return
		}
	}
	fmt.Fprintln(os.Stderr, msg)
}
