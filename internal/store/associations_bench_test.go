package store

import (
	"fmt"
	"testing"
)

// BenchmarkAssociation measures association calls on a company holding 10
// or 50,000 contacts: each should cost the same at both sizes (limits are
// checked from maintained counts, listings seek to their page).
func BenchmarkAssociation(b *testing.B) {
	for _, size := range []int{10, 50_000} {
		s := newTestStore(b)
		// Past the default hard ceiling of 50,000, which the sizes reach.
		s.cfg.MaxAssociationsPerPair = 1 << 30
		p := s.Portal(1)
		company := mustCreate(b, p, "company", nil)
		contacts := populateContacts(b, p, size+b.N+1_000)
		err := p.Update(func(tx *Tx) error {
			for _, c := range contacts[:size] {
				if _, _, err := tx.AssociateDefault(ref("company", company), ref("contact", c)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		// A limit is configured on the contacts' side, so every create
		// checks one.
		setLimit(b, p, Pair{"contact", "company"}, HubSpotDefined, 279, 50_000)
		b.Run(fmt.Sprintf("create/partners=%d", size), func(b *testing.B) {
			next := size
			for b.Loop() {
				err := p.Update(func(tx *Tx) error {
					_, _, err := tx.AssociateDefault(ref("company", company), ref("contact", contacts[next%len(contacts)]))
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				next++
			}
		})
		b.Run(fmt.Sprintf("list-page-500/partners=%d", size), func(b *testing.B) {
			after := contacts[size/2]
			for b.Loop() {
				p.View(func(v *View) {
					if page, _ := v.Associations(ref("company", company), "contact", after, 500); len(page) == 0 {
						b.Fatal("empty page")
					}
				})
			}
		})
		b.Run(fmt.Sprintf("batch-create-1000/partners=%d", size), func(b *testing.B) {
			for b.Loop() {
				other := mustCreate(b, p, "company", nil)
				err := p.Update(func(tx *Tx) error {
					for _, c := range contacts[:1_000] {
						if _, _, err := tx.AssociateDefault(ref("company", other), ref("contact", c)); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
