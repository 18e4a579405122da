package middleware

import (
	"net/http"

	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/idgen"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// RequestInfo gives each request its correlation id and arrival time (on the
// server's clock) and announces the id in X-HubSpot-Correlation-Id, as
// HubSpot does on every answer.
func RequestInfo(random *idgen.Source, clk clock.Clock) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			info := &reqctx.Info{CorrelationID: random.UUID().String(), RequestedAt: clk.Now()}
			// Assigned in canonical form directly: Header.Set would
			// canonicalize the key on every request.
			w.Header()["X-Hubspot-Correlation-Id"] = []string{info.CorrelationID}
			next.ServeHTTP(w, r.WithContext(reqctx.With(r.Context(), info)))
		})
	}
}
