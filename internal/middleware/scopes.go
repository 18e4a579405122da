package middleware

import (
	"net/http"
	"sync"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// Scopes answers HubSpot's 403 MISSING_SCOPES to a caller whose token holds
// none of the scopes op accepts from its kind of token (read once, from the
// security requirements of op's document). The 403 knows its portal, so it
// carries the portal's rate-limit headers, without counting the request.
func Scopes(op *openapi.Operation, limits *ratelimit.Limiter) func(http.Handler) http.Handler {
	// Worked out on first use: with lenient auth (every scope) they are
	// never needed, and start-up time matters to a server started per test.
	var oauth, privateApp struct {
		once     sync.Once
		accepted []string
	}
	accepted := func(kind string) []string {
		s := &privateApp
		if kind == auth.KindOAuth {
			s = &oauth
		}
		s.once.Do(func() { s.accepted = auth.AcceptedScopes(op, kind) })
		return s.accepted
	}
	exempt := exemptions(op)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			info := reqctx.From(r.Context())
			p := principal(info)
			if p.AllScopes {
				next.ServeHTTP(w, r)
				return
			}
			want := accepted(p.Kind)
			if p.Holds(want) {
				next.ServeHTTP(w, r)
				return
			}
			limits.Peek(exempt.request(p)).WriteHeaders(w.Header())
			apierr.Write(w, r, apierr.MissingScopes(want))
		})
	}
}
