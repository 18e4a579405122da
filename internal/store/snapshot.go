package store

import (
	"errors"
	"fmt"

	"github.com/benbjohnson/immutable"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/decode"
	"github.com/mockhub/mockhub/internal/persist"
)

// Snapshot is a portal's state as a JSON document. It is what the admin API
// exports and imports, what a fixtures file seeds and what a data directory
// keeps. Object types may be given in any spelling the API accepts; exports
// use canonical keys ("contact", "2-123").
type Snapshot struct {
	// PortalID is set on export and required in fixtures files; on import it
	// must match the portal being replaced when present.
	PortalID int64 `json:"portalId,omitempty"`
	// NextTypeID is where the portal's USER_DEFINED typeId sequence resumes.
	// On import it is raised past every label's typeIds when lower.
	NextTypeID int32           `json:"nextTypeId,omitempty"`
	Labels     []SnapshotLabel `json:"labels"`
	Limits     []SnapshotLimit `json:"limits"`
	// Deferred is the work acknowledged and not yet applied (batches a
	// batchStatus fault deferred), in due order.
	Deferred []Deferred `json:"deferred,omitempty"`
	// NextRecordIDs is where each object type's record id sequence resumes.
	// On import it is raised past every record's id when lower.
	NextRecordIDs map[string]int64 `json:"nextRecordIds,omitempty"`
	// Records are the portal's CRM records, by object type and id.
	Records []SnapshotRecord `json:"records,omitempty"`
	// ObjectTypes are the portal's custom object types.
	ObjectTypes []CustomObjectType `json:"objectTypes,omitempty"`
	// PropertyGroups and Properties are the groups and properties the
	// portal created (or edited, for HubSpot-defined properties), by object
	// type; archived properties included.
	PropertyGroups []PropertyGroupInfo `json:"propertyGroups,omitempty"`
	Properties     []PropertyInfo      `json:"properties,omitempty"`
	// Associations are the associations between the document's records.
	Associations []SnapshotAssociation `json:"associations,omitempty"`
	// Settings are the portal's own settings; absent when none is set.
	Settings *SnapshotSettings `json:"settings,omitempty"`
}

// SnapshotLabel is one custom label: its forward type on fromObjectType ->
// toObjectType and, unless it is a single label between an object type and
// itself, its inverse type the other way.
type SnapshotLabel struct {
	Name          string `json:"name"`
	From          string `json:"fromObjectType"`
	To            string `json:"toObjectType"`
	TypeID        int32  `json:"typeId"`
	Label         string `json:"label"`
	InverseTypeID int32  `json:"inverseTypeId,omitempty"`
	InverseLabel  string `json:"inverseLabel,omitempty"`
}

// SnapshotLimit is one configured limit. Category is optional on import;
// when given it must be the type's category.
type SnapshotLimit struct {
	From     string `json:"fromObjectType"`
	To       string `json:"toObjectType"`
	Category string `json:"category,omitempty"`
	TypeID   int32  `json:"typeId"`
	Max      int32  `json:"maxToObjectIds"`
}

// Fixtures is the document of a --fixtures file: the portals to seed.
type Fixtures struct {
	Portals []Snapshot `json:"portals"`
}

// Persister keeps portal states on durable storage (persist.DB is one).
// Commit receives the keys a write changed (a nil Value deletes one), or
// with replace the portal's whole state, before the write becomes visible;
// it returns once they are durable, and an error fails the write and leaves
// the state unchanged. Remove drops a portal's saved state.
type Persister interface {
	Commit(portal int64, replace bool, rows []persist.Row) error
	Remove(portal int64) error
}

// SetPersister makes every later mutation durable through p. Call it before
// serving.
func (s *Store) SetPersister(p Persister) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.persister = p
	for _, pt := range s.portals {
		pt.mu.Lock()
		pt.persister = p
		pt.mu.Unlock()
	}
}

// newPortal builds portal id from its fixtures, or empty. The caller holds
// s.mu.
func (s *Store) newPortal(id int64) *Portal {
	// States are immutable, so every new portal starts from the one empty
	// state: a portal that never holds anything costs only itself.
	if s.empty == nil {
		s.empty = newState(&s.cfg)
	}
	st := s.empty
	if seed, ok := s.seeds[id]; ok {
		st = seed
	}
	p := &Portal{id: id, cfg: &s.cfg, catalog: s.catalog, persister: s.persister}
	p.st.Store(st)
	return p
}

// seededPortals returns a fresh portal map holding the seeded portals, so a
// portal that fixtures define is listed even before it is used. The caller
// holds s.mu.
func (s *Store) seededPortals() map[int64]*Portal {
	out := make(map[int64]*Portal, len(s.seeds))
	for id := range s.seeds {
		out[id] = s.newPortal(id)
	}
	return out
}

// detach removes the portal's saved state and stops it from saving again: a
// request that still holds the portal after a reset changes nothing durable.
func (p *Portal) detach() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.persister != nil {
		if err := p.persister.Remove(p.id); err != nil {
			return fmt.Errorf("reset portal %d: %w", p.id, err)
		}
	}
	p.detached = true
	return nil
}

// Snapshot exports the portal's state.
func (p *Portal) Snapshot() Snapshot {
	var out Snapshot
	p.View(func(v *View) { out = v.snapshot() })
	return out
}

func (v *View) snapshot() Snapshot {
	lp := v.labels()
	out := Snapshot{PortalID: v.pt.id, NextTypeID: lp.next, Labels: []SnapshotLabel{}, Limits: []SnapshotLimit{}}
	for typeID, d := range lp.all() {
		if typeID != d.Forward {
			continue
		}
		out.Labels = append(out.Labels, SnapshotLabel{
			Name: d.Name, From: d.Pair.From, To: d.Pair.To, TypeID: d.Forward, Label: d.Label,
			InverseTypeID: d.Inverse, InverseLabel: d.InverseLabel,
		})
	}
	for k, n := range v.limits().all() {
		t, _ := v.typeOf(k.pair, k.typeID)
		category := t.Category
		out.Limits = append(out.Limits, SnapshotLimit{From: k.pair.From, To: k.pair.To, Category: category, TypeID: k.typeID, Max: n})
	}
	for _, d := range v.deferred().all() {
		out.Deferred = append(out.Deferred, *d)
	}
	v.snapshotRecords(&out)
	v.snapshotSchema(&out)
	v.snapshotAssociations(&out)
	v.snapshotSettings(&out)
	return out
}

// DecodeSnapshot parses a portal state document strictly: unknown fields,
// trailing data and wrong types are errors.
func DecodeSnapshot(data []byte) (*Snapshot, error) {
	var snap Snapshot
	if err := decode.JSON(data, &snap); err != nil {
		return nil, invalid("Invalid portal state document: " + err.Error())
	}
	return &snap, nil
}

// DecodeFixtures parses a fixtures document.
func DecodeFixtures(data []byte) (*Fixtures, error) {
	var f Fixtures
	if err := decode.JSON(data, &f); err != nil {
		return nil, fmt.Errorf("invalid fixtures document: %w", err)
	}
	return &f, nil
}

// Replace validates snap and makes it portal id's state, creating the portal
// if needed. A document that breaks a rule changes nothing (not even the
// portal list) and is answered with a 400 listing every problem.
func (s *Store) Replace(id int64, snap *Snapshot) error {
	if snap.PortalID != 0 && snap.PortalID != id {
		return invalid(fmt.Sprintf("portalId %d in the document does not match portal %d", snap.PortalID, id),
			Detail{Message: "portalId does not match the portal being replaced", In: "portalId"})
	}
	st, err := s.buildState(id, snap)
	if err != nil {
		return err
	}
	return s.Portal(id).Update(func(tx *Tx) error {
		tx.replaceAll(st)
		return nil
	})
}

// Seed makes each fixture portal's state the one it starts from and returns
// to on reset. It validates every portal before changing anything.
func (s *Store) Seed(f *Fixtures) error {
	seeds := map[int64]*state{}
	for i, snap := range f.Portals {
		if snap.PortalID <= 0 {
			return fmt.Errorf("portals[%d]: portalId must be a positive integer", i)
		}
		if _, dup := seeds[snap.PortalID]; dup {
			return fmt.Errorf("portals[%d]: portal %d is defined twice", i, snap.PortalID)
		}
		st, err := s.buildState(snap.PortalID, &snap)
		if err != nil {
			return fmt.Errorf("portals[%d] (portal %d): %s", i, snap.PortalID, Message(err))
		}
		seeds[snap.PortalID] = st
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seeds = seeds
	for id := range seeds {
		s.portals[id] = s.newPortal(id)
	}
	return nil
}

// Restore installs a saved state document as portal id's state without
// saving it again (it comes from storage).
func (s *Store) Restore(id int64, data []byte) error {
	st, err := s.decodeSaved(id, data)
	if err != nil {
		return err
	}
	s.install(id, st)
	return nil
}

// decodeSaved checks a saved state document of portal id.
func (s *Store) decodeSaved(id int64, data []byte) (*state, error) {
	snap, err := DecodeSnapshot(data)
	if err != nil {
		return nil, errors.New(Message(err))
	}
	if snap.PortalID != id {
		return nil, fmt.Errorf("document is for portal %d", snap.PortalID)
	}
	st, err := s.buildState(id, snap)
	if err != nil {
		return nil, errors.New(Message(err))
	}
	return st, nil
}

// buildState checks a document against every rule the API enforces and
// turns it into a state.
func (s *Store) buildState(portalID int64, snap *Snapshot) (*state, error) {
	var details []Detail
	fail := func(in, format string, args ...any) {
		details = append(details, Detail{Message: in + ": " + fmt.Sprintf(format, args...), In: in})
	}
	resolve := func(in, spelling string) (string, bool) {
		t, ok := s.catalog.types.Resolve(spelling)
		if !ok {
			fail(in, "unknown object type %q", spelling)
			return "", false
		}
		return t.Key(), true
	}
	labels := map[int32]*labelDef{}
	limits := map[limitKey]int32{}
	type pairing struct{ a, b string }
	names := map[pairing]map[string]bool{}
	checkID := func(in string, id int32) bool {
		switch _, hub := s.catalog.byID[id]; {
		case id <= 0:
			fail(in, "typeId must be positive, got %d", id)
		case hub:
			fail(in, "typeId %d is a HubSpot-defined association type", id)
		case labels[id] != nil:
			fail(in, "typeId %d is used by another label", id)
		default:
			return true
		}
		return false
	}
	maxID := int32(0)
	for i, l := range snap.Labels {
		at := fmt.Sprintf("labels[%d]", i)
		from, okFrom := resolve(at+".fromObjectType", l.From)
		to, okTo := resolve(at+".toObjectType", l.To)
		in := LabelInput{Name: l.Name, Label: l.Label}
		if l.InverseLabel != "" {
			in.InverseLabel = &l.InverseLabel
		}
		if err := validateLabelInput(in); err != nil {
			var e *Error
			errors.As(err, &e)
			for _, d := range e.Details {
				fail(at+"."+d.In, "%s", d.Message)
			}
			continue
		}
		if !okFrom || !okTo {
			continue
		}
		d := &labelDef{Name: l.Name, Pair: Pair{from, to}, Label: l.Label, InverseLabel: l.InverseLabel}
		symmetric := from == to && l.InverseLabel == ""
		switch {
		case symmetric && l.InverseTypeID != 0:
			fail(at+".inverseTypeId", "a single label between an object type and itself has one typeId; remove inverseTypeId")
			continue
		case !symmetric && l.InverseTypeID == 0:
			fail(at+".inverseTypeId", "inverseTypeId is required for a label with two directions")
			continue
		case !symmetric && l.InverseTypeID == l.TypeID:
			fail(at+".inverseTypeId", "inverseTypeId must differ from typeId")
			continue
		}
		if !checkID(at+".typeId", l.TypeID) || (!symmetric && !checkID(at+".inverseTypeId", l.InverseTypeID)) {
			continue
		}
		key := pairing{min(from, to), max(from, to)}
		if names[key] == nil {
			names[key] = map[string]bool{}
		}
		if names[key][l.Name] {
			fail(at+".name", MsgLabelNameTaken, l.Name, from, to)
			continue
		}
		names[key][l.Name] = true
		if len(names[key]) > s.cfg.MaxLabelsPerPairing {
			fail(at, MsgTooManyLabels, s.cfg.MaxLabelsPerPairing, from, to)
			continue
		}
		d.Forward = l.TypeID
		labels[d.Forward] = d
		maxID = max(maxID, d.Forward)
		if !symmetric {
			d.Inverse = l.InverseTypeID
			labels[d.Inverse] = d
			maxID = max(maxID, d.Inverse)
		}
	}
	// The custom object types, and the default association types of their
	// pairs, which take ids from the sequence the labels use.
	schemaPart, nextTypeID := buildTypes(portalID, &s.cfg, s.catalog, snap, func(id int32) bool { return labels[id] != nil },
		max(snap.NextTypeID, s.cfg.FirstLabelTypeID, maxID+1), fail)
	unlabeledOf := func(p Pair) (int32, bool) {
		if id, ok := s.catalog.unlabeled[p]; ok {
			return id, true
		}
		id, ok := schemaPart.pairs.unlabeled[p]
		return id, ok
	}
	typeOf := func(p Pair, typeID int32) (AssocType, bool) {
		if t, ok := s.catalog.byID[typeID]; ok {
			return t, t.Pair == p
		}
		if t, ok := schemaPart.pairs.byID[typeID]; ok {
			return t, t.Pair == p
		}
		if d, ok := labels[typeID]; ok && d.direction(typeID) == p {
			return AssocType{Pair: p, Category: UserDefined, TypeID: typeID}, true
		}
		return AssocType{}, false
	}
	for i, l := range snap.Limits {
		at := fmt.Sprintf("limits[%d]", i)
		from, okFrom := resolve(at+".fromObjectType", l.From)
		to, okTo := resolve(at+".toObjectType", l.To)
		if !okFrom || !okTo {
			continue
		}
		p := Pair{from, to}
		t, ok := typeOf(p, l.TypeID)
		switch {
		case !ok:
			fail(at+".typeId", MsgUnknownType, l.TypeID, from, to)
			continue
		case l.Category != "" && l.Category != t.Category:
			fail(at+".category", MsgWrongCategory, l.TypeID, t.Category, l.Category)
			continue
		case l.Max < 1 || l.Max > s.cfg.MaxLimit:
			fail(at+".maxToObjectIds", MsgLimitOutOfRange, l.Max, l.TypeID, s.cfg.MaxLimit)
			continue
		}
		if _, dup := limits[limitKey{p, l.TypeID}]; dup {
			fail(at+".typeId", "typeId %d from %s to %s has more than one limit", l.TypeID, from, to)
			continue
		}
		limits[limitKey{p, l.TypeID}] = l.Max
	}
	lb := immutable.NewSortedMapBuilder[limitKey, int32](limitKeyOrder{})
	for k, v := range limits {
		lb.Set(k, v)
	}
	limitPart := limitPart{m: lb.Map()}
	// Checked in limit order so that the messages are stable.
	for k, v := range limitPart.all() {
		unlabeled, ok := unlabeledOf(k.pair)
		if !ok || k.typeID == unlabeled {
			continue
		}
		if objMax, has := limits[limitKey{k.pair, unlabeled}]; has && v > objMax {
			fail("limits", MsgLabelAboveObject, v, k.typeID, objMax, unlabeled, objMax)
		}
	}
	deferredPart := buildDeferred(snap.Deferred, fail)
	decl := func(typ string) []UniqueProperty {
		if ts, ok := schemaPart.types.Get(typ); ok {
			return ts.unique
		}
		return s.cfg.UniqueProperties[typ]
	}
	recordsPart := buildRecords(&s.cfg, snap, resolve, decl, fail)
	for typ := range recordsPart.all() {
		if _, defined := schemaPart.types.Get(typ); schema.IsCustomTypeID(typ) && !defined {
			fail("records", "records of object type %s, which objectTypes does not define", typ)
		}
	}
	settingsPart := buildSettings(snap.Settings, fail)
	if len(details) > 0 {
		return nil, invalid("Invalid portal state: "+details[0].Message, details...)
	}
	labelPart := newLabelPart(nextTypeID)
	db := immutable.NewSortedMapBuilder[int32, *labelDef](typeIDOrder{})
	for id, d := range labels {
		db.Set(id, d)
		if id == d.Forward {
			labelPart.count++
		}
	}
	labelPart.defs = db.Map()
	st := newState(&s.cfg)
	st.parts[labelsDomain.index] = labelPart
	st.parts[limitsDomain.index] = limitPart
	st.parts[deferredDomain.index] = deferredPart
	st.parts[recordsDomain.index] = recordsPart
	st.parts[settingsDomain.index] = settingsPart
	st.parts[schemaDomain.index] = schemaPart
	// Associations are checked against the records and labels built above.
	v := &View{pt: &Portal{id: portalID, cfg: &s.cfg, catalog: s.catalog}, st: st}
	st.parts[assocDomain.index] = buildAssociations(v, snap, resolve, fail)
	if len(details) > 0 {
		return nil, invalid("Invalid portal state: "+details[0].Message, details...)
	}
	return st, nil
}
