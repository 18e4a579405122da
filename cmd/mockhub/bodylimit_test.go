package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// oversizedPath is an API operation with a body, reached with a valid token
// so that the request gets as far as reading its body.
const oversizedPath = seedPath + "/batch/create"

// hangGuard only keeps a broken server from stalling the test run: every
// exchange below takes a fraction of it, and no assertion depends on time.
const hangGuard = 2 * time.Minute

// sendOversized writes one complete POST of a JSON body of exactly size bytes
// to conn, as a client that writes the whole request before reading the
// answer does (Python's urllib and urllib3). It returns how many body bytes
// were written and the first write error.
func sendOversized(conn net.Conn, host string, size int) (int, error) {
	return sendBody(conn, host, "Authorization: Bearer my-test-token\r\n", size)
}

// sendBody is sendOversized with the given authentication header lines
// (none: the request is refused before its body is read).
func sendBody(conn net.Conn, host, auth string, size int) (int, error) {
	const prefix, suffix = `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5,"pad":"`, `"}]}`
	head := "POST " + oversizedPath + " HTTP/1.1\r\n" +
		"Host: " + host + "\r\n" +
		auth +
		"Content-Type: application/json\r\n" +
		fmt.Sprintf("Content-Length: %d\r\n\r\n", size)
	if _, err := io.WriteString(conn, head+prefix); err != nil {
		return 0, err
	}
	written := len(prefix)
	chunk := []byte(strings.Repeat("x", 64<<10))
	for pad := size - len(prefix) - len(suffix); pad > 0; {
		n, err := conn.Write(chunk[:min(pad, len(chunk))])
		written += n
		pad -= n
		if err != nil {
			return written, err
		}
	}
	n, err := io.WriteString(conn, suffix)
	return written + n, err
}

func dialRaw(t *testing.T, p *process) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.SetDeadline(time.Now().Add(hangGuard)); err != nil {
		t.Fatal(err)
	}
	return conn
}

// TestOversizedBodyGets413 sends bodies over the default 1 MiB limit to the
// real binary from a client that writes the whole request before reading:
// the client must read a complete HubSpot-shaped 413, not a connection reset
// (the server used to answer and close while the client was still sending).
func TestOversizedBodyGets413(t *testing.T) {
	p := start(t, binary(t), t.TempDir())
	for _, size := range []int{2 << 20, 20 << 20} {
		t.Run(fmt.Sprintf("%d MiB", size>>20), func(t *testing.T) {
			conn := dialRaw(t, p)
			if n, err := sendOversized(conn, p.addr, size); err != nil {
				t.Fatalf("writing the request failed after %d of %d body bytes: %v", n, size, err)
			}
			br := bufio.NewReader(conn)
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("reading the answer: %v", err)
			}
			data, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatalf("reading the answer's body: %v (got %q)", err, data)
			}
			if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close || mt != "application/json" {
				t.Fatalf("answer %d, close %v, Content-Type %q: %s", resp.StatusCode, resp.Close, resp.Header.Get("Content-Type"), data)
			}
			var body struct {
				Status, Message, CorrelationID, Category string
			}
			if err := json.Unmarshal(data, &body); err != nil {
				t.Fatalf("413 body is not JSON: %v: %s", err, data)
			}
			if body.Status != "error" || body.Category != "VALIDATION_ERROR" || body.CorrelationID == "" ||
				body.Message != "Request body is larger than the limit of 1048576 bytes" {
				t.Fatalf("413 body %s", data)
			}
			// Connection: close is kept: the server ends the connection.
			if _, err := br.ReadByte(); err != io.EOF {
				t.Fatalf("after the 413 the connection gave %v, want EOF", err)
			}
		})
	}
	if status, body := p.do(t, "POST", oversizedPath, "my-test-token", seedBody); status != 201 {
		t.Fatalf("a normal request after the oversized ones = %d %s", status, body)
	}
}

// TestOversizedBodyBeyondDrainBound: a body far beyond what the server reads
// and throws away before its 413 (32 MiB) is not read to the end. The server
// closes the connection, so the client's write fails, and it keeps answering.
func TestOversizedBodyBeyondDrainBound(t *testing.T) {
	// 128 MiB is well beyond the drain bound plus what the two loopback
	// socket buffers can hold (here up to 32 MiB received and 4 MiB sent),
	// so the write can end only when the server reads it all or closes.
	const size = 128 << 20
	p := start(t, binary(t), t.TempDir())
	conn := dialRaw(t, p)
	n, werr := sendOversized(conn, p.addr, size)
	if isTimeout(werr) {
		t.Fatalf("the server neither read the body nor closed the connection (%d of %d bytes written)", n, size)
	}
	if werr == nil {
		t.Fatalf("the server read all %d bytes of an oversized body: the drain is not bounded", size)
	}
	// Whatever the client got before the reset, the connection is over.
	_, rerr := io.Copy(io.Discard, conn)
	if isTimeout(rerr) {
		t.Fatal("the server holds the connection open after refusing the body")
	}
	if status, body := p.do(t, "GET", "/_mockhub/health", "", ""); status != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("health after the oversized body = %d %s", status, body)
	}
	if status, body := p.do(t, "POST", oversizedPath, "my-test-token", seedBody); status != 201 {
		t.Fatalf("a normal request after the oversized body = %d %s", status, body)
	}
}

func isTimeout(err error) bool {
	return errors.Is(err, os.ErrDeadlineExceeded)
}

// TestRefusalBeforeTheBodyReachesAWriteFirstClient: a request refused
// before its body is read (no credentials: 401) still gets its answer to a
// client that writes a large body before reading, instead of a reset.
func TestRefusalBeforeTheBodyReachesAWriteFirstClient(t *testing.T) {
	p := start(t, binary(t), t.TempDir())
	for _, size := range []int{900 << 10, 8 << 20} {
		t.Run(fmt.Sprintf("%d KiB", size>>10), func(t *testing.T) {
			conn := dialRaw(t, p)
			if n, err := sendBody(conn, p.addr, "", size); err != nil {
				t.Fatalf("writing the request failed after %d of %d body bytes: %v", n, size, err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 401 || !strings.Contains(string(body), `"category":"INVALID_AUTHENTICATION"`) {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		})
	}
}
