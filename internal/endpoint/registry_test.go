package endpoint

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/apierr"
)

func TestEndpointRefusesAnOperationWithoutHandler(t *testing.T) {
	reg := NewRegistry()
	reg.Handle("limits-read-all", func(*Call) (Reply, error) { return NoContent, nil })
	if _, err := reg.Endpoint(operation(t, "2026-03", "limits-read-all"), Deps{}); err != nil {
		t.Errorf("registered operation: %v", err)
	}
	op := operation(t, "2026-03", "labels-delete")
	_, err := reg.Endpoint(op, Deps{})
	if err == nil || !strings.Contains(err.Error(), "labels-delete") || !strings.Contains(err.Error(), op.Path) {
		t.Errorf("got %v, want an error naming labels-delete and its path", err)
	}
}

func TestRegistryPanicsOnMisuse(t *testing.T) {
	noop := func(*Call) (Reply, error) { return NoContent, nil }
	res := Resolver{Resolve: func(*Call, string) (any, *apierr.Detail) { return nil, nil }}
	tests := []struct {
		name string
		do   func(r *Registry)
		want string
	}{
		{"Handle twice", func(r *Registry) { r.Handle("op", noop); r.Handle("op", noop) }, "operation op registered twice"},
		{"HandleBody after Handle", func(r *Registry) {
			r.Handle("op", noop)
			HandleBody(r, "op", func(*Call, *struct{}) (Reply, error) { return NoContent, nil })
		}, "operation op registered twice"},
		{"Resolve twice", func(r *Registry) { r.Resolve("objectId", res); r.Resolve("objectId", res) }, "resolver for objectId registered twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if v := recover(); v == nil || !strings.Contains(fmt.Sprint(v), tt.want) {
					t.Errorf("panic %v, want %q", v, tt.want)
				}
			}()
			tt.do(NewRegistry())
		})
	}
}

// labelBody is labels-create's body as a handler reads it.
type labelBody struct {
	Label   string  `json:"label"`
	Name    string  `json:"name"`
	Inverse *string `json:"inverseLabel"`
}

// wrongLabelBody cannot hold what labels-create's contract accepts.
type wrongLabelBody struct {
	Label int `json:"label"`
}

func TestHandleBody(t *testing.T) {
	const path = "/crm/associations/2026-03/contacts/companies/labels"
	tests := []struct {
		name   string
		bind   func(reg *Registry, got *any)
		body   string
		status int
		want   string // the bound body, or the 400's message prefix
	}{
		{"binds", func(reg *Registry, got *any) {
			HandleBody(reg, "labels-create", func(_ *Call, b *labelBody) (Reply, error) { *got = *b; return NoContent, nil })
		}, `{"label":"Billing","name":"billing","inverseLabel":"Billed"}`, 204, "{Billing billing Billed}"},
		{"absent optional field", func(reg *Registry, got *any) {
			HandleBody(reg, "labels-create", func(_ *Call, b *labelBody) (Reply, error) { *got = b.Inverse == nil; return NoContent, nil })
		}, `{"label":"Billing","name":"billing"}`, 204, "true"},
		{"binding fails", func(reg *Registry, got *any) {
			HandleBody(reg, "labels-create", func(_ *Call, b *wrongLabelBody) (Reply, error) { *got = *b; return NoContent, nil })
		}, `{"label":"Billing","name":"billing"}`, 400, "Invalid input JSON: "},
		{"contract refuses before binding", func(reg *Registry, got *any) {
			HandleBody(reg, "labels-create", func(_ *Call, b *labelBody) (Reply, error) { *got = *b; return NoContent, nil })
		}, `{"label":"Billing"}`, 400, "Invalid input JSON: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := NewRegistry()
			var got any
			tt.bind(reg, &got)
			e := newEnv(t, reg, "labels-create")
			a := e.send(http.MethodPost, path, tt.body)
			if a.status != tt.status {
				t.Fatalf("got %d %s, want %d", a.status, a.body, tt.status)
			}
			if tt.status == 400 {
				if body := a.errorBody(t); body.Category != apierr.CategoryValidation || !strings.HasPrefix(body.Message, tt.want) {
					t.Errorf("400 %s", a.body)
				}
				if got != nil {
					t.Errorf("the handler ran with %v", got)
				}
				return
			}
			if s := fmt.Sprint(derefs(got)); s != tt.want {
				t.Errorf("bound %s, want %s", s, tt.want)
			}
		})
	}
}

// derefs prints optional fields by value.
func derefs(v any) any {
	if b, ok := v.(labelBody); ok && b.Inverse != nil {
		return struct{ Label, Name, Inverse string }{b.Label, b.Name, *b.Inverse}
	}
	return v
}
