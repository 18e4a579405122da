package faults

import (
	"net"
	"net/http"
)

// KindReset aborts the connection with a TCP reset.
const KindReset = "reset"

// Reset aborts the connection without an answer: the socket is closed with
// SO_LINGER 0, so the client sees "connection reset by peer".
type Reset struct{}

// Kind implements Fault.
func (*Reset) Kind() string { return KindReset }

func (*Reset) check() error { return nil }

// Serve implements Fault.
func (*Reset) Serve(_ *Exchange, w http.ResponseWriter, _ *http.Request, _ http.Handler) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// No connection to take over (HTTP/2, a recorder): abort the
		// response, the closest we can get.
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
