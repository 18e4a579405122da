package server_test

import (
	"testing"

	"github.com/mockhub/mockhub/internal/server"
)

// BenchmarkNew measures start-up work: loading and validating every
// version's document, indexing fixtures, building validators and routes.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := server.New(server.Config{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
