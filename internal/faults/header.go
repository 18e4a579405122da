package faults

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/mockhub/mockhub/internal/decode"
)

// Header is the request header that attaches a fault to one request:
// "<kind>[;key=value...]", e.g. "status;status=503" or "latency;ms=250".
const Header = "X-Mockhub-Fault"

// ParseHeader turns a header value into a checked fault. Values that look
// like numbers are numbers; everything else is a string.
func ParseHeader(v string) (Fault, error) {
	parts := strings.Split(v, ";")
	kind := strings.TrimSpace(parts[0])
	f, err := newFault(kind)
	if err != nil {
		return nil, err
	}
	fields := make(map[string]any, len(parts)-1)
	for _, p := range parts[1:] {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		key, val, ok := strings.Cut(p, "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !ok || key == "" {
			return nil, fmt.Errorf("expected key=value after %q, got %q", kind, p)
		}
		if _, dup := fields[key]; dup {
			return nil, fmt.Errorf("%s given twice", key)
		}
		if n, err := strconv.ParseInt(val, 10, 64); err == nil {
			fields[key] = n
		} else if x, err := strconv.ParseFloat(val, 64); err == nil {
			fields[key] = x
		} else {
			fields[key] = val
		}
	}
	data, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	if err := decode.JSON(data, f); err != nil {
		return nil, fmt.Errorf("fault %s: %w", kind, decode.Plain(err))
	}
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("fault %s: %w", kind, err)
	}
	return f, nil
}
