package store

import (
	"fmt"
	"iter"
	"strconv"
	"testing"

	"github.com/benbjohnson/immutable"
	"github.com/mockhub/mockhub/internal/persist"
)

// tableDomain is a test-only domain: a plain keyed table, standing in for
// the records that do not exist yet, to measure what one write costs in a
// portal holding 100,000 entries.
var tableDomain = register(domain{
	name: "test-table",
	empty: func(*Config) any {
		return immutable.NewSortedMap[string, []byte](immutable.NewComparer(""))
	},
	row: func(part any, key string) ([]byte, bool) {
		return part.(*immutable.SortedMap[string, []byte]).Get(key)
	},
	rows: func(part any) iter.Seq2[string, []byte] {
		return func(yield func(string, []byte) bool) {
			it := part.(*immutable.SortedMap[string, []byte]).Iterator()
			for !it.Done() {
				k, v, _ := it.Next()
				if !yield(k, v) {
					return
				}
			}
		}
	},
	load: func(*Snapshot, string, []byte) error { return nil },
})

func (tx *Tx) putTable(key string, value []byte) {
	m := tx.part(tableDomain).(*immutable.SortedMap[string, []byte])
	tx.set(tableDomain, m.Set(key, value), key)
}

func tableKey(i int) string { return fmt.Sprintf("record-%09d", i) }

var tableValue = []byte(`{"id":"123456789","properties":{"email":"someone@example.com","firstname":"Some","lastname":"One"}}`)

// BenchmarkAcknowledgedWrite measures acknowledged writes per second (each
// one a transaction, published and, with a data dir, committed to disk) in
// a portal holding 10 or 100,000 table entries: a write to the big table
// itself and a limits write beside it.
func BenchmarkAcknowledgedWrite(b *testing.B) {
	for _, size := range []int{10, 100_000} {
		for _, where := range []string{"memory", "datadir"} {
			for _, op := range []string{"table", "limit"} {
				b.Run(fmt.Sprintf("entries=%d/%s/%s", size, where, op), func(b *testing.B) {
					s := newTestStore(b)
					if where == "datadir" {
						db, err := persist.Open(b.TempDir())
						if err != nil {
							b.Fatal(err)
						}
						b.Cleanup(func() { db.Close() })
						if _, err := s.Attach(db); err != nil {
							b.Fatal(err)
						}
					}
					p := s.Portal(1)
					for start := 0; start < size; start += 10_000 {
						err := p.Update(func(tx *Tx) error {
							for i := start; i < min(start+10_000, size); i++ {
								tx.putTable(tableKey(i), tableValue)
							}
							return nil
						})
						if err != nil {
							b.Fatal(err)
						}
					}
					if _, err := p.ApplyLimits(LimitCreate, contactCompany, []LimitInput{{Category: HubSpotDefined, TypeID: 279, Max: 1}}, true); err != nil {
						b.Fatal(err)
					}
					b.ReportAllocs()
					b.ResetTimer()
					for i := range b.N {
						var err error
						if op == "table" {
							err = p.Update(func(tx *Tx) error {
								tx.putTable(tableKey(i*7919%size), tableValue)
								return nil
							})
						} else {
							_, err = p.ApplyLimits(LimitUpdate, contactCompany, []LimitInput{{Category: HubSpotDefined, TypeID: 279, Max: int32(i%1000 + 1)}}, true)
						}
						if err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
				})
			}
		}
	}
}

func TestTableDomainRoundTrip(t *testing.T) {
	s := newTestStore(t)
	fp := &fakePersister{saved: map[int64]map[[2]string][]byte{}}
	s.SetPersister(fp)
	p := s.Portal(1)
	for i := range 3 {
		if err := p.Update(func(tx *Tx) error { tx.putTable(tableKey(i), []byte(strconv.Itoa(i))); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		if got := string(fp.saved[1][[2]string{"test-table", tableKey(i)}]); got != strconv.Itoa(i) {
			t.Fatalf("saved %v", fp.saved[1])
		}
	}
}

func TestManyKeysInOneTxAreSavedOnce(t *testing.T) {
	s := newTestStore(t)
	p := s.Portal(1)
	if err := p.Update(func(tx *Tx) error { tx.putTable("first", nil); return nil }); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	s.SetPersister(rec)
	p.saved = true
	err := p.Update(func(tx *Tx) error {
		for range 2 {
			for i := range 40 {
				tx.putTable(tableKey(i), []byte("v"))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.keys) != 40 || rec.keys[0] != "test-table/"+tableKey(0) || rec.keys[39] != "test-table/"+tableKey(39) {
		t.Fatalf("saved %d keys: %v", len(rec.keys), rec.keys)
	}
}
