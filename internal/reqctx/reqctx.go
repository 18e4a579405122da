// Package reqctx carries what mockhub learns about one request as it passes
// through the middleware: its correlation id, when it arrived, which portal it
// belongs to and which operation it hit. Outer layers (logging, the journal)
// read what inner layers (auth, routing) wrote.
package reqctx

import (
	"context"
	"time"
)

// Info is the per-request record. It is created once by the outermost
// middleware and filled in by later ones; it is only touched by the goroutine
// serving the request.
type Info struct {
	CorrelationID string
	RequestedAt   time.Time
	PortalID      int64
	// Token is the bearer token the request authenticated with, if any.
	Token string
	// TokenKind is "private-app" or "oauth" once auth has run.
	TokenKind string
	// Scopes are the token's granted scopes, unless AllScopes says it holds
	// every scope (lenient auth).
	Scopes    []string
	AllScopes bool
	// OperationID is the OpenAPI operation the request was routed to.
	OperationID string
	Version     string
	// Fault names the fault that fired for this request, if any.
	Fault string
	// Body is the request body as the endpoint read it, for the journal;
	// nil when the request was answered before its body was read.
	Body []byte
	// Response is the start of the response body, for the journal, as the
	// access-log middleware captured it; ResponseTruncated says the body
	// was longer. Both are set only while the recorder runs.
	Response          []byte
	ResponseTruncated bool
}

type key struct{}

// With returns a context carrying info.
func With(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, key{}, info)
}

// From returns the request's Info, or an empty one when the context carries
// none (so callers never need a nil check).
func From(ctx context.Context) *Info {
	if info, ok := ctx.Value(key{}).(*Info); ok {
		return info
	}
	return &Info{}
}
