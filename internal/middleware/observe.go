package middleware

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// Recorder keeps a record of an answered request (the request journal).
type Recorder func(r *http.Request, info *reqctx.Info, status int, elapsed time.Duration)

// Capture says how many bytes of r's response body to keep for the
// recorder; zero keeps none.
type Capture func(r *http.Request) int

// Observe writes, once a request is answered (or aborted on purpose: a
// connection fault panics with http.ErrAbortHandler), one access-log line
// and, when record is not nil, hands the request to record. When capture is
// not nil, the recorder also finds in info.Response the first capture(r)
// bytes of the response body (and info.ResponseTruncated when there were
// more). That buffer is reused once record returns: a recorder that keeps
// the body copies it.
func Observe(log *slog.Logger, record Recorder, capture Capture) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w}
			if capture != nil && record != nil {
				rec.limit = capture(r)
			}
			defer func() {
				elapsed := time.Since(start)
				info := reqctx.From(r.Context())
				if log.Enabled(r.Context(), slog.LevelInfo) {
					log.LogAttrs(r.Context(), slog.LevelInfo, "request",
						slog.String("method", r.Method),
						// A hostile path must not make a hostile log line.
						slog.String("path", apierr.Capped(r.URL.Path, apierr.MaxEchoedPath)),
						slog.Int("status", rec.status),
						slog.Duration("duration", elapsed),
						slog.Int64("portal", info.PortalID),
						slog.String("correlationId", info.CorrelationID),
					)
				}
				if record != nil {
					if rec.buf != nil {
						info.Response, info.ResponseTruncated = *rec.buf, rec.truncated
					}
					record(r, info, rec.status, elapsed)
					if rec.buf != nil {
						info.Response = nil
						*rec.buf = (*rec.buf)[:0]
						bodyBuffers.Put(rec.buf)
					}
				}
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// bodyBuffers holds the buffers that capture response bodies, so that a
// request costs no allocation for its capture once the pool is warm. Each
// grows to at most its request's capture limit.
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// statusRecorder remembers the status a handler wrote and, up to limit
// bytes, the body.
type statusRecorder struct {
	http.ResponseWriter
	status int
	// limit is how many body bytes to keep; buf holds them (nil until the
	// first write) and truncated says more were written.
	limit     int
	buf       *[]byte
	truncated bool
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.limit > 0 && len(b) > 0 {
		w.keep(b)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (faults that
// hijack or flush it, the body reader's deadlines).
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// keep appends what of b fits under the limit to the captured body; the
// rest is only counted as truncation, never copied.
func (w *statusRecorder) keep(b []byte) {
	if w.buf == nil {
		w.buf = bodyBuffers.Get().(*[]byte)
	}
	room := w.limit - len(*w.buf)
	if len(b) > room {
		b, w.truncated = b[:max(room, 0)], true
	}
	*w.buf = append(*w.buf, b...)
}
