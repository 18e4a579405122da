// Package examples is a module of its own that uses mockhub the way a user's
// project does: it requires github.com/mockhub/mockhub (replaced by this
// checkout) and imports mockhubtest in its tests.
package examples

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/mockhubtest"
)

// limitsClient stands for the user's code under test: it sets an
// association limit through the HubSpot API at baseURL.
type limitsClient struct {
	baseURL, token string
	http           *http.Client
}

func (c *limitsClient) setContactCompanyLimit(max int) error {
	body := `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":` + itoa(max) + `}]}`
	req, err := http.NewRequest("POST", c.baseURL+"/crm/associations/2026-03/definitions/configurations/contacts/companies/batch/create", strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return &statusError{resp.StatusCode}
	}
	return nil
}

type statusError struct{ status int }

func (e *statusError) Error() string { return "unexpected status " + itoa(e.status) }

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestClientSetsLimit(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	c := &limitsClient{baseURL: srv.URL, token: srv.Token, http: srv.Client()}

	if err := c.setContactCompanyLimit(5); err != nil {
		t.Fatal(err)
	}

	sent := srv.Requests(mockhubtest.Filter{Method: "POST", Path: "/crm/associations/**/batch/create"})
	if len(sent) != 1 {
		t.Fatalf("the client sent %d batch/create requests, want 1", len(sent))
	}
	var in struct {
		Inputs []struct {
			MaxToObjectIds int `json:"maxToObjectIds"`
		} `json:"inputs"`
	}
	if err := sent[0].DecodeBody(&in); err != nil || len(in.Inputs) != 1 || in.Inputs[0].MaxToObjectIds != 5 {
		t.Fatalf("sent body %s (%v)", sent[0].Body, err)
	}
	if got := sent[0].Header.Get("Authorization"); strings.Contains(got, srv.Token) {
		t.Fatalf("journal shows the token: %q", got)
	}
	if err := c.setContactCompanyLimit(6); err == nil {
		t.Fatal("creating the same limit twice succeeded")
	}
	srv.Reset()
	if err := c.setContactCompanyLimit(6); err != nil {
		t.Fatalf("after Reset: %v", err)
	}
}
