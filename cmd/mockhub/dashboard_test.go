package main

// Browser tests of the dashboard: the real binary driven by a headless
// Chromium (Debian's chromium package) through the DevTools protocol. They
// are skipped when no Chromium is installed, unless MOCKHUB_REQUIRE_BROWSER=1
// (.ci/run installs the browser and sets it). With
// MOCKHUB_SCREENSHOTS=DIR, TestDashboardScreenshots writes a 1280×800
// screenshot of each page into DIR.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserToken is the token the browser tests' API requests use.
const browserToken = "pat-na1-browser-test-token"

// browserDeadline bounds a whole browser test, so a browser that stops
// answering fails the test instead of hanging it.
const browserDeadline = 3 * time.Minute

// chromium returns the path of an installed Chromium, or skips the test
// (fails it when MOCKHUB_REQUIRE_BROWSER=1).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("MOCKHUB_REQUIRE_BROWSER") == "1" {
		t.Fatal("no Chromium found (chromium, chromium-browser, google-chrome); install Debian's chromium package")
	}
	const why = "no Chromium installed; apt-get install chromium to drive the dashboard in a browser"
	if !testing.Short() {
		notice("mockhub: " + t.Name() + " skipped: " + why)
	}
	t.Skip(why)
	return ""
}

// dashboardSession is a running mockhub with a portal to look at, and a
// headless browser.
type dashboardSession struct {
	p       *process
	base    string
	ctx     context.Context
	contact string
	company string
	portal  string
}

func newDashboardSession(t *testing.T) *dashboardSession {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the binary and a browser")
	}
	chrome := chromium(t)
	p := start(t, binary(t), t.TempDir())
	s := &dashboardSession{p: p, base: "http://" + p.addr}
	if !strings.Contains(p.log(), `dashboard=http://`+p.addr+`/_mockhub/ui/`) {
		t.Errorf("the start-up line does not give the dashboard's link:\n%s", p.log())
	}
	s.contact = s.created(t, "/crm/v3/objects/contacts", `{"properties":{"email":"ada@example.com","firstname":"Ada","lastname":"Lovelace"}}`)
	s.company = s.created(t, "/crm/v3/objects/companies", `{"properties":{"name":"Analytical Engines","domain":"engines.example"}}`)
	s.created(t, "/crm/v3/objects/deals", `{"properties":{"dealname":"Difference engine","amount":"1500","dealstage":"appointmentscheduled","pipeline":"default"}}`)
	s.api(t, "POST", "/crm/associations/2026-03/definitions/configurations/contacts/companies/batch/create", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":1}]}`, 201)
	s.api(t, "PUT", "/crm/v4/objects/contacts/"+s.contact+"/associations/default/companies/"+s.company, "", 200)
	var portals struct{ Results []struct{ PortalID int64 } }
	if err := json.Unmarshal([]byte(s.api(t, "GET", "/_mockhub/portals", "", 200)), &portals); err != nil || len(portals.Results) != 1 {
		t.Fatalf("portals: %v %+v", err, portals)
	}
	s.portal = strconv.FormatInt(portals.Results[0].PortalID, 10)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	ctx, cancel := context.WithTimeout(context.Background(), browserDeadline)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatalf("starting %s: %v", chrome, err)
	}
	s.ctx = bctx
	return s
}

// api sends an API request with the test token and checks its status.
func (s *dashboardSession) api(t *testing.T, method, path, body string, want int) string {
	t.Helper()
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+browserToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, path, resp.StatusCode, want, data)
	}
	return string(data)
}

func (s *dashboardSession) created(t *testing.T, path, body string) string {
	t.Helper()
	var rec struct{ ID string }
	if err := json.Unmarshal([]byte(s.api(t, "POST", path, body, 201)), &rec); err != nil || rec.ID == "" {
		t.Fatalf("create %s: %v", path, err)
	}
	return rec.ID
}

// run runs browser actions, failing the test with what the page showed.
func (s *dashboardSession) run(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(s.ctx, actions...); err != nil {
		s.failed(t, what, err)
	}
}

// text returns the text of the first element sel selects.
func (s *dashboardSession) text(t *testing.T, sel string) string {
	t.Helper()
	v, err := chromedp.Run(s.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		s.failed(t, "read "+sel, err)
	}
	return v
}

func (s *dashboardSession) failed(t *testing.T, what string, err error) {
	t.Helper()
	html, _ := chromedp.Run(s.ctx, chromedp.OuterHTML(chromedp.CSS("main"), chromedp.AtLeast(0)))
	t.Fatalf("%s: %v\npage: %.2000s\nserver log:\n%s", what, err, html, s.p.log())
}

// clockShown is the server time the clock page shows.
func (s *dashboardSession) clockShown(t *testing.T) time.Time {
	t.Helper()
	shown := s.text(t, "#now")
	at, err := time.Parse("2006-01-02 15:04:05.000Z", shown)
	if err != nil {
		t.Fatalf("clock page shows %q: %v", shown, err)
	}
	return at
}

// pages are the dashboard's pages, each with a text its heading shows.
func (s *dashboardSession) pages() []struct{ name, path, heading string } {
	return []struct{ name, path, heading string }{
		{"portals", "/_mockhub/ui/", "Portals"},
		{"portal", "/_mockhub/ui/portals/" + s.portal, "Portal " + s.portal},
		{"records", "/_mockhub/ui/portals/" + s.portal + "/objects/contact", "Contacts"},
		{"record", "/_mockhub/ui/portals/" + s.portal + "/objects/contact/" + s.contact, "ada@example.com"},
		{"associations", "/_mockhub/ui/portals/" + s.portal + "/associations", "Associations and limits"},
		{"requests", "/_mockhub/ui/requests", "Requests"},
		{"request", "/_mockhub/ui/requests/1", "POST /crm/v3/objects/contacts"},
		{"faults", "/_mockhub/ui/faults", "Faults"},
		{"clock", "/_mockhub/ui/clock", "Clock"},
	}
}

func TestDashboardInBrowser(t *testing.T) {
	s := newDashboardSession(t)

	t.Run("every page loads", func(t *testing.T) {
		for _, pg := range s.pages() {
			s.run(t, pg.name, chromedp.Navigate(s.base+pg.path), chromedp.WaitVisible(chromedp.CSS("h1")))
			if h1 := s.text(t, "h1"); !strings.Contains(h1, pg.heading) {
				t.Errorf("%s: heading %q, want %q", pg.name, h1, pg.heading)
			}
		}
	})

	t.Run("a record links to its associated record", func(t *testing.T) {
		link := chromedp.CSS(`a[href$="/objects/company/` + s.company + `"]`)
		s.run(t, "follow the association",
			chromedp.Navigate(s.base+"/_mockhub/ui/portals/"+s.portal+"/objects/contact/"+s.contact),
			chromedp.WaitVisible(link),
			chromedp.Click(link),
			chromedp.WaitVisible(chromedp.CSS(`a[href$="/objects/contact/`+s.contact+`"]`)),
		)
		if h1 := s.text(t, "h1"); h1 != "Analytical Engines" {
			t.Fatalf("the associated record's page is titled %q", h1)
		}
	})

	t.Run("a fault added through the form fails the next request", func(t *testing.T) {
		s.run(t, "add a rule",
			chromedp.Navigate(s.base+"/_mockhub/ui/faults"),
			chromedp.WaitVisible(chromedp.CSS("#r-path")),
			chromedp.SetJavascriptAttribute(chromedp.CSS("#r-method"), "value", "GET"),
			chromedp.SendKeys(chromedp.CSS("#r-path"), "/crm/v3/objects/companies"),
			chromedp.SetJavascriptAttribute(chromedp.CSS("#r-kind"), "value", "status"),
			chromedp.Clear(chromedp.CSS("#r-params")),
			chromedp.SendKeys(chromedp.CSS("#r-params"), "status=503"),
			chromedp.SendKeys(chromedp.CSS("#r-times"), "1"),
			chromedp.Click(chromedp.CSS(`form.rule button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		)
		if flash := s.text(t, ".flash"); !strings.Contains(flash, "added") {
			t.Fatalf("after the form: %q", flash)
		}
		s.api(t, "GET", "/crm/v3/objects/companies", "", 503)
		s.api(t, "GET", "/crm/v3/objects/companies", "", 200)
	})

	t.Run("the clock is seen and advanced", func(t *testing.T) {
		s.run(t, "open the clock", chromedp.Navigate(s.base+"/_mockhub/ui/clock"), chromedp.WaitVisible(chromedp.CSS("#now")))
		before := s.clockShown(t)
		s.run(t, "advance an hour",
			chromedp.Click(chromedp.CSS(`.quick button[type="submit"]:nth-of-type(1)`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		)
		if flash := s.text(t, ".flash"); !strings.Contains(flash, "moved on by") {
			t.Fatalf("after the button: %q", flash)
		}
		if moved := s.clockShown(t).Sub(before); moved < time.Hour {
			t.Fatalf("the page shows the clock moved by %s after +1h", moved)
		}
	})

	t.Run("a request appears live in the journal", func(t *testing.T) {
		s.run(t, "open the journal",
			chromedp.Navigate(s.base+"/_mockhub/ui/requests?method=GET"),
			chromedp.WaitVisible(chromedp.CSS("#requests")),
		)
		// No reload from here: the row arrives over the stream.
		s.api(t, "GET", "/crm/v3/objects/contacts/777777", "", 404)
		s.run(t, "see the new row",
			chromedp.WaitVisible(chromedp.Search(`//table[@id="requests"]//td[contains(., "/crm/v3/objects/contacts/777777")]`)),
		)
		if row := s.text(t, "#requests tbody tr:first-child"); !strings.Contains(row, "404") || !strings.Contains(row, "777777") {
			t.Fatalf("newest row: %q", row)
		}
	})
}

// TestDashboardScreenshots writes a 1280×800 screenshot of each page into
// $MOCKHUB_SCREENSHOTS, for a person to look at (README's are made so).
func TestDashboardScreenshots(t *testing.T) {
	dir := os.Getenv("MOCKHUB_SCREENSHOTS")
	if dir == "" {
		t.Skip("set MOCKHUB_SCREENSHOTS=DIR to write screenshots of the dashboard")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := newDashboardSession(t)
	// Something for the journal and fault pages to show.
	s.api(t, "GET", "/crm/v3/objects/contacts?limit=10", "", 200)
	s.api(t, "GET", "/crm/v3/objects/contacts/404404", "", 404)
	rule := `{"id":"flaky-create","match":{"method":"POST","path":"/crm/v3/objects/**"},"fault":{"kind":"status","status":429},"times":2}`
	s.api(t, "POST", "/_mockhub/faults", rule, 201)
	for _, pg := range s.pages() {
		s.run(t, pg.name, chromedp.Navigate(s.base+pg.path), chromedp.WaitVisible(chromedp.CSS("h1")))
		png, err := chromedp.Run(s.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			s.failed(t, "screenshot of "+pg.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, pg.name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
