package idgen

import (
	"testing"

	"github.com/google/uuid"
)

func TestSameSeedSameIDs(t *testing.T) {
	a, b, c := New(7), New(7), New(8)
	for i := 0; i < 100; i++ {
		x, y, z := a.UUID(), b.UUID(), c.UUID()
		if x != y {
			t.Fatalf("draw %d: same seed gave %s and %s", i, x, y)
		}
		if x == z {
			t.Fatalf("draw %d: different seeds gave %s", i, x)
		}
		if x.Version() != 4 || x.Variant() != uuid.RFC4122 {
			t.Fatalf("%s is not a version 4 RFC 4122 UUID", x)
		}
		if _, err := uuid.Parse(x.String()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDrawsStayInRange(t *testing.T) {
	s := New(1)
	for i := 0; i < 1000; i++ {
		if f := s.Float64(); f < 0 || f >= 1 {
			t.Fatalf("Float64 = %v", f)
		}
		if n := s.Int64N(3); n < 0 || n >= 3 {
			t.Fatalf("Int64N(3) = %d", n)
		}
	}
}
