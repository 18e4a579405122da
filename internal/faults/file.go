package faults

import (
	"errors"
	"fmt"
	"os"

	"github.com/mockhub/mockhub/internal/decode"
)

// File is the form of a --faults file, JSON or YAML: {"rules": [...]}.
type File struct {
	Rules []Rule `json:"rules"`
}

// ParseFile reads rules from a JSON or YAML document and checks each of
// them.
func ParseFile(data []byte) ([]Rule, error) {
	var f File
	if err := decode.Strict(data, &f); err != nil {
		return nil, decode.Plain(err)
	}
	for i, r := range f.Rules {
		if _, err := compile(r); err != nil {
			return nil, fmt.Errorf("rules[%d]: %w", i, err)
		}
	}
	return f.Rules, nil
}

// LoadFile reads a --faults file. Its errors start with the path.
func LoadFile(path string) ([]Rule, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named below, without Go's "open"
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rules, err := ParseFile(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rules, nil
}
