package faults

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"time"
)

// KindLatency delays the real answer.
const KindLatency = "latency"

// maxDelay bounds latency so that a typo cannot hold a request for hours.
const maxDelay = 10 * time.Minute

// Latency serves the real answer after Ms milliseconds plus a uniform
// jitter in [0, JitterMs]. The delay is real time, not the server's clock:
// it is there for clients' timeouts. It ends early when the client gives up
// (the request is aborted) or the server shuts down: then the real answer
// goes out at once, so that a graceful shutdown completes the request
// instead of dropping it or waiting out the delay. While the delay runs the
// request is exempt from the server's read and write timeouts, so a delay
// longer than them still answers.
type Latency struct {
	Ms       int `json:"ms"`
	JitterMs int `json:"jitterMs,omitempty"`
}

// Kind implements Fault.
func (*Latency) Kind() string { return KindLatency }

func (f *Latency) check() error {
	limit := int(maxDelay / time.Millisecond)
	if f.Ms < 0 || f.JitterMs < 0 || f.Ms > limit || f.JitterMs > limit-f.Ms {
		return fmt.Errorf("ms and jitterMs must be non-negative and at most %d in total", maxDelay.Milliseconds())
	}
	return nil
}

// Delay returns the delay of one request, drawing the jitter from random.
func (f *Latency) Delay(random Random) time.Duration {
	d := time.Duration(f.Ms) * time.Millisecond
	if f.JitterMs > 0 {
		d += time.Duration(random.Int64N(int64(f.JitterMs)+1)) * time.Millisecond
	}
	return d
}

// Serve implements Fault. A body is read ahead (up to the server's body
// limit) and handed to the handler from memory: net/http only notices a
// client that goes away once the body has been read, so reading it first
// lets an abandoned delayed request end at once, as a hung one does. A body
// over the limit is left to the handler, which refuses it after the delay.
func (f *Latency) Serve(x *Exchange, w http.ResponseWriter, r *http.Request, next http.Handler) {
	if r.Body != nil && r.Body != http.NoBody && x.MaxBody > 0 {
		data, err := io.ReadAll(io.LimitReader(r.Body, x.MaxBody+1))
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		rest := r.Body
		if int64(len(data)) <= x.MaxBody {
			rest = http.NoBody
		}
		r.Body = readCloser{io.MultiReader(bytes.NewReader(data), rest), r.Body}
	}
	t := time.NewTimer(f.Delay(x.Random))
	defer t.Stop()
	holdWithoutTimeouts(w)
	select {
	case <-t.C:
		next.ServeHTTP(w, r)
	case <-r.Context().Done():
		panic(http.ErrAbortHandler)
	case <-x.Done:
		next.ServeHTTP(w, r)
	}
}

// readCloser reads from Reader and closes the request's own body.
type readCloser struct {
	io.Reader
	body io.Closer
}

func (rc readCloser) Close() error { return rc.body.Close() }
