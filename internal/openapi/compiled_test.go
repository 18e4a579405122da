package openapi

import (
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/openapi/compiled"
)

var update = flag.Bool("update", false, "rewrite compiled.bin from the YAML documents")

// TestCompiledDocumentsAreCurrent fails when a document was edited without
// regenerating compiled.bin (go generate ./openapi).
func TestCompiledDocumentsAreCurrent(t *testing.T) {
	want, err := compile(documents)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("../../openapi/compiled.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if compiledDocuments != string(want) {
		t.Fatal("compiled.bin is stale: run go generate ./openapi")
	}
}

// TestCompiledFormIsTheParsedDocument compares every embedded document read
// from its compiled form with the same document parsed from YAML.
func TestCompiledFormIsTheParsedDocument(t *testing.T) {
	ctx := context.Background()
	fast, err := Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := LoadFS(ctx, documents)
	if err != nil {
		t.Fatal(err)
	}
	if len(fast) != len(parsed) {
		t.Fatalf("%d documents compiled, %d parsed", len(fast), len(parsed))
	}
	for i := range fast {
		if !fast[i].Compiled || parsed[i].Compiled {
			t.Errorf("%s: compiled = %v and %v, want true and false", fast[i].Version, fast[i].Compiled, parsed[i].Compiled)
		}
		if d := compiled.Difference(fast[i].Spec, parsed[i].Spec); d != "" {
			t.Errorf("%s: compiled document differs from the parsed one at %s", fast[i].Version, d)
		}
	}
}

// TestUnusableCompiledFormFallsBackToYAML: an entry compiled from other
// YAML, or one that does not decode, is ignored rather than trusted.
func TestUnusableCompiledFormFallsBackToYAML(t *testing.T) {
	entries, err := compiled.ReadBundle(compiledDocuments)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(name string, e compiled.Entry) compiled.Entry{
		"stale": func(_ string, e compiled.Entry) compiled.Entry {
			e.Source[0] ^= 0xff
			return e
		},
		"truncated": func(_ string, e compiled.Entry) compiled.Entry {
			e.Data = e.Data[:len(e.Data)/2]
			return e
		},
		"garbage": func(_ string, e compiled.Entry) compiled.Entry {
			e.Data = strings.Repeat("\xff", len(e.Data))
			return e
		},
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			spoilt := map[string]compiled.Entry{}
			for doc, e := range entries {
				spoilt[doc] = spoil(doc, e)
			}
			docs, err := load(context.Background(), documents, spoilt)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range docs {
				if d.Compiled {
					t.Errorf("%s was read from an unusable compiled form", d.Version)
				}
			}
		})
	}
}

func TestBundleFromOtherTypesIsRefused(t *testing.T) {
	data := []byte(compiledDocuments)
	data[len("mockhub compiled openapi 1\n")] ^= 0xff // a byte of the fingerprint
	if _, err := compiled.ReadBundle(string(data)); err != compiled.ErrFingerprint {
		t.Fatalf("err = %v, want ErrFingerprint", err)
	}
}
