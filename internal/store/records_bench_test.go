package store

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// contactProps returns the 8 properties of contact i, as a typical client
// writes them.
func contactProps(i int) map[string]string {
	n := strconv.Itoa(i)
	return map[string]string{
		"email":          "contact" + n + "@example.com",
		"firstname":      "First" + n,
		"lastname":       "Last" + n,
		"phone":          "+1 555 01" + n,
		"company":        "Company " + n,
		"website":        "https://example" + n + ".com",
		"city":           "Springfield",
		"lifecyclestage": "lead",
	}
}

// populateContacts creates n contacts in portal p, in transactions of
// 10,000, and returns their ids.
func populateContacts(tb testing.TB, p *Portal, n int) []string {
	tb.Helper()
	ids := make([]string, 0, n)
	for start := 0; start < n; start += 10_000 {
		err := p.Update(func(tx *Tx) error {
			for i := start; i < min(start+10_000, n); i++ {
				r, err := tx.CreateRecord("contact", contactProps(i), t0)
				if err != nil {
					return err
				}
				ids = append(ids, r.ID)
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return ids
}

// BenchmarkRecord measures the records calls in a portal holding 10 or
// 100,000 contacts: each should cost the same at both sizes.
func BenchmarkRecord(b *testing.B) {
	for _, size := range []int{10, 100_000} {
		p := newTestStore(b).Portal(1)
		ids := populateContacts(b, p, size)
		created, listed := size, 0
		ops := []struct {
			name string
			fn   func(i int)
		}{
			{"read", func(i int) {
				if _, ok := p.record("contact", ids[i*7919%size]); !ok {
					b.Fatal("not found")
				}
			}},
			{"list100", func(i int) {
				var page []Record
				p.View(func(v *View) { page, _ = v.Records("contact", ids[i*7919%size], 100, false) })
				if len(page) == 0 {
					b.Fatal("empty page")
				}
				listed += len(page)
			}},
			{"findUnique", func(i int) {
				if _, ok := p.findUnique("contact", "email", "CONTACT"+strconv.Itoa(i*7919%size)+"@example.com"); !ok {
					b.Fatal("not found")
				}
			}},
			// Last: it lengthens the histories the reads above copy.
			{"update", func(i int) {
				props := map[string]string{"firstname": "Renamed" + strconv.Itoa(i), "lifecyclestage": "customer"}
				if _, err := p.updateRecord("contact", ids[i*7919%size], props, t0.Add(time.Duration(i)*time.Millisecond)); err != nil {
					b.Fatal(err)
				}
			}},
			// Last: it adds records.
			{"create", func(int) {
				created++
				if _, err := p.createRecord("contact", contactProps(created), t0); err != nil {
					b.Fatal(err)
				}
			}},
		}
		for _, op := range ops {
			b.Run(fmt.Sprintf("contacts=%d/%s", size, op.name), func(b *testing.B) {
				b.ReportAllocs()
				listed = 0
				for i := 0; b.Loop(); i++ {
					op.fn(i)
				}
				if listed > 0 {
					// A portal of 10 lists pages of up to 10: compare per record.
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(listed), "ns/record")
				}
			})
		}
	}
}

// BenchmarkRecordMemory measures the heap one contact with 8 properties
// costs in a portal of 100,000 (the goal: under 2 KB), unique index
// included.
func BenchmarkRecordMemory(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		s := newTestStore(b)
		p := s.Portal(1)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		populateContacts(b, p, n)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "heap-bytes/record")
		runtime.KeepAlive(p)
	}
}
