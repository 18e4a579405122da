package main

import (
	"maps"
	"slices"
	"sort"
	"sync"
	"time"
)

// counters is a set of named counts that many goroutines add to.
type counters struct {
	mu sync.Mutex
	m  map[string]int64
}

func newCounters() *counters { return &counters{m: map[string]int64{}} }

func (c *counters) add(name string, n int64) {
	c.mu.Lock()
	c.m[name] += n
	c.mu.Unlock()
}

func (c *counters) inc(name string) { c.add(name, 1) }

func (c *counters) get(name string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[name]
}

// snapshot returns a copy, so that the report reads a consistent set.
func (c *counters) snapshot() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.m)
}

// sortedKeys returns the keys of m in order, for a stable report.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// quantile returns the q-quantile (0..1) of sorted values by the
// nearest-rank method; zero when there are none.
func quantile[T int64 | time.Duration](sorted []T, q float64) T {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

// spread is min, median and max of a series, with its first and last value
// (which show growth within it).
type spread struct {
	N      int   `json:"n"`
	Min    int64 `json:"min"`
	Median int64 `json:"median"`
	Max    int64 `json:"max"`
	First  int64 `json:"first"`
	Last   int64 `json:"last"`
}

func spreadOf(values []int64) spread {
	if len(values) == 0 {
		return spread{}
	}
	s := spread{N: len(values), First: values[0], Last: values[len(values)-1]}
	sorted := slices.Clone(values)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	s.Min, s.Median, s.Max = sorted[0], quantile(sorted, 0.5), sorted[len(sorted)-1]
	return s
}
