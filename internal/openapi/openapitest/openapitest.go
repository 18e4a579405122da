// Package openapitest gives tests the operations of the embedded documents,
// loaded once per test binary.
package openapitest

import (
	"context"
	"sync"
	"testing"

	"github.com/mockhub/mockhub/internal/openapi"
)

var (
	once sync.Once
	ops  []*openapi.Operation
	err  error
)

// Operations returns every operation of the embedded documents.
func Operations(t testing.TB) []*openapi.Operation {
	t.Helper()
	once.Do(func() {
		var docs []*openapi.Document
		if docs, err = openapi.Load(context.Background()); err == nil {
			ops, err = openapi.Operations(docs)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return ops
}

// Operation returns the operation id of the document of version, failing
// the test when there is none.
func Operation(t testing.TB, version, id string) *openapi.Operation {
	t.Helper()
	for _, op := range Operations(t) {
		if op.Document.Version == version && op.ID == id {
			return op
		}
	}
	t.Fatalf("no operation %s %s", version, id)
	return nil
}
