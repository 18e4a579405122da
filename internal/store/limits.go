package store

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/mockhub/mockhub/internal/apierr"
)

// LimitInput is one input of a limits batch. Max is ignored by purge.
type LimitInput struct {
	Category string
	TypeID   int32
	Max      int32
}

// Limit is a configured limit as HubSpot reports it.
type Limit struct {
	Pair     Pair
	Category string
	TypeID   int32
	Label    *string
	Max      int32
}

// InputError is the failure of one batch input.
type InputError struct {
	Index   int
	TypeID  int32
	Error   apierr.BatchError
	Message string
}

// LimitOp says what a limits batch does.
type LimitOp int

// The three limits batch operations.
const (
	LimitCreate LimitOp = iota
	LimitUpdate
	LimitPurge
)

// BatchResult is the outcome of a limits batch: the limits it set (create and
// update) or removed (purge), in input order, and the inputs that failed.
type BatchResult struct {
	Limits []Limit
	Errors []InputError
}

// ApplyLimits runs a limits batch on pair p. Inputs that pass every rule are
// applied together; those that fail are reported and change nothing. When
// allOrNothing is set, any failure leaves the state untouched. When every
// input fails the whole batch fails with a 400 listing each failure.
func (pt *Portal) ApplyLimits(op LimitOp, p Pair, inputs []LimitInput, allOrNothing bool) (BatchResult, error) {
	return pt.ApplyLimitsFailingLast(op, p, inputs, allOrNothing, 0)
}

// applyLimit checks one input against the rules and, when it passes, applies
// it to limits (the batch's working copy of the pair's limits).
func (st *state) applyLimit(pt *Portal, op LimitOp, p Pair, limits map[int32]int32, in LimitInput) (Limit, *InputError) {
	fail := func(category, msg string) (Limit, *InputError) {
		ctx := map[string][]string{"typeId": {strconv.Itoa(int(in.TypeID))}}
		return Limit{}, &InputError{TypeID: in.TypeID, Message: msg, Error: apierr.NewBatchError(category, msg, ctx)}
	}
	t, ok := st.typeOf(pt.catalog, p, in.TypeID)
	if !ok {
		return fail(apierr.CategoryValidation, fmt.Sprintf(MsgUnknownType, in.TypeID, p.From, p.To))
	}
	if in.Category != t.Category {
		return fail(apierr.CategoryValidation, fmt.Sprintf(MsgWrongCategory, in.TypeID, t.Category, in.Category))
	}
	current, exists := limits[in.TypeID]
	switch op {
	case LimitPurge:
		delete(limits, in.TypeID)
		return Limit{Pair: p, Category: t.Category, TypeID: t.TypeID, Label: t.Label, Max: current}, nil
	case LimitCreate:
		if exists {
			return fail(apierr.CategoryValidation, fmt.Sprintf(MsgLimitExists, in.TypeID))
		}
	case LimitUpdate:
		if !exists {
			return fail(apierr.CategoryObjectNotFound, fmt.Sprintf(MsgLimitMissing, in.TypeID))
		}
	}
	ceiling := pt.cfg.MaxLimit
	if in.Max < 1 || in.Max > ceiling {
		return fail(apierr.CategoryValidation, fmt.Sprintf(MsgLimitOutOfRange, in.Max, in.TypeID, ceiling))
	}
	unlabeled, hasUnlabeled := pt.catalog.unlabeled[p]
	if t.Label != nil && hasUnlabeled {
		if objMax, ok := limits[unlabeled]; ok && in.Max > objMax {
			return fail(apierr.CategoryValidation, fmt.Sprintf(MsgLabelAboveObject, in.Max, in.TypeID, objMax, unlabeled, objMax))
		}
	}
	if hasUnlabeled && in.TypeID == unlabeled {
		for id, m := range sortedLimits(limits) {
			if id != unlabeled && m > in.Max {
				return fail(apierr.CategoryValidation, fmt.Sprintf(MsgObjectBelowLabel, in.Max, in.TypeID, m, id, m, ceiling))
			}
		}
	}
	limits[in.TypeID] = in.Max
	return Limit{Pair: p, Category: t.Category, TypeID: t.TypeID, Label: t.Label, Max: in.Max}, nil
}

// typeOf finds association type typeID along p, HubSpot's or the portal's.
func (st *state) typeOf(c *Catalog, p Pair, typeID int32) (AssocType, bool) {
	if t, ok := c.byID[typeID]; ok {
		return t, t.Pair == p
	}
	if d, ok := st.Labels[typeID]; ok && d.direction(typeID) == p {
		return AssocType{Pair: p, Category: UserDefined, TypeID: typeID, Label: ptr(d.text(typeID))}, true
	}
	return AssocType{}, false
}

// batchFailure is the 400 of a batch whose inputs could not be applied.
func batchFailure(errs []InputError, total int) error {
	details := make([]apierr.Detail, len(errs))
	for i, e := range errs {
		details[i] = apierr.Detail{Message: e.Message, In: fmt.Sprintf("inputs[%d]", e.Index), Context: e.Error.Context}
	}
	msg := errs[0].Message
	if len(errs) > 1 {
		msg = fmt.Sprintf(MsgAllInputsFailed, total)
		if len(errs) < total {
			msg = fmt.Sprintf("%d of %d inputs failed", len(errs), total)
		}
	}
	return apierr.Validation(msg, details...)
}

// sortedLimits yields limits in typeId order so that messages are stable.
func sortedLimits(limits map[int32]int32) func(func(int32, int32) bool) {
	return func(yield func(int32, int32) bool) {
		ids := make([]int32, 0, len(limits))
		for id := range limits {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			if !yield(id, limits[id]) {
				return
			}
		}
	}
}

// Limits returns the limits configured on pair p, by typeId.
func (pt *Portal) Limits(p Pair) []Limit {
	var out []Limit
	pt.read(func(st *state) { out = st.limitsOf(pt.catalog, p) })
	return out
}

// AllLimits returns every configured limit of the portal, by pair and typeId.
func (pt *Portal) AllLimits() []Limit {
	var out []Limit
	pt.read(func(st *state) {
		pairs := make([]Pair, 0, len(st.Limits))
		for p := range st.Limits {
			pairs = append(pairs, p)
		}
		sort.Slice(pairs, func(i, j int) bool {
			if pairs[i].From != pairs[j].From {
				return pairs[i].From < pairs[j].From
			}
			return pairs[i].To < pairs[j].To
		})
		for _, p := range pairs {
			out = append(out, st.limitsOf(pt.catalog, p)...)
		}
	})
	return out
}

func (st *state) limitsOf(c *Catalog, p Pair) []Limit {
	var out []Limit
	for id, m := range sortedLimits(st.Limits[p]) {
		t, _ := st.typeOf(c, p, id)
		out = append(out, Limit{Pair: p, Category: t.Category, TypeID: id, Label: t.Label, Max: m})
	}
	return out
}
