package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/reqctx"
)

// maxHeaderBytes is the documented bound on a request's line and header
// fields. Over it the answer is HubSpot's error shape with 431.
const maxHeaderBytes = 1 << 20

// headerSlack is how far above maxHeaderBytes net/http reads before it gives
// up on a request itself: requests in between reach headerLimit, which
// measures them exactly; larger ones get net/http's own 431, which conn
// rewrites into the same answer. The slack is read per connection at most,
// so it adds to memory only as much as the bound itself.
const headerSlack = 64 << 10

// goHeaderTooLarge is, byte for byte, what net/http writes when a request's
// headers overflow http.Server.MaxHeaderBytes (net/http/server.go).
var goHeaderTooLarge = []byte("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large")

// Messages of the answers given outside the server's handlers.
const (
	msgHeaderTooLarge  = "Request header fields are larger than the limit of %d bytes"
	msgTooManyConns    = "Too many open connections; retry later"
	refuseGrace        = time.Second
	maxRefusalsPending = 256
)

// headerTooLarge is the 431 for a request whose line and headers exceed
// maxHeaderBytes.
func headerTooLarge() *apierr.Error {
	return &apierr.Error{Status: http.StatusRequestHeaderFieldsTooLarge, Category: apierr.CategoryValidation, Message: fmt.Sprintf(msgHeaderTooLarge, maxHeaderBytes)}
}

// tooManyConns is the 503 for a connection over --max-conns.
func tooManyConns() *apierr.Error {
	return &apierr.Error{Status: http.StatusServiceUnavailable, Category: apierr.CategoryServiceUnavailable, Message: msgTooManyConns}
}

// rawAnswer is e as a complete HTTP/1.1 response that closes the
// connection, for answers written straight to a connection.
func rawAnswer(e *apierr.Error, extra string) []byte {
	id := newCorrelationID()
	body := e.Body(id)
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\nContent-Type: application/json;charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n%sX-Hubspot-Correlation-Id: %s\r\n\r\n",
		e.Status, http.StatusText(e.Status), len(body), extra, id)
	b.Write(body)
	return b.Bytes()
}

// newCorrelationID is a random UUID (version 4) for answers given before a
// request reaches the server, which owns the seeded source.
func newCorrelationID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

// headerLimit refuses, in HubSpot's shape, a request whose line and header
// fields add up to more than maxHeaderBytes as sent.
func headerLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if headerSize(r) > maxHeaderBytes {
			// The server's middleware, which gives requests their
			// correlation id, is not reached: give this answer one.
			r = r.WithContext(reqctx.With(r.Context(), &reqctx.Info{CorrelationID: newCorrelationID()}))
			w.Header().Set("Connection", "close")
			apierr.Write(w, r, headerTooLarge())
			return
		}
		next.ServeHTTP(w, r)
	})
}

// headerSize is the size of r's request line and header fields as sent
// ("Name: value\r\n" each, Host included).
func headerSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4
	if r.Host != "" {
		n += len("Host: ") + len(r.Host) + 2
	}
	for name, vs := range r.Header {
		for _, v := range vs {
			n += len(name) + 2 + len(v) + 2
		}
	}
	return n + 2
}

// capListener accepts at most max connections at once (0: no cap). A
// connection beyond the cap is answered at once with HubSpot's 503 and
// closed, rather than left in the kernel's accept queue: a health check
// then gets an answer instead of waiting for a slot, and a flood of
// connections costs neither descriptors nor memory beyond a short grace to
// deliver the answer. Every connection is also a conn, which rewrites
// net/http's plain-text 431.
type capListener struct {
	net.Listener
	max      int64
	open     atomic.Int64
	refusing atomic.Int64
}

func (l *capListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.max > 0 && l.open.Add(1) > l.max {
			l.open.Add(-1)
			l.refuse(c)
			continue
		}
		if l.max <= 0 {
			l.open.Add(1)
		}
		return &conn{Conn: c, l: l}, nil
	}
}

// refuse answers c with 503 and closes it. The answer is written, the
// sending side closed and the client's request read and discarded for a
// short grace, so that the client reads the 503 rather than a reset. At
// most maxRefusalsPending connections are in that grace; beyond, c is
// closed at once.
func (l *capListener) refuse(c net.Conn) {
	if l.refusing.Add(1) > maxRefusalsPending {
		l.refusing.Add(-1)
		c.Close()
		return
	}
	go func() {
		defer l.refusing.Add(-1)
		defer c.Close()
		c.SetDeadline(time.Now().Add(refuseGrace))
		if _, err := c.Write(rawAnswer(tooManyConns(), "Retry-After: 1\r\n")); err != nil {
			return
		}
		if cw, ok := c.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		}
		var buf [4096]byte
		for read := 0; read < 64<<10; {
			n, err := c.Read(buf[:])
			if err != nil {
				return
			}
			read += n
		}
	}()
}

// conn is one accepted connection: it gives its slot back when closed and
// turns net/http's plain-text 431 into HubSpot's error shape.
type conn struct {
	net.Conn
	l      *capListener
	closed atomic.Bool
}

func (c *conn) Write(b []byte) (int, error) {
	var e *apierr.Error
	switch {
	case bytes.Equal(b, goHeaderTooLarge):
		e = headerTooLarge()
	default:
		e = goPlainError(b)
	}
	if e != nil {
		if _, err := c.Conn.Write(rawAnswer(e, "")); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	return c.Conn.Write(b)
}

// goErrorHeaders are the headers of the plain-text answers net/http writes
// itself for a request it cannot read (a malformed request line or header,
// a missing Host, an unsupported transfer coding): never those of an answer
// of ours, which are JSON and carry a Date.
const goErrorHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// goPlainError recognises one of net/http's own plain-text error answers in
// b and returns it in HubSpot's shape, or nil.
func goPlainError(b []byte) *apierr.Error {
	rest, ok := bytes.CutPrefix(b, []byte("HTTP/1.1 "))
	if !ok || len(rest) < 3 {
		return nil
	}
	_, text, ok := bytes.Cut(rest, []byte(goErrorHeaders))
	if !ok {
		return nil
	}
	status := 0
	for _, d := range rest[:3] {
		if d < '0' || d > '9' {
			return nil
		}
		status = status*10 + int(d-'0')
	}
	if status < 400 || status > 599 {
		return nil
	}
	category := apierr.CategoryValidation
	if status >= 500 {
		category = apierr.CategoryInternal
	}
	return &apierr.Error{Status: status, Category: category, Message: "The request could not be read: " + string(text)}
}

func (c *conn) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.l.open.Add(-1)
	}
	return c.Conn.Close()
}

// CloseWrite lets net/http half-close the connection after an error answer,
// as it does on a bare TCP connection.
func (c *conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
