package mockhubtest

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/decode"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/server"
)

// Option configures a Server or a Handler. A bad value is reported when the
// server starts: NewServer fails the test, Start and NewHandler return the
// error, naming the option. When an option is given twice, the last wins.
type Option struct {
	apply func(*options)
}

// options collects what the Options set; config checks and converts it.
type options struct {
	token       *string
	seed        uint64
	frozen      *time.Time
	journalSize *int
	fixtures    []byte
	logger      *slog.Logger
	dataDir     *string
	faultRules  []byte
	rateLimit   *string
	tokens      []byte
	maxBody     *int64
}

// WithToken makes Token (and so PortalID) the given token. With WithTokens,
// the token must be one the document lists.
func WithToken(token string) Option { return Option{func(o *options) { o.token = &token }} }

// WithSeed seeds the random source (correlation ids, fault probabilities and
// jitter); zero picks a seed from the clock.
func WithSeed(seed uint64) Option { return Option{func(o *options) { o.seed = seed }} }

// WithFrozenClock freezes the server's clock at t: it moves only when Advance
// or SetTime says so (or runs on after Unfreeze). Every timestamp the server
// writes comes from this clock. Without it the clock runs from the wall
// clock's time, still moved by Advance and SetTime.
func WithFrozenClock(t time.Time) Option { return Option{func(o *options) { o.frozen = &t }} }

// WithJournalSize bounds the request journal to n requests (default 1000);
// 0 disables it, as --journal-size 0 does. A negative n is refused.
func WithJournalSize(n int) Option { return Option{func(o *options) { o.journalSize = &n }} }

// WithFixtures seeds portals from a fixtures document, JSON or YAML (the
// format of a --fixtures file: {"portals": [state, ...]}). Reset returns to
// it.
func WithFixtures(doc []byte) Option { return Option{func(o *options) { o.fixtures = doc }} }

// WithLogger sends the server's request log to l (default: discarded).
func WithLogger(l *slog.Logger) Option { return Option{func(o *options) { o.logger = l }} }

// WithDataDir keeps portal state in dir, as --data-dir does: a server started
// later on the same directory finds it. The directory is locked while the
// server runs, so two servers cannot share it; t.TempDir() is a good choice.
func WithDataDir(dir string) Option { return Option{func(o *options) { o.dataDir = &dir }} }

// WithFaultRules installs fault rules at start-up; Reset restores them. doc
// is the content of a --faults file, JSON or YAML: {"rules": [rule, ...]}
// in the rule format of README.md (read a file with os.ReadFile). To add
// rules while the server runs, use AddFault.
func WithFaultRules(doc []byte) Option { return Option{func(o *options) { o.faultRules = doc }} }

// WithRateLimit enforces a rate-limit tier, as --rate-limit does: "free",
// "starter", "professional", "enterprise" or explicit limits "N/10s,D/day".
// Without it, headers report the free tier's figures and nothing is refused.
func WithRateLimit(tier string) Option { return Option{func(o *options) { o.rateLimit = &tier }} }

// WithTokens accepts only the tokens doc lists, as --tokens does: doc is the
// content of a tokens file, JSON or YAML ({"tokens": [{"token", "portalId",
// "scopes", ...}]}). Token is then WithToken's token, or else the first one
// listed, and PortalID its portal. Expiry is judged on the server's clock.
func WithTokens(doc []byte) Option { return Option{func(o *options) { o.tokens = doc }} }

// WithMaxBodyBytes bounds request bodies to n bytes (default 1 MiB); larger
// ones are answered 413. n must be positive.
func WithMaxBodyBytes(n int64) Option { return Option{func(o *options) { o.maxBody = &n }} }

// setup is what the options amount to.
type setup struct {
	cfg     server.Config
	clock   *clock.Controlled
	token   string
	portals map[string]int64 // the tokens document's portals, if any
}

// config checks the options and builds the server configuration. The error
// lists every bad option.
func (o *options) config() (setup, error) {
	s := setup{
		cfg:   server.Config{Version: "mockhubtest", Seed: o.seed, Logger: o.logger, Fixtures: o.fixtures},
		token: DefaultToken,
	}
	s.clock = newClock(o.frozen)
	s.cfg.Clock = s.clock

	var errs []error
	bad := func(option, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", option, fmt.Sprintf(format, args...)))
	}
	if o.journalSize != nil {
		switch n := *o.journalSize; {
		case n < 0:
			bad("WithJournalSize", "size must be 0 (no journal) or more, got %d", n)
		case n == 0:
			s.cfg.JournalSize = -1 // the server's "disabled"
		default:
			s.cfg.JournalSize = n
		}
	}
	if o.maxBody != nil {
		if *o.maxBody <= 0 {
			bad("WithMaxBodyBytes", "the bound must be a positive number of bytes, got %d", *o.maxBody)
		}
		s.cfg.MaxBodyBytes = *o.maxBody
	}
	if o.dataDir != nil {
		if *o.dataDir == "" {
			bad("WithDataDir", "the directory is empty; give a path such as t.TempDir()")
		}
		s.cfg.DataDir = *o.dataDir
	}
	if o.faultRules != nil {
		rules, err := faults.ParseFile(o.faultRules)
		if err != nil {
			bad("WithFaultRules", "%v", err)
		}
		s.cfg.FaultRules = rules
	}
	if o.rateLimit != nil {
		tier, err := ratelimit.ParseTier(*o.rateLimit)
		if err != nil {
			bad("WithRateLimit", "%v", err)
		}
		s.cfg.RateLimit = &tier
	}
	if o.token != nil {
		if *o.token == "" {
			bad("WithToken", "the token is empty")
		}
		s.token = *o.token
	}
	if o.tokens != nil {
		if err := s.tokens(o.tokens, o.token != nil); err != nil {
			bad("WithTokens", "%v", err)
		}
	}
	return s, errors.Join(errs...)
}

// tokens installs the tokens document's authenticator and picks Token from
// it.
func (s *setup) tokens(doc []byte, chosen bool) error {
	var f auth.TokensFile
	if err := decode.Strict(doc, &f); err != nil {
		return fmt.Errorf("not a tokens document (JSON or YAML): %w", err)
	}
	authn, err := auth.NewTokens(f.Tokens, s.clock)
	if err != nil {
		return err
	}
	if len(f.Tokens) == 0 {
		return errors.New("the document lists no tokens, so the server would accept none")
	}
	s.portals = make(map[string]int64, len(f.Tokens))
	for _, t := range f.Tokens {
		s.portals[t.Token] = t.PortalID
	}
	if !chosen {
		s.token = f.Tokens[0].Token
	} else if _, ok := s.portals[s.token]; !ok {
		return fmt.Errorf("WithToken's token %q is not in the document, so the server would refuse it", s.token)
	}
	s.cfg.Authenticator = authn
	return nil
}

// portalOf is the portal a token's requests to srv use; 0 when a tokens
// document does not list the token (the server refuses it). It fails only
// when srv cannot save a new token's portal in its data directory.
func (s *setup) portalOf(srv *server.Server, token string) (int64, error) {
	if s.portals != nil {
		return s.portals[token], nil
	}
	return srv.PortalOf(token)
}
