package middleware

import (
	"io"
	"net/http"

	"github.com/mockhub/mockhub/internal/reqbody"
)

// goDiscards is how much of an unread body net/http reads and throws away
// itself after an answer (its maxPostHandlerReadBytes); beyond it, it closes
// the connection while a client that writes its whole body first is still
// sending, and that client sees a reset instead of the answer.
const goDiscards = 256 << 10

// DrainBeforeRefusal makes sure a client that sends a large body and reads
// nothing until it is sent gets the answer refusing it (401, 403, 404, 429,
// a fault's status), not a reset: when a request with a body over what
// net/http discards by itself is answered before its body was read, the
// rest of the body is drained first, within reqbody's bounds. Small bodies
// cost nothing.
func DrainBeforeRefusal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength >= 0 && r.ContentLength <= goDiscards {
			next.ServeHTTP(w, r)
			return
		}
		body := &trackedBody{ReadCloser: r.Body}
		r.Body = body
		next.ServeHTTP(&drainingWriter{ResponseWriter: w, r: r, body: body}, r)
	})
}

// trackedBody notes when its reader has seen the end.
type trackedBody struct {
	io.ReadCloser
	done bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.done = true
	}
	return n, err
}

// drainingWriter drains the unread body before the answer's header goes out.
type drainingWriter struct {
	http.ResponseWriter
	r       *http.Request
	body    *trackedBody
	checked bool
}

func (w *drainingWriter) drain() {
	if w.checked {
		return
	}
	w.checked = true
	// An answer that closes the connection anyway has drained what it
	// meant to (reqbody's 413) or gave up on the body on purpose.
	if !w.body.done && w.Header().Get("Connection") != "close" {
		reqbody.Drain(w.ResponseWriter, w.body)
	}
}

func (w *drainingWriter) WriteHeader(code int) {
	w.drain()
	w.ResponseWriter.WriteHeader(code)
}

func (w *drainingWriter) Write(b []byte) (int, error) {
	w.drain()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *drainingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
