package auth

import (
	"encoding/base64"
	"hash/fnv"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/idgen"
)

// Lifetimes and bounds of what an Issuer hands out. HubSpot's access tokens
// live 30 minutes; its authorization codes are single-use and short-lived
// (the length is not documented: ten minutes, as RFC 6749 recommends at
// most). Refresh tokens do not expire; they are kept until revoked, a
// reset, or the bound below pushes the oldest out.
const (
	AccessTokenLifetime = 30 * time.Minute
	CodeLifetime        = 10 * time.Minute
	// ExpiredRetention is how long an expired access token is remembered,
	// so that it keeps answering 401 EXPIRED_AUTHENTICATION rather than
	// being taken for a new token (lenient auth would give it a portal).
	ExpiredRetention = 24 * time.Hour
	MaxCodes         = 10_000
	MaxAccessTokens  = 50_000
	MaxRefreshTokens = 50_000
)

// Identity of the user who installs an app: HubSpot reports the installing
// user in token info; mockhub has one user.
const (
	UserID    = 1000001
	UserEmail = "user@mockhub.test"
)

// OAuth statuses of the token endpoints' refusals. BAD_AUTH_CODE,
// BAD_REFRESH_TOKEN, BAD_GRANT_TYPE, BAD_CLIENT_ID and BAD_REDIRECT_URI
// are HubSpot's; BAD_SCOPE is ours (HubSpot shows its install screen's
// error page for a scope the app may not ask for).
const (
	StatusBadAuthCode     = "BAD_AUTH_CODE"
	StatusBadRefreshToken = "BAD_REFRESH_TOKEN"
	StatusBadGrantType    = "BAD_GRANT_TYPE"
	StatusBadClientID     = "BAD_CLIENT_ID"
	StatusBadRedirectURI  = "BAD_REDIRECT_URI"
	StatusBadScope        = "BAD_SCOPE"
)

// Messages of those refusals. The auth code and refresh token ones are
// HubSpot's; the others are ours.
const (
	MsgBadAuthCode     = "missing or unknown auth code"
	MsgBadRefreshToken = "refresh token is invalid, expired or revoked"
	MsgBadGrantType    = "grant_type must be authorization_code or refresh_token"
	MsgMissingClientID = "missing or unknown client id"
	MsgBadSecret       = "client secret does not match the client id"
	MsgBadRedirectURI  = "redirect_uri does not match the one the code was issued for"
	MsgRedirectNotApp  = "redirect_uri is not one of the app's redirect URLs"
	MsgMissingRedirect = "missing or invalid redirect_uri"
)

// Grant is what an install granted: to which app, on which portal, with
// which scopes.
type Grant struct {
	ClientID string
	AppID    int64
	PortalID int64
	Scopes   []string
}

// AccessToken is an issued access token.
type AccessToken struct {
	Grant
	Token     string
	ExpiresAt time.Time
}

// RefreshToken is an issued refresh token.
type RefreshToken struct {
	Grant
	Token    string
	IssuedAt time.Time
}

// Tokens is the answer of a token exchange.
type TokenPair struct {
	Access  AccessToken
	Refresh string
}

type code struct {
	Grant
	redirectURI string
	expiresAt   time.Time
}

// AuthorizeRequest is what the install screen receives.
type AuthorizeRequest struct {
	ClientID, RedirectURI string
	// Scopes and OptionalScopes as asked (space-separated in the URL).
	Scopes, OptionalScopes []string
	// Portal is the portal the install is for; zero picks the default.
	Portal int64
}

// Issuer runs the OAuth lifecycle: it issues authorization codes, exchanges
// them for access and refresh tokens, refreshes and revokes, and answers
// which issued token a bearer token is. Everything lives in memory,
// bounded, and on the server's clock.
type Issuer struct {
	clock  clock.Clock
	random *idgen.Source
	apps   map[string]App
	// defaultPortal is the portal of an install that names none.
	defaultPortal func(clientID string) (int64, error)

	// issued says whether any access token was ever issued, so that the
	// requests of a server that never ran OAuth skip the lookup.
	issued atomic.Bool

	mu      sync.RWMutex
	codes   map[string]*code
	access  map[string]*AccessToken
	refresh map[string]*RefreshToken
	// order holds each map's keys in issue order (with keys since removed,
	// skipped when met), so that the oldest goes first when one is full.
	codeOrder, accessOrder, refreshOrder []string
}

// NewIssuer returns an issuer on clk drawing tokens from random. apps, when
// not empty, are the only clients that may authorize; defaultPortal gives
// the portal of an install that names none.
func NewIssuer(clk clock.Clock, random *idgen.Source, apps map[string]App, defaultPortal func(clientID string) (int64, error)) *Issuer {
	return &Issuer{
		clock: clk, random: random, apps: apps, defaultPortal: defaultPortal,
		codes: map[string]*code{}, access: map[string]*AccessToken{}, refresh: map[string]*RefreshToken{},
	}
}

// Strict reports whether apps are declared (only they may authorize).
func (is *Issuer) Strict() bool { return len(is.apps) > 0 }

func oauthErr(status, rfc, msg string) *apierr.Error {
	return apierr.OAuth(http.StatusBadRequest, status, rfc, msg)
}

// Authorize checks an install request and returns its authorization code.
// With apps declared the client must be one of them, the redirect URI one
// of its own and every scope asked one it may ask for (optional scopes it
// may not ask for are left out, as optional scopes are).
func (is *Issuer) Authorize(req AuthorizeRequest) (string, *apierr.Error) {
	g, err := is.grantFor(req)
	if err != nil {
		return "", err
	}
	now := is.clock.Now()
	c := &code{Grant: g, redirectURI: req.RedirectURI, expiresAt: now.Add(CodeLifetime)}
	token := is.random.UUID().String()
	is.mu.Lock()
	defer is.mu.Unlock()
	is.sweepLocked(now)
	if len(is.codes) >= MaxCodes {
		evictOldest(is.codes, &is.codeOrder)
	}
	is.codes[token] = c
	is.codeOrder = append(is.codeOrder, token)
	return token, nil
}

// CheckAuthorize checks an install request as Authorize does, without
// issuing a code (the install screen of a user who then cancels).
func (is *Issuer) CheckAuthorize(req AuthorizeRequest) *apierr.Error {
	_, err := is.grantFor(req)
	return err
}

// grantFor checks an install request and returns what it would grant.
func (is *Issuer) grantFor(req AuthorizeRequest) (Grant, *apierr.Error) {
	if req.ClientID == "" {
		return Grant{}, oauthErr(StatusBadClientID, "invalid_request", MsgMissingClientID)
	}
	if req.RedirectURI == "" {
		return Grant{}, oauthErr(StatusBadRedirectURI, "invalid_request", MsgMissingRedirect)
	}
	scopes := dedupe(req.Scopes)
	optional := dedupe(req.OptionalScopes)
	appID := derivedAppID(req.ClientID)
	portal := req.Portal
	if is.Strict() {
		app, ok := is.apps[req.ClientID]
		if !ok {
			return Grant{}, oauthErr(StatusBadClientID, "invalid_client", MsgMissingClientID)
		}
		if !slices.Contains(app.RedirectURIs, req.RedirectURI) {
			return Grant{}, oauthErr(StatusBadRedirectURI, "invalid_request", MsgRedirectNotApp)
		}
		for _, s := range scopes {
			if !slices.Contains(app.Scopes, s) {
				return Grant{}, oauthErr(StatusBadScope, "invalid_scope", "scope "+apierr.Capped(s, 256)+" is not one of the app's scopes")
			}
		}
		optional = slices.DeleteFunc(optional, func(s string) bool { return !slices.Contains(app.Scopes, s) })
		if app.AppID > 0 {
			appID = app.AppID
		}
		if app.PortalID > 0 {
			portal = app.PortalID
		}
	}
	if portal <= 0 {
		var err error
		if portal, err = is.defaultPortal(req.ClientID); err != nil {
			return Grant{}, apierr.Internal()
		}
	}
	for _, s := range optional {
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	return Grant{ClientID: req.ClientID, AppID: appID, PortalID: portal, Scopes: scopes}, nil
}

// checkClient checks a token request's client credentials.
func (is *Issuer) checkClient(clientID, secret string) *apierr.Error {
	if clientID == "" {
		return oauthErr(StatusBadClientID, "invalid_client", MsgMissingClientID)
	}
	if !is.Strict() {
		return nil
	}
	app, ok := is.apps[clientID]
	if !ok {
		return oauthErr(StatusBadClientID, "invalid_client", MsgMissingClientID)
	}
	if secret != app.ClientSecret {
		return oauthErr(StatusBadClientID, "invalid_client", MsgBadSecret)
	}
	return nil
}

// Exchange trades an authorization code for tokens. The code is spent
// whether or not the exchange succeeds once the code is found for the
// client, as RFC 6749 asks of a code presented twice.
func (is *Issuer) Exchange(clientID, secret, redirectURI, authCode string) (TokenPair, *apierr.Error) {
	if err := is.checkClient(clientID, secret); err != nil {
		return TokenPair{}, err
	}
	now := is.clock.Now()
	is.mu.Lock()
	defer is.mu.Unlock()
	c, ok := is.codes[authCode]
	if !ok || c.ClientID != clientID || !now.Before(c.expiresAt) {
		return TokenPair{}, oauthErr(StatusBadAuthCode, "invalid_grant", MsgBadAuthCode)
	}
	if redirectURI != c.redirectURI {
		return TokenPair{}, oauthErr(StatusBadRedirectURI, "invalid_grant", MsgBadRedirectURI)
	}
	delete(is.codes, authCode)
	rt := &RefreshToken{Grant: c.Grant, Token: "na1-" + is.random.UUID().String(), IssuedAt: now}
	is.sweepLocked(now)
	if len(is.refresh) >= MaxRefreshTokens {
		evictOldest(is.refresh, &is.refreshOrder)
	}
	is.refresh[rt.Token] = rt
	is.refreshOrder = append(is.refreshOrder, rt.Token)
	return TokenPair{Access: is.issueLocked(c.Grant, now), Refresh: rt.Token}, nil
}

// Refresh issues a new access token from a refresh token, which stays the
// same (HubSpot's refresh tokens do not rotate).
func (is *Issuer) Refresh(clientID, secret, refreshToken string) (TokenPair, *apierr.Error) {
	if err := is.checkClient(clientID, secret); err != nil {
		return TokenPair{}, err
	}
	now := is.clock.Now()
	is.mu.Lock()
	defer is.mu.Unlock()
	rt, ok := is.refresh[refreshToken]
	if !ok || rt.ClientID != clientID {
		return TokenPair{}, oauthErr(StatusBadRefreshToken, "invalid_grant", MsgBadRefreshToken)
	}
	is.sweepLocked(now)
	return TokenPair{Access: is.issueLocked(rt.Grant, now), Refresh: rt.Token}, nil
}

// issueLocked issues an access token for g. is.mu is held.
func (is *Issuer) issueLocked(g Grant, now time.Time) AccessToken {
	a, b := is.random.UUID(), is.random.UUID()
	raw := append(a[:], b[:]...)
	// HubSpot's access tokens are opaque base64url strings starting with C.
	at := &AccessToken{Grant: g, Token: "C" + base64.RawURLEncoding.EncodeToString(raw), ExpiresAt: now.Add(AccessTokenLifetime)}
	if len(is.access) >= MaxAccessTokens {
		evictOldest(is.access, &is.accessOrder)
	}
	is.access[at.Token] = at
	is.accessOrder = append(is.accessOrder, at.Token)
	is.issued.Store(true)
	return *at
}

// Access returns the issued access token token, expired or not.
func (is *Issuer) Access(token string) (AccessToken, bool) {
	if !is.issued.Load() {
		return AccessToken{}, false
	}
	is.mu.RLock()
	defer is.mu.RUnlock()
	at, ok := is.access[token]
	if !ok {
		return AccessToken{}, false
	}
	return *at, true
}

// RefreshInfo returns the refresh token token, unless unknown or revoked.
func (is *Issuer) RefreshInfo(token string) (RefreshToken, bool) {
	is.mu.RLock()
	defer is.mu.RUnlock()
	rt, ok := is.refresh[token]
	if !ok {
		return RefreshToken{}, false
	}
	return *rt, true
}

// Introspected is what introspection found: an active access token, an
// active refresh token, or neither (the token is inactive).
type Introspected struct {
	Access  *AccessToken
	Refresh *RefreshToken
}

// Introspect checks the client's credentials, then finds token: an access
// token while it has not expired, a refresh token until revoked, either of
// them only for the client it was issued to. hint ("access_token" or
// "refresh_token") is where to look first; both are looked in.
func (is *Issuer) Introspect(clientID, secret, token, hint string) (Introspected, *apierr.Error) {
	if err := is.checkClient(clientID, secret); err != nil {
		return Introspected{}, err
	}
	now := is.clock.Now()
	is.mu.RLock()
	defer is.mu.RUnlock()
	var out Introspected
	if at, ok := is.access[token]; ok && at.ClientID == clientID && now.Before(at.ExpiresAt) {
		a := *at
		out.Access = &a
	}
	if rt, ok := is.refresh[token]; ok && rt.ClientID == clientID {
		r := *rt
		out.Refresh = &r
	}
	// Tokens are drawn at random, so one string is never both; the hint
	// only matters if it were.
	if out.Access != nil && out.Refresh != nil {
		if hint == "refresh_token" {
			out.Access = nil
		} else {
			out.Refresh = nil
		}
	}
	return out, nil
}

// Revoke deletes a refresh token; the access tokens it gave keep working
// until they expire, as HubSpot documents. It reports whether the token
// was known.
func (is *Issuer) Revoke(token string) bool {
	is.mu.Lock()
	defer is.mu.Unlock()
	_, ok := is.refresh[token]
	delete(is.refresh, token)
	return ok
}

// Reset forgets every code and token (portal nil) or those of one portal.
func (is *Issuer) Reset(portal *int64) {
	is.mu.Lock()
	defer is.mu.Unlock()
	if portal == nil {
		is.codes, is.access, is.refresh = map[string]*code{}, map[string]*AccessToken{}, map[string]*RefreshToken{}
		is.codeOrder, is.accessOrder, is.refreshOrder = nil, nil, nil
		return
	}
	for k, v := range is.codes {
		if v.PortalID == *portal {
			delete(is.codes, k)
		}
	}
	for k, v := range is.access {
		if v.PortalID == *portal {
			delete(is.access, k)
		}
	}
	for k, v := range is.refresh {
		if v.PortalID == *portal {
			delete(is.refresh, k)
		}
	}
}

// Counts returns how many codes, access tokens (expired ones included) and
// refresh tokens are held.
func (is *Issuer) Counts() (codes, access, refresh int) {
	is.mu.Lock()
	defer is.mu.Unlock()
	return len(is.codes), len(is.access), len(is.refresh)
}

// sweepLocked drops expired codes and access tokens past their retention
// once a map is at its bound, and compacts the issue orders, so that what
// remains is what the bounds keep. is.mu is held.
func (is *Issuer) sweepLocked(now time.Time) {
	if len(is.codes) >= MaxCodes {
		for k, c := range is.codes {
			if !now.Before(c.expiresAt) {
				delete(is.codes, k)
			}
		}
	}
	if len(is.access) >= MaxAccessTokens {
		for k, a := range is.access {
			if !now.Before(a.ExpiresAt.Add(ExpiredRetention)) {
				delete(is.access, k)
			}
		}
	}
	is.codeOrder = compact(is.codeOrder, is.codes)
	is.accessOrder = compact(is.accessOrder, is.access)
	is.refreshOrder = compact(is.refreshOrder, is.refresh)
}

// compact drops from order the keys m no longer holds, once it holds more
// than twice as many keys as m (so compacting costs O(1) a key).
func compact[V any](order []string, m map[string]V) []string {
	if len(order) <= 2*len(m)+64 {
		return order
	}
	kept := make([]string, 0, len(m))
	for _, k := range order {
		if _, ok := m[k]; ok {
			kept = append(kept, k)
		}
	}
	return kept
}

// evictOldest removes the oldest key of m still in it.
func evictOldest[V any](m map[string]V, order *[]string) {
	for len(*order) > 0 {
		k := (*order)[0]
		*order = (*order)[1:]
		if _, ok := m[k]; ok {
			delete(m, k)
			return
		}
	}
}

func dedupe(scopes []string) []string {
	out := []string{}
	for _, s := range scopes {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// ParseScopes splits a scope parameter: HubSpot separates scopes with
// spaces (sent as %20 or +).
func ParseScopes(s string) []string { return strings.Fields(s) }

// derivedAppID is the app id of a client id that declares none: a 7-digit
// number derived from it, so that one client id always has the same id.
func derivedAppID(clientID string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(clientID))
	return 1_000_000 + int64(h.Sum64()%9_000_000)
}

// WithIssued authenticates the tokens an Issuer issued (an expired one is
// 401 EXPIRED_AUTHENTICATION) and hands every other token to inner.
func WithIssued(inner Authenticator, is *Issuer) Authenticator {
	return &issued{inner: inner, is: is}
}

type issued struct {
	inner Authenticator
	is    *Issuer
}

// Authenticate implements Authenticator.
func (a *issued) Authenticate(r *http.Request) (Principal, *apierr.Error) {
	token, ok := BearerToken(r)
	if ok {
		if at, ok := a.is.Access(token); ok {
			if now := a.is.clock.Now(); !now.Before(at.ExpiresAt) {
				return Principal{}, apierr.Expired(at.ExpiresAt, now)
			}
			return Principal{Token: token, PortalID: at.PortalID, Kind: KindOAuth, Scopes: at.Scopes}, nil
		}
	}
	return a.inner.Authenticate(r)
}

// Inner returns the authenticator WithIssued wraps (a itself when a is
// not such a wrapper).
func Inner(a Authenticator) Authenticator {
	if w, ok := a.(*issued); ok {
		return w.inner
	}
	return a
}
