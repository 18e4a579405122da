// Package auth decides who a request is: which portal it acts on and with
// what kind of token. HubSpot accepts private-app and OAuth access tokens as
// "Authorization: Bearer <token>"; account API keys (hapikey) no longer work
// on these endpoints, so a request that carries only one is refused like a
// request with no credentials at all.
package auth

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/mockhub/mockhub/internal/apierr"
)

// Token kinds.
const (
	KindPrivateApp = "private-app"
	KindOAuth      = "oauth"
)

// Principal is an authenticated caller.
type Principal struct {
	Token    string
	PortalID int64
	Kind     string
	// Scopes are the scopes the token was granted, unless AllScopes says
	// it holds every scope (lenient auth).
	Scopes    []string
	AllScopes bool
}

// Holds reports whether p may call an operation that accepts any one of
// accepted (nil: the operation requires no scope).
func (p Principal) Holds(accepted []string) bool {
	if p.AllScopes || accepted == nil {
		return true
	}
	for _, s := range p.Scopes {
		if slices.Contains(accepted, s) {
			return true
		}
	}
	return false
}

// Authenticator resolves the caller of a request, or answers the HubSpot
// 401 that refuses it. Whether the caller's scopes suffice for the
// operation is checked after, by the scopes guard.
type Authenticator interface {
	Authenticate(r *http.Request) (Principal, *apierr.Error)
}

// BearerToken returns the token of an "Authorization: Bearer" header.
func BearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// Lenient accepts any bearer token and gives each distinct token its own
// portal (see Portals), so parallel tests with different tokens never share
// state.
type Lenient struct {
	portals *Portals
	log     *slog.Logger
}

var _ Authenticator = (*Lenient)(nil)

// NewLenient returns a lenient authenticator whose tokens get their portals
// from portals. A token whose new portal cannot be saved gets a 500, logged
// to log (nil: not logged).
func NewLenient(portals *Portals, log *slog.Logger) *Lenient {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Lenient{portals: portals, log: log}
}

// Authenticate implements Authenticator.
func (l *Lenient) Authenticate(r *http.Request) (Principal, *apierr.Error) {
	token, ok := BearerToken(r)
	if !ok {
		return Principal{}, apierr.Unauthenticated()
	}
	id, err := l.portals.PortalOf(token)
	if err != nil {
		l.log.Error("assign portal", "error", err)
		return Principal{}, apierr.Internal()
	}
	return Principal{Token: token, PortalID: id, Kind: KindOf(token), AllScopes: true}, nil
}

// KindOf guesses a token's kind from its shape: private-app tokens start with
// "pat-"; anything else is treated as an OAuth access token.
func KindOf(token string) string {
	if strings.HasPrefix(token, "pat-") {
		return KindPrivateApp
	}
	return KindOAuth
}
