package apierr

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/mockhub/mockhub/internal/store"
)

func TestFromShapesStoreErrorsWrappedOrNot(t *testing.T) {
	invalid := &store.Error{Kind: store.KindInvalid, Message: "bad", Details: []store.Detail{{Message: "bad", In: "inputs[0]", Context: map[string][]string{"typeId": {"1"}}}}}
	tests := []struct {
		name   string
		err    error
		status int
		body   string
	}{
		{"invalid", invalid, 400, `{"status":"error","message":"bad","correlationId":"c","category":"VALIDATION_ERROR","errors":[{"message":"bad","in":"inputs[0]","context":{"typeId":["1"]}}]}`},
		{"wrapped invalid", fmt.Errorf("save portal 1: %w", invalid), 400, `{"status":"error","message":"bad","correlationId":"c","category":"VALIDATION_ERROR","errors":[{"message":"bad","in":"inputs[0]","context":{"typeId":["1"]}}]}`},
		{"not found", &store.Error{Kind: store.KindNotFound, Message: "gone"}, 404, `{"status":"error","message":"gone","correlationId":"c","category":"OBJECT_NOT_FOUND"}`},
		{"wrapped conflict", fmt.Errorf("tx: %w", &store.Error{Kind: store.KindConflict, Message: "taken"}), 409, `{"status":"error","message":"taken","correlationId":"c","category":"CONFLICT"}`},
		{"wrapped apierr", fmt.Errorf("x: %w", NotFound("nope")), 404, `{"status":"error","message":"nope","correlationId":"c","category":"OBJECT_NOT_FOUND"}`},
		{"anything else", errors.New("disk full"), 500, `{"status":"error","message":"internal error","correlationId":"c","category":"INTERNAL_ERROR"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := From(tt.err)
			if e.Status != tt.status || string(e.Body("c")) != tt.body {
				t.Fatalf("From = %d %s\nwant %d %s", e.Status, e.Body("c"), tt.status, tt.body)
			}
			if Known(tt.err) != (tt.status != 500) {
				t.Fatalf("Known = %v", Known(tt.err))
			}
		})
	}
}

func TestFromInputShapesEachKind(t *testing.T) {
	ctx := map[string][]string{"typeId": {"279"}}
	tests := []struct {
		kind store.ErrorKind
		want string
	}{
		{store.KindInvalid, `{"status":"error","category":"VALIDATION_ERROR","message":"m","context":{"typeId":["279"]},"errors":[],"links":{}}`},
		{store.KindNotFound, `{"status":"error","category":"OBJECT_NOT_FOUND","message":"m","context":{"typeId":["279"]},"errors":[],"links":{}}`},
		{store.KindInternal, `{"status":"error","category":"INTERNAL_ERROR","message":"m","context":{"typeId":["279"]},"errors":[],"links":{}}`},
	}
	for _, tt := range tests {
		b, _ := json.Marshal(FromInput(store.InputError{Index: 3, Kind: tt.kind, Message: "m", Context: ctx}))
		if string(b) != tt.want {
			t.Errorf("%v: %s\nwant %s", tt.kind, b, tt.want)
		}
	}
}
