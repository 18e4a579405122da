package faults

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/mockhub/mockhub/internal/pathpattern"
)

// Rule says which requests a fault hits and how often. The field names are
// part of mockhub's public API.
type Rule struct {
	// ID names the rule; the server assigns one when it is empty.
	ID    string `json:"id,omitempty"`
	Match Match  `json:"match"`
	Fault Spec   `json:"fault"`
	// Times is how many matching requests the rule fires on at most;
	// absent means no limit.
	Times *int `json:"times,omitempty"`
	// After is how many matching requests pass untouched first.
	After int `json:"after,omitempty"`
	// Probability is the chance the rule fires on an eligible request;
	// absent means 1.
	Probability *float64 `json:"probability,omitempty"`
}

// Match selects requests. Every field that is set must hold.
type Match struct {
	// Method is an HTTP method, any case; empty matches every method.
	Method string `json:"method,omitempty"`
	// Path is a pattern where * is one segment and ** any number; empty
	// matches every path.
	Path string `json:"path,omitempty"`
	// Portal restricts the rule to one portal's requests.
	Portal *int64 `json:"portal,omitempty"`
	// Header maps header names to the exact value the request must carry.
	Header map[string]string `json:"header,omitempty"`
}

// Request is what a rule is matched against.
type Request struct {
	Method string
	Path   string
	Portal int64
	Header http.Header
	// Batch says the operation is a batch with an envelope answer, which
	// batch-only kinds need.
	Batch bool
}

// compiled is a validated rule ready for matching, with its counters.
type compiled struct {
	Rule
	method  string
	pattern pathpattern.Pattern
	// matched counts requests that matched; fired counts faults fired.
	matched, fired int
}

// compile checks r and compiles its pattern.
func compile(r Rule) (*compiled, error) {
	if r.Fault.Fault == nil {
		return nil, fmt.Errorf("fault is required, with a kind: one of %s", strings.Join(Kinds(), ", "))
	}
	// Rules built in Go never went through UnmarshalJSON. check only fills
	// fields that are still zero, so checking a checked fault writes
	// nothing (Reset re-adds rules whose faults may be serving requests).
	if err := r.Fault.check(); err != nil {
		return nil, fmt.Errorf("fault %s: %w", r.Fault.Kind(), err)
	}
	if strings.ContainsAny(r.ID, "/ \t?#") {
		return nil, fmt.Errorf("id may not contain spaces, '/', '?' or '#', got %q", r.ID)
	}
	c := &compiled{Rule: r, method: strings.ToUpper(r.Match.Method)}
	for _, ch := range c.method {
		if ch < 'A' || ch > 'Z' {
			return nil, fmt.Errorf("match.method must be an HTTP method, got %q", r.Match.Method)
		}
	}
	var err error
	if c.pattern, err = pathpattern.Compile(r.Match.Path); err != nil {
		return nil, fmt.Errorf("match.path: %w", err)
	}
	if r.Match.Portal != nil && *r.Match.Portal <= 0 {
		return nil, fmt.Errorf("match.portal must be a positive portal id, got %d", *r.Match.Portal)
	}
	for name := range r.Match.Header {
		if name == "" {
			return nil, fmt.Errorf("match.header names may not be empty")
		}
	}
	if r.Times != nil && *r.Times < 0 {
		return nil, fmt.Errorf("times must be 0 or more, got %d", *r.Times)
	}
	if r.After < 0 {
		return nil, fmt.Errorf("after must be 0 or more, got %d", r.After)
	}
	if p := r.Probability; p != nil && !(*p >= 0 && *p <= 1) {
		return nil, fmt.Errorf("probability must be between 0 and 1, got %v", *p)
	}
	return c, nil
}

// matches reports whether req is one of the rule's requests.
func (c *compiled) matches(req *Request) bool {
	if c.method != "" && c.method != req.Method {
		return false
	}
	if c.Match.Portal != nil && *c.Match.Portal != req.Portal {
		return false
	}
	if _, ok := c.Fault.Fault.(batchOnly); ok && !req.Batch {
		return false
	}
	for name, want := range c.Match.Header {
		if req.Header.Get(name) != want {
			return false
		}
	}
	return c.pattern.Match(req.Path)
}
