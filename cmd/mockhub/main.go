// Command mockhub runs the mock HubSpot API server. It only parses flags
// (each with a MOCKHUB_* environment equivalent), wires a server.Server and
// serves it until SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/persist"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/server"
	"github.com/mockhub/mockhub/internal/store"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// gcPercent is the GOGC mockhub runs with unless GOGC is set. Its live heap
// is small (mostly the documents), so the default of 100 collects very often
// under load; 200 raised measured throughput by about 15% for about 4 MB
// more resident memory.
const gcPercent = 200

func main() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mockhub:", err)
		var usage *usageError
		if errors.As(err, &usage) {
			fmt.Fprintf(os.Stderr, "Run '%s --help' to list the flags.\n", usage.command)
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// options are the parsed flags.
type options struct {
	addr            string
	logLevel        slog.Level
	seed            uint64
	showVersion     bool
	journalSize     int
	dataDir         string
	fixtures        string
	shutdownTimeout time.Duration
	readTimeout     time.Duration
	writeTimeout    time.Duration
	idleTimeout     time.Duration
	maxConns        int
	faults          string
	rateLimit       *ratelimit.Tier
	tokens          string
	searchLag       time.Duration
	maxAssociations int
	clockStart      time.Time // zero: the wall clock's time
	clockFrozen     bool

	// source names where each flag's value came from, for messages about
	// the file it names: "--faults" or "MOCKHUB_FAULTS".
	source func(name string) string
}

const defaultAddr = "127.0.0.1:4010"

// usageError is a command line mockhub cannot run: a bad flag, variable or
// argument. It exits with status 2, as usage errors do.
type usageError struct {
	command string
	msg     string
}

func (e *usageError) Error() string { return e.msg }

// flagSet is a FlagSet whose flags each have a MOCKHUB_* variable, and whose
// usage lists the variable and the built-in default of every flag. Its
// errors say in plain words which flag or variable is wrong and what it
// accepts.
type flagSet struct {
	fs       *flag.FlagSet
	name     string
	synopsis string
	stderr   io.Writer
	docs     map[string][2]string // flag -> env variable, default
	envErrs  map[string]error     // flag -> its variable's bad value
	setErr   error                // the last value a flag's parser refused
}

func newFlagSet(name, synopsis string, stderr io.Writer) *flagSet {
	f := &flagSet{fs: flag.NewFlagSet(name, flag.ContinueOnError), name: name, synopsis: synopsis, stderr: stderr, docs: map[string][2]string{}, envErrs: map[string]error{}}
	// Parse errors are reported by parse, in our words; usage is printed
	// only for --help.
	f.fs.SetOutput(io.Discard)
	f.fs.Usage = func() {}
	return f
}

func (f *flagSet) usage() {
	fmt.Fprintf(f.stderr, "%s\n\nFlags (each may also be set with its environment variable):\n", f.synopsis)
	f.fs.VisitAll(func(fl *flag.Flag) {
		doc, ok := f.docs[fl.Name]
		if !ok {
			fmt.Fprintf(f.stderr, "  --%s\n    \t%s\n", fl.Name, fl.Usage)
			return
		}
		fmt.Fprintf(f.stderr, "  --%s (env %s, default %q)\n    \t%s\n", fl.Name, doc[0], doc[1], fl.Usage)
	})
}

// value registers a flag whose default comes from MOCKHUB_<env> when set,
// or def. set parses a value; its error says what is accepted, and is
// reported with the flag's or the variable's name, whichever gave it.
func (f *flagSet) value(name, env, def, usage string, set func(string) error) {
	f.fs.Func(name, usage, f.env(name, env, def, set))
}

// boolVar registers a flag that is true when given alone (--name) and
// takes true or false as --name=VALUE or in its variable (empty: false).
func (f *flagSet) boolVar(p *bool, name, env, usage string) {
	f.fs.BoolFunc(name, usage, f.env(name, env, "false", func(v string) error {
		v = strings.TrimSpace(v)
		b, err := strconv.ParseBool(v)
		if err != nil && v != "" {
			return fmt.Errorf("must be true or false, got %q", v)
		}
		*p = b
		return nil
	}))
}

// env documents a flag's variable and default, applies the default and
// then the variable's value, if set, and returns the flag's parser, which
// reports a refused value with the flag's name.
func (f *flagSet) env(name, env, def string, set func(string) error) func(string) error {
	f.docs[name] = [2]string{"MOCKHUB_" + env, def}
	// Defaults are constants that parse (TestFlagDefaults).
	_ = set(def)
	if v, ok := os.LookupEnv("MOCKHUB_" + env); ok {
		if err := set(v); err != nil {
			f.envErrs[name] = fmt.Errorf("environment variable MOCKHUB_%s (for --%s) %w", env, name, err)
		}
	}
	return func(v string) error {
		err := set(v)
		if err != nil {
			f.setErr = fmt.Errorf("--%s %w", name, err)
		}
		return err
	}
}

func (f *flagSet) stringVar(p *string, name, env, def, usage string) {
	f.value(name, env, def, usage, func(v string) error { *p = v; return nil })
}

// intVar registers a whole-number flag of at least 0.
func (f *flagSet) intVar(p *int, name, env, def, what, usage string) {
	f.value(name, env, def, usage, func(v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return fmt.Errorf("must be a whole number, 0 or more (%s), got %q", what, v)
		}
		*p = n
		return nil
	})
}

func (f *flagSet) uint64Var(p *uint64, name, env, def, what, usage string) {
	f.value(name, env, def, usage, func(v string) error {
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return fmt.Errorf("must be a whole number, 0 or more (%s), got %q", what, v)
		}
		*p = n
		return nil
	})
}

// durationVar registers a duration flag of at least 0.
func (f *flagSet) durationVar(p *time.Duration, name, env, def, what, usage string) {
	f.value(name, env, def, usage, func(v string) error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d < 0 {
			return fmt.Errorf("must be a duration such as 500ms, 10s or 2m, 0 or more (%s), got %q", what, v)
		}
		*p = d
		return nil
	})
}

// parse parses args and reports, in plain words, the first problem:
// a bad flag value, a bad MOCKHUB_* value the command line did not
// override, an unknown flag or a stray argument.
func (f *flagSet) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			f.usage()
			return err
		}
		return &usageError{command: f.name, msg: f.plain(err)}
	}
	var bad []string
	for name := range f.envErrs {
		bad = append(bad, name)
	}
	sort.Strings(bad)
	for _, name := range bad {
		if !f.given(name) {
			return &usageError{command: f.name, msg: f.envErrs[name].Error()}
		}
	}
	if rest := f.fs.Args(); len(rest) > 0 {
		return &usageError{command: f.name, msg: f.stray(rest[0])}
	}
	return nil
}

// plain rewords an error of the flag package.
func (f *flagSet) plain(err error) string {
	msg := err.Error()
	if f.setErr != nil {
		return f.setErr.Error()
	}
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return fmt.Sprintf("unknown flag --%s", strings.TrimLeft(name, "-"))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Sprintf("flag --%s needs a value", strings.TrimLeft(name, "-"))
	}
	if strings.HasPrefix(msg, "bad flag syntax: ") {
		return fmt.Sprintf("%q is not a flag; flags look like --name value or --name=value", strings.TrimPrefix(msg, "bad flag syntax: "))
	}
	return msg
}

// stray explains an argument that is not a flag.
func (f *flagSet) stray(arg string) string {
	if f.name == "mockhub" {
		return fmt.Sprintf("unknown command or stray argument %q: mockhub takes flags and one command, healthcheck", arg)
	}
	return fmt.Sprintf("stray argument %q: %s takes only flags", arg, f.name)
}

// given reports whether the command line set the flag.
func (f *flagSet) given(name string) bool {
	set := false
	f.fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}

// source names where a flag's value came from: the flag, or its variable
// when the command line did not give it.
func (f *flagSet) source(name string) string {
	if doc, ok := f.docs[name]; ok && !f.given(name) {
		if _, fromEnv := os.LookupEnv(doc[0]); fromEnv {
			return doc[0]
		}
	}
	return "--" + name
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := newFlagSet("mockhub", "Usage: mockhub [flags]\n       mockhub healthcheck [--addr ADDR] [--timeout D]", stderr)
	o.source = fs.source
	fs.stringVar(&o.addr, "addr", "ADDR", defaultAddr, "listen address")
	fs.value("log-level", "LOG_LEVEL", "info", "log level: debug, info, warn, error", func(v string) error {
		var level slog.Level
		if err := level.UnmarshalText([]byte(strings.TrimSpace(v))); err != nil {
			return fmt.Errorf("must be debug, info, warn or error, got %q", v)
		}
		o.logLevel = level
		return nil
	})
	fs.uint64Var(&o.seed, "seed", "SEED", "0", "0 picks one", "seed of the random source for correlation ids and faults; 0 picks one")
	fs.intVar(&o.journalSize, "journal-size", "JOURNAL_SIZE", "1000", "0 disables the journal", "how many API requests the request journal keeps; 0 disables it")
	fs.stringVar(&o.dataDir, "data-dir", "DATA_DIR", "", "directory that keeps portal state across restarts; empty keeps state in memory")
	fs.stringVar(&o.fixtures, "fixtures", "FIXTURES", "", "JSON file of portal states to seed at start-up and on reset")
	fs.durationVar(&o.shutdownTimeout, "shutdown-timeout", "SHUTDOWN_TIMEOUT", "10s", "0 stops at once", "how long in-flight requests may take to finish after SIGTERM")
	fs.durationVar(&o.readTimeout, "read-timeout", "READ_TIMEOUT", "60s", "0 means none", "how long a client may take to send a request, headers and body; 0 means no limit")
	fs.durationVar(&o.writeTimeout, "write-timeout", "WRITE_TIMEOUT", "2m", "0 means none", "how long after its headers a request may take to be answered, including a slow client reading the answer; 0 means no limit. Requests held by a hang or latency fault are exempt")
	fs.durationVar(&o.idleTimeout, "idle-timeout", "IDLE_TIMEOUT", "2m", "0 means the read timeout", "how long an idle keep-alive connection stays open; 0 means the read timeout")
	fs.intVar(&o.maxConns, "max-conns", "MAX_CONNS", "4096", "0 means no cap", "how many connections may be open at once; beyond, a connection gets a 503 and is closed; 0 means no cap")
	fs.stringVar(&o.faults, "faults", "FAULTS", "", "fault rules file, JSON or YAML")
	fs.value("rate-limit", "RATE_LIMIT", "", "enforce rate limits of a tier: free, starter, professional, enterprise or N/10s,D/day; empty only reports headers", func(v string) error {
		if v == "" {
			o.rateLimit = nil
			return nil
		}
		tier, err := ratelimit.ParseTier(v)
		if err != nil {
			return fmt.Errorf("must be free, starter, professional, enterprise or N/10s,D/day (positive N, D), got %q", v)
		}
		o.rateLimit = &tier
		return nil
	})
	fs.value("max-associations", "MAX_ASSOCIATIONS", "50000", "the hard ceiling on how many records of one object type a record may be associated with (HubSpot's per-pair subscription limit); configured limits only lower it", func(v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > math.MaxInt32 {
			return fmt.Errorf("must be a whole number from 1 to %d, got %q", math.MaxInt32, v)
		}
		o.maxAssociations = n
		return nil
	})
	fs.value("search-lag", "SEARCH_LAG", "0s", "how long after a write search finds it, as HubSpot's index lags; a portal's settings may override it; 0 means at once", func(v string) error {
		d, err := store.ParseSearchLag(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("must be a duration such as 500ms, 5s or 1m, from 0 to %s, got %q", store.MaxSearchLag, v)
		}
		o.searchLag = d
		return nil
	})
	fs.stringVar(&o.tokens, "tokens", "TOKENS", "", "tokens file, JSON or YAML: only its tokens authenticate, with their portals, scopes and expiry")
	fs.value("clock-start", "CLOCK_START", "", "the server clock's time at start-up, RFC 3339 (2027-01-01T00:00:00Z); empty: the wall clock's. POST /_mockhub/clock moves it", func(v string) error {
		t, err := parseClockStart(v)
		if err != nil {
			return err
		}
		o.clockStart = t
		return nil
	})
	fs.boolVar(&o.clockFrozen, "clock-frozen", "CLOCK_FROZEN", "start the server clock frozen (at --clock-start, else the wall clock's time): it moves only through POST /_mockhub/clock")
	fs.fs.BoolFunc("version", "print the version and exit", func(v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fs.setErr = fmt.Errorf("--version takes no value, got %q", v)
			return err
		}
		o.showVersion = b
		return nil
	})
	return o, fs.parse(args)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "healthcheck" {
		return healthcheck(ctx, args[1:], stdout, stderr)
	}
	opts, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if opts.showVersion {
		fmt.Fprintln(stdout, "mockhub", version)
		return nil
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: opts.logLevel}))

	cfg := server.Config{Logger: logger, Seed: opts.seed, Version: version, DataDir: opts.dataDir, JournalSize: opts.journalSize, SearchLag: opts.searchLag, MaxAssociationsPerPair: int32(opts.maxAssociations)}
	if opts.journalSize == 0 {
		cfg.JournalSize = -1
	}
	// Tokens expire, and everything else happens, on this clock.
	cfg.Clock = serverClock(opts)
	if opts.fixtures != "" {
		if cfg.Fixtures, err = os.ReadFile(opts.fixtures); err != nil {
			return fmt.Errorf("%s: %w", opts.source("fixtures"), plainFileError(err))
		}
	}
	if err := faultOptions(opts, &cfg); err != nil {
		return err
	}
	if opts.dataDir != "" {
		unlock, err := persist.Lock(opts.dataDir)
		if err != nil {
			return fmt.Errorf("%s: %w", opts.source("data-dir"), err)
		}
		defer unlock()
	}
	// Listen before building the server: a client that connects while the
	// documents load is queued by the kernel and answered as soon as they
	// are ready, instead of being refused and having to retry.
	ln, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	srv, err := server.New(cfg)
	if errors.Is(err, server.ErrFixtures) {
		return fmt.Errorf("%s %s: %w", opts.source("fixtures"), opts.fixtures, err)
	}
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	maxConns := fitDescriptors(int64(opts.maxConns), logger)
	httpServer := &http.Server{
		Handler:           headerLimit(srv),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       opts.readTimeout,
		WriteTimeout:      opts.writeTimeout,
		IdleTimeout:       opts.idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes + headerSlack,
	}
	httpServer.RegisterOnShutdown(srv.Close)
	logger.Info("mockhub listening", "addr", "http://"+ln.Addr().String(), "dashboard", "http://"+ln.Addr().String()+server.DashboardPath, "operations", len(srv.Operations()), "versions", versions(srv), "version", version)
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(&capListener{Listener: ln, max: maxConns}) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// A second signal now kills the process at once.
	stop()
	logger.Info("shutting down", "timeout", opts.shutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), opts.shutdownTimeout)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	// Every acknowledged write is already on disk (see package persist):
	// there is nothing left to flush.
	logger.Info("stopped")
	return nil
}

// plainFileError drops the Go operation name from a file error: "open
// x.json: no such file or directory" reads "x.json: no such file or
// directory".
func plainFileError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

func versions(srv *server.Server) string {
	seen := map[string]bool{}
	var out []string
	for _, op := range srv.Operations() {
		if v := op.Document.Version; !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return strings.Join(out, ",")
}

// faultOptions turns --faults, --rate-limit and --tokens into cfg.
func faultOptions(opts options, cfg *server.Config) error {
	if opts.faults != "" {
		rules, err := faults.LoadFile(opts.faults)
		if err != nil {
			return fmt.Errorf("%s: %w", opts.source("faults"), err)
		}
		cfg.FaultRules = rules
	}
	cfg.RateLimit = opts.rateLimit
	if opts.tokens != "" {
		tokens, err := auth.LoadTokens(opts.tokens, cfg.Clock)
		if err != nil {
			return fmt.Errorf("%s: %w", opts.source("tokens"), err)
		}
		cfg.Authenticator = tokens
	}
	return nil
}

// parseClockStart reads --clock-start: empty, or an RFC 3339 time the
// server clock can read.
func parseClockStart(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil || t.Before(clock.Earliest) || !t.Before(clock.Latest) {
		return time.Time{}, fmt.Errorf("must be an RFC 3339 time such as 2027-01-01T00:00:00Z, from 1970 up to 2200, got %q", v)
	}
	return t.UTC(), nil
}

// serverClock is the clock --clock-start and --clock-frozen ask for.
func serverClock(opts options) *clock.Controlled {
	if opts.clockFrozen {
		start := opts.clockStart
		if start.IsZero() {
			start = time.Now()
		}
		return clock.NewFrozen(start)
	}
	return clock.NewRunning(opts.clockStart)
}
