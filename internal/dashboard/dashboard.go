// Package dashboard is mockhub's web view of its state: portals and their
// records, associations and limits, the request journal (live), fault
// rules, the clock. Pages are rendered on the server with html/template,
// which escapes every value a client stored; the stylesheet and the little
// script are embedded, so the dashboard makes no request elsewhere.
//
// It reads and writes only through the services the admin API uses (the
// store's portal views, the journal, the fault rules, reset), handed to it
// in Deps: it holds no state of its own and has no second path to state.
package dashboard

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/journal"
	"github.com/mockhub/mockhub/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps are the services the dashboard reads and writes through: the same
// ones the admin API uses.
type Deps struct {
	// Base is the path the dashboard is mounted at, without a trailing
	// slash ("/_mockhub/ui").
	Base    string
	Store   *store.Store
	Schema  *schema.Catalog
	Journal *journal.Journal
	Faults  *faults.Set
	// Reset and ResetPortal are the admin API's resets.
	Reset       func() error
	ResetPortal func(id int64) error
	// Fingerprints lists the fingerprints of the tokens a portal has seen.
	Fingerprints func(portal int64) []string
	// Settle applies a portal's deferred batches that are due, as the
	// admin API does before it shows a portal.
	Settle func(portal int64)
	// JournalFilter parses journal filters as the admin API does; the
	// message names the first bad parameter.
	JournalFilter func(q url.Values) (journal.Filter, string)
	// Clock, when set, is the server's clock service (see and advance).
	Clock ClockService
	// Done is closed when the server shuts down; live streams end then.
	Done <-chan struct{}
	Log  *slog.Logger
}

// ClockService is the server's clock as the admin API serves it (GET and
// POST /_mockhub/clock).
type ClockService interface {
	// State is the server's time, whether the clock stands still and
	// whether it can be moved at all.
	State() (now time.Time, frozen, movable bool)
	// Move moves the clock as POST /_mockhub/clock does, with its checks
	// and messages: advance ("30m", "1d") or set (an RFC 3339 time), empty
	// when not given, and freeze when not nil. A refused move moves
	// nothing.
	Move(advance, set string, freeze *bool) error
}

// Dashboard serves the pages.
type Dashboard struct {
	d     Deps
	pages map[string]*template.Template
	// row renders one journal row, for the page and the live stream alike.
	row *template.Template
	mux chi.Router
}

// New builds the dashboard. It fails only when a template does not parse,
// which the tests catch.
func New(d Deps) (*Dashboard, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	db := &Dashboard{d: d, pages: map[string]*template.Template{}}
	funcs := template.FuncMap{
		"base":      func() string { return d.Base },
		"time":      formatTime,
		"label":     labelText,
		"statusCls": statusClass,
		"split":     strings.Fields,
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		name = strings.TrimPrefix(name, "templates/")
		if name == "layout.html" || name == "parts.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name)
		if err != nil {
			return nil, err
		}
		db.pages[strings.TrimSuffix(name, ".html")] = t
	}
	db.row = layout.Lookup("request-row")
	if db.row == nil {
		return nil, fmt.Errorf("dashboard: no request-row template")
	}
	db.routes()
	return db, nil
}

// ServeHTTP implements http.Handler.
func (db *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) { db.mux.ServeHTTP(w, r) }

func (db *Dashboard) routes() {
	r := chi.NewRouter()
	r.Use(sameOrigin)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		db.fail(w, r, http.StatusNotFound, "No dashboard page at "+r.URL.Path)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		db.fail(w, r, http.StatusMethodNotAllowed, "Method "+r.Method+" is not allowed here")
	})
	static, _ := fs.Sub(staticFS, "static")
	r.Handle("/static/*", http.StripPrefix(db.d.Base+"/static/", staticHandler(static)))
	r.Get("/", db.portals)
	r.Post("/reset", db.resetAll)
	r.Get("/portals/{portal}", db.portal)
	r.Post("/portals/{portal}/reset", db.resetPortal)
	r.Get("/portals/{portal}/associations", db.associations)
	r.Get("/portals/{portal}/objects/{type}", db.records)
	r.Get("/portals/{portal}/objects/{type}/{id}", db.record)
	r.Get("/requests", db.requests)
	r.Get("/requests/events", db.events)
	r.Get("/requests/{seq}", db.request)
	r.Get("/faults", db.faultsPage)
	r.Post("/faults", db.addFault)
	r.Post("/faults/{id}/delete", db.deleteFault)
	r.Post("/faults/clear", db.clearFaults)
	r.Get("/clock", db.clockPage)
	r.Post("/clock", db.moveClock)
	db.mux = r
}

// staticHandler serves the embedded assets with a short cache: they change
// only with the binary.
func staticHandler(files fs.FS) http.Handler {
	fsrv := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=300")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fsrv.ServeHTTP(w, r)
	})
}

// sameOrigin refuses a form posted from another site: the dashboard needs
// no login, so a page elsewhere must not be able to reset the portals of a
// developer who has it open. Browsers send Origin with every POST.
func sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if o := r.Header.Get("Origin"); o != "" {
				u, err := url.Parse(o)
				if err != nil || u.Host != r.Host {
					http.Error(w, "cross-origin form refused", http.StatusForbidden)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// page is what every page's template gets.
type page struct {
	Title string
	// Nav is the section the page belongs to, highlighted in the menu.
	Nav string
	// Flash is a message after a form (from the msg query parameter).
	Flash string
	// Clock is set when the server has a clock service.
	Clock bool
	Data  any
}

// render writes page name with status.
func (db *Dashboard) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := db.pages[name]
	if !ok {
		http.Error(w, "no page "+name, http.StatusInternalServerError)
		return
	}
	p.Flash = r.URL.Query().Get("msg")
	p.Clock = db.d.Clock != nil
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		db.d.Log.Error("dashboard page", "page", name, "error", err)
		http.Error(w, "the page failed to render", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// Only our own script and stylesheet run: stored values cannot inject
	// any, and the page reaches nothing outside the binary.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail answers with the error page.
func (db *Dashboard) fail(w http.ResponseWriter, r *http.Request, status int, message string) {
	db.render(w, r, status, "error", page{Title: http.StatusText(status), Data: message})
}

// redirect sends the browser on after a form, with a message to show.
func (db *Dashboard) redirect(w http.ResponseWriter, r *http.Request, path, msg string) {
	target := db.d.Base + path
	if msg != "" {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "msg=" + url.QueryEscape(msg)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// portalOf returns the portal the {portal} parameter names, or answers
// 404.
func (db *Dashboard) portalOf(w http.ResponseWriter, r *http.Request) (int64, *store.Portal, bool) {
	raw := chi.URLParam(r, "portal")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		db.fail(w, r, http.StatusBadRequest, "A portal id is a positive integer, got "+strconv.Quote(raw))
		return 0, nil, false
	}
	p, ok := db.d.Store.Lookup(id)
	if !ok {
		db.fail(w, r, http.StatusNotFound, "Portal "+raw+" does not exist: no API request has used it since start-up or the last reset")
		return 0, nil, false
	}
	if db.d.Settle != nil {
		db.d.Settle(id)
	}
	return id, p, true
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05.000Z")
}

func labelText(l *string) string {
	if l == nil {
		return ""
	}
	return *l
}

func statusClass(status int) string {
	switch {
	case status == 0:
		return "s-none"
	case status < 300:
		return "s-ok"
	case status < 400:
		return "s-redirect"
	case status < 500:
		return "s-client"
	}
	return "s-server"
}
