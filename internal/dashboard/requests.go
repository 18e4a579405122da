package dashboard

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/journal"
)

// Live stream bounds: a stream sends at most streamBatch entries per wake-
// up (a burst beyond is skipped: the page shows the newest, as a reload
// would), gives a client streamWriteTimeout to take each write (one that
// does not is dropped), and says it is alive every streamHeartbeat so a
// vanished client is noticed.
const (
	defaultRequests    = 100
	streamBatch        = 100
	streamWriteTimeout = 10 * time.Second
	streamHeartbeat    = 15 * time.Second
)

// requestsPage is the journal table.
type requestsPage struct {
	Entries []journal.Entry
	Filter  filterForm
	// Query is the filter as a query string, for the live stream.
	Query string
	// Newest is the journal's newest seq when the page was made: the live
	// stream continues from it.
	Newest uint64
	Error  string
	Size   int
}

// filterForm is the filter as the form shows it.
type filterForm struct {
	Method, Path, Portal, Status, Limit string
}

// filterQuery keeps the filter parameters that are set: the form sends
// empty fields, which the journal API's parser would refuse.
func filterQuery(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"method", "path", "portal", "status", "limit"} {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

func (db *Dashboard) requests(w http.ResponseWriter, r *http.Request) {
	q := filterQuery(r.URL.Query())
	pg := requestsPage{
		Filter: filterForm{Method: q.Get("method"), Path: q.Get("path"), Portal: q.Get("portal"), Status: q.Get("status"), Limit: q.Get("limit")},
		Size:   db.d.Journal.Size(),
	}
	f, msg := db.d.JournalFilter(q)
	status := http.StatusOK
	if msg != "" {
		pg.Error, status = msg, http.StatusBadRequest
	} else {
		if f.Limit == 0 {
			f.Limit = defaultRequests
		}
		pg.Newest = db.d.Journal.Seq()
		pg.Entries = db.d.Journal.List(f)
		live := url.Values{}
		for k, vs := range q {
			if k != "limit" {
				live[k] = vs
			}
		}
		pg.Query = live.Encode()
	}
	db.render(w, r, status, "requests", page{Title: "Requests", Nav: "requests", Data: pg})
}

// events streams the journal's new entries that the filter selects, as
// Server-Sent Events whose data is the table row to insert. It holds no
// entries of its own: on each signal it reads what is new from the
// journal, so a slow client costs nothing but its connection, and one that
// does not take a write in time is dropped (the browser reconnects, from
// Last-Event-ID).
func (db *Dashboard) events(w http.ResponseWriter, r *http.Request) {
	q := filterQuery(r.URL.Query())
	q.Del("limit")
	f, msg := db.d.JournalFilter(q)
	if msg != "" {
		http.Error(w, msg, http.StatusBadRequest)
		return
	}
	last := db.d.Journal.Seq()
	for _, raw := range []string{r.Header.Get("Last-Event-ID"), r.URL.Query().Get("after")} {
		if n, err := strconv.ParseUint(raw, 10, 64); err == nil && raw != "" {
			last = min(n, last)
			break
		}
	}
	signal, stop := db.d.Journal.Watch()
	defer stop()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(b []byte) bool {
		// A server without deadlines (tests) cannot set one; writes then
		// block no longer than the connection lets them.
		_ = rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
		if _, err := w.Write(b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !write([]byte("retry: 2000\n: stream of " + db.d.Base + "/requests\n\n")) {
		return
	}
	heartbeat := time.NewTicker(streamHeartbeat)
	defer heartbeat.Stop()
	var buf bytes.Buffer
	send := func() bool {
		f.Limit = streamBatch
		entries := db.d.Journal.Since(last, f)
		if len(entries) == 0 {
			return true
		}
		buf.Reset()
		for i := range entries {
			e := &entries[i]
			last = max(last, e.Seq)
			var row bytes.Buffer
			if err := db.row.Execute(&row, e); err != nil {
				db.d.Log.Error("dashboard stream", "error", err)
				return false
			}
			buf.WriteString("id: " + strconv.FormatUint(e.Seq, 10) + "\nevent: request\n")
			for _, line := range strings.Split(strings.TrimSpace(row.String()), "\n") {
				buf.WriteString("data: " + line + "\n")
			}
			buf.WriteString("\n")
		}
		return write(buf.Bytes())
	}
	// Entries added between the page and the stream come first.
	if !send() {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-db.d.Done:
			return
		case <-heartbeat.C:
			if !write([]byte(": alive\n\n")) {
				return
			}
		case <-signal:
			if !send() {
				return
			}
		}
	}
}

// requestPage is one journal entry.
type requestPage struct {
	Entry   journal.Entry
	Headers []headerRow
	Body    string
	Reply   string
	Curl    string
}

type headerRow struct{ Name, Value string }

func (db *Dashboard) request(w http.ResponseWriter, r *http.Request) {
	raw := chi.URLParam(r, "seq")
	seq, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		db.fail(w, r, http.StatusBadRequest, "A request number is a positive integer, got "+strconv.Quote(raw))
		return
	}
	e, ok := db.d.Journal.Get(seq)
	if !ok {
		db.fail(w, r, http.StatusNotFound, "The journal no longer holds request "+raw+" (or never did): it keeps the last "+strconv.Itoa(db.d.Journal.Size())+" requests")
		return
	}
	pg := requestPage{Entry: e, Body: pretty(e.Body), Reply: pretty(e.ResponseBody), Curl: curl(e, "http://"+r.Host)}
	for name, vs := range e.Header {
		for _, v := range vs {
			pg.Headers = append(pg.Headers, headerRow{name, v})
		}
	}
	sort.SliceStable(pg.Headers, func(i, j int) bool { return pg.Headers[i].Name < pg.Headers[j].Name })
	db.render(w, r, http.StatusOK, "request", page{Title: e.Method + " " + e.Path, Nav: "requests", Data: pg})
}

// pretty indents a JSON body for reading; anything else is shown as sent.
func pretty(body string) string {
	var out bytes.Buffer
	if body == "" || json.Indent(&out, []byte(body), "", "  ") != nil {
		return body
	}
	return out.String()
}

// curlSkips are headers curl sets itself or that describe the recorded
// exchange rather than the request to replay.
var curlSkips = map[string]bool{
	"Authorization": true, "Content-Length": true, "Accept-Encoding": true,
	"Connection": true, "User-Agent": true, "Host": true,
}

// curl is a command that replays e against origin. The token is never in
// the journal: the command reads it from $HUBSPOT_TOKEN.
func curl(e journal.Entry, origin string) string {
	var b strings.Builder
	target := origin + e.Path
	if e.Query != "" {
		target += "?" + e.Query
	}
	b.WriteString("curl -sS -X " + e.Method + " " + shellQuote(target))
	if _, ok := e.Header["Authorization"]; ok {
		b.WriteString(" \\\n  -H \"Authorization: Bearer $HUBSPOT_TOKEN\"")
	}
	names := make([]string, 0, len(e.Header))
	for name := range e.Header {
		if !curlSkips[http.CanonicalHeaderKey(name)] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range e.Header[name] {
			b.WriteString(" \\\n  -H " + shellQuote(name+": "+v))
		}
	}
	if e.Body != "" {
		b.WriteString(" \\\n  --data-raw " + shellQuote(e.Body))
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
