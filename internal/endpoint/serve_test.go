package endpoint

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
)

// resolverLog registers resolvers for labels-delete's path parameters that
// record their calls: the object types resolve while routing and fail on
// "bad"; associationTypeId resolves after validation and fails below 1.
type resolverLog struct{ calls []string }

func (l *resolverLog) register(reg *Registry) {
	for _, name := range []string{"fromObjectType", "toObjectType"} {
		reg.Resolve(name, Resolver{Routing: true, Resolve: func(_ *Call, raw string) (any, *apierr.Detail) {
			l.calls = append(l.calls, name+"="+raw)
			if strings.HasPrefix(raw, "bad") {
				return nil, &apierr.Detail{Message: "Unable to infer object type from: " + raw, In: name}
			}
			return strings.ToUpper(raw), nil
		}})
	}
	reg.Resolve("associationTypeId", Resolver{Resolve: func(_ *Call, raw string) (any, *apierr.Detail) {
		l.calls = append(l.calls, "associationTypeId="+raw)
		n, _ := strconv.Atoi(raw)
		if n < 1 {
			return nil, &apierr.Detail{Message: "No label " + raw, In: "associationTypeId"}
		}
		return n, nil
	}})
}

func TestResolvers(t *testing.T) {
	tests := []struct {
		name    string
		from    string
		to      string
		id      string
		status  int
		message string
		in      []string
		calls   []string
	}{
		{"every routing failure listed, before validation", "bad1", "bad2", "x", 400,
			"Unable to infer object type from: bad1", []string{"fromObjectType", "toObjectType"},
			[]string{"fromObjectType=bad1", "toObjectType=bad2"}},
		{"one routing failure", "contacts", "bad2", "x", 400,
			"Unable to infer object type from: bad2", []string{"toObjectType"},
			[]string{"fromObjectType=contacts", "toObjectType=bad2"}},
		{"validation before the other resolvers", "contacts", "companies", "x", 400,
			"", []string{"associationTypeId"},
			[]string{"fromObjectType=contacts", "toObjectType=companies"}},
		{"non-routing failure", "contacts", "companies", "-4", 400,
			"No label -4", []string{"associationTypeId"},
			[]string{"fromObjectType=contacts", "toObjectType=companies", "associationTypeId=-4"}},
		{"all resolve", "contacts", "companies", "7", 200, "", nil,
			[]string{"fromObjectType=contacts", "toObjectType=companies", "associationTypeId=7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := NewRegistry()
			var log resolverLog
			log.register(reg)
			var seen string
			reg.Handle("labels-delete", func(c *Call) (Reply, error) {
				seen = fmt.Sprint(Value[string](c, "fromObjectType"), " ", Value[string](c, "toObjectType"), " ",
					Value[int](c, "associationTypeId"), " ", c.Param("toObjectType"))
				return Reply{Status: http.StatusOK, Body: seen}, nil
			})
			e := newEnv(t, reg, "labels-delete")
			a := e.send(http.MethodDelete, "/crm/associations/2026-03/"+tt.from+"/"+tt.to+"/labels/"+tt.id, "")
			if a.status != tt.status {
				t.Fatalf("got %d %s, want %d", a.status, a.body, tt.status)
			}
			if !slices.Equal(log.calls, tt.calls) {
				t.Errorf("resolvers ran %v, want %v", log.calls, tt.calls)
			}
			if tt.status == 200 {
				if seen != "CONTACTS COMPANIES 7 companies" {
					t.Errorf("handler saw %q", seen)
				}
				return
			}
			body := a.errorBody(t)
			var in []string
			for _, d := range body.Errors {
				in = append(in, d.In)
			}
			if body.Category != apierr.CategoryValidation || !slices.Equal(in, tt.in) || tt.message != "" && body.Message != tt.message {
				t.Errorf("400 %s", a.body)
			}
			if tt.message == "" && (len(body.Errors) != 1 || body.Errors[0].Code != "INVALID_PARAMETER") {
				t.Errorf("not a parameter validation error: %s", a.body)
			}
			if seen != "" {
				t.Error("the handler ran")
			}
		})
	}
}

func TestValueOfTheWrongTypeIsA500(t *testing.T) {
	reg := NewRegistry()
	var log resolverLog
	log.register(reg)
	reg.Handle("labels-delete", func(c *Call) (Reply, error) {
		_ = Value[int64](c, "associationTypeId") // resolved as an int
		return NoContent, nil
	})
	e := newEnv(t, reg, "labels-delete")
	a := e.send(http.MethodDelete, "/crm/associations/2026-03/contacts/companies/labels/7", "")
	if body := a.errorBody(t); a.status != 500 || body.Category != apierr.CategoryInternal || body.Message != apierr.MsgInternal {
		t.Errorf("got %d %s", a.status, a.body)
	}
}

func TestPortalIsCreatedOnlyForCallsThatReachTheirHandler(t *testing.T) {
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		status int
	}{
		{"refused while routing", http.MethodDelete, "/crm/associations/2026-03/bad/companies/labels/7", "", 400},
		{"refused by validation", http.MethodDelete, "/crm/associations/2026-03/contacts/companies/labels/x", "", 400},
		{"refused by a resolver", http.MethodDelete, "/crm/associations/2026-03/contacts/companies/labels/0", "", 400},
		{"refused body", http.MethodPost, "/crm/associations/2026-03/contacts/companies/labels", `{"label":1}`, 400},
		{"handler that does not touch it", http.MethodDelete, "/crm/associations/2026-03/contacts/companies/labels/7", "", 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := NewRegistry()
			var log resolverLog
			log.register(reg)
			reg.Handle("labels-delete", func(*Call) (Reply, error) { return NoContent, nil })
			HandleBody(reg, "labels-create", func(*Call, *labelBody) (Reply, error) { return NoContent, nil })
			e := newEnv(t, reg, "labels-delete", "labels-create")
			if a := e.send(tt.method, tt.path, tt.body); a.status != tt.status {
				t.Fatalf("got %d %s, want %d", a.status, a.body, tt.status)
			}
			want := []int64{}
			if tt.status < 300 {
				want = []int64{portalID}
			}
			if got := e.store.PortalIDs(); !slices.Equal(got, want) {
				t.Errorf("portals %v, want %v", got, want)
			}
		})
	}
}

func TestHandlerErrors(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		status   int
		category string
		message  string
		logged   bool
	}{
		{"shaped", apierr.NotFound("no such label"), 404, apierr.CategoryObjectNotFound, "no such label", false},
		{"wrapped shaped", fmt.Errorf("delete label: %w", apierr.Conflict("in use")), 409, apierr.CategoryConflict, "in use", false},
		{"plain", errors.New("disk full"), 500, apierr.CategoryInternal, apierr.MsgInternal, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := NewRegistry()
			reg.Handle("limits-read-all", func(*Call) (Reply, error) { return Reply{}, tt.err })
			e := newEnv(t, reg, "limits-read-all")
			a := e.send(http.MethodGet, "/crm/associations/2026-03/definitions/configurations/all", "")
			if body := a.errorBody(t); a.status != tt.status || body.Category != tt.category || body.Message != tt.message {
				t.Errorf("got %d %s", a.status, a.body)
			}
			if strings.Contains(a.body, "disk full") {
				t.Error("an internal error's text reached the client")
			}
			if logged := strings.Contains(e.logs.String(), "request failed"); logged != tt.logged {
				t.Errorf("logged %v: %s", logged, e.logs)
			}
		})
	}
}

func TestWriteJSON(t *testing.T) {
	tests := []struct {
		name   string
		reply  Reply
		body   string
		header bool
	}{
		{"no body", NoContent, "", false},
		{"no body, other status", Reply{Status: http.StatusAccepted}, "", false},
		{"body", Reply{Status: http.StatusCreated, Body: Results{Results: EmptyResults}}, `{"results":[]}`, true},
		{"raw body", Reply{Status: http.StatusOK, Body: map[string]int{"a": 1}}, `{"a":1}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			WriteJSON(rec, tt.reply)
			if rec.Code != tt.reply.Status || rec.Body.String() != tt.body {
				t.Errorf("got %d %q, want %d %q", rec.Code, rec.Body, tt.reply.Status, tt.body)
			}
			ct, cl := rec.Header().Get("Content-Type"), rec.Header().Get("Content-Length")
			if !tt.header {
				if ct != "" || cl != "" {
					t.Errorf("headers without a body: %v", rec.Header())
				}
				return
			}
			if ct != "application/json;charset=utf-8" || cl != strconv.Itoa(len(tt.body)) {
				t.Errorf("content type %q, length %q", ct, cl)
			}
		})
	}
}

func TestWriteJSONPanicsOnAnUnencodableBody(t *testing.T) {
	defer func() {
		if v := recover(); v == nil || !strings.Contains(fmt.Sprint(v), "encode response") {
			t.Errorf("panic %v", v)
		}
	}()
	WriteJSON(httptest.NewRecorder(), Reply{Status: 200, Body: make(chan int)})
}

func TestCallCarriesTheRequest(t *testing.T) {
	reg := NewRegistry()
	var c *Call
	var settledFirst bool
	var e *env
	HandleBody(reg, "labels-create", func(call *Call, _ *labelBody) (Reply, error) {
		c, settledFirst = call, slices.Equal(e.settled, []int64{portalID})
		return NoContent, nil
	})
	e = newEnv(t, reg, "labels-create")
	body := `{"label":"Billing","name":"billing"}`
	if a := e.send(http.MethodPost, "/crm/associations/2026-03/contacts/companies/labels?x=1", body); a.status != 204 {
		t.Fatalf("got %d %s", a.status, a.body)
	}
	if !settledFirst {
		t.Errorf("the portal was not settled before the handler: %v", e.settled)
	}
	if c.PortalID != portalID || c.Op.ID != "labels-create" || c.Fault != nil || c.Query().Get("x") != "1" || c.Param("fromObjectType") != "contacts" {
		t.Errorf("call %+v", c)
	}
	if !c.RequestedAt.Equal(start) || !c.StartedAt.Equal(start.Add(time.Second)) {
		t.Errorf("requested at %v, started at %v", c.RequestedAt, c.StartedAt)
	}
	if c.Portal() == nil || c.Portal().ID() != portalID {
		t.Errorf("portal %v", c.Portal())
	}
	// The journal records the body as the endpoint read it.
	if string(e.info.Body) != body {
		t.Errorf("info body %q", e.info.Body)
	}
}
