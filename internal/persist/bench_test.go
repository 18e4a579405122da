package persist

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// saveJSONFile is how earlier versions saved a portal: its whole document
// to a temporary file, synced, renamed over the old one, directory synced.
func saveJSONFile(dir string, doc []byte) error {
	tmp, err := os.CreateTemp(dir, tmpPrefix+"1-*"+tmpSuffix)
	if err != nil {
		return err
	}
	if _, err := tmp.Write(doc); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, "portal-1.json")); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

const benchValue = `{"id":"123456789","properties":{"email":"someone@example.com","firstname":"Some","lastname":"One"}}`

// BenchmarkSaveOneChange compares what saving one changed entry costs in a
// portal of 10 or 100,000 entries: rewriting the portal's JSON document (as
// earlier versions did) against committing the one key to bbolt.
func BenchmarkSaveOneChange(b *testing.B) {
	for _, size := range []int{10, 100_000} {
		b.Run(fmt.Sprintf("entries=%d/json-file", size), func(b *testing.B) {
			dir := b.TempDir()
			entries := make(map[string]json.RawMessage, size)
			for i := range size {
				entries[fmt.Sprintf("record-%09d", i)] = json.RawMessage(benchValue)
			}
			b.ResetTimer()
			for i := range b.N {
				entries[fmt.Sprintf("record-%09d", i*7919%size)] = json.RawMessage(benchValue)
				doc, err := json.Marshal(entries)
				if err != nil {
					b.Fatal(err)
				}
				if err := saveJSONFile(dir, doc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
		})
		b.Run(fmt.Sprintf("entries=%d/bbolt", size), func(b *testing.B) {
			d, err := Open(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { d.Close() })
			for start := 0; start < size; start += 10_000 {
				var rows []Row
				for i := start; i < min(start+10_000, size); i++ {
					rows = append(rows, Row{Domain: "records", Key: fmt.Sprintf("record-%09d", i), Value: []byte(benchValue)})
				}
				if err := d.Commit(1, false, rows); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for i := range b.N {
				row := Row{Domain: "records", Key: fmt.Sprintf("record-%09d", i*7919%size), Value: []byte(benchValue)}
				if err := d.Commit(1, false, []Row{row}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
		})
	}
}

// BenchmarkSaveToken is what a new token's first request pays with a data
// directory: one synced commit of its assignment.
func BenchmarkSaveToken(b *testing.B) {
	d, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	for i := range b.N {
		if err := d.SaveToken(sha256.Sum256(fmt.Appendf(nil, "tok-%d", i)), int64(10_000_000+i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}
