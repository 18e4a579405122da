package middleware

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// Recorder keeps a record of an answered request (the request journal).
type Recorder func(r *http.Request, info *reqctx.Info, status int, elapsed time.Duration)

// Observe writes, once a request is answered (or aborted on purpose: a
// connection fault panics with http.ErrAbortHandler), one access-log line
// and, when record is not nil, hands the request to record.
func Observe(log *slog.Logger, record Recorder) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w}
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
					record(r, info, rec.status, elapsed)
				}
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
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
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (faults that
// hijack or flush it, the body reader's deadlines).
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
