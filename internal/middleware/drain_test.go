package middleware

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestDrainBeforeRefusal(t *testing.T) {
	const big = goDiscards + 1000
	tests := []struct {
		name string
		size int64
		// length is the request's Content-Length (-1: chunked).
		length  int64
		handler http.HandlerFunc
		// drained is how much of the body must have been read when the
		// answer's header went out.
		drained int
	}{
		{"refused, large body", big, big, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) }, big},
		{"refused, chunked body", big, -1, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) }, big},
		{"refused, small body left to net/http", 1000, 1000, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) }, 0},
		{"body read by the handler", big, big, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(200)
		}, big},
		{"answer that closes anyway", big, big, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Connection", "close")
			w.WriteHeader(413)
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &countingReader{r: strings.NewReader(strings.Repeat("x", int(tt.size)))}
			r := httptest.NewRequest("POST", "/", body)
			r.ContentLength = tt.length
			var atHeader int
			h := DrainBeforeRefusal(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.handler(&headerSpy{ResponseWriter: w, at: func() { atHeader = body.n }}, r)
			}))
			h.ServeHTTP(httptest.NewRecorder(), r)
			if atHeader != tt.drained {
				t.Errorf("%d bytes read when the header went out, want %d", atHeader, tt.drained)
			}
		})
	}
}

// headerSpy calls at when the header is written.
type headerSpy struct {
	http.ResponseWriter
	at func()
}

func (s *headerSpy) WriteHeader(code int) {
	s.ResponseWriter.WriteHeader(code)
	s.at()
}
