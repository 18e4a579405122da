package middleware

import (
	"log/slog"
	"net/http"
	"slices"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// RateLimit counts the request against its portal's rate limits, sets
// HubSpot's rate-limit headers and, when enforcement refuses the request,
// answers HubSpot's 429. Which windows count op comes from its document's
// x-hubspot-rate-limit-exemptions, and the per-second bucket it shares with
// other operations (search) from x-mockhub-rate-limit; a malformed bucket
// is logged and ignored (a test checks the embedded documents have none).
func RateLimit(op *openapi.Operation, limits *ratelimit.Limiter, log *slog.Logger) func(http.Handler) http.Handler {
	exempt := exemptions(op)
	bucket, err := Bucket(op)
	if err != nil {
		log.Warn("rate-limit bucket ignored", "operation", op.ID, "version", op.Document.Version, "error", err)
	}
	exempt.bucket = bucket
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			info := reqctx.From(r.Context())
			u := limits.Take(exempt.request(principal(info)))
			u.WriteHeaders(w.Header())
			if u.Refused == "" {
				next.ServeHTTP(w, r)
				return
			}
			log.LogAttrs(r.Context(), slog.LevelInfo, "rate limited",
				slog.String("policy", u.Refused),
				slog.Int64("portal", info.PortalID),
				slog.String("correlationId", info.CorrelationID),
			)
			apierr.Write(w, r, apierr.RateLimited(u.Refused, info.PortalID))
		})
	}
}

// exemption says which rate-limit windows an operation is exempt from, and
// which bucket it counts against.
type exemption struct {
	tenSecondly, daily bool
	bucket             ratelimit.Bucket
}

// Bucket returns the per-second bucket op's x-mockhub-rate-limit puts it
// in; the zero Bucket when it has none.
func Bucket(op *openapi.Operation) (ratelimit.Bucket, error) {
	if op.Operation == nil {
		return ratelimit.Bucket{}, nil
	}
	return ratelimit.ParseBucket(op.Operation.Extensions[ratelimit.BucketExtension])
}

func exemptions(op *openapi.Operation) exemption {
	return exemption{
		tenSecondly: slices.Contains(op.RateLimitExemptions, "ten-secondly"),
		daily:       slices.Contains(op.RateLimitExemptions, "daily"),
	}
}

func (e exemption) request(p auth.Principal) ratelimit.Request {
	return ratelimit.Request{
		Portal:            p.PortalID,
		ExemptTenSecondly: e.tenSecondly,
		ExemptDaily:       e.daily,
		OAuth:             p.Kind == auth.KindOAuth,
		Bucket:            e.bucket,
	}
}
