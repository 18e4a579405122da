package endpoint

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/idgen"
	"github.com/mockhub/mockhub/internal/middleware"
	"github.com/mockhub/mockhub/internal/objecttype"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/openapi/openapitest"
	"github.com/mockhub/mockhub/internal/reqctx"
	"github.com/mockhub/mockhub/internal/store"
)

const portalID = 111

// operation returns an operation of the embedded documents.
func operation(t *testing.T, version, id string) *openapi.Operation {
	return openapitest.Operation(t, version, id)
}

// env serves the 2026-03 operations given, with reg's handlers, behind the
// request info and recoverer middleware; every request is portalID's.
type env struct {
	t      *testing.T
	store  *store.Store
	router chi.Router
	logs   *strings.Builder
	clk    *clock.Manual
	// settled lists the portals Deps.Settle was called with.
	settled []int64
	// info is the last request's info, after it was answered.
	info *reqctx.Info
}

// start is when the env's clock starts.
var start = time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC)

func newEnv(t *testing.T, reg *Registry, opIDs ...string) *env {
	t.Helper()
	types, err := objecttype.Default()
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := store.DefaultCatalog(types)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, store: store.New(store.DefaultConfig(), catalog), router: chi.NewRouter(), logs: &strings.Builder{}}
	clk := clock.NewManual(start)
	e.clk = clk
	log := slog.New(slog.NewTextHandler(e.logs, nil))
	settle := func(portal *store.Portal) {
		e.settled = append(e.settled, portal.ID())
		// Settling takes time: the handler starts after it.
		clk.Advance(time.Second)
	}
	deps := Deps{Store: e.store, Clock: clk, Log: log, MaxBodyBytes: 1 << 10, Settle: settle}
	e.router.Use(middleware.RequestInfo(idgen.New(1), clk), middleware.Recoverer(log), func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			e.info = reqctx.From(r.Context())
			e.info.PortalID = portalID
			next.ServeHTTP(w, r)
		})
	})
	for _, id := range opIDs {
		op := operation(t, "2026-03", id)
		h, err := reg.Endpoint(op, deps)
		if err != nil {
			t.Fatal(err)
		}
		e.router.Method(op.Method, op.Path, h)
	}
	return e
}

// answer is a finished exchange.
type answer struct {
	status int
	header http.Header
	body   string
}

// errorBody decodes a HubSpot error answer.
func (a answer) errorBody(t *testing.T) (e struct {
	Category string `json:"category"`
	Message  string `json:"message"`
	Errors   []struct {
		Message string `json:"message"`
		In      string `json:"in"`
		Code    string `json:"code"`
	} `json:"errors"`
}) {
	t.Helper()
	if err := json.Unmarshal([]byte(a.body), &e); err != nil {
		t.Fatalf("answer %d %q: %v", a.status, a.body, err)
	}
	return e
}

func (e *env) send(method, path, body string) answer {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, path, rd)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	e.router.ServeHTTP(rec, r)
	return answer{rec.Code, rec.Header(), rec.Body.String()}
}
