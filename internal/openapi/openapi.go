// Package openapi loads mockhub's own OpenAPI documents (embedded by package
// openapi at the module root), one per HubSpot API version, and turns them
// into the list of operations the server mounts. A document that does not
// load or validate stops start-up, so the contract and the routes cannot
// drift apart.
package openapi

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mockhub/mockhub/internal/openapi/compiled"
	docs "github.com/mockhub/mockhub/openapi"
)

// documents and compiledDocuments are the embedded documents and their
// compiled form (see package openapi at the module root).
var (
	documents         fs.FS = docs.Documents
	compiledDocuments       = docs.Compiled
)

// Document is one loaded API version.
type Document struct {
	Version string
	Spec    *openapi3.T
	// Compiled says the document was read from its compiled form rather
	// than parsed from YAML.
	Compiled bool
}

// Operation is one method on one path of one version, with what the server
// needs to know about its contract.
type Operation struct {
	Document *Document
	ID       string
	Method   string
	// Path is the path template as written in the document.
	Path      string
	PathItem  *openapi3.PathItem
	Operation *openapi3.Operation
	// Success is the status of a fully successful answer (the lowest 2xx).
	Success int
	// MultiStatus says the operation answers 207 when some inputs fail.
	MultiStatus bool
	// ErrorsInBody says the success body may carry per-input errors.
	ErrorsInBody bool
	// RequestSchema is the body schema, nil for operations without one.
	RequestSchema *openapi3.Schema
	// Form says the body is application/x-www-form-urlencoded (OAuth's
	// token endpoint), not JSON: each field is a string.
	Form bool
	// Public says the operation takes no credentials (its security is an
	// empty list, as OAuth's own endpoints): no authentication, scopes or
	// rate limit apply, and it acts on no portal.
	Public bool
	// Batch says the operation is a batch: its body is HubSpot's batch
	// input, an object whose "inputs" is an array. Batch faults and the
	// batch runner apply to these operations only.
	Batch bool
	// RateLimitExemptions lists x-hubspot-rate-limit-exemptions.
	RateLimitExemptions []string
	// resultProperties are the properties of the success answer's results
	// items.
	resultProperties map[string]bool
}

// Load reads and validates every embedded document, from its compiled form
// where that was compiled from the same YAML.
func Load(ctx context.Context) ([]*Document, error) {
	// A bundle that cannot be read (written for another kin-openapi) only
	// costs time: every document is then parsed from YAML.
	entries, _ := compiled.ReadBundle(compiledDocuments)
	return load(ctx, documents, entries)
}

// LoadFS reads and validates every *.yaml document at the root of fsys.
func LoadFS(ctx context.Context, fsys fs.FS) ([]*Document, error) {
	return load(ctx, fsys, nil)
}

func load(ctx context.Context, fsys fs.FS, entries map[string]compiled.Entry) ([]*Document, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("openapi: no documents found")
	}
	sort.Strings(names)
	// Documents are independent: parse them in parallel, since start-up time
	// matters to users who start a server per test.
	docs := make([]*Document, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				errs[i] = fmt.Errorf("openapi: read %s: %w", name, err)
				return
			}
			entry, ok := entries[name]
			docs[i], errs[i] = parse(ctx, name, data, entry, ok)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return docs, nil
}

// parse loads one document: from entry when it is the compiled form of
// exactly data, otherwise from the YAML. Either way kin-openapi resolves its
// references and validates it.
func parse(ctx context.Context, name string, data []byte, entry compiled.Entry, haveEntry bool) (*Document, error) {
	spec, fromCompiled := fromEntry(ctx, data, entry, haveEntry)
	if spec == nil {
		loader := openapi3.NewLoader()
		loader.Context = ctx
		var err error
		if spec, err = loader.LoadFromData(data); err != nil {
			return nil, fmt.Errorf("openapi: load %s: %w", name, err)
		}
	}
	// A compiled entry was validated when it was compiled (compile) from
	// exactly this YAML; validating it again would only repeat that, and it
	// is about a quarter of start-up's work.
	if !fromCompiled {
		if err := spec.Validate(ctx); err != nil {
			return nil, fmt.Errorf("openapi: validate %s: %w", name, err)
		}
	}
	version, _ := spec.Extensions["x-mockhub-version"].(string)
	if version == "" {
		return nil, fmt.Errorf("openapi: %s has no x-mockhub-version", name)
	}
	if want := strings.TrimSuffix(path.Base(name), ".yaml"); version != want {
		return nil, fmt.Errorf("openapi: %s declares version %q", name, version)
	}
	return &Document{Version: version, Spec: spec, Compiled: fromCompiled}, nil
}

// fromEntry returns the document entry holds, resolved, or nil when entry is
// missing, stale or unreadable.
func fromEntry(ctx context.Context, data []byte, entry compiled.Entry, ok bool) (*openapi3.T, bool) {
	if !ok || sha256.Sum256(data) != entry.Source {
		return nil, false
	}
	// The compiled form comes back resolved: it was resolved (and
	// validated) when compiled.
	spec, err := compiled.Decode(entry.Data)
	if err != nil {
		return nil, false
	}
	return spec, true
}

// compile returns the compiled form of every *.yaml document of fsys, for
// the embedded compiled.bin.
func compile(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	entries := map[string]compiled.Entry{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		spec, err := openapi3.NewLoader().LoadFromData(data)
		if err != nil {
			return nil, fmt.Errorf("openapi: load %s: %w", name, err)
		}
		// Only a valid document is compiled: start-up trusts its compiled
		// form without validating it again.
		if err := spec.Validate(context.Background()); err != nil {
			return nil, fmt.Errorf("openapi: validate %s: %w", name, err)
		}
		enc, err := compiled.Encode(spec)
		if err != nil {
			return nil, fmt.Errorf("openapi: compile %s: %w", name, err)
		}
		entries[name] = compiled.Entry{Source: sha256.Sum256(data), Data: string(enc)}
	}
	return compiled.WriteBundle(entries), nil
}

// Operations lists every operation of the documents, in a stable order. It
// fails on an operation the server could not serve faithfully: one without an
// operationId, without a 2xx or 3xx answer, or with a body that is neither
// JSON nor a form.
func Operations(docs []*Document) ([]*Operation, error) {
	var ops []*Operation
	for _, d := range docs {
		for _, p := range d.Spec.Paths.InMatchingOrder() {
			item := d.Spec.Paths.Value(p)
			for method, op := range item.Operations() {
				o, err := newOperation(d, p, item, method, op)
				if err != nil {
					return nil, fmt.Errorf("openapi %s: %s %s: %w", d.Version, method, p, err)
				}
				ops = append(ops, o)
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		a, b := ops[i], ops[j]
		if a.Document.Version != b.Document.Version {
			return a.Document.Version < b.Document.Version
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Method < b.Method
	})
	return ops, nil
}

func newOperation(d *Document, p string, item *openapi3.PathItem, method string, op *openapi3.Operation) (*Operation, error) {
	if op.OperationID == "" {
		return nil, fmt.Errorf("no operationId")
	}
	o := &Operation{Document: d, ID: op.OperationID, Method: method, Path: p, PathItem: item, Operation: op}
	o.Public = op.Security != nil && len(*op.Security) == 0
	for code := range op.Responses.Map() {
		n, err := strconv.Atoi(code)
		if err != nil {
			continue
		}
		// A redirect is the success of an operation that answers only
		// with one (OAuth's authorize screen).
		if n >= 200 && n < 400 && n != http.StatusMultiStatus && (o.Success == 0 || n < o.Success) {
			o.Success = n
		}
		if n == http.StatusMultiStatus {
			o.MultiStatus = true
		}
	}
	if o.Success == 0 {
		return nil, fmt.Errorf("no 2xx or 3xx response")
	}
	if resp := op.Responses.Status(o.Success); resp != nil && resp.Value != nil {
		if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
			_, o.ErrorsInBody = mt.Schema.Value.Properties["errors"]
		}
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		mt := op.RequestBody.Value.Content.Get("application/json")
		if form := op.RequestBody.Value.Content.Get("application/x-www-form-urlencoded"); mt == nil && form != nil {
			mt, o.Form = form, true
		}
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
			return nil, fmt.Errorf("request body is neither application/json nor a form")
		}
		o.RequestSchema = mt.Schema.Value
		o.Batch = isBatchInput(o.RequestSchema)
	}
	o.resultProperties = resultItemProperties(op, o.Success)
	if ex, ok := op.Extensions["x-hubspot-rate-limit-exemptions"].([]any); ok {
		for _, v := range ex {
			if s, ok := v.(string); ok {
				o.RateLimitExemptions = append(o.RateLimitExemptions, s)
			}
		}
	}
	return o, nil
}

// v4Prefix and v4Alias are the two spellings HubSpot serves v4 under: the
// current documents use the first, the official Node client calls the second.
const (
	v4Prefix = "/crm/associations/v4/"
	v4Alias  = "/crm/v4/associations/"
)

// schemasV3Prefix and schemasV3Alias are the two spellings HubSpot serves
// the v3 schemas API under: the official Node client calls the first,
// older guides and integrations the second.
const (
	schemasV3Prefix = "/crm-object-schemas/v3/schemas"
	schemasV3Alias  = "/crm/v3/schemas"
)

// Paths returns the paths the operation is served at: its document path
// and, for v4, the /crm/v4/associations/ spelling of it, for the v3
// schemas API the /crm/v3/schemas one.
func (o *Operation) Paths() []string {
	paths := []string{o.Path}
	if rest, ok := strings.CutPrefix(o.Path, v4Prefix); ok {
		paths = append(paths, v4Alias+rest)
	}
	if rest, ok := strings.CutPrefix(o.Path, schemasV3Prefix); ok {
		paths = append(paths, schemasV3Alias+rest)
	}
	return paths
}

// ResponseHasProperty reports whether the items of the success answer's
// results list property. Label answers use it to learn whether this version
// carries fromObjectTypeId/toObjectTypeId.
func (o *Operation) ResponseHasProperty(property string) bool {
	return o.resultProperties[property]
}

// resultItemProperties collects the properties of the results items of the
// operation's success answer.
func resultItemProperties(op *openapi3.Operation, success int) map[string]bool {
	resp := op.Responses.Status(success)
	if resp == nil || resp.Value == nil {
		return nil
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return nil
	}
	results := mt.Schema.Value.Properties["results"]
	if results == nil || results.Value == nil || results.Value.Items == nil || results.Value.Items.Value == nil {
		return nil
	}
	out := map[string]bool{}
	for name := range results.Value.Items.Value.Properties {
		out[name] = true
	}
	return out
}

// isBatchInput reports whether schema is HubSpot's batch input: an object
// with an "inputs" array.
func isBatchInput(schema *openapi3.Schema) bool {
	inputs := schema.Properties["inputs"]
	return inputs != nil && inputs.Value != nil && inputs.Value.Type.Is(openapi3.TypeArray)
}
