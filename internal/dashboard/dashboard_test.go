package dashboard_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/server"
)

const (
	token   = "pat-na1-dashboard-secret-token"
	ui      = "/_mockhub/ui"
	hostile = `<script>alert("x")</script>"><img src=x onerror=alert(1)>`
)

// fixture is a server with one portal holding a contact whose name is
// hostile, a company associated with it, a limit the contact is at, and a
// few journal entries.
type fixture struct {
	srv     *server.Server
	hs      *httptest.Server
	portal  string
	contact string
	company string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv, err := server.New(server.Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		srv.Close()
		hs.Close()
	})
	f := &fixture{srv: srv, hs: hs}
	// Encoded without escaping HTML, as many clients send it.
	var body strings.Builder
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"properties": map[string]string{"email": "eve@example.com", "firstname": hostile, "lastname": "Doe"}}); err != nil {
		t.Fatal(err)
	}
	f.contact = f.id(t, f.api(t, "POST", "/crm/v3/objects/contacts", body.String(), 201))
	f.company = f.id(t, f.api(t, "POST", "/crm/v3/objects/companies", `{"properties":{"name":"Acme","domain":"acme.example"}}`, 201))
	f.api(t, "POST", "/crm/associations/2026-03/definitions/configurations/contacts/companies/batch/create", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":1}]}`, 201)
	f.api(t, "PUT", "/crm/v4/objects/contacts/"+f.contact+"/associations/default/companies/"+f.company, "", 200)
	id, err := srv.PortalOf(token)
	if err != nil {
		t.Fatal(err)
	}
	f.portal = strconv.FormatInt(id, 10)
	return f
}

func (f *fixture) id(t *testing.T, body string) string {
	t.Helper()
	var m struct{ ID string }
	if err := json.Unmarshal([]byte(body), &m); err != nil || m.ID == "" {
		t.Fatalf("no id in %s", body)
	}
	return m.ID
}

// api sends an API request with the token and checks its status.
func (f *fixture) api(t *testing.T, method, path, body string, want int) string {
	t.Helper()
	req, _ := http.NewRequest(method, f.hs.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	status, got := do(t, req)
	if status != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, path, status, want, got)
	}
	return got
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

func (f *fixture) get(t *testing.T, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.hs.URL+path, nil)
	return do(t, req)
}

// post sends a form as a browser on the dashboard's page would.
func (f *fixture) post(t *testing.T, path string, form url.Values) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.hs.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", f.hs.URL)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(data)
}

func TestPages(t *testing.T) {
	f := newFixture(t)
	p := f.portal
	tests := []struct {
		name   string
		path   string
		status int
		want   []string
	}{
		{"portals", ui + "/", 200, []string{"Portals", ">" + p + "<", server.Fingerprint(token), "1 Contacts", "1 Companies", `action="/_mockhub/ui/portals/` + p + `/reset"`}},
		{"portals without slash", ui, 200, []string{"Portals"}},
		{"portal", ui + "/portals/" + p, 200, []string{"Portal " + p, "1 associations, 0 labels, 1 limits", "Deals"}},
		{"unknown portal", ui + "/portals/999", 404, []string{"Portal 999 does not exist"}},
		{"bad portal", ui + "/portals/abc", 400, []string{"positive integer"}},
		{"records", ui + "/portals/" + p + "/objects/contacts", 200, []string{"eve@example.com", "1 records", `/objects/contact/` + f.contact}},
		{"records by alias", ui + "/portals/" + p + "/objects/contact", 200, []string{"eve@example.com"}},
		{"search hit", ui + "/portals/" + p + "/objects/contacts?q=eve", 200, []string{"eve@example.com", "1 records"}},
		{"search miss", ui + "/portals/" + p + "/objects/contacts?q=nobody", 200, []string{"0 records", "No records."}},
		{"search too long", ui + "/portals/" + p + "/objects/contacts?q=" + strings.Repeat("x", 3001), 400, []string{`class="error"`}},
		{"archived", ui + "/portals/" + p + "/objects/contacts?archived=true", 200, []string{"0 archived records"}},
		{"unknown type", ui + "/portals/" + p + "/objects/unicorns", 404, []string{"no object type"}},
		{"record", ui + "/portals/" + p + "/objects/contacts/" + f.contact, 200, []string{"eve@example.com", "Companies · Unlabeled", `/objects/company/` + f.company, "History", "INTEGRATION"}},
		{"associated record", ui + "/portals/" + p + "/objects/companies/" + f.company, 200, []string{"Acme", `/objects/contact/` + f.contact}},
		{"unknown record", ui + "/portals/" + p + "/objects/contacts/42", 404, []string{"No Contact with id"}},
		{"associations", ui + "/portals/" + p + "/associations", 200, []string{"Contacts → Companies", "1 contacts at 1 of 1 companies", "1 at the limit"}},
		{"requests", ui + "/requests", 200, []string{"/crm/v3/objects/contacts", "/crm/v3/objects/companies", `data-stream="/_mockhub/ui/requests/events?"`}},
		{"requests filtered", ui + "/requests?method=PUT&path=&portal=", 200, []string{"/associations/default/companies/"}},
		{"requests bad filter", ui + "/requests?status=abc", 400, []string{"status must be an HTTP status"}},
		{"request", ui + "/requests/1", 200, []string{"POST", "/crm/v3/objects/contacts", "201", "Response body", "eve@example.com", "$HUBSPOT_TOKEN", "Bearer *** (" + server.Fingerprint(token) + ")"}},
		{"request gone", ui + "/requests/999", 404, []string{"no longer holds"}},
		{"clock", ui + "/clock", 200, []string{"Server time", "running", `action="/_mockhub/ui/clock"`}},
		{"faults", ui + "/faults", 200, []string{"No fault rules.", `<option selected>status</option>`, "Add rule"}},
		{"stylesheet", ui + "/static/style.css", 200, []string{":root"}},
		{"script", ui + "/static/app.js", 200, []string{"EventSource"}},
		{"unknown page", ui + "/nope", 404, []string{"No dashboard page"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := f.get(t, tt.path)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %.400s", status, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			// Stored values are escaped wherever they appear, and no page
			// shows a token.
			if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
				t.Error("page holds a stored value unescaped")
			}
			if strings.Contains(body, token) || strings.Contains(body, "secret-token") {
				t.Error("page shows the token")
			}
		})
	}
}

func TestHostileValuesAreEscaped(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{
		ui + "/portals/" + f.portal + "/objects/contacts",
		ui + "/portals/" + f.portal + "/objects/contacts/" + f.contact,
		ui + "/requests/1",
	} {
		_, body := f.get(t, path)
		if !strings.Contains(body, "&lt;script&gt;alert(") || !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("%s does not show the hostile value escaped", path)
		}
	}
	// A hostile path is escaped in the journal too.
	req, _ := http.NewRequest("GET", f.hs.URL+"/crm/v3/objects/%3Cscript%3Ealert(2)%3C%2Fscript%3E", nil)
	do(t, req)
	_, body := f.get(t, ui+"/requests")
	if strings.Contains(body, "<script>alert(2)") || !strings.Contains(body, "&lt;script&gt;alert(2)") {
		t.Error("a hostile path is not escaped in the journal")
	}
}

func TestResetForms(t *testing.T) {
	f := newFixture(t)
	status, h, _ := f.post(t, ui+"/portals/"+f.portal+"/reset", nil)
	if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), ui+"/?msg=") {
		t.Fatalf("portal reset = %d to %q", status, h.Get("Location"))
	}
	if status, _ := f.get(t, ui+"/portals/"+f.portal); status != 404 {
		t.Fatalf("the reset portal's page = %d, want 404 (a portal without fixtures is dropped)", status)
	}
	f.api(t, "GET", "/crm/v3/objects/contacts", "", 200)
	if status, _, _ := f.post(t, ui+"/reset", nil); status != http.StatusSeeOther {
		t.Fatalf("reset = %d", status)
	}
	_, body := f.get(t, ui+"/?msg=done")
	if !strings.Contains(body, "No portal yet") || !strings.Contains(body, `class="flash"`) {
		t.Fatalf("after a full reset: %.600s", body)
	}
	if status, _, _ := f.post(t, ui+"/portals/123/reset", nil); status != 404 {
		t.Fatalf("reset of an unknown portal = %d", status)
	}
}

func TestCrossOriginFormsAreRefused(t *testing.T) {
	f := newFixture(t)
	req, _ := http.NewRequest("POST", f.hs.URL+ui+"/reset", nil)
	req.Header.Set("Origin", "http://evil.example")
	if status, _ := do(t, req); status != http.StatusForbidden {
		t.Fatalf("cross-origin reset = %d, want 403", status)
	}
	if status, _ := f.get(t, ui+"/portals/"+f.portal); status != 200 {
		t.Fatal("the refused reset reset the portal")
	}
}

func TestFaultForm(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"unknown kind", url.Values{"kind": {"explode"}}, 400, "Invalid fault rule: "},
		{"bad field", url.Values{"kind": {"status"}, "params": {"status=299"}}, 400, "Invalid fault rule: fault status"},
		{"not a pair", url.Values{"kind": {"status"}, "params": {"status"}}, 400, "key=value"},
		{"times not a number", url.Values{"kind": {"status"}, "params": {"status=500"}, "times": {"two"}}, 400, "Invalid fault rule: "},
		{"bad path", url.Values{"kind": {"status"}, "params": {"status=500"}, "path": {"crm"}}, 400, "Invalid fault rule: "},
		{"added", url.Values{"id": {"boom"}, "method": {"GET"}, "path": {"/crm/v3/objects/**"}, "kind": {"status"}, "params": {"status=503"}, "times": {"1"}}, 303, ""},
		{"duplicate id", url.Values{"id": {"boom"}, "kind": {"hang"}}, 409, "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := f.post(t, ui+"/faults", tt.form)
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("status %d, want %d with %q: %.500s", status, tt.status, tt.want, body)
			}
			if status == 400 && !strings.Contains(body, `value="`+tt.form.Get("params")+`"`) {
				t.Error("the refused form is not shown again with what was entered")
			}
		})
	}
	_, body := f.get(t, ui+"/faults")
	if !strings.Contains(body, "boom") || !strings.Contains(body, "GET /crm/v3/objects/**") || !strings.Contains(body, `&#34;status&#34;:503`) {
		t.Fatalf("rule not listed: %.2000s", body)
	}
	// The rule works like one added through the admin API.
	f.api(t, "GET", "/crm/v3/objects/contacts", "", 503)
	f.api(t, "GET", "/crm/v3/objects/contacts", "", 200)
	if status, _, _ := f.post(t, ui+"/faults/boom/delete", nil); status != 303 {
		t.Fatalf("remove = %d", status)
	}
	if len(f.srv.Faults().List()) != 0 {
		t.Fatal("the rule was not removed")
	}
	if status, _, _ := f.post(t, ui+"/faults/boom/delete", nil); status != 404 {
		t.Fatalf("removing a removed rule = %d", status)
	}
}

// readEvent reads one server-sent event's data lines.
func readEvent(t *testing.T, r *bufio.Reader) (event, data string) {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "" && event != "":
			return event, data
		case strings.HasPrefix(line, "event: "):
			event = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			data += line[len("data: "):] + "\n"
		}
	}
}

func TestLiveRequests(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.hs.URL+ui+"/requests/events?method=POST", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("stream = %d %s", resp.StatusCode, ct)
	}
	r := bufio.NewReader(resp.Body)
	// A GET the filter leaves out, then a POST it selects.
	f.api(t, "GET", "/crm/v3/objects/companies", "", 200)
	f.api(t, "POST", "/crm/v3/objects/companies", `{"properties":{"name":"Live &amp; <b>well</b>"}}`, 201)
	event, data := readEvent(t, r)
	if event != "request" || !strings.Contains(data, "POST") || !strings.Contains(data, `href="/_mockhub/ui/requests/`) {
		t.Fatalf("event %q: %s", event, data)
	}
	if strings.Contains(data, "<td>GET</td>") {
		t.Fatal("the stream sent a request its filter leaves out")
	}
	// From a seq: what came after it is sent at once.
	cancel()
	req, _ = http.NewRequest("GET", f.hs.URL+ui+"/requests/events?after=0", nil)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel2()
	resp2, err := http.DefaultClient.Do(req.WithContext(ctx2))
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	_, data = readEvent(t, bufio.NewReader(resp2.Body))
	if !strings.Contains(data, "#1<") {
		t.Fatalf("the first event after 0 is not #1: %s", data)
	}
	if status, _ := f.get(t, ui+"/requests/events?status=abc"); status != 400 {
		t.Fatalf("bad filter = %d", status)
	}
}

// TestLiveStreamEndsWithTheServer: Close (what shutdown calls) ends open
// streams, so a graceful shutdown does not wait on them.
func TestLiveStreamEndsWithTheServer(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.hs.URL + ui + "/requests/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	f.srv.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatalf("stream did not end cleanly: %v", err)
	}
}

func TestClockPage(t *testing.T) {
	f := newFixture(t)
	adminNow := func() (time.Time, bool) {
		t.Helper()
		_, body := f.get(t, "/_mockhub/clock")
		var c struct {
			Now    time.Time
			Frozen bool
		}
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			t.Fatalf("clock %s: %v", body, err)
		}
		return c.Now, c.Frozen
	}
	if status, body := f.get(t, ui+"/clock"); status != 200 || !strings.Contains(body, "running") || !strings.Contains(body, "Advance by") {
		t.Fatalf("clock page = %d: %.1500s", status, body)
	}
	if status, _, _ := f.post(t, ui+"/clock", url.Values{"freeze": {"true"}}); status != 303 {
		t.Fatalf("freeze = %d", status)
	}
	before, frozen := adminNow()
	if !frozen {
		t.Fatal("the clock does not stand still after the freeze form")
	}
	if _, body := f.get(t, ui+"/clock"); !strings.Contains(body, "frozen") || !strings.Contains(body, "Let it run") {
		t.Fatalf("frozen clock page: %.1500s", body)
	}
	tests := []struct {
		name    string
		form    url.Values
		status  int
		want    string
		advance time.Duration
	}{
		{"advance a day", url.Values{"advance": {"1d"}}, 303, "", 24 * time.Hour},
		{"advance 90m", url.Values{"advance": {"90m"}}, 303, "", 90 * time.Minute},
		{"bad duration", url.Values{"advance": {"soon"}}, 400, "Invalid clock move: ", 0},
		{"advance and set", url.Values{"advance": {"1h"}, "set": {"2030-01-01T00:00:00Z"}}, 400, "advance and set cannot be combined", 0},
		{"bad time", url.Values{"set": {"tomorrow"}}, 400, "RFC 3339", 0},
		{"nothing", url.Values{}, 400, "give advance", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, _ := adminNow()
			status, _, body := f.post(t, ui+"/clock", tt.form)
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("status %d, want %d with %q: %.800s", status, tt.status, tt.want, body)
			}
			if now, _ := adminNow(); now.Sub(start) != tt.advance {
				t.Fatalf("the clock moved by %s, want %s", now.Sub(start), tt.advance)
			}
		})
	}
	if status, _, _ := f.post(t, ui+"/clock", url.Values{"set": {"2030-01-01T00:00:00Z"}}); status != 303 {
		t.Fatalf("set = %d", status)
	}
	if now, _ := adminNow(); !now.Equal(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) || !now.After(before) {
		t.Fatalf("after set: %s", now)
	}
	if status, _, _ := f.post(t, ui+"/clock", url.Values{"freeze": {"false"}}); status != 303 {
		t.Fatalf("unfreeze = %d", status)
	}
	if _, frozen := adminNow(); frozen {
		t.Fatal("the clock is still frozen")
	}
}

func TestClockGivenByEmbedder(t *testing.T) {
	srv, err := server.New(server.Config{Version: "test", Clock: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	f := &fixture{srv: srv, hs: hs}
	if status, body := f.get(t, ui+"/clock"); status != 200 || !strings.Contains(body, "cannot be moved") || strings.Contains(body, "Advance by") {
		t.Fatalf("clock page = %d: %.1500s", status, body)
	}
	if status, _, body := f.post(t, ui+"/clock", url.Values{"advance": {"1h"}}); status != 400 || !strings.Contains(body, "cannot be moved") {
		t.Fatalf("advance = %d: %.800s", status, body)
	}
}

// TestLiveStreamEndsWithItsClient: a client that goes away releases its
// stream (and its watch on the journal), whatever arrives after.
func TestLiveStreamEndsWithItsClient(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", f.hs.URL+ui+"/requests/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.srv.Journal().Watching(); n != 1 {
		t.Fatalf("%d streams watch the journal, want 1", n)
	}
	cancel()
	resp.Body.Close()
	// The server notices at its next write: a new entry or the heartbeat.
	for i := 0; f.srv.Journal().Watching() != 0; i++ {
		if i == 200 {
			t.Fatal("the stream of a gone client still watches the journal")
		}
		f.api(t, "GET", "/crm/v3/objects/companies", "", 200)
		time.Sleep(50 * time.Millisecond)
	}
}
