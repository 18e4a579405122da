package server

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mockhub/mockhub/internal/journal"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// defaultJournalSize is how many requests the journal keeps by default.
const defaultJournalSize = 1000

// record writes an answered API request to the journal and remembers which
// token fingerprints its portal has seen. Admin requests are not recorded:
// a test reading the journal should see only what the code under test sent.
func (s *Server) record(r *http.Request, info *reqctx.Info, status int, elapsed time.Duration) {
	if isAdminPath(r.URL.Path) {
		return
	}
	// One fingerprint serves the registry and the masked header: hashing is
	// the costliest part of recording.
	fp := ""
	if info.Token != "" {
		fp = Fingerprint(info.Token)
	}
	s.tokens.note(info.PortalID, fp)
	if s.journal.Size() == 0 {
		return
	}
	e := journal.Entry{
		Time:          info.RequestedAt,
		Method:        r.Method,
		Path:          r.URL.Path,
		Query:         maskQuery(r.URL.RawQuery),
		Header:        maskHeader(r.Header, info.Token, fp),
		Status:        status,
		DurationMs:    float64(elapsed.Microseconds()) / 1000,
		Portal:        info.PortalID,
		CorrelationID: info.CorrelationID,
		OperationID:   info.OperationID,
		Fault:         info.Fault,
	}
	if len(info.Body) > journal.MaxBody {
		e.Body, e.BodyTruncated = string(info.Body[:journal.MaxBody]), true
	} else {
		e.Body = string(info.Body)
	}
	// The capture is already cut to MaxBody; the string is the one copy
	// the entry keeps (the buffer goes back to its pool).
	e.ResponseBody, e.ResponseBodyTruncated = string(info.Response), info.ResponseTruncated
	if strings.HasPrefix(e.Path, "/oauth/") {
		maskOAuth(&e)
	}
	s.journal.Add(e)
}

// captureLimit is how much of a response body the journal keeps: none for
// admin requests, which are not recorded, or when the journal is off.
func (s *Server) captureLimit(r *http.Request) int {
	if s.journal.Size() == 0 || isAdminPath(r.URL.Path) {
		return 0
	}
	return journal.MaxBody
}

func isAdminPath(p string) bool {
	return p == AdminPrefix || strings.HasPrefix(p, AdminPrefix+"/")
}

// Fingerprint identifies a token without revealing it: the first 8 hex
// digits of its SHA-256.
func Fingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return "sha256:" + hex.EncodeToString(sum[:4])
}

// maskHeader copies h with the Authorization value replaced by its scheme
// and the token's fingerprint; fp is the already computed fingerprint of
// token, the request's authenticated token.
func maskHeader(h http.Header, token, fp string) http.Header {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	if vs, ok := out["Authorization"]; ok {
		masked := make([]string, len(vs))
		for i, v := range vs {
			masked[i] = maskAuthorization(v, token, fp)
		}
		out["Authorization"] = masked
	}
	return out
}

func maskAuthorization(v, known, knownFP string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(v), " ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		return "***"
	}
	if token != known || knownFP == "" {
		knownFP = Fingerprint(token)
	}
	return scheme + " *** (" + knownFP + ")"
}

// oauthSecretFields are the form fields of OAuth requests that hold a
// secret: a client secret, an authorization code, a token.
var oauthSecretFields = map[string]bool{"client_secret": true, "code": true, "refresh_token": true, "token": true}

// oauthTokenJSON matches the tokens an OAuth answer hands out (our own JSON:
// a token never holds a quote or a backslash).
var oauthTokenJSON = regexp.MustCompile(`"(access_token|refresh_token|id_token|token)"(\s*:\s*)"([^"\\]*)"`)

// maskOAuth replaces the secrets an OAuth request sends and the tokens its
// answer hands out by their fingerprints, as the Authorization header is,
// so the journal (and the dashboard) never shows one: in the form body, the
// JSON answer, and the path of token lookups (/oauth/v1/access-tokens/{t}).
func maskOAuth(e *journal.Entry) {
	if e.Body != "" {
		parts := strings.Split(e.Body, "&")
		for i, p := range parts {
			k, v, ok := strings.Cut(p, "=")
			name, err := url.QueryUnescape(k)
			if !ok || err != nil || !oauthSecretFields[name] {
				continue
			}
			if plain, err := url.QueryUnescape(v); err == nil {
				v = plain
			}
			// Left unescaped so the fingerprint reads as in a header; it
			// still parses as a form value.
			parts[i] = k + "=***(" + Fingerprint(v) + ")"
		}
		e.Body = strings.Join(parts, "&")
	}
	e.ResponseBody = oauthTokenJSON.ReplaceAllStringFunc(e.ResponseBody, func(m string) string {
		g := oauthTokenJSON.FindStringSubmatch(m)
		return `"` + g[1] + `"` + g[2] + `"*** (` + Fingerprint(g[3]) + `)"`
	})
	for _, prefix := range []string{"/access-tokens/", "/refresh-tokens/"} {
		if i := strings.Index(e.Path, prefix); i >= 0 {
			token := e.Path[i+len(prefix):]
			if plain, err := url.PathUnescape(token); err == nil {
				token = plain
			}
			e.Path = e.Path[:i+len(prefix)] + "*** (" + Fingerprint(token) + ")"
		}
	}
}

// maskQuery hides the value of hapikey, the one credential HubSpot ever took
// in a query string.
func maskQuery(raw string) string {
	if !strings.Contains(strings.ToLower(raw), "hapikey") {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(k); err == nil && strings.EqualFold(name, "hapikey") {
			parts[i] = k + "=***"
		}
	}
	return strings.Join(parts, "&")
}

// tokenRegistry remembers, per portal, the fingerprints of the tokens that
// reached it; raw tokens are never kept.
type tokenRegistry struct {
	mu       sync.Mutex
	byPortal map[int64]map[string]struct{}
}

func newTokenRegistry() *tokenRegistry {
	return &tokenRegistry{byPortal: map[int64]map[string]struct{}{}}
}

// note records that a token with fingerprint fp reached portal.
func (t *tokenRegistry) note(portal int64, fp string) {
	if portal == 0 || fp == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	m := t.byPortal[portal]
	if m == nil {
		m = map[string]struct{}{}
		t.byPortal[portal] = m
	}
	m[fp] = struct{}{}
}

func (t *tokenRegistry) fingerprints(portal int64) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.byPortal[portal]))
	for fp := range t.byPortal[portal] {
		out = append(out, fp)
	}
	sort.Strings(out)
	return out
}

func (t *tokenRegistry) reset(portal *int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if portal == nil {
		t.byPortal = map[int64]map[string]struct{}{}
	} else {
		delete(t.byPortal, *portal)
	}
}
