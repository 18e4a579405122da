package store

import (
	"slices"
	"time"
)

// MergeRecords merges live record mergedID of objectType into live record
// primaryID at now: the merged record is deleted for good (its id reads as
// unknown from then on, its unique values are free) and props, which the
// caller worked out from both records, are written to the primary as an
// update. Values the merged record held under a unique property may be
// written to the primary: they are released before the primary is checked.
// The merged record's associations move to the primary, their types added
// to any the primary has with the same record (HubSpot combines both
// records' associations); one between the two records is dropped. A move
// over an association limit fails the merge with the limit's error.
// Either record archived or unknown is KindNotFound, the same id twice
// KindInvalid; nothing changes on any error.
func (tx *Tx) MergeRecords(objectType, primaryID, mergedID string, props map[string]string, now time.Time) (Record, error) {
	if primaryID == mergedID {
		return Record{}, invalid(MsgMergeSame)
	}
	tr, pn, primary, err := tx.liveRecord(objectType, primaryID)
	if err != nil {
		return Record{}, err
	}
	_, mn, merged, err := tx.liveRecord(objectType, mergedID)
	if err != nil {
		return Record{}, err
	}
	if err := checkTime(now); err != nil {
		return Record{}, err
	}
	if err := tx.moveAssociations(objectType, mn, pn); err != nil {
		return Record{}, err
	}
	tr = tx.withoutRecord(objectType, tr, mn, merged, false)
	r := withWrites(primary, props, now.UnixMilli())
	next, err := tx.putLive(objectType, tr, pn, primary, r)
	if err != nil {
		return Record{}, err
	}
	tx.setTypeRecords(objectType, next, recordRowKey(objectType, pn), recordRowKey(objectType, mn))
	return toRecord(objectType, pn, r, false), nil
}

// DeleteRecord deletes record id of objectType for good, live or archived,
// as HubSpot's GDPR delete does: unlike ArchiveRecord nothing is kept, its
// associations are removed and its unique values are free at once. It
// reports whether the record existed; deleting an unknown record changes
// nothing.
func (tx *Tx) DeleteRecord(objectType, id string) (bool, error) {
	n, ok := parseRecordID(id)
	if !ok {
		return false, nil
	}
	tr, ok := tx.typeRecords(objectType)
	if !ok {
		return false, nil
	}
	r, archived, ok := tr.get(n)
	if !ok {
		return false, nil
	}
	if err := tx.moveAssociations(objectType, n, 0); err != nil {
		return false, err
	}
	tx.dropCounts(objectType, n)
	tx.setTypeRecords(objectType, tx.withoutRecord(objectType, tr, n, r, archived), recordRowKey(objectType, n))
	return true, nil
}

// moveAssociations removes every association of record (typ, from) and,
// when to is not 0, gives record (typ, to) the same ones (the types of an
// association to a record to already has are added to its own). It runs
// while both records still exist, so that partners' counts move with the
// associations.
func (tx *Tx) moveAssociations(typ string, from, to int64) error {
	type edge struct {
		k     assocKey
		types []int32
	}
	var edges []edge
	itr := tx.assocs().edges.Iterator()
	itr.Seek(assocKey{typ, from, "", 0})
	for !itr.Done() {
		k, types, _ := itr.Next()
		if k.fromType != typ || k.fromID != from {
			break
		}
		edges = append(edges, edge{k, types})
	}
	for _, e := range edges {
		if err := tx.setEdge(e.k, e.types, nil); err != nil {
			return err
		}
		partnerIsEnd := e.k.toType == typ && (e.k.toID == from || e.k.toID == to)
		if to == 0 || partnerIsEnd {
			continue
		}
		k := assocKey{typ, to, e.k.toType, e.k.toID}
		old, _ := tx.assocs().edges.Get(k)
		want := append(slices.Clone(old), e.types...)
		slices.Sort(want)
		if err := tx.setEdge(k, old, slices.Compact(want)); err != nil {
			return err
		}
	}
	return nil
}

// dropCounts forgets the association counts record (typ, id) keeps of its
// own partners: an archived record's stay behind when its associations
// are hidden, and a deleted one has no use for them.
func (tx *Tx) dropCounts(typ string, id int64) {
	a := tx.assocs()
	var keys []countKey
	itr := a.counts.Iterator()
	itr.Seek(countKey{typ, id, "", 0})
	for !itr.Done() {
		k, _, _ := itr.Next()
		if k.typ != typ || k.id != id {
			break
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return
	}
	for _, k := range keys {
		a.counts = a.counts.Delete(k)
	}
	// Counts are derived on load: no row changes.
	tx.set(assocDomain, a)
}

// withoutRecord returns tr without record n (r, archived or live), and
// without the unique values a live one held.
func (v *View) withoutRecord(objectType string, tr *typeRecords, n int64, r *record, archived bool) *typeRecords {
	next := *tr
	if archived {
		next.archived = tr.archived.Delete(n)
		return &next
	}
	for _, k := range uniqueKeys(v.uniqueDecl(objectType), r) {
		if holder, ok := next.unique.Get(k); ok && holder == n {
			next.unique = next.unique.Delete(k)
		}
	}
	next.live = tr.live.Delete(n)
	return &next
}

// MsgMergeSame refuses a merge of a record into itself.
const MsgMergeSame = "A record cannot be merged with itself"
