// Command gen writes mockhub's OpenAPI documents, one per API version
// (openapi/<version>.yaml), from their sources in openapi/src: a base
// document per API family plus one small overlay per version the family
// serves (see openapi/src/README.md). go generate ./openapi runs it.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

func main() {
	src := flag.String("src", "src", "directory holding document.yaml and one folder per API family")
	out := flag.String("out", ".", "directory the <version>.yaml documents are written to")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// run generates every document from src into out, and removes documents
// it generated earlier for a version no family serves any more.
func run(src, out string) error {
	docs, err := Generate(os.DirFS(src))
	if err != nil {
		return err
	}
	existing, err := filepath.Glob(filepath.Join(out, "*.yaml"))
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range existing {
		if _, ok := docs[filepath.Base(name)]; ok {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		// Only a file this command wrote may be removed; any other one is
		// someone's hand-written document, which would be served unchecked.
		if !bytes.HasPrefix(data, []byte(Header)) {
			errs = append(errs, fmt.Errorf("%s is not generated: move its content into a family under %s", name, src))
			continue
		}
		if err := os.Remove(name); err != nil {
			return err
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for name, data := range docs {
		path := filepath.Join(out, name)
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
			continue
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
