// Package oauth serves HubSpot's OAuth endpoints so that an app's whole
// install and refresh code runs against mockhub: the install screen
// (automated: it redirects at once with a code), the token endpoint
// (authorization_code and refresh_token grants, form-encoded), token info,
// refresh token revocation and token introspection (v3 and 2026-03). Its
// operations are in the oauth source of our documents; they take no bearer
// token. The lifecycle itself (codes,
// tokens, expiry on the server's clock, apps) is auth.Issuer's; issued
// access tokens authenticate API calls through auth.WithIssued.
package oauth

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/endpoint"
)

// Deps is what the family needs from the server.
type Deps struct {
	Issuer *auth.Issuer
	Clock  clock.Clock
}

// Register binds the family's operations.
func Register(reg *endpoint.Registry, d Deps) {
	h := handlers{d}
	endpoint.HandleBody(reg, "oauth-token", h.token)
	endpoint.HandleBody(reg, "oauth-token-introspect", h.introspect)
	reg.Handle("oauth-access-token-get", h.accessToken)
	reg.Handle("oauth-refresh-token-get", h.refreshToken)
	reg.Handle("oauth-refresh-token-archive", h.revoke)
	reg.Handle("oauth-authorize", h.authorize)
}

type handlers struct{ Deps }

// tokenForm is the token endpoint's form.
type tokenForm struct {
	GrantType    string `json:"grant_type"`
	Code         string `json:"code"`
	RedirectURI  string `json:"redirect_uri"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	RefreshToken string `json:"refresh_token"`
}

// tokenBody is the token endpoint's answer.
type tokenBody struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// Grant types of the token endpoint.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
)

func (h handlers) token(_ *endpoint.Call, f *tokenForm) (endpoint.Reply, error) {
	var pair auth.TokenPair
	var err *apierr.Error
	switch f.GrantType {
	case GrantAuthorizationCode:
		pair, err = h.Issuer.Exchange(f.ClientID, f.ClientSecret, f.RedirectURI, f.Code)
	case GrantRefreshToken:
		pair, err = h.Issuer.Refresh(f.ClientID, f.ClientSecret, f.RefreshToken)
	default:
		err = apierr.OAuth(http.StatusBadRequest, auth.StatusBadGrantType, "unsupported_grant_type", auth.MsgBadGrantType)
	}
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusOK, Body: tokenBody{
		AccessToken:  pair.Access.Token,
		RefreshToken: pair.Refresh,
		ExpiresIn:    int64(auth.AccessTokenLifetime / time.Second),
		TokenType:    "bearer",
	}}, nil
}

// accessInfo is an access token's metadata.
type accessInfo struct {
	Token                 string   `json:"token"`
	User                  string   `json:"user"`
	HubDomain             string   `json:"hub_domain"`
	Scopes                []string `json:"scopes"`
	HubID                 int64    `json:"hub_id"`
	AppID                 int64    `json:"app_id"`
	UserID                int64    `json:"user_id"`
	ExpiresIn             int64    `json:"expires_in"`
	TokenType             string   `json:"token_type"`
	IsPrivateDistribution bool     `json:"is_private_distribution"`
}

// refreshInfo is a refresh token's metadata.
type refreshInfo struct {
	Token     string   `json:"token"`
	User      string   `json:"user"`
	HubDomain string   `json:"hub_domain"`
	Scopes    []string `json:"scopes"`
	HubID     int64    `json:"hub_id"`
	UserID    int64    `json:"user_id"`
	ClientID  string   `json:"client_id"`
	TokenType string   `json:"token_type"`
}

// hubDomain is the domain token info reports for a portal.
func hubDomain(portal int64) string {
	return "portal-" + strconv.FormatInt(portal, 10) + ".mockhub.test"
}

// Messages of the token info refusals (ours: HubSpot's are not documented).
const (
	MsgUnknownAccessToken  = "access token not found"
	MsgUnknownRefreshToken = "refresh token not found"
)

func notFound(msg string) *apierr.Error {
	e := apierr.NotFound(msg)
	return e
}

func (h handlers) accessToken(c *endpoint.Call) (endpoint.Reply, error) {
	at, ok := h.Issuer.Access(c.Param("token"))
	if !ok {
		return endpoint.Reply{}, notFound(MsgUnknownAccessToken)
	}
	now := h.Clock.Now()
	if !now.Before(at.ExpiresAt) {
		return endpoint.Reply{}, apierr.Expired(at.ExpiresAt, now)
	}
	left := secondsLeft(at.ExpiresAt, now)
	return endpoint.Reply{Status: http.StatusOK, Body: accessInfo{
		Token: at.Token, User: auth.UserEmail, HubDomain: hubDomain(at.PortalID), Scopes: nonNil(at.Scopes),
		HubID: at.PortalID, AppID: at.AppID, UserID: auth.UserID, ExpiresIn: left, TokenType: "access",
	}}, nil
}

func (h handlers) refreshToken(c *endpoint.Call) (endpoint.Reply, error) {
	rt, ok := h.Issuer.RefreshInfo(c.Param("token"))
	if !ok {
		return endpoint.Reply{}, notFound(MsgUnknownRefreshToken)
	}
	return endpoint.Reply{Status: http.StatusOK, Body: refreshInfo{
		Token: rt.Token, User: auth.UserEmail, HubDomain: hubDomain(rt.PortalID), Scopes: nonNil(rt.Scopes),
		HubID: rt.PortalID, UserID: auth.UserID, ClientID: rt.ClientID, TokenType: "refresh",
	}}, nil
}

func (h handlers) revoke(c *endpoint.Call) (endpoint.Reply, error) {
	if !h.Issuer.Revoke(c.Param("token")) {
		return endpoint.Reply{}, notFound(MsgUnknownRefreshToken)
	}
	return endpoint.NoContent, nil
}

// introspectForm is the introspection endpoint's form.
type introspectForm struct {
	Token         string `json:"token"`
	TokenTypeHint string `json:"token_type_hint"`
	ClientID      string `json:"client_id"`
	ClientSecret  string `json:"client_secret"`
}

// introspection is the introspection endpoint's answer; an inactive token
// is {"active":false} alone, as RFC 7662 answers it.
type introspection struct {
	Active                bool               `json:"active"`
	TokenUse              string             `json:"token_use,omitempty"`
	Token                 string             `json:"token,omitempty"`
	HubID                 int64              `json:"hub_id,omitempty"`
	UserID                int64              `json:"user_id,omitempty"`
	ClientID              string             `json:"client_id,omitempty"`
	AppID                 int64              `json:"app_id,omitempty"`
	Scopes                []string           `json:"scopes,omitempty"`
	ExpiresIn             *int64             `json:"expires_in,omitempty"`
	IsPrivateDistribution *bool              `json:"is_private_distribution,omitempty"`
	TokenType             string             `json:"token_type,omitempty"`
	User                  string             `json:"user,omitempty"`
	HubDomain             string             `json:"hub_domain,omitempty"`
	SignedAccessToken     *signedAccessToken `json:"signed_access_token,omitempty"`
}

// signedAccessToken is the claims HubSpot signs into an access token.
// mockhub signs nothing: the signatures are empty.
type signedAccessToken struct {
	AppID                     int64  `json:"appId"`
	ExpiresAt                 int64  `json:"expiresAt"`
	HubID                     int64  `json:"hubId"`
	Hublet                    string `json:"hublet"`
	InstallingUserID          int64  `json:"installingUserId"`
	IsPrivateDistribution     bool   `json:"isPrivateDistribution"`
	IsServiceAccount          bool   `json:"isServiceAccount"`
	IsUserLevel               bool   `json:"isUserLevel"`
	NewSignature              string `json:"newSignature"`
	ScopeToScopeGroupPks      string `json:"scopeToScopeGroupPks"`
	Scopes                    string `json:"scopes"`
	Signature                 string `json:"signature"`
	TrialScopeToScopeGroupPks string `json:"trialScopeToScopeGroupPks"`
	TrialScopes               string `json:"trialScopes"`
	UserID                    int64  `json:"userId"`
}

func (h handlers) introspect(_ *endpoint.Call, f *introspectForm) (endpoint.Reply, error) {
	found, err := h.Issuer.Introspect(f.ClientID, f.ClientSecret, f.Token, f.TokenTypeHint)
	if err != nil {
		return endpoint.Reply{}, err
	}
	out := introspection{}
	private := false
	switch {
	case found.Access != nil:
		at := found.Access
		left := secondsLeft(at.ExpiresAt, h.Clock.Now())
		out = introspection{
			Active: true, TokenUse: "access_token", Token: at.Token, HubID: at.PortalID, UserID: auth.UserID,
			ClientID: at.ClientID, AppID: at.AppID, Scopes: nonNil(at.Scopes), ExpiresIn: &left,
			IsPrivateDistribution: &private, TokenType: "bearer", User: auth.UserEmail, HubDomain: hubDomain(at.PortalID),
			SignedAccessToken: &signedAccessToken{
				AppID: at.AppID, ExpiresAt: at.ExpiresAt.UnixMilli(), HubID: at.PortalID, Hublet: "na1",
				InstallingUserID: auth.UserID, Scopes: strings.Join(at.Scopes, ","), UserID: auth.UserID,
			},
		}
	case found.Refresh != nil:
		rt := found.Refresh
		out = introspection{
			Active: true, TokenUse: "refresh_token", Token: rt.Token, HubID: rt.PortalID, UserID: auth.UserID,
			ClientID: rt.ClientID, AppID: rt.AppID, Scopes: nonNil(rt.Scopes), IsPrivateDistribution: &private,
			TokenType: "refresh", User: auth.UserEmail, HubDomain: hubDomain(rt.PortalID),
		}
	}
	return endpoint.Reply{Status: http.StatusOK, Body: out}, nil
}

// secondsLeft is the whole seconds from now to expiry, rounded up, so that
// a token with any time left never reports 0.
func secondsLeft(expiry, now time.Time) int64 {
	return int64((expiry.Sub(now) + time.Second - 1) / time.Second)
}

// authorize is the install screen, automated: it approves at once (or, with
// mockhub_deny, refuses as a user clicking cancel) and sends the browser
// back to redirect_uri.
func (h handlers) authorize(c *endpoint.Call) (endpoint.Reply, error) {
	q := c.Query()
	req := auth.AuthorizeRequest{
		ClientID:       q.Get("client_id"),
		RedirectURI:    q.Get("redirect_uri"),
		Scopes:         auth.ParseScopes(q.Get("scope")),
		OptionalScopes: auth.ParseScopes(q.Get("optional_scope")),
	}
	if raw := q.Get("mockhub_portal"); raw != "" {
		// The contract has checked it is a positive integer.
		req.Portal, _ = strconv.ParseInt(raw, 10, 64)
	}
	target, perr := url.Parse(req.RedirectURI)
	if req.RedirectURI != "" && (perr != nil || !target.IsAbs()) {
		return endpoint.Reply{}, apierr.OAuth(http.StatusBadRequest, auth.StatusBadRedirectURI, "invalid_request", auth.MsgMissingRedirect)
	}
	back := url.Values{}
	if deny := strings.ToLower(q.Get("mockhub_deny")); deny == "1" || deny == "true" {
		// The install screen still checks the client and redirect URI
		// before it shows a cancel button.
		if err := h.Issuer.CheckAuthorize(req); err != nil {
			return endpoint.Reply{}, err
		}
		back.Set("error", "access_denied")
		back.Set("error_description", "the user denied the install")
	} else {
		code, err := h.Issuer.Authorize(req)
		if err != nil {
			return endpoint.Reply{}, err
		}
		back.Set("code", code)
	}
	if state, ok := q["state"]; ok {
		back.Set("state", state[0])
	}
	if target.RawQuery != "" {
		target.RawQuery += "&" + back.Encode()
	} else {
		target.RawQuery = back.Encode()
	}
	return endpoint.Reply{Status: http.StatusFound, Header: http.Header{"Location": {target.String()}}}, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
