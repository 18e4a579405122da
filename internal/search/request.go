package search

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// Request is the body of a search, field for field as HubSpot's
// PublicObjectSearchRequest. Every field may be absent (the spec marks them
// required, but HubSpot's own examples and clients omit them). It has no
// custom decoder of its own, so a strict decoder (DisallowUnknownFields)
// stays strict through it.
type Request struct {
	FilterGroups []FilterGroup `json:"filterGroups"`
	Query        string        `json:"query,omitempty"`
	Sorts        []Sort        `json:"sorts"`
	Properties   []string      `json:"properties"`
	// Limit is the page size; 0 (or absent) means the default.
	Limit int `json:"limit"`
	// After is the offset of the page, an integer sent as a string.
	After Scalar `json:"after"`
}

// FilterGroup is a list of filters that must all hold (AND); a request's
// groups are alternatives (OR).
type FilterGroup struct {
	Filters []Filter `json:"filters"`
}

// Filter is one condition on a property. Value and HighValue are nil when
// absent (or null).
type Filter struct {
	PropertyName string   `json:"propertyName"`
	Operator     Operator `json:"operator"`
	Value        *Scalar  `json:"value,omitempty"`
	HighValue    *Scalar  `json:"highValue,omitempty"`
	Values       []Scalar `json:"values,omitempty"`
}

// Operator is a filter operator, as HubSpot spells it.
type Operator string

// The operators HubSpot documents.
const (
	EQ               Operator = "EQ"
	NEQ              Operator = "NEQ"
	LT               Operator = "LT"
	LTE              Operator = "LTE"
	GT               Operator = "GT"
	GTE              Operator = "GTE"
	Between          Operator = "BETWEEN"
	In               Operator = "IN"
	NotIn            Operator = "NOT_IN"
	HasProperty      Operator = "HAS_PROPERTY"
	NotHasProperty   Operator = "NOT_HAS_PROPERTY"
	ContainsToken    Operator = "CONTAINS_TOKEN"
	NotContainsToken Operator = "NOT_CONTAINS_TOKEN"
)

// Operators lists every operator, in HubSpot's documentation order.
var Operators = []Operator{EQ, NEQ, LT, LTE, GT, GTE, Between, In, NotIn, HasProperty, NotHasProperty, ContainsToken, NotContainsToken}

// Scalar is a filter value or cursor. HubSpot's schema says string, but its
// own docs send numbers (epoch milliseconds) and clients send booleans, so
// a JSON number or boolean is accepted and kept as its literal text.
type Scalar string

// UnmarshalJSON accepts a string, number or boolean.
func (s *Scalar) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("search: empty value")
	}
	switch b[0] {
	case '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = Scalar(v)
		return nil
	case 't', 'f':
		var v bool
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = Scalar(strconv.FormatBool(v))
		return nil
	case 'n':
		// null: a pointer field stays nil; a list element or cursor is "".
		if string(b) != "null" {
			return errors.New("search: invalid value")
		}
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("search: value must be a string, number or boolean")
	}
	*s = Scalar(n.String())
	return nil
}

// Direction is a sort direction.
type Direction string

// The two directions.
const (
	Ascending  Direction = "ASCENDING"
	Descending Direction = "DESCENDING"
)

// Sort is the one sort a request may name. HubSpot's spec says a string,
// its docs an object, clients send "-name" for descending: all three are
// accepted ("name" ascending). It marshals as the object form.
type Sort struct {
	PropertyName string    `json:"propertyName"`
	Direction    Direction `json:"direction,omitempty"`
}

// UnmarshalJSON accepts "name", "-name" or {propertyName, direction}.
func (s *Sort) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = Sort{PropertyName: v, Direction: Ascending}
		if name, ok := strings.CutPrefix(v, "-"); ok {
			*s = Sort{PropertyName: name, Direction: Descending}
		}
		return nil
	}
	// The object form is decoded strictly: an unknown key in a sort is as
	// wrong as one anywhere else in the body.
	type plain Sort
	var v plain
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&v); err != nil {
		return err
	}
	*s = Sort(v)
	return nil
}

// descending reports whether s sorts high to low; an empty direction is
// ascending.
func (s Sort) descending() bool { return s.Direction == Descending }
