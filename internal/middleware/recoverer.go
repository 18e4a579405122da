package middleware

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// Recoverer turns a panic into HubSpot's 500 so that no input can crash the
// server. http.ErrAbortHandler is re-panicked: it is how a handler aborts a
// response on purpose.
func Recoverer(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
						panic(v)
					}
					log.Error("panic", "value", v, "correlationId", reqctx.From(r.Context()).CorrelationID)
					apierr.Write(w, r, apierr.Internal())
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}
