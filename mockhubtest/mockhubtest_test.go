package mockhubtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/mockhubtest"
)

const pairPath = "/crm/associations/2026-03/definitions/configurations/contacts/companies"

func do(t *testing.T, srv *mockhubtest.Server, req *http.Request) (int, string) {
	t.Helper()
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func TestNewServerServesWithReadyToken(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("URL = %q, want a loopback address", srv.URL)
	}
	if srv.PortalID != auth.PortalID(srv.Token) {
		t.Fatalf("PortalID = %d, want the token's portal %d", srv.PortalID, auth.PortalID(srv.Token))
	}
	status, body := do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5}]}`))
	if status != http.StatusCreated {
		t.Fatalf("create = %d %s", status, body)
	}
	if srv.Clock() != nil {
		t.Fatal("Clock() is not nil without WithFrozenClock")
	}
}

func TestWithTokenChoosesPortal(t *testing.T) {
	srv := mockhubtest.NewServer(t, mockhubtest.WithToken("pat-eu1-custom"))
	if srv.Token != "pat-eu1-custom" || srv.PortalID != auth.PortalID("pat-eu1-custom") {
		t.Fatalf("Token, PortalID = %q, %d", srv.Token, srv.PortalID)
	}
}

func TestResetClearsStateAndJournal(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5}]}`))
	if n := len(srv.Requests(mockhubtest.Filter{})); n != 1 {
		t.Fatalf("journal holds %d requests, want 1", n)
	}
	srv.Reset()
	if n := len(srv.Requests(mockhubtest.Filter{})); n != 0 {
		t.Fatalf("journal holds %d requests after Reset, want 0", n)
	}
	_, body := do(t, srv, srv.NewRequest("GET", pairPath, nil))
	if body != `{"results":[]}` {
		t.Fatalf("limits after Reset = %s, want none", body)
	}
}

func TestRequestsFilters(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	do(t, srv, srv.NewRequest("GET", pairPath, nil))
	do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5}]}`))
	do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", `{"inputs":[]`))

	posts := srv.Requests(mockhubtest.Filter{Method: "post", Path: "/crm/associations/*/definitions/configurations/*/*/batch/create"})
	if len(posts) != 2 || posts[0].Status != 400 || posts[1].Status != 201 {
		t.Fatalf("POST batch/create requests = %+v", posts)
	}
	var in struct {
		Inputs []struct {
			TypeID int `json:"typeId"`
		} `json:"inputs"`
	}
	if err := posts[1].DecodeBody(&in); err != nil || in.Inputs[0].TypeID != 279 {
		t.Fatalf("body = %q (%v)", posts[1].Body, err)
	}
	if got := srv.Requests(mockhubtest.Filter{Status: "4xx"}); len(got) != 1 {
		t.Fatalf("4xx requests = %d, want 1", len(got))
	}
	if got := srv.Requests(mockhubtest.Filter{Limit: 1}); len(got) != 1 || got[0].Status != 400 {
		t.Fatalf("newest request = %+v", got)
	}
}

func TestFrozenClock(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := mockhubtest.NewServer(t, mockhubtest.WithFrozenClock(start))
	if got := srv.Advance(time.Hour); !got.Equal(start.Add(time.Hour)) {
		t.Fatalf("Advance = %v", got)
	}
	do(t, srv, srv.NewRequest("GET", pairPath, nil))
	reqs := srv.Requests(mockhubtest.Filter{})
	if len(reqs) != 1 || !reqs[0].Time.Equal(start.Add(time.Hour)) {
		t.Fatalf("journal time = %+v, want the frozen clock's", reqs)
	}
}

func TestWithFixtures(t *testing.T) {
	doc := `{"portals":[{"portalId":` + jsonInt(auth.PortalID(mockhubtest.DefaultToken)) + `,"labels":[],"limits":[{"fromObjectType":"contacts","toObjectType":"companies","typeId":279,"maxToObjectIds":3}]}]}`
	srv := mockhubtest.NewServer(t, mockhubtest.WithFixtures([]byte(doc)))
	_, body := do(t, srv, srv.NewRequest("GET", pairPath, nil))
	if !strings.Contains(body, `"userEnforcedMaxToObjectIds":3`) {
		t.Fatalf("seeded limits = %s", body)
	}
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// AddFault speaks the fault API of issue 3 (POST /_mockhub/faults). Until a
// server has that endpoint, the test is skipped.
func TestAddFault(t *testing.T) {
	srv := mockhubtest.NewServer(t)
	resp, err := srv.Client().Get(srv.URL + "/_mockhub/faults")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		t.Skip("this server has no /_mockhub/faults endpoint")
	}
	f := srv.AddFault(map[string]any{
		"match": map[string]any{"method": "POST", "path": "/crm/associations/*/definitions/configurations/*/*/batch/create"},
		"fault": map[string]any{"kind": "status", "status": 429},
		"times": 1,
	})
	if f.ID == "" {
		t.Fatalf("stored rule has no id: %s", f.Rule)
	}
	create := func() int {
		status, _ := do(t, srv, srv.NewRequest("POST", pairPath+"/batch/create", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5}]}`))
		return status
	}
	if got := create(); got != http.StatusTooManyRequests {
		t.Fatalf("first create = %d, want 429", got)
	}
	if got := create(); got != http.StatusCreated {
		t.Fatalf("second create = %d, want 201", got)
	}
	if reqs := srv.Requests(mockhubtest.Filter{Status: "429"}); len(reqs) != 1 || reqs[0].Fault == "" {
		t.Fatalf("journal does not name the fault: %+v", reqs)
	}
}
