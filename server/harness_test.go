package server

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/mockhub/mockhub/clock"
	"github.com/mockhub/mockhub/openapi"
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
	contractOnce sync.Once
	contractOps  []*openapi.Operation
	errorSchema  *openapi3.Schema
	contractErr  error
)

func loadContract() {
	docs, err := openapi.Load(context.Background())
	if err != nil {
		contractErr = err
		return
	}
	contractOps, contractErr = openapi.Operations(docs)
	errorSchema = docs[0].Spec.Components.Schemas["Error"].Value
}

// matchOperation finds the operation of our documents that serves path,
// mapping the alternate v4 spelling onto the documented one.
func matchOperation(method, path string) (*openapi.Operation, map[string]string) {
	if rest, ok := strings.CutPrefix(path, v4Alias); ok {
		path = v4Prefix + rest
	}
	got := strings.Split(strings.Trim(path, "/"), "/")
	var best *openapi.Operation
	var bestParams map[string]string
	bestStatic := -1
	for _, op := range contractOps {
		if op.Method != method {
			continue
		}
		tmpl := strings.Split(strings.Trim(op.Path, "/"), "/")
		if len(tmpl) != len(got) {
			continue
		}
		params, static := map[string]string{}, 0
		ok := true
		for i, seg := range tmpl {
			if strings.HasPrefix(seg, "{") {
				params[strings.Trim(seg, "{}")] = got[i]
			} else if seg == got[i] {
				static++
			} else {
				ok = false
				break
			}
		}
		if ok && static > bestStatic {
			best, bestParams, bestStatic = op, params, static
		}
	}
	return best, bestParams
}

// checkContract fails the test when an answer breaks the contract.
func checkContract(t *testing.T, method, path string, res response) {
	t.Helper()
	if err := contractError(method, path, res); err != nil {
		t.Fatal(err)
	}
}

// contractError validates one answer: the status must be declared by the
// operation (or be an error answered with the Error schema), and the body
// must match the declared schema.
func contractError(method, path string, res response) error {
	contractOnce.Do(loadContract)
	if contractErr != nil {
		return contractErr
	}
	if ct := res.Header.Get("Content-Type"); len(res.Body) > 0 && !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("%s %s: content type %q", method, path, ct)
	}
	if res.Header.Get("X-HubSpot-Correlation-Id") == "" {
		return fmt.Errorf("%s %s: no X-HubSpot-Correlation-Id", method, path)
	}
	if strings.HasPrefix(path, AdminPrefix) {
		return nil
	}
	op, params := matchOperation(method, path)
	if op == nil {
		if res.Status < 400 {
			return fmt.Errorf("%s %s: %d answered for a path no operation serves", method, path, res.Status)
		}
		var v any
		if err := json.Unmarshal(res.Body, &v); err != nil {
			return fmt.Errorf("%s %s: error body is not JSON: %s", method, path, res.Body)
		}
		if err := errorSchema.VisitJSON(v); err != nil {
			return fmt.Errorf("%s %s: %d body does not match Error: %v\n%s", method, path, res.Status, err, res.Body)
		}
		return nil
	}
	if res.Status < 400 && op.Operation.Responses.Status(res.Status) == nil {
		return fmt.Errorf("%s %s (%s %s): status %d is not declared", method, path, op.Document.Version, op.ID, res.Status)
	}
	req := httptest.NewRequest(method, path, nil)
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    req,
			PathParams: params,
			Route:      &routers.Route{Spec: op.Document.Spec, Path: op.Path, PathItem: op.PathItem, Method: op.Method, Operation: op.Operation},
		},
		Status:  res.Status,
		Header:  res.Header,
		Body:    io.NopCloser(bytes.NewReader(res.Body)),
		Options: &openapi3filter.Options{MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		return fmt.Errorf("%s %s (%s %s): %d answer breaks the contract: %v\n%s", method, path, op.Document.Version, op.ID, res.Status, err, res.Body)
	}
	return nil
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
