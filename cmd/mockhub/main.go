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
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mockhub/mockhub/auth"
	"github.com/mockhub/mockhub/clock"
	"github.com/mockhub/mockhub/faults"
	"github.com/mockhub/mockhub/ratelimit"
	"github.com/mockhub/mockhub/server"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mockhub:", err)
		os.Exit(1)
	}
}

// options are the parsed flags.
type options struct {
	addr        string
	logLevel    string
	seed        uint64
	showVersion bool
	faults      string
	rateLimit   string
	tokens      string
}

// envDefault returns the MOCKHUB_* variable of name, or def.
func envDefault(name, def string) string {
	if v, ok := os.LookupEnv("MOCKHUB_" + name); ok {
		return v
	}
	return def
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("mockhub", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", envDefault("ADDR", "127.0.0.1:4010"), "listen address (env MOCKHUB_ADDR)")
	fs.StringVar(&o.logLevel, "log-level", envDefault("LOG_LEVEL", "info"), "log level: debug, info, warn, error (env MOCKHUB_LOG_LEVEL)")
	seed, err := strconv.ParseUint(envDefault("SEED", "0"), 10, 64)
	if err != nil {
		return o, fmt.Errorf("MOCKHUB_SEED: %w", err)
	}
	fs.Uint64Var(&o.seed, "seed", seed, "seed of the random source for correlation ids and faults; 0 picks one (env MOCKHUB_SEED)")
	fs.StringVar(&o.faults, "faults", envDefault("FAULTS", ""), "fault rules file, JSON or YAML (env MOCKHUB_FAULTS)")
	fs.StringVar(&o.rateLimit, "rate-limit", envDefault("RATE_LIMIT", ""), "enforce rate limits of a tier: free, starter, professional, enterprise or N/10s,D/day (env MOCKHUB_RATE_LIMIT)")
	fs.StringVar(&o.tokens, "tokens", envDefault("TOKENS", ""), "tokens file, JSON or YAML: only its tokens authenticate, with their portals, scopes and expiry (env MOCKHUB_TOKENS)")
	fs.BoolVar(&o.showVersion, "version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: mockhub [flags]\n       mockhub healthcheck [--addr ADDR]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	return o, fs.Parse(args)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
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
	var level slog.Level
	if err := level.UnmarshalText([]byte(opts.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	cfg := server.Config{Logger: logger, Seed: opts.seed, Version: version}
	if err := faultOptions(opts, &cfg); err != nil {
		return err
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	httpServer := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	httpServer.RegisterOnShutdown(srv.Close)
	logger.Info("mockhub listening", "addr", "http://"+ln.Addr().String(), "operations", len(srv.Operations()), "versions", versions(srv), "version", version)
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return httpServer.Shutdown(shutdownCtx)
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
			return err
		}
		cfg.FaultRules = rules
	}
	if opts.rateLimit != "" {
		tier, err := ratelimit.ParseTier(opts.rateLimit)
		if err != nil {
			return fmt.Errorf("--rate-limit: %w", err)
		}
		cfg.RateLimit = &tier
	}
	if opts.tokens != "" {
		tokens, err := auth.LoadTokens(opts.tokens, clock.Real{})
		if err != nil {
			return err
		}
		cfg.Authenticator = tokens
	}
	return nil
}
