// Package decode reads mockhub's own configuration files (fault rules,
// tokens), which may be written in JSON or YAML. YAML is turned into JSON
// first, so one set of JSON-tagged structs and one strict decoder (unknown
// fields are errors) serve both.
package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Strict decodes data, JSON or YAML, into v, refusing unknown fields.
func Strict(data []byte, v any) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return errors.New("empty document")
	}
	if trimmed[0] != '{' && trimmed[0] != '[' {
		var doc any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return fmt.Errorf("yaml: %w", err)
		}
		var err error
		if trimmed, err = json.Marshal(doc); err != nil {
			return fmt.Errorf("yaml: %w", err)
		}
	}
	return JSON(trimmed, v)
}

// JSON decodes one JSON value into v, refusing unknown fields and trailing
// data.
func JSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// Plain rewords an error of JSON decoding for a person editing the
// document: which field has which wrong type, in words rather than Go's
// ("ms must be a whole number, got a string" for "json: cannot unmarshal
// string into Go struct field Latency.ms of type int"). Other errors lose
// the "json: " prefix; errors that are not JSON's are returned as they are.
func Plain(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "the value"
		}
		return fmt.Errorf("%s must be %s, got %s", field, jsonKind(te.Type), jsonValue(te.Value))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the document ends in the middle of a value")
	}
	if msg, ok := strings.CutPrefix(err.Error(), "json: "); ok {
		return errors.New(msg)
	}
	return err
}

// jsonKind names what a Go type accepts, in JSON's words.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "another type"
}

// jsonValue names the JSON value json.UnmarshalTypeError describes.
func jsonValue(v string) string {
	switch {
	case v == "string":
		return "a string"
	case v == "number":
		return "a number"
	case strings.HasPrefix(v, "number "):
		return strings.TrimPrefix(v, "number ")
	case v == "bool":
		return "true or false"
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	}
	return v
}
