// Command soak runs the mockhub binary for a bounded time under a hostile
// mix of clients and reports whether it kept its promises:
//
//	go run ./bench/soak -duration 3m
//
// It starts mockhub on a free loopback port with --data-dir in a temporary
// directory and, concurrently: writers that switch to a new token every few
// writes (thousands of portals) and send limits batch/create and
// batch/update and label creates, some with X-Mockhub-Fault headers and
// some meeting fault rules added through the admin API; clients whose
// requests hang and who give up on them; slow, stalled and idle
// connections; large header values and oversized bodies; and SIGKILL and
// restart of the server on the same data dir and port every 20–30 s.
//
// After every restart and at the end it reads every token's limits and
// labels back: every write answered 2xx must be visible (acknowledged
// writes lost), and no token may see another token's labels or limits
// (cross-portal leaks). It samples the server's RSS and open descriptors
// and times a health check every 100 ms. It exits 1 when a write was lost
// or a leak was seen. Everything it does is bounded in count and time and
// talks to 127.0.0.1 only.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

type config struct {
	bin          string
	duration     time.Duration
	killEvery    time.Duration
	sampleEvery  time.Duration
	healthEvery  time.Duration
	verifyLimit  time.Duration
	hangers      int
	slow         int
	stall        time.Duration
	bigEvery     time.Duration
	keep         bool
	jsonOut      bool
	load         loadConfig
	startTimeout time.Duration
}

func main() {
	var cfg config
	flag.StringVar(&cfg.bin, "bin", "", "mockhub binary to run; empty: go build ./cmd/mockhub into a temporary dir (run from the module root)")
	flag.DurationVar(&cfg.duration, "duration", 3*time.Minute, "how long to drive the server (then a final check)")
	flag.DurationVar(&cfg.killEvery, "kill-every", 25*time.Second, "mean time between SIGKILLs (uniform in ±20%); 0: never kill")
	flag.DurationVar(&cfg.sampleEvery, "sample-every", 2*time.Second, "how often to read the server's RSS and descriptors")
	flag.DurationVar(&cfg.healthEvery, "health-every", 100*time.Millisecond, "how often to GET /_mockhub/health")
	flag.DurationVar(&cfg.verifyLimit, "verify-timeout", 60*time.Second, "bound on one pass over every token")
	flag.DurationVar(&cfg.startTimeout, "start-timeout", 30*time.Second, "how long a start may take to become healthy")
	flag.IntVar(&cfg.load.writers, "writers", 8, "concurrent writers")
	flag.Float64Var(&cfg.load.rate, "rate", 600, "writes per second, all writers together; 0: as fast as answered")
	flag.IntVar(&cfg.load.maxTokens, "tokens", 5000, "tokens (portals) to create; then writers go round the ones they made")
	flag.IntVar(&cfg.load.perToken, "per-token", 20, "requests on one token before switching to a new one")
	flag.Float64Var(&cfg.load.faultRate, "fault-rate", 0.1, "share of writes sent with an X-Mockhub-Fault header (status 429/503, latency, malformed, partial)")
	flag.Float64Var(&cfg.load.deferredRate, "deferred", 0.05, "share of tokens that send one acknowledged PENDING batch (owed once due); 0: none")
	flag.DurationVar(&cfg.load.writeTimeout, "request-timeout", 15*time.Second, "client timeout of writes and checks")
	flag.IntVar(&cfg.load.verifyWorkers, "verifiers", 8, "concurrent readers in a check of every token")
	flag.IntVar(&cfg.load.seed, "seed", 1, "seed of the client's choices and of token names")
	flag.IntVar(&cfg.hangers, "hang", 8, "clients sending held (hang) requests and giving up on them after 0.2–1 s")
	flag.IntVar(&cfg.slow, "slow", 32, "slow, stalled and idle connections held at once")
	flag.DurationVar(&cfg.stall, "stall", 20*time.Second, "longest a slow connection is held")
	flag.DurationVar(&cfg.bigEvery, "big-every", 250*time.Millisecond, "pause between requests with a 64 KiB–2 MiB header value or body; 0: none")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the temporary dir (binary, data dir, server log)")
	flag.BoolVar(&cfg.jsonOut, "json", false, "print the report as JSON")
	flag.Parse()
	if flag.NArg() > 0 || cfg.duration <= 0 || cfg.load.writers < 1 || cfg.load.perToken < 1 || cfg.load.maxTokens < 1 ||
		cfg.sampleEvery <= 0 || cfg.healthEvery <= 0 || cfg.stall < 2*time.Second || cfg.killEvery < 0 {
		flag.Usage()
		os.Exit(2)
	}
	rep, err := run(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(3)
	}
	if cfg.jsonOut {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
	} else {
		rep.print(os.Stdout)
	}
	if !rep.Pass {
		os.Exit(1)
	}
}

// run sets up, drives the server for cfg.duration, checks and stops it.
func run(cfg config) (*report, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	tmp, err := os.MkdirTemp("", "mockhub-soak-")
	if err != nil {
		return nil, err
	}
	if cfg.keep {
		fmt.Fprintln(os.Stderr, "soak: keeping", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	bin := cfg.bin
	if bin == "" {
		fmt.Fprintln(os.Stderr, "soak: building ./cmd/mockhub")
		if bin, err = build(ctx, tmp); err != nil {
			return nil, err
		}
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	dataDir := filepath.Join(tmp, "data")
	if err := os.Mkdir(dataDir, 0o755); err != nil {
		return nil, err
	}
	srv := newServer(bin, addr, dataDir, filepath.Join(tmp, "server.log"), cfg.startTimeout)
	c := newCounters()
	begin := time.Now()
	rep := &report{Binary: bin, Addr: addr, Config: cfg.public()}
	startTook, err := srv.start(ctx)
	if err != nil {
		srv.kill()
		return nil, withLog(err, srv.logPath)
	}
	rep.Starts = append(rep.Starts, startTook.Seconds())
	addRules(addr, c)
	srv.open()

	var samples []sample
	var samplesMu sync.Mutex
	health := &healthStats{}
	ld := newLoad(cfg.load, srv, c)

	// Observers run until the very end; the load stops at the deadline.
	obsCtx, stopObs := context.WithCancel(context.Background())
	loadCtx, stopLoad := context.WithTimeout(ctx, cfg.duration)
	defer stopLoad()
	var obs, wg sync.WaitGroup
	obs.Go(func() { sampler(obsCtx, srv, begin, cfg.sampleEvery, &samples, &samplesMu, c) })
	obs.Go(func() { healthChecker(obsCtx, srv, cfg.healthEvery, 2*time.Second, health) })
	takeSample(srv, begin, &samples, &samplesMu, c)
	for id := range cfg.load.writers {
		wg.Go(func() { ld.writer(loadCtx, id) })
	}
	for id := range cfg.hangers {
		wg.Go(func() { hanger(loadCtx, srv, id, cfg.load.seed, c) })
	}
	for id := range cfg.slow {
		wg.Go(func() { slowClient(loadCtx, srv, id, cfg.load.seed, cfg.stall, c) })
	}
	if cfg.bigEvery > 0 {
		wg.Go(func() { bigSender(loadCtx, srv, cfg.bigEvery, cfg.load.seed, c) })
	}

	// The supervisor: kill and restart on schedule, restart after an
	// unplanned exit, check every token after each restart.
	rng := rand.New(rand.NewPCG(uint64(cfg.load.seed), 4000))
	var fatal error
supervise:
	for {
		var killAt <-chan time.Time
		if cfg.killEvery > 0 {
			d := cfg.killEvery*4/5 + time.Duration(rng.Int64N(int64(cfg.killEvery*2/5)+1))
			killAt = time.After(d)
		}
		planned := true
		select {
		case <-loadCtx.Done():
			break supervise
		case <-srv.exitedChan():
			c.inc("unplanned exits")
			rep.LogTail = tail(srv.logPath, 20)
			srv.markDown()
			planned = false
		case <-killAt:
			srv.kill()
			c.inc("kills")
		}
		took, err := srv.start(ctx)
		if err != nil {
			fatal = withLog(err, srv.logPath)
			break
		}
		rep.Starts = append(rep.Starts, took.Seconds())
		addRules(addr, c)
		srv.open()
		when := fmt.Sprintf("after restart %d", len(rep.Starts)-1)
		if !planned {
			when += " (unplanned)"
		}
		v := ld.verifyAll(loadCtx, when, cfg.verifyLimit)
		if loadCtx.Err() == nil {
			rep.Verifications = append(rep.Verifications, v)
		}
	}
	stopLoad()
	wg.Wait()
	if fatal != nil {
		stopObs()
		obs.Wait()
		srv.kill()
		return nil, fatal
	}

	// Deferred writes acknowledged just before the end fall due; then the
	// final check runs with nothing else going on.
	if sleepCtx(ctx, deferredMs*time.Millisecond+deferGrace) {
		rep.Verifications = append(rep.Verifications, ld.verifyAll(ctx, "final", 2*cfg.verifyLimit))
	}
	takeSample(srv, begin, &samples, &samplesMu, c)
	stopObs()
	obs.Wait()
	if err := srv.stop(15 * time.Second); err != nil {
		c.inc("shutdown: " + err.Error())
	}
	rep.Seconds = time.Since(begin).Seconds()
	rep.fill(ld, c, samples, health)
	return rep, nil
}

// withLog adds the end of the server's log to err, since the temporary dir
// holding it is removed.
func withLog(err error, path string) error {
	lines := tail(path, 20)
	if len(lines) == 0 {
		return err
	}
	return fmt.Errorf("%w\nserver log:\n  %s", err, strings.Join(lines, "\n  "))
}

// tail returns the last n lines of the file at path.
func tail(path string, n int) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	return lines[max(0, len(lines)-n):]
}

// report is the run's findings; -json prints it as is.
type report struct {
	Binary        string           `json:"binary"`
	Addr          string           `json:"addr"`
	Config        map[string]any   `json:"config"`
	Seconds       float64          `json:"seconds"`
	Pass          bool             `json:"pass"`
	Lost          int              `json:"acknowledgedWritesLost"`
	LostDeferred  int64            `json:"deferredWritesLost"`
	LostTokens    int              `json:"tokensWithLostWrites"`
	LostExamples  []string         `json:"lostExamples,omitempty"`
	Leaks         int              `json:"crossPortalLeaks"`
	LeakTokens    int              `json:"tokensSeeingOthers"`
	LeakExamples  []string         `json:"leakExamples,omitempty"`
	Tokens        int              `json:"tokens"`
	Starts        []float64        `json:"startSeconds"` // start to healthy, first start included
	Verifications []verification   `json:"verifications"`
	RSSKB         epochs           `json:"rssKB"`
	FDs           epochs           `json:"fds"`
	Health        healthReport     `json:"health"`
	Counts        map[string]int64 `json:"counts"`
	Samples       []sample         `json:"samples"`
	LogTail       []string         `json:"serverLogTail,omitempty"`
}

type epochs struct {
	Overall  spread         `json:"overall"`
	PerEpoch map[int]spread `json:"perEpoch"`
}

type healthReport struct {
	Checks   int      `json:"checks"`
	P50ms    float64  `json:"p50ms"`
	P99ms    float64  `json:"p99ms"`
	Maxms    float64  `json:"maxms"`
	Failures int      `json:"failures"`
	Examples []string `json:"failureExamples,omitempty"`
}

func (c config) public() map[string]any {
	return map[string]any{
		"duration": c.duration.String(), "killEvery": c.killEvery.String(), "writers": c.load.writers,
		"rate": c.load.rate, "tokens": c.load.maxTokens, "perToken": c.load.perToken,
		"faultRate": c.load.faultRate, "deferred": c.load.deferredRate, "hang": c.hangers,
		"slow": c.slow, "stall": c.stall.String(), "bigEvery": c.bigEvery.String(), "seed": c.load.seed,
	}
}

func (r *report) fill(ld *load, c *counters, samples []sample, h *healthStats) {
	r.Lost, r.LostTokens, r.LostExamples = ld.lost.count()
	r.Leaks, r.LeakTokens, r.LeakExamples = ld.leaks.count()
	r.Counts = c.snapshot()
	r.LostDeferred = r.Counts["deferred writes lost"]
	r.Tokens = len(ld.toks.all())
	r.Samples = samples
	r.RSSKB = epochsOf(samples, func(s sample) int64 { return s.RSSKB })
	r.FDs = epochsOf(samples, func(s sample) int64 { return s.FDs })
	h.mu.Lock()
	lat := slices.Clone(h.latencies)
	r.Health = healthReport{Checks: len(lat) + h.failures, Failures: h.failures, Examples: slices.Clone(h.examples)}
	h.mu.Unlock()
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	r.Health.P50ms, r.Health.P99ms = ms(quantile(lat, 0.5)), ms(quantile(lat, 0.99))
	if len(lat) > 0 {
		r.Health.Maxms = ms(lat[len(lat)-1])
	}
	r.Pass = r.Lost == 0 && r.Leaks == 0
}

func epochsOf(samples []sample, f func(sample) int64) epochs {
	var all []int64
	by := map[int][]int64{}
	for _, s := range samples {
		all = append(all, f(s))
		by[s.Epoch] = append(by[s.Epoch], f(s))
	}
	e := epochs{Overall: spreadOf(all), PerEpoch: map[int]spread{}}
	for k, v := range by {
		e.PerEpoch[k] = spreadOf(v)
	}
	return e
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "mockhub soak: %.0f s against %s on %s\n", r.Seconds, r.Binary, r.Addr)
	fmt.Fprintf(w, "settings: %v\n\n", r.Config)
	verdict := "PASS"
	if !r.Pass {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "%s\n", verdict)
	fmt.Fprintf(w, "acknowledged writes lost: %d (%d tokens; %d of them deferred PENDING batches)\n", r.Lost, r.LostTokens, r.LostDeferred)
	for _, e := range r.LostExamples {
		fmt.Fprintf(w, "  %s\n", e)
	}
	fmt.Fprintf(w, "cross-portal leaks:       %d (%d tokens seeing another token's state)\n", r.Leaks, r.LeakTokens)
	for _, e := range r.LeakExamples {
		fmt.Fprintf(w, "  %s\n", e)
	}
	fmt.Fprintf(w, "tokens: %d; starts to healthy (s): %s\n", r.Tokens, floats(r.Starts))

	fmt.Fprintf(w, "\nchecks of every token:\n")
	for _, v := range r.Verifications {
		fmt.Fprintf(w, "  %-18s epoch %2d: %d tokens, %d checked, %d acknowledged writes owed, lost %d, leaks %d (%.1f s)\n",
			v.When, v.Epoch, v.Tokens, v.Checked, v.Owed, v.Lost, v.Leaks, v.Seconds)
	}

	fmt.Fprintf(w, "\nRSS (MiB) and open descriptors per server epoch (min / median / max, first → last):\n")
	keys := make([]int, 0, len(r.RSSKB.PerEpoch))
	for k := range r.RSSKB.PerEpoch {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	mib := func(kb int64) string { return fmt.Sprintf("%.1f", float64(kb)/1024) }
	row := func(name string, rs, fd spread) {
		fmt.Fprintf(w, "  %-8s RSS %s / %s / %s (%s → %s)   fds %d / %d / %d (%d → %d)   %d samples\n", name,
			mib(rs.Min), mib(rs.Median), mib(rs.Max), mib(rs.First), mib(rs.Last),
			fd.Min, fd.Median, fd.Max, fd.First, fd.Last, rs.N)
	}
	for _, k := range keys {
		row(fmt.Sprintf("epoch %d", k), r.RSSKB.PerEpoch[k], r.FDs.PerEpoch[k])
	}
	row("overall", r.RSSKB.Overall, r.FDs.Overall)

	h := r.Health
	fmt.Fprintf(w, "\nhealth check: %d checks while up, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d failures\n", h.Checks, h.P50ms, h.P99ms, h.Maxms, h.Failures)
	for _, e := range h.Examples {
		fmt.Fprintf(w, "  %s\n", e)
	}

	fmt.Fprintf(w, "\ncounts:\n")
	for _, k := range sortedKeys(r.Counts) {
		fmt.Fprintf(w, "  %-60s %d\n", k, r.Counts[k])
	}
	if len(r.LogTail) > 0 {
		fmt.Fprintf(w, "\nserver log before an unplanned exit:\n  %s\n", strings.Join(r.LogTail, "\n  "))
	}
}

func floats(v []float64) string {
	parts := make([]string, len(v))
	for i, f := range v {
		parts[i] = fmt.Sprintf("%.2f", f)
	}
	return strings.Join(parts, " ")
}
