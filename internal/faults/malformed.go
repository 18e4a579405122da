package faults

import (
	"bytes"
	"net/http"
	"strconv"
)

// KindMalformed truncates the real answer's body.
const KindMalformed = "malformed"

// Malformed serves the real answer (it happens: the change is applied) with
// its real status and headers, but only the first half of its JSON body,
// which is therefore invalid. Content-Length matches the truncated body, so
// the client reads a complete response that does not parse. Answers without
// a body (204) go out unchanged.
type Malformed struct{}

// Kind implements Fault.
func (*Malformed) Kind() string { return KindMalformed }

func (*Malformed) check() error { return nil }

// Serve implements Fault.
func (*Malformed) Serve(_ *Exchange, w http.ResponseWriter, r *http.Request, next http.Handler) {
	buf := &bufferedWriter{header: w.Header()}
	next.ServeHTTP(buf, r)
	body := buf.body.Bytes()
	if n := len(body); n > 1 {
		body = body[:n/2]
	}
	if len(body) > 0 {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	if buf.status == 0 {
		buf.status = http.StatusOK
	}
	w.WriteHeader(buf.status)
	_, _ = w.Write(body)
}

// bufferedWriter holds an answer back so that it can be changed.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
