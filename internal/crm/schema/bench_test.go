package schema

import "testing"

// BenchmarkNormalizeWrite measures checking a typical deal create.
func BenchmarkNormalizeWrite(b *testing.B) {
	deals := mustType(b, loadDefault(b), "deals")
	props := map[string]string{
		"dealname":  "Big deal",
		"amount":    "1000.50",
		"closedate": "2024-12-31T00:00:00Z",
		"pipeline":  "default",
		"dealstage": "qualifiedtobuy",
		"dealtype":  "newbusiness",
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, errs := deals.NormalizeWrite(nil, props); errs != nil {
			b.Fatal(errs)
		}
	}
}
