package apierr

import (
	"errors"
	"reflect"
	"testing"

	"github.com/mockhub/mockhub/internal/store"
)

func TestAsInput(t *testing.T) {
	storeErr := &store.Error{Kind: store.KindInvalid, Message: "One or more associations are invalid", Context: map[string][]string{"objectId": {"1"}}}
	tests := []struct {
		name    string
		err     error
		context map[string][]string
		want    store.InputError
	}{
		{"a store refusal keeps its context, the input's added", storeErr, map[string][]string{"from": {"7"}},
			store.InputError{Kind: store.KindInvalid, Message: "One or more associations are invalid", Context: map[string][]string{"objectId": {"1"}, "from": {"7"}}}},
		{"a not found", NotFound("Object not found"), map[string][]string{"id": {"9"}},
			store.InputError{Kind: store.KindNotFound, Message: "Object not found", Context: map[string][]string{"id": {"9"}}}},
		{"a conflict", Conflict("exists"), nil, store.InputError{Kind: store.KindConflict, Message: "exists"}},
		{"anything else is ours, without its text", errors.New("disk on fire"), map[string][]string{"id": {"3"}},
			store.InputError{Kind: store.KindInternal, Message: MsgInternal, Context: map[string][]string{"id": {"3"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := AsInput(tc.err, tc.context); !reflect.DeepEqual(*got, tc.want) {
				t.Fatalf("got %+v, want %+v", *got, tc.want)
			}
		})
	}
}
