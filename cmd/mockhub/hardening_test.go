package main

// End-to-end tests of what a slow, idle, abandoning or hostile client can do
// to the binary: descriptors and connections must come back.

import (
	"fmt"
	"net"
	"os"
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
	requests := []struct{ method, raw string }{
		{"POST", fmt.Sprintf("POST %s/batch/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pat-na1-hang\r\nContent-Type: application/json\r\nX-Mockhub-Fault: hang\r\nContent-Length: %d\r\n\r\n%s", seedPath, len(seedBody), seedBody)},
		{"GET", fmt.Sprintf("GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pat-na1-hang\r\nX-Mockhub-Fault: hang\r\n\r\n", seedPath)},
	}
	for _, req := range requests {
		const n = 10
		method := req.method
		before := p.count("kind=hang")
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
		if !eventually(10*time.Second, func() bool { return p.count("kind=hang") >= before+n }) {
			t.Fatalf("%s: the requests did not reach the hang fault:\n%s", method, p.log())
		}
		if held := openFDs(t, pid); held < baseline+n {
			t.Fatalf("%s: %d descriptors while %d requests hang, baseline %d", method, held, n, baseline)
		}
		for _, c := range conns {
			c.Close()
		}
		var got int
		if !eventually(10*time.Second, func() bool { got = openFDs(t, pid); return got <= baseline }) {
			t.Fatalf("%s: %d descriptors after %d clients gave up on a hang, baseline %d: connections leaked", method, got, n, baseline)
		}
	}
}
