package server_test

import (
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/persist"
	"github.com/mockhub/mockhub/internal/server"
)

// Two tokens whose first candidate portal ids are the same: before portal
// ids were assigned, they shared a portal.
const (
	collidingA = "tok-9383"
	collidingB = "tok-62740"
	labelsPath = "/crm/associations/2026-03/contacts/companies/labels"
)

func labelBody(name string) string {
	return `{"name":"` + name + `","label":"L ` + name + `","inverseLabel":"I ` + name + `"}`
}

// labelsOf lists tok's contacts->companies labels.
func (e *env) labelsOf(tok string) string {
	e.t.Helper()
	r := e.must("GET", labelsPath, tok, "", nil)
	if r.status != 200 {
		e.t.Fatalf("list labels: %d %s", r.status, r.body)
	}
	return string(r.body)
}

func (e *env) createLabel(tok, name string) {
	e.t.Helper()
	if r := e.must("POST", labelsPath, tok, labelBody(name), nil); r.status != 200 && r.status != 201 {
		e.t.Fatalf("create label %s: %d %s", name, r.status, r.body)
	}
}

func TestCollidingTokensDoNotShareState(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.createLabel(collidingA, "mine")
	if body := e.labelsOf(collidingB); strings.Contains(body, "mine") {
		t.Fatalf("%s sees %s's label: %s", collidingB, collidingA, body)
	}
	if body := e.labelsOf(collidingA); !strings.Contains(body, `"L mine"`) {
		t.Fatalf("%s lost its label: %s", collidingA, body)
	}
	if a, b := portalOf(t, e.srv, collidingA), portalOf(t, e.srv, collidingB); a == b {
		t.Fatalf("both tokens have portal %d", a)
	}
}

func TestPortalIDsSurviveRestartAndReset(t *testing.T) {
	dir := t.TempDir()
	e := newEnv(t, server.Config{DataDir: dir})
	// collidingB is seen first, so it keeps the shared first candidate and
	// collidingA moves on: a restart that sees them in the other order
	// must not swap them.
	e.createLabel(collidingB, "b")
	e.createLabel(collidingA, "a")
	want := map[string]int64{collidingA: portalOf(t, e.srv, collidingA), collidingB: portalOf(t, e.srv, collidingB)}

	check := func(e *env, step string) {
		t.Helper()
		for _, tok := range []string{collidingA, collidingB} {
			if got := portalOf(t, e.srv, tok); got != want[tok] {
				t.Errorf("%s: %s has portal %d, had %d", step, tok, got, want[tok])
			}
		}
	}
	e2 := newEnv(t, server.Config{DataDir: dir})
	if body := e2.labelsOf(collidingA); !strings.Contains(body, `"L a"`) || strings.Contains(body, `"L b"`) {
		t.Fatalf("after restart %s lists %s", collidingA, body)
	}
	check(e2, "after restart")
	if r := e2.must("POST", "/_mockhub/reset", "", "", nil); r.status != 200 {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	check(e2, "after reset")
	check(newEnv(t, server.Config{DataDir: dir}), "after reset and restart")
}

func TestCorruptTokenAssignmentsStopStartUp(t *testing.T) {
	tokens, err := auth.NewTokens([]auth.Token{{Token: "pat-na1-listed", PortalID: 111}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		auth auth.Authenticator
	}{
		{"lenient", nil},
		{"tokens file", tokens},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db, err := persist.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			// Two tokens with one portal: mockhub never writes that.
			for _, tok := range []string{"a", "b"} {
				if err := db.SaveToken(sha256.Sum256([]byte(tok)), 12345678); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			_, err = server.New(server.Config{DataDir: dir, Authenticator: tt.auth})
			if err == nil || !strings.Contains(err.Error(), "is corrupt") || !strings.Contains(err.Error(), "will not start") {
				t.Fatalf("New = %v, want a corrupt data file", err)
			}
		})
	}
}

func TestPortalOfWithTokensFile(t *testing.T) {
	tokens, err := auth.NewTokens([]auth.Token{{Token: "pat-na1-listed", PortalID: 111}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Authenticator: tokens})
	if err != nil {
		t.Fatal(err)
	}
	if id, err := srv.PortalOf("pat-na1-listed"); id != 111 || err != nil {
		t.Errorf("listed token: PortalOf = %d, %v", id, err)
	}
	if id, err := srv.PortalOf("pat-na1-unlisted"); err == nil {
		t.Errorf("unlisted token: PortalOf = %d, want an error", id)
	}
}
