package server

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/contract"
)

var update = flag.Bool("update", false, "rewrite golden files")

// frozenAt is the time of every test clock: batch timestamps in golden files
// are this instant.
var frozenAt = time.Date(2026, 3, 30, 12, 0, 0, 123_000_000, time.UTC)

// harness drives a Server in-process and checks every answer against our
// OpenAPI documents (the contract test).
type harness struct {
	t     *testing.T
	srv   *Server
	clock *clock.Manual
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	clk := clock.NewManual(frozenAt)
	srv, err := New(Config{Clock: clk, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, srv: srv, clock: clk}
}

// response is a recorded answer with its decoded body.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

// do sends a request with the given bearer token (none when empty) and
// JSON body (none when empty), and validates the answer against the contract.
func (h *harness) do(method, path, token, body string) response {
	h.t.Helper()
	return h.doWith(method, path, token, body, "application/json")
}

func (h *harness) doWith(method, path, token, body, contentType string) response {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != "" && contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	res := response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	checkContract(h.t, method, path, res)
	return res
}

var (
	contractOnce    sync.Once
	contractChecker *contract.Checker
	contractErr     error
)

// checkContract fails the test when an answer breaks the contract.
func checkContract(t *testing.T, method, path string, res response) {
	t.Helper()
	if err := contractError(method, path, res); err != nil {
		t.Fatal(err)
	}
}

// contractError validates one answer against our documents.
func contractError(method, path string, res response) error {
	contractOnce.Do(func() { contractChecker, contractErr = contract.New() })
	if contractErr != nil {
		return contractErr
	}
	return contractChecker.Check(method, path, res.Status, res.Header, res.Body)
}

// golden compares body with testdata/golden/name.json (rewritten with
// -update).
func golden(t *testing.T, name string, body []byte) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, body, "", "  "); err != nil {
		t.Fatalf("golden %s: %v: %s", name, err, body)
	}
	pretty.WriteByte('\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run go test ./server -run %s -update)", name, err, t.Name())
	}
	if !bytes.Equal(want, pretty.Bytes()) {
		t.Errorf("golden %s differs:\n--- want\n%s\n--- got\n%s", name, want, pretty.Bytes())
	}
}
