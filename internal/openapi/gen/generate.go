package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Header starts every generated document; the file names the command
// that rewrites it.
const Header = "# Code generated from openapi/src by go generate ./openapi. DO NOT EDIT.\n"

// versionName is the shape of an API version name: v4, or a dated version.
var versionName = regexp.MustCompile(`^(v[0-9]+|[0-9]{4}-[0-9]{2})$`)

// familyKeys are the top-level keys a family may define; the rest of a
// document comes from document.yaml.
var familyKeys = []string{"tags", "security", "paths", "components"}

// Generate returns every version's document, keyed by file name
// (<version>.yaml), built from the sources in src: document.yaml, then
// each family (a folder holding base.yaml and one overlay per version it
// serves) merged in, families in name order.
func Generate(src fs.FS) (map[string][]byte, error) {
	skeleton, err := readYAML(src, "document.yaml")
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(src, ".")
	if err != nil {
		return nil, err
	}
	var families []*family
	versions := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() {
			if n := e.Name(); path.Ext(n) == ".yaml" && n != "document.yaml" {
				return nil, fmt.Errorf("%s: a source belongs in a family's folder", n)
			}
			continue
		}
		f, err := readFamily(src, e.Name())
		if err != nil {
			return nil, err
		}
		families = append(families, f)
		for v := range f.overlays {
			versions[v] = true
		}
	}
	if len(versions) == 0 {
		return nil, fmt.Errorf("no family serves any version")
	}
	out := map[string][]byte{}
	for _, v := range slices.Sorted(maps.Keys(versions)) {
		doc := clone(skeleton)
		if err := substitute(doc, map[string]string{"version": v}); err != nil {
			return nil, fmt.Errorf("document.yaml for %s: %w", v, err)
		}
		m := &merger{doc: doc, owner: map[string]string{}}
		for _, f := range families {
			if f.overlays[v] == nil {
				continue
			}
			part, err := f.build(v)
			if err != nil {
				return nil, err
			}
			if err := m.merge(f.name, part); err != nil {
				return nil, fmt.Errorf("%s: %w", v, err)
			}
		}
		data, err := yaml.Dump(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}},
			yaml.WithIndent(2), yaml.WithCompactSeqIndent(false), yaml.WithLineWidth(-1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v, err)
		}
		out[v+".yaml"] = append([]byte(Header), data...)
	}
	return out, nil
}

// readYAML parses one source file and returns its top-level mapping. The
// comment at the top of the file, when a blank line separates it from the
// content, explains the source and is not copied into documents.
func readYAML(src fs.FS, name string) (*yaml.Node, error) {
	data, err := fs.ReadFile(src, name)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		// Empty or only comments.
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: want a mapping at the top", name)
	}
	return root, nil
}

// family is one API family's sources.
type family struct {
	name     string
	base     *yaml.Node
	overlays map[string]*overlay
}

func readFamily(src fs.FS, name string) (*family, error) {
	f := &family{name: name, overlays: map[string]*overlay{}}
	files, err := fs.ReadDir(src, name)
	if err != nil {
		return nil, err
	}
	for _, e := range files {
		file := e.Name()
		if e.IsDir() || path.Ext(file) != ".yaml" {
			continue
		}
		full := path.Join(name, file)
		node, err := readYAML(src, full)
		if err != nil {
			return nil, err
		}
		if file == "base.yaml" {
			f.base = node
			continue
		}
		v := strings.TrimSuffix(file, ".yaml")
		if !versionName.MatchString(v) {
			return nil, fmt.Errorf("%s: not base.yaml nor <version>.yaml (v4, 2026-03, ...)", full)
		}
		o, err := parseOverlay(node)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", full, err)
		}
		f.overlays[v] = o
	}
	if f.base == nil {
		return nil, fmt.Errorf("%s: no base.yaml", name)
	}
	if len(f.overlays) == 0 {
		return nil, fmt.Errorf("%s: no <version>.yaml: the family serves no version", name)
	}
	for i := 0; i < len(f.base.Content); i += 2 {
		if k := f.base.Content[i].Value; !slices.Contains(familyKeys, k) {
			return nil, fmt.Errorf("%s/base.yaml: top-level key %q: a family defines only %s", name, k, strings.Join(familyKeys, ", "))
		}
	}
	return f, nil
}

// build returns the family's part of version v's document: base.yaml with
// the overlays of v (after those it extends) applied and every placeholder
// replaced.
func (f *family) build(v string) (*yaml.Node, error) {
	var chain []string
	for at := v; at != ""; at = f.overlays[at].extends {
		if slices.Contains(chain, at) {
			return nil, fmt.Errorf("%s/%s.yaml: extends loop %s", f.name, v, strings.Join(append(chain, at), " -> "))
		}
		if f.overlays[at] == nil {
			return nil, fmt.Errorf("%s/%s.yaml: extends %s, which has no %s.yaml", f.name, chain[len(chain)-1], at, at)
		}
		chain = append(chain, at)
	}
	slices.Reverse(chain)
	doc := clone(f.base)
	vars := map[string]string{}
	for _, at := range chain {
		o := f.overlays[at]
		for k, val := range o.vars {
			vars[k] = val
		}
		for i, p := range o.patch {
			if err := p.apply(doc); err != nil {
				return nil, fmt.Errorf("%s/%s.yaml: patch %d (%s %s): %w", f.name, at, i+1, p.verb, formatPath(p.path), err)
			}
		}
	}
	vars["version"] = v
	if err := substitute(doc, vars); err != nil {
		return nil, fmt.Errorf("%s for %s: %w", f.name, v, err)
	}
	for i := 0; i < len(doc.Content); i += 2 {
		if k := doc.Content[i].Value; !slices.Contains(familyKeys, k) {
			return nil, fmt.Errorf("%s for %s: top-level key %q: a family defines only %s", f.name, v, k, strings.Join(familyKeys, ", "))
		}
	}
	return doc, nil
}

// merger merges families' parts into one version's document.
type merger struct {
	doc *yaml.Node
	// owner names the family that defined each operation and component,
	// for the error about a second definition.
	owner map[string]string
}

// httpMethods are the path item keys that are operations.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// merge adds one family's part to the document. Two families may share a
// path (with different methods), a tag, a component or the top-level
// security only when they define it identically.
func (m *merger) merge(fam string, part *yaml.Node) error {
	for i := 0; i < len(part.Content); i += 2 {
		key, val := part.Content[i].Value, part.Content[i+1]
		have := get(m.doc, key)
		if have == nil {
			m.doc.Content = append(m.doc.Content, clone(part.Content[i]), clone(val))
			m.own(fam, key, val)
			continue
		}
		var err error
		switch key {
		case "tags":
			err = m.mergeTags(fam, have, val)
		case "security":
			if !same(have, val) {
				err = fmt.Errorf("families %s and %s declare different top-level security; put security on their operations instead", m.owner["security"], fam)
			}
		case "paths":
			err = m.mergePaths(fam, have, val)
		case "components":
			err = m.mergeComponents(fam, have, val)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// own records fam as the definer of what a newly added top-level entry
// holds.
func (m *merger) own(fam, key string, val *yaml.Node) {
	switch key {
	case "security":
		m.owner["security"] = fam
	case "tags":
		for _, t := range val.Content {
			m.owner["tag "+tagName(t)] = fam
		}
	case "paths":
		for i := 0; i < len(val.Content); i += 2 {
			m.ownPathItem(fam, val.Content[i].Value, val.Content[i+1])
		}
	case "components":
		for i := 0; i < len(val.Content); i += 2 {
			section := val.Content[i+1]
			for j := 0; j < len(section.Content); j += 2 {
				m.owner["components/"+val.Content[i].Value+"/"+section.Content[j].Value] = fam
			}
		}
	}
}

func (m *merger) ownPathItem(fam, p string, item *yaml.Node) {
	for j := 0; j < len(item.Content); j += 2 {
		m.owner[strings.ToUpper(item.Content[j].Value)+" "+p] = fam
	}
}

func tagName(t *yaml.Node) string {
	if n := get(t, "name"); n != nil {
		return n.Value
	}
	return ""
}

func (m *merger) mergeTags(fam string, have, add *yaml.Node) error {
	if have.Kind != yaml.SequenceNode || add.Kind != yaml.SequenceNode {
		return fmt.Errorf("tags: want a list")
	}
next:
	for _, t := range add.Content {
		name := tagName(t)
		for _, h := range have.Content {
			if tagName(h) != name {
				continue
			}
			if !same(h, t) {
				return fmt.Errorf("tag %q: families %s and %s describe it differently", name, m.owner["tag "+name], fam)
			}
			continue next
		}
		have.Content = append(have.Content, clone(t))
		m.owner["tag "+name] = fam
	}
	return nil
}

func (m *merger) mergePaths(fam string, have, add *yaml.Node) error {
	for i := 0; i < len(add.Content); i += 2 {
		p, item := add.Content[i].Value, add.Content[i+1]
		h := get(have, p)
		if h == nil {
			have.Content = append(have.Content, clone(add.Content[i]), clone(item))
			m.ownPathItem(fam, p, item)
			continue
		}
		for j := 0; j < len(item.Content); j += 2 {
			k, v := item.Content[j].Value, item.Content[j+1]
			id := strings.ToUpper(k) + " " + p
			hv := get(h, k)
			switch {
			case hv == nil:
				h.Content = append(h.Content, clone(item.Content[j]), clone(v))
				m.owner[id] = fam
			case slices.Contains(httpMethods, k):
				return fmt.Errorf("%s: defined by families %s and %s", id, m.owner[id], fam)
			case !same(hv, v):
				return fmt.Errorf("path %s: %s differs between families %s and %s", p, k, m.owner[id], fam)
			}
		}
	}
	return nil
}

func (m *merger) mergeComponents(fam string, have, add *yaml.Node) error {
	for i := 0; i < len(add.Content); i += 2 {
		section, entries := add.Content[i].Value, add.Content[i+1]
		h := get(have, section)
		if h == nil {
			have.Content = append(have.Content, clone(add.Content[i]), clone(entries))
			for j := 0; j < len(entries.Content); j += 2 {
				m.owner["components/"+section+"/"+entries.Content[j].Value] = fam
			}
			continue
		}
		for j := 0; j < len(entries.Content); j += 2 {
			name, v := entries.Content[j].Value, entries.Content[j+1]
			id := "components/" + section + "/" + name
			hv := get(h, name)
			switch {
			case hv == nil:
				h.Content = append(h.Content, clone(entries.Content[j]), clone(v))
				m.owner[id] = fam
			case !same(hv, v):
				return fmt.Errorf("%s: families %s and %s define it differently", id, m.owner[id], fam)
			}
		}
	}
	return nil
}

// formatPath shows a patch path as the overlay writes it.
func formatPath(p []string) string {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, k := range p {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
	}
	b.WriteByte(']')
	return b.String()
}
