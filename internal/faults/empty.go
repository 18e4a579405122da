package faults

import (
	"io"
	"net/http"
)

// KindEmpty closes the connection without answering.
const KindEmpty = "empty"

// maxDrain bounds how much of a request body the empty fault reads.
const maxDrain = 8 << 20

// Empty reads the whole request, then closes the connection cleanly without
// sending a byte: the client sees an empty reply (EOF).
type Empty struct{}

// Kind implements Fault.
func (*Empty) Kind() string { return KindEmpty }

func (*Empty) check() error { return nil }

// Serve implements Fault.
func (*Empty) Serve(_ *Exchange, w http.ResponseWriter, r *http.Request, _ http.Handler) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
