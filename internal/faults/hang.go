package faults

import (
	"io"
	"net/http"
	"time"
)

// KindHang accepts the request and never answers.
const KindHang = "hang"

// hangDrainLimit bounds how much of a request body a hang reads before
// holding the request. net/http only watches a connection for the client
// going away once the request body has been read to its end, so a hang that
// left the body unread would hold a connection its client closed until the
// server shut down.
const hangDrainLimit = 16 << 20

// Hang holds the request without answering until the client gives up or the
// server shuts down, then drops the connection without a byte.
type Hang struct{}

// Kind implements Fault.
func (*Hang) Kind() string { return KindHang }

func (*Hang) check() error { return nil }

// Serve implements Fault. It reads and discards the body first (up to
// hangDrainLimit, under the server's read timeout), so that the server
// notices when the client goes away; a body larger than that drops the
// connection at once instead. While held, the request is exempt from the
// server's read and write timeouts, which would otherwise end the hang
// before the client's own timeout does.
func (*Hang) Serve(x *Exchange, w http.ResponseWriter, r *http.Request, _ http.Handler) {
	if r.Body != nil && r.Body != http.NoBody {
		n, err := io.Copy(io.Discard, io.LimitReader(r.Body, hangDrainLimit+1))
		if err != nil || n > hangDrainLimit {
			panic(http.ErrAbortHandler)
		}
	}
	holdWithoutTimeouts(w)
	select {
	case <-r.Context().Done():
	case <-x.Done:
	}
	panic(http.ErrAbortHandler)
}

// holdWithoutTimeouts lifts the connection's read and write deadlines for a
// request a fault holds on purpose (hang, latency): the server's timeouts
// are there for stalled clients, not for delays a test asked for. Writers
// that cannot set deadlines (tests' recorders) are left as they are.
func holdWithoutTimeouts(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
}
