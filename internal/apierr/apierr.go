// Package apierr shapes every error mockhub answers with. HubSpot's error body
// is one JSON object with status "error", a message, a correlation id and a
// category; batch operations report per-input failures with a slightly
// different object (BatchError). No other package writes error JSON.
package apierr

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mockhub/mockhub/internal/reqctx"
	"github.com/mockhub/mockhub/internal/store"
)

// Categories HubSpot uses in error bodies.
const (
	CategoryValidation            = "VALIDATION_ERROR"
	CategoryObjectNotFound        = "OBJECT_NOT_FOUND"
	CategoryConflict              = "CONFLICT"
	CategoryInvalidAuthentication = "INVALID_AUTHENTICATION"
	CategoryExpiredAuthentication = "EXPIRED_AUTHENTICATION"
	CategoryMissingScopes         = "MISSING_SCOPES"
	CategoryRateLimits            = "RATE_LIMITS"
	CategoryLocked                = "LOCKED"
	CategoryMigrationInProgress   = "MIGRATION_IN_PROGRESS"
	CategoryInternal              = "INTERNAL_ERROR"
	CategoryServiceUnavailable    = "SERVICE_UNAVAILABLE"
	CategoryBadGateway            = "BAD_GATEWAY"
	CategoryGatewayTimeout        = "GATEWAY_TIMEOUT"
)

// Messages that tests assert exactly.
const (
	MsgAuthMissing = "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
	MsgNotFound    = "Resource not found"
	MsgInternal    = "internal error"
)

// Detail is one entry of an error's errors array: what was wrong and where.
type Detail struct {
	Message     string              `json:"message"`
	In          string              `json:"in,omitempty"`
	Code        string              `json:"code,omitempty"`
	SubCategory string              `json:"subCategory,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
}

// Error is a HubSpot error answer. Status is the HTTP status; Header holds
// extra response headers (Retry-After, x-hubspot-auth-failure).
type Error struct {
	Status      int
	Category    string
	SubCategory string
	Message     string
	Context     map[string][]string
	Links       map[string]string
	Errors      []Detail
	Header      http.Header

	// Rate-limit answers carry these instead of the usual extras.
	ErrorType  string
	PolicyName string
	GroupName  string

	// OAuth answers (see OAuth) carry HubSpot's OAuth status in place of
	// "error" and RFC 6749's error code.
	OAuthStatus string
	OAuthError  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Category, e.Message)
}

// body is the wire form of Error.
type body struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	CorrelationID string              `json:"correlationId"`
	Category      string              `json:"category"`
	SubCategory   string              `json:"subCategory,omitempty"`
	Errors        []Detail            `json:"errors,omitempty"`
	Context       map[string][]string `json:"context,omitempty"`
	Links         map[string]string   `json:"links,omitempty"`
	ErrorType     string              `json:"errorType,omitempty"`
	PolicyName    string              `json:"policyName,omitempty"`
	GroupName     string              `json:"groupName,omitempty"`
	RequestID     string              `json:"requestId,omitempty"`
	// RFC 6749's fields, on OAuth answers.
	OAuthError       string `json:"error,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// Body returns the JSON body Write would send for e with the given
// correlation id.
func (e *Error) Body(correlationID string) []byte {
	b := body{
		Status:        "error",
		Message:       e.Message,
		CorrelationID: correlationID,
		Category:      e.Category,
		SubCategory:   e.SubCategory,
		Errors:        e.Errors,
		Context:       e.Context,
		Links:         e.Links,
		ErrorType:     e.ErrorType,
		PolicyName:    e.PolicyName,
		GroupName:     e.GroupName,
	}
	if e.ErrorType != "" {
		b.RequestID = correlationID
	}
	if e.OAuthStatus != "" {
		b.Status, b.OAuthError, b.ErrorDescription = e.OAuthStatus, e.OAuthError, e.Message
	}
	out, err := json.Marshal(b)
	if err != nil {
		// Every field is a string, map of strings or slice of Detail: Marshal
		// cannot fail on them.
		panic(err)
	}
	return out
}

// Write sends e as the response, with the request's correlation id.
func Write(w http.ResponseWriter, r *http.Request, e *Error) {
	id := reqctx.From(r.Context()).CorrelationID
	h := w.Header()
	for k, vs := range e.Header {
		h[k] = vs
	}
	h.Set("Content-Type", "application/json;charset=utf-8")
	if id != "" {
		h.Set("X-HubSpot-Correlation-Id", id)
	}
	payload := e.Body(id)
	h.Set("Content-Length", strconv.Itoa(len(payload)))
	w.WriteHeader(e.Status)
	_, _ = w.Write(payload)
}

// From turns any error into an *Error: an *Error or a *store.Error anywhere
// in err's chain is answered as such (a store error with its kind's status
// and category); anything else is an internal error (its text is not leaked
// to the client).
func From(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var se *store.Error
	if errors.As(err, &se) {
		return fromStore(se)
	}
	return Internal()
}

// Known reports whether err carries an answer for the client (From does not
// turn it into an internal error).
func Known(err error) bool {
	var e *Error
	var se *store.Error
	return errors.As(err, &e) || errors.As(err, &se)
}

// fromStore shapes a store error as HubSpot answers its kind.
func fromStore(se *store.Error) *Error {
	var details []Detail
	for _, d := range se.Details {
		details = append(details, Detail{Message: d.Message, In: d.In, Context: d.Context})
	}
	switch se.Kind {
	case store.KindInvalid:
		e := Validation(se.Message, details...)
		e.Context = se.Context
		return e
	case store.KindNotFound:
		e := NotFound(se.Message)
		e.Errors = details
		return e
	case store.KindConflict:
		e := Conflict(se.Message)
		e.Errors = details
		return e
	}
	return Internal()
}

// category is the category HubSpot reports for a store error kind.
func category(k store.ErrorKind) string {
	switch k {
	case store.KindInvalid:
		return CategoryValidation
	case store.KindNotFound:
		return CategoryObjectNotFound
	case store.KindConflict:
		return CategoryConflict
	}
	return CategoryInternal
}

// FromInput shapes the failure of one batch input.
func FromInput(e store.InputError) BatchError {
	return NewBatchError(category(e.Kind), e.Message, e.Context)
}

// AsInput turns the error a single operation would answer into the failure
// of one batch input: its kind from the status, its message (ours for an
// internal error), its context with context's entries added (they name the
// input).
func AsInput(err error, context map[string][]string) *store.InputError {
	e := From(err)
	var kind store.ErrorKind
	switch e.Status {
	case http.StatusBadRequest:
		kind = store.KindInvalid
	case http.StatusNotFound:
		kind = store.KindNotFound
	case http.StatusConflict:
		kind = store.KindConflict
	default:
		return &store.InputError{Kind: store.KindInternal, Message: MsgInternal, Context: context}
	}
	if len(e.Context) == 0 {
		return &store.InputError{Kind: kind, Message: e.Message, Context: context}
	}
	out := make(map[string][]string, len(e.Context)+len(context))
	for k, v := range e.Context {
		out[k] = v
	}
	for k, v := range context {
		out[k] = v
	}
	return &store.InputError{Kind: kind, Message: e.Message, Context: out}
}

// Validation is a 400 VALIDATION_ERROR.
func Validation(message string, details ...Detail) *Error {
	return &Error{Status: http.StatusBadRequest, Category: CategoryValidation, Message: message, Errors: details}
}

// NotFound is a 404 OBJECT_NOT_FOUND.
func NotFound(message string) *Error {
	return &Error{Status: http.StatusNotFound, Category: CategoryObjectNotFound, Message: message}
}

// Conflict is a 409 CONFLICT.
func Conflict(message string) *Error {
	return &Error{Status: http.StatusConflict, Category: CategoryConflict, Message: message}
}

// Unauthenticated is HubSpot's 401 for a request without usable credentials.
func Unauthenticated() *Error {
	return &Error{
		Status:   http.StatusUnauthorized,
		Category: CategoryInvalidAuthentication,
		Message:  MsgAuthMissing,
		Header:   http.Header{"X-Hubspot-Auth-Failure": {"401 Unauthorized"}},
	}
}

// MaxEchoedPath is how many bytes of a request's path (or method) an error
// echoes; a longer one is cut there and ends with "…", so that the answer
// to a huge path stays small.
const MaxEchoedPath = 1024

// Capped returns s cut to at most limit bytes, on a character boundary,
// followed by "…" when it was cut.
func Capped(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// RouteNotFound answers a path no operation serves.
func RouteNotFound(method, path string) *Error {
	return &Error{
		Status:   http.StatusNotFound,
		Category: CategoryObjectNotFound,
		Message:  MsgNotFound,
		Context:  map[string][]string{"method": {Capped(method, MaxEchoedPath)}, "path": {Capped(path, MaxEchoedPath)}},
	}
}

// MethodNotAllowed answers a known path called with the wrong method. Allow
// is one header listing the methods, as RFC 9110 writes it.
func MethodNotAllowed(method, path string, allowed []string) *Error {
	return &Error{
		Status:   http.StatusMethodNotAllowed,
		Category: CategoryValidation,
		Message:  fmt.Sprintf("HTTP method %s is not supported by this resource: %s", Capped(method, MaxEchoedPath), Capped(path, MaxEchoedPath)),
		Header:   http.Header{"Allow": {strings.Join(allowed, ",")}},
	}
}

// UnsupportedMediaType answers a body that is not JSON.
func UnsupportedMediaType(got string) *Error {
	if got == "" {
		got = "none"
	}
	return &Error{
		Status:   http.StatusUnsupportedMediaType,
		Category: CategoryValidation,
		Message:  fmt.Sprintf("Content type '%s' not supported; send application/json", got),
	}
}

// TooLarge answers a body over the size limit.
func TooLarge(limit int64) *Error {
	return &Error{
		Status:   http.StatusRequestEntityTooLarge,
		Category: CategoryValidation,
		Message:  fmt.Sprintf("Request body is larger than the limit of %d bytes", limit),
	}
}

// OAuth is an answer of HubSpot's OAuth endpoints: status is HubSpot's
// OAuth status (BAD_AUTH_CODE, BAD_REFRESH_TOKEN...), rfcError RFC 6749's
// error code (invalid_grant...), both sent beside the message, which is
// also the error_description.
func OAuth(httpStatus int, status, rfcError, message string) *Error {
	return &Error{Status: httpStatus, Category: CategoryValidation, Message: message, OAuthStatus: status, OAuthError: rfcError}
}

// Internal is HubSpot's bare 500.
func Internal() *Error {
	return &Error{Status: http.StatusInternalServerError, Category: CategoryInternal, Message: MsgInternal}
}

// BatchError is one failed input of a batch (HubSpot's StandardError). Every
// field but SubCategory and ID is always present on the wire.
type BatchError struct {
	Status      string              `json:"status"`
	Category    string              `json:"category"`
	Message     string              `json:"message"`
	Context     map[string][]string `json:"context"`
	Errors      []Detail            `json:"errors"`
	Links       map[string]string   `json:"links"`
	ID          string              `json:"id,omitempty"`
	SubCategory map[string]any      `json:"subCategory,omitempty"`
}

// NewBatchError returns a BatchError with the fields HubSpot always sends.
func NewBatchError(category, message string, context map[string][]string) BatchError {
	if context == nil {
		context = map[string][]string{}
	}
	return BatchError{
		Status:   "error",
		Category: category,
		Message:  message,
		Context:  context,
		Errors:   []Detail{},
		Links:    map[string]string{},
	}
}
