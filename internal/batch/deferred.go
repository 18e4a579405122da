package batch

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/store"
)

// Deferred batches live in the portal's state (store.Deferred), so they are
// saved with their acknowledgement and exported with the portal. The runner
// applies each when the server's clock reaches its due time: a timer armed
// per portal for its earliest due work (on a manual clock, advancing it runs
// the timer), and, as a backstop, before every request to the portal.

// Rebuilder rebuilds the call of an operation ("<version> <operationId>")
// from its path parameters as sent.
type Rebuilder func(operation string, portal int64, params map[string]string, query string) (*endpoint.Call, error)

type deferred struct {
	replays map[string]func(c *endpoint.Call, tx *store.Tx, d store.Deferred) error

	mu      sync.Mutex
	store   *store.Store
	rebuild Rebuilder
	log     *slog.Logger
	// armed holds, per portal, the time its timer fires.
	armed map[int64]time.Time
}

func newDeferred() deferred {
	return deferred{replays: map[string]func(*endpoint.Call, *store.Tx, store.Deferred) error{}, armed: map[int64]time.Time{}}
}

// Attach gives the runner what applying deferred work needs: the store, and
// how to rebuild a call. Call it once the routes are built, then Resume.
func (run *Runner) Attach(st *store.Store, rebuild Rebuilder, log *slog.Logger) {
	run.mu.Lock()
	defer run.mu.Unlock()
	run.store, run.rebuild, run.log = st, rebuild, log
}

// Resume arms the timers of every portal's deferred work (at start-up, after
// work was restored from disk or fixtures) and applies what is due.
func (run *Runner) Resume() {
	for _, id := range run.store.PortalIDs() {
		run.SettlePortal(id)
	}
}

// Settle applies p's deferred work that is due. Without deferred work it
// costs one atomic load and a length check.
func (run *Runner) Settle(p *store.Portal) {
	var n int
	p.View(func(v *store.View) { n = v.DeferredCount() })
	if n == 0 {
		return
	}
	run.settle(p)
}

// SettlePortal is Settle for the portal with the given id, if it exists.
func (run *Runner) SettlePortal(id int64) {
	if p, ok := run.store.Lookup(id); ok {
		run.Settle(p)
	}
}

// Pending reports how many deferred batches of portal wait to take effect.
func (run *Runner) Pending(portal int64) int {
	p, ok := run.store.Lookup(portal)
	if !ok {
		return 0
	}
	var n int
	p.View(func(v *store.View) { n = v.DeferredCount() })
	return n
}

// Reset forgets the timers of portal, or of every portal when nil: the
// deferred work itself went with the portal's state.
func (run *Runner) Reset(portal *int64) {
	run.mu.Lock()
	defer run.mu.Unlock()
	if portal == nil {
		clear(run.armed)
		return
	}
	delete(run.armed, *portal)
}

// settle applies p's due work in due order, then arms the timer of the next.
func (run *Runner) settle(p *store.Portal) {
	now := run.clock.Now()
	for {
		var next store.Deferred
		var has bool
		p.View(func(v *store.View) { next, has = v.NextDeferred() })
		if !has {
			return
		}
		if now.Before(next.Due) {
			run.arm(p.ID(), next.Due)
			return
		}
		if !run.applyOne(p, next) {
			return
		}
	}
}

// errGone says another settle applied the work first.
var errGone = errors.New("deferred work already applied")

// applyOne applies one due item and removes it, in one transaction. It is
// checked again now, against the state of this moment: a batch that cannot
// be applied any more is dropped, as HubSpot drops the failed inputs of an
// asynchronous batch. It reports whether settling may go on (false when the
// state could not be saved).
func (run *Runner) applyOne(p *store.Portal, d store.Deferred) bool {
	var replayErr error
	err := p.Update(func(tx *store.Tx) error {
		if !tx.Undefer(d) {
			return errGone
		}
		replay, ok := run.replays[opID(d.Operation)]
		if !ok {
			replayErr = errors.New("no batch operation " + d.Operation)
			return nil
		}
		c, err := run.rebuild(d.Operation, p.ID(), d.Params, d.Query)
		if err != nil {
			replayErr = err
			return nil
		}
		if err := safeReplay(replay, c, tx, d); err != nil {
			replayErr = err
			return err
		}
		return nil
	})
	switch {
	case errors.Is(err, errGone):
		return true
	case replayErr != nil:
		if run.log != nil {
			run.log.Info("deferred batch dropped", "portal", p.ID(), "operation", d.Operation, "reason", replayErr.Error())
		}
		if err != nil {
			// The batch was refused whole: remove it alone.
			err = p.Update(func(tx *store.Tx) error { tx.Undefer(d); return nil })
		}
	}
	if err != nil {
		if run.log != nil {
			run.log.Error("deferred batch not applied", "portal", p.ID(), "operation", d.Operation, "error", err)
		}
		return false
	}
	return true
}

// opID is the operationId of an operation key.
func opID(key string) string {
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == ' ' {
			return key[i+1:]
		}
	}
	return key
}

// arm makes sure portal's work due at due is applied then: one timer per
// portal, for its earliest due work.
func (run *Runner) arm(portal int64, due time.Time) {
	run.mu.Lock()
	if t, ok := run.armed[portal]; ok && !t.After(due) {
		run.mu.Unlock()
		return
	}
	run.armed[portal] = due
	run.mu.Unlock()
	clock.At(run.clock, due, func() {
		run.mu.Lock()
		if t, ok := run.armed[portal]; ok && t.Equal(due) {
			delete(run.armed, portal)
		}
		run.mu.Unlock()
		run.SettlePortal(portal)
	})
}

// safeReplay runs replay, turning a panic into an error: deferred work runs
// on a timer, outside any request, where a panic would end the server.
func safeReplay(replay func(*endpoint.Call, *store.Tx, store.Deferred) error, c *endpoint.Call, tx *store.Tx, d store.Deferred) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("deferred batch panicked: %v", v)
		}
	}()
	return replay(c, tx, d)
}
