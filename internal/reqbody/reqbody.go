// Package reqbody reads request bodies, for API operations and mockhub's
// admin routes alike, with one size limit rule: a body over the limit is
// answered with HubSpot's 413, and the client actually receives it.
package reqbody

import (
	"io"
	"net/http"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
)

// Drain bounds how much of an oversized body is read and thrown away before
// the 413 goes out, and for how long. Clients that write the whole body
// before reading the answer (Python's urllib3, which HubSpot's Python client
// uses) otherwise see a connection reset instead of the 413: the server would
// close the connection while they are still sending. Past either bound the
// connection is closed anyway, so a hostile client cannot hold it.
const (
	DrainBytes = 32 << 20
	DrainTime  = 5 * time.Second
)

// Read returns the whole body of r, at most limit bytes. Over the limit it
// returns HubSpot's 413 (after draining the rest, see Drain) and marks the
// connection to close; a body that cannot be read is a 400.
func Read(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *apierr.Error) {
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, apierr.Validation("Could not read the request body: " + err.Error())
	}
	if int64(len(data)) <= limit {
		return data, nil
	}
	Drain(w, r.Body)
	return nil, apierr.TooLarge(limit)
}

// Drain reads and discards what is left of body, within DrainBytes and
// DrainTime, and asks the server to close the connection after the answer,
// which it is about to write.
func Drain(w http.ResponseWriter, body io.Reader) {
	w.Header().Set("Connection", "close")
	rc := http.NewResponseController(w)
	// Not every ResponseWriter has a deadline (an in-process recorder): the
	// byte bound still holds there.
	if err := rc.SetReadDeadline(time.Now().Add(DrainTime)); err == nil {
		defer func() { _ = rc.SetReadDeadline(time.Time{}) }()
	}
	_, _ = io.CopyN(io.Discard, body, DrainBytes)
}
