package mockhubtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/persist"
	"github.com/mockhub/mockhub/internal/server"
)

// Handler is mockhub as an http.Handler, to mount in a server of your own
// (for example under a prefix with http.StripPrefix). It serves the HubSpot
// API and the admin API under /_mockhub exactly as the mockhub binary does.
// Close it when done.
type Handler struct {
	srv    *server.Server
	clock  *clock.Controlled
	setup  setup
	unlock func() // releases the data directory; nil without one
	once   sync.Once
}

var _ http.Handler = (*Handler)(nil)

// NewHandler builds a Handler from the options. It fails, naming the option,
// when an option's value is refused, and when the data directory is in use
// or holds state that cannot be read.
func NewHandler(opts ...Option) (*Handler, error) {
	var o options
	for _, opt := range opts {
		if opt.apply != nil {
			opt.apply(&o)
		}
	}
	st, err := o.config()
	if err != nil {
		return nil, fmt.Errorf("mockhubtest: %w", err)
	}
	h := &Handler{clock: st.clock, setup: st}
	if st.cfg.DataDir != "" {
		// The binary takes the same lock: one server per directory.
		if h.unlock, err = persist.Lock(st.cfg.DataDir); err != nil {
			return nil, fmt.Errorf("mockhubtest: WithDataDir: %w", err)
		}
	}
	h.srv, err = server.New(st.cfg)
	if err != nil {
		if h.unlock != nil {
			h.unlock()
		}
		if errors.Is(err, server.ErrFixtures) {
			return nil, fmt.Errorf("mockhubtest: WithFixtures: %w", err)
		}
		return nil, fmt.Errorf("mockhubtest: %w", err)
	}
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.srv.ServeHTTP(w, r) }

// Close releases the requests that hang or latency faults hold, so that the
// server serving the Handler can shut down without waiting for them, then
// unlocks the data directory. Call it as you stop serving: requests that
// still arrive are answered, but a data directory is no longer reserved for
// this Handler. It may be called more than once.
func (h *Handler) Close() {
	h.once.Do(func() {
		h.srv.Close()
		if h.unlock != nil {
			h.unlock()
		}
	})
}

// Reset returns every portal to its fixtures and clears fault rules (back to
// WithFaultRules), the journal and rate-limit windows, like
// POST /_mockhub/reset.
func (h *Handler) Reset() error {
	_, err := h.admin(http.MethodPost, "/reset", nil, http.StatusOK)
	return err
}

// admin calls the admin API in-process, through the same routes a client
// reaches, and returns the body of an answer with status want.
func (h *Handler) admin(method, path string, body []byte, want int) ([]byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://mockhubtest"+server.AdminPrefix+path, r)
	if err != nil {
		return nil, err
	}
	req.RemoteAddr = "127.0.0.1:0"
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != want {
		return nil, &AdminError{Status: rec.Code, Body: rec.Body.String()}
	}
	return rec.Body.Bytes(), nil
}
