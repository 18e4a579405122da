package mockhubtest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/mockhubtest"
)

// A batch a fault answered PENDING is applied when the test advances the
// clock past its due time, before Advance returns, on a running clock as on
// a frozen one.
func TestAdvanceAppliesPendingBatch(t *testing.T) {
	for _, c := range []struct {
		name string
		opts []mockhubtest.Option
	}{
		{"running", nil},
		{"frozen", []mockhubtest.Option{mockhubtest.WithFrozenClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := mockhubtest.NewServer(t, c.opts...)
			req := srv.NewRequest("POST", pairPath+"/batch/create", createLimit)
			req.Header.Set("X-Mockhub-Fault", "batchStatus;status=PENDING;applyAfterMs=3600000")
			if status, body := do(t, srv, req); status != http.StatusCreated || !strings.Contains(body, `"status":"PENDING"`) {
				t.Fatalf("create = %d %s", status, body)
			}
			limits := func() string {
				_, body := do(t, srv, srv.NewRequest("GET", pairPath, nil))
				return body
			}
			if got := limits(); got != `{"results":[]}` {
				t.Fatalf("applied at once: %s", got)
			}
			srv.Advance(time.Hour)
			if got := limits(); !strings.Contains(got, `"userEnforcedMaxToObjectIds":5`) {
				t.Fatalf("not applied once due: %s", got)
			}
		})
	}
}

// A running clock never goes back; frozen, it may be set anywhere, and the
// admin API moves the same clock.
func TestClockFreezeAndSetBack(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	if srv.Frozen() {
		t.Fatal("a server without WithFrozenClock is frozen")
	}
	before := srv.Now()
	past := before.Add(-24 * time.Hour)
	msg := failure(func(tb mockhubtest.TB) {
		s := mockhubtest.NewServer(tb)
		s.SetTime(s.Now().Add(-time.Hour))
	})
	if !strings.Contains(msg, "mockhubtest: SetTime: the clock is running and never goes back") {
		t.Fatalf("SetTime back on a running clock: failure %q", msg)
	}
	if msg := failure(func(tb mockhubtest.TB) { mockhubtest.NewServer(tb).Advance(-time.Second) }); !strings.Contains(msg, "mockhubtest: Advance: advance must not be negative") {
		t.Fatalf("negative Advance: failure %q", msg)
	}

	frozenAt := srv.Freeze()
	if !srv.Frozen() || frozenAt.Before(before) || !srv.Now().Equal(frozenAt) {
		t.Fatalf("Freeze = %v, Now %v, Frozen %v", frozenAt, srv.Now(), srv.Frozen())
	}
	srv.SetTime(past)
	if !srv.Now().Equal(past) {
		t.Fatalf("Now = %v after SetTime(%v) while frozen", srv.Now(), past)
	}
	if got := srv.Unfreeze(); !got.Equal(past) || srv.Frozen() {
		t.Fatalf("Unfreeze = %v, Frozen %v", got, srv.Frozen())
	}

	resp, err := srv.Client().Post(srv.URL+"/_mockhub/clock", "application/json", strings.NewReader(`{"freeze":true,"set":"2030-01-01T00:00:00Z"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC); resp.StatusCode != 200 || !srv.Frozen() || !srv.Now().Equal(want) {
		t.Fatalf("admin move: %d; Now %v, Frozen %v", resp.StatusCode, srv.Now(), srv.Frozen())
	}
}

// A Handler reports a refused SetTime, and panics on a negative Advance.
func TestHandlerClockRefusals(t *testing.T) {
	h, err := mockhubtest.NewHandler()
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if err := h.SetTime(h.Now().Add(-time.Minute)); err == nil || !strings.Contains(err.Error(), "never goes back") {
		t.Fatalf("SetTime back: %v", err)
	}
	if err := h.SetTime(h.Now().Add(time.Hour)); err != nil {
		t.Fatalf("SetTime forward: %v", err)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), "advance must not be negative") {
			t.Fatalf("negative Advance recovered %v", r)
		}
	}()
	h.Advance(-time.Second)
}
