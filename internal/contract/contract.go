// Package contract checks mockhub's answers against its own OpenAPI
// documents. Tests use it so that every answer they see is also a check of
// the contract: the status must be one the operation declares (or an error
// answered with the Error schema) and the body must match its schema.
package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/mockhub/mockhub/internal/openapi"
)

// Checker validates answers against a set of documents.
type Checker struct {
	ops         []*openapi.Operation
	errorSchema *openapi3.Schema
}

// New loads the embedded documents.
func New() (*Checker, error) {
	docs, err := openapi.Load(context.Background())
	if err != nil {
		return nil, err
	}
	ops, err := openapi.Operations(docs)
	if err != nil {
		return nil, err
	}
	ref := docs[0].Spec.Components.Schemas["Error"]
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("contract: %s has no Error schema", docs[0].Version)
	}
	return &Checker{ops: ops, errorSchema: ref.Value}, nil
}

// Match finds the operation that serves method and path (in any spelling
// the server routes) and the path parameters it binds.
func (c *Checker) Match(method, path string) (*openapi.Operation, map[string]string) {
	// The query names no segment: without this, a query after a static
	// segment (batch/read?archived=true) matched no operation.
	path, _, _ = strings.Cut(path, "?")
	got := strings.Split(strings.Trim(path, "/"), "/")
	var best *openapi.Operation
	var bestParams map[string]string
	bestStatic := -1
	for _, op := range c.ops {
		if op.Method != method {
			continue
		}
		for _, tmplPath := range op.Paths() {
			tmpl := strings.Split(strings.Trim(tmplPath, "/"), "/")
			if len(tmpl) != len(got) {
				continue
			}
			params, static, ok := map[string]string{}, 0, true
			for i, seg := range tmpl {
				switch {
				case strings.HasPrefix(seg, "{"):
					params[strings.Trim(seg, "{}")] = got[i]
				case seg == got[i]:
					static++
				default:
					ok = false
				}
				if !ok {
					break
				}
			}
			if ok && static > bestStatic {
				best, bestParams, bestStatic = op, params, static
			}
		}
	}
	return best, bestParams
}

// Check validates one answer to method and path. Answers under the admin
// prefix are not part of the documents; only their shape basics are checked.
func (c *Checker) Check(method, path string, status int, header http.Header, body []byte) error {
	if ct := header.Get("Content-Type"); len(body) > 0 && !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("%s %s: content type %q", method, path, ct)
	}
	if header.Get("X-HubSpot-Correlation-Id") == "" {
		return fmt.Errorf("%s %s: no X-HubSpot-Correlation-Id", method, path)
	}
	if strings.HasPrefix(path, "/_mockhub") {
		return nil
	}
	op, params := c.Match(method, path)
	if op == nil {
		if status < 400 {
			return fmt.Errorf("%s %s: %d answered for a path no operation serves", method, path, status)
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return fmt.Errorf("%s %s: error body is not JSON: %s", method, path, body)
		}
		if err := c.errorSchema.VisitJSON(v); err != nil {
			return fmt.Errorf("%s %s: %d body does not match Error: %v\n%s", method, path, status, err, body)
		}
		return nil
	}
	if status < 400 && op.Operation.Responses.Status(status) == nil {
		return fmt.Errorf("%s %s (%s %s): status %d is not declared", method, path, op.Document.Version, op.ID, status)
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    httptest.NewRequest(method, path, nil),
			PathParams: params,
			Route:      &routers.Route{Spec: op.Document.Spec, Path: op.Path, PathItem: op.PathItem, Method: op.Method, Operation: op.Operation},
		},
		Status:  status,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		return fmt.Errorf("%s %s (%s %s): %d answer breaks the contract: %v\n%s", method, path, op.Document.Version, op.ID, status, err, body)
	}
	return nil
}
