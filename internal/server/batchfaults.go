package server

import (
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/store"
)

// faultedLimits serves a limits batch that a batch fault fired on.
//
// partial fails the last inputs on purpose and applies the rest, answering
// like any batch with per-input errors.
//
// batchStatus CANCELED applies nothing: results are empty, startedAt is when
// the batch started and completedAt when it was canceled (now).
//
// batchStatus PENDING and PROCESSING check the batch now (a batch that
// cannot succeed is refused now, as it would be without the fault, and
// per-input errors are reported now) and apply it when the clock reaches
// requestedAt + applyAfterMs; until then reads do not show it. Results are
// empty because nothing has been applied yet. The envelope's required
// timestamps say when the change lands: PENDING has not started, so both
// startedAt and completedAt are the due time; PROCESSING has started, so
// startedAt is now and completedAt the due time. Both keep requestedAt <=
// startedAt <= completedAt.
func (s *Server) faultedLimits(kind store.LimitOp, c *call, inputs []store.LimitInput, allOrNothing bool) (reply, error) {
	switch f := c.fault.(type) {
	case *faults.Partial:
		res, err := c.portal.ApplyLimitsFailingLast(kind, c.pair, inputs, allOrNothing, f.FailInputs)
		if err != nil {
			return reply{}, err
		}
		return limitsReply(s, c, kind, res, StatusComplete), nil
	case *faults.BatchStatus:
		if f.Status == faults.BatchCanceled {
			return limitsReply(s, c, kind, store.BatchResult{}, StatusCanceled), nil
		}
		res, err := c.portal.CheckLimits(kind, c.pair, inputs, allOrNothing)
		if err != nil {
			return reply{}, err
		}
		due := c.requestedAt.Add(f.ApplyAfter())
		c.portal.DeferLimits(kind, c.pair, inputs, allOrNothing, due)
		res.Limits = nil
		status, started := StatusPending, due
		if f.Status == faults.BatchProcessing {
			status, started = StatusProcessing, c.startedAt
		}
		out := limitsReply(s, c, kind, res, status)
		if b, ok := out.body.(batchBody); ok {
			b.StartedAt, b.CompletedAt = formatTime(started), formatTime(due)
			out.body = b
		}
		return out, nil
	}
	res, err := c.portal.ApplyLimits(kind, c.pair, inputs, allOrNothing)
	if err != nil {
		return reply{}, err
	}
	return limitsReply(s, c, kind, res, StatusComplete), nil
}
