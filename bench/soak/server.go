package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// build compiles ./cmd/mockhub into dir and returns the binary's path.
func build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "mockhub")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/mockhub")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/mockhub (run from the module root, or give -bin): %w", err)
	}
	return bin, nil
}

// freeAddr returns a loopback address nothing listens on right now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// server runs the mockhub binary, always on the same address and data dir,
// and restarts it after a kill. The load generators wait on its gate while
// it is down, so that planned downtime is not counted as failures.
type server struct {
	bin, addr, dataDir, logPath string
	startTimeout                time.Duration

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has exited
	epoch  int           // incremented at every start
	up     chan struct{} // closed while the server is up
	isUp   bool
}

func newServer(bin, addr, dataDir, logPath string, startTimeout time.Duration) *server {
	return &server{bin: bin, addr: addr, dataDir: dataDir, logPath: logPath, startTimeout: startTimeout, up: make(chan struct{})}
}

// state reports the current epoch and whether the server is up.
func (s *server) state() (epoch int, up bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.epoch, s.isUp
}

// killedSince reports whether the server has been killed (or is down)
// since epoch: what failed meanwhile failed for that reason.
func (s *server) killedSince(epoch int) bool {
	e, up := s.state()
	return e != epoch || !up
}

// pid returns the running process's id, or 0.
func (s *server) pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil || s.cmd.Process == nil || !s.isUp {
		return 0
	}
	return s.cmd.Process.Pid
}

// waitUp blocks until the server is up or ctx ends; it reports whether the
// server is up.
func (s *server) waitUp(ctx context.Context) bool {
	s.mu.Lock()
	ch := s.up
	s.mu.Unlock()
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		return false
	}
}

// markDown closes the gate: from now on waitUp blocks.
func (s *server) markDown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.isUp {
		s.isUp = false
		s.up = make(chan struct{})
	}
}

// start execs the binary and waits until /_mockhub/health answers 200, and
// returns how long that took. The gate stays closed until open.
func (s *server) start(ctx context.Context) (time.Duration, error) {
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, err
	}
	cmd := exec.Command(s.bin, "--addr", s.addr, "--data-dir", s.dataDir, "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = logf, logf
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		logf.Close()
		return 0, err
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		logf.Close()
		close(exited)
	}()
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.epoch++
	s.mu.Unlock()

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Second}
	deadline := begin.Add(s.startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return 0, fmt.Errorf("mockhub exited during start-up (%v)", cmd.ProcessState)
		case <-ctx.Done():
			return 0, ctx.Err()
		default:
		}
		if resp, err := client.Get("http://" + s.addr + "/_mockhub/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(begin), nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return 0, fmt.Errorf("mockhub not healthy within %v", s.startTimeout)
}

// open opens the gate: the load may go on.
func (s *server) open() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.isUp {
		s.isUp = true
		close(s.up)
	}
}

// kill closes the gate, sends SIGKILL and waits for the process to be gone.
func (s *server) kill() {
	s.markDown()
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
}

// exitedChan is closed when the current process exits, planned or not.
func (s *server) exitedChan() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exited
}

// stop asks the server to shut down gracefully (SIGTERM), and kills it if it
// has not exited within timeout.
func (s *server) stop(timeout time.Duration) error {
	s.markDown()
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
		if !cmd.ProcessState.Success() {
			return fmt.Errorf("mockhub exited with %v after SIGTERM", cmd.ProcessState)
		}
		return nil
	case <-time.After(timeout):
		cmd.Process.Signal(syscall.SIGKILL)
		<-exited
		return fmt.Errorf("mockhub did not stop within %v of SIGTERM", timeout)
	}
}

// sample is one reading of the server process.
type sample struct {
	At    float64 `json:"atSeconds"` // since the start of the run
	Epoch int     `json:"epoch"`
	RSSKB int64   `json:"rssKB"`
	FDs   int64   `json:"fds"`
}

// readProc reads VmRSS (kB) and the number of open descriptors of pid.
func readProc(pid int) (rssKB, fds int64, err error) {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				rssKB, _ = strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	entries, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	if err != nil {
		return 0, 0, err
	}
	if rssKB == 0 {
		return 0, 0, errors.New("no VmRSS")
	}
	return rssKB, int64(len(entries)), nil
}

// sampler reads RSS and descriptors every interval until ctx ends.
func sampler(ctx context.Context, s *server, start time.Time, every time.Duration, out *[]sample, mu *sync.Mutex, c *counters) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		takeSample(s, start, out, mu, c)
	}
}

func takeSample(s *server, start time.Time, out *[]sample, mu *sync.Mutex, c *counters) {
	epoch, _ := s.state()
	pid := s.pid()
	if pid == 0 {
		return
	}
	rss, fds, err := readProc(pid)
	if err != nil {
		// The process may have been killed between pid() and the read.
		c.inc("sample errors")
		return
	}
	mu.Lock()
	*out = append(*out, sample{At: time.Since(start).Seconds(), Epoch: epoch, RSSKB: rss, FDs: fds})
	mu.Unlock()
}

// healthStats are the health checker's findings. Checks made while the
// server was down on purpose (between a kill and its restart) are skipped.
type healthStats struct {
	mu        sync.Mutex
	latencies []time.Duration
	failures  int
	examples  []string
}

// healthChecker asks GET /_mockhub/health every interval from its own
// client and connection, as an orchestrator's probe would.
func healthChecker(ctx context.Context, s *server, every, timeout time.Duration, h *healthStats) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}, Timeout: timeout}
	url := "http://" + s.addr + "/_mockhub/health"
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		epoch, up := s.state()
		if !up {
			continue
		}
		begin := time.Now()
		resp, err := client.Get(url)
		took := time.Since(begin)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("status %d", resp.StatusCode)
			}
		}
		// A kill during the check is planned downtime, not a failure.
		if e, up := s.state(); e != epoch || !up {
			continue
		}
		h.mu.Lock()
		if err != nil {
			h.failures++
			if len(h.examples) < 5 {
				h.examples = append(h.examples, fmt.Sprintf("%s after %v: %v", time.Now().UTC().Format("15:04:05.000"), took.Round(time.Millisecond), err))
			}
		} else {
			h.latencies = append(h.latencies, took)
		}
		h.mu.Unlock()
	}
}
