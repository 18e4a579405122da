package crmobjects

import (
	"bytes"
	"encoding/json"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
)

// msgInvalidValues starts HubSpot's answer to rejected property values; a
// JSON list of the rejected values follows (HUBSPOT-RECORDS.md §2.9).
const msgInvalidValues = "Property values were not valid: "

// invalidValue is one item of the list inside that message, in HubSpot's
// key order.
type invalidValue struct {
	IsValid               bool   `json:"isValid"`
	Message               string `json:"message"`
	Error                 string `json:"error"`
	Name                  string `json:"name"`
	LocalizedErrorMessage string `json:"localizedErrorMessage"`
	PortalID              int64  `json:"portalId"`
}

// checkWrite turns a body's values into text and checks them against the
// type (current is the record's values for an update, nil for a create). It
// returns the values to store, or HubSpot's 400 listing every bad one.
func (o objects) checkWrite(c *endpoint.Call, t *schema.ObjectType, current map[string]string, in *input) (map[string]string, error) {
	props := make(map[string]string, len(in.Properties))
	for name, v := range in.Properties {
		text, err := schema.ValueText(v)
		if err != nil {
			// The contract admits only strings, numbers, booleans and null.
			return nil, apierr.Validation("Invalid input JSON: properties." + name + ": " + err.Error())
		}
		props[name] = text
	}
	out, errs := t.NormalizeWrite(current, props)
	if len(errs) == 0 {
		return out, nil
	}
	items := make([]invalidValue, 0, len(errs))
	details := make([]apierr.Detail, 0, len(errs))
	for _, e := range errs {
		items = append(items, invalidValue{Message: e.Message, Error: e.Code, Name: e.Name, LocalizedErrorMessage: e.Message, PortalID: c.PortalID})
		details = append(details, apierr.Detail{Message: e.Message, Code: e.Code, Context: map[string][]string{"propertyName": {e.Name}}})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// HubSpot's message quotes values as sent: no \u003c for '<'.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(items); err != nil {
		return nil, err
	}
	return nil, apierr.Validation(msgInvalidValues+string(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), details...)
}
