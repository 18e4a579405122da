package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// HubSpot's error codes for property values (the "error" of each item in a
// "Property values were not valid" list and errors[].code).
const (
	CodeInvalidInteger      = "INVALID_INTEGER"
	CodeInvalidBoolean      = "INVALID_BOOLEAN"
	CodeInvalidDate         = "INVALID_DATE"
	CodeInvalidDateTime     = "INVALID_DATETIME"
	CodeInvalidOption       = "INVALID_OPTION"
	CodeInvalidEmail        = "INVALID_EMAIL"
	CodeReadOnlyValue       = "READ_ONLY_VALUE"
	CodePropertyDoesntExist = "PROPERTY_DOESNT_EXIST"
)

// ValueError is one rejected property value: Name is the property, Value the
// value as received (after DecodeValue), Code one of the Code constants and
// Message HubSpot's text for it. Functions return it as *ValueError so that
// callers can build HubSpot's error list; do not store a nil *ValueError in
// an error variable.
type ValueError struct {
	Name    string
	Value   string
	Code    string
	Message string
}

func (e *ValueError) Error() string { return e.Name + ": " + e.Message }

func valueError(p, v, code, format string, args ...any) *ValueError {
	return &ValueError{Name: p, Value: v, Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrNotScalar is returned by DecodeValue and ValueText for a property value
// that is an object or an array.
var ErrNotScalar = errors.New("property value must be a string, number, boolean or null")

// DecodeValue turns a property value as it appears in a request body into
// the text HubSpot works with. Clients send numbers and booleans where the
// contract says string (HubSpot's own docs examples do), so a JSON number
// becomes its literal text ("1e3" stays "1e3" and is then judged by the
// property's type, as HubSpot judges 1.4e-14), true/false become "true" and
// "false", and null becomes "" (clearing the value).
func DecodeValue(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", errors.New("empty property value")
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		return s, nil
	case '{', '[':
		return "", ErrNotScalar
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	if dec.More() {
		return "", errors.New("trailing data after property value")
	}
	return ValueText(v)
}

// ValueText is DecodeValue for a value already decoded by encoding/json
// (string, json.Number, float64, bool or nil). A float64 is written without
// an exponent, the closest to what the client sent that is still available.
func ValueText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", fmt.Errorf("property value %v is not a JSON number", v)
		}
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(v), nil
	default:
		return "", ErrNotScalar
	}
}

// NormalizeInput checks one value a client writes and returns the form to
// store: PROPERTY_DOESNT_EXIST for a name outside the catalog, READ_ONLY_VALUE
// for a HubSpot-maintained property, then the type rules of Normalize. An
// empty string clears the value and is accepted for every writable property.
func (t *ObjectType) NormalizeInput(name, value string) (string, *ValueError) {
	p, ok := t.byName[name]
	if !ok {
		return "", valueError(name, value, CodePropertyDoesntExist, "Property %q does not exist", name)
	}
	if p.ReadOnlyValue {
		return "", valueError(name, value, CodeReadOnlyValue, "%s is a read only property; its value cannot be set.", name)
	}
	return t.normalizeValue(p, value)
}

// Normalize checks value against the property's type and returns the stored
// form, ignoring whether the property is read-only (the store uses it for
// values HubSpot itself sets). Stored forms: numbers as sent
// (-?digits[.digits]), booleans "true"/"false", dates "YYYY-MM-DD", datetimes
// ISO 8601 UTC with milliseconds, everything else as sent. Normalising a
// stored form returns it unchanged.
func (t *ObjectType) Normalize(name, value string) (string, *ValueError) {
	p, ok := t.byName[name]
	if !ok {
		return "", valueError(name, value, CodePropertyDoesntExist, "Property %q does not exist", name)
	}
	return t.normalizeValue(p, value)
}

func (t *ObjectType) normalizeValue(p *Property, v string) (string, *ValueError) {
	if v == "" {
		return "", nil
	}
	switch p.Type {
	case TypeNumber:
		if !isDecimal(v) {
			return "", valueError(p.Name, v, CodeInvalidInteger, "%s was not a valid number.", v)
		}
		return v, nil
	case TypeBool:
		switch strings.ToLower(v) {
		case "true":
			return "true", nil
		case "false":
			return "false", nil
		}
		return "", valueError(p.Name, v, CodeInvalidBoolean, "%s was not a valid boolean.", v)
	case TypeDate:
		return normalizeDate(p.Name, v)
	case TypeDateTime:
		ts, ok := parseTime(v)
		if !ok {
			return "", valueError(p.Name, v, CodeInvalidDateTime, "%s was not a valid datetime.", v)
		}
		return ts.Format(DateTimeLayout), nil
	case TypeEnumeration:
		return t.normalizeEnumeration(p, v)
	}
	// string and phone_number hold free text.
	if p.Format == FormatEmail && !isEmail(v) {
		return "", valueError(p.Name, v, CodeInvalidEmail, "Email address %s is invalid", v)
	}
	return v, nil
}

func (t *ObjectType) normalizeEnumeration(p *Property, v string) (string, *ValueError) {
	parts := []string{v}
	if p.MultiValued() {
		parts = strings.Split(v, ";")
	}
	for _, part := range parts {
		if err := t.checkOption(p, part, v); err != nil {
			return "", err
		}
	}
	return v, nil
}

func (t *ObjectType) checkOption(p *Property, part, whole string) *ValueError {
	if !p.ExternalOptions {
		if p.optionValues[part] {
			return nil
		}
		return valueError(p.Name, whole, CodeInvalidOption, "%s was not one of the allowed options: %s", part, p.valuesList)
	}
	switch p.ReferencedObjectType {
	case RefPipeline:
		if _, ok := t.pipelineByID[part]; ok {
			return nil
		}
		return valueError(p.Name, whole, CodeInvalidOption, "%s was not one of the allowed options: %s", part, t.pipelineList())
	case RefPipelineStage:
		if _, ok := t.stageOwner[part]; ok {
			return nil
		}
		return valueError(p.Name, whole, CodeInvalidOption, "%s was not one of the allowed options: %s", part, t.allStagesList())
	case RefOwner:
		if isDigits(part) {
			return nil
		}
		return valueError(p.Name, whole, CodeInvalidOption, "%s was not a valid owner id.", part)
	}
	if p.Format == FormatEmailList && !isEmail(part) {
		return valueError(p.Name, whole, CodeInvalidEmail, "Email address %s is invalid", part)
	}
	if part == "" {
		return valueError(p.Name, whole, CodeInvalidOption, "%s was not one of the allowed options: []", part)
	}
	return nil
}

// NormalizeWrite checks every value of one create (current nil) or update
// (current = the record's stored values) and returns the values to store.
// Errors come sorted by property name, one per bad property; on any error
// the returned map is nil. For types with pipelines it also checks that the
// resulting stage belongs to the resulting pipeline, and when a stage is set
// on a record without a pipeline it adds the stage's pipeline, as HubSpot
// fills in the pipeline for a stage.
func (t *ObjectType) NormalizeWrite(current, props map[string]string) (map[string]string, []*ValueError) {
	out := make(map[string]string, len(props))
	var errs []*ValueError
	for name, v := range props {
		norm, err := t.NormalizeInput(name, v)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out[name] = norm
	}
	if len(errs) == 0 {
		if err := t.checkPipelineWrite(current, out); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		sort.Slice(errs, func(i, j int) bool { return errs[i].Name < errs[j].Name })
		return nil, errs
	}
	return out, nil
}

func (t *ObjectType) checkPipelineWrite(current, out map[string]string) *ValueError {
	if t.PipelineProperty == "" {
		return nil
	}
	newPipe, pipeSet := out[t.PipelineProperty]
	newStage, stageSet := out[t.StageProperty]
	if !pipeSet && !stageSet {
		return nil
	}
	pipe, stage := current[t.PipelineProperty], current[t.StageProperty]
	if pipeSet {
		pipe = newPipe
	}
	if stageSet {
		stage = newStage
	}
	if stage == "" {
		return nil
	}
	if pipe == "" {
		// A stage kept from the record but no longer in the catalog has no
		// pipeline to fill in; the write does not touch it, so let it be.
		if owner, ok := t.stageOwner[stage]; ok {
			out[t.PipelineProperty] = owner.ID
		}
		return nil
	}
	return t.CheckStage(pipe, stage)
}

// DateTimeLayout is the stored form of datetime values (and of createdAt,
// updatedAt): UTC, milliseconds, Z.
const DateTimeLayout = "2006-01-02T15:04:05.000Z"

// DateLayout is the stored form of date values.
const DateLayout = "2006-01-02"

// normalizeDate accepts what a datetime accepts, provided it falls on UTC
// midnight: HubSpot keeps dates as midnight timestamps and says where a
// value is instead when it is not.
func normalizeDate(name, v string) (string, *ValueError) {
	ts, ok := parseTime(v)
	if !ok {
		return "", valueError(name, v, CodeInvalidDate, "%s was not a valid date.", v)
	}
	if h, m, s := ts.Clock(); h != 0 || m != 0 || s != 0 || ts.Nanosecond() != 0 {
		return "", valueError(name, v, CodeInvalidDate, "%s is at %d:%d:%d.%d UTC, not midnight!", v, h, m, s, ts.Nanosecond()/int(time.Millisecond))
	}
	return ts.Format(DateLayout), nil
}

// parseTime reads the time spellings HubSpot accepts: epoch milliseconds,
// ISO 8601 with a zone (RFC 3339), or a bare date (UTC midnight). The result
// is UTC, truncated to milliseconds, and limited to years 0000-9999 so that
// its stored form parses back to itself.
func parseTime(v string) (time.Time, bool) {
	var ts time.Time
	switch {
	case isInteger(v):
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		ts = time.UnixMilli(ms)
	case len(v) == len(DateLayout):
		d, err := time.Parse(DateLayout, v)
		if err != nil {
			return time.Time{}, false
		}
		ts = d
	default:
		d, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return time.Time{}, false
		}
		ts = d
	}
	ts = ts.UTC().Truncate(time.Millisecond)
	if y := ts.Year(); y < 0 || y > 9999 {
		return time.Time{}, false
	}
	return ts, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isInteger(s string) bool {
	return isDigits(strings.TrimPrefix(s, "-"))
}

// isDecimal accepts -?digits[.digits]: HubSpot rejects exponents (it
// answered INVALID_INTEGER to 1.4210854715202004e-14), and since April 2025
// surrounding spaces in non-string values.
func isDecimal(s string) bool {
	whole, frac, hasFrac := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	return isDigits(whole) && (!hasFrac || isDigits(frac))
}

// isEmail is a deliberately plain check: one @, a non-empty local part
// without spaces, and a domain of at least two dot-separated labels of
// letters, digits and hyphens.
func isEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.ContainsAny(local, " \t\r\n\"<>()[],;:\\") || strings.Contains(domain, "@") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	for i := 0; i < len(local); i++ {
		if local[i] < 0x21 || local[i] > 0x7e {
			return false
		}
	}
	return true
}
