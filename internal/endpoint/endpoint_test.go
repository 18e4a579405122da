package endpoint

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/objecttype"
)

func TestValue(t *testing.T) {
	op := operation(t, "2026-03", "labels-delete")
	c := &Call{Op: op, resolved: []resolvedParam{{"associationTypeId", 7}, {"fromObjectType", objecttype.Type{Name: "contacts"}}}}
	if got := Value[int](c, "associationTypeId"); got != 7 {
		t.Errorf("Value = %d", got)
	}
	if got := Value[objecttype.Type](c, "fromObjectType"); got.Name != "contacts" {
		t.Errorf("Value = %+v", got)
	}
	tests := []struct {
		name string
		get  func()
		want string
	}{
		{"wrong type", func() { Value[string](c, "associationTypeId") }, `path parameter "associationTypeId" of labels-delete is int, not string`},
		{"missing", func() { Value[int](c, "toObjectType") }, `path parameter "toObjectType" of labels-delete is <nil>, not int`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if v := recover(); v == nil || !strings.Contains(fmt.Sprint(v), tt.want) {
					t.Errorf("panic %v, want %q", v, tt.want)
				}
			}()
			tt.get()
		})
	}
}

func TestQuery(t *testing.T) {
	u, _ := url.Parse("/x?limit=5&after=abc&limit=6")
	c := &Call{url: u}
	if got := c.Query()["limit"]; len(got) != 2 || got[0] != "5" || c.Query().Get("after") != "abc" {
		t.Errorf("query %v", c.Query())
	}
}

func TestDecodedParam(t *testing.T) {
	c := &Call{raw: map[string]string{"objectId": "jane%40example.com", "bad": "50%zz", "plain": "123"}}
	for name, want := range map[string]string{"objectId": "jane@example.com", "bad": "50%zz", "plain": "123", "missing": ""} {
		if got := c.DecodedParam(name); got != want {
			t.Errorf("DecodedParam(%q) = %q, want %q", name, got, want)
		}
	}
	if got := c.Param("objectId"); got != "jane%40example.com" {
		t.Errorf("Param = %q, want the value as sent", got)
	}
}
