// Package validation checks requests against an operation of our OpenAPI
// documents with kin-openapi and reports every violation the way HubSpot
// does: one 400 VALIDATION_ERROR whose errors array names each field at
// fault. A JSON body is decoded once, here; handlers receive the decoded
// value.
package validation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/openapi"
)

// Validator validates requests for one operation.
type Validator struct {
	op     *openapi.Operation
	route  *routers.Route
	params openapi3.Parameters
	opts   *openapi3filter.Options
	// keys are the property names of the body schema, shared by the parser.
	keys map[string]string
}

// New builds the validator of op. It is built once at start-up.
func New(op *openapi.Operation) *Validator {
	var params openapi3.Parameters
	for _, p := range append(append(openapi3.Parameters{}, op.PathItem.Parameters...), op.Operation.Parameters...) {
		if !unconstrained(p.Value) {
			params = append(params, p)
		}
	}
	opts := &openapi3filter.Options{MultiError: true, SkipSettingDefaults: true, ExcludeRequestBody: true}
	return &Validator{
		op:     op,
		route:  &routers.Route{Spec: op.Document.Spec, Path: op.Path, PathItem: op.PathItem, Method: op.Method, Operation: op.Operation},
		params: params,
		opts:   opts,
		keys:   propertyNames(op.RequestSchema),
	}
}

// propertyNames collects every property name of schema and the schemas
// inside it.
func propertyNames(schema *openapi3.Schema) map[string]string {
	names := map[string]string{}
	seen := map[*openapi3.Schema]bool{}
	var walk func(s *openapi3.Schema)
	walk = func(s *openapi3.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for name, prop := range s.Properties {
			names[name] = name
			walk(prop.Value)
		}
		if s.Items != nil {
			walk(s.Items.Value)
		}
		for _, group := range [][]*openapi3.SchemaRef{s.AllOf, s.AnyOf, s.OneOf} {
			for _, ref := range group {
				walk(ref.Value)
			}
		}
	}
	walk(schema)
	return names
}

// Params validates path, query and header parameters. pathParams holds the
// path parameter values the router matched.
func (v *Validator) Params(ctx context.Context, r *http.Request, pathParams map[string]string) *apierr.Error {
	if len(v.params) == 0 {
		return nil
	}
	input := &openapi3filter.RequestValidationInput{Request: r, PathParams: pathParams, Route: v.route, Options: v.opts}
	var details []apierr.Detail
	for _, ref := range v.params {
		p := ref.Value
		if p == nil {
			continue
		}
		if err := openapi3filter.ValidateParameter(ctx, input, p); err != nil {
			details = append(details, apierr.Detail{
				Message: fmt.Sprintf("Invalid value %q for %s parameter %s: %s", paramValue(r, pathParams, p), p.In, p.Name, paramReason(err)),
				In:      p.Name,
				Code:    "INVALID_PARAMETER",
			})
		}
	}
	if len(details) == 0 {
		return nil
	}
	return apierr.Validation(joinMessages(details), details...)
}

// unconstrained reports whether any value of the parameter is valid (a path
// segment typed as a plain string), so that checking it would only cost time.
func unconstrained(p *openapi3.Parameter) bool {
	if p == nil || p.In != openapi3.ParameterInPath || p.Schema == nil || p.Schema.Value == nil {
		return false
	}
	sc := p.Schema.Value
	return sc.Type.Is(openapi3.TypeString) && sc.Format == "" && sc.Pattern == "" && len(sc.Enum) == 0 &&
		sc.MinLength == 0 && sc.MaxLength == nil && sc.Not == nil && len(sc.AllOf) == 0 && len(sc.AnyOf) == 0 && len(sc.OneOf) == 0
}

func paramValue(r *http.Request, pathParams map[string]string, p *openapi3.Parameter) string {
	switch p.In {
	case openapi3.ParameterInPath:
		return pathParams[p.Name]
	case openapi3.ParameterInQuery:
		return r.URL.Query().Get(p.Name)
	case openapi3.ParameterInHeader:
		return r.Header.Get(p.Name)
	}
	return ""
}

func paramReason(err error) string {
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return schemaReason(se)
	}
	var pe *openapi3filter.ParseError
	if errors.As(err, &pe) {
		if pe.Reason != "" {
			return pe.Reason
		}
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) && re.Reason != "" {
		return re.Reason
	}
	return "invalid value"
}

// HasBody reports whether the operation takes a request body.
func (v *Validator) HasBody() bool { return v.op.RequestSchema != nil }

// Body validates a JSON request body and returns it decoded. contentType is
// the request's Content-Type header. A form body (Operation.Form) decodes to
// a map of its fields, each a string.
func (v *Validator) Body(contentType string, data []byte) (any, *apierr.Error) {
	if v.op.RequestSchema == nil {
		return nil, nil
	}
	if v.op.Form {
		return v.form(contentType, data)
	}
	if !isJSON(contentType) {
		return nil, apierr.UnsupportedMediaType(contentType)
	}
	value, err := decode(data, v.keys)
	if err != nil {
		return nil, err
	}
	if verr := v.op.RequestSchema.VisitJSON(value, openapi3.MultiErrors()); verr != nil {
		details := schemaDetails(verr)
		return nil, apierr.Validation("Invalid input JSON: "+joinMessages(details), details...)
	}
	return value, nil
}

func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// decode parses data as one JSON value. Numbers become float64, which holds
// every int32 exactly and shows fractions, so integer and int32 checks stay
// exact for the fields our documents declare.
func decode(data []byte, keys map[string]string) (any, *apierr.Error) {
	if v, ok := parseJSON(data, keys); ok {
		return v, nil
	}
	var value any
	if err := json.Unmarshal(data, &value); err != nil {
		if len(bytes.TrimSpace(data)) == 0 {
			err = io.EOF
		}
		return nil, syntaxError(data, err, int64(len(data)))
	}
	return value, nil
}

// syntaxError words a decoding failure as HubSpot's Jackson-based parser does:
// "Invalid input JSON on line L, column C: reason".
func syntaxError(data []byte, err error, offset int64) *apierr.Error {
	reason := err.Error()
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// Offset counts the offending byte; point at it.
		offset = max(se.Offset-1, 0)
		reason = se.Error()
	case errors.Is(err, io.EOF):
		reason = "No content to map due to end-of-input"
		offset = int64(len(data))
	case errors.Is(err, io.ErrUnexpectedEOF):
		reason = "Unexpected end-of-input"
		offset = int64(len(data))
	}
	line, col := position(data, offset)
	msg := fmt.Sprintf("Invalid input JSON on line %d, column %d: %s", line, col, reason)
	return apierr.Validation(msg, apierr.Detail{Message: msg, Code: "INVALID_JSON"})
}

func position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	line, col = 1, 1
	for _, b := range data[:offset] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// schemaDetails flattens kin-openapi's error tree into one detail per
// violation; missing required fields of one object are reported together,
// as HubSpot does ("Some required fields were not set: [a, b]").
func schemaDetails(err error) []apierr.Detail {
	var leaves []*openapi3.SchemaError
	collect(err, &leaves)
	missing := map[string][]string{}
	var order []string
	var details []apierr.Detail
	for _, se := range leaves {
		ptr := se.JSONPointer()
		if se.SchemaField == "required" && len(ptr) > 0 {
			parent := fieldPath(ptr[:len(ptr)-1])
			if _, seen := missing[parent]; !seen {
				order = append(order, parent)
			}
			missing[parent] = append(missing[parent], ptr[len(ptr)-1])
			continue
		}
		path := fieldPath(ptr)
		msg := schemaReason(se)
		if path != "" {
			msg = path + ": " + msg
		}
		details = append(details, apierr.Detail{Message: msg, In: path, Code: "INVALID_" + strings.ToUpper(se.SchemaField)})
	}
	var req []apierr.Detail
	for _, parent := range order {
		fields := missing[parent]
		sort.Strings(fields)
		msg := fmt.Sprintf("Some required fields were not set: [%s]", strings.Join(fields, ", "))
		if parent != "" {
			msg = parent + ": " + msg
		}
		req = append(req, apierr.Detail{Message: msg, In: parent, Code: "REQUIRED"})
	}
	return append(req, details...)
}

func collect(err error, out *[]*openapi3.SchemaError) {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			collect(e, out)
		}
		return
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		*out = append(*out, se)
		return
	}
	*out = append(*out, &openapi3.SchemaError{Reason: err.Error()})
}

// schemaReason is kin-openapi's reason with the offending value added where
// it helps (HubSpot names the bad value, e.g. an unknown enum constant).
func schemaReason(se *openapi3.SchemaError) string {
	reason := se.Reason
	if reason == "" {
		reason = "doesn't match the schema (" + se.SchemaField + ")"
	}
	switch se.SchemaField {
	case "enum", "type", "format":
		if b, err := json.Marshal(se.Value); err == nil && len(b) <= 100 {
			reason = fmt.Sprintf("%s (got %s)", reason, b)
		}
	}
	return reason
}

// fieldPath renders a JSON pointer as HubSpot-style field path:
// inputs[0].typeId.
func fieldPath(ptr []string) string {
	var b strings.Builder
	for _, p := range ptr {
		if isIndex(p) {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func joinMessages(details []apierr.Detail) string {
	msgs := make([]string, len(details))
	for i, d := range details {
		msgs[i] = d.Message
	}
	return strings.Join(msgs, "; ")
}

// isForm reports whether contentType is application/x-www-form-urlencoded.
func isForm(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded")
}

// form decodes and validates a form body. A body of another content type
// has no fields, as HubSpot's token endpoint reads a JSON body: it then
// finds no grant_type (BAD_GRANT_TYPE), which is for the handler to say.
func (v *Validator) form(contentType string, data []byte) (any, *apierr.Error) {
	fields := map[string]any{}
	if isForm(contentType) {
		var err error
		if fields, err = DecodeForm(data); err != nil {
			return nil, apierr.Validation("Invalid form body: "+err.Error(), apierr.Detail{Message: err.Error(), In: "body"})
		}
	}
	if verr := v.op.RequestSchema.VisitJSON(fields, openapi3.MultiErrors()); verr != nil {
		details := schemaDetails(verr)
		return nil, apierr.Validation("Invalid form body: "+joinMessages(details), details...)
	}
	return fields, nil
}

// maxFormFields bounds the fields of a form body; url.ParseQuery stops at
// 1000 too, but with a less helpful error.
const maxFormFields = 1000

// DecodeForm decodes an application/x-www-form-urlencoded body into its
// fields, each the string of its first value (HubSpot's token endpoint
// reads one value per name). A malformed escape, a name that is not valid
// UTF-8 or more than 1000 fields is an error naming what was wrong.
func DecodeForm(data []byte) (map[string]any, error) {
	out := map[string]any{}
	s := string(data)
	for n := 0; s != ""; n++ {
		if n == maxFormFields {
			return nil, fmt.Errorf("more than %d fields", maxFormFields)
		}
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		rawKey, rawValue, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(rawKey)
		if err != nil {
			return nil, fmt.Errorf("field %q: malformed escape in its name", apierr.Capped(rawKey, 64))
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			return nil, fmt.Errorf("field %q: malformed escape in its value", apierr.Capped(key, 64))
		}
		if !utf8.ValidString(key) || !utf8.ValidString(value) {
			return nil, fmt.Errorf("field %q is not valid UTF-8", strings.ToValidUTF8(apierr.Capped(key, 64), "\ufffd"))
		}
		if _, seen := out[key]; !seen {
			out[key] = value
		}
	}
	return out, nil
}
