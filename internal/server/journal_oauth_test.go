package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/server"
)

// TestJournalMasksOAuthSecrets: the journal (and so the dashboard) shows
// the client secret, code and tokens of an OAuth install by fingerprint
// only: in form bodies, in answers and in token lookup paths.
func TestJournalMasksOAuthSecrets(t *testing.T) {
	_, hs := newServer(t, server.Config{})
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(hs.URL + "/oauth/authorize?client_id=app&scope=crm.objects.contacts.read&redirect_uri=" + url.QueryEscape("http://localhost/cb"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("authorize: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	code := loc.Query().Get("code")
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {"app"}, "client_secret": {"s3cr3t-value"},
		"redirect_uri": {"http://localhost/cb"}, "code": {code}}
	resp, err = http.Post(hs.URL+"/oauth/v1/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	var tokens struct {
		Access  string `json:"access_token"`
		Refresh string `json:"refresh_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tokens); err != nil || resp.StatusCode != 200 || tokens.Access == "" || tokens.Refresh == "" {
		t.Fatalf("token: %d %v %+v", resp.StatusCode, err, tokens)
	}
	resp.Body.Close()
	for _, path := range []string{"/oauth/v1/access-tokens/" + tokens.Access, "/oauth/v1/refresh-tokens/" + tokens.Refresh} {
		if a := call(t, hs, "GET", path, "", ""); a.status != 200 {
			t.Fatalf("GET %s = %d %s", path, a.status, a.body)
		}
	}

	raw := call(t, hs, "GET", "/_mockhub/requests", "", "").body
	for name, secret := range map[string]string{"client secret": "s3cr3t-value", "code": code, "access token": tokens.Access, "refresh token": tokens.Refresh} {
		if strings.Contains(raw, secret) {
			t.Errorf("the journal shows the %s: %s", name, raw)
		}
	}
	for _, fp := range []string{server.Fingerprint("s3cr3t-value"), server.Fingerprint(tokens.Access), server.Fingerprint(tokens.Refresh)} {
		if !strings.Contains(raw, fp) {
			t.Errorf("the journal lacks fingerprint %s: %s", fp, raw)
		}
	}
	// What is not secret stays as sent.
	if !strings.Contains(raw, "grant_type=authorization_code") || !strings.Contains(raw, `\"expires_in\":1800`) {
		t.Errorf("the journal lost what is not secret: %s", raw)
	}
}
