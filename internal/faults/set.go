package faults

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
)

// ErrDuplicateID is returned by Add for an id already in use.
var ErrDuplicateID = errors.New("a rule with this id already exists")

// Set is the server's fault rules. It is safe for concurrent use; Armed is
// lock-free so that requests pay nothing while no rule exists.
type Set struct {
	random Random

	count atomic.Int32
	mu    sync.Mutex
	rules []*compiled
	seq   int
	// initial are the rules loaded at start-up, restored by Reset.
	initial []Rule
}

// NewSet returns a set that draws probabilities from random and starts with
// initial (rules loaded at start-up, which Reset restores).
func NewSet(random Random, initial []Rule) (*Set, error) {
	s := &Set{random: random}
	for _, r := range initial {
		if _, err := s.Add(r); err != nil {
			return nil, err
		}
	}
	s.initial = s.snapshotRules()
	return s, nil
}

// Armed reports whether any rule exists: one atomic load.
func (s *Set) Armed() bool { return s.count.Load() > 0 }

// Add validates and stores r, assigning an id when it has none, and returns
// the stored rule.
func (s *Set) Add(r Rule) (Rule, error) {
	c, err := compile(r)
	if err != nil {
		return Rule{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.ID == "" {
		for {
			s.seq++
			c.ID = "rule-" + strconv.Itoa(s.seq)
			if s.index(c.ID) < 0 {
				break
			}
		}
	} else if s.index(c.ID) >= 0 {
		return Rule{}, fmt.Errorf("%w: %s", ErrDuplicateID, c.ID)
	}
	s.rules = append(s.rules, c)
	s.count.Store(int32(len(s.rules)))
	return c.Rule, nil
}

func (s *Set) index(id string) int {
	for i, c := range s.rules {
		if c.ID == id {
			return i
		}
	}
	return -1
}

// Remove deletes the rule with id and reports whether it existed.
func (s *Set) Remove(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.index(id)
	if i < 0 {
		return false
	}
	s.rules = append(s.rules[:i:i], s.rules[i+1:]...)
	s.count.Store(int32(len(s.rules)))
	return true
}

// Clear deletes every rule.
func (s *Set) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = nil
	s.count.Store(0)
}

// Reset goes back to the rules loaded at start-up, with fresh counters.
func (s *Set) Reset() {
	s.mu.Lock()
	s.rules, s.seq = nil, 0
	s.count.Store(0)
	s.mu.Unlock()
	for _, r := range s.initial {
		// The initial rules were valid when they were first added.
		_, _ = s.Add(r)
	}
}

// RuleStatus is a rule with its counters, as the admin API lists it.
type RuleStatus struct {
	Rule
	// Matched counts requests that matched the rule, Fired the faults it
	// fired.
	Matched int `json:"matched"`
	Fired   int `json:"fired"`
}

// List returns the rules in the order they are tried.
func (s *Set) List() []RuleStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RuleStatus, len(s.rules))
	for i, c := range s.rules {
		out[i] = RuleStatus{Rule: c.Rule, Matched: c.matched, Fired: c.fired}
	}
	return out
}

// Get returns one rule.
func (s *Set) Get(id string) (RuleStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.index(id); i >= 0 {
		c := s.rules[i]
		return RuleStatus{Rule: c.Rule, Matched: c.matched, Fired: c.fired}, true
	}
	return RuleStatus{}, false
}

func (s *Set) snapshotRules() []Rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Rule, len(s.rules))
	for i, c := range s.rules {
		out[i] = c.Rule
	}
	return out
}

// Decision is the fault picked for a request and the rule that fired it.
type Decision struct {
	RuleID string
	Fault  Fault
}

// Decide tries the rules in order on req and returns the first that fires.
// A rule fires on a matching request once its first After matches have
// passed, while it has fired fewer than Times faults, and then with its
// Probability (one draw from the set's random source, only when the
// probability is strictly between 0 and 1). Rules after the one that fires
// do not see the request.
func (s *Set) Decide(req *Request) (Decision, bool) {
	if !s.Armed() {
		return Decision{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.rules {
		if !c.matches(req) {
			continue
		}
		c.matched++
		if c.matched <= c.After {
			continue
		}
		if c.Times != nil && c.fired >= *c.Times {
			continue
		}
		if p := c.Probability; p != nil && *p < 1 {
			if *p <= 0 || s.random.Float64() >= *p {
				continue
			}
		}
		c.fired++
		return Decision{RuleID: c.ID, Fault: c.Fault.Fault}, true
	}
	return Decision{}, false
}
