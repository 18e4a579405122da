package batch

import (
	"sync"
	"sync/atomic"
	"time"
)

// queues holds, per portal, the batches a batchStatus fault deferred, in the
// order they were accepted. Work of any family waits here as a closure that
// runs its own transaction.
type queues struct {
	// total counts deferred batches of every portal, so that a request to a
	// server with none pays one atomic load.
	total atomic.Int64

	mu     sync.Mutex
	byPort map[int64]*queue
}

type queue struct {
	// mu is held while due batches run, so that two concurrent settles of a
	// portal apply its batches in order.
	mu    sync.Mutex
	items []deferred
}

type deferred struct {
	due   time.Time
	apply func()
}

func newQueues() *queues { return &queues{byPort: map[int64]*queue{}} }

func (qs *queues) get(portal int64, create bool) *queue {
	qs.mu.Lock()
	defer qs.mu.Unlock()
	q := qs.byPort[portal]
	if q == nil && create {
		q = &queue{}
		qs.byPort[portal] = q
	}
	return q
}

func (qs *queues) add(portal int64, due time.Time, apply func()) {
	q := qs.get(portal, true)
	q.mu.Lock()
	q.items = append(q.items, deferred{due: due, apply: apply})
	q.mu.Unlock()
	qs.total.Add(1)
}

func (qs *queues) count(portal int64) int {
	q := qs.get(portal, false)
	if q == nil {
		return 0
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// settle runs portal's batches due by now, oldest first.
func (qs *queues) settle(portal int64, now time.Time) {
	if qs.total.Load() == 0 {
		return
	}
	q := qs.get(portal, false)
	if q == nil {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	var due []deferred
	keep := q.items[:0]
	for _, d := range q.items {
		if !now.Before(d.due) {
			due = append(due, d)
		} else {
			keep = append(keep, d)
		}
	}
	clear(q.items[len(keep):])
	q.items = keep
	qs.total.Add(-int64(len(due)))
	for _, d := range due {
		d.apply()
	}
}

// reset drops the deferred batches of portal, or of every portal when
// portal is nil.
func (qs *queues) reset(portal *int64) {
	qs.mu.Lock()
	defer qs.mu.Unlock()
	drop := func(id int64, q *queue) {
		q.mu.Lock()
		qs.total.Add(-int64(len(q.items)))
		q.items = nil
		q.mu.Unlock()
		delete(qs.byPort, id)
	}
	if portal == nil {
		for id, q := range qs.byPort {
			drop(id, q)
		}
		return
	}
	if q := qs.byPort[*portal]; q != nil {
		drop(*portal, q)
	}
}
