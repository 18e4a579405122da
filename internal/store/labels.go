package store

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/mockhub/mockhub/internal/apierr"
)

// LabelInput is a request to create a custom label.
type LabelInput struct {
	Name         string
	Label        string
	InverseLabel *string
}

// Labels lists the association types from p.From to p.To: the HubSpot-defined
// ones first, then the portal's own labels by typeId.
func (pt *Portal) Labels(p Pair) []AssocType {
	out := append([]AssocType(nil), pt.catalog.Types(p)...)
	var custom []AssocType
	pt.read(func(st *state) {
		custom = st.customTypes(p)
	})
	return append(out, custom...)
}

// customTypes lists the portal's custom types along p, by typeId.
func (st *state) customTypes(p Pair) []AssocType {
	var out []AssocType
	for id, d := range st.Labels {
		if d.direction(id) == p {
			text := d.text(id)
			out = append(out, AssocType{Pair: p, Category: UserDefined, TypeID: id, Label: &text})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].TypeID < out[j].TypeID })
	return out
}

// CreateLabel defines a custom label on pair p and returns the association
// types it created: the forward type on p and, unless p joins an object type
// to itself with a single label, the inverse type on p.Reverse().
func (pt *Portal) CreateLabel(p Pair, in LabelInput) ([]AssocType, error) {
	if err := validateLabelInput(in); err != nil {
		return nil, err
	}
	var created []AssocType
	err := pt.mutate(func(st *state) error {
		pairing := 0
		for id, d := range st.Labels {
			if id != d.Forward || !samePairing(d.Pair, p) {
				continue
			}
			if d.Name == in.Name {
				return apierr.Conflict(fmt.Sprintf(MsgLabelNameTaken, in.Name, p.From, p.To))
			}
			pairing++
		}
		if pairing >= pt.cfg.MaxLabelsPerPairing {
			return apierr.Validation(fmt.Sprintf(MsgTooManyLabels, pt.cfg.MaxLabelsPerPairing, p.From, p.To))
		}
		d := &labelDef{Name: in.Name, Pair: p, Label: in.Label}
		if in.InverseLabel != nil {
			d.InverseLabel = *in.InverseLabel
		}
		symmetric := p.From == p.To && d.InverseLabel == ""
		d.Forward = st.allocTypeID(pt.catalog, symmetric)
		st.Labels[d.Forward] = d
		created = append(created, AssocType{Pair: p, Category: UserDefined, TypeID: d.Forward, Label: ptr(d.text(d.Forward))})
		if !symmetric {
			d.Inverse = d.Forward + 1
			st.Labels[d.Inverse] = d
			created = append(created, AssocType{Pair: p.Reverse(), Category: UserDefined, TypeID: d.Inverse, Label: ptr(d.text(d.Inverse))})
		}
		return nil
	})
	return created, err
}

// allocTypeID reserves the next free typeId (two consecutive ones unless
// single) from the portal-wide USER_DEFINED sequence, skipping ids HubSpot
// uses for its own types.
func (st *state) allocTypeID(c *Catalog, single bool) int32 {
	free := func(id int32) bool {
		_, hub := c.byID[id]
		_, own := st.Labels[id]
		return !hub && !own
	}
	for {
		n := st.NextTypeID
		if free(n) && (single || free(n+1)) {
			if single {
				st.NextTypeID = n + 1
			} else {
				st.NextTypeID = n + 2
			}
			return n
		}
		st.NextTypeID++
	}
}

// UpdateLabel changes the text of the custom label whose type typeID runs
// along p. label is the text of that direction; inverseLabel, when given, the
// text of the other direction.
func (pt *Portal) UpdateLabel(p Pair, typeID int32, label string, inverseLabel *string) error {
	if strings.TrimSpace(label) == "" {
		return apierr.Validation(MsgLabelEmpty, apierr.Detail{Message: MsgLabelEmpty, In: "label"})
	}
	return pt.mutate(func(st *state) error {
		d, err := st.ownLabel(pt.catalog, p, typeID, "changed")
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
		st.Labels[d.Forward] = &next
		if d.Inverse != 0 {
			st.Labels[d.Inverse] = &next
		}
		return nil
	})
}

// DeleteLabel removes the custom label whose type typeID runs along p, both
// of its directions. A label that a limit still uses cannot be deleted.
func (pt *Portal) DeleteLabel(p Pair, typeID int32) error {
	return pt.mutate(func(st *state) error {
		d, err := st.ownLabel(pt.catalog, p, typeID, "deleted")
		if err != nil {
			return err
		}
		for _, id := range []int32{d.Forward, d.Inverse} {
			if id == 0 {
				continue
			}
			if _, used := st.Limits[d.direction(id)][id]; used {
				return apierr.Validation(fmt.Sprintf(MsgLabelInUse, typeID, id))
			}
		}
		delete(st.Labels, d.Forward)
		delete(st.Labels, d.Inverse)
		return nil
	})
}

// ownLabel finds the custom label whose type typeID runs along p.
func (st *state) ownLabel(c *Catalog, p Pair, typeID int32, verb string) (*labelDef, error) {
	if t, ok := c.byID[typeID]; ok && t.Pair == p {
		return nil, apierr.Validation(fmt.Sprintf(MsgHubSpotDefinedLabel, typeID, verb))
	}
	d, ok := st.Labels[typeID]
	if !ok || d.direction(typeID) != p {
		return nil, apierr.NotFound(fmt.Sprintf(MsgLabelNotFound, typeID, p.From, p.To))
	}
	return d, nil
}

func validateLabelInput(in LabelInput) error {
	var details []apierr.Detail
	if strings.TrimSpace(in.Label) == "" {
		details = append(details, apierr.Detail{Message: MsgLabelEmpty, In: "label"})
	}
	if in.InverseLabel != nil && strings.TrimSpace(*in.InverseLabel) == "" {
		details = append(details, apierr.Detail{Message: MsgInverseLabelEmpty, In: "inverseLabel"})
	}
	switch {
	case in.Name == "":
		details = append(details, apierr.Detail{Message: MsgNameEmpty, In: "name"})
	case strings.Contains(in.Name, "-") || unicode.IsDigit(rune(in.Name[0])) || strings.ContainsFunc(in.Name, unicode.IsSpace):
		details = append(details, apierr.Detail{Message: fmt.Sprintf(MsgNameInvalid, in.Name), In: "name"})
	}
	if len(details) == 0 {
		return nil
	}
	return apierr.Validation(details[0].Message, details...)
}

func samePairing(a, b Pair) bool { return a == b || a == b.Reverse() }

func ptr[T any](v T) *T { return &v }
