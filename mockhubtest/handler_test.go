package mockhubtest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/mockhubtest"
)

// A Handler mounted under a prefix of the user's own server serves the API
// and the admin API there, and its methods act on the same state.
func TestHandlerMounted(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	h, err := mockhubtest.NewHandler(mockhubtest.WithFrozenClock(start))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/hubspot/", http.StripPrefix("/hubspot", h))
	mux.HandleFunc("/own", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "mine") })
	hs := httptest.NewServer(mux)
	defer func() {
		h.Close() // releases held requests, so hs.Close does not wait on them
		hs.Close()
		h.Close() // a second Close does nothing
	}()

	call := func(method, path, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, hs.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer pat-na1-mine")
		req.Header.Set("Content-Type", "application/json")
		resp, err := hs.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(out)
	}

	h.Advance(90 * time.Second)
	if got := h.Now(); !got.Equal(start.Add(90 * time.Second)) {
		t.Fatalf("Now = %v", got)
	}
	steps := []struct {
		name         string
		before       func()
		method, path string
		body         string
		wantStatus   int
		wantBody     string
	}{
		{"own route", nil, "GET", "/own", "", 200, "mine"},
		{"create", nil, "POST", "/hubspot" + pairPath + "/batch/create", createLimit, 201, `"requestedAt":"2026-03-01T09:01:30.000Z"`},
		{"a request after SetTime", func() { h.SetTime(start.Add(time.Hour)) }, "POST", "/hubspot" + pairPath + "/batch/create", strings.ReplaceAll(createLimit, "279", "280"), 400, ""},
		{"admin API", nil, "GET", "/hubspot/_mockhub/requests?limit=1", "", 200, `"time":"2026-03-01T10:00:00Z"`},
		{"Reset", func() {
			if err := h.Reset(); err != nil {
				t.Fatal(err)
			}
		}, "GET", "/hubspot" + pairPath, "", 200, `{"results":[]}`},
	}
	for _, s := range steps {
		if s.before != nil {
			s.before()
		}
		status, body := call(s.method, s.path, s.body)
		if status != s.wantStatus || !strings.Contains(body, s.wantBody) {
			t.Fatalf("%s: %s %s = %d %s, want %d with %s", s.name, s.method, s.path, status, body, s.wantStatus, s.wantBody)
		}
	}
}

// A Handler on a data directory holds it until Close.
func TestHandlerCloseReleasesDataDir(t *testing.T) {
	dir := t.TempDir()
	h, err := mockhubtest.NewHandler(mockhubtest.WithDataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mockhubtest.NewHandler(mockhubtest.WithDataDir(dir)); err == nil {
		t.Fatal("two handlers opened the same data directory")
	}
	h.Close()
	again, err := mockhubtest.NewHandler(mockhubtest.WithDataDir(dir))
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	again.Close()
}

// NewHandler serves mockhub from your own server, here under /hubspot next
// to a route of its own.
func ExampleNewHandler() {
	h, err := mockhubtest.NewHandler(mockhubtest.WithFrozenClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	defer h.Close()
	mux := http.NewServeMux()
	mux.Handle("/hubspot/", http.StripPrefix("/hubspot", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	req, _ := http.NewRequest("GET", srv.URL+"/hubspot/crm/associations/2026-03/definitions/configurations/contacts/companies", nil)
	req.Header.Set("Authorization", "Bearer pat-na1-example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output:
	// 200 {"results":[]}
}
