package middleware

import (
	"errors"
	"net/http"
	"net/http/httptest"
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
			Observe(discard, c.record)(tt.handler).ServeHTTP(rec, withInfo(httptest.NewRequest("GET", "/x", nil), info))
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
				Observe(discard, c.record)(tt.handler).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
			}()
			if c.calls != 1 || c.status != tt.want {
				t.Errorf("recorder called %d times with %d, want once with %d", c.calls, c.status, tt.want)
			}
		})
	}
}

func TestObserveWithoutRecorder(t *testing.T) {
	rec := httptest.NewRecorder()
	Observe(discard, nil)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
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
	Observe(discard, nil)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
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
