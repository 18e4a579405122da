// Package pathpattern matches URL paths against the patterns fault rules and
// journal filters share: "*" matches exactly one segment, "**" any number of
// segments (none included), anything else matches itself.
package pathpattern

import (
	"fmt"
	"strings"
)

// Pattern is a compiled path pattern, one entry per segment.
type Pattern []string

// Compile checks a pattern. The empty pattern compiles to nil, which matches
// every path.
func Compile(p string) (Pattern, error) {
	if p == "" {
		return nil, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("path pattern must start with /, got %q", p)
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for _, s := range segs {
		if s != "*" && s != "**" && strings.Contains(s, "*") {
			return nil, fmt.Errorf("path pattern: * and ** must be whole segments, got %q", s)
		}
	}
	return segs, nil
}

// Match reports whether path (starting with /) fits the pattern. A nil
// pattern matches every path.
func (p Pattern) Match(path string) bool {
	if p == nil {
		return true
	}
	return matchSegments(p, strings.TrimPrefix(path, "/"))
}

// matchSegments matches pattern segments against the rest of a path without
// splitting it; "**" backtracks over each possible number of segments.
func matchSegments(p []string, path string) bool {
	for i, seg := range p {
		if seg == "**" {
			rest := p[i+1:]
			if len(rest) == 0 {
				return true
			}
			for {
				if matchSegments(rest, path) {
					return true
				}
				_, after, ok := strings.Cut(path, "/")
				if !ok {
					return false
				}
				path = after
			}
		}
		head, after, more := strings.Cut(path, "/")
		if seg != "*" && seg != head {
			return false
		}
		if i == len(p)-1 {
			return !more
		}
		if !more {
			return false
		}
		path = after
	}
	return path == ""
}

// Match compiles pattern and matches path; an invalid pattern matches
// nothing.
func Match(pattern, path string) bool {
	p, err := Compile(pattern)
	return err == nil && p.Match(path)
}
