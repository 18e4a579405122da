// Package idgen is mockhub's one seeded random source. Correlation ids and any
// random choice (fault probabilities, jitter) are drawn from it, so that a run
// started with the same seed and the same requests behaves the same way.
package idgen

import (
	"math/rand/v2"
	"sync"

	"github.com/google/uuid"
)

// Source is a goroutine-safe seeded random source.
type Source struct {
	mu  sync.Mutex
	rng *rand.Rand
}

// New returns a Source seeded with seed.
func New(seed uint64) *Source {
	return &Source{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// UUID returns a version 4 UUID drawn from the source.
func (s *Source) UUID() uuid.UUID {
	var u uuid.UUID
	s.mu.Lock()
	hi, lo := s.rng.Uint64(), s.rng.Uint64()
	s.mu.Unlock()
	for i := 0; i < 8; i++ {
		u[i] = byte(hi >> (56 - 8*i))
		u[8+i] = byte(lo >> (56 - 8*i))
	}
	u[6] = (u[6] & 0x0f) | 0x40 // version 4
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 4122 variant
	return u
}

// Float64 returns a number in [0, 1).
func (s *Source) Float64() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Float64()
}

// Int64N returns a number in [0, n). n must be positive.
func (s *Source) Int64N(n int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Int64N(n)
}
