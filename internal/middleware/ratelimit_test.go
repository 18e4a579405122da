package middleware

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/openapi/openapitest"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// limitHeaders are the rate-limit headers of an answer, "" when absent.
type limitHeaders struct{ max, remaining, interval, secondly, secondlyRemaining, daily, dailyRemaining string }

func headersOf(h http.Header) limitHeaders {
	return limitHeaders{
		h.Get("X-HubSpot-RateLimit-Max"), h.Get("X-HubSpot-RateLimit-Remaining"),
		h.Get("X-HubSpot-RateLimit-Interval-Milliseconds"),
		h.Get("X-HubSpot-RateLimit-Secondly"), h.Get("X-HubSpot-RateLimit-Secondly-Remaining"),
		h.Get("X-HubSpot-RateLimit-Daily"), h.Get("X-HubSpot-RateLimit-Daily-Remaining"),
	}
}

// limited sends one request of portal 111 through RateLimit.
func limited(t *testing.T, op *openapi.Operation, limits *ratelimit.Limiter, kind string) (*httptest.ResponseRecorder, int) {
	t.Helper()
	var next reached
	info := &reqctx.Info{CorrelationID: "cid", PortalID: 111, TokenKind: kind}
	rec := httptest.NewRecorder()
	RateLimit(op, limits, discard)(&next).ServeHTTP(rec, withInfo(httptest.NewRequest("GET", "/x", nil), info))
	return rec, next.calls
}

func TestRateLimitHeaders(t *testing.T) {
	tests := []struct {
		name string
		op   *openapi.Operation
		kind string
		want limitHeaders
	}{
		{"counted", handWritten(false), auth.KindPrivateApp, limitHeaders{"100", "99", "10000", "10", "9", "250000", "249999"}},
		{"oauth: no daily headers", handWritten(false), auth.KindOAuth, limitHeaders{"100", "99", "10000", "10", "9", "", ""}},
		{"ten-secondly exempt", handWritten(false, "ten-secondly"), auth.KindPrivateApp, limitHeaders{"100", "100", "10000", "10", "10", "250000", "249999"}},
		{"daily exempt", handWritten(false, "daily"), auth.KindPrivateApp, limitHeaders{"100", "99", "10000", "10", "9", "250000", "250000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limits := ratelimit.New(ratelimit.Tiers["free"], false, clock.NewManual(start))
			rec, calls := limited(t, tt.op, limits, tt.kind)
			if calls != 1 || rec.Code != 200 {
				t.Fatalf("got %d after %d calls", rec.Code, calls)
			}
			if got := headersOf(rec.Header()); got != tt.want {
				t.Errorf("headers %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestRateLimitEnforced(t *testing.T) {
	tier, err := ratelimit.ParseTier("2/10s,3/day")
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(start)
	limits := ratelimit.New(tier, true, clk)
	op := handWritten(false)
	// Each step sends one request at the clock's time after advancing it.
	steps := []struct {
		name      string
		advance   time.Duration
		op        *openapi.Operation
		want      int
		policy    string
		remaining string
		daily     string
	}{
		{"first", 0, op, 200, "", "1", "2"},
		{"second", 0, op, 200, "", "0", "1"},
		{"over the window", 0, op, 429, apierr.PolicyTenSecondly, "0", "1"},
		{"ten-secondly exempt passes", 0, handWritten(false, "ten-secondly"), 200, "", "0", "0"},
		{"window refilled, daily spent", 10 * time.Second, op, 429, apierr.PolicyDaily, "2", "0"},
		{"exempt from ten-secondly only: daily applies", 0, handWritten(false, "ten-secondly"), 429, apierr.PolicyDaily, "2", "0"},
		{"daily exempt passes", 0, handWritten(false, "daily"), 200, "", "1", "0"},
		{"next day", 24 * time.Hour, op, 200, "", "1", "2"},
	}
	for _, s := range steps {
		clk.Advance(s.advance)
		rec, calls := limited(t, s.op, limits, auth.KindPrivateApp)
		got := headersOf(rec.Header())
		if rec.Code != s.want || got.remaining != s.remaining || got.dailyRemaining != s.daily {
			t.Fatalf("%s: got %d %+v, want %d remaining %s daily %s", s.name, rec.Code, got, s.want, s.remaining, s.daily)
		}
		if (calls == 1) != (s.want == 200) {
			t.Errorf("%s: handler called %d times", s.name, calls)
		}
		if s.want != 429 {
			continue
		}
		body := errorBody(t, rec)
		msg, group := apierr.MsgTenSecondlyLimit, "publicapi:ten-secondly-rolling:111"
		if s.policy == apierr.PolicyDaily {
			msg, group = apierr.MsgDailyLimit, "publicapi:daily:111"
		}
		if body["status"] != "error" || body["category"] != apierr.CategoryRateLimits || body["errorType"] != apierr.ErrorTypeRateLimit ||
			body["policyName"] != s.policy || body["message"] != msg || body["groupName"] != group ||
			body["correlationId"] != "cid" || body["requestId"] != "cid" {
			t.Errorf("%s: 429 %s", s.name, rec.Body)
		}
	}
}

func TestRateLimitOAuthHasNoDailyQuota(t *testing.T) {
	tier, err := ratelimit.ParseTier("100/10s,1/day")
	if err != nil {
		t.Fatal(err)
	}
	limits := ratelimit.New(tier, true, clock.NewManual(start))
	for i := range 3 {
		if rec, calls := limited(t, handWritten(false), limits, auth.KindOAuth); rec.Code != 200 || calls != 1 {
			t.Fatalf("request %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	if rec, _ := limited(t, handWritten(false), limits, auth.KindPrivateApp); rec.Code != 200 {
		t.Errorf("the private app's first request of the day: %d", rec.Code)
	}
	if rec, _ := limited(t, handWritten(false), limits, auth.KindPrivateApp); rec.Code != 429 {
		t.Errorf("the private app's second request of the day: %d", rec.Code)
	}
}

func TestRateLimitExemptionsComeFromTheDocuments(t *testing.T) {
	// Every operation of our documents is exempt from the ten-second
	// window.
	limits := ratelimit.New(ratelimit.Tiers["free"], false, clock.NewManual(start))
	rec, _ := limited(t, operation(t, "2026-03", "limits-batch-create"), limits, auth.KindPrivateApp)
	if got := headersOf(rec.Header()); got.remaining != "100" || got.dailyRemaining != "249999" {
		t.Errorf("headers %+v", got)
	}
}

// TestSearchBucketComesFromTheDocuments: every search operation shares the
// search bucket of 5 a second, no other operation has a bucket, and no
// document has a malformed one.
func TestSearchBucketComesFromTheDocuments(t *testing.T) {
	searches := 0
	for _, op := range openapitest.Operations(t) {
		b, err := Bucket(op)
		if err != nil {
			t.Errorf("%s %s: %v", op.Document.Version, op.ID, err)
		}
		want := ratelimit.Bucket{}
		if op.ID == "objects-search" {
			want = ratelimit.Bucket{Name: "search", PerSecond: 5}
			searches++
		}
		if b != want {
			t.Errorf("%s %s: bucket %+v, want %+v", op.Document.Version, op.ID, b, want)
		}
	}
	if searches == 0 {
		t.Fatal("no search operation")
	}
}

func TestSearchRateLimit(t *testing.T) {
	clk := clock.NewManual(start)
	limits := ratelimit.New(ratelimit.Tiers["free"], true, clk)
	search, other := operation(t, "v3", "objects-search"), operation(t, "2026-03", "objects-search")
	for i := range 5 {
		op := search
		if i%2 == 1 {
			op = other // every version's search shares the bucket
		}
		if rec, calls := limited(t, op, limits, auth.KindPrivateApp); rec.Code != 200 || calls != 1 {
			t.Fatalf("search %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	rec, calls := limited(t, search, limits, auth.KindPrivateApp)
	body := errorBody(t, rec)
	if rec.Code != 429 || calls != 0 || body["policyName"] != apierr.PolicySecondly || body["message"] != apierr.MsgSecondlyLimit ||
		body["errorType"] != apierr.ErrorTypeRateLimit || body["category"] != apierr.CategoryRateLimits || body["groupName"] != "publicapi:secondly:111" {
		t.Fatalf("6th search in a second: %d %s", rec.Code, rec.Body)
	}
	// Other operations go on; the bucket refills as its second passes.
	if rec, _ := limited(t, operation(t, "v3", "objects-list"), limits, auth.KindPrivateApp); rec.Code != 200 {
		t.Fatalf("a list after the searches: %d", rec.Code)
	}
	clk.Advance(time.Second)
	if rec, _ := limited(t, search, limits, auth.KindPrivateApp); rec.Code != 200 {
		t.Fatalf("a search a second later: %d %s", rec.Code, rec.Body)
	}
}

func TestSearchNotLimitedWithoutEnforcement(t *testing.T) {
	limits := ratelimit.New(ratelimit.Tiers["free"], false, clock.NewManual(start))
	for i := range 20 {
		if rec, _ := limited(t, operation(t, "v3", "objects-search"), limits, auth.KindPrivateApp); rec.Code != 200 {
			t.Fatalf("search %d: %d", i, rec.Code)
		}
	}
}
