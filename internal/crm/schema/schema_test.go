package schema

import (
	"slices"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/objecttype"
)

func loadDefault(t testing.TB) *Catalog {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return c
}

func mustType(t testing.TB, c *Catalog, spelling string) *ObjectType {
	t.Helper()
	ot, ok := c.Type(spelling)
	if !ok {
		t.Fatalf("Type(%q) not found", spelling)
	}
	return ot
}

func TestDefaultLoadsEmbeddedFixtures(t *testing.T) {
	c := loadDefault(t)
	again, err := Default()
	if err != nil || again != c {
		t.Fatalf("second Default() = %p, %v; want the same catalog %p", again, err, c)
	}
	var keys []string
	for _, ot := range c.Types() {
		keys = append(keys, ot.Key()+"="+ot.ID)
	}
	if want := []string{"contact=0-1", "company=0-2", "deal=0-3", "ticket=0-5"}; !slices.Equal(keys, want) {
		t.Fatalf("types = %v, want %v", keys, want)
	}
}

func TestTypeLookup(t *testing.T) {
	c := loadDefault(t)
	tests := []struct {
		spelling string
		want     string // key, "" when not found
	}{
		{"0-1", "contact"},
		{"contact", "contact"},
		{"Contacts", "contact"},
		{"COMPANIES", "company"},
		{"0-2", "company"},
		{"deals", "deal"},
		{"0-3", "deal"},
		{"ticket", "ticket"},
		{"0-5", "ticket"},
		{"notes", ""},   // a type objecttype knows but the schema does not hold yet
		{"2-123", ""},   // custom objects live in the store
		{"widgets", ""}, // no such type
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.spelling, func(t *testing.T) {
			ot, ok := c.Type(tt.spelling)
			got := ""
			if ok {
				got = ot.Key()
			}
			if got != tt.want {
				t.Fatalf("Type(%q) = %q, want %q", tt.spelling, got, tt.want)
			}
		})
	}
}

func TestTypeLists(t *testing.T) {
	c := loadDefault(t)
	tests := []struct {
		typ         string
		primary     string
		defaults    []string
		alwaysAdded []string
		searchable  []string
		unique      []string
	}{
		{"contacts", "email",
			[]string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"},
			[]string{"createdate", "hs_object_id", "lastmodifieddate"},
			[]string{"firstname", "lastname", "email", "phone", "hs_additional_emails", "fax", "mobilephone", "company", "hs_marketable_until_renewal"},
			[]string{"email", "hs_object_id"}},
		{"companies", "name",
			[]string{"createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"},
			[]string{"createdate", "hs_lastmodifieddate", "hs_object_id"},
			[]string{"website", "phone", "name", "domain"},
			[]string{"hs_object_id"}},
		{"deals", "dealname",
			[]string{"amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"},
			[]string{"createdate", "hs_lastmodifieddate", "hs_object_id"},
			[]string{"dealname", "pipeline", "dealstage", "description", "dealtype"},
			[]string{"hs_object_id"}},
		{"tickets", "subject",
			[]string{"content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject"},
			[]string{"createdate", "hs_lastmodifieddate", "hs_object_id"},
			[]string{"subject", "content", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_id"},
			[]string{"hs_object_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			ot := mustType(t, c, tt.typ)
			if ot.PrimaryDisplayProperty != tt.primary {
				t.Errorf("primary = %q, want %q", ot.PrimaryDisplayProperty, tt.primary)
			}
			for _, l := range []struct {
				name      string
				got, want []string
			}{
				{"defaults", ot.DefaultProperties(), tt.defaults},
				{"always added", ot.AlwaysAddedProperties(), tt.alwaysAdded},
				{"searchable", ot.SearchableProperties(), tt.searchable},
				{"unique", ot.UniqueProperties(), tt.unique},
			} {
				if !slices.Equal(l.got, l.want) {
					t.Errorf("%s = %v, want %v", l.name, l.got, l.want)
				}
			}
			for _, name := range tt.unique {
				if !ot.IsUnique(name) {
					t.Errorf("IsUnique(%q) = false", name)
				}
			}
			if ot.IsUnique("createdate") {
				t.Errorf("IsUnique(createdate) = true")
			}
		})
	}
}

func TestListsAreCopies(t *testing.T) {
	ot := mustType(t, loadDefault(t), "contacts")
	ot.DefaultProperties()[0] = "changed"
	ot.CreatedValues()["lifecyclestage"] = "changed"
	ot.Properties()[0] = nil
	if ot.DefaultProperties()[0] != "createdate" || ot.CreatedValues()["lifecyclestage"] != "lead" || ot.Properties()[0] == nil {
		t.Fatal("a caller's change to a returned slice or map reached the catalog")
	}
}

func TestReturnedProperties(t *testing.T) {
	c := loadDefault(t)
	tests := []struct {
		typ       string
		requested []string
		want      []string
	}{
		{"contacts", nil, []string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"}},
		{"contacts", []string{"phone"}, []string{"createdate", "hs_object_id", "lastmodifieddate", "phone"}},
		{"companies", []string{"name", "annualrevenue", "name"}, []string{"annualrevenue", "createdate", "hs_lastmodifieddate", "hs_object_id", "name"}},
		{"deals", []string{"erp_id"}, []string{"createdate", "erp_id", "hs_lastmodifieddate", "hs_object_id"}},
		{"tickets", []string{"hs_object_id"}, []string{"createdate", "hs_lastmodifieddate", "hs_object_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"/"+strings.Join(tt.requested, ","), func(t *testing.T) {
			if got := mustType(t, c, tt.typ).ReturnedProperties(tt.requested); !slices.Equal(got, tt.want) {
				t.Fatalf("ReturnedProperties(%v) = %v, want %v", tt.requested, got, tt.want)
			}
		})
	}
}

// TestCatalogProperties pins the facts the brief and the reference name, so a
// fixture edit that breaks one fails here.
func TestCatalogProperties(t *testing.T) {
	c := loadDefault(t)
	tests := []struct {
		typ, name string
		ptype     PropertyType
		fieldType string
		readOnly  bool
		unique    bool
	}{
		{"contacts", "email", TypeString, "text", false, true},
		{"contacts", "lifecyclestage", TypeEnumeration, "radio", false, false},
		{"contacts", "lastmodifieddate", TypeDateTime, "date", true, false},
		{"contacts", "hs_object_id", TypeNumber, "number", true, true},
		{"contacts", "phone", TypeString, "phonenumber", false, false},
		{"companies", "domain", TypeString, "text", false, false},
		{"companies", "hs_lastmodifieddate", TypeDateTime, "date", true, false},
		{"deals", "amount", TypeNumber, "number", false, false},
		{"deals", "closedate", TypeDateTime, "date", false, false},
		{"deals", "dealstage", TypeEnumeration, "radio", false, false},
		{"deals", "hs_is_closed_won", TypeBool, "calculation_equation", true, false},
		{"tickets", "hs_pipeline_stage", TypeEnumeration, "select", false, false},
		{"tickets", "hs_ticket_category", TypeEnumeration, "checkbox", false, false},
		{"tickets", "hs_ticket_id", TypeNumber, "number", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"/"+tt.name, func(t *testing.T) {
			p, ok := mustType(t, c, tt.typ).Property(tt.name)
			if !ok {
				t.Fatal("missing")
			}
			if p.Type != tt.ptype || p.FieldType != tt.fieldType || p.ReadOnlyValue != tt.readOnly || p.HasUniqueValue != tt.unique || !p.HubspotDefined {
				t.Fatalf("got %s/%s readOnly=%v unique=%v hubspotDefined=%v", p.Type, p.FieldType, p.ReadOnlyValue, p.HasUniqueValue, p.HubspotDefined)
			}
		})
	}
	p, _ := mustType(t, c, "contacts").Property("lifecyclestage")
	var values []string
	for _, o := range p.Options {
		values = append(values, o.Value)
	}
	if want := []string{"subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"}; !slices.Equal(values, want) {
		t.Fatalf("lifecyclestage options = %v, want %v", values, want)
	}
}

// TestCreatedValuesAreValid checks every fixture type: the values HubSpot
// sets on create must already be in their stored form.
func TestCreatedValuesAreValid(t *testing.T) {
	for _, ot := range loadDefault(t).Types() {
		for name, v := range ot.CreatedValues() {
			if got, err := ot.Normalize(name, v); err != nil || got != v {
				t.Errorf("%s: created %s=%q normalises to %q, %v", ot.Key(), name, v, got, err)
			}
		}
	}
}

func TestPipelines(t *testing.T) {
	c := loadDefault(t)
	tests := []struct {
		typ, pipeline, label string
		pipeProp, stageProp  string
		stages               []string
		meta                 map[string]map[string]string
	}{
		{"deals", "default", "Sales Pipeline", "pipeline", "dealstage",
			[]string{"appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon", "closedlost"},
			map[string]map[string]string{
				"appointmentscheduled": {"isClosed": "false", "probability": "0.2"},
				"contractsent":         {"isClosed": "false", "probability": "0.9"},
				"closedwon":            {"isClosed": "true", "probability": "1.0"},
				"closedlost":           {"isClosed": "true", "probability": "0.0"},
			}},
		{"tickets", "0", "Support Pipeline", "hs_pipeline", "hs_pipeline_stage",
			[]string{"1", "2", "3", "4"},
			map[string]map[string]string{
				"1": {"ticketState": "OPEN", "isClosed": "false"},
				"4": {"ticketState": "CLOSED", "isClosed": "true"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			ot := mustType(t, c, tt.typ)
			if ot.PipelineProperty != tt.pipeProp || ot.StageProperty != tt.stageProp {
				t.Fatalf("pipeline properties = %q/%q", ot.PipelineProperty, ot.StageProperty)
			}
			pl, ok := ot.DefaultPipeline()
			if !ok || pl.ID != tt.pipeline || pl.Label != tt.label {
				t.Fatalf("DefaultPipeline = %+v, %v", pl, ok)
			}
			if byID, ok := ot.Pipeline(tt.pipeline); !ok || byID != pl {
				t.Fatalf("Pipeline(%q) = %p, %v", tt.pipeline, byID, ok)
			}
			var ids []string
			for i, s := range pl.Stages {
				ids = append(ids, s.ID)
				if s.DisplayOrder != i {
					t.Errorf("stage %s displayOrder %d, want %d", s.ID, s.DisplayOrder, i)
				}
				if owner, ok := ot.StagePipeline(s.ID); !ok || owner != pl {
					t.Errorf("StagePipeline(%s) = %v, %v", s.ID, owner, ok)
				}
			}
			if !slices.Equal(ids, tt.stages) {
				t.Fatalf("stages = %v, want %v", ids, tt.stages)
			}
			for id, want := range tt.meta {
				s, ok := pl.Stage(id)
				if !ok {
					t.Fatalf("Stage(%q) missing", id)
				}
				for k, v := range want {
					if s.Metadata[k] != v {
						t.Errorf("stage %s metadata %s = %q, want %q", id, k, s.Metadata[k], v)
					}
				}
			}
			if _, ok := pl.Stage("nope"); ok {
				t.Error("Stage(nope) found")
			}
		})
	}
	contacts := mustType(t, c, "contacts")
	if _, ok := contacts.DefaultPipeline(); ok || len(contacts.Pipelines()) != 0 {
		t.Fatal("contacts have a pipeline")
	}
}

// testDoc is a small deal type exercising every property type and rule.
func testDoc() fixtures.CRMSchema {
	yes := []fixtures.CRMOption{{Label: "True", Value: "true"}, {Label: "False", Value: "false", DisplayOrder: 1}}
	return fixtures.CRMSchema{ObjectTypes: []fixtures.CRMObjectType{{
		ID: "0-3", Name: "deal", Plural: "deals",
		Labels:                 fixtures.CRMLabels{Singular: "Deal", Plural: "Deals"},
		PrimaryDisplayProperty: "name",
		DefaultProperties:      []string{"name", "hs_object_id", "createdate"},
		AlwaysAddedProperties:  []string{"hs_object_id", "createdate"},
		SearchableProperties:   []string{"name"},
		UniqueProperties:       []string{"hs_object_id", "email"},
		CreatedValues:          map[string]string{"flag": "false"},
		PipelineProperty:       "pipeline",
		StageProperty:          "stage",
		Groups:                 []fixtures.CRMPropertyGroup{{Name: "g", Label: "G"}},
		Properties: []fixtures.CRMProperty{
			{Name: "hs_object_id", Label: "Record ID", Type: "number", FieldType: "number", GroupName: "g", ReadOnlyValue: true, HasUniqueValue: true},
			{Name: "createdate", Label: "Create Date", Type: "datetime", FieldType: "date", GroupName: "g", ReadOnlyValue: true},
			{Name: "name", Label: "Name", Type: "string", FieldType: "text", GroupName: "g"},
			{Name: "phone", Label: "Phone", Type: "phone_number", FieldType: "phonenumber", GroupName: "g"},
			{Name: "amount", Label: "Amount", Type: "number", FieldType: "number", GroupName: "g"},
			{Name: "flag", Label: "Flag", Type: "bool", FieldType: "booleancheckbox", GroupName: "g", Options: yes},
			{Name: "day", Label: "Day", Type: "date", FieldType: "date", GroupName: "g"},
			{Name: "when", Label: "When", Type: "datetime", FieldType: "date", GroupName: "g"},
			{Name: "color", Label: "Color", Type: "enumeration", FieldType: "select", GroupName: "g", Options: []fixtures.CRMOption{
				{Label: "Red", Value: "red"}, {Label: "Green", Value: "green", DisplayOrder: 1}, {Label: "Old", Value: "old", DisplayOrder: 2, Hidden: true}}},
			{Name: "tags", Label: "Tags", Type: "enumeration", FieldType: "checkbox", GroupName: "g", Options: []fixtures.CRMOption{
				{Label: "A", Value: "A"}, {Label: "B", Value: "B", DisplayOrder: 1}, {Label: "C", Value: "C", DisplayOrder: 2}}},
			{Name: "email", Label: "Email", Type: "string", FieldType: "text", GroupName: "g", HasUniqueValue: true, Format: "email"},
			{Name: "emails", Label: "Emails", Type: "enumeration", FieldType: "checkbox", GroupName: "g", ExternalOptions: true, Format: "email-list"},
			{Name: "vids", Label: "Vids", Type: "enumeration", FieldType: "checkbox", GroupName: "g", ExternalOptions: true},
			{Name: "owner", Label: "Owner", Type: "enumeration", FieldType: "select", GroupName: "g", ExternalOptions: true, ReferencedObjectType: "OWNER"},
			{Name: "pipeline", Label: "Pipeline", Type: "enumeration", FieldType: "select", GroupName: "g", ExternalOptions: true, ReferencedObjectType: "PIPELINE"},
			{Name: "stage", Label: "Stage", Type: "enumeration", FieldType: "radio", GroupName: "g", ExternalOptions: true, ReferencedObjectType: "PIPELINE_STAGE"},
		},
		Pipelines: []fixtures.CRMPipeline{
			{ID: "p2", Label: "Second", DisplayOrder: 1, Stages: []fixtures.CRMStage{{ID: "s3", Label: "Three"}}},
			{ID: "p1", Label: "First", Stages: []fixtures.CRMStage{{ID: "s2", Label: "Two", DisplayOrder: 1}, {ID: "s1", Label: "One"}}},
		},
	}}}
}

func testType(t testing.TB) *ObjectType {
	t.Helper()
	reg, err := objecttype.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(testDoc(), reg)
	if err != nil {
		t.Fatalf("New(testDoc): %v", err)
	}
	return mustType(t, c, "deals")
}

func TestTestDocOrdering(t *testing.T) {
	ot := testType(t)
	pl, _ := ot.DefaultPipeline()
	if pl.ID != "p1" || pl.Stages[0].ID != "s1" {
		t.Fatalf("default pipeline %s first stage %s; want p1 and s1 (display order)", pl.ID, pl.Stages[0].ID)
	}
}

func TestNewRejectsInconsistentDocuments(t *testing.T) {
	prop := func(d *fixtures.CRMSchema, name string) *fixtures.CRMProperty {
		for i := range d.ObjectTypes[0].Properties {
			if d.ObjectTypes[0].Properties[i].Name == name {
				return &d.ObjectTypes[0].Properties[i]
			}
		}
		panic("no property " + name)
	}
	tests := []struct {
		name   string
		change func(d *fixtures.CRMSchema)
		want   string
	}{
		{"type twice", func(d *fixtures.CRMSchema) { d.ObjectTypes = append(d.ObjectTypes, d.ObjectTypes[0]) }, "defined twice"},
		{"id mismatch", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].ID = "0-1" }, "do not match"},
		{"unknown name", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].Name = "widget" }, "do not match"},
		{"plural mismatch", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].Plural = "contacts" }, "plural"},
		{"missing id", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].ID = "" }, "required"},
		{"property twice", func(d *fixtures.CRMSchema) {
			d.ObjectTypes[0].Properties = append(d.ObjectTypes[0].Properties, *prop(d, "name"))
		}, `property "name" defined twice`},
		{"group twice", func(d *fixtures.CRMSchema) {
			d.ObjectTypes[0].Groups = append(d.ObjectTypes[0].Groups, d.ObjectTypes[0].Groups[0])
		}, "defined twice"},
		{"unknown group", func(d *fixtures.CRMSchema) { prop(d, "name").GroupName = "nope" }, "unknown group"},
		{"unknown type", func(d *fixtures.CRMSchema) { prop(d, "name").Type = "text" }, "unknown type"},
		{"unknown fieldType", func(d *fixtures.CRMSchema) { prop(d, "name").FieldType = "dropdown" }, "unknown fieldType"},
		{"unknown format", func(d *fixtures.CRMSchema) { prop(d, "name").Format = "url" }, "unknown format"},
		{"missing label", func(d *fixtures.CRMSchema) { prop(d, "name").Label = "" }, "required"},
		{"enumeration without options", func(d *fixtures.CRMSchema) { prop(d, "color").Options = nil }, "enumeration without options"},
		{"option twice", func(d *fixtures.CRMSchema) {
			p := prop(d, "color")
			p.Options = append(p.Options, p.Options[0])
		}, "listed twice"},
		{"empty option", func(d *fixtures.CRMSchema) { prop(d, "color").Options[0].Value = "" }, "empty"},
		{"separator in multi option", func(d *fixtures.CRMSchema) { prop(d, "tags").Options[0].Value = "a;b" }, "separator"},
		{"options on a string", func(d *fixtures.CRMSchema) { prop(d, "name").Options = prop(d, "color").Options }, "options on a string"},
		{"bool option", func(d *fixtures.CRMSchema) { prop(d, "flag").Options[0].Value = "yes" }, "bool option"},
		{"external with options", func(d *fixtures.CRMSchema) { prop(d, "owner").Options = prop(d, "color").Options }, "inline options"},
		{"external on a string", func(d *fixtures.CRMSchema) { prop(d, "name").ExternalOptions = true }, "non-enumeration"},
		{"reference without external", func(d *fixtures.CRMSchema) { prop(d, "owner").ExternalOptions = false }, "without externalOptions"},
		{"unknown reference", func(d *fixtures.CRMSchema) { prop(d, "owner").ReferencedObjectType = "TEAM" }, "unknown referencedObjectType"},
		{"default not in catalog", func(d *fixtures.CRMSchema) {
			d.ObjectTypes[0].DefaultProperties = append(d.ObjectTypes[0].DefaultProperties, "nope")
		}, `default property "nope" is not in the catalog`},
		{"default twice", func(d *fixtures.CRMSchema) {
			d.ObjectTypes[0].DefaultProperties = append(d.ObjectTypes[0].DefaultProperties, "name")
		}, "listed twice"},
		{"no defaults", func(d *fixtures.CRMSchema) {
			d.ObjectTypes[0].DefaultProperties = nil
			d.ObjectTypes[0].AlwaysAddedProperties = nil
		}, "no default properties"},
		{"always-added not a default", func(d *fixtures.CRMSchema) {
			d.ObjectTypes[0].AlwaysAddedProperties = append(d.ObjectTypes[0].AlwaysAddedProperties, "amount")
		}, "not a default property"},
		{"searchable not in catalog", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].SearchableProperties = []string{"nope"} }, "searchable property"},
		{"unique not in catalog", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].UniqueProperties = []string{"nope"} }, "unique property"},
		{"unique flag disagrees", func(d *fixtures.CRMSchema) { prop(d, "email").HasUniqueValue = false }, "hasUniqueValue"},
		{"primary not in catalog", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].PrimaryDisplayProperty = "nope" }, "primary display"},
		{"created not in catalog", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].CreatedValues["nope"] = "x" }, "not in the catalog"},
		{"created invalid", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].CreatedValues["flag"] = "maybe" }, "not a valid boolean"},
		{"stage in two pipelines", func(d *fixtures.CRMSchema) {
			d.ObjectTypes[0].Pipelines[0].Stages = append(d.ObjectTypes[0].Pipelines[0].Stages, fixtures.CRMStage{ID: "s1"})
		}, `stage "s1" is in pipeline`},
		{"stage twice in one pipeline", func(d *fixtures.CRMSchema) {
			d.ObjectTypes[0].Pipelines[1].Stages = append(d.ObjectTypes[0].Pipelines[1].Stages, fixtures.CRMStage{ID: "s1"})
		}, `stage "s1" is in pipeline`},
		{"pipeline twice", func(d *fixtures.CRMSchema) {
			d.ObjectTypes[0].Pipelines[0].ID = "p1"
		}, "defined twice"},
		{"pipeline without stages", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].Pipelines[0].Stages = nil }, "no stages"},
		{"empty stage id", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].Pipelines[0].Stages[0].ID = "" }, "invalid stage id"},
		{"pipelines without properties", func(d *fixtures.CRMSchema) {
			d.ObjectTypes[0].PipelineProperty, d.ObjectTypes[0].StageProperty = "", ""
		}, "pipelines need"},
		{"properties without pipelines", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].Pipelines = nil }, "pipelines need"},
		{"stage property only", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].PipelineProperty = "" }, "pipelines need"},
		{"pipeline property missing", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].PipelineProperty = "nope" }, "not in the catalog"},
		{"stage property wrong reference", func(d *fixtures.CRMSchema) { d.ObjectTypes[0].StageProperty = "owner" }, "referencing PIPELINE_STAGE"},
		{"stage property multi-valued", func(d *fixtures.CRMSchema) { prop(d, "stage").FieldType = "checkbox" }, "single-valued"},
	}
	reg, err := objecttype.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testDoc()
			tt.change(&d)
			_, err := New(d, reg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestParseCRMSchemaRejectsUnknownFields(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"unknown field", `{"objectTypes": [{"id": "0-1", "nmae": "contact"}]}`},
		{"trailing data", `{"objectTypes": []} {}`},
		{"not json", `objectTypes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := fixtures.ParseCRMSchema([]byte(tt.doc)); err == nil {
				t.Fatal("ParseCRMSchema accepted it")
			}
		})
	}
}
