package store

import (
	"time"
)

// MergeRecords merges live record mergedID of objectType into live record
// primaryID at now: the merged record is deleted for good (its id reads as
// unknown from then on, its unique values are free) and props, which the
// caller worked out from both records, are written to the primary as an
// update. Values the merged record held under a unique property may be
// written to the primary: they are released before the primary is checked.
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
// as HubSpot's GDPR delete does: unlike ArchiveRecord nothing is kept, and
// its unique values are free at once. It reports whether the record
// existed; deleting an unknown record changes nothing.
func (tx *Tx) DeleteRecord(objectType, id string) bool {
	n, ok := parseRecordID(id)
	if !ok {
		return false
	}
	tr, ok := tx.typeRecords(objectType)
	if !ok {
		return false
	}
	r, archived, ok := tr.get(n)
	if !ok {
		return false
	}
	tx.setTypeRecords(objectType, tx.withoutRecord(objectType, tr, n, r, archived), recordRowKey(objectType, n))
	return true
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
