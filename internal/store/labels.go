package store

import (
	"cmp"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"unicode"

	"github.com/benbjohnson/immutable"
	"github.com/mockhub/mockhub/internal/decode"
)

// LabelInput is a request to create a custom label.
type LabelInput struct {
	Name         string
	Label        string
	InverseLabel *string
}

// labelDef is one custom label as the portal defined it: a forward type on
// Pair and, for cross-object pairs and paired labels, an inverse type on
// Pair.Reverse(). A labelDef that belongs to a state is never edited; a
// change replaces it.
type labelDef struct {
	Name    string
	Pair    Pair
	Forward int32
	// Inverse is 0 for a single label between an object type and itself,
	// which is one symmetric type.
	Inverse int32
	Label   string
	// InverseLabel is the text of the inverse direction; empty means the
	// label reads the same both ways.
	InverseLabel string
}

// text returns the label text of the direction typeID.
func (d *labelDef) text(typeID int32) string {
	if typeID == d.Inverse && d.InverseLabel != "" {
		return d.InverseLabel
	}
	return d.Label
}

// direction returns the pair typeID points along.
func (d *labelDef) direction(typeID int32) Pair {
	if typeID == d.Inverse {
		return d.Pair.Reverse()
	}
	return d.Pair
}

type typeIDOrder struct{}

func (typeIDOrder) Compare(a, b int32) int { return cmp.Compare(a, b) }

// labelPart is the labels domain: every custom label definition indexed by
// both of its typeIds, and where the portal's USER_DEFINED typeId sequence
// resumes.
type labelPart struct {
	next  int32
	defs  *immutable.SortedMap[int32, *labelDef]
	count int // definitions (forward typeIds)
}

func newLabelPart(next int32) *labelPart {
	return &labelPart{next: next, defs: immutable.NewSortedMap[int32, *labelDef](typeIDOrder{})}
}

// nextKey is the saved key of the typeId sequence; every other key of the
// domain is a label's forward typeId.
const nextKey = "next"

var labelsDomain = register(domain{
	name:  "labels",
	empty: func(cfg *Config) any { return newLabelPart(cfg.FirstLabelTypeID) },
	row: func(part any, key string) ([]byte, bool) {
		lp := part.(*labelPart)
		if key == nextKey {
			return strconv.AppendInt(nil, int64(lp.next), 10), true
		}
		id, err := strconv.ParseInt(key, 10, 32)
		if err != nil {
			return nil, false
		}
		d, ok := lp.defs.Get(int32(id))
		if !ok || d.Forward != int32(id) {
			return nil, false
		}
		return encodeLabel(d), true
	},
	rows: func(part any) iter.Seq2[string, []byte] {
		lp := part.(*labelPart)
		return func(yield func(string, []byte) bool) {
			if !yield(nextKey, strconv.AppendInt(nil, int64(lp.next), 10)) {
				return
			}
			for id, d := range lp.all() {
				if id == d.Forward && !yield(labelRowKey(d), encodeLabel(d)) {
					return
				}
			}
		}
	},
	load: loadLabel,
})

func labelRowKey(d *labelDef) string { return strconv.Itoa(int(d.Forward)) }

func encodeLabel(d *labelDef) []byte {
	return mustJSON(SnapshotLabel{
		Name: d.Name, From: d.Pair.From, To: d.Pair.To, TypeID: d.Forward, Label: d.Label,
		InverseTypeID: d.Inverse, InverseLabel: d.InverseLabel,
	})
}

// loadLabel decodes one saved label (or the typeId sequence) strictly; a
// label's key must be its forward typeId.
func loadLabel(snap *Snapshot, key string, value []byte) error {
	if key == nextKey {
		n, err := strconv.ParseInt(string(value), 10, 32)
		if err != nil {
			return fmt.Errorf("labels %q: %w", key, err)
		}
		snap.NextTypeID = int32(n)
		return nil
	}
	var l SnapshotLabel
	if err := decode.JSON(value, &l); err != nil {
		return fmt.Errorf("label %q: %w", key, err)
	}
	if want := strconv.Itoa(int(l.TypeID)); key != want {
		return fmt.Errorf("label %q: the value is label %s", key, want)
	}
	snap.Labels = append(snap.Labels, l)
	return nil
}

// mustJSON encodes a value made only of strings and numbers, which cannot
// fail.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// all yields every definition by typeId, once per direction.
func (lp *labelPart) all() iter.Seq2[int32, *labelDef] {
	return func(yield func(int32, *labelDef) bool) {
		it := lp.defs.Iterator()
		for !it.Done() {
			id, d, _ := it.Next()
			if !yield(id, d) {
				return
			}
		}
	}
}

func (v *View) labels() *labelPart { return v.part(labelsDomain).(*labelPart) }

// Labels lists the association types from p.From to p.To: the HubSpot-defined
// ones first, then the portal's own labels by typeId.
func (v *View) Labels(p Pair) []AssocType {
	return append(append([]AssocType(nil), v.definedTypes(p)...), v.customTypes(p)...)
}

// customTypes lists the portal's custom types along p, by typeId.
func (v *View) customTypes(p Pair) []AssocType {
	var out []AssocType
	for id, d := range v.labels().all() {
		if d.direction(id) == p {
			out = append(out, AssocType{Pair: p, Category: UserDefined, TypeID: id, Label: ptr(d.text(id))})
		}
	}
	return out
}

// Counts returns how many custom labels (one per definition) and limits the
// portal has.
func (v *View) Counts() (labels, limits int) {
	return v.labels().count, v.limits().m.Len()
}

// CreateLabel defines a custom label on pair p and returns the association
// types it created: the forward type on p and, unless p joins an object type
// to itself with a single label, the inverse type on p.Reverse().
func (tx *Tx) CreateLabel(p Pair, in LabelInput) ([]AssocType, error) {
	if err := validateLabelInput(in); err != nil {
		return nil, err
	}
	cfg, lp := tx.pt.cfg, tx.labels()
	pairing := 0
	for id, d := range lp.all() {
		if id != d.Forward || !samePairing(d.Pair, p) {
			continue
		}
		if d.Name == in.Name {
			return nil, conflict(fmt.Sprintf(MsgLabelNameTaken, in.Name, p.From, p.To))
		}
		pairing++
	}
	if pairing >= cfg.MaxLabelsPerPairing {
		return nil, invalid(fmt.Sprintf(MsgTooManyLabels, cfg.MaxLabelsPerPairing, p.From, p.To))
	}
	d := &labelDef{Name: in.Name, Pair: p, Label: in.Label}
	if in.InverseLabel != nil {
		d.InverseLabel = *in.InverseLabel
	}
	symmetric := p.From == p.To && d.InverseLabel == ""
	next := &labelPart{next: lp.next, defs: lp.defs, count: lp.count + 1}
	d.Forward = next.allocTypeID(&tx.View, symmetric)
	created := []AssocType{{Pair: p, Category: UserDefined, TypeID: d.Forward, Label: ptr(d.text(d.Forward))}}
	if !symmetric {
		d.Inverse = d.Forward + 1
		created = append(created, AssocType{Pair: p.Reverse(), Category: UserDefined, TypeID: d.Inverse, Label: ptr(d.text(d.Inverse))})
	}
	next.put(d)
	tx.set(labelsDomain, next, nextKey, labelRowKey(d))
	return created, nil
}

// put indexes d under both of its typeIds.
func (lp *labelPart) put(d *labelDef) {
	lp.defs = lp.defs.Set(d.Forward, d)
	if d.Inverse != 0 {
		lp.defs = lp.defs.Set(d.Inverse, d)
	}
}

// allocTypeID reserves the next free typeId (two consecutive ones unless
// single) from the portal-wide USER_DEFINED sequence, skipping ids HubSpot
// uses for its own types and those of the custom object pairs v has.
func (lp *labelPart) allocTypeID(v *View, single bool) int32 {
	free := func(id int32) bool {
		_, defined := v.definedType(id)
		_, own := lp.defs.Get(id)
		return !defined && !own
	}
	for {
		n := lp.next
		if free(n) && (single || free(n+1)) {
			if single {
				lp.next = n + 1
			} else {
				lp.next = n + 2
			}
			return n
		}
		lp.next++
	}
}

// UpdateLabel changes the text of the custom label whose type typeID runs
// along p. label is the text of that direction; inverseLabel, when given, the
// text of the other direction.
func (tx *Tx) UpdateLabel(p Pair, typeID int32, label string, inverseLabel *string) error {
	if strings.TrimSpace(label) == "" {
		return invalid(MsgLabelEmpty, Detail{Message: MsgLabelEmpty, In: "label"})
	}
	d, err := tx.ownLabel(p, typeID, "changed")
	if err != nil {
		return err
	}
	next := *d
	switch {
	case typeID == d.Forward:
		next.Label = label
		if inverseLabel != nil {
			next.InverseLabel = *inverseLabel
		}
	case d.InverseLabel == "" && inverseLabel == nil:
		// A single label reads the same both ways: keep it so.
		next.Label = label
	default:
		next.InverseLabel = label
		if inverseLabel != nil {
			next.Label = *inverseLabel
		}
	}
	lp := tx.labels()
	part := &labelPart{next: lp.next, defs: lp.defs, count: lp.count}
	part.put(&next)
	tx.set(labelsDomain, part, labelRowKey(d))
	return nil
}

// DeleteLabel removes the custom label whose type typeID runs along p, both
// of its directions. A label that a limit still uses cannot be deleted.
func (tx *Tx) DeleteLabel(p Pair, typeID int32) error {
	d, err := tx.ownLabel(p, typeID, "deleted")
	if err != nil {
		return err
	}
	for _, id := range []int32{d.Forward, d.Inverse} {
		if id == 0 {
			continue
		}
		if _, used := tx.limits().get(d.direction(id), id); used {
			return invalid(fmt.Sprintf(MsgLabelInUse, typeID, id))
		}
		if tx.labelInUse(id) {
			return invalid(fmt.Sprintf(MsgLabelUsedByRecords, typeID))
		}
	}
	lp := tx.labels()
	defs := lp.defs.Delete(d.Forward)
	if d.Inverse != 0 {
		defs = defs.Delete(d.Inverse)
	}
	tx.set(labelsDomain, &labelPart{next: lp.next, defs: defs, count: lp.count - 1}, labelRowKey(d))
	return nil
}

// ownLabel finds the custom label whose type typeID runs along p.
func (v *View) ownLabel(p Pair, typeID int32, verb string) (*labelDef, error) {
	if t, ok := v.definedType(typeID); ok && t.Pair == p {
		if t.Category == HubSpotDefined {
			return nil, invalid(fmt.Sprintf(MsgHubSpotDefinedLabel, typeID, verb))
		}
		return nil, invalid(fmt.Sprintf(MsgDefaultTypeLabel, typeID, p.From, p.To, verb))
	}
	d, ok := v.labels().defs.Get(typeID)
	if !ok || d.direction(typeID) != p {
		return nil, notFound(fmt.Sprintf(MsgLabelNotFound, typeID, p.From, p.To))
	}
	return d, nil
}

func validateLabelInput(in LabelInput) error {
	var details []Detail
	if strings.TrimSpace(in.Label) == "" {
		details = append(details, Detail{Message: MsgLabelEmpty, In: "label"})
	}
	if in.InverseLabel != nil && strings.TrimSpace(*in.InverseLabel) == "" {
		details = append(details, Detail{Message: MsgInverseLabelEmpty, In: "inverseLabel"})
	}
	switch {
	case in.Name == "":
		details = append(details, Detail{Message: MsgNameEmpty, In: "name"})
	case strings.Contains(in.Name, "-") || unicode.IsDigit(rune(in.Name[0])) || strings.ContainsFunc(in.Name, unicode.IsSpace):
		details = append(details, Detail{Message: fmt.Sprintf(MsgNameInvalid, in.Name), In: "name"})
	}
	if len(details) == 0 {
		return nil
	}
	return invalid(details[0].Message, details...)
}

func samePairing(a, b Pair) bool { return a == b || a == b.Reverse() }

func ptr[T any](v T) *T { return &v }
