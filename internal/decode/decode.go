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
