package main

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// overlay is one <version>.yaml of a family: what that version changes in
// the family's base.yaml.
type overlay struct {
	// extends names a version of the same family whose overlay applies
	// first.
	extends string
	// vars are placeholders beside ${version}.
	vars  map[string]string
	patch []*patch
}

// patch is one edit. path leads from the top of the document through
// mapping keys; what it names depends on the verb:
//
//	replace  the entry at path gets value, and key as its new key if set
//	         (it keeps its place)
//	add      the mapping at path gets value's entries, after its entry
//	         named after or at its end; none may exist yet
//	delete   the mapping at path loses its entries named in keys
//	append   the list at path gets items at its end
//	remove   the list at path loses items (each must be in it)
type patch struct {
	verb  string
	path  []string
	key   string
	after string
	keys  []string
	value *yaml.Node
	items []*yaml.Node
}

// patchFields lists, per verb, the fields it requires and those it allows.
var patchFields = map[string]struct{ required, optional []string }{
	"replace": {[]string{"value"}, []string{"key"}},
	"add":     {[]string{"value"}, []string{"after"}},
	"delete":  {[]string{"keys"}, nil},
	"append":  {[]string{"items"}, nil},
	"remove":  {[]string{"items"}, nil},
}

func parseOverlay(root *yaml.Node) (*overlay, error) {
	o := &overlay{vars: map[string]string{}}
	for i := 0; i < len(root.Content); i += 2 {
		k, v := root.Content[i].Value, root.Content[i+1]
		switch k {
		case "extends":
			if v.Kind != yaml.ScalarNode || !versionName.MatchString(v.Value) {
				return nil, fmt.Errorf("extends: want a version name")
			}
			o.extends = v.Value
		case "vars":
			if v.Kind != yaml.MappingNode {
				return nil, fmt.Errorf("vars: want a mapping of names to text")
			}
			for j := 0; j < len(v.Content); j += 2 {
				name, val := v.Content[j].Value, v.Content[j+1]
				if name == "version" {
					return nil, fmt.Errorf("vars: version is the file's name and cannot be set")
				}
				if val.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("vars: %s: want text", name)
				}
				o.vars[name] = val.Value
			}
		case "patch":
			if v.Kind != yaml.SequenceNode {
				return nil, fmt.Errorf("patch: want a list of edits")
			}
			for j, item := range v.Content {
				p, err := parsePatch(item)
				if err != nil {
					return nil, fmt.Errorf("patch %d: %w", j+1, err)
				}
				o.patch = append(o.patch, p)
			}
		default:
			return nil, fmt.Errorf("unknown key %q (want extends, vars, patch)", k)
		}
	}
	return o, nil
}

func parsePatch(n *yaml.Node) (*patch, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("want a mapping")
	}
	p := &patch{}
	fields := map[string]*yaml.Node{}
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		for v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		if _, ok := patchFields[k]; ok {
			if p.verb != "" {
				return nil, fmt.Errorf("two verbs, %s and %s", p.verb, k)
			}
			p.verb = k
			path, err := keyList(v)
			if err != nil || len(path) == 0 {
				return nil, fmt.Errorf("%s: want a path, a list of keys", k)
			}
			p.path = path
			continue
		}
		fields[k] = v
	}
	if p.verb == "" {
		return nil, fmt.Errorf("no verb (want one of replace, add, delete, append, remove)")
	}
	spec := patchFields[p.verb]
	for _, f := range spec.required {
		if fields[f] == nil {
			return nil, fmt.Errorf("%s needs %s", p.verb, f)
		}
	}
	for f, v := range fields {
		if !slices.Contains(spec.required, f) && !slices.Contains(spec.optional, f) {
			return nil, fmt.Errorf("%s takes no %s", p.verb, f)
		}
		var err error
		switch f {
		case "value":
			p.value = v
			if p.verb == "add" && v.Kind != yaml.MappingNode {
				err = fmt.Errorf("add: value: want a mapping of the entries to add")
			}
		case "key", "after":
			if v.Kind != yaml.ScalarNode {
				err = fmt.Errorf("%s: want a key", f)
			} else if f == "key" {
				p.key = v.Value
			} else {
				p.after = v.Value
			}
		case "keys":
			p.keys, err = keyList(v)
			if err == nil && len(p.keys) == 0 {
				err = fmt.Errorf("keys: empty")
			}
		case "items":
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				err = fmt.Errorf("items: want a non-empty list")
			}
			p.items = v.Content
		}
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// keyList reads a list of keys (scalars).
func keyList(n *yaml.Node) ([]string, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("want a list")
	}
	var out []string
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("want a list of keys")
		}
		out = append(out, c.Value)
	}
	return out, nil
}

// apply edits doc. Every edit checks that what it changes is there (or,
// for add, is not), so an overlay that no longer matches its base fails
// instead of doing nothing.
func (p *patch) apply(doc *yaml.Node) error {
	if p.verb == "replace" {
		parent, err := walk(doc, p.path[:len(p.path)-1])
		if err != nil {
			return err
		}
		last := p.path[len(p.path)-1]
		i := index(parent, last)
		if i < 0 {
			return fmt.Errorf("no %q to replace", last)
		}
		if p.key != "" && p.key != last {
			if index(parent, p.key) >= 0 {
				return fmt.Errorf("key %q exists already", p.key)
			}
			parent.Content[i] = clone(parent.Content[i])
			parent.Content[i].Value = p.key
		}
		parent.Content[i+1] = clone(p.value)
		return nil
	}
	target, err := walk(doc, p.path)
	if err != nil {
		return err
	}
	switch p.verb {
	case "add":
		if target.Kind != yaml.MappingNode {
			return fmt.Errorf("not a mapping")
		}
		at := len(target.Content)
		if p.after != "" {
			i := index(target, p.after)
			if i < 0 {
				return fmt.Errorf("no %q to add after", p.after)
			}
			at = i + 2
		}
		var add []*yaml.Node
		for i := 0; i < len(p.value.Content); i += 2 {
			if index(target, p.value.Content[i].Value) >= 0 {
				return fmt.Errorf("%q exists already: use replace", p.value.Content[i].Value)
			}
			add = append(add, clone(p.value.Content[i]), clone(p.value.Content[i+1]))
		}
		target.Content = slices.Insert(target.Content, at, add...)
	case "delete":
		if target.Kind != yaml.MappingNode {
			return fmt.Errorf("not a mapping")
		}
		for _, k := range p.keys {
			i := index(target, k)
			if i < 0 {
				return fmt.Errorf("no %q to delete", k)
			}
			target.Content = slices.Delete(target.Content, i, i+2)
		}
	case "append":
		if target.Kind != yaml.SequenceNode {
			return fmt.Errorf("not a list")
		}
		for _, item := range p.items {
			target.Content = append(target.Content, clone(item))
		}
	case "remove":
		if target.Kind != yaml.SequenceNode {
			return fmt.Errorf("not a list")
		}
		for _, item := range p.items {
			i := slices.IndexFunc(target.Content, func(n *yaml.Node) bool { return same(n, item) })
			if i < 0 {
				out, _ := yaml.Dump(item, yaml.WithFlowSimpleCollections(true))
				return fmt.Errorf("no item %s to remove", strings.TrimSpace(string(out)))
			}
			target.Content = slices.Delete(target.Content, i, i+1)
		}
	}
	return nil
}

// walk follows path through mappings from n.
func walk(n *yaml.Node, path []string) (*yaml.Node, error) {
	for i, k := range path {
		if n.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s is not a mapping", formatPath(path[:i]))
		}
		j := index(n, k)
		if j < 0 {
			return nil, fmt.Errorf("no %q in %s", k, formatPath(path[:i]))
		}
		n = n.Content[j+1]
	}
	return n, nil
}

// index returns the position of key's node in mapping m's Content, or -1.
func index(m *yaml.Node, key string) int {
	if m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// get returns the value of key in mapping m, or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	if i := index(m, key); i >= 0 {
		return m.Content[i+1]
	}
	return nil
}

// clone copies n deeply, replacing aliases by copies of what they name, so
// an anchor in a source never leaks into a document.
func clone(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return clone(n.Alias)
	}
	c := *n
	c.Anchor = ""
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, child := range n.Content {
		c.Content[i] = clone(child)
	}
	return &c
}

// same reports whether a and b hold the same data, whatever their style
// and comments.
func same(a, b *yaml.Node) bool {
	var x, y any
	if a.Decode(&x) != nil || b.Decode(&y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

var placeholder = regexp.MustCompile(`\$\{([^}]*)\}`)

// substitute replaces every ${name} in n's keys and texts by vars[name].
// The result is always text: a placeholder never changes a value's type.
func substitute(n *yaml.Node, vars map[string]string) error {
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "${") {
		var missing []string
		n.Value = placeholder.ReplaceAllStringFunc(n.Value, func(m string) string {
			name := m[2 : len(m)-1]
			v, ok := vars[name]
			if !ok {
				missing = append(missing, name)
			}
			return v
		})
		if missing != nil {
			return fmt.Errorf("line %d: no value for ${%s}", n.Line, strings.Join(missing, "}, ${"))
		}
		n.Tag = "!!str"
	}
	for _, c := range n.Content {
		if err := substitute(c, vars); err != nil {
			return err
		}
	}
	return nil
}
