package main

// End-to-end tests through the real binary: a static build, persistence
// across SIGKILL, the healthcheck subcommand and graceful shutdown. They
// build the binary once and are skipped under -short.

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// binary builds mockhub as the Dockerfile does (CGO_ENABLED=0) and returns
// its path.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the mockhub binary")
	}
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "mockhub-bin-"); buildErr != nil {
			return
		}
		goBin, err := exec.LookPath("go")
		if err != nil {
			goBin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
		}
		cmd := exec.Command(goBin, "build", "-trimpath", "-ldflags", "-X main.version=e2e", "-o", filepath.Join(buildDir, "mockhub"), ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(buildDir, "mockhub")
}

// process is a running mockhub.
type process struct {
	cmd    *exec.Cmd
	addr   string // host:port it listens on
	mu     sync.Mutex
	stderr bytes.Buffer
	done   chan struct{}
	err    error
}

var listening = regexp.MustCompile(`msg="mockhub listening" addr=http://(\S+)`)

// start runs the binary at bin in dir with args (plus --addr 127.0.0.1:0
// unless given) and waits until it listens.
func start(t *testing.T, bin, dir string, args ...string) *process {
	t.Helper()
	if !strings.Contains(strings.Join(args, " "), "--addr") {
		args = append(args, "--addr", "127.0.0.1:0")
	}
	p := &process{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Dir = dir
	p.cmd.Env = []string{"HOME=" + dir} // nothing else: no MOCKHUB_* leaks in
	pipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		// Log lines echo request paths, which may be long.
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.stderr.WriteString(line + "\n")
			p.mu.Unlock()
			if m := listening.FindStringSubmatch(line); m != nil {
				addrc <- m[1]
			}
		}
		// Keep draining, so that the process never blocks on a full pipe.
		io.Copy(io.Discard, pipe)
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	select {
	case p.addr = <-addrc:
	case <-p.done:
		t.Fatalf("mockhub exited before listening: %v\n%s", p.err, p.log())
	case <-time.After(20 * time.Second):
		t.Fatalf("mockhub did not start:\n%s", p.log())
	}
	return p
}

func (p *process) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// wait waits for the process to exit and returns its exit code.
func (p *process) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(within):
		t.Fatalf("mockhub still running after %v:\n%s", within, p.log())
	}
	return p.cmd.ProcessState.ExitCode()
}

func (p *process) do(t *testing.T, method, path, token, body string) (int, string) {
	t.Helper()
	status, out, err := p.try(method, path, token, body)
	if err != nil {
		t.Fatal(err)
	}
	return status, out
}

func (p *process) try(method, path, token, body string) (int, string, error) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://"+p.addr+path, r)
	if err != nil {
		return 0, "", err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data), err
}

const (
	seedPath = "/crm/associations/2026-03/definitions/configurations/contacts/companies"
	seedBody = `{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":279}]}`
)

func TestStaticBinaryServesFromEmptyDirectory(t *testing.T) {
	bin := binary(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP || prog.Type == elf.PT_DYNAMIC {
			t.Fatalf("binary has a %v program header: it is dynamically linked", prog.Type)
		}
	}
	if f.Section(".dynamic") != nil || f.Section(".interp") != nil {
		t.Fatal("binary has a .dynamic or .interp section")
	}
	f.Close()

	// Alone in an empty directory: no documents, fixtures or config beside it.
	dir := t.TempDir()
	lone := filepath.Join(dir, "mockhub")
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lone, data, 0o755); err != nil {
		t.Fatal(err)
	}
	p := start(t, lone, dir)
	if status, body := p.do(t, "POST", seedPath+"/batch/create", "my-test-token", seedBody); status != 201 || !strings.Contains(body, `"userEnforcedMaxToObjectIds":5`) {
		t.Fatalf("seed request = %d %s", status, body)
	}
	if status, body := p.do(t, "GET", seedPath, "my-test-token", ""); status != 200 || body != `{"results":[{"category":"HUBSPOT_DEFINED","typeId":279,"userEnforcedMaxToObjectIds":5}]}` {
		t.Fatalf("read back = %d %s", status, body)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("the binary wrote files beside itself: %v", entries)
	}
}

func TestSIGKILLLosesNoAcknowledgedWrite(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	p := start(t, bin, dir, "--data-dir", dataDir)

	tokens := []string{"pat-na1-kill-a", "pat-na1-kill-b"}
	type write struct {
		token, name string
	}
	var (
		mu    sync.Mutex
		acked []write
		limit = map[string]int{} // token -> last acknowledged limit
		// inFlight is the limit last sent without an answer yet: the kill
		// may land after it is on disk but before it is acknowledged.
		inFlight = map[string]int{}
	)
	// A second process may not share the directory. Were it let in, it would
	// serve on: the timeout ends it and the test fails.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	second := exec.CommandContext(ctx, bin, "--addr", "127.0.0.1:0", "--data-dir", dataDir)
	second.Env = []string{"HOME=" + dir}
	out, err := second.CombinedOutput()
	if code := second.ProcessState.ExitCode(); err == nil || code != 1 {
		t.Fatalf("a second mockhub started on a data dir in use (exit %d)\n%s", code, out)
	}
	if want := fmt.Sprintf("is held by process %d", p.cmd.Process.Pid); !strings.Contains(string(out), "in use by another mockhub") || !strings.Contains(string(out), want) {
		t.Fatalf("message does not say the directory is in use by %d:\n%s", p.cmd.Process.Pid, out)
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w, token := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _, err := p.try("POST", seedPath+"/batch/create", token, seedBody)
			if err != nil || status != 201 {
				t.Errorf("first limit: %d %v", status, err)
				return
			}
			mu.Lock()
			limit[token] = 5
			mu.Unlock()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("w%d_label%d", w, i)
				// Labels share a pairing's quota of 10: spread them over pairs.
				pairs := []string{"contacts/companies", "deals/contacts", "tickets/companies", "deals/companies", "contacts/tickets", "calls/contacts", "notes/deals"}
				pair := pairs[i%len(pairs)]
				status, _, err := p.try("POST", "/crm/associations/2026-03/"+pair+"/labels", token, `{"name":"`+name+`","label":"L `+name+`"}`)
				if err != nil {
					return // the kill
				}
				if status == 200 {
					mu.Lock()
					acked = append(acked, write{token, pair + " " + name})
					mu.Unlock()
				}
				max := 6 + i%40
				mu.Lock()
				inFlight[token] = max
				mu.Unlock()
				status, _, err = p.try("POST", seedPath+"/batch/update", token, fmt.Sprintf(`{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":%d,"typeId":279}]}`, max))
				if err != nil {
					return
				}
				if status == 200 {
					mu.Lock()
					limit[token] = max
					mu.Unlock()
				}
			}
		}()
	}
	// Let writes accumulate, then kill the process while they are in flight.
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 30 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.wait(t, 10*time.Second)
	close(stop)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(acked) == 0 {
		t.Fatal("no write was acknowledged before the kill")
	}

	p2 := start(t, bin, dir, "--data-dir", dataDir)
	for _, w := range acked {
		pair, name, _ := strings.Cut(w.name, " ")
		_, body := p2.do(t, "GET", "/crm/associations/2026-03/"+pair+"/labels", w.token, "")
		if !strings.Contains(body, `"L `+name+`"`) {
			t.Errorf("acknowledged label %s of %s is missing after SIGKILL and restart", name, pair)
		}
	}
	for token, max := range limit {
		_, body := p2.do(t, "GET", seedPath, token, "")
		acked := strings.Contains(body, fmt.Sprintf(`"userEnforcedMaxToObjectIds":%d}`, max))
		unacked := strings.Contains(body, fmt.Sprintf(`"userEnforcedMaxToObjectIds":%d}`, inFlight[token]))
		if !acked && !unacked {
			t.Errorf("token %s: limit %d (last acknowledged) missing after restart: %s", token, max, body)
		}
	}
	t.Logf("%d acknowledged labels survived SIGKILL", len(acked))
}

func TestCorruptDataFileStopsStartUp(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "portal-12345678.json")
	corrupt := []byte(`{"portalId":12345678,"labels":[{"name":"x","fromObj`)
	if err := os.WriteFile(file, corrupt, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--addr", "127.0.0.1:0", "--data-dir", dir)
	cmd.Env = []string{"HOME=" + dir}
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); err == nil || code == 0 {
		t.Fatalf("mockhub started with a corrupt data file (exit %d)\n%s", code, out)
	}
	if !strings.Contains(string(out), "data file "+file+" is corrupt") || !strings.Contains(string(out), "will not overwrite it") {
		t.Fatalf("message does not explain the corrupt file:\n%s", out)
	}
	if got, _ := os.ReadFile(file); !bytes.Equal(got, corrupt) {
		t.Fatal("the corrupt file was overwritten")
	}
}

func TestHealthcheckExitCodes(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	p := start(t, bin, dir)

	healthcheck := func(env []string, args ...string) (int, string) {
		cmd := exec.Command(bin, append([]string{"healthcheck"}, args...)...)
		cmd.Env = append([]string{"HOME=" + dir}, env...)
		out, _ := cmd.CombinedOutput()
		return cmd.ProcessState.ExitCode(), string(out)
	}
	if code, out := healthcheck(nil, "--addr", p.addr); code != 0 || !strings.HasPrefix(out, "ok e2e") {
		t.Fatalf("against a running server: exit %d, %q", code, out)
	}
	_, port, _ := net.SplitHostPort(p.addr)
	if code, out := healthcheck([]string{"MOCKHUB_ADDR=0.0.0.0:" + port}); code != 0 {
		t.Fatalf("with MOCKHUB_ADDR=0.0.0.0:%s (as in the image): exit %d, %q", port, code, out)
	}

	// A port nobody listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	if code, out := healthcheck(nil, "--addr", closed); code == 0 {
		t.Fatalf("against a closed port: exit 0, %q", out)
	}

	// Something that answers, but not healthy.
	for _, answer := range []struct {
		status int
		body   string
	}{{503, `{"status":"starting"}`}, {200, `{"status":"degraded"}`}, {200, `not json`}} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(answer.status)
			io.WriteString(w, answer.body)
		})}
		go srv.Serve(ln)
		code, out := healthcheck(nil, "--addr", ln.Addr().String())
		srv.Close()
		if code == 0 {
			t.Fatalf("against %d %s: exit 0, %q", answer.status, answer.body, out)
		}
	}

	// A server that never answers: the timeout bounds the wait.
	hang, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hang.Close()
	begin := time.Now()
	if code, _ := healthcheck(nil, "--addr", hang.Addr().String(), "--timeout", "300ms"); code == 0 {
		t.Fatal("against a silent server: exit 0")
	}
	if d := time.Since(begin); d > 5*time.Second {
		t.Fatalf("healthcheck took %v despite --timeout 300ms", d)
	}
}

func TestGracefulShutdown(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	p := start(t, bin, dir, "--data-dir", dataDir)

	// An in-flight request: headers and half the body now, the rest after
	// SIGTERM.
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	token := "pat-na1-graceful"
	half := len(seedBody) / 2
	fmt.Fprintf(conn, "POST %s/batch/create HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		seedPath, p.addr, token, len(seedBody), seedBody[:half])
	time.Sleep(200 * time.Millisecond) // the server is now in the handler, reading the body

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// New connections are refused once shutdown has begun.
	refused := false
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", p.addr, time.Second)
		if err != nil {
			refused = true
			break
		}
		c.Close()
	}
	if !refused {
		t.Fatal("new connections are still accepted after SIGTERM")
	}
	select {
	case <-p.done:
		t.Fatalf("mockhub exited with a request in flight:\n%s", p.log())
	default:
	}

	if _, err := io.WriteString(conn, seedBody[half:]); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request got no answer: %v\n%s", err, p.log())
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 201 {
		t.Fatalf("in-flight request = %d %s", resp.StatusCode, body)
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGTERM, want 0\n%s", code, p.log())
	}
	if !strings.Contains(p.log(), `msg=stopped`) {
		t.Fatalf("no clean stop in the log:\n%s", p.log())
	}

	// The acknowledged write is on disk.
	p2 := start(t, bin, dir, "--data-dir", dataDir)
	var out struct {
		Results []json.RawMessage `json:"results"`
	}
	_, got := p2.do(t, "GET", seedPath, token, "")
	if json.Unmarshal([]byte(got), &out); len(out.Results) != 1 {
		t.Fatalf("after restart: %s", got)
	}
}

// TestGracefulShutdownCompletesDelayedRequest: a request held by a latency
// fault when SIGTERM arrives still gets its answer, and the process exits 0.
func TestGracefulShutdownCompletesDelayedRequest(t *testing.T) {
	p := start(t, binary(t), t.TempDir())
	type result struct {
		status int
		body   string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest("POST", "http://"+p.addr+seedPath+"/batch/create", strings.NewReader(seedBody))
		req.Header.Set("Authorization", "Bearer pat-na1-delayed")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Mockhub-Fault", "latency;ms=30000")
		resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		done <- result{status: resp.StatusCode, body: string(b)}
	}()
	time.Sleep(300 * time.Millisecond) // the request is now held by the fault
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case res := <-done:
		if res.err != nil || res.status != 201 {
			t.Fatalf("delayed request: %v %d %s\n%s", res.err, res.status, res.body, p.log())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("delayed request got no answer:\n%s", p.log())
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGTERM, want 0\n%s", code, p.log())
	}
}
