package store

import (
	"errors"
	"fmt"
)

// ErrorKind says what class of failure a store error is. The error package
// that writes answers turns each kind into HubSpot's status and category; the
// store itself knows nothing of the wire.
type ErrorKind int

// The kinds of store errors.
const (
	// KindInvalid is input that breaks a rule (HubSpot's 400
	// VALIDATION_ERROR).
	KindInvalid ErrorKind = iota + 1
	// KindNotFound names something that does not exist (404
	// OBJECT_NOT_FOUND).
	KindNotFound
	// KindConflict collides with something that exists (409 CONFLICT).
	KindConflict
	// KindInternal is a failure of our own (500 INTERNAL_ERROR).
	KindInternal
)

func (k ErrorKind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindNotFound:
		return "not found"
	case KindConflict:
		return "conflict"
	case KindInternal:
		return "internal"
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// Detail is one entry of an error's list of problems: what was wrong and
// where (a field name, or inputs[i] for a batch input).
type Detail struct {
	Message string
	In      string
	Context map[string][]string
}

// Error is a business-rule failure of a store operation.
type Error struct {
	Kind    ErrorKind
	Message string
	Details []Detail
	// Context is what HubSpot reports beside the message, at the top of
	// the error ({"INVALID_OBJECT_IDS": [...]} for associations).
	Context map[string][]string
}

func (e *Error) Error() string { return e.Kind.String() + ": " + e.Message }

// InputError is the failure of one input of a batch. Context is what HubSpot
// reports beside it ({"typeId": ["279"]} for limits).
type InputError struct {
	Index   int
	Kind    ErrorKind
	Message string
	Context map[string][]string
}

func invalid(message string, details ...Detail) *Error {
	return &Error{Kind: KindInvalid, Message: message, Details: details}
}

func notFound(message string) *Error { return &Error{Kind: KindNotFound, Message: message} }

func conflict(message string) *Error { return &Error{Kind: KindConflict, Message: message} }

// Message returns the text of err without its kind, for start-up messages.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
