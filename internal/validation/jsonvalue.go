package validation

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// parseJSON decodes data into the generic values encoding/json produces
// (map[string]any, []any, string, float64, bool, nil). It is a single pass
// without reflection, which makes it several times cheaper than
// json.Unmarshal into an any; on any doubt (malformed input, a number it
// cannot convert exactly the same way) it reports ok=false and the caller
// falls back to encoding/json, which also words the error.
// FuzzParseJSON checks that both agree.
//
// keys, when given, holds strings expected as object keys (the property
// names of the operation's schema): a key found there is shared instead of
// allocated for every request.
func parseJSON(data []byte, keys map[string]string) (v any, ok bool) {
	p := jsonParser{data: data, keys: keys}
	p.space()
	v, ok = p.value(0)
	if !ok {
		return nil, false
	}
	p.space()
	return v, p.pos == len(p.data)
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack;
// encoding/json enforces the same limit.
const maxDepth = 10000

type jsonParser struct {
	data []byte
	pos  int
	keys map[string]string
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, bool) {
	if p.pos >= len(p.data) || depth > maxDepth {
		return nil, false
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.string()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return nil, false
}

func (p *jsonParser) literal(word string) bool {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return false
	}
	p.pos += len(word)
	return true
}

func (p *jsonParser) object(depth int) (any, bool) {
	p.pos++ // {
	m := make(map[string]any, 4)
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return m, true
	}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, false
		}
		k, ok := p.key()
		if !ok {
			return nil, false
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, false
		}
		p.pos++
		p.space()
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		m[k] = v
		p.space()
		if p.pos >= len(p.data) {
			return nil, false
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return m, true
		default:
			return nil, false
		}
	}
}

func (p *jsonParser) array(depth int) (any, bool) {
	p.pos++ // [
	out := []any{}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return out, true
	}
	for {
		p.space()
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		out = append(out, v)
		p.space()
		if p.pos >= len(p.data) {
			return nil, false
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return out, true
		default:
			return nil, false
		}
	}
}

// key parses an object key, sharing the known ones.
func (p *jsonParser) key() (string, bool) {
	start := p.pos + 1
	if end := start; p.keys != nil {
		for end < len(p.data) && p.data[end] != '"' && p.data[end] != '\\' {
			end++
		}
		if end < len(p.data) && p.data[end] == '"' {
			if k, ok := p.keys[string(p.data[start:end])]; ok {
				p.pos = end + 1
				return k, true
			}
		}
	}
	v, ok := p.string()
	if !ok {
		return "", false
	}
	return v.(string), true
}

// string parses a quoted string. Strings without escapes or non-ASCII bytes
// (nearly all of HubSpot's field values) are sliced directly.
func (p *jsonParser) string() (any, bool) {
	start := p.pos + 1
	for i := start; i < len(p.data); i++ {
		c := p.data[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(p.data[start:i]), true
		case c == '\\' || c >= utf8.RuneSelf:
			return p.slowString(start)
		case c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

func (p *jsonParser) slowString(start int) (any, bool) {
	var b []byte
	i := start
	for i < len(p.data) {
		c := p.data[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(b), true
		case c < 0x20:
			return nil, false
		case c == '\\':
			if i+1 >= len(p.data) {
				return nil, false
			}
			switch e := p.data[i+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
				i += 2
			case 'b':
				b = append(b, '\b')
				i += 2
			case 'f':
				b = append(b, '\f')
				i += 2
			case 'n':
				b = append(b, '\n')
				i += 2
			case 'r':
				b = append(b, '\r')
				i += 2
			case 't':
				b = append(b, '\t')
				i += 2
			case 'u':
				r, ok := hex4(p.data, i+2)
				if !ok {
					return nil, false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					r2, ok2 := rune(0), false
					if i+1 < len(p.data) && p.data[i] == '\\' && p.data[i+1] == 'u' {
						r2, ok2 = hex4(p.data, i+2)
					}
					if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				return nil, false
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(p.data[i:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, p.data[i:i+size]...)
			}
			i += size
		}
	}
	return nil, false
}

func hex4(data []byte, at int) (rune, bool) {
	if at+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// number parses a JSON number with the grammar's exact rules and converts it
// with strconv.ParseFloat, as encoding/json does.
func (p *jsonParser) number() (any, bool) {
	start := p.pos
	i := p.pos
	if p.data[i] == '-' {
		i++
	}
	if i >= len(p.data) {
		return nil, false
	}
	switch {
	case p.data[i] == '0':
		i++
	case p.data[i] >= '1' && p.data[i] <= '9':
		for i < len(p.data) && p.data[i] >= '0' && p.data[i] <= '9' {
			i++
		}
	default:
		return nil, false
	}
	if i < len(p.data) && p.data[i] == '.' {
		i++
		d := i
		for i < len(p.data) && p.data[i] >= '0' && p.data[i] <= '9' {
			i++
		}
		if i == d {
			return nil, false
		}
	}
	if i < len(p.data) && (p.data[i] == 'e' || p.data[i] == 'E') {
		i++
		if i < len(p.data) && (p.data[i] == '+' || p.data[i] == '-') {
			i++
		}
		d := i
		for i < len(p.data) && p.data[i] >= '0' && p.data[i] <= '9' {
			i++
		}
		if i == d {
			return nil, false
		}
	}
	f, err := strconv.ParseFloat(string(p.data[start:i]), 64)
	if err != nil {
		return nil, false
	}
	p.pos = i
	return f, true
}
