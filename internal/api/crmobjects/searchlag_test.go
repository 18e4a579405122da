package crmobjects_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/server"
	"github.com/mockhub/mockhub/internal/store"
)

const lagPrefix = "/crm/v3/objects/contacts"

// found runs a search with the given filters (none when empty) and returns
// the total and the firstname of each result.
func found(t *testing.T, h *apitest.Harness, filters string) (int, []string) {
	t.Helper()
	body := `{"properties":["firstname","email"]}`
	if filters != "" {
		body = `{"properties":["firstname","email"],"filterGroups":[{"filters":[` + filters + `]}]}`
	}
	r := h.Do("POST", lagPrefix+"/search", tok, body)
	r.Expect(t, 200)
	total, _ := r.JSON(t)["total"].(float64)
	return int(total), values(t, r, "firstname")
}

func eq(prop, value string) string {
	return fmt.Sprintf(`{"propertyName":%q,"operator":"EQ","value":%q}`, prop, value)
}

func wantFound(t *testing.T, h *apitest.Harness, step, filters string, want ...string) {
	t.Helper()
	total, got := found(t, h, filters)
	if total != len(want) || !slices.Equal(got, want) {
		t.Fatalf("%s: search %s found %d %q, want %q", step, filters, total, got, want)
	}
}

// TestSearchLag: with a lag, search sees each record as it was lag ago;
// reads are never lagged.
func TestSearchLag(t *testing.T) {
	const lag = 5 * time.Second
	h := apitest.New(t, server.Config{SearchLag: lag})
	a := create(t, h, lagPrefix, `{"email":"a@example.com","firstname":"Ada"}`)["id"].(string)
	byID := eq("hs_object_id", a)

	for _, f := range []string{"", eq("email", "a@example.com"), byID} {
		wantFound(t, h, "just created", f)
	}
	h.Do("GET", lagPrefix+"/"+a, tok, "").Expect(t, 200)
	if n := len(h.Do("GET", lagPrefix, tok, "").Results(t)); n != 1 {
		t.Fatalf("list holds %d records, want the new one", n)
	}
	h.Clock.Advance(lag - time.Millisecond)
	wantFound(t, h, "a millisecond early", "")
	h.Clock.Advance(time.Millisecond)
	for _, f := range []string{"", eq("email", "a@example.com"), byID} {
		wantFound(t, h, "lag passed", f, "Ada")
	}

	// A change shows, and matches, only after the lag: until then the
	// record is found and rendered by its old values.
	h.Do("PATCH", lagPrefix+"/"+a, tok, `{"properties":{"firstname":"Adelaide","email":"ada@example.com"}}`).Expect(t, 200)
	b := create(t, h, lagPrefix, `{"email":"a@example.com","firstname":"Bea"}`)["id"].(string)
	wantFound(t, h, "changed", eq("firstname", "Adelaide"))
	wantFound(t, h, "changed", eq("firstname", "Ada"), "Ada")
	// The unique index already gives a@example.com to the new record; as of
	// then it was Ada's.
	wantFound(t, h, "changed", eq("email", "a@example.com"), "Ada")
	wantFound(t, h, "changed", eq("email", "ada@example.com"))
	h.Clock.Advance(lag)
	wantFound(t, h, "change passed", eq("firstname", "Adelaide"), "Adelaide")
	wantFound(t, h, "change passed", eq("email", "a@example.com"), "Bea")
	wantFound(t, h, "change passed", eq("email", "ada@example.com"), "Adelaide")

	// An archived record is still found until the lag has passed.
	h.Do("DELETE", lagPrefix+"/"+a, tok, "").Expect(t, 204)
	wantFound(t, h, "archived", "", "Adelaide", "Bea")
	wantFound(t, h, "archived", eq("hs_object_id", a), "Adelaide")
	h.Clock.Advance(lag)
	wantFound(t, h, "archive passed", "", "Bea")
	wantFound(t, h, "archive passed", eq("hs_object_id", a))
	wantFound(t, h, "archive passed", eq("hs_object_id", b), "Bea")
}

// TestSearchLagPaging: total and pages agree with what the lag shows.
func TestSearchLagPaging(t *testing.T) {
	h := apitest.New(t, server.Config{SearchLag: time.Minute})
	for i := range 5 {
		create(t, h, lagPrefix, fmt.Sprintf(`{"firstname":"c%d"}`, i))
		h.Clock.Advance(20 * time.Second)
	}
	// Now 100 s after the first: the records made at 0 s and 20 s and 40 s
	// are visible, those at 60 s and 80 s are not.
	r := h.Do("POST", lagPrefix+"/search", tok, `{"properties":["firstname"],"limit":2}`)
	if got := values(t, r, "firstname"); r.JSON(t)["total"] != float64(3) || !slices.Equal(got, []string{"c0", "c1"}) {
		t.Fatalf("page 1: %s", r.Body)
	}
	r = h.Do("POST", lagPrefix+"/search", tok, `{"properties":["firstname"],"limit":2,"after":"2"}`)
	if got := values(t, r, "firstname"); r.JSON(t)["total"] != float64(3) || !slices.Equal(got, []string{"c2"}) || r.JSON(t)["paging"] != nil {
		t.Fatalf("page 2: %s", r.Body)
	}
}

// TestSearchLagPortalSetting: a portal's own setting overrides the
// server's, both ways.
func TestSearchLagPortalSetting(t *testing.T) {
	for _, tc := range []struct {
		name          string
		server, local time.Duration
		lagged        bool
	}{
		{"server lag, portal none", time.Minute, 0, false},
		{"no server lag, portal lag", 0, time.Minute, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{SearchLag: tc.server})
			id, err := h.Srv.PortalOf(tok)
			if err != nil {
				t.Fatal(err)
			}
			lag := tc.local
			if err := h.Srv.Store().Portal(id).Update(func(tx *store.Tx) error { return tx.SetSettings(store.Settings{SearchLag: &lag}) }); err != nil {
				t.Fatal(err)
			}
			create(t, h, lagPrefix, `{"firstname":"Ada"}`)
			if total, _ := found(t, h, ""); (total == 0) != tc.lagged {
				t.Fatalf("found %d, lagged %v", total, tc.lagged)
			}
		})
	}
}

// TestSearchRateLimit: with rate limits enforced, a portal's searches are
// limited to 5 a second, across versions, with HubSpot's SECONDLY 429.
func TestSearchRateLimit(t *testing.T) {
	tier := ratelimit.Tiers["free"]
	h := apitest.New(t, server.Config{RateLimit: &tier})
	for i := range 5 {
		h.Do("POST", versionCases[i%len(versionCases)].prefix+"/contacts/search", tok, `{}`).Expect(t, 200)
	}
	r := h.Do("POST", lagPrefix+"/search", tok, `{}`)
	r.Expect(t, 429)
	if body := r.JSON(t); body["policyName"] != "SECONDLY" || body["message"] != "You have reached your secondly limit." || body["errorType"] != "RATE_LIMIT" {
		t.Fatalf("429 %s", r.Body)
	}
	h.Do("GET", lagPrefix, tok, "").Expect(t, 200)
	h.Clock.Advance(time.Second)
	h.Do("POST", lagPrefix+"/search", tok, `{}`).Expect(t, 200)
}
