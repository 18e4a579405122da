package search

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// plan is a validated request compiled against a schema.
type plan struct {
	groups [][]cond // OR of AND
	query  []string // lower-case terms, all must match
	fields []string // where query terms are looked for
	sort   *Sort
}

// cond is one compiled filter.
type cond struct {
	prop   string
	kind   Kind
	op     Operator
	value  operand
	high   operand
	values []operand
	token  tokenPattern // CONTAINS_TOKEN and NOT_CONTAINS_TOKEN
}

// operand is a filter value parsed once for its property's kind.
type operand struct {
	raw   string
	lower string
	num   float64 // Number, Date, DateTime, Bool (0/1)
	ok    bool    // num holds a parsed value
}

func compile(req *Request, schema Schema) *plan {
	p := &plan{}
	for _, g := range req.FilterGroups {
		var cs []cond
		for _, f := range g.Filters {
			k, _ := schema.Kind(f.PropertyName)
			c := cond{prop: f.PropertyName, kind: k, op: f.Operator}
			if f.Value != nil {
				c.value = parseOperand(k, string(*f.Value))
			}
			if f.HighValue != nil {
				c.high = parseOperand(k, string(*f.HighValue))
			}
			for _, v := range f.Values {
				c.values = append(c.values, parseOperand(k, string(v)))
			}
			if f.Operator == ContainsToken || f.Operator == NotContainsToken {
				c.token = newTokenPattern(k, c.value)
			}
			cs = append(cs, c)
		}
		p.groups = append(p.groups, cs)
	}
	p.query = strings.Fields(strings.ToLower(req.Query))
	if len(p.query) > 0 {
		p.fields = schema.Searchable()
	}
	if len(req.Sorts) == 1 {
		s := req.Sorts[0]
		p.sort = &s
	}
	return p
}

func parseOperand(k Kind, s string) operand {
	o := operand{raw: s, lower: strings.ToLower(s)}
	o.num, o.ok = parseNum(k, s)
	return o
}

// parseNum reads s as a number for the kinds that compare numerically.
func parseNum(k Kind, s string) (float64, bool) {
	switch k {
	case Number:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) {
			return 0, false
		}
		return f, true
	case Date, DateTime:
		ms, ok := parseInstant(s)
		return float64(ms), ok
	case Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return 0, false
		}
		if b {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// instantLayouts are the ISO 8601 forms HubSpot accepts for dates and
// datetimes besides epoch milliseconds.
var instantLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"}

// parseInstant reads epoch milliseconds or ISO 8601 (no zone = UTC) as
// epoch milliseconds.
func parseInstant(s string) (int64, bool) {
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return ms, true
	}
	for _, l := range instantLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UnixMilli(), true
		}
	}
	return 0, false
}

// candidates returns the records that can match when every group has an
// EQ the index answers: the union of those lookups. Otherwise ok is false
// and the caller scans.
func (p *plan) candidates(idx Index) ([]Record, bool) {
	if idx == nil || len(p.groups) == 0 {
		return nil, false
	}
	var out []Record
	seen := map[string]struct{}{}
	for _, g := range p.groups {
		found := false
		for _, c := range g {
			if c.op != EQ {
				continue
			}
			recs, ok := idx.Lookup(c.prop, c.value.raw)
			if !ok {
				continue
			}
			found = true
			for _, r := range recs {
				if _, dup := seen[r.ID()]; !dup {
					seen[r.ID()] = struct{}{}
					out = append(out, r)
				}
			}
			break
		}
		if !found {
			return nil, false
		}
	}
	return out, true
}

// match reports whether r satisfies the filter groups and the query.
func (p *plan) match(r Record) bool {
	if len(p.groups) > 0 {
		any := false
		for _, g := range p.groups {
			if matchAll(g, r) {
				any = true
				break
			}
		}
		if !any {
			return false
		}
	}
	return p.matchQuery(r)
}

func matchAll(g []cond, r Record) bool {
	for i := range g {
		if !g[i].match(r) {
			return false
		}
	}
	return true
}

// value reads a property; hs_object_id falls back to the record id, which
// it always equals.
func value(r Record, prop string) (string, bool) {
	v, ok := r.Value(prop)
	if (!ok || v == "") && prop == "hs_object_id" {
		return r.ID(), true
	}
	return v, ok && v != ""
}

func (c *cond) match(r Record) bool {
	v, has := value(r, c.prop)
	switch c.op {
	case HasProperty:
		return has
	case NotHasProperty:
		return !has
	case NEQ:
		// A record without the property is "not equal" too (inferred:
		// HubSpot's index treats negations as must-not clauses).
		return !has || !c.anyEqual(v, c.value)
	case NotIn:
		return !has || !c.in(v)
	case NotContainsToken:
		return !has || !c.containsToken(v)
	}
	if !has {
		return false
	}
	switch c.op {
	case EQ:
		return c.anyEqual(v, c.value)
	case LT:
		n, ok := c.compare(v, c.value)
		return ok && n < 0
	case LTE:
		n, ok := c.compare(v, c.value)
		return ok && n <= 0
	case GT:
		n, ok := c.compare(v, c.value)
		return ok && n > 0
	case GTE:
		n, ok := c.compare(v, c.value)
		return ok && n >= 0
	case Between:
		lo, ok1 := c.compare(v, c.value)
		hi, ok2 := c.compare(v, c.high)
		return ok1 && ok2 && lo >= 0 && hi <= 0
	case In:
		return c.in(v)
	case ContainsToken:
		return c.containsToken(v)
	}
	return false
}

// options splits a stored value into the values it holds: an enumeration
// holds several separated by ';', anything else one.
func (c *cond) options(v string) []string {
	if c.kind == Enumeration {
		return strings.Split(v, ";")
	}
	return []string{v}
}

// equal compares one stored value with an operand by kind: text
// case-insensitively, enumeration options exactly, the rest as numbers.
func (c *cond) equal(v string, o operand) bool {
	switch c.kind {
	case Enumeration:
		return v == o.raw
	case Number, Date, DateTime, Bool:
		n, ok := parseNum(c.kind, v)
		return ok && o.ok && n == o.num
	}
	return strings.EqualFold(v, o.raw)
}

func (c *cond) anyEqual(v string, o operand) bool {
	for _, x := range c.options(v) {
		if c.equal(x, o) {
			return true
		}
	}
	return false
}

// in is IN: HubSpot's docs say string values must be given lower-case, as
// they are compared with the lower-cased stored value; an upper-case value
// in the list therefore never matches a text property.
func (c *cond) in(v string) bool {
	for _, x := range c.options(v) {
		for _, o := range c.values {
			if c.kind == String {
				if strings.ToLower(x) == o.raw {
					return true
				}
			} else if c.equal(x, o) {
				return true
			}
		}
	}
	return false
}

// compare orders a stored value against an operand by kind; false when
// either side does not parse for a numeric kind.
func (c *cond) compare(v string, o operand) (int, bool) {
	switch c.kind {
	case Number, Date, DateTime, Bool:
		n, ok := parseNum(c.kind, v)
		if !ok || !o.ok {
			return 0, false
		}
		return cmpFloat(n, o.num), true
	case Enumeration:
		return strings.Compare(v, o.raw), true
	}
	return strings.Compare(strings.ToLower(v), o.lower), true
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// containsToken matches the pattern (with * wildcards) against the value's
// whitespace-separated tokens, or against the whole value when the pattern
// itself has several words. Text is case-insensitive, enumeration options
// case-sensitive.
func (c *cond) containsToken(v string) bool {
	t := &c.token
	if c.kind != Enumeration {
		v = strings.ToLower(v)
	}
	// Any match contains the pattern's longest literal run: most values
	// are refused here without tokenizing.
	if !strings.Contains(v, t.lit) {
		return false
	}
	if t.phrase {
		return glob(t.pat, v)
	}
	enum := c.kind == Enumeration
	start := -1
	for i := 0; i < len(v); {
		b := v[i]
		size := 1
		var sep bool
		if b < utf8.RuneSelf {
			sep = b == ' ' || (b >= '\t' && b <= '\r') || (enum && b == ';')
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(v[i:])
			sep = unicode.IsSpace(r)
		}
		switch {
		case sep && start >= 0:
			if glob(t.pat, v[start:i]) {
				return true
			}
			start = -1
		case !sep && start < 0:
			start = i
		}
		i += size
	}
	return start >= 0 && glob(t.pat, v[start:])
}

// tokenPattern is a CONTAINS_TOKEN value prepared once.
type tokenPattern struct {
	pat    string // lower-cased unless the property is an enumeration
	lit    string // its longest run without '*'
	phrase bool   // it has several words: match the whole value
}

func newTokenPattern(k Kind, o operand) tokenPattern {
	t := tokenPattern{pat: o.lower}
	if k == Enumeration {
		t.pat = o.raw
	}
	t.phrase = strings.ContainsFunc(t.pat, unicode.IsSpace)
	for part := range strings.SplitSeq(t.pat, "*") {
		if len(part) > len(t.lit) {
			t.lit = part
		}
	}
	return t
}

// glob matches s against pat where '*' stands for any run of characters,
// in linear time (greedy with one backtrack point).
func glob(pat, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pat) && pat[p] == '*':
			star, mark = p, i
			p++
		case p < len(pat) && pat[p] == s[i]:
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}

// matchQuery: every query term must be a prefix of a token of one of the
// searchable properties (tokens are whitespace-separated words and their
// letter-or-digit runs, so "jane" finds "jane.doe@example.com").
func (p *plan) matchQuery(r Record) bool {
	for _, term := range p.query {
		found := false
		for _, f := range p.fields {
			v, ok := value(r, f)
			if ok && hasTokenPrefix(v, term) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// hasTokenPrefix reports whether lower-case term prefixes a token of v,
// case-insensitively. ASCII values (nearly all) are folded in place rather
// than lowered into a copy.
func hasTokenPrefix(v, term string) bool {
	ascii := true
	for i := 0; i < len(v); i++ {
		if v[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	prefix := func(tok string) bool {
		return len(tok) >= len(term) && strings.EqualFold(tok[:len(term)], term)
	}
	if !ascii {
		v = strings.ToLower(v)
		prefix = func(tok string) bool { return strings.HasPrefix(tok, term) }
	}
	for w := range strings.FieldsSeq(v) {
		if prefix(w) {
			return true
		}
		for part := range strings.FieldsFuncSeq(w, notAlnum) {
			if prefix(part) {
				return true
			}
		}
	}
	return false
}

func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
