package validation

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodeForm(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    map[string]any
		wantErr string
	}{
		{"", map[string]any{}, ""},
		{"grant_type=refresh_token&client_id=a%20b", map[string]any{"grant_type": "refresh_token", "client_id": "a b"}, ""},
		{"scope=a+b&&x=", map[string]any{"scope": "a b", "x": ""}, ""},
		{"code=1&code=2", map[string]any{"code": "1"}, ""},
		{"flag", map[string]any{"flag": ""}, ""},
		{"a=%zz", nil, `field "a": malformed escape in its value`},
		{"%zz=1", nil, `field "%zz": malformed escape in its name`},
		{"a=%ff", nil, `field "a" is not valid UTF-8`},
		{strings.Repeat("a=1&", 1001), nil, "more than 1000 fields"},
	} {
		got, err := DecodeForm([]byte(c.in))
		if c.wantErr != "" {
			if err == nil || err.Error() != c.wantErr {
				t.Errorf("%.40q: error %v, want %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || len(got) != len(c.want) {
			t.Errorf("%q: %v %v, want %v", c.in, got, err, c.want)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%q: %s = %v, want %v", c.in, k, got[k], v)
			}
		}
	}
}

// FuzzDecodeForm: any body either decodes to valid UTF-8 strings that
// url.ParseQuery agrees with (first value of each name), or is refused
// with an error; it never panics.
func FuzzDecodeForm(f *testing.F) {
	for _, s := range []string{"", "a=b", "grant_type=authorization_code&code=x&redirect_uri=https%3A%2F%2Fa.example%2Fcb", "a=%zz", "%", "a&b=&=c", "a;b=c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := DecodeForm([]byte(s))
		if err != nil {
			return
		}
		want, perr := url.ParseQuery(s)
		for k, v := range got {
			str, ok := v.(string)
			if !ok || !utf8.ValidString(k) || !utf8.ValidString(str) {
				t.Fatalf("%q: field %q = %#v", s, k, v)
			}
			// ParseQuery refuses semicolons and stops at its first error;
			// where it read a name, it read the same first value.
			if vs, ok := want[k]; perr == nil && ok && vs[0] != str {
				t.Fatalf("%q: %s = %q, ParseQuery says %q", s, k, str, vs[0])
			}
		}
		if perr == nil && len(want) != len(got) {
			t.Fatalf("%q: %d fields, ParseQuery %d", s, len(got), len(want))
		}
	})
}
