package store

import (
	"iter"
	"time"
)

// As-of reads serve a search that lags behind writes (HubSpot's index
// shows new and changed records only after a delay): each record as it was
// at a past time, rebuilt from the history every property keeps.

// newestWrite is the newest time r was created, written or archived at.
// Imported records may carry history newer than their updatedAt, so every
// property's newest write is looked at.
func (r *record) newestWrite() int64 {
	t := max(r.created, r.updated, r.archivedAt)
	for _, p := range r.props {
		t = max(t, p.hist.at)
	}
	return t
}

// asOf returns r as it was at t (Unix ms), and false when it was not live
// then: created after t, or archived at or before t. A record archived after
// t is returned live. Each property holds its newest write at or before t;
// one first written after t is absent. UpdatedAt is r's when that is not
// after t, else the newest write at or before t (the store keeps no history
// of updates that changed no value). A record untouched since t is r
// itself: nothing is copied. The walk follows every entry a history still
// holds, shown or not (up to 2*MaxHistory); a property written more often
// than that since t has lost its value as of t and reads as absent.
func (r *record) asOf(t int64, archived bool) (*record, bool) {
	if r.created > t || (archived && r.archivedAt <= t) {
		return nil, false
	}
	if !archived && r.newestWrite() <= t {
		return r, true
	}
	out := &record{created: r.created, updated: r.created}
	if r.updated <= t {
		out.updated = r.updated
	}
	for _, p := range r.props {
		e := p.hist
		for e != nil && e.at > t {
			e = e.older
		}
		if e == nil {
			continue
		}
		if out.props == nil {
			out.props = make([]recordProp, 0, len(r.props))
		}
		out.props = append(out.props, recordProp{name: p.name, hist: e})
		if r.updated > t {
			out.updated = max(out.updated, e.at)
		}
	}
	return out, true
}

// RecordsChangedSince reports whether a record of objectType was created,
// written or archived after t. When none was, every record is as it was at
// t, and a read as of t may read the current records.
func (v *View) RecordsChangedSince(objectType string, t time.Time) bool {
	tr, ok := v.typeRecords(objectType)
	return ok && tr.lastWrite > t.UnixMilli()
}

// RecordAsOf returns record id of objectType as it was at t (to the
// millisecond), false when it was not live then (not yet created, already
// archived, or unknown). The record is returned live (Archived false) even
// when it has been archived since.
func (v *View) RecordAsOf(objectType, id string, t time.Time) (Record, bool) {
	n, ok := parseRecordID(id)
	if !ok {
		return Record{}, false
	}
	tr, ok := v.typeRecords(objectType)
	if !ok {
		return Record{}, false
	}
	r, archived, ok := tr.get(n)
	if !ok {
		return Record{}, false
	}
	then, ok := r.asOf(t.UnixMilli(), archived)
	if !ok {
		return Record{}, false
	}
	return toRecord(objectType, n, then, false), true
}

// RecordsAsOf yields, in id order (creation order), every record of
// objectType that was live at t, as it was then (see RecordAsOf). It walks
// the archived records too, since those archived after t were live then.
func (v *View) RecordsAsOf(objectType string, t time.Time) iter.Seq[Record] {
	return func(yield func(Record) bool) {
		tr, ok := v.typeRecords(objectType)
		if !ok {
			return
		}
		at := t.UnixMilli()
		for id, sr := range tr.all() {
			then, ok := sr.r.asOf(at, sr.archived)
			if ok && !yield(toRecord(objectType, id, then, false)) {
				return
			}
		}
	}
}

// RecordCounts returns, per object type holding any record, how many of its
// records are live and how many archived. It costs one step per type,
// however many records there are.
func (v *View) RecordCounts() (live, archived map[string]int) {
	live, archived = map[string]int{}, map[string]int{}
	for typ, tr := range v.records().all() {
		if n := tr.live.Len(); n > 0 {
			live[typ] = n
		}
		if n := tr.archived.Len(); n > 0 {
			archived[typ] = n
		}
	}
	return live, archived
}
