// Package middleware holds the pieces every request passes, each a
// func(http.Handler) http.Handler in chi's style, one file each:
//
//   - RequestInfo, Observe, DrainBeforeRefusal and Recoverer wrap every
//     route (API and admin): correlation id and arrival time, the access log
//     and journal, an answer that large-body clients receive, and HubSpot's
//     500 for a panic;
//   - Authenticate (401), Scopes (403), RateLimit (429) and Fault guard each
//     API operation, composed per operation in that order, which is
//     HubSpot's (faults come after the rate limiter so that a faulted
//     request still counts, as a real one would).
//
// The guards of one operation are built once, when its route is mounted,
// with what they need to know about it.
package middleware
