package middleware

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/idgen"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// FaultDeps is what the fault guard needs from the server.
type FaultDeps struct {
	Rules  *faults.Set
	Random *idgen.Source
	// Done is closed when the server shuts down; it releases held requests.
	Done <-chan struct{}
	Log  *slog.Logger
	// MaxBody is the server's request body limit.
	MaxBody int64
}

// faultSourceHeader is the rule id of faults attached with the header.
const faultSourceHeader = "header"

// Fault applies the request's fault, if any: the one its X-Mockhub-Fault
// header names, else the first rule that fires. A fault either answers the
// request itself or lets it through changed (latency, malformed, the batch
// faults). Batch faults apply to batch operations only, which op's contract
// says. Without rules and without the header it costs one atomic load and
// one map lookup.
func Fault(op *openapi.Operation, d FaultDeps) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hv, hasHeader := r.Header[faults.Header]
			if !hasHeader && !d.Rules.Armed() {
				next.ServeHTTP(w, r)
				return
			}
			info := reqctx.From(r.Context())
			var decision faults.Decision
			if hasHeader {
				f, err := faults.ParseHeader(strings.Join(hv, ";"))
				if err != nil {
					apierr.Write(w, r, apierr.Validation("Invalid "+faults.Header+" header: "+err.Error()))
					return
				}
				if faults.BatchOnly(f) && !op.Batch {
					apierr.Write(w, r, apierr.Validation("Invalid "+faults.Header+" header: fault "+f.Kind()+" applies to batch operations only"))
					return
				}
				decision = faults.Decision{RuleID: faultSourceHeader, Fault: f}
			} else {
				var fired bool
				decision, fired = d.Rules.Decide(&faults.Request{
					Method: r.Method, Path: r.URL.Path, Portal: info.PortalID, Header: r.Header, Batch: op.Batch,
				})
				if !fired {
					next.ServeHTTP(w, r)
					return
				}
			}
			info.Fault = decision.Fault.Kind() + "/" + decision.RuleID
			d.Log.LogAttrs(r.Context(), slog.LevelInfo, "fault",
				slog.String("rule", decision.RuleID),
				slog.String("kind", decision.Fault.Kind()),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int64("portal", info.PortalID),
				slog.String("correlationId", info.CorrelationID),
			)
			decision.Fault.Serve(&faults.Exchange{Random: d.Random, Done: d.Done, Portal: info.PortalID, MaxBody: d.MaxBody}, w, r, next)
		})
	}
}
