package endpoint

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
)

// Bind copies a validated JSON value (as package validation decodes it:
// map[string]any, []any, string, float64, bool, nil) into dst, a pointer to
// a Go value whose struct fields carry json tags. Handlers receive typed
// bodies this way instead of reading maps by hand.
//
// It does not re-parse the body: validation has already decoded it once and
// checked it against the operation's schema, so Bind only converts. Numbers
// arrive as float64 because JSON (and HubSpot) accept 5.0 where an integer is
// declared; an integer field takes any integral float64 in its range.
// Unknown properties are ignored, as encoding/json does; absent and null
// properties leave the field as it is.
func Bind(value any, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("bind: destination must be a non-nil pointer, got %T", dst)
	}
	return bind(value, rv.Elem(), "")
}

func bind(value any, dst reflect.Value, at string) error {
	if value == nil {
		return nil
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return bind(value, dst.Elem(), at)
	case reflect.Interface:
		if dst.NumMethod() != 0 {
			return mismatch(at, value, dst)
		}
		dst.Set(reflect.ValueOf(value))
		return nil
	case reflect.String:
		s, ok := value.(string)
		if !ok {
			return mismatch(at, value, dst)
		}
		dst.SetString(s)
		return nil
	case reflect.Bool:
		b, ok := value.(bool)
		if !ok {
			return mismatch(at, value, dst)
		}
		dst.SetBool(b)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f, ok := value.(float64)
		if !ok || f != math.Trunc(f) || dst.OverflowInt(int64(f)) || f < math.MinInt64 || f >= math.MaxInt64 {
			return mismatch(at, value, dst)
		}
		dst.SetInt(int64(f))
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		f, ok := value.(float64)
		if !ok || f != math.Trunc(f) || f < 0 || f >= math.MaxUint64 || dst.OverflowUint(uint64(f)) {
			return mismatch(at, value, dst)
		}
		dst.SetUint(uint64(f))
		return nil
	case reflect.Float32, reflect.Float64:
		f, ok := value.(float64)
		if !ok || dst.OverflowFloat(f) {
			return mismatch(at, value, dst)
		}
		dst.SetFloat(f)
		return nil
	case reflect.Slice:
		items, ok := value.([]any)
		if !ok {
			return mismatch(at, value, dst)
		}
		out := reflect.MakeSlice(dst.Type(), len(items), len(items))
		for i, item := range items {
			if err := bind(item, out.Index(i), fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
		dst.Set(out)
		return nil
	case reflect.Map:
		m, ok := value.(map[string]any)
		if !ok || dst.Type().Key().Kind() != reflect.String {
			return mismatch(at, value, dst)
		}
		out := reflect.MakeMapWithSize(dst.Type(), len(m))
		for k, v := range m {
			elem := reflect.New(dst.Type().Elem()).Elem()
			if err := bind(v, elem, join(at, k)); err != nil {
				return err
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(dst.Type().Key()), elem)
		}
		dst.Set(out)
		return nil
	case reflect.Struct:
		m, ok := value.(map[string]any)
		if !ok {
			return mismatch(at, value, dst)
		}
		for _, f := range fieldsOf(dst.Type()) {
			v, present := m[f.name]
			if !present {
				continue
			}
			if err := bind(v, dst.Field(f.index), join(at, f.name)); err != nil {
				return err
			}
		}
		return nil
	}
	return mismatch(at, value, dst)
}

func join(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

func mismatch(at string, value any, dst reflect.Value) error {
	if at == "" {
		at = "body"
	}
	return fmt.Errorf("bind: %s: cannot use %T as %s", at, value, dst.Type())
}

// boundField is a struct field that takes a JSON property.
type boundField struct {
	name  string
	index int
}

// fields caches each struct type's bound fields: bodies bind on every
// request, and the tags never change.
var fields sync.Map // reflect.Type -> []boundField

func fieldsOf(t reflect.Type) []boundField {
	if v, ok := fields.Load(t); ok {
		return v.([]boundField)
	}
	var out []boundField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			tagName, _, _ := strings.Cut(tag, ",")
			if tagName == "-" {
				continue
			}
			if tagName != "" {
				name = tagName
			}
		}
		out = append(out, boundField{name: name, index: i})
	}
	fields.Store(t, out)
	return out
}
