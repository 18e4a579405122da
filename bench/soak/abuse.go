package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// rules are added through the admin API after every start (rules added that
// way are not kept across restarts). The first two fire only for the
// abusers' tagged requests (rules are tried in order). Reads get only
// latency, so that checks can still read; writes get refusals, which apply
// nothing.
var rules = []string{
	`{"id":"soak-tagged-reset","match":{"header":{"X-Soak-Rule":"reset"}},"fault":{"kind":"reset"}}`,
	`{"id":"soak-tagged-empty","match":{"header":{"X-Soak-Rule":"empty"}},"fault":{"kind":"empty"}}`,
	`{"id":"soak-update-503","match":{"method":"POST","path":"/crm/associations/*/definitions/configurations/*/*/batch/update"},"fault":{"kind":"status","status":503},"probability":0.02}`,
	`{"id":"soak-label-429","match":{"method":"POST","path":"/crm/associations/*/*/*/labels"},"fault":{"kind":"status","status":429},"probability":0.02}`,
	`{"id":"soak-read-latency","match":{"method":"GET","path":"/crm/**"},"fault":{"kind":"latency","ms":5,"jitterMs":20},"probability":0.05}`,
}

// addRules posts the rules; a rule already there (409) is fine.
func addRules(addr string, c *counters) {
	client := &http.Client{Timeout: 5 * time.Second}
	for _, rule := range rules {
		resp, err := client.Post("http://"+addr+"/_mockhub/faults", "application/json", strings.NewReader(rule))
		if err != nil {
			c.inc("fault rules: errors")
			continue
		}
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusCreated, http.StatusConflict:
			c.inc("fault rules: added")
		default:
			c.inc(fmt.Sprintf("fault rules: answered %d", resp.StatusCode))
		}
	}
}

// sleepCtx sleeps for d or until ctx ends; it reports whether ctx is live.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// hanger sends requests the server holds (X-Mockhub-Fault: hang), GETs and
// POSTs, each on its own connection, and gives up on them after a short
// while, as a client with a timeout does; now and then it sends a request
// a rule answers with a reset or an empty reply instead.
func hanger(ctx context.Context, s *server, id, seed int, c *counters) {
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(1000+id)))
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	tok := fmt.Sprintf("soak-%d-hang-%d", seed, id)
	for sleepCtx(ctx, time.Duration(50+rng.IntN(150))*time.Millisecond) {
		if !s.waitUp(ctx) {
			return
		}
		var method, path, kind string
		var body []byte
		switch r := rng.IntN(10); {
		case r < 4:
			method, path, kind = http.MethodGet, limitsPath, "hang GET"
		case r < 6:
			method, path, kind = http.MethodPost, labelsPath, "hang POST"
			body = []byte(`{"name":"hung","label":"Hung"}`)
		case r < 8:
			method, path, kind = http.MethodPost, limitsPath+"/batch/create", "hang POST"
			body = limitInputs(1, 1)
		case r < 9:
			method, path, kind = http.MethodGet, limitsPath, "rule reset"
		default:
			method, path, kind = http.MethodGet, limitsPath, "rule empty"
		}
		giveUp := time.Duration(200+rng.IntN(800)) * time.Millisecond
		rctx, cancel := context.WithTimeout(ctx, giveUp)
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, _ := http.NewRequestWithContext(rctx, method, "http://"+s.addr+path, rd)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		switch kind {
		case "rule reset":
			req.Header.Set("X-Soak-Rule", "reset")
		case "rule empty":
			req.Header.Set("X-Soak-Rule", "empty")
		default:
			req.Header.Set("X-Mockhub-Fault", "hang")
		}
		epoch, _ := s.state()
		resp, err := tr.RoundTrip(req)
		switch {
		case err != nil && ctx.Err() != nil:
			// The run is over: not a finding.
		case err != nil && s.killedSince(epoch):
			c.inc(kind + ": ended by a kill")
		case err == nil:
			resp.Body.Close()
			c.inc(fmt.Sprintf("%s: answered %d", kind, resp.StatusCode))
		case errors.Is(err, context.DeadlineExceeded) && strings.HasPrefix(kind, "hang"):
			c.inc(kind + ": abandoned by the client")
		case strings.HasPrefix(kind, "rule"):
			c.inc(kind + ": connection dropped")
		default:
			c.inc(kind + ": other errors")
		}
		cancel()
	}
}

// slowModes are the ways a slow client holds a connection.
var slowModes = []string{"slow headers", "stalled body", "trickled body", "idle keep-alive"}

// slowClient holds connections open the way slow and stalled clients do,
// one at a time, each for at most stall, until ctx ends. It counts whether
// the server let the connection be held to the end or closed it first.
func slowClient(ctx context.Context, s *server, id, seed int, stall time.Duration, c *counters) {
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(2000+id)))
	tok := fmt.Sprintf("soak-%d-slow-%d", seed, id)
	for sleepCtx(ctx, time.Duration(rng.IntN(200))*time.Millisecond) {
		if !s.waitUp(ctx) {
			return
		}
		mode := slowModes[rng.IntN(len(slowModes))]
		hold := stall/2 + time.Duration(rng.Int64N(int64(stall/2)+1))
		epoch, _ := s.state()
		outcome := holdConn(ctx, s.addr, tok, mode, hold)
		switch {
		case ctx.Err() != nil:
			return // cut short by the end of the run: not a finding
		case outcome != "held to the end" && s.killedSince(epoch):
			outcome = "ended by a kill"
		}
		c.inc(mode + ": " + outcome)
	}
}

// holdConn runs one slow connection and says how it ended.
func holdConn(ctx context.Context, addr, tok, mode string, hold time.Duration) string {
	d := net.Dialer{Timeout: 2 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "dial failed"
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	end := time.Now().Add(hold)
	body := string(limitInputs(1, 1))
	head := "POST " + limitsPath + "/batch/create HTTP/1.1\r\nHost: " + addr + "\r\nAuthorization: Bearer " + tok +
		"\r\nContent-Type: application/json\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n"
	switch mode {
	case "slow headers":
		// One byte of the head a second: never a complete request.
		return trickle(conn, head, end)
	case "stalled body":
		if _, err := io.WriteString(conn, head+body[:len(body)/2]); err != nil {
			return "write failed"
		}
		return waitClosed(conn, end)
	case "trickled body":
		if _, err := io.WriteString(conn, head); err != nil {
			return "write failed"
		}
		return trickle(conn, body, end)
	default: // idle keep-alive: one answered request, then silence
		req := "GET /_mockhub/health HTTP/1.1\r\nHost: " + addr + "\r\n\r\n"
		if _, err := io.WriteString(conn, req); err != nil {
			return "write failed"
		}
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			return "no answer"
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return waitClosed(conn, end)
	}
}

// trickle writes data one byte a second until end; it stops one byte short
// of the whole, so that the request is never complete.
func trickle(conn net.Conn, data string, end time.Time) string {
	for i := 0; i < len(data)-1; i++ {
		if time.Now().After(end) {
			return "held to the end"
		}
		conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
		if _, err := io.WriteString(conn, data[i:i+1]); err != nil {
			return "closed by the server"
		}
		// A read that times out after a second is the pause between bytes,
		// and tells whether the server has answered or closed meanwhile.
		if r := waitClosed(conn, minTime(end, time.Now().Add(time.Second))); r != "held to the end" {
			return r
		}
	}
	return waitClosed(conn, end)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// waitClosed reads until end: a timeout means the server held the
// connection, anything else that it answered or closed it.
func waitClosed(conn net.Conn, end time.Time) string {
	conn.SetReadDeadline(end)
	var buf [512]byte
	n, err := conn.Read(buf[:])
	switch {
	case err == nil || n > 0:
		return "answered by the server (" + firstLine(buf[:n]) + ")"
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "held to the end"
	default:
		return "closed by the server"
	}
}

func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\r\n"))
	if len(line) > 40 {
		line = line[:40]
	}
	return string(line)
}

// bigSizes are the header values and bodies sent: under, at and over the
// server's 1 MiB header and body bounds.
var bigSizes = []int{64 << 10, 256 << 10, 512 << 10, 1000 << 10, 2 << 20}

// bigSender sends, every interval, a read with one large header value or a
// create with an oversized body, taking turns, until ctx ends.
func bigSender(ctx context.Context, s *server, every time.Duration, seed int, c *counters) {
	rng := rand.New(rand.NewPCG(uint64(seed), 3000))
	pad := strings.Repeat("x", bigSizes[len(bigSizes)-1])
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}, Timeout: 10 * time.Second}
	tok := fmt.Sprintf("soak-%d-big", seed)
	for i := 0; sleepCtx(ctx, every); i++ {
		if !s.waitUp(ctx) {
			return
		}
		size := bigSizes[rng.IntN(len(bigSizes))]
		var req *http.Request
		var kind string
		if i%2 == 0 {
			kind = fmt.Sprintf("header of %d KiB (bound 1 MiB)", size>>10)
			req, _ = http.NewRequestWithContext(ctx, http.MethodGet, "http://"+s.addr+labelsPath, nil)
			req.Header.Set("X-Soak-Pad", pad[:size])
		} else {
			kind = fmt.Sprintf("body of %d KiB (bound 1 MiB)", size>>10)
			body := `{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":1,"typeId":279}],"pad":"` + pad[:size] + `"}`
			req, _ = http.NewRequestWithContext(ctx, http.MethodPost, "http://"+s.addr+limitsPath+"/batch/update", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		epoch, _ := s.state()
		resp, err := client.Do(req)
		switch {
		case err != nil && ctx.Err() != nil:
			continue
		case err != nil && s.killedSince(epoch):
			c.inc(kind + ": ended by a kill")
			continue
		case err != nil:
			c.inc(kind + ": connection error")
			continue
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		c.inc(fmt.Sprintf("%s: answered %d", kind, resp.StatusCode))
	}
}
