package endpoint

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
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
	if err := bind(value, rv.Elem()); err != nil {
		return err
	}
	return nil
}

// bindError is a value that does not fit its field. The path is built as
// the error unwinds, so binding that succeeds costs no string work.
type bindError struct {
	path  []string // innermost last once reversed
	value any
	typ   reflect.Type
}

func (e *bindError) Error() string {
	at := ""
	for i := len(e.path) - 1; i >= 0; i-- {
		seg := e.path[i]
		switch {
		case strings.HasPrefix(seg, "["), at == "":
			at += seg
		default:
			at += "." + seg
		}
	}
	if at == "" {
		at = "body"
	}
	return fmt.Sprintf("bind: %s: cannot use %T as %s", at, e.value, e.typ)
}

// within adds a path segment to err, a *bindError, as it unwinds.
func within(err error, seg string) error {
	if be, ok := err.(*bindError); ok {
		be.path = append(be.path, seg)
	}
	return err
}

func bind(value any, dst reflect.Value) error {
	if value == nil {
		return nil
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return bind(value, dst.Elem())
	case reflect.Interface:
		if dst.NumMethod() != 0 {
			return mismatch(value, dst)
		}
		dst.Set(reflect.ValueOf(value))
		return nil
	case reflect.String:
		s, ok := value.(string)
		if !ok {
			return mismatch(value, dst)
		}
		dst.SetString(s)
		return nil
	case reflect.Bool:
		b, ok := value.(bool)
		if !ok {
			return mismatch(value, dst)
		}
		dst.SetBool(b)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f, ok := value.(float64)
		if !ok || f != math.Trunc(f) || dst.OverflowInt(int64(f)) || f < math.MinInt64 || f >= math.MaxInt64 {
			return mismatch(value, dst)
		}
		dst.SetInt(int64(f))
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		f, ok := value.(float64)
		if !ok || f != math.Trunc(f) || f < 0 || f >= math.MaxUint64 || dst.OverflowUint(uint64(f)) {
			return mismatch(value, dst)
		}
		dst.SetUint(uint64(f))
		return nil
	case reflect.Float32, reflect.Float64:
		f, ok := value.(float64)
		if !ok || dst.OverflowFloat(f) {
			return mismatch(value, dst)
		}
		dst.SetFloat(f)
		return nil
	case reflect.Slice:
		items, ok := value.([]any)
		if !ok {
			return mismatch(value, dst)
		}
		out := reflect.MakeSlice(dst.Type(), len(items), len(items))
		for i, item := range items {
			if err := bind(item, out.Index(i)); err != nil {
				return within(err, "["+strconv.Itoa(i)+"]")
			}
		}
		dst.Set(out)
		return nil
	case reflect.Map:
		m, ok := value.(map[string]any)
		if !ok || dst.Type().Key().Kind() != reflect.String {
			return mismatch(value, dst)
		}
		out := reflect.MakeMapWithSize(dst.Type(), len(m))
		for k, v := range m {
			elem := reflect.New(dst.Type().Elem()).Elem()
			if err := bind(v, elem); err != nil {
				return within(err, k)
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(dst.Type().Key()), elem)
		}
		dst.Set(out)
		return nil
	case reflect.Struct:
		m, ok := value.(map[string]any)
		if !ok {
			return mismatch(value, dst)
		}
		for _, f := range fieldsOf(dst.Type()) {
			v, present := m[f.name]
			if !present {
				continue
			}
			if err := bind(v, dst.Field(f.index)); err != nil {
				return within(err, f.name)
			}
		}
		return nil
	}
	return mismatch(value, dst)
}

func mismatch(value any, dst reflect.Value) error {
	return &bindError{value: value, typ: dst.Type()}
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
