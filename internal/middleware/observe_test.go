package middleware

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/reqctx"
)

// recording is a Recorder that keeps what it was handed.
type recording struct {
	calls  int
	status int
	info   *reqctx.Info
}

func (c *recording) record(_ *http.Request, info *reqctx.Info, status int, _ time.Duration) {
	c.calls++
	c.status, c.info = status, info
}

func TestObserveRecordsTheStatus(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    int
	}{
		{"explicit", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusCreated) }, 201},
		{"implicit 200 on Write", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("x")) }, 200},
		{"first WriteHeader wins", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusTooManyRequests)
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte("x"))
		}, 429},
		{"header then write", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusMultiStatus)
			_, _ = w.Write([]byte("x"))
		}, 207},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c recording
			info := &reqctx.Info{CorrelationID: "abc", PortalID: 42}
			rec := httptest.NewRecorder()
			Observe(discard, c.record, nil)(tt.handler).ServeHTTP(rec, withInfo(httptest.NewRequest("GET", "/x", nil), info))
			if c.calls != 1 || c.status != tt.want || c.info != info {
				t.Errorf("recorder called %d times with %d, %p; want once with %d, %p", c.calls, c.status, c.info, tt.want, info)
			}
			if rec.Code != tt.want {
				t.Errorf("client got %d, want %d", rec.Code, tt.want)
			}
		})
	}
}

func TestObserveRecordsAnAbortedRequest(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    int
	}{
		{"before any answer", func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }, 0},
		{"mid-answer", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusOK)
			panic(http.ErrAbortHandler)
		}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c recording
			func() {
				defer func() {
					if v := recover(); v != http.ErrAbortHandler {
						t.Errorf("panic %v, want http.ErrAbortHandler to go on up", v)
					}
				}()
				Observe(discard, c.record, nil)(tt.handler).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
			}()
			if c.calls != 1 || c.status != tt.want {
				t.Errorf("recorder called %d times with %d, want once with %d", c.calls, c.status, tt.want)
			}
		})
	}
}

func TestObserveWithoutRecorder(t *testing.T) {
	rec := httptest.NewRecorder()
	Observe(discard, nil, nil)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	})).ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != http.StatusAccepted {
		t.Errorf("got %d", rec.Code)
	}
}

func TestObserveUnwrapsToTheConnection(t *testing.T) {
	rec := httptest.NewRecorder()
	var inner http.ResponseWriter
	var flushErr error
	Observe(discard, nil, nil)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); ok {
			inner = u.Unwrap()
		}
		// What faults and the body reader do: reach the connection
		// through the wrapper.
		flushErr = http.NewResponseController(w).Flush()
	})).ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if inner != rec {
		t.Errorf("Unwrap gave %T, want the server's writer", inner)
	}
	if flushErr != nil || !rec.Flushed {
		t.Errorf("Flush through the wrapper: %v, flushed %v", flushErr, rec.Flushed)
	}
	if errors.Is(flushErr, http.ErrNotSupported) {
		t.Error("the wrapper hides the connection")
	}
}

// capturing is a Recorder that copies the captured response, as the
// journal does, since the buffer is reused after it returns.
type capturing struct {
	body      string
	truncated bool
	calls     int
}

func (c *capturing) record(_ *http.Request, info *reqctx.Info, _ int, _ time.Duration) {
	c.calls++
	c.body, c.truncated = string(info.Response), info.ResponseTruncated
}

func TestObserveCapturesTheResponseUpToItsLimit(t *testing.T) {
	writes := func(parts ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			for _, p := range parts {
				_, _ = w.Write([]byte(p))
			}
		}
	}
	tests := []struct {
		name      string
		limit     int
		handler   http.HandlerFunc
		want      string
		truncated bool
	}{
		{"no capture", 0, writes("hello"), "", false},
		{"no body", 8, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }, "", false},
		{"under the limit", 8, writes("hello"), "hello", false},
		{"exactly the limit", 5, writes("hel", "lo"), "hello", false},
		{"over in one write", 4, writes("hello"), "hell", true},
		{"over across writes", 4, writes("he", "llo", "world"), "hell", true},
		{"empty writes", 4, writes("", "ab", ""), "ab", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c capturing
			rec := httptest.NewRecorder()
			info := &reqctx.Info{}
			capture := func(*http.Request) int { return tt.limit }
			Observe(discard, c.record, capture)(tt.handler).ServeHTTP(rec, withInfo(httptest.NewRequest("GET", "/x", nil), info))
			if c.calls != 1 || c.body != tt.want || c.truncated != tt.truncated {
				t.Errorf("recorded %q (truncated %v, %d calls), want %q (truncated %v)", c.body, c.truncated, c.calls, tt.want, tt.truncated)
			}
			if info.Response != nil {
				t.Error("info still holds the pooled buffer after the recorder returned")
			}
			// The client gets the whole body whatever is kept.
			if got := rec.Body.String(); !strings.HasPrefix(got, tt.want) || len(got) < len(tt.want) {
				t.Errorf("client got %q", got)
			}
		})
	}
}

func TestObserveCaptureDoesNotLeakBetweenRequests(t *testing.T) {
	var c capturing
	capture := func(*http.Request) int { return 64 }
	h := Observe(discard, c.record, capture)
	h(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("first-long-body")) })).
		ServeHTTP(httptest.NewRecorder(), withInfo(httptest.NewRequest("GET", "/x", nil), &reqctx.Info{}))
	h(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("2nd")) })).
		ServeHTTP(httptest.NewRecorder(), withInfo(httptest.NewRequest("GET", "/x", nil), &reqctx.Info{}))
	if c.body != "2nd" {
		t.Fatalf("second request recorded %q", c.body)
	}
}

func BenchmarkObserveCapture(b *testing.B) {
	body := []byte(strings.Repeat("x", 2048))
	capture := func(*http.Request) int { return 1024 }
	h := Observe(discard, func(*http.Request, *reqctx.Info, int, time.Duration) {}, capture)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(body)
	}))
	req := withInfo(httptest.NewRequest("GET", "/x", nil), &reqctx.Info{})
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(discardWriter{}, req)
	}
}

type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) WriteHeader(int)             {}
func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }
