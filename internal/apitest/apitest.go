// Package apitest drives a mockhub server in-process for the tests of the
// server and of each API family: every answer is checked against our OpenAPI
// documents (the contract test), and bodies can be compared with golden
// files. It is imported by tests only.
package apitest

import (
	"bytes"
	"encoding/json"
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
	"github.com/mockhub/mockhub/internal/server"
)

// FrozenAt is the time of every harness clock: batch timestamps in golden
// files are this instant.
var FrozenAt = time.Date(2026, 3, 30, 12, 0, 0, 123_000_000, time.UTC)

// Harness is a server driven in-process on a manual clock.
type Harness struct {
	T     *testing.T
	Srv   *server.Server
	Clock *clock.Manual
}

// New returns a harness around a server built from cfg, on a manual clock at
// FrozenAt with seed 42 unless cfg says otherwise.
func New(t *testing.T, cfg server.Config) *Harness {
	t.Helper()
	clk, ok := cfg.Clock.(*clock.Manual)
	if !ok {
		clk = clock.NewManual(FrozenAt)
		cfg.Clock = clk
	}
	if cfg.Seed == 0 {
		cfg.Seed = 42
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return &Harness{T: t, Srv: srv, Clock: clk}
}

// Response is a recorded answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body as an object, failing the test otherwise.
func (r Response) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

// Results returns the body's results array, failing the test without one.
func (r Response) Results(t *testing.T) []map[string]any {
	t.Helper()
	raw, ok := r.JSON(t)["results"].([]any)
	if !ok {
		t.Fatalf("no results array: %s", r.Body)
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i], _ = v.(map[string]any)
	}
	return out
}

// Expect fails the test unless r has status.
func (r Response) Expect(t *testing.T, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
}

// Do sends a request with the given bearer token (none when empty) and JSON
// body (none when empty), and validates the answer against the contract.
func (h *Harness) Do(method, path, token, body string) Response {
	h.T.Helper()
	return h.DoWith(method, path, token, body, "application/json")
}

// DoWith is Do with the body's content type (none when empty).
func (h *Harness) DoWith(method, path, token, body, contentType string) Response {
	h.T.Helper()
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
	h.Srv.ServeHTTP(rec, req)
	res := Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	CheckContract(h.T, method, path, res)
	return res
}

var (
	contractOnce    sync.Once
	contractChecker *contract.Checker
	contractErr     error
)

// CheckContract fails the test when an answer breaks the contract.
func CheckContract(t *testing.T, method, path string, res Response) {
	t.Helper()
	if err := ContractError(method, path, res); err != nil {
		t.Fatal(err)
	}
}

// ContractError validates one answer against our documents.
func ContractError(method, path string, res Response) error {
	contractOnce.Do(func() { contractChecker, contractErr = contract.New() })
	if contractErr != nil {
		return contractErr
	}
	return contractChecker.Check(method, path, res.Status, res.Header, res.Body)
}

// Golden compares body, indented, with testdata/golden/name.json of the
// calling test's package; update rewrites the file instead.
func Golden(t *testing.T, name string, body []byte, update bool) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, body, "", "  "); err != nil {
		t.Fatalf("golden %s: %v: %s", name, err, body)
	}
	pretty.WriteByte('\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (rerun the test with -update)", name, err)
	}
	if !bytes.Equal(want, pretty.Bytes()) {
		t.Errorf("golden %s differs:\n--- want\n%s\n--- got\n%s", name, want, pretty.Bytes())
	}
}
