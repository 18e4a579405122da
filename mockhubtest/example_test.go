package mockhubtest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/mockhub/mockhub/mockhubtest"
)

// This example drives the association limits API with plain net/http, the
// way code under test would: set a limit, then read it back.
func Example() {
	srv, err := mockhubtest.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	call := func(method, path, body string) string {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+srv.Token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return fmt.Sprint(resp.StatusCode, " ", string(out))
	}
	base := "/crm/associations/2026-03/definitions/configurations/contacts/companies"
	created := call("POST", base+"/batch/create", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5}]}`)
	fmt.Println(created[:3])
	fmt.Println(call("GET", base, ""))
	again := call("POST", base+"/batch/create", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":7}]}`)
	fmt.Println(again[:3], strings.Contains(again, "A limit already exists for typeId 279"))
	// Output:
	// 201
	// 200 {"results":[{"category":"HUBSPOT_DEFINED","typeId":279,"userEnforcedMaxToObjectIds":5}]}
	// 400 true
}

// A frozen clock makes every timestamp the server writes predictable.
func ExampleWithFrozenClock() {
	srv, err := mockhubtest.Start(mockhubtest.WithFrozenClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	srv.Advance(90 * time.Second)
	req := srv.NewRequest("POST", "/crm/associations/2026-03/definitions/configurations/contacts/companies/batch/create",
		`{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5}]}`)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(out))
	// Output:
	// 201 {"status":"COMPLETE","results":[{"category":"HUBSPOT_DEFINED","typeId":279,"userEnforcedMaxToObjectIds":5}],"requestedAt":"2026-03-01T09:01:30.000Z","startedAt":"2026-03-01T09:01:30.000Z","completedAt":"2026-03-01T09:01:30.000Z"}
}

// Requests shows what the code under test sent, newest first, with the
// token masked.
func ExampleServer_Requests() {
	srv, err := mockhubtest.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	for _, pair := range []string{"contacts/companies", "deals/contacts"} {
		resp, err := http.DefaultClient.Do(srv.NewRequest("GET", "/crm/v4/associations/definitions/configurations/"+pair, nil))
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
	}
	for _, r := range srv.Requests(mockhubtest.Filter{Method: "GET", Path: "/crm/v4/associations/**"}) {
		fmt.Println(r.Method, r.Path, r.Status, r.Header.Get("Authorization"), r.Portal == srv.PortalID)
	}
	// Output:
	// GET /crm/v4/associations/definitions/configurations/deals/contacts 200 Bearer *** (sha256:40204603) true
	// GET /crm/v4/associations/definitions/configurations/contacts/companies 200 Bearer *** (sha256:40204603) true
}
