package compiled

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// load parses one of mockhub's documents with kin-openapi's YAML loader.
func load(t testing.TB, name string) (*openapi3.T, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "openapi", name))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatal(err)
	}
	return doc, data
}

// decodeResolved decodes a compiled document, resolved as it was encoded,
// and validates it (start-up skips the validation: the document was
// validated when compiled).
func decodeResolved(data string) (*openapi3.T, error) {
	doc, err := Decode(data)
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(context.Background())
}

// TestRoundTripMatchesTheLoader checks that a document written and read
// back is the document the YAML loader gives, references resolved to the
// same shared values.
func TestRoundTripMatchesTheLoader(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("..", "..", "..", "openapi", "*.yaml"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no documents: %v", err)
	}
	for _, path := range names {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			want, yamlData := load(t, name)
			data, err := Encode(want)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeResolved(string(data))
			if err != nil {
				t.Fatal(err)
			}
			if d := Difference(got, want); d != "" {
				a, _ := json.Marshal(want)
				b, _ := json.Marshal(got)
				t.Errorf("decoded document differs from the loaded one at %s (same JSON: %v)", d, string(a) == string(b))
			}
			t.Logf("%d bytes of YAML, %d bytes compiled", len(yamlData), len(data))
		})
	}
}

// BenchmarkDecode reads one compiled document and resolves and validates it,
// the start-up path; BenchmarkLoadYAML is the YAML loader doing the same.
func BenchmarkDecode(b *testing.B) {
	doc, _ := load(b, "2026-09.yaml")
	data, err := Encode(doc)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := decodeResolved(string(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadYAML(b *testing.B) {
	_, data := load(b, "2026-09.yaml")
	for b.Loop() {
		doc, err := openapi3.NewLoader().LoadFromData(data)
		if err != nil {
			b.Fatal(err)
		}
		if err := doc.Validate(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzDecode: whatever the bytes, Decode returns a document or an error; it
// does not panic or run away.
func FuzzDecode(f *testing.F) {
	doc, _ := load(f, "v4.yaml")
	data, err := Encode(doc)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/3])
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		if doc, err := Decode(string(data)); (doc == nil) == (err == nil) {
			t.Fatalf("doc %v, err %v", doc != nil, err)
		}
	})
}

func TestReadBundleRefusesDamage(t *testing.T) {
	doc, _ := load(t, "v4.yaml")
	data, err := Encode(doc)
	if err != nil {
		t.Fatal(err)
	}
	bundle := string(WriteBundle(map[string]Entry{"v4.yaml": {Source: [32]byte{1}, Data: string(data)}}))
	entries, err := ReadBundle(bundle)
	if err != nil || len(entries) != 1 || entries["v4.yaml"].Source != [32]byte{1} || entries["v4.yaml"].Data != string(data) {
		t.Fatalf("round trip: %v, %d entries", err, len(entries))
	}
	for _, damaged := range []string{
		"",
		"not a bundle",
		bundle[:len(bundle)-1],
		bundle + "\x00",
		bundle[:len(bundleMagic)+10],
	} {
		if _, err := ReadBundle(damaged); err == nil {
			t.Errorf("ReadBundle accepted %d damaged bytes", len(damaged))
		}
	}
}

// TestDifferenceSeesChanges: Difference reports other content, and a
// reference that no longer shares its component's value.
func TestDifferenceSeesChanges(t *testing.T) {
	a, _ := load(t, "v4.yaml")
	b, _ := load(t, "v3.yaml")
	if Difference(a, b) == "" {
		t.Fatal("v4 and v3 reported the same")
	}
	c, _ := load(t, "v4.yaml")
	if d := Difference(a, c); d != "" {
		t.Fatalf("one document loaded twice differs at %s", d)
	}
	// Break one shared reference: its value becomes an equal copy.
	broken := false
	for _, path := range c.Paths.InMatchingOrder() {
		for _, op := range c.Paths.Value(path).Operations() {
			for _, r := range op.Responses.Map() {
				if r.Ref != "" && r.Value != nil && !broken {
					copied := *r.Value
					r.Value = &copied
					broken = true
				}
			}
		}
	}
	if !broken {
		t.Fatal("no shared response to break")
	}
	if d := Difference(a, c); !strings.Contains(d, "shares a pointer") {
		t.Fatalf("unshared reference reported as %q", d)
	}
}
