package middleware

import (
	"net/http"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// Authenticate answers HubSpot's 401 to a request without valid credentials
// and otherwise records the caller (portal, token, kind, scopes) in the
// request's info, with the operation it was routed to.
func Authenticate(a auth.Authenticator, op *openapi.Operation) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			info := reqctx.From(r.Context())
			info.OperationID, info.Version = op.ID, op.Document.Version
			p, err := a.Authenticate(r)
			if err != nil {
				apierr.Write(w, r, err)
				return
			}
			info.PortalID, info.Token, info.TokenKind = p.PortalID, p.Token, p.Kind
			info.Scopes, info.AllScopes = p.Scopes, p.AllScopes
			next.ServeHTTP(w, r)
		})
	}
}

// principal is the caller Authenticate recorded.
func principal(info *reqctx.Info) auth.Principal {
	return auth.Principal{Token: info.Token, PortalID: info.PortalID, Kind: info.TokenKind, Scopes: info.Scopes, AllScopes: info.AllScopes}
}

// Operation records the operation a request was routed to in its info, for
// operations that take no credentials (Authenticate records it otherwise).
func Operation(op *openapi.Operation) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			info := reqctx.From(r.Context())
			info.OperationID, info.Version = op.ID, op.Document.Version
			next.ServeHTTP(w, r)
		})
	}
}
