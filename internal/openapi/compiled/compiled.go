// Package compiled stores a loaded kin-openapi document in a compact binary
// form and reads it back, so that start-up does not have to parse YAML.
//
// Parsing our four documents with kin-openapi's YAML loader costs 11–19 ms of
// CPU warm, and more from cold: most of what mockhub's start-up did after
// package initialisation. The binary form is read by reflection over the same
// Go types kin-openapi decodes into, in about half a millisecond a document,
// already resolved: pointers are written once and referred back to, so a
// reference object comes back pointing at its target exactly as kin-openapi's
// resolution left it, and start-up skips resolving references again (which
// cost as much as decoding).
//
// The form is positional: it follows the field order of the kin-openapi
// types, with no names. Fingerprint summarises those types, and a reader must
// refuse data written under another fingerprint (package openapi then falls
// back to the YAML).
//
// What is written:
//   - exported fields only; kin-openapi keeps loader state in unexported
//     fields, which reference resolution fills in again;
//   - every pointer once: a pointer met again (a reference object's Value is
//     the pointer its component holds) is written as the number of its first
//     appearance, so the decoded document shares what the resolved one
//     shared;
//   - the map-like types (Paths, Responses, Callback), which keep their
//     entries unexported, through their Map and Set methods.
package compiled

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

var docType = reflect.TypeFor[openapi3.T]()

// Encode writes the binary form of doc.
func Encode(doc *openapi3.T) (data []byte, err error) {
	e := &encoder{ptrs: map[ptrKey]uint64{}}
	if err := e.value(reflect.ValueOf(doc).Elem(), "T"); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// Decode reads what Encode wrote into a new document, its references
// resolved as the encoded document's were. Data written for other kin-openapi types
// may fail in any way; callers must check the fingerprint first. The
// document's strings share memory with data, which is why data is a string.
func Decode(data string) (doc *openapi3.T, err error) {
	defer func() {
		// A mismatch between data and types surfaces as a reflect panic;
		// the caller treats it like any unreadable data.
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("compiled: %v", r)
		}
	}()
	d := &decoder{buf: data}
	doc = &openapi3.T{}
	if err := d.value(reflect.ValueOf(doc).Elem()); err != nil {
		return nil, err
	}
	if len(d.buf) != 0 {
		return nil, fmt.Errorf("compiled: %d bytes left over", len(d.buf))
	}
	return doc, nil
}

// formatVersion changes when the form itself does, so that data of an older
// form is refused like data of other types.
const formatVersion = "shared-pointers"

// Fingerprint identifies the layout of the kin-openapi types the form
// follows: the name, kind and exported fields of every type reachable from
// openapi3.T.
func Fingerprint() [32]byte { return fingerprint() }

var fingerprint = sync.OnceValue(func() [32]byte {
	var b strings.Builder
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		fmt.Fprintf(&b, "%s %s:%s", formatVersion, t.String(), t.Kind())
		if _, ok := mapLike(t); ok {
			b.WriteString("(maplike)")
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice:
			walk(t.Elem())
		case reflect.Map:
			walk(t.Key())
			walk(t.Elem())
		case reflect.Struct:
			b.WriteString("{")
			for i := range t.NumField() {
				f := t.Field(i)
				if f.IsExported() {
					fmt.Fprintf(&b, "%s %s;", f.Name, f.Type.String())
				}
			}
			b.WriteString("}")
			for i := range t.NumField() {
				if f := t.Field(i); f.IsExported() {
					walk(f.Type)
				}
			}
		}
		b.WriteString("\n")
	}
	walk(docType)
	return sha256.Sum256([]byte(b.String()))
})

// mapLike reports whether *t keeps its entries behind Map and Set methods,
// and returns the type of those entries' values.
func mapLike(t reflect.Type) (reflect.Type, bool) {
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	pt := reflect.PointerTo(t)
	get, ok1 := pt.MethodByName("Map")
	set, ok2 := pt.MethodByName("Set")
	if !ok1 || !ok2 {
		return nil, false
	}
	m := get.Type // receiver first
	if m.NumIn() != 1 || m.NumOut() != 1 || m.Out(0).Kind() != reflect.Map || m.Out(0).Key().Kind() != reflect.String {
		return nil, false
	}
	s := set.Type
	if s.NumIn() != 3 || s.In(1).Kind() != reflect.String || s.In(2) != m.Out(0).Elem() {
		return nil, false
	}
	return m.Out(0).Elem(), true
}

// structPlan is what the encoder and decoder need to know of a struct type,
// worked out once per type.
type structPlan struct {
	exported []int // indexes of the exported fields, in order
	// isRef says the type is a reference object, with its Ref and Value
	// fields at refIndex and valueIndex.
	isRef                bool
	refIndex, valueIndex int
	// mapElem is the entry type of a map-like type, nil for other types.
	mapElem reflect.Type
}

var plans sync.Map // reflect.Type -> *structPlan

func planOf(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{}
	for i := range t.NumField() {
		if t.Field(i).IsExported() {
			p.exported = append(p.exported, i)
		}
	}
	p.refIndex, p.valueIndex, p.isRef = refFields(t)
	p.mapElem, _ = mapLike(t)
	plans.Store(t, p)
	return p
}

// refFields returns the indexes of the Ref and Value fields of a reference
// object type, or false.
func refFields(t reflect.Type) (ref, value int, ok bool) {
	r, ok1 := t.FieldByName("Ref")
	v, ok2 := t.FieldByName("Value")
	if !ok1 || !ok2 || r.Type.Kind() != reflect.String || v.Type.Kind() != reflect.Pointer || len(r.Index) != 1 || len(v.Index) != 1 {
		return 0, 0, false
	}
	return r.Index[0], v.Index[0], true
}

// Tags of the dynamic values held in interface fields (extensions, examples,
// defaults, enums): what YAML decoding produces.
const (
	anyNil byte = iota
	anyString
	anyBool
	anyInt
	anyInt64
	anyUint64
	anyFloat64
	anyList
	anyMap
)

// Pointer tags: nil, a pointer written here for the first time (its value
// follows), a pointer written before (its number follows).
const (
	ptrNil byte = iota
	ptrNew
	ptrSeen
)

// ptrKey identifies a pointer: a struct and its first field share an
// address, so the type is part of it.
type ptrKey struct {
	addr uintptr
	t    reflect.Type
}

type encoder struct {
	buf []byte
	// ptrs numbers the pointers written, in order of first appearance.
	ptrs map[ptrKey]uint64
}

func (e *encoder) uvarint(n uint64) { e.buf = binary.AppendUvarint(e.buf, n) }

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) flag(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

// value writes v; where names the place in the document for errors.
func (e *encoder) value(v reflect.Value, where string) error {
	t := v.Type()
	switch t.Kind() {
	case reflect.Bool:
		e.flag(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = binary.AppendVarint(e.buf, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		e.uvarint(v.Uint())
	case reflect.Float32, reflect.Float64:
		e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v.Float()))
	case reflect.String:
		e.str(v.String())
	case reflect.Pointer:
		if v.IsNil() {
			e.buf = append(e.buf, ptrNil)
			return nil
		}
		k := ptrKey{v.Pointer(), t}
		if n, seen := e.ptrs[k]; seen {
			e.buf = append(e.buf, ptrSeen)
			e.uvarint(n)
			return nil
		}
		// Numbered before its value is written, so a cycle refers back.
		e.ptrs[k] = uint64(len(e.ptrs))
		e.buf = append(e.buf, ptrNew)
		return e.value(v.Elem(), where)
	case reflect.Slice:
		// Zero says nil, so that nil and empty stay apart.
		if v.IsNil() {
			e.uvarint(0)
			return nil
		}
		e.uvarint(uint64(v.Len()) + 1)
		for i := range v.Len() {
			if err := e.value(v.Index(i), fmt.Sprintf("%s[%d]", where, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if v.IsNil() {
			e.uvarint(0)
			return nil
		}
		if t.Key().Kind() != reflect.String {
			return fmt.Errorf("compiled: %s: map key %s not supported", where, t.Key())
		}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys) // the same document always gives the same bytes
		e.uvarint(uint64(len(keys)) + 1)
		for _, k := range keys {
			e.str(k)
			if err := e.value(v.MapIndex(reflect.ValueOf(k).Convert(t.Key())), where+"."+k); err != nil {
				return err
			}
		}
	case reflect.Interface:
		return e.dynamic(v, where)
	case reflect.Struct:
		return e.structure(v, where)
	default:
		return fmt.Errorf("compiled: %s: kind %s not supported", where, t.Kind())
	}
	return nil
}

func (e *encoder) structure(v reflect.Value, where string) error {
	t := v.Type()
	plan := planOf(t)
	for _, i := range plan.exported {
		f := t.Field(i)
		fv := v.Field(i)
		if err := e.value(fv, where+"."+f.Name); err != nil {
			return err
		}
	}
	if plan.mapElem != nil {
		if !v.CanAddr() { // Map has a pointer receiver
			c := reflect.New(t).Elem()
			c.Set(v)
			v = c
		}
		entries := v.Addr().MethodByName("Map").Call(nil)[0]
		if err := e.value(entries, where); err != nil {
			return err
		}
	}
	return nil
}

func (e *encoder) dynamic(v reflect.Value, where string) error {
	if v.IsNil() {
		e.buf = append(e.buf, anyNil)
		return nil
	}
	switch x := v.Elem().Interface().(type) {
	case string:
		e.buf = append(e.buf, anyString)
		e.str(x)
	case bool:
		e.buf = append(e.buf, anyBool)
		e.flag(x)
	case int:
		e.buf = append(e.buf, anyInt)
		e.buf = binary.AppendVarint(e.buf, int64(x))
	case int64:
		e.buf = append(e.buf, anyInt64)
		e.buf = binary.AppendVarint(e.buf, x)
	case uint64:
		e.buf = append(e.buf, anyUint64)
		e.uvarint(x)
	case float64:
		e.buf = append(e.buf, anyFloat64)
		e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(x))
	case []any:
		e.buf = append(e.buf, anyList)
		return e.value(reflect.ValueOf(x), where)
	case map[string]any:
		e.buf = append(e.buf, anyMap)
		return e.value(reflect.ValueOf(x), where)
	default:
		return fmt.Errorf("compiled: %s: value of type %T not supported", where, x)
	}
	return nil
}

var errShort = errors.New("compiled: data ends early")

// decoder reads from a string so that the strings it returns are slices of
// the data rather than copies.
type decoder struct {
	buf string
	// ptrs are the pointers read, in order of first appearance.
	ptrs []reflect.Value
}

// uvarint reads what binary.AppendUvarint wrote.
func (d *decoder) uvarint() (uint64, error) {
	var n uint64
	for i := 0; i < len(d.buf) && i < binary.MaxVarintLen64; i++ {
		b := d.buf[i]
		if i == binary.MaxVarintLen64-1 && b > 1 {
			return 0, errors.New("compiled: varint overflows")
		}
		n |= uint64(b&0x7f) << (7 * i)
		if b < 0x80 {
			d.buf = d.buf[i+1:]
			return n, nil
		}
	}
	return 0, errShort
}

// varint reads what binary.AppendVarint wrote.
func (d *decoder) varint() (int64, error) {
	u, err := d.uvarint()
	n := int64(u >> 1)
	if u&1 != 0 {
		n = ^n
	}
	return n, err
}

func (d *decoder) byte() (byte, error) {
	if len(d.buf) == 0 {
		return 0, errShort
	}
	b := d.buf[0]
	d.buf = d.buf[1:]
	return b, nil
}

func (d *decoder) float() (float64, error) {
	if len(d.buf) < 8 {
		return 0, errShort
	}
	var bits uint64
	for i := range 8 {
		bits |= uint64(d.buf[i]) << (8 * i)
	}
	d.buf = d.buf[8:]
	f := math.Float64frombits(bits)
	return f, nil
}

func (d *decoder) str() (string, error) {
	n, err := d.uvarint()
	if err != nil {
		return "", err
	}
	if uint64(len(d.buf)) < n {
		return "", errShort
	}
	s := d.buf[:n]
	d.buf = d.buf[n:]
	return s, nil
}

// preallocate bounds the room made for a slice or map before its elements
// are read.
const preallocate = 64

// length reads a slice or map length; nil reports a nil slice or map.
func (d *decoder) length() (n int, isNil bool, err error) {
	u, err := d.uvarint()
	if err != nil {
		return 0, false, err
	}
	if u == 0 {
		return 0, true, nil
	}
	if u-1 > uint64(len(d.buf)) { // every element takes at least a byte
		return 0, false, errShort
	}
	return int(u - 1), false, nil
}

// value reads into v, which is settable and zero.
func (d *decoder) value(v reflect.Value) error {
	t := v.Type()
	switch t.Kind() {
	case reflect.Bool:
		b, err := d.byte()
		v.SetBool(b == 1)
		return err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := d.varint()
		v.SetInt(n)
		return err
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := d.uvarint()
		v.SetUint(n)
		return err
	case reflect.Float32, reflect.Float64:
		f, err := d.float()
		v.SetFloat(f)
		return err
	case reflect.String:
		s, err := d.str()
		v.SetString(s)
		return err
	case reflect.Pointer:
		tag, err := d.byte()
		if err != nil || tag == ptrNil {
			return err
		}
		if tag == ptrSeen {
			n, err := d.uvarint()
			if err != nil {
				return err
			}
			if n >= uint64(len(d.ptrs)) || d.ptrs[n].Type() != t {
				return fmt.Errorf("compiled: pointer %d does not refer back to a %s", n, t)
			}
			v.Set(d.ptrs[n])
			return nil
		}
		if tag != ptrNew {
			return fmt.Errorf("compiled: pointer tag %d", tag)
		}
		p := reflect.New(t.Elem())
		d.ptrs = append(d.ptrs, p)
		if err := d.value(p.Elem()); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Slice:
		n, isNil, err := d.length()
		if err != nil || isNil {
			return err
		}
		// Grown as elements arrive, so that a damaged length costs no more
		// memory than the data it comes with.
		s := reflect.MakeSlice(t, 0, min(n, preallocate))
		for range n {
			e := reflect.New(t.Elem()).Elem()
			if err := d.value(e); err != nil {
				return err
			}
			s = reflect.Append(s, e)
		}
		v.Set(s)
	case reflect.Map:
		n, isNil, err := d.length()
		if err != nil || isNil {
			return err
		}
		m := reflect.MakeMapWithSize(t, min(n, preallocate))
		for range n {
			k, err := d.str()
			if err != nil {
				return err
			}
			e := reflect.New(t.Elem()).Elem()
			if err := d.value(e); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), e)
		}
		v.Set(m)
	case reflect.Interface:
		return d.dynamic(v)
	case reflect.Struct:
		return d.structure(v)
	default:
		return fmt.Errorf("compiled: kind %s not supported", t.Kind())
	}
	return nil
}

func (d *decoder) structure(v reflect.Value) error {
	plan := planOf(v.Type())
	for _, i := range plan.exported {
		if err := d.value(v.Field(i)); err != nil {
			return err
		}
	}
	elem := plan.mapElem
	if elem == nil {
		return nil
	}
	n, isNil, err := d.length()
	if err != nil || isNil {
		return err
	}
	set := v.Addr().MethodByName("Set")
	for range n {
		k, err := d.str()
		if err != nil {
			return err
		}
		e := reflect.New(elem).Elem()
		if err := d.value(e); err != nil {
			return err
		}
		set.Call([]reflect.Value{reflect.ValueOf(k), e})
	}
	return nil
}

func (d *decoder) dynamic(v reflect.Value) error {
	tag, err := d.byte()
	if err != nil {
		return err
	}
	var x any
	switch tag {
	case anyNil:
		return nil
	case anyString:
		x, err = d.str()
	case anyBool:
		var b byte
		b, err = d.byte()
		x = b == 1
	case anyInt:
		var n int64
		n, err = d.varint()
		x = int(n)
	case anyInt64:
		x, err = d.varint()
	case anyUint64:
		x, err = d.uvarint()
	case anyFloat64:
		x, err = d.float()
	case anyList:
		var l []any
		err = d.value(reflect.ValueOf(&l).Elem())
		x = l
	case anyMap:
		var m map[string]any
		err = d.value(reflect.ValueOf(&m).Elem())
		x = m
	default:
		return fmt.Errorf("compiled: unknown value tag %d", tag)
	}
	if err != nil {
		return err
	}
	v.Set(reflect.ValueOf(x))
	return nil
}

// A bundle holds the compiled form of several documents, each with the
// SHA-256 of the source it was compiled from, so that a reader can tell a
// stale entry from a current one.
const bundleMagic = "mockhub compiled openapi 1\n"

// Entry is one document of a bundle.
type Entry struct {
	// Source is the SHA-256 of the YAML the entry was compiled from.
	Source [32]byte
	// Data is what Encode wrote.
	Data string
}

// WriteBundle writes entries, in the order of their names.
func WriteBundle(entries map[string]Entry) []byte {
	buf := []byte(bundleMagic)
	fp := Fingerprint()
	buf = append(buf, fp[:]...)
	buf = binary.AppendUvarint(buf, uint64(len(entries)))
	names := make([]string, 0, len(entries))
	for name := range entries {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		e := entries[name]
		buf = binary.AppendUvarint(buf, uint64(len(name)))
		buf = append(buf, name...)
		buf = append(buf, e.Source[:]...)
		buf = binary.AppendUvarint(buf, uint64(len(e.Data)))
		buf = append(buf, e.Data...)
	}
	return buf
}

// ErrFingerprint says a bundle was written for other kin-openapi types.
var ErrFingerprint = errors.New("compiled: bundle was written for another version of kin-openapi")

// ReadBundle reads what WriteBundle wrote. The entries' Data alias data.
func ReadBundle(data string) (map[string]Entry, error) {
	rest, ok := strings.CutPrefix(data, bundleMagic)
	if !ok {
		return nil, errors.New("compiled: not a bundle")
	}
	fp := Fingerprint()
	if len(rest) < len(fp) {
		return nil, errShort
	}
	if rest[:len(fp)] != string(fp[:]) {
		return nil, ErrFingerprint
	}
	d := &decoder{buf: rest[len(fp):]}
	n, err := d.uvarint()
	if err != nil {
		return nil, err
	}
	entries := map[string]Entry{}
	for range n {
		name, err := d.str()
		if err != nil {
			return nil, err
		}
		var e Entry
		if len(d.buf) < len(e.Source) {
			return nil, errShort
		}
		copy(e.Source[:], d.buf)
		d.buf = d.buf[len(e.Source):]
		size, err := d.uvarint()
		if err != nil {
			return nil, err
		}
		if uint64(len(d.buf)) < size {
			return nil, errShort
		}
		e.Data, d.buf = d.buf[:size], d.buf[size:]
		entries[name] = e
	}
	if len(d.buf) != 0 {
		return nil, fmt.Errorf("compiled: %d bytes after the last entry", len(d.buf))
	}
	return entries, nil
}

// Difference reports the first place where documents a and b differ, or ""
// when they are the same document: equal in their exported fields, and
// sharing pointers alike (each pointer of a stands for one pointer of b, so
// a reference object points at the very value its component holds, as
// after resolution). The loader's bookkeeping in unexported fields is not
// compared. Tests use it to check the compiled form against the YAML.
func Difference(a, b *openapi3.T) string {
	return sameGraph(reflect.ValueOf(a), reflect.ValueOf(b), "T", map[uintptr]uintptr{}, map[uintptr]uintptr{})
}

// sameGraph reports the first place where a and b differ in their exported
// fields, or in how they share pointers: each pointer of a must stand for
// one pointer of b, and the other way round, so that a reference object
// points at the very value its component holds, as after resolution. The
// loader's own bookkeeping (unexported fields) is not compared.
func sameGraph(a, b reflect.Value, path string, ab, ba map[uintptr]uintptr) string {
	if a.Kind() != b.Kind() || a.Type() != b.Type() {
		return path + ": types differ"
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path + ": one is nil"
			}
			return ""
		}
		pa, pb := a.Pointer(), b.Pointer()
		if q, seen := ab[pa]; seen {
			if q != pb || ba[pb] != pa {
				return path + ": shares a pointer the other does not"
			}
			return ""
		}
		if _, seen := ba[pb]; seen {
			return path + ": shares a pointer the other does not"
		}
		ab[pa], ba[pb] = pb, pa
		return sameGraph(a.Elem(), b.Elem(), path, ab, ba)
	case reflect.Struct:
		for i := range a.NumField() {
			if !a.Type().Field(i).IsExported() {
				continue
			}
			if d := sameGraph(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name, ab, ba); d != "" {
				return d
			}
		}
		if _, ok := mapLike(a.Type()); ok && a.CanAddr() && b.CanAddr() {
			ma := a.Addr().MethodByName("Map").Call(nil)[0]
			mb := b.Addr().MethodByName("Map").Call(nil)[0]
			return sameGraph(ma, mb, path, ab, ba)
		}
	case reflect.Map:
		if a.Len() != b.Len() || a.IsNil() != b.IsNil() {
			return path + ": maps differ in size"
		}
		keys := a.MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int { return strings.Compare(x.String(), y.String()) })
		for _, k := range keys {
			vb := b.MapIndex(k)
			if !vb.IsValid() {
				return path + "[" + k.String() + "]: missing"
			}
			if d := sameGraph(a.MapIndex(k), vb, path+"["+k.String()+"]", ab, ba); d != "" {
				return d
			}
		}
	case reflect.Slice:
		if a.Len() != b.Len() || a.IsNil() != b.IsNil() {
			return path + ": slices differ in length"
		}
		for i := range a.Len() {
			if d := sameGraph(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), ab, ba); d != "" {
				return d
			}
		}
	case reflect.Interface:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return path + ": values differ"
		}
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return fmt.Sprintf("%s: %v, not %v", path, a.Interface(), b.Interface())
		}
	}
	return ""
}
