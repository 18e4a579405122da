package main

// End-to-end tests of what a slow, idle, abandoning or hostile client can do
// to the binary: descriptors and connections must come back.

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// openFDs counts the descriptors process pid holds.
func openFDs(t *testing.T, pid int) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	if err != nil {
		t.Skipf("cannot count descriptors: %v", err)
	}
	return len(entries)
}

// eventually polls cond every 50ms for up to within and reports whether it
// held; the bound only stops a failing test, it measures nothing.
func eventually(within time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(within); ; time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// count counts the log lines of p that contain s.
func (p *process) count(s string) int { return strings.Count(p.log(), s) }

// TestAbandonedHangReleasesConnection: a client that gives up on a request
// held by a hang fault gets its connection released, whatever the method.
func TestAbandonedHangReleasesConnection(t *testing.T) {
	p := start(t, binary(t), t.TempDir())
	pid := p.cmd.Process.Pid
	if status, _ := p.do(t, "GET", seedPath, "pat-na1-hang", ""); status != 200 {
		t.Fatalf("warm-up answered %d", status)
	}
	var baseline int
	// The warm-up client's connection closes when its transport is
	// collected; wait for the count to settle.
	eventually(5*time.Second, func() bool {
		a := openFDs(t, pid)
		time.Sleep(100 * time.Millisecond)
		baseline = openFDs(t, pid)
		return a == baseline
	})
	requests := []struct{ method, kind, raw string }{
		{"POST", "hang", fmt.Sprintf("POST %s/batch/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pat-na1-hang\r\nContent-Type: application/json\r\nX-Mockhub-Fault: hang\r\nContent-Length: %d\r\n\r\n%s", seedPath, len(seedBody), seedBody)},
		{"GET", "hang", fmt.Sprintf("GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pat-na1-hang\r\nX-Mockhub-Fault: hang\r\n\r\n", seedPath)},
		// A long latency holds the request as a hang does; its client
		// giving up must release it too, body or not.
		{"POST", "latency", fmt.Sprintf("POST %s/batch/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pat-na1-hang\r\nContent-Type: application/json\r\nX-Mockhub-Fault: latency;ms=600000\r\nContent-Length: %d\r\n\r\n%s", seedPath, len(seedBody), seedBody)},
	}
	for _, req := range requests {
		const n = 10
		method := req.method + " " + req.kind
		before := p.count("kind=" + req.kind)
		var conns []net.Conn
		for i := 0; i < n; i++ {
			c, err := net.Dial("tcp", p.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			conns = append(conns, c)
			if _, err := c.Write([]byte(req.raw)); err != nil {
				t.Fatal(err)
			}
		}
		if !eventually(10*time.Second, func() bool { return p.count("kind="+req.kind) >= before+n }) {
			t.Fatalf("%s: the requests did not reach the fault:\n%s", method, p.log())
		}
		if held := openFDs(t, pid); held < baseline+n {
			t.Fatalf("%s: %d descriptors while %d requests hang, baseline %d", method, held, n, baseline)
		}
		for _, c := range conns {
			c.Close()
		}
		var got int
		if !eventually(10*time.Second, func() bool { got = openFDs(t, pid); return got <= baseline }) {
			t.Fatalf("%s: %d descriptors after %d clients gave up on a held request, baseline %d: connections leaked", method, got, n, baseline)
		}
	}
}

// readAnswer reads one answer from c, waiting at most within.
func readAnswer(c net.Conn, within time.Duration) (*http.Response, string, error) {
	c.SetReadDeadline(time.Now().Add(within))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, string(body), err
}

// closedByServer reports whether the server closes c (EOF or reset) before
// within passes, reading and discarding whatever it sends first.
func closedByServer(c net.Conn, within time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(within))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// TestSlowAndIdleClientsAreDisconnected: a stalled body and an idle
// keep-alive connection are closed by the server after their timeouts,
// while a request a latency fault holds longer than both is answered.
func TestSlowAndIdleClientsAreDisconnected(t *testing.T) {
	p := start(t, binary(t), t.TempDir(), "--read-timeout", "1s", "--write-timeout", "1s", "--idle-timeout", "1s")
	dial := func() net.Conn {
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	t.Run("stalled body", func(t *testing.T) {
		c := dial()
		fmt.Fprintf(c, "POST %s/batch/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pat-na1-slow\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			seedPath, len(seedBody), seedBody[:10])
		if !closedByServer(c, 20*time.Second) {
			t.Fatal("a connection whose body stalled is still open")
		}
	})
	t.Run("idle keep-alive", func(t *testing.T) {
		c := dial()
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pat-na1-idle\r\n\r\n", seedPath)
		if resp, body, err := readAnswer(c, 10*time.Second); err != nil || resp.StatusCode != 200 {
			t.Fatalf("answer: %v %v %s", resp, err, body)
		}
		if !closedByServer(c, 20*time.Second) {
			t.Fatal("an idle keep-alive connection is still open")
		}
	})
	t.Run("latency longer than the timeouts", func(t *testing.T) {
		c := dial()
		fmt.Fprintf(c, "POST %s/batch/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pat-na1-late\r\nContent-Type: application/json\r\nX-Mockhub-Fault: latency;ms=2500\r\nContent-Length: %d\r\n\r\n%s",
			seedPath, len(seedBody), seedBody)
		resp, body, err := readAnswer(c, 20*time.Second)
		if err != nil || resp.StatusCode != 201 {
			t.Fatalf("delayed answer: %v %v %s\n%s", resp, err, body, p.log())
		}
	})
	t.Run("hang longer than the timeouts", func(t *testing.T) {
		c := dial()
		before := p.count("kind=hang")
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pat-na1-hung\r\nX-Mockhub-Fault: hang\r\n\r\n", seedPath)
		if !eventually(10*time.Second, func() bool { return p.count("kind=hang") > before }) {
			t.Fatal("the request did not reach the hang fault")
		}
		// Past both timeouts the request is still held: nothing comes back.
		if closedByServer(c, 3*time.Second) {
			t.Fatal("the read or write timeout ended a hang")
		}
	})
}

// TestConnectionCap: connections beyond --max-conns get HubSpot's 503 at
// once, the health check included, and the server serves again once
// connections close.
func TestConnectionCap(t *testing.T) {
	p := start(t, binary(t), t.TempDir(), "--max-conns", "5")
	var held []net.Conn
	for i := 0; i < 5; i++ {
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	// The five connections are accepted in order; the sixth is over.
	var status int
	var body string
	if !eventually(10*time.Second, func() bool {
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			return false
		}
		defer c.Close()
		fmt.Fprintf(c, "GET /_mockhub/health HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, b, err := readAnswer(c, 10*time.Second)
		if err != nil {
			return false
		}
		status, body = resp.StatusCode, b
		return status == 503
	}) {
		t.Fatalf("over the cap: %d %s", status, body)
	}
	if !strings.Contains(body, `"status":"error"`) || !strings.Contains(body, `"category":"SERVICE_UNAVAILABLE"`) {
		t.Fatalf("503 body is not HubSpot's shape: %s", body)
	}
	for _, c := range held {
		c.Close()
	}
	if !eventually(10*time.Second, func() bool {
		status, _, err := p.try("GET", "/_mockhub/health", "", "")
		return err == nil && status == 200
	}) {
		t.Fatal("the server does not serve again after connections closed")
	}
}

// TestOversizedHeaderGetsHubSpotShaped431: a request whose headers exceed
// the 1 MiB limit, by a little or by a lot, gets a JSON 431.
func TestOversizedHeaderGetsHubSpotShaped431(t *testing.T) {
	p := start(t, binary(t), t.TempDir())
	for _, size := range []int{maxHeaderBytes + 1000, 3 * maxHeaderBytes} {
		t.Run(strconv.Itoa(size), func(t *testing.T) {
			c, err := net.Dial("tcp", p.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			go fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pat-na1-big\r\nX-Big: %s\r\n\r\n", seedPath, strings.Repeat("a", size))
			resp, body, err := readAnswer(c, 20*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 431 || resp.Header.Get("Content-Type") != "application/json;charset=utf-8" ||
				!strings.Contains(body, `"status":"error","message":"Request header fields are larger than the limit of 1048576 bytes","correlationId":"`) ||
				!strings.Contains(body, `"category":"VALIDATION_ERROR"`) || resp.Header.Get("X-Hubspot-Correlation-Id") == "" {
				t.Fatalf("%d %v %s", resp.StatusCode, resp.Header, body)
			}
		})
	}
	// Just under the limit is served.
	pad := maxHeaderBytes - 4096
	c, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pat-na1-big\r\nX-Big: %s\r\n\r\n", seedPath, strings.Repeat("a", pad))
	if resp, body, err := readAnswer(c, 20*time.Second); err != nil || resp.StatusCode != 200 {
		t.Fatalf("under the limit: %v %v %s", resp, err, body)
	}
}

// TestUnreadableRequestGetsHubSpotShapedError: a request net/http cannot
// read (a malformed header line, no Host) is answered in HubSpot's shape,
// not with net/http's plain text.
func TestUnreadableRequestGetsHubSpotShapedError(t *testing.T) {
	p := start(t, binary(t), t.TempDir())
	for name, raw := range map[string]string{
		"malformed header": "GET " + seedPath + " HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
		"no host":          "GET " + seedPath + " HTTP/1.1\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			c, err := net.Dial("tcp", p.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := io.WriteString(c, raw); err != nil {
				t.Fatal(err)
			}
			resp, body, err := readAnswer(c, 20*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 400 || resp.Header.Get("Content-Type") != "application/json;charset=utf-8" ||
				!strings.Contains(body, `"status":"error","message":"The request could not be read: `) ||
				!strings.Contains(body, `"category":"VALIDATION_ERROR"`) {
				t.Fatalf("%d %v %s", resp.StatusCode, resp.Header, body)
			}
		})
	}
}

// TestUsageErrorsExitTwo: the binary refuses a misspelled command with
// status 2 and a plain message, without starting.
func TestUsageErrorsExitTwo(t *testing.T) {
	bin := binary(t)
	for _, args := range [][]string{{"healtcheck"}, {"--journal-size", "-1"}, {"--addr", "127.0.0.1:0", "extra"}} {
		cmd := exec.Command(bin, args...)
		cmd.Env = []string{"HOME=" + t.TempDir()}
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != 2 || !strings.HasPrefix(string(out), "mockhub: ") || strings.Contains(string(out), "listening") {
			t.Errorf("%v: exit %d\n%s", args, code, out)
		}
	}
}

// TestHugeRequestsAreCutInAnswersAndJournal: a huge path is not echoed
// whole by the 404, and the journal keeps bounded paths and headers.
func TestHugeRequestsAreCutInAnswersAndJournal(t *testing.T) {
	p := start(t, binary(t), t.TempDir())
	client := &http.Client{Timeout: 20 * time.Second}
	send := func(path string, header http.Header) (int, []byte) {
		req, err := http.NewRequest("GET", "http://"+p.addr+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header = header
		req.Header.Set("Authorization", "Bearer pat-na1-huge")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %.100s…: %T", req.Method, path, err) // the error repeats the URL
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	status, body := send("/crm/"+strings.Repeat("p", 500_000), http.Header{})
	if status != 404 || len(body) > 4096 {
		t.Fatalf("404 for a 500 KB path: %d, %d bytes", status, len(body))
	}
	for range 20 {
		if status, body := send(seedPath, http.Header{"X-Big": {strings.Repeat("b", 900_000)}}); status != 200 {
			t.Fatalf("%d %s", status, body)
		}
	}
	status, body = send("/_mockhub/requests", http.Header{})
	var got struct {
		Results []struct {
			Path             string              `json:"path"`
			PathTruncated    bool                `json:"pathTruncated"`
			Headers          map[string][]string `json:"headers"`
			HeadersTruncated bool                `json:"headersTruncated"`
		} `json:"results"`
	}
	if err := json.Unmarshal(body, &got); err != nil || status != 200 || len(got.Results) != 21 {
		t.Fatalf("journal: %d, %v, %d entries", status, err, len(got.Results))
	}
	if len(body) > 21*32<<10 {
		t.Fatalf("the journal answers %d bytes for 21 requests", len(body))
	}
	first, last := got.Results[len(got.Results)-1], got.Results[0]
	if !first.PathTruncated || len(first.Path) > 4096 {
		t.Fatalf("journal keeps a %d-byte path (truncated %v)", len(first.Path), first.PathTruncated)
	}
	if !last.HeadersTruncated || len(last.Headers["X-Big"]) != 1 || len(last.Headers["X-Big"][0]) > 8192 {
		t.Fatalf("journal keeps X-Big of %d bytes (truncated %v)", len(strings.Join(last.Headers["X-Big"], "")), last.HeadersTruncated)
	}
}
