package faults

import "net/http"

// KindHang accepts the request and never answers.
const KindHang = "hang"

// Hang holds the request without answering until the client gives up or the
// server shuts down, then drops the connection without a byte.
type Hang struct{}

// Kind implements Fault.
func (*Hang) Kind() string { return KindHang }

func (*Hang) check() error { return nil }

// Serve implements Fault.
func (*Hang) Serve(x *Exchange, _ http.ResponseWriter, r *http.Request, _ http.Handler) {
	select {
	case <-r.Context().Done():
	case <-x.Done:
	}
	panic(http.ErrAbortHandler)
}
