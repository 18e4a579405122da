package schema

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mockhub/mockhub/fixtures"
	"github.com/mockhub/mockhub/internal/objecttype"
)

func newObjectType(def fixtures.CRMObjectType, reg *objecttype.Registry) (*ObjectType, error) {
	if def.ID == "" || def.Name == "" || def.Plural == "" {
		return nil, errors.New("id, name and plural are required")
	}
	rt, ok := reg.Resolve(def.Name)
	if !ok || rt.ID != def.ID || rt.Name != def.Name {
		return nil, fmt.Errorf("id %q and name %q do not match the object type registry", def.ID, def.Name)
	}
	if byPlural, ok := reg.Resolve(def.Plural); !ok || byPlural != rt {
		return nil, fmt.Errorf("plural %q does not name the same type in the object type registry", def.Plural)
	}
	t := &ObjectType{
		ID:                     def.ID,
		Name:                   def.Name,
		Plural:                 def.Plural,
		SingularLabel:          def.Labels.Singular,
		PluralLabel:            def.Labels.Plural,
		PrimaryDisplayProperty: def.PrimaryDisplayProperty,
		PipelineProperty:       def.PipelineProperty,
		StageProperty:          def.StageProperty,
		key:                    rt,
		byName:                 map[string]*Property{},
		pipelineByID:           map[string]*Pipeline{},
		stageOwner:             map[string]*Pipeline{},
		created:                map[string]string{},
	}
	groups := map[string]bool{}
	for _, g := range def.Groups {
		if g.Name == "" || groups[g.Name] {
			return nil, fmt.Errorf("property group %q empty or defined twice", g.Name)
		}
		groups[g.Name] = true
		t.groups = append(t.groups, &PropertyGroup{Name: g.Name, Label: g.Label, DisplayOrder: g.DisplayOrder})
	}
	sort.SliceStable(t.groups, func(i, j int) bool { return t.groups[i].DisplayOrder < t.groups[j].DisplayOrder })
	for _, pd := range def.Properties {
		p, err := newProperty(pd)
		if err != nil {
			return nil, fmt.Errorf("property %q: %w", pd.Name, err)
		}
		if _, dup := t.byName[p.Name]; dup {
			return nil, fmt.Errorf("property %q defined twice", p.Name)
		}
		if !groups[p.GroupName] {
			return nil, fmt.Errorf("property %q: unknown group %q", p.Name, p.GroupName)
		}
		t.byName[p.Name] = p
		t.props = append(t.props, p)
	}
	if err := t.buildPipelines(def.Pipelines); err != nil {
		return nil, err
	}
	lists := []struct {
		what string
		in   []string
		out  *[]string
		sort bool
	}{
		{"default", def.DefaultProperties, &t.defaults, true},
		{"always-added", def.AlwaysAddedProperties, &t.alwaysAdded, true},
		{"searchable", def.SearchableProperties, &t.searchable, false},
		{"unique", def.UniqueProperties, &t.unique, true},
	}
	for _, l := range lists {
		seen := map[string]bool{}
		for _, name := range l.in {
			if _, ok := t.byName[name]; !ok {
				return nil, fmt.Errorf("%s property %q is not in the catalog", l.what, name)
			}
			if seen[name] {
				return nil, fmt.Errorf("%s property %q listed twice", l.what, name)
			}
			seen[name] = true
		}
		*l.out = slices.Clone(l.in)
		if l.sort {
			sort.Strings(*l.out)
		}
	}
	if len(t.defaults) == 0 {
		return nil, errors.New("no default properties")
	}
	for _, name := range t.alwaysAdded {
		if !slices.Contains(t.defaults, name) {
			return nil, fmt.Errorf("always-added property %q is not a default property", name)
		}
	}
	for _, p := range t.props {
		if p.HasUniqueValue != t.IsUnique(p.Name) {
			return nil, fmt.Errorf("property %q: hasUniqueValue disagrees with the unique properties", p.Name)
		}
	}
	if _, ok := t.byName[t.PrimaryDisplayProperty]; !ok {
		return nil, fmt.Errorf("primary display property %q is not in the catalog", t.PrimaryDisplayProperty)
	}
	for name, v := range def.CreatedValues {
		p, ok := t.byName[name]
		if !ok {
			return nil, fmt.Errorf("created value of %q: not in the catalog", name)
		}
		// Created values bypass the read-only rule (HubSpot sets them) but
		// must still be values the property can hold.
		norm, verr := t.normalizeValue(p, v)
		if verr != nil {
			return nil, fmt.Errorf("created value of %q: %s", name, verr.Message)
		}
		t.created[name] = norm
	}
	return t, nil
}

func newProperty(pd fixtures.CRMProperty) (*Property, error) {
	p := &Property{
		Name:                 pd.Name,
		Label:                pd.Label,
		Type:                 PropertyType(pd.Type),
		FieldType:            pd.FieldType,
		GroupName:            pd.GroupName,
		Description:          pd.Description,
		ReadOnlyValue:        pd.ReadOnlyValue,
		HasUniqueValue:       pd.HasUniqueValue,
		Calculated:           pd.Calculated,
		ExternalOptions:      pd.ExternalOptions,
		HubspotDefined:       pd.HubspotDefined,
		ReferencedObjectType: pd.ReferencedObjectType,
		Format:               pd.Format,
		optionValues:         map[string]bool{},
	}
	if p.Name == "" || p.Label == "" {
		return nil, errors.New("name and label are required")
	}
	if !slices.Contains(propertyTypes, p.Type) {
		return nil, fmt.Errorf("unknown type %q", p.Type)
	}
	if !slices.Contains(fieldTypes, p.FieldType) {
		return nil, fmt.Errorf("unknown fieldType %q", p.FieldType)
	}
	switch p.Format {
	case "", FormatEmail, FormatEmailList:
	default:
		return nil, fmt.Errorf("unknown format %q", p.Format)
	}
	switch p.ReferencedObjectType {
	case "", RefPipeline, RefPipelineStage, RefOwner:
	default:
		return nil, fmt.Errorf("unknown referencedObjectType %q", p.ReferencedObjectType)
	}
	if p.ReferencedObjectType != "" && !p.ExternalOptions {
		return nil, errors.New("referencedObjectType without externalOptions")
	}
	if p.ExternalOptions && len(pd.Options) > 0 {
		return nil, errors.New("externalOptions with inline options")
	}
	if p.ExternalOptions && p.Type != TypeEnumeration {
		return nil, errors.New("externalOptions on a non-enumeration")
	}
	switch p.Type {
	case TypeEnumeration:
		if len(pd.Options) == 0 && !p.ExternalOptions {
			return nil, errors.New("enumeration without options")
		}
	case TypeBool:
		// HubSpot lists true/false as a bool property's options; any other
		// option could never be stored.
		for _, o := range pd.Options {
			if o.Value != "true" && o.Value != "false" {
				return nil, fmt.Errorf("bool option %q", o.Value)
			}
		}
	default:
		if len(pd.Options) > 0 {
			return nil, fmt.Errorf("options on a %s property", p.Type)
		}
	}
	for _, o := range pd.Options {
		if o.Value == "" || p.optionValues[o.Value] {
			return nil, fmt.Errorf("option value %q empty or listed twice", o.Value)
		}
		if p.MultiValued() && strings.Contains(o.Value, ";") {
			return nil, fmt.Errorf("option value %q contains the multi-value separator", o.Value)
		}
		p.optionValues[o.Value] = true
		p.Options = append(p.Options, Option{Label: o.Label, Value: o.Value, DisplayOrder: o.DisplayOrder, Hidden: o.Hidden, Description: o.Description})
	}
	sort.SliceStable(p.Options, func(i, j int) bool { return p.Options[i].DisplayOrder < p.Options[j].DisplayOrder })
	values := make([]string, len(p.Options))
	for i, o := range p.Options {
		values[i] = o.Value
	}
	p.valuesList = "[" + strings.Join(values, ", ") + "]"
	return p, nil
}

func (t *ObjectType) buildPipelines(defs []fixtures.CRMPipeline) error {
	hasProps := t.PipelineProperty != "" || t.StageProperty != ""
	if (len(defs) > 0) != hasProps || (hasProps && (t.PipelineProperty == "" || t.StageProperty == "")) {
		return errors.New("pipelines need both pipelineProperty and stageProperty, and those need pipelines")
	}
	if !hasProps {
		return nil
	}
	for name, ref := range map[string]string{t.PipelineProperty: RefPipeline, t.StageProperty: RefPipelineStage} {
		p, ok := t.byName[name]
		if !ok {
			return fmt.Errorf("pipeline property %q is not in the catalog", name)
		}
		if p.ReferencedObjectType != ref || p.MultiValued() {
			return fmt.Errorf("pipeline property %q must be a single-valued enumeration referencing %s", name, ref)
		}
	}
	for _, pd := range defs {
		if pd.ID == "" || t.pipelineByID[pd.ID] != nil {
			return fmt.Errorf("pipeline %q empty or defined twice", pd.ID)
		}
		if len(pd.Stages) == 0 {
			return fmt.Errorf("pipeline %q has no stages", pd.ID)
		}
		pl := &Pipeline{ID: pd.ID, Label: pd.Label, DisplayOrder: pd.DisplayOrder, byID: map[string]*Stage{}}
		for _, sd := range pd.Stages {
			if sd.ID == "" || strings.Contains(sd.ID, ";") {
				return fmt.Errorf("pipeline %q: invalid stage id %q", pd.ID, sd.ID)
			}
			// HubSpot: a stage id belongs to exactly one pipeline.
			if owner := t.stageOwner[sd.ID]; owner != nil {
				return fmt.Errorf("stage %q is in pipeline %q and %q", sd.ID, owner.ID, pd.ID)
			}
			meta := make(map[string]string, len(sd.Metadata))
			for k, v := range sd.Metadata {
				meta[k] = v
			}
			s := &Stage{ID: sd.ID, Label: sd.Label, DisplayOrder: sd.DisplayOrder, Metadata: meta}
			pl.byID[s.ID] = s
			pl.Stages = append(pl.Stages, s)
			t.stageOwner[s.ID] = pl
		}
		sort.SliceStable(pl.Stages, func(i, j int) bool { return pl.Stages[i].DisplayOrder < pl.Stages[j].DisplayOrder })
		t.pipelineByID[pl.ID] = pl
		t.pipelines = append(t.pipelines, pl)
	}
	sort.SliceStable(t.pipelines, func(i, j int) bool { return t.pipelines[i].DisplayOrder < t.pipelines[j].DisplayOrder })
	return nil
}
