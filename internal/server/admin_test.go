package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/server"
)

const (
	tokenA   = "pat-na1-aaaaaaaa-secret"
	tokenB   = "oauth-bbbbbbbb-secret"
	pairPath = "/crm/associations/2026-03/definitions/configurations/contacts/companies"
	create5  = `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5}]}`
)

func newServer(t *testing.T, cfg server.Config) (*server.Server, *httptest.Server) {
	t.Helper()
	if cfg.Version == "" {
		cfg.Version = "test"
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return srv, hs
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(a.body), &m); err != nil {
		t.Fatalf("body %q: %v", a.body, err)
	}
	return m
}

func call(t *testing.T, hs *httptest.Server, method, path, token, body string) answer {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, hs.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, string(data)}
}

// wantAdminError checks an admin error has the API's error shape.
func wantAdminError(t *testing.T, a answer, status int, message string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status = %d, want %d (%s)", a.status, status, a.body)
	}
	m := a.json(t)
	if m["status"] != "error" || m["correlationId"] == "" || m["category"] == nil {
		t.Fatalf("error body %s is not HubSpot-shaped", a.body)
	}
	if !strings.Contains(m["message"].(string), message) {
		t.Fatalf("message %q does not contain %q", m["message"], message)
	}
}

func TestHealth(t *testing.T) {
	srv, hs := newServer(t, server.Config{Version: "1.2.3"})
	a := call(t, hs, "GET", "/_mockhub/health", "", "")
	m := a.json(t)
	if a.status != 200 || m["status"] != "ok" || m["version"] != "1.2.3" || int(m["operations"].(float64)) != len(srv.Operations()) {
		t.Fatalf("health = %d %s", a.status, a.body)
	}
}

func TestAdminUnknownRouteAndMethod(t *testing.T) {
	_, hs := newServer(t, server.Config{})
	wantAdminError(t, call(t, hs, "GET", "/_mockhub/nope", "", ""), 404, "Resource not found")
	wantAdminError(t, call(t, hs, "POST", "/_mockhub/requests", "", ""), 405, "not supported")
}

func TestResetOnePortal(t *testing.T) {
	srv, hs := newServer(t, server.Config{})
	call(t, hs, "POST", pairPath+"/batch/create", tokenA, create5)
	call(t, hs, "POST", pairPath+"/batch/create", tokenB, create5)

	wantAdminError(t, call(t, hs, "POST", "/_mockhub/reset?portal=abc", "", ""), 400, `portal must be a positive integer, got "abc"`)
	a := call(t, hs, "POST", "/_mockhub/reset?portal="+itoa(portalOf(t, srv, tokenA)), "", "")
	if a.status != 200 {
		t.Fatalf("reset = %d %s", a.status, a.body)
	}
	if got := call(t, hs, "GET", pairPath, tokenA, ""); got.body != `{"results":[]}` {
		t.Fatalf("portal A after its reset: %s", got.body)
	}
	if got := call(t, hs, "GET", pairPath, tokenB, ""); !strings.Contains(got.body, "279") {
		t.Fatalf("portal B lost its state: %s", got.body)
	}
	// The journal lost portal A's requests only.
	reqs := journal(t, hs, "")
	for _, r := range reqs {
		if int64(r["portal"].(float64)) == portalOf(t, srv, tokenA) && r["method"] == "POST" {
			t.Fatalf("portal A's request survived its reset: %v", r)
		}
	}
	if len(reqs) != 3 {
		t.Fatalf("journal holds %d requests, want B's POST and the two GETs", len(reqs))
	}
	call(t, hs, "POST", "/_mockhub/reset", "", "")
	if n := len(journal(t, hs, "")); n != 0 {
		t.Fatalf("journal after a full reset holds %d", n)
	}
	if got := call(t, hs, "GET", pairPath, tokenB, ""); got.body != `{"results":[]}` {
		t.Fatalf("portal B after a full reset: %s", got.body)
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func journal(t *testing.T, hs *httptest.Server, query string) []map[string]any {
	t.Helper()
	a := call(t, hs, "GET", "/_mockhub/requests"+query, "", "")
	if a.status != 200 {
		t.Fatalf("journal = %d %s", a.status, a.body)
	}
	var out struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal([]byte(a.body), &out); err != nil {
		t.Fatal(err)
	}
	return out.Results
}

func TestPortals(t *testing.T) {
	srv, hs := newServer(t, server.Config{})
	call(t, hs, "POST", pairPath+"/batch/create", tokenA, create5)
	call(t, hs, "GET", pairPath, tokenB, "")
	for _, body := range []string{`{"properties":{"firstname":"a"}}`, `{"properties":{"firstname":"b"}}`} {
		call(t, hs, "POST", "/crm/v3/objects/contacts", tokenA, body)
	}
	deal := call(t, hs, "POST", "/crm/v3/objects/deals", tokenA, `{"properties":{"dealname":"d"}}`).json(t)["id"].(string)
	call(t, hs, "DELETE", "/crm/v3/objects/deals/"+deal, tokenA, "")
	a := call(t, hs, "GET", "/_mockhub/portals", "", "")
	if strings.Contains(a.body, "secret") {
		t.Fatalf("portal list reveals a token: %s", a.body)
	}
	var out struct {
		Results []struct {
			PortalID int64    `json:"portalId"`
			Tokens   []string `json:"tokens"`
			Labels   int      `json:"labels"`
			Limits   int      `json:"limits"`
			Records  map[string]int
			Archived map[string]int `json:"archivedRecords"`
		} `json:"results"`
	}
	json.Unmarshal([]byte(a.body), &out)
	got := map[int64][]string{}
	limits := map[int64]int{}
	records := map[int64]string{}
	for _, p := range out.Results {
		got[p.PortalID] = p.Tokens
		limits[p.PortalID] = p.Limits
		records[p.PortalID] = fmt.Sprint(p.Records, p.Archived)
	}
	idA, idB := portalOf(t, srv, tokenA), portalOf(t, srv, tokenB)
	if len(got) != 2 || got[idA][0] != server.Fingerprint(tokenA) || got[idB][0] != server.Fingerprint(tokenB) || limits[idA] != 1 || limits[idB] != 0 {
		t.Fatalf("portals = %s", a.body)
	}
	// Live records per type, archived ones apart; empty maps, never null.
	if records[idA] != "map[contact:2] map[deal:1]" || records[idB] != "map[] map[]" || !strings.Contains(a.body, `"records":{},"archivedRecords":{}`) {
		t.Fatalf("record counts %q: %s", records, a.body)
	}
	if fp := server.Fingerprint(tokenA); !strings.HasPrefix(fp, "sha256:") || len(fp) != len("sha256:")+8 {
		t.Fatalf("fingerprint %q", fp)
	}
}

func TestPortalState(t *testing.T) {
	srv, hs := newServer(t, server.Config{})
	id := itoa(portalOf(t, srv, tokenA))
	statePath := "/_mockhub/portals/" + id + "/state"

	wantAdminError(t, call(t, hs, "GET", statePath, "", ""), 404, "Portal "+id+" does not exist")
	wantAdminError(t, call(t, hs, "GET", "/_mockhub/portals/x1/state", "", ""), 400, `portalId must be a positive integer, got "x1"`)
	wantAdminError(t, call(t, hs, "PUT", "/_mockhub/portals/-4/state", "", "{}"), 400, "portalId must be a positive integer")

	call(t, hs, "POST", pairPath+"/batch/create", tokenA, create5)
	exported := call(t, hs, "GET", statePath, "", "")
	if exported.status != 200 || !strings.Contains(exported.body, `"typeId":279,"maxToObjectIds":5`) {
		t.Fatalf("export = %d %s", exported.status, exported.body)
	}

	doc := `{"labels":[{"name":"manager","fromObjectType":"contacts","toObjectType":"companies","typeId":1000,"label":"Manager","inverseTypeId":1001}],
	         "limits":[{"fromObjectType":"0-1","toObjectType":"0-2","typeId":279,"maxToObjectIds":8},{"fromObjectType":"contact","toObjectType":"company","typeId":1000,"maxToObjectIds":2}]}`
	put := call(t, hs, "PUT", statePath, "", doc)
	if put.status != 200 || !strings.Contains(put.body, `"portalId":`+id) {
		t.Fatalf("import = %d %s", put.status, put.body)
	}
	if got := call(t, hs, "GET", pairPath, tokenA, ""); !strings.Contains(got.body, `"typeId":279,"userEnforcedMaxToObjectIds":8`) || !strings.Contains(got.body, `"typeId":1000,"label":"Manager","userEnforcedMaxToObjectIds":2`) {
		t.Fatalf("API after import: %s", got.body)
	}
	labels := call(t, hs, "GET", "/crm/associations/2026-03/companies/contacts/labels", tokenA, "")
	if !strings.Contains(labels.body, `"typeId":1001`) {
		t.Fatalf("inverse label missing: %s", labels.body)
	}

	before := call(t, hs, "GET", statePath, "", "").body
	bad := []struct{ doc, want string }{
		{`{"labels":[],"limits":[{"fromObjectType":"contact","toObjectType":"company","typeId":279,"maxToObjectIds":99999}]}`, "out of range"},
		{`not json`, "Invalid portal state document"},
		{`{"portalId":1,"labels":[],"limits":[]}`, "does not match portal"},
		{`{"labels":[],"limits":[{"fromObjectType":"planets","toObjectType":"company","typeId":279,"maxToObjectIds":1}]}`, `unknown object type "planets"`},
	}
	for _, b := range bad {
		wantAdminError(t, call(t, hs, "PUT", statePath, "", b.doc), 400, b.want)
	}
	if after := call(t, hs, "GET", statePath, "", "").body; after != before {
		t.Fatalf("a refused document changed the state:\n%s\n%s", before, after)
	}
	huge := `{"labels":[],"limits":[],"x":"` + strings.Repeat("a", 9<<20) + `"}`
	wantAdminError(t, call(t, hs, "PUT", statePath, "", huge), 413, "larger than the limit")
}

func TestJournalRecordsAndMasks(t *testing.T) {
	srv, hs := newServer(t, server.Config{})
	call(t, hs, "POST", pairPath+"/batch/create?hapikey=abc123&x=1", tokenA, create5)
	call(t, hs, "GET", pairPath, "", "")
	call(t, hs, "GET", "/_mockhub/portals", "", "")

	reqs := journal(t, hs, "")
	if len(reqs) != 2 {
		t.Fatalf("journal holds %d requests, want 2 (admin requests are not recorded)", len(reqs))
	}
	raw := call(t, hs, "GET", "/_mockhub/requests", "", "").body
	if strings.Contains(raw, "secret") || strings.Contains(raw, "abc123") {
		t.Fatalf("journal reveals a credential: %s", raw)
	}
	newest, post := reqs[0], reqs[1]
	if newest["status"].(float64) != 401 || newest["portal"] != nil {
		t.Fatalf("newest = %v, want the 401 without a portal", newest)
	}
	headers := post["headers"].(map[string]any)
	if auth := headers["Authorization"].([]any)[0]; auth != "Bearer *** ("+server.Fingerprint(tokenA)+")" {
		t.Fatalf("Authorization = %v", auth)
	}
	want := map[string]any{
		"method": "POST", "path": pairPath + "/batch/create", "query": "hapikey=***&x=1", "body": create5,
		"status": float64(201), "portal": float64(portalOf(t, srv, tokenA)), "operationId": "limits-batch-create",
	}
	for k, v := range want {
		if post[k] != v {
			t.Errorf("%s = %v, want %v", k, post[k], v)
		}
	}
	// The response body is kept as the client got it.
	if rb, _ := post["responseBody"].(string); !strings.Contains(rb, `"typeId":279`) || post["responseBodyTruncated"] != nil {
		t.Errorf("responseBody = %q, truncated %v", rb, post["responseBodyTruncated"])
	}
	if rb, _ := newest["responseBody"].(string); !strings.Contains(rb, `"category":"INVALID_AUTHENTICATION"`) {
		t.Errorf("401 responseBody = %q", rb)
	}
	if post["correlationId"] == "" || post["durationMs"] == nil || post["time"] == nil {
		t.Errorf("entry lacks correlationId, duration or time: %v", post)
	}
	if a := call(t, hs, "DELETE", "/_mockhub/requests", "", ""); a.status != 204 {
		t.Fatalf("DELETE = %d", a.status)
	}
	if n := len(journal(t, hs, "")); n != 0 {
		t.Fatalf("journal after DELETE holds %d", n)
	}
}

func TestJournalFilters(t *testing.T) {
	srv, hs := newServer(t, server.Config{})
	call(t, hs, "GET", pairPath, tokenA, "")
	call(t, hs, "POST", pairPath+"/batch/create", tokenA, create5)
	call(t, hs, "POST", pairPath+"/batch/create", tokenB, `{"inputs":`)
	call(t, hs, "DELETE", "/crm/v4/associations/contacts/companies/labels/7", tokenB, "")

	tests := []struct {
		query string
		want  []string // method status, newest first
	}{
		{"", []string{"DELETE 404", "POST 400", "POST 201", "GET 200"}},
		{"?method=post", []string{"POST 400", "POST 201"}},
		{"?path=/crm/associations/*/definitions/configurations/*/*/batch/create", []string{"POST 400", "POST 201"}},
		{"?path=/crm/**/labels/*", []string{"DELETE 404"}},
		{"?portal=" + itoa(portalOf(t, srv, tokenB)), []string{"DELETE 404", "POST 400"}},
		{"?status=201", []string{"POST 201"}},
		{"?status=4xx", []string{"DELETE 404", "POST 400"}},
		{"?limit=2", []string{"DELETE 404", "POST 400"}},
		{"?method=POST&portal=" + itoa(portalOf(t, srv, tokenA)) + "&status=2xx", []string{"POST 201"}},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range journal(t, hs, tt.query) {
			got = append(got, r["method"].(string)+" "+itoa(int64(r["status"].(float64))))
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: got %v, want %v", tt.query, got, tt.want)
		}
	}

	badQueries := map[string]string{
		"?limit=0":      `limit must be a positive integer, got "0"`,
		"?limit=x":      "limit must be a positive integer",
		"?portal=-1":    "portal must be a positive integer",
		"?status=abc":   `status must be an HTTP status (404) or class (4xx), got "abc"`,
		"?status=9xx":   "status must be",
		"?status=42":    "status must be",
		"?path=crm/**":  "path must be a pattern starting with /",
		"?colour=red":   `unknown parameter "colour"`,
		"?method=GET&x": `unknown parameter "x"`,
	}
	for q, msg := range badQueries {
		wantAdminError(t, call(t, hs, "GET", "/_mockhub/requests"+q, "", ""), 400, msg)
	}
}

func TestJournalStaysWithinItsBound(t *testing.T) {
	srv, hs := newServer(t, server.Config{JournalSize: 50})
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				req, _ := http.NewRequest("GET", hs.URL+pairPath, nil)
				req.Header.Set("Authorization", "Bearer "+tokenA)
				resp, err := hs.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	if n := srv.Journal().Len(); n != 50 {
		t.Fatalf("journal holds %d entries after 800 requests, want its bound 50", n)
	}
	reqs := journal(t, hs, "")
	if len(reqs) != 50 || reqs[0]["seq"].(float64) != 800 {
		t.Fatalf("newest seq = %v, want 800", reqs[0]["seq"])
	}
}

func TestJournalCanBeDisabled(t *testing.T) {
	_, hs := newServer(t, server.Config{JournalSize: -1})
	call(t, hs, "GET", pairPath, tokenA, "")
	if n := len(journal(t, hs, "")); n != 0 {
		t.Fatalf("disabled journal holds %d", n)
	}
	// Portals still know their tokens.
	if a := call(t, hs, "GET", "/_mockhub/portals", "", ""); !strings.Contains(a.body, server.Fingerprint(tokenA)) {
		t.Fatalf("portals = %s", a.body)
	}
}

func TestFixtures(t *testing.T) {
	// Ids are deterministic: the first server's is the second one's.
	srv, _ := newServer(t, server.Config{})
	id := portalOf(t, srv, tokenA)
	doc := `{"portals":[{"portalId":` + itoa(id) + `,"labels":[],"limits":[{"fromObjectType":"contact","toObjectType":"company","typeId":279,"maxToObjectIds":3}]}]}`
	_, hs := newServer(t, server.Config{Fixtures: []byte(doc)})
	if a := call(t, hs, "GET", "/_mockhub/portals", "", ""); !strings.Contains(a.body, `"portalId":`+itoa(id)) {
		t.Fatalf("seeded portal not listed: %s", a.body)
	}
	call(t, hs, "POST", pairPath+"/batch/update", tokenA, `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":9}]}`)
	call(t, hs, "POST", "/_mockhub/reset", "", "")
	if a := call(t, hs, "GET", pairPath, tokenA, ""); !strings.Contains(a.body, `"userEnforcedMaxToObjectIds":3`) {
		t.Fatalf("reset did not return to the fixtures: %s", a.body)
	}

	for _, bad := range []string{`{"portals":[{"portalId":0,"labels":[],"limits":[]}]}`, `{"portal":[]}`, `[`} {
		if _, err := server.New(server.Config{Fixtures: []byte(bad)}); err == nil || !strings.Contains(err.Error(), "invalid fixtures") {
			t.Errorf("fixtures %s: New = %v", bad, err)
		}
	}
}

func TestDataDir(t *testing.T) {
	dir := t.TempDir()
	_, hs := newServer(t, server.Config{DataDir: dir})
	call(t, hs, "POST", pairPath+"/batch/create", tokenA, create5)
	call(t, hs, "POST", "/crm/associations/2026-03/contacts/companies/labels", tokenB, `{"name":"manager","label":"Manager","inverseLabel":"Managed by"}`)
	hs.Close()

	srv2, hs2 := newServer(t, server.Config{DataDir: dir})
	if a := call(t, hs2, "GET", pairPath, tokenA, ""); !strings.Contains(a.body, `"userEnforcedMaxToObjectIds":5`) {
		t.Fatalf("limit lost across a restart: %s", a.body)
	}
	if a := call(t, hs2, "GET", "/crm/associations/2026-03/contacts/companies/labels", tokenB, ""); !strings.Contains(a.body, "Manager") {
		t.Fatalf("label lost across a restart: %s", a.body)
	}
	call(t, hs2, "POST", "/_mockhub/reset?portal="+itoa(portalOf(t, srv2, tokenA)), "", "")
	if _, err := os.Stat(filepath.Join(dir, "portal-"+itoa(portalOf(t, srv2, tokenA))+".json")); !os.IsNotExist(err) {
		t.Fatalf("reset kept the portal's file: %v", err)
	}

	file := filepath.Join(dir, "portal-"+itoa(portalOf(t, srv2, tokenB))+".json")
	corrupt := []byte(`{"portalId":` + itoa(portalOf(t, srv2, tokenB)) + `,"labels":[{"na`)
	if err := os.WriteFile(file, corrupt, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := server.New(server.Config{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "data file "+file+" is corrupt") || !strings.Contains(err.Error(), "will not overwrite it") {
		t.Fatalf("New with a corrupt file = %v", err)
	}
	if got, _ := os.ReadFile(file); string(got) != string(corrupt) {
		t.Fatal("the corrupt file was changed")
	}
}

func TestPortalSettings(t *testing.T) {
	srv, hs := newServer(t, server.Config{SearchLag: 2 * time.Second})
	id := itoa(portalOf(t, srv, tokenA))
	path := "/_mockhub/portals/" + id + "/settings"

	wantAdminError(t, call(t, hs, "GET", path, "", ""), 404, "Portal "+id+" does not exist")
	wantAdminError(t, call(t, hs, "GET", "/_mockhub/portals/x/settings", "", ""), 400, "portalId must be a positive integer")
	// PUT creates the portal, as a state import does.
	if a := call(t, hs, "PUT", path, "", `{"searchLag":"1500ms"}`); a.status != 200 || a.body != `{"searchLag":"1.5s","effectiveSearchLag":"1.5s"}` {
		t.Fatalf("put = %d %s", a.status, a.body)
	}
	if a := call(t, hs, "GET", path, "", ""); a.body != `{"searchLag":"1.5s","effectiveSearchLag":"1.5s"}` {
		t.Fatalf("get = %s", a.body)
	}
	// The setting is part of the portal's state.
	state := call(t, hs, "GET", "/_mockhub/portals/"+id+"/state", "", "")
	if !strings.Contains(state.body, `"settings":{"searchLag":"1.5s"}`) {
		t.Fatalf("state = %s", state.body)
	}
	for _, bad := range []struct{ body, want string }{
		{`{"searchLag":"-1s"}`, "between 0s and 24h0m0s"},
		{`{"searchLag":"25h"}`, "between 0s and 24h0m0s"},
		{`{"searchLag":5}`, "searchLag"},
		{`{"searchLag":"soon"}`, `got "soon"`},
		{`{"lag":"1s"}`, `unknown field "lag"`},
		{`nope`, "Invalid settings document"},
	} {
		wantAdminError(t, call(t, hs, "PUT", path, "", bad.body), 400, bad.want)
	}
	if a := call(t, hs, "GET", path, "", ""); a.body != `{"searchLag":"1.5s","effectiveSearchLag":"1.5s"}` {
		t.Fatalf("a refused document changed the settings: %s", a.body)
	}
	// Null (or absent) leaves the server's lag in force; a reset forgets
	// the portal's own.
	if a := call(t, hs, "PUT", path, "", `{"searchLag":null}`); a.body != `{"searchLag":null,"effectiveSearchLag":"2s"}` {
		t.Fatalf("unset = %s", a.body)
	}
	call(t, hs, "PUT", path, "", `{"searchLag":"0s"}`)
	call(t, hs, "POST", "/_mockhub/reset?portal="+id, "", "")
	call(t, hs, "GET", pairPath, tokenA, "")
	if a := call(t, hs, "GET", path, "", ""); a.body != `{"searchLag":null,"effectiveSearchLag":"2s"}` {
		t.Fatalf("after reset = %s", a.body)
	}
}

func TestSearchLagOutOfRangeStopsStartUp(t *testing.T) {
	for _, lag := range []time.Duration{-time.Second, 25 * time.Hour} {
		if _, err := server.New(server.Config{SearchLag: lag}); err == nil || !strings.Contains(err.Error(), "search lag") {
			t.Errorf("lag %s: %v", lag, err)
		}
	}
}
