package store

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/crm/schema"
)

// newSchemaStore is a test store whose portals extend the embedded CRM
// schema catalog.
func newSchemaStore(t *testing.T) *Store {
	t.Helper()
	s := newTestStore(t)
	cat, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	s.cfg.Schema = cat
	return s
}

func textProperty(name string) PropertyInfo {
	return PropertyInfo{CRMProperty: fixtures.CRMProperty{Name: name, Label: "L " + name, Type: "string", FieldType: "text", GroupName: "contactinformation"}}
}

func TestPropertyRules(t *testing.T) {
	enum := textProperty("tier_bare")
	enum.Type, enum.FieldType = "enumeration", "select"
	withOptions := enum
	withOptions.Name = "tier"
	withOptions.Options = []fixtures.CRMOption{{Label: "Gold", Value: "gold"}}
	wrongType := textProperty("t1")
	wrongType.Type = "money"
	wrongGroup := textProperty("g1")
	wrongGroup.GroupName = "nowhere"
	tests := []struct {
		name string
		in   PropertyInfo
		want ErrorKind // 0: created
		msg  string
	}{
		{"a text property", textProperty("favourite_colour"), 0, ""},
		{"an enumeration with options", withOptions, 0, ""},
		{"a catalog name", textProperty("email"), KindConflict, "Property named 'email' already exists."},
		{"a name taken by an earlier create", textProperty("favourite_colour"), KindConflict, "already exists"},
		{"an upper-case name", textProperty("Colour"), KindInvalid, "lower-case"},
		{"a name with a hyphen", textProperty("a-b"), KindInvalid, "underscores"},
		{"an empty name", textProperty(""), KindInvalid, "empty"},
		{"an unknown group", wrongGroup, KindInvalid, "Property group 'nowhere' does not exist"},
		{"an unknown type", wrongType, KindInvalid, "unknown type"},
		{"an enumeration without options", enum, KindInvalid, "enumeration without options"},
	}
	p := newSchemaStore(t).Portal(1)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got PropertyInfo
			err := p.Update(func(tx *Tx) error {
				var err error
				got, err = tx.CreateProperty("contacts", tc.in, t0)
				return err
			})
			if tc.want == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if got.ObjectType != "contact" || !got.Custom || got.HubspotDefined || got.CreatedAt.IsZero() {
					t.Fatalf("created %+v", got)
				}
				return
			}
			if kindOf(err) != tc.want || !strings.Contains(Message(err), tc.msg) {
				t.Fatalf("got %v, want %v containing %q", err, tc.want, tc.msg)
			}
		})
	}
}

func TestPropertyLifecycle(t *testing.T) {
	s := newSchemaStore(t)
	fp := &fakePersister{saved: map[int64]map[[2]string][]byte{}}
	s.SetPersister(fp)
	p := s.Portal(5)
	update := func(fn func(tx *Tx) error) error { return p.Update(fn) }
	unique := textProperty("member_no")
	unique.HasUniqueValue = true
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(update(func(tx *Tx) error {
		if _, err := tx.CreatePropertyGroup("contact", PropertyGroupInfo{Name: "club", Label: "Club"}); err != nil {
			return err
		}
		unique.GroupName = "club"
		_, err := tx.CreateProperty("contact", unique, t0)
		return err
	}))
	if err := update(func(tx *Tx) error {
		_, err := tx.CreatePropertyGroup("contact", PropertyGroupInfo{Name: "club", Label: "Again"})
		return err
	}); kindOf(err) != KindConflict {
		t.Fatalf("duplicate group: %v", err)
	}

	// A unique custom property identifies records.
	first := mustCreate(t, p, "contact", map[string]string{"member_no": "M1"})
	if _, err := p.createRecord("contact", map[string]string{"member_no": "M1"}, t0); kindOf(err) != KindConflict {
		t.Fatalf("duplicate unique value: %v", err)
	}
	p.View(func(v *View) {
		if id, ok := v.FindUnique("contact", "member_no", "M1"); !ok || id != first {
			t.Fatalf("FindUnique %q %v", id, ok)
		}
	})

	// Edits: a custom property's label; a HubSpot-defined property's label
	// but not its type.
	label := "Member number"
	must(update(func(tx *Tx) error {
		_, err := tx.UpdateProperty("contact", "member_no", PropertyPatch{Label: &label}, t0)
		return err
	}))
	num := "number"
	if err := update(func(tx *Tx) error {
		_, err := tx.UpdateProperty("contact", "firstname", PropertyPatch{Type: &num}, t0)
		return err
	}); kindOf(err) != KindInvalid {
		t.Fatalf("retyping firstname: %v", err)
	}
	must(update(func(tx *Tx) error {
		_, err := tx.UpdateProperty("contact", "firstname", PropertyPatch{Label: &label}, t0)
		return err
	}))
	if err := update(func(tx *Tx) error {
		_, err := tx.UpdateProperty("contact", "nope", PropertyPatch{Label: &label}, t0)
		return err
	}); kindOf(err) != KindNotFound {
		t.Fatalf("unknown property: %v", err)
	}

	// Archiving.
	for _, tc := range []struct {
		name string
		want ErrorKind
	}{{"member_no", 0}, {"member_no", 0}, {"email", KindInvalid}, {"nope", KindNotFound}} {
		err := update(func(tx *Tx) error { return tx.ArchiveProperty("contact", tc.name, t0) })
		if kindOf(err) != tc.want {
			t.Fatalf("archive %s: %v, want %v", tc.name, err, tc.want)
		}
	}
	p.View(func(v *View) {
		typ, _ := v.ObjectType("contacts")
		if _, ok := typ.Property("member_no"); ok {
			t.Fatal("archived property still in the type")
		}
		if fn, _ := typ.Property("firstname"); fn.Label != label {
			t.Fatalf("firstname label %q", fn.Label)
		}
		if got := v.Properties("contact", true); len(got) != 1 || got[0].Name != "member_no" || !got[0].Archived {
			t.Fatalf("archived list %+v", got)
		}
		if info, ok := v.Property("contact", "firstname"); !ok || !info.HubspotDefined || info.Custom || info.Label != label {
			t.Fatalf("firstname %+v", info)
		}
		if len(v.Properties("contact", false)) != len(typ.Properties()) {
			t.Fatal("live list disagrees with the type")
		}
	})
	if err := update(func(tx *Tx) error {
		_, err := tx.CreateProperty("contact", textProperty("member_no"), t0)
		return err
	}); kindOf(err) != KindConflict {
		t.Fatalf("re-creating an archived name: %v", err)
	}

	// Export, import and the saved rows all agree.
	snap := p.Snapshot()
	if len(snap.Properties) != 2 || len(snap.PropertyGroups) != 1 {
		t.Fatalf("exported %+v %+v", snap.Properties, snap.PropertyGroups)
	}
	data, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := DecodeSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	other := newSchemaStore(t)
	must(other.Replace(5, dec))
	for name, got := range map[string]Snapshot{"import": other.Portal(5).Snapshot(), "saved rows": fp.load(t, s, 5)} {
		if !reflect.DeepEqual(got, snap) {
			t.Fatalf("%s:\n%+v\nwant\n%+v", name, got, snap)
		}
	}
}

func TestSchemaDocumentProblems(t *testing.T) {
	car := widgetType()
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"a custom id that is not 2-N", `{"objectTypes":[{"id":"0-9","name":"x","labels":{"singular":"X","plural":"Xs"},"properties":[]}]}`, `objectTypes[0].id: a custom object type id is 2-N`},
		{"a type defined twice", `{"objectTypes":[` + mustJSONString(car) + `,` + mustJSONString(car) + `]}`, `objectTypes[1].id: object type 2-123 is defined twice`},
		{"a property of an undefined custom type", `{"properties":[{"objectType":"2-5","name":"a","label":"A","type":"string","fieldType":"text","groupName":"g"}]}`, `custom object type 2-5 is not defined`},
		{"a property of an unknown type", `{"properties":[{"objectType":"spaceships","name":"a","label":"A","type":"string","fieldType":"text","groupName":"g"}]}`, `unknown object type "spaceships"`},
		{"a property in an unknown group", `{"properties":[{"objectType":"contacts","name":"a","label":"A","type":"string","fieldType":"text","groupName":"g"}]}`, `unknown group "g"`},
		{"an archived property without archivedAt", `{"properties":[{"objectType":"contacts","name":"a","label":"A","type":"string","fieldType":"text","groupName":"contactinformation","archived":true}]}`, `archivedAt is required`},
		{"records of an undefined custom type", `{"records":[{"objectType":"2-9","id":"1","createdAt":"2026-01-01T00:00:00Z","properties":{}}]}`, `records of object type 2-9, which objectTypes does not define`},
		{"a custom type defining a system property", `{"objectTypes":[{"id":"2-1","name":"x","labels":{"singular":"X","plural":"Xs"},"properties":[{"name":"hs_object_id","label":"A","type":"string","fieldType":"text"}]}]}`, `cannot be defined`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap, err := DecodeSnapshot([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			err = newSchemaStore(t).Replace(1, snap)
			if kindOf(err) != KindInvalid || !strings.Contains(fullMessage(err), tc.want) {
				t.Fatalf("got %v, want %q", fullMessage(err), tc.want)
			}
		})
	}
}

func mustJSONString(v any) string { return string(mustJSON(v)) }

// fullMessage joins an error's message and details.
func fullMessage(err error) string {
	e, ok := err.(*Error)
	if !ok {
		return ""
	}
	parts := []string{e.Message}
	for _, d := range e.Details {
		parts = append(parts, d.Message)
	}
	return strings.Join(parts, "\n")
}

func TestPropertyGroupEdits(t *testing.T) {
	p := newSchemaStore(t).Portal(1)
	label := "Renamed"
	order := 7
	mustUpdate(t, p, func(tx *Tx) error {
		if _, err := tx.CreatePropertyGroup("contact", PropertyGroupInfo{Name: "club", Label: "Club"}); err != nil {
			return err
		}
		g, err := tx.UpdatePropertyGroup("contact", "club", &label, &order)
		if err == nil && (g.Label != label || g.DisplayOrder != 7) {
			t.Fatalf("updated %+v", g)
		}
		return err
	})
	inUse := textProperty("member_no")
	inUse.GroupName = "club"
	mustUpdate(t, p, func(tx *Tx) error { _, err := tx.CreateProperty("contact", inUse, t0); return err })
	tests := []struct {
		name  string
		group string
		want  ErrorKind
	}{
		{"a group a live property belongs to", "club", KindInvalid},
		{"HubSpot's group", "contactinformation", KindInvalid},
		{"an unknown group", "nope", KindNotFound},
	}
	for _, tc := range tests {
		if err := p.Update(func(tx *Tx) error { return tx.ArchivePropertyGroup("contact", tc.group) }); kindOf(err) != tc.want {
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
	mustUpdate(t, p, func(tx *Tx) error { return tx.ArchiveProperty("contact", "member_no", t0) })
	mustUpdate(t, p, func(tx *Tx) error { return tx.ArchivePropertyGroup("contact", "club") })
	mustUpdate(t, p, func(tx *Tx) error { return tx.ArchivePropertyGroup("contact", "club") })
	p.View(func(v *View) {
		for _, g := range v.PropertyGroups("contact") {
			if g.Name == "club" {
				t.Fatal("archived group still listed")
			}
		}
	})
	// HubSpot's groups may be relabelled; the name of an archived group is
	// free again.
	mustUpdate(t, p, func(tx *Tx) error {
		if _, err := tx.UpdatePropertyGroup("contact", "contactinformation", &label, nil); err != nil {
			return err
		}
		_, err := tx.CreatePropertyGroup("contact", PropertyGroupInfo{Name: "club", Label: "Club again"})
		return err
	})
	p.View(func(v *View) {
		got := map[string]string{}
		for _, g := range v.PropertyGroups("contact") {
			got[g.Name] = g.Label
		}
		if got["contactinformation"] != label || got["club"] != "Club again" {
			t.Fatalf("groups %v", got)
		}
	})
}
