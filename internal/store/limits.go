package store

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"

	"github.com/benbjohnson/immutable"
	"github.com/mockhub/mockhub/internal/decode"
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

// LimitOp says what a limits batch does.
type LimitOp int

// The three limits batch operations.
const (
	LimitCreate LimitOp = iota
	LimitUpdate
	LimitPurge
)

// limitKey orders limits by pair (from, then to) and typeId: the order
// every listing uses.
type limitKey struct {
	pair   Pair
	typeID int32
}

type limitKeyOrder struct{}

func (limitKeyOrder) Compare(a, b limitKey) int {
	if c := strings.Compare(a.pair.From, b.pair.From); c != 0 {
		return c
	}
	if c := strings.Compare(a.pair.To, b.pair.To); c != 0 {
		return c
	}
	return cmp.Compare(a.typeID, b.typeID)
}

// limitPart is the limits domain: typeId -> maxToObjectIds per pair, in one
// persistent sorted map. It is held by value (one pointer: storing it in an
// interface allocates nothing).
type limitPart struct {
	m *immutable.SortedMap[limitKey, int32]
}

var limitsDomain = register(domain{
	name: "limits",
	empty: func(*Config) any {
		return limitPart{m: immutable.NewSortedMap[limitKey, int32](limitKeyOrder{})}
	},
	row: func(part any, key string) ([]byte, bool) {
		k, ok := parseLimitKey(key)
		if !ok {
			return nil, false
		}
		max, ok := part.(limitPart).m.Get(k)
		if !ok {
			return nil, false
		}
		return encodeLimit(k, max), true
	},
	rows: func(part any) iter.Seq2[string, []byte] {
		return func(yield func(string, []byte) bool) {
			for k, max := range part.(limitPart).all() {
				if !yield(limitRowKey(k), encodeLimit(k, max)) {
					return
				}
			}
		}
	},
	load: loadLimit,
})

// limitRowKey is a limit's saved key: from/to/typeId. Object type keys
// ("contact", "2-123") hold no slash.
func limitRowKey(k limitKey) string {
	b := make([]byte, 0, len(k.pair.From)+len(k.pair.To)+13)
	b = append(append(append(append(b, k.pair.From...), '/'), k.pair.To...), '/')
	return string(strconv.AppendInt(b, int64(k.typeID), 10))
}

func parseLimitKey(s string) (limitKey, bool) {
	from, rest, ok1 := strings.Cut(s, "/")
	to, id, ok2 := strings.Cut(rest, "/")
	n, err := strconv.ParseInt(id, 10, 32)
	if !ok1 || !ok2 || err != nil {
		return limitKey{}, false
	}
	return limitKey{Pair{from, to}, int32(n)}, true
}

// encodeLimit is a limit's saved value: its SnapshotLimit, without the
// category (derived on load, as on import).
func encodeLimit(k limitKey, max int32) []byte {
	return mustJSON(SnapshotLimit{From: k.pair.From, To: k.pair.To, TypeID: k.typeID, Max: max})
}

// loadLimit decodes one saved limit strictly; its key must be the one its
// value says.
func loadLimit(snap *Snapshot, key string, value []byte) error {
	var l SnapshotLimit
	if err := decode.JSON(value, &l); err != nil {
		return fmt.Errorf("limit %q: %w", key, err)
	}
	if want := limitRowKey(limitKey{Pair{l.From, l.To}, l.TypeID}); key != want {
		return fmt.Errorf("limit %q: the value is the limit %q", key, want)
	}
	snap.Limits = append(snap.Limits, l)
	return nil
}

// all yields every limit in order.
func (lp limitPart) all() iter.Seq2[limitKey, int32] {
	return func(yield func(limitKey, int32) bool) {
		it := lp.m.Iterator()
		for !it.Done() {
			k, v, _ := it.Next()
			if !yield(k, v) {
				return
			}
		}
	}
}

// ofPair yields the limits of p by typeId.
func (lp limitPart) ofPair(p Pair) iter.Seq2[int32, int32] {
	return func(yield func(int32, int32) bool) {
		it := lp.m.Iterator()
		it.Seek(limitKey{p, math.MinInt32})
		for !it.Done() {
			k, v, _ := it.Next()
			if k.pair != p || !yield(k.typeID, v) {
				return
			}
		}
	}
}

func (lp limitPart) get(p Pair, typeID int32) (int32, bool) {
	return lp.m.Get(limitKey{p, typeID})
}

func (v *View) limits() limitPart { return v.part(limitsDomain).(limitPart) }

// ApplyLimit checks one input of a limits batch on pair p against every rule,
// as the state stands (earlier writes of the transaction included), and
// applies it when it passes. A failing input changes nothing; its error has
// Index 0 and carries the typeId as context.
func (tx *Tx) ApplyLimit(op LimitOp, p Pair, in LimitInput) (Limit, *InputError) {
	pt := tx.pt
	fail := func(kind ErrorKind, msg string) (Limit, *InputError) {
		ctx := map[string][]string{"typeId": {strconv.Itoa(int(in.TypeID))}}
		return Limit{}, &InputError{Kind: kind, Message: msg, Context: ctx}
	}
	t, ok := tx.typeOf(p, in.TypeID)
	if !ok {
		return fail(KindInvalid, fmt.Sprintf(MsgUnknownType, in.TypeID, p.From, p.To))
	}
	if in.Category != t.Category {
		return fail(KindInvalid, fmt.Sprintf(MsgWrongCategory, in.TypeID, t.Category, in.Category))
	}
	lp := tx.limits()
	key := limitKey{p, in.TypeID}
	current, exists := lp.m.Get(key)
	switch op {
	case LimitPurge:
		if exists {
			tx.set(limitsDomain, limitPart{m: lp.m.Delete(key)}, limitRowKey(key))
		}
		return Limit{Pair: p, Category: t.Category, TypeID: t.TypeID, Label: t.Label, Max: current}, nil
	case LimitCreate:
		if exists {
			return fail(KindInvalid, fmt.Sprintf(MsgLimitExists, in.TypeID))
		}
	case LimitUpdate:
		if !exists {
			return fail(KindNotFound, fmt.Sprintf(MsgLimitMissing, in.TypeID))
		}
	}
	ceiling := pt.cfg.MaxLimit
	if in.Max < 1 || in.Max > ceiling {
		return fail(KindInvalid, fmt.Sprintf(MsgLimitOutOfRange, in.Max, in.TypeID, ceiling))
	}
	unlabeled, hasUnlabeled := tx.unlabeledType(p)
	if t.Label != nil && hasUnlabeled {
		if objMax, ok := lp.get(p, unlabeled); ok && in.Max > objMax {
			return fail(KindInvalid, fmt.Sprintf(MsgLabelAboveObject, in.Max, in.TypeID, objMax, unlabeled, objMax))
		}
	}
	if hasUnlabeled && in.TypeID == unlabeled {
		for id, m := range lp.ofPair(p) {
			if id != unlabeled && m > in.Max {
				return fail(KindInvalid, fmt.Sprintf(MsgObjectBelowLabel, in.Max, in.TypeID, m, id, m, ceiling))
			}
		}
	}
	tx.set(limitsDomain, limitPart{m: lp.m.Set(key, in.Max)}, limitRowKey(key))
	return Limit{Pair: p, Category: t.Category, TypeID: t.TypeID, Label: t.Label, Max: in.Max}, nil
}

// typeOf finds association type typeID along p, HubSpot's or the portal's.
func (v *View) typeOf(p Pair, typeID int32) (AssocType, bool) {
	if t, ok := v.definedType(typeID); ok {
		return t, t.Pair == p
	}
	if d, ok := v.labels().defs.Get(typeID); ok && d.direction(typeID) == p {
		return AssocType{Pair: p, Category: UserDefined, TypeID: typeID, Label: ptr(d.text(typeID))}, true
	}
	return AssocType{}, false
}

// Limits returns the limits configured on pair p, by typeId.
func (v *View) Limits(p Pair) []Limit {
	var out []Limit
	for id, m := range v.limits().ofPair(p) {
		t, _ := v.typeOf(p, id)
		out = append(out, Limit{Pair: p, Category: t.Category, TypeID: id, Label: t.Label, Max: m})
	}
	return out
}

// AllLimits returns every configured limit of the portal, by pair and typeId.
func (v *View) AllLimits() []Limit {
	var out []Limit
	for k, m := range v.limits().all() {
		t, _ := v.typeOf(k.pair, k.typeID)
		out = append(out, Limit{Pair: k.pair, Category: t.Category, TypeID: k.typeID, Label: t.Label, Max: m})
	}
	return out
}
