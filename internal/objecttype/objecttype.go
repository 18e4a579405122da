// Package objecttype resolves the object type spellings HubSpot accepts in
// paths (type ids such as 0-1, singular and plural names in any case, custom
// object ids 2-N) to one canonical Type.
package objecttype

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mockhub/mockhub/fixtures"
)

// Type is a resolved object type. Name is the canonical singular name of a
// standard type ("contact"), empty for custom objects; ID is HubSpot's object
// type id ("0-1", "2-123"), empty for the few standard types HubSpot publishes
// no id for.
type Type struct {
	ID   string
	Name string
}

// Key identifies the type in state and fixtures: the name for standard types,
// the id for custom objects.
func (t Type) Key() string {
	if t.Name != "" {
		return t.Name
	}
	return t.ID
}

// Registry resolves spellings to types.
type Registry struct {
	byAlias map[string]Type
	byKey   map[string]Type
}

// NewRegistry builds a registry from object type definitions. It fails on an
// alias that names two different types.
func NewRegistry(defs []fixtures.ObjectType) (*Registry, error) {
	r := &Registry{byAlias: map[string]Type{}, byKey: map[string]Type{}}
	for _, d := range defs {
		t := Type{Name: d.Name}
		if d.ID != nil {
			t.ID = *d.ID
		}
		r.byKey[t.Key()] = t
		for _, alias := range []string{t.ID, d.Name, d.Plural} {
			if alias == "" {
				continue
			}
			alias = strings.ToLower(alias)
			if prev, ok := r.byAlias[alias]; ok && prev != t {
				return nil, fmt.Errorf("objecttype: %q names both %s and %s", alias, prev.Key(), t.Key())
			}
			r.byAlias[alias] = t
		}
	}
	return r, nil
}

// Default returns the registry of the embedded fixtures.
func Default() (*Registry, error) {
	defs, err := fixtures.ObjectTypes()
	if err != nil {
		return nil, err
	}
	return NewRegistry(defs)
}

// Resolve returns the type s names.
func (r *Registry) Resolve(s string) (Type, bool) {
	if t, ok := r.byAlias[strings.ToLower(s)]; ok {
		return t, true
	}
	if id, ok := strings.CutPrefix(s, "2-"); ok && id != "" {
		if n, err := strconv.ParseUint(id, 10, 63); err == nil && n > 0 && strconv.FormatUint(n, 10) == id {
			return Type{ID: s}, true
		}
	}
	return Type{}, false
}

// ByKey returns the type with the given Key.
func (r *Registry) ByKey(key string) (Type, bool) {
	if t, ok := r.byKey[key]; ok {
		return t, true
	}
	return r.Resolve(key)
}
