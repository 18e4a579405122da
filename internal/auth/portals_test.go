package auth

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mockhub/mockhub/internal/apierr"
)

// Two tokens whose first candidates are the same id.
const (
	collidingA = "tok-9383"
	collidingB = "tok-62740"
	collision  = 44526553
)

// memSaver is a Saver in memory that can be made to fail.
type memSaver struct {
	mu    sync.Mutex
	saved map[Sum]int64
	fail  error
}

func (s *memSaver) SaveToken(sum Sum, portal int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	if s.saved == nil {
		s.saved = map[Sum]int64{}
	}
	s.saved[sum] = portal
	return nil
}

func newPortals(t testing.TB, saved map[Sum]int64, saver Saver) *Portals {
	t.Helper()
	p, err := NewPortals(saved, saver)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func portalOf(t testing.TB, p *Portals, token string) int64 {
	t.Helper()
	id, err := p.PortalOf(token)
	if err != nil {
		t.Fatalf("PortalOf(%q): %v", token, err)
	}
	return id
}

// assignAll gives tokens tok-0 ... tok-(n-1) their ids, in that order.
func assignAll(t *testing.T, p *Portals, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = portalOf(t, p, "tok-"+strconv.Itoa(i))
	}
	return ids
}

func TestPortalsAreDistinctAndDeterministic(t *testing.T) {
	const n = 100_000
	first := assignAll(t, newPortals(t, nil, nil), n)
	owner := make(map[int64]int, n)
	moved := 0
	for i, id := range first {
		tok := "tok-" + strconv.Itoa(i)
		if j, dup := owner[id]; dup {
			t.Fatalf("tok-%d and %s share portal %d", j, tok, id)
		}
		owner[id] = i
		if id < minPortal || id >= minPortal+portalRange {
			t.Fatalf("%s: portal %d is not an 8-digit id", tok, id)
		}
		if id != candidate(tok, 0) {
			moved++
		}
	}
	// 248 of these tokens share 124 first candidates: one of each pair
	// keeps it, the other moves on.
	if moved != 124 {
		t.Errorf("%d tokens moved off their first candidate, want 124", moved)
	}
	second := assignAll(t, newPortals(t, nil, nil), n)
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("tok-%d: portal %d on the first run, %d on the second", i, first[i], second[i])
		}
	}
}

func TestFirstCandidateIsTheEarlierDerivedID(t *testing.T) {
	// The ids earlier versions derived, so their data directories keep
	// their portals.
	for token, want := range map[string]int64{
		collidingA:         collision,
		collidingB:         collision,
		"pat-na1-test":     93185354,
		"some-oauth-token": 24174631,
	} {
		if got := candidate(token, 0); got != want {
			t.Errorf("candidate(%q, 0) = %d, want %d", token, got, want)
		}
		if got := portalOf(t, newPortals(t, nil, nil), token); got != want {
			t.Errorf("a fresh assigner gives %q portal %d, want %d", token, got, want)
		}
	}
}

func TestCollidingTokensGetDistinctPortals(t *testing.T) {
	tests := []struct{ first, second string }{
		{collidingA, collidingB},
		{collidingB, collidingA},
	}
	for _, tt := range tests {
		t.Run(tt.first+" first", func(t *testing.T) {
			p := newPortals(t, nil, nil)
			a, b := portalOf(t, p, tt.first), portalOf(t, p, tt.second)
			if a != collision || b == collision {
				t.Fatalf("portals %d and %d; want the first seen to keep %d", a, b, collision)
			}
			// Seen again, in any order, they keep their ids.
			if portalOf(t, p, tt.second) != b || portalOf(t, p, tt.first) != a {
				t.Fatal("a token's portal changed")
			}
		})
	}
}

func TestLongTokens(t *testing.T) {
	p := newPortals(t, nil, nil)
	long := strings.Repeat("x", maxKeyLen+1)
	tokens := []string{long, long + "y", long[:maxKeyLen], strings.Repeat("x", 1<<20)}
	ids := map[int64]string{}
	for _, tok := range tokens {
		id := portalOf(t, p, tok)
		if other, dup := ids[id]; dup {
			t.Fatalf("tokens of %d and %d bytes share portal %d", len(other), len(tok), id)
		}
		ids[id] = tok
	}
	for id, tok := range ids {
		if got := portalOf(t, p, tok); got != id {
			t.Fatalf("token of %d bytes: portal %d, then %d", len(tok), id, got)
		}
	}
	if len(p.long) != 3 || len(p.short) != 1 {
		t.Fatalf("%d long and %d short keys, want 3 and 1", len(p.long), len(p.short))
	}
}

func TestPortalsRestoreAndSave(t *testing.T) {
	sum := func(token string) Sum { return sha256.Sum256([]byte(token)) }
	// collidingA was saved with a later candidate; an unseen token
	// ("gone") holds collision, its first candidate's id.
	saved := map[Sum]int64{sum(collidingA): 55555555, sum("gone"): collision}
	saver := &memSaver{}
	p := newPortals(t, saved, saver)
	if got := portalOf(t, p, collidingA); got != 55555555 {
		t.Fatalf("restored token: portal %d, want its saved 55555555", got)
	}
	b := portalOf(t, p, collidingB)
	if b == collision || b == 55555555 {
		t.Fatalf("new token got portal %d, held by a saved token", b)
	}
	if len(saver.saved) != 1 || saver.saved[sum(collidingB)] != b {
		t.Fatalf("saved %v; want only the new token's assignment", saver.saved)
	}
	// A restart from what was saved gives every token its id back.
	for s, id := range saver.saved {
		saved[s] = id
	}
	p2 := newPortals(t, saved, &memSaver{})
	for token, want := range map[string]int64{collidingB: b, collidingA: 55555555, "gone": collision} {
		if got := portalOf(t, p2, token); got != want {
			t.Errorf("after restart %q has portal %d, want %d", token, got, want)
		}
	}
}

func TestFailedSaveAssignsNothing(t *testing.T) {
	saver := &memSaver{fail: errors.New("disk full")}
	p := newPortals(t, nil, saver)
	if _, err := p.PortalOf(collidingA); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("PortalOf = %v, want the save's error", err)
	}
	if len(p.short) != 0 || len(p.used) != 0 {
		t.Fatal("an unsaved assignment was kept")
	}
	saver.fail = nil
	if got := portalOf(t, p, collidingA); got != collision || len(saver.saved) != 1 {
		t.Fatalf("retry: portal %d, saved %v", got, saver.saved)
	}
}

func TestNewPortalsRefusesBadAssignments(t *testing.T) {
	a, b := sha256.Sum256([]byte("a")), sha256.Sum256([]byte("b"))
	tests := []struct {
		name  string
		saved map[Sum]int64
		want  string
	}{
		{"shared portal", map[Sum]int64{a: 12345678, b: 12345678}, "portal 12345678 is assigned to two tokens"},
		{"zero", map[Sum]int64{a: 0}, "is not positive"},
		{"negative", map[Sum]int64{a: -5}, "is not positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewPortals(tt.saved, nil); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewPortals = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestPortalsConcurrentFirstSight(t *testing.T) {
	saver := &memSaver{}
	p := newPortals(t, nil, saver)
	const workers, tokens = 8, 500
	got := make([][]int64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			got[w] = make([]int64, tokens)
			for i := range tokens {
				// Each worker walks the tokens from a different start.
				k := (i + w*tokens/workers) % tokens
				id, err := p.PortalOf("tok-" + strconv.Itoa(k))
				if err != nil {
					t.Error(err)
					return
				}
				got[w][k] = id
			}
		})
	}
	wg.Wait()
	seen := map[int64]bool{}
	for k := range tokens {
		id := got[0][k]
		for w := range workers {
			if got[w][k] != id {
				t.Fatalf("tok-%d: worker 0 saw %d, worker %d saw %d", k, id, w, got[w][k])
			}
		}
		if seen[id] {
			t.Fatalf("portal %d given twice", id)
		}
		seen[id] = true
	}
	if len(saver.saved) != tokens {
		t.Fatalf("%d assignments saved, want %d (each once)", len(saver.saved), tokens)
	}
}

func TestLenientAuthenticate(t *testing.T) {
	saver := &memSaver{}
	l := NewLenient(newPortals(t, nil, saver), nil)
	tests := []struct {
		name   string
		header string
		fail   error
		status int
		portal int64
		kind   string
	}{
		{"no token", "", nil, http.StatusUnauthorized, 0, ""},
		{"first sight", "Bearer " + collidingB, nil, 0, collision, KindOAuth},
		{"colliding token", "Bearer " + collidingA, nil, 0, 0, KindOAuth},
		{"save fails", "Bearer pat-na1-new", errors.New("disk full"), http.StatusInternalServerError, 0, ""},
		{"seen token while saves fail", "Bearer " + collidingB, errors.New("disk full"), 0, collision, KindOAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saver.fail = tt.fail
			r := httptest.NewRequest("GET", "/", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			p, aerr := l.Authenticate(r)
			if tt.status != 0 {
				if aerr == nil || aerr.Status != tt.status {
					t.Fatalf("Authenticate = %+v, %v; want status %d", p, aerr, tt.status)
				}
				if tt.status == http.StatusInternalServerError && aerr.Message != apierr.MsgInternal {
					t.Fatalf("message %q", aerr.Message)
				}
				return
			}
			if aerr != nil || p.Kind != tt.kind || !p.AllScopes || p.PortalID <= 0 {
				t.Fatalf("Authenticate = %+v, %v", p, aerr)
			}
			if tt.portal != 0 && p.PortalID != tt.portal {
				t.Fatalf("portal %d, want %d", p.PortalID, tt.portal)
			}
			if tt.portal == 0 && p.PortalID == collision {
				t.Fatalf("portal %d is another token's", p.PortalID)
			}
		})
	}
}

// BenchmarkPortalOfSeen is the request path: a token already assigned.
func BenchmarkPortalOfSeen(b *testing.B) {
	p := newPortals(b, nil, nil)
	for i := range 10_000 {
		portalOf(b, p, "pat-na1-"+strconv.Itoa(i))
	}
	const token = "pat-na1-1234"
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.PortalOf(token); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := p.PortalOf(token); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkPortalOfFirstSight is a new token's assignment, in memory.
func BenchmarkPortalOfFirstSight(b *testing.B) {
	p := newPortals(b, nil, nil)
	tokens := make([]string, b.N)
	for i := range tokens {
		tokens[i] = "pat-na1-" + strconv.Itoa(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for _, tok := range tokens {
		if _, err := p.PortalOf(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPortalsMemory reports the heap an assigned token keeps, with
// tokens the size of a private-app token.
func BenchmarkPortalsMemory(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		p := newPortals(b, nil, nil)
		for i := range n {
			portalOf(b, p, fmt.Sprintf("pat-na1-%08d-0000-0000-0000-000000000000", i))
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/n, "B/token")
		runtime.KeepAlive(p)
	}
}
