package accountinfo_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/api/accountinfo"
	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/server"
)

func TestDetails(t *testing.T) {
	h := apitest.New(t, server.Config{})
	const token = "pat-na1-details"
	portal, err := h.Srv.PortalOf(token)
	if err != nil {
		t.Fatal(err)
	}
	settings := fmt.Sprintf("/_mockhub/portals/%d/settings", portal)
	for _, c := range []struct {
		name, settings, path         string
		zone, offset, currency, host string
		ms                           float64
	}{
		// apitest.FrozenAt is 30 March 2026: summer time in New York and
		// (since the 29th) in Paris.
		{"defaults", "", "/account-info/v3/details", "US/Eastern", "-04:00", "USD", "app.hubspot.com", -4 * 3600_000},
		{"dated path", "", "/account-info/2026-03/details", "US/Eastern", "-04:00", "USD", "app.hubspot.com", -4 * 3600_000},
		{"settings", `{"timeZone":"Europe/Paris","companyCurrency":"EUR","uiDomain":"app-eu1.hubspot.com"}`, "/account-info/v3/details", "Europe/Paris", "+02:00", "EUR", "app-eu1.hubspot.com", 2 * 3600_000},
		{"half hours", `{"timeZone":"Asia/Kolkata"}`, "/account-info/2026-03/details", "Asia/Kolkata", "+05:30", "USD", "app.hubspot.com", 5.5 * 3600_000},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.settings != "" {
				h.Do("PUT", settings, "", c.settings).Expect(t, http.StatusOK)
			}
			r := h.Do("GET", c.path, token, "")
			r.Expect(t, http.StatusOK)
			m := r.JSON(t)
			if m["portalId"] != float64(portal) || m["timeZone"] != c.zone || m["utcOffset"] != c.offset || m["utcOffsetMilliseconds"] != c.ms ||
				m["companyCurrency"] != c.currency || m["uiDomain"] != c.host || m["accountType"] != "STANDARD" {
				t.Fatalf("details %s", r.Body)
			}
		})
	}
	// The settings are in the portal's state document.
	state := h.Do("GET", fmt.Sprintf("/_mockhub/portals/%d/state", portal), "", "").JSON(t)
	if s, _ := state["settings"].(map[string]any); s["timeZone"] != "Asia/Kolkata" {
		t.Fatalf("state settings %v", state["settings"])
	}
	for _, bad := range []string{`{"timeZone":"Mars/Olympus"}`, `{"companyCurrency":"usd"}`, `{"uiDomain":"app.hubspot.com/x"}`, `{"timeZone":"Local"}`} {
		h.Do("PUT", settings, "", bad).Expect(t, http.StatusBadRequest)
	}
}

func TestDailyUsageFollowsTheRateLimiter(t *testing.T) {
	h := apitest.New(t, server.Config{})
	const token = "pat-na1-usage"
	usage := func() map[string]any {
		t.Helper()
		r := h.Do("GET", "/account-info/v3/api-usage/daily/private-apps", token, "")
		r.Expect(t, http.StatusOK)
		return r.Results(t)[0]
	}
	for range 3 {
		h.Do("GET", "/crm/v3/objects/contacts", token, "").Expect(t, http.StatusOK)
	}
	// The three calls and this one.
	u := usage()
	limit := float64(h.Srv.RateLimiter().Tier().Daily)
	if u["currentUsage"] != float64(4) || u["usageLimit"] != limit || u["name"] != accountinfo.UsageName || u["resetsAt"] != "2026-03-31T00:00:00.000Z" {
		t.Fatalf("usage %v", u)
	}
	h.Clock.Advance(12 * time.Hour)
	u = usage()
	if u["currentUsage"] != float64(1) || u["resetsAt"] != "2026-04-01T00:00:00.000Z" || u["collectedAt"] != "2026-03-31T00:00:00.123Z" {
		t.Fatalf("usage the next day %v", u)
	}
}

func TestOffset(t *testing.T) {
	winter := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		zone, want string
		ms         int64
	}{
		{"US/Eastern", "-05:00", -5 * 3600_000},
		{"UTC", "+00:00", 0},
		{"Australia/Adelaide", "+10:30", 10.5 * 3600_000},
		{"America/St_Johns", "-03:30", -3.5 * 3600_000},
		{"Nowhere/Else", "+00:00", 0},
	} {
		if got, ms := accountinfo.Offset(c.zone, winter); got != c.want || ms != c.ms {
			t.Errorf("%s: %s %d, want %s %d", c.zone, got, ms, c.want, c.ms)
		}
	}
}

// TestAnyTokenMayAsk: account info needs no scope a token might lack.
func TestAnyTokenMayAsk(t *testing.T) {
	tokens, err := auth.ParseTokens([]byte(`{"tokens":[{"token":"pat-na1-narrow","portalId":5,"scopes":["crm.objects.deals.read"]},{"token":"oauth-narrow","portalId":6,"scopes":[]}]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	h := apitest.New(t, server.Config{Authenticator: tokens})
	for _, token := range []string{"pat-na1-narrow", "oauth-narrow"} {
		h.Do("GET", "/account-info/v3/details", token, "").Expect(t, http.StatusOK)
		h.Do("GET", "/account-info/2026-03/api-usage/daily/private-apps", token, "").Expect(t, http.StatusOK)
		h.Do("POST", "/crm/v3/objects/contacts", token, `{"properties":{}}`).Expect(t, http.StatusForbidden)
	}
	h.Do("GET", "/account-info/v3/details", "", "").Expect(t, http.StatusUnauthorized)
}
