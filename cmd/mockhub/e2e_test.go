package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles cmd/mockhub into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "mockhub")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var listenLine = regexp.MustCompile(`addr=http://(\S+)`)

// startBinary runs the binary on a free loopback port from an empty
// directory and returns its base URL once it logged that it listens.
func startBinary(t *testing.T, bin string, args ...string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--addr", "127.0.0.1:0"}, args...)...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{} // nothing from the environment
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listenLine.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		return "http://" + a, cmd
	case <-time.After(10 * time.Second):
		t.Fatal("binary did not start listening")
	}
	return "", nil
}

func send(t *testing.T, method, url, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer pat-na1-e2e")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var m map[string]any
	if len(data) > 0 {
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s %s: %v: %s", method, url, err, data)
		}
	}
	return res.StatusCode, m
}

// TestSeedRequestThroughTheBinary builds and starts the real binary and
// sends the seed request, then reads it back in another version.
func TestSeedRequestThroughTheBinary(t *testing.T) {
	bin := buildBinary(t)
	base, cmd := startBinary(t, bin)

	status, body := send(t, "POST", base+"/crm/associations/2026-03/definitions/configurations/contacts/companies/batch/create",
		`{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":279}]}`)
	if status != 201 || body["status"] != "COMPLETE" {
		t.Fatalf("create: %d %v", status, body)
	}
	for _, path := range []string{
		"/crm/associations/2026-03/definitions/configurations/contacts/companies",
		"/crm/v4/associations/definitions/configurations/0-1/0-2",
		"/crm/associations/2026-09/definitions/configurations/all",
	} {
		status, body = send(t, "GET", base+path, "")
		results, _ := body["results"].([]any)
		if status != 200 || len(results) != 1 {
			t.Fatalf("%s: %d %v", path, status, body)
		}
		if r := results[0].(map[string]any); r["typeId"] != 279.0 || r["userEnforcedMaxToObjectIds"] != 5.0 {
			t.Fatalf("%s: %v", path, r)
		}
	}
	status, body = send(t, "GET", base+"/crm/associations/2026-03/definitions/configurations/nope/companies", "")
	if status != 400 || body["message"] != "Unable to infer object type from: nope" {
		t.Fatalf("bad object type: %d %v", status, body)
	}

	// SIGTERM ends the process cleanly.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
}
