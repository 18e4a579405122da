package faults

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mockhub/mockhub/internal/decode"
)

// Spec is a Fault in its wire form: {"kind": "...", <the kind's fields>}.
type Spec struct {
	Fault
}

// MarshalJSON implements json.Marshaler.
func (s Spec) MarshalJSON() ([]byte, error) {
	if s.Fault == nil {
		return []byte("null"), nil
	}
	fields, err := json.Marshal(s.Fault)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"kind":`)
	kind, _ := json.Marshal(s.Kind())
	b.Write(kind)
	if inner := bytes.TrimSpace(fields[1 : len(fields)-1]); len(inner) > 0 {
		b.WriteByte(',')
		b.Write(inner)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON implements json.Unmarshaler: it picks the kind's struct from
// the registry and decodes the other fields into it, refusing fields the
// kind does not have.
func (s *Spec) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("fault must be an object with a kind")
	}
	var kind string
	if k, ok := raw["kind"]; !ok || json.Unmarshal(k, &kind) != nil || kind == "" {
		return fmt.Errorf("fault.kind is required; one of %s", strings.Join(Kinds(), ", "))
	}
	f, err := newFault(kind)
	if err != nil {
		return err
	}
	delete(raw, "kind")
	rest, _ := json.Marshal(raw)
	if err := decode.JSON(rest, f); err != nil {
		return fmt.Errorf("fault %s: %w", kind, decode.Plain(err))
	}
	if err := f.check(); err != nil {
		return fmt.Errorf("fault %s: %w", kind, err)
	}
	s.Fault = f
	return nil
}

// newFault returns an empty fault of kind.
func newFault(kind string) (Fault, error) {
	mk, ok := registry[kind]
	if !ok {
		return nil, fmt.Errorf("unknown fault kind %q; one of %s", kind, strings.Join(Kinds(), ", "))
	}
	return mk(), nil
}
