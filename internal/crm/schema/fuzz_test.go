package schema

import (
	"encoding/json"
	"testing"
)

// FuzzNormalizeInput checks that no value makes the validator panic and that
// every accepted value is stored in a form the validator accepts unchanged,
// for every property of the test type and of the embedded catalog.
func FuzzNormalizeInput(f *testing.F) {
	seeds := []string{
		"", "17", "-3.25", "1e3", "true", "FALSE", "2024-01-15", "2024-01-15T00:00:00Z",
		"2024-08-26T16:31:18.439+02:00", "1705276800000", "-62135596800000", "253402300799999",
		"red", "A;C", "A;", ";", "ada@example.com", "a@b@c", "p1", "s3", "123", "0000-01-01",
		"2024-02-30", "9999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00+01:00",
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	types := []*ObjectType{testType(f)}
	types = append(types, loadDefault(f).Types()...)
	var props []struct {
		t    *ObjectType
		name string
	}
	for _, ot := range types {
		for _, p := range ot.Properties() {
			props = append(props, struct {
				t    *ObjectType
				name string
			}{ot, p.Name})
		}
	}
	f.Fuzz(func(t *testing.T, idx uint8, value string) {
		p := props[int(idx)%len(props)]
		stored, err := p.t.Normalize(p.name, value)
		if err != nil {
			if stored != "" || err.Code == "" || err.Message == "" || err.Name != p.name || err.Value != value {
				t.Fatalf("%s=%q: incomplete error %+v (stored %q)", p.name, value, err, stored)
			}
			return
		}
		again, err := p.t.Normalize(p.name, stored)
		if err != nil || again != stored {
			t.Fatalf("%s=%q stored as %q, which normalises to %q, %v", p.name, value, stored, again, err)
		}
	})
}

// FuzzDecodeValue checks that decoding never panics and that whatever JSON
// string it returns decodes back to itself once re-encoded.
func FuzzDecodeValue(f *testing.F) {
	for _, s := range []string{`"a"`, `1`, `-1.5e-3`, `true`, `null`, `{}`, `[`, `"\ud800"`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, err := DecodeValue(raw)
		if err != nil {
			return
		}
		enc, mErr := json.Marshal(s)
		if mErr != nil {
			t.Fatalf("Marshal(%q): %v", s, mErr)
		}
		back, err := DecodeValue(enc)
		if err != nil || back != s {
			t.Fatalf("%q -> %q -> %s -> %q, %v", raw, s, enc, back, err)
		}
	})
}
