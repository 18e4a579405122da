package examples

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mockhub/mockhub/mockhubtest"
)

// Fault rules given at start-up make the first call fail the way HubSpot
// sometimes does; the journal shows which fault answered.
func TestClientSeesFault(t *testing.T) {
	srv := mockhubtest.NewServer(t,
		mockhubtest.WithFrozenClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)),
		mockhubtest.WithFaultRules([]byte(`
rules:
  - match: {method: POST, path: /crm/associations/**}
    fault: {kind: status, status: 503}
    times: 1
`)))
	c := &limitsClient{baseURL: srv.URL, token: srv.Token, http: srv.Client()}

	if err := c.setContactCompanyLimit(5); err == nil {
		t.Fatal("the first call succeeded through a 503 fault")
	}
	srv.Advance(2 * time.Second) // the client's back-off, without waiting
	if err := c.setContactCompanyLimit(5); err != nil {
		t.Fatalf("second call: %v", err)
	}
	sent := srv.Requests(mockhubtest.Filter{Method: "POST"})
	if len(sent) != 2 || sent[1].Fault == "" || sent[0].Time.Sub(sent[1].Time) != 2*time.Second {
		t.Fatalf("journal: %+v", sent)
	}
}

// NewHandler mounts mockhub in a server of the project's own, next to its
// other routes.
func TestClientAgainstEmbeddedHandler(t *testing.T) {
	h, err := mockhubtest.NewHandler()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	mux := http.NewServeMux()
	mux.Handle("/hubspot/", http.StripPrefix("/hubspot", h))
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)

	c := &limitsClient{baseURL: hs.URL + "/hubspot", token: "pat-na1-embedded", http: hs.Client()}
	if err := c.setContactCompanyLimit(5); err != nil {
		t.Fatal(err)
	}
}
