package store

import "maps"

// labelDef is one custom label as the portal defined it: a forward type on
// Pair and, for cross-object pairs and paired labels, an inverse type on
// Pair.Reverse().
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

// state is everything one portal owns. It is copied on every mutation. The
// copy is shallow below the top-level maps: label definitions and each
// pair's limit map are replaced, never edited in place, once they belong to
// a state, so copies may share them and a mutation copies only what it
// changes.
type state struct {
	NextTypeID int32
	// Labels indexes every custom label definition by both of its typeIds.
	Labels map[int32]*labelDef
	// Limits maps an ordered pair to typeId -> maxToObjectIds.
	Limits map[Pair]map[int32]int32
}

func newState(firstTypeID int32) *state {
	return &state{NextTypeID: firstTypeID, Labels: map[int32]*labelDef{}, Limits: map[Pair]map[int32]int32{}}
}

func (s *state) clone() *state {
	return &state{NextTypeID: s.NextTypeID, Labels: maps.Clone(s.Labels), Limits: maps.Clone(s.Limits)}
}
