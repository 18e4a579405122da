package auth

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/idgen"
)

func newIssuer(clk clock.Clock, apps map[string]App) *Issuer {
	return NewIssuer(clk, idgen.New(1), apps, func(string) (int64, error) { return 99, nil })
}

func TestIssuedTokensExpireOnTheClock(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	is := newIssuer(clk, nil)
	code, err := is.Authorize(AuthorizeRequest{ClientID: "c", RedirectURI: "http://localhost/cb", Scopes: []string{"a", "a", "b"}, OptionalScopes: []string{"b", "c"}})
	if err != nil {
		t.Fatal(err)
	}
	pair, err := is.Exchange("c", "", "http://localhost/cb", code)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(pair.Access.Scopes, " "); got != "a b c" || pair.Access.PortalID != 99 {
		t.Fatalf("grant %+v", pair.Access)
	}
	authn := WithIssued(NewLenient(mustPortals(t), nil), is)
	call := func() (Principal, int) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", "Bearer "+pair.Access.Token)
		p, err := authn.Authenticate(r)
		if err != nil {
			return p, err.Status
		}
		return p, 200
	}
	if p, status := call(); status != 200 || p.PortalID != 99 || p.Kind != KindOAuth || p.AllScopes {
		t.Fatalf("principal %+v %d", p, status)
	}
	clk.Advance(AccessTokenLifetime - time.Millisecond)
	if _, status := call(); status != 200 {
		t.Fatalf("a millisecond before expiry: %d", status)
	}
	clk.Advance(time.Millisecond)
	if _, status := call(); status != 401 {
		t.Fatalf("at expiry: %d", status)
	}
}

func mustPortals(t *testing.T) *Portals {
	t.Helper()
	p, err := NewPortals(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestIssuerIsBounded: codes beyond MaxCodes push out the oldest, expired
// ones first, so memory stays bounded whatever a client does.
func TestIssuerIsBounded(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	is := newIssuer(clk, nil)
	req := AuthorizeRequest{ClientID: "c", RedirectURI: "http://localhost/cb"}
	first, _ := is.Authorize(req)
	for range MaxCodes + 10 {
		if _, err := is.Authorize(req); err != nil {
			t.Fatal(err)
		}
	}
	if codes, _, _ := is.Counts(); codes != MaxCodes {
		t.Fatalf("%d codes held, want %d", codes, MaxCodes)
	}
	if _, err := is.Exchange("c", "", req.RedirectURI, first); err == nil || err.OAuthStatus != StatusBadAuthCode {
		t.Fatalf("oldest code still works: %v", err)
	}
	// Once they expire, a new code sweeps them all.
	clk.Advance(CodeLifetime)
	if _, err := is.Authorize(req); err != nil {
		t.Fatal(err)
	}
	if codes, _, _ := is.Counts(); codes != 1 {
		t.Fatalf("%d codes held after expiry, want 1", codes)
	}
	is.Reset(nil)
	if c, a, r := is.Counts(); c+a+r != 0 {
		t.Fatalf("after reset: %d %d %d", c, a, r)
	}
}

func TestAppsSection(t *testing.T) {
	for _, c := range []struct{ doc, wantErr string }{
		{`{"tokens":[],"apps":[{"clientId":"a","clientSecret":"s","redirectUris":["https://x.example/cb"]}]}`, ""},
		{`{"tokens":[],"apps":[{"clientSecret":"s","redirectUris":["https://x.example/cb"]}]}`, "apps[0]: clientId is required"},
		{`{"tokens":[],"apps":[{"clientId":"a","redirectUris":["https://x.example/cb"]}]}`, "apps[0]: clientSecret is required"},
		{`{"tokens":[],"apps":[{"clientId":"a","clientSecret":"s"}]}`, "apps[0]: redirectUris needs at least one URI"},
		{`{"tokens":[],"apps":[{"clientId":"a","clientSecret":"s","redirectUris":["/cb"]}]}`, `apps[0].redirectUris[0]: "/cb" is not an absolute URL`},
		{`{"tokens":[],"apps":[{"clientId":"a","clientSecret":"s","redirectUris":["https://x.example/cb"],"portalId":-1}]}`, "apps[0]: portalId must be a positive integer"},
		{`{"tokens":[],"apps":[{"clientId":"a","clientSecret":"s","redirectUris":["https://x.example"]},{"clientId":"a","clientSecret":"t","redirectUris":["https://x.example"]}]}`, `apps[1]: clientId "a" listed twice`},
		{`{"tokens":[],"apps":[{"clientId":"a","clientSecret":"s","redirectUris":["https://x.example"],"secret":"x"}]}`, "unknown field"},
	} {
		tk, err := ParseTokens([]byte(c.doc), nil)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%s: %v", c.doc, err)
		case c.wantErr == "" && len(tk.Apps()) != 1:
			t.Errorf("%s: apps %v", c.doc, tk.Apps())
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%s: error %v, want %q", c.doc, err, c.wantErr)
		}
	}
}

// TestIssuerConcurrently runs installs, refreshes, lookups and revocations
// from several goroutines (run with -race).
func TestIssuerConcurrently(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	is := newIssuer(clk, nil)
	const workers, rounds = 4, 50
	errs := make(chan string, workers)
	for w := range workers {
		go func() {
			for range rounds {
				code, err := is.Authorize(AuthorizeRequest{ClientID: "c", RedirectURI: "http://localhost/cb", Scopes: []string{"oauth"}})
				if err != nil {
					errs <- err.Error()
					return
				}
				pair, err := is.Exchange("c", "", "http://localhost/cb", code)
				if err != nil {
					errs <- err.Error()
					return
				}
				if _, err := is.Refresh("c", "", pair.Refresh); err != nil {
					errs <- err.Error()
					return
				}
				if _, ok := is.Access(pair.Access.Token); !ok {
					errs <- "issued token not found"
					return
				}
				if w%2 == 0 && !is.Revoke(pair.Refresh) {
					errs <- "revoke of a known token failed"
					return
				}
			}
			errs <- ""
		}()
	}
	for range workers {
		if e := <-errs; e != "" {
			t.Fatal(e)
		}
	}
	if _, access, refresh := is.Counts(); access != 2*workers*rounds || refresh != workers*rounds/2 {
		t.Fatalf("%d access and %d refresh tokens held", access, refresh)
	}
}
