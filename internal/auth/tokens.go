package auth

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/decode"
	"github.com/mockhub/mockhub/internal/openapi"
)

// Token is one entry of a tokens file.
type Token struct {
	Token    string `json:"token"`
	PortalID int64  `json:"portalId"`
	// Kind is KindPrivateApp or KindOAuth; empty means KindOf(Token).
	Kind      string     `json:"kind,omitempty"`
	Scopes    []string   `json:"scopes"`
	ExpiresAt *time.Time `json:"expiresAt,omitempty"`
}

// TokensFile is the form of a --tokens file, JSON or YAML.
type TokensFile struct {
	Tokens []Token `json:"tokens"`
	// Apps are the OAuth apps that may authorize (see App); none means
	// any client id and secret is accepted.
	Apps []App `json:"apps,omitempty"`
}

// Tokens authenticates against a fixed list of tokens: unknown tokens get
// 401 INVALID_AUTHENTICATION, expired ones 401 EXPIRED_AUTHENTICATION. Each
// principal carries the token's granted scopes, which the scopes guard
// compares with what the operation accepts (AcceptedScopes).
type Tokens struct {
	clock  clock.Clock
	tokens map[string]Token
	// first is the portal of the first token listed (zero: none), the
	// default portal of OAuth installs.
	first int64
	apps  map[string]App
}

var _ Authenticator = (*Tokens)(nil)

// NewTokens checks entries and returns an authenticator for them. Expiry is
// judged on clk.
func NewTokens(entries []Token, clk clock.Clock) (*Tokens, error) {
	if clk == nil {
		clk = clock.Real{}
	}
	t := &Tokens{clock: clk, tokens: make(map[string]Token, len(entries))}
	for i, e := range entries {
		switch {
		case e.Token == "":
			return nil, fmt.Errorf("tokens[%d]: token is required", i)
		case e.PortalID <= 0:
			return nil, fmt.Errorf("tokens[%d]: portalId must be a positive integer", i)
		}
		if _, dup := t.tokens[e.Token]; dup {
			return nil, fmt.Errorf("tokens[%d]: token listed twice", i)
		}
		switch e.Kind {
		case "":
			e.Kind = KindOf(e.Token)
		case KindPrivateApp, KindOAuth:
		default:
			return nil, fmt.Errorf("tokens[%d]: kind must be %s or %s, got %q", i, KindPrivateApp, KindOAuth, e.Kind)
		}
		t.tokens[e.Token] = e
		if i == 0 {
			t.first = e.PortalID
		}
	}
	return t, nil
}

// ParseTokens reads a tokens document (JSON or YAML).
func ParseTokens(data []byte, clk clock.Clock) (*Tokens, error) {
	var f TokensFile
	if err := decode.Strict(data, &f); err != nil {
		return nil, decode.Plain(err)
	}
	t, err := NewTokens(f.Tokens, clk)
	if err != nil {
		return nil, err
	}
	if t.apps, err = checkApps(f.Apps); err != nil {
		return nil, err
	}
	return t, nil
}

// Apps returns the OAuth apps the file declares, by client id (empty: none).
func (t *Tokens) Apps() map[string]App { return t.apps }

// FirstPortal returns the portal of the file's first token, zero when it
// lists none.
func (t *Tokens) FirstPortal() int64 { return t.first }

// LoadTokens reads a --tokens file. Its errors start with the path.
func LoadTokens(path string, clk clock.Clock) (*Tokens, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named below, without Go's "open"
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	t, err := ParseTokens(data, clk)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// Authenticate implements Authenticator.
func (t *Tokens) Authenticate(r *http.Request) (Principal, *apierr.Error) {
	token, ok := BearerToken(r)
	if !ok {
		return Principal{}, apierr.Unauthenticated()
	}
	e, ok := t.tokens[token]
	if !ok {
		return Principal{}, apierr.InvalidToken()
	}
	if now := t.clock.Now(); e.ExpiresAt != nil && !now.Before(*e.ExpiresAt) {
		return Principal{}, apierr.Expired(*e.ExpiresAt, now)
	}
	return Principal{Token: token, PortalID: e.PortalID, Kind: e.Kind, Scopes: e.Scopes}, nil
}

// AcceptedScopes reads from op's document the scopes op accepts from a
// token of kind. Security requirements are a list of alternatives; each
// alternative names a scheme and its scopes. OAuth tokens satisfy schemes of
// type oauth2, private-app tokens schemes of type http (bearer). The
// operation's own security replaces the document's when present. nil means
// the operation requires no scope at all; an empty list means no scope of
// that kind of token is accepted. An alternative that names a scheme of the
// kind with no scopes accepts every token of that kind: nil.
func AcceptedScopes(op *openapi.Operation, kind string) []string {
	spec := op.Document.Spec
	reqs := spec.Security
	if op.Operation != nil && op.Operation.Security != nil {
		reqs = *op.Operation.Security
	}
	want := "http"
	if kind == KindOAuth {
		want = "oauth2"
	}
	if len(reqs) == 0 {
		return nil
	}
	out := []string{}
	var schemes openapi3.SecuritySchemes
	if spec.Components != nil {
		schemes = spec.Components.SecuritySchemes
	}
	for _, alt := range reqs {
		for scheme, scopes := range alt {
			ref := schemes[scheme]
			if ref == nil || ref.Value == nil || ref.Value.Type != want {
				continue
			}
			if len(scopes) == 0 {
				// A scheme with no scopes takes any token of its kind
				// (account info takes any token).
				return nil
			}
			for _, s := range scopes {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// PortalOf returns the portal of a listed token, expired or not.
func (t *Tokens) PortalOf(token string) (int64, bool) {
	e, ok := t.tokens[token]
	return e.PortalID, ok
}
