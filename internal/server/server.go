// Package server is mockhub as an http.Handler. New builds it from a Config:
// it loads our OpenAPI documents, lets each API family register its
// handlers, mounts one route per operation (and the alternate v4 spelling)
// and decides the order of the middleware. A request flows one way: route ->
// guards (authenticate, scopes, rate limit, fault) -> validate -> handler ->
// store transaction -> reply; every error is shaped by package apierr.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/api/accountinfo"
	"github.com/mockhub/mockhub/internal/api/associationschema"
	"github.com/mockhub/mockhub/internal/api/crmassociations"
	"github.com/mockhub/mockhub/internal/api/crmassociationsv3"
	"github.com/mockhub/mockhub/internal/api/crmobjects"
	"github.com/mockhub/mockhub/internal/api/crmpipelines"
	"github.com/mockhub/mockhub/internal/api/crmproperties"
	"github.com/mockhub/mockhub/internal/api/crmschemas"
	"github.com/mockhub/mockhub/internal/api/oauth"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/batch"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/idgen"
	"github.com/mockhub/mockhub/internal/journal"
	"github.com/mockhub/mockhub/internal/middleware"
	"github.com/mockhub/mockhub/internal/objecttype"
	"github.com/mockhub/mockhub/internal/openapi"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/store"
)

// Config configures a Server. The zero value is usable: running clock, random
// seed, no logging, lenient auth, HubSpot's defaults.
type Config struct {
	// Clock is the source of every timestamp. Default: a running
	// clock.Controlled from the wall clock's time. GET /_mockhub/clock reads
	// any clock; POST moves a Controlled one (or a Manual's).
	Clock clock.Clock
	// Seed seeds the random source of correlation ids and faults. Zero picks
	// a seed from the clock.
	Seed uint64
	// Logger receives one line per request. Default: discard.
	Logger *slog.Logger
	// Authenticator decides who a request is. Default: lenient (any token,
	// each distinct token its own portal; see auth.Portals).
	Authenticator auth.Authenticator
	// MaxBodyBytes bounds request bodies (413 beyond). Default 1 MiB.
	MaxBodyBytes int64
	// Store tunes business rules. Default: store.DefaultConfig().
	Store *store.Config
	// Documents overrides the embedded OpenAPI documents (tests).
	Documents []*openapi.Document
	// Version is reported by the health endpoint.
	Version string

	// JournalSize bounds the request journal. Zero means 1000; negative
	// disables the journal.
	JournalSize int
	// Fixtures is a fixtures document (store.Fixtures) seeding portals.
	Fixtures []byte
	// DataDir, when set, makes portal state durable in that directory.
	DataDir string
	// FaultRules are installed at start-up and restored by a full reset.
	FaultRules []faults.Rule
	// RateLimit, when set, enforces this tier; nil reports the free tier's
	// figures in headers without refusing anything.
	RateLimit *ratelimit.Tier
	// SearchLag is how long after a write search sees it, for portals whose
	// settings do not say (PUT /_mockhub/portals/{id}/settings). Zero: at
	// once. At most store.MaxSearchLag.
	SearchLag time.Duration
	// MaxAssociationsPerPair, when positive, replaces the store's hard
	// ceiling on a record's partners of one object type.
	MaxAssociationsPerPair int32
}

// Server is mockhub's HTTP handler.
type Server struct {
	cfg    Config
	clock  clock.Clock
	random *idgen.Source
	log    *slog.Logger
	auth   auth.Authenticator
	types  *objecttype.Registry
	schema *schema.Catalog
	store  *store.Store
	ops    []*openapi.Operation
	resets resetHooks
	// router serves every route; 405 answers ask it which methods a path has.
	router  chi.Router
	handler http.Handler

	faults  *faults.Set
	limiter *ratelimit.Limiter
	batches *batch.Runner
	// done is closed by Close; it releases requests that faults hold.
	done      chan struct{}
	closeOnce sync.Once

	journal *journal.Journal
	tokens  *tokenRegistry
	// control moves clock; nil when Config.Clock is one that cannot move.
	control *clock.Controlled
	// portals assigns the lenient authenticator's portal ids; nil when
	// Config.Authenticator decides.
	portals *auth.Portals
	// oauth issues OAuth codes and tokens; s.auth accepts its tokens.
	oauth *auth.Issuer
}

var _ http.Handler = (*Server)(nil)

// New builds a Server. It fails when a document does not load or an
// operation in it has no handler.
func New(cfg Config) (*Server, error) {
	s := &Server{cfg: cfg, clock: cfg.Clock, log: cfg.Logger, auth: cfg.Authenticator}
	if s.clock == nil {
		s.clock = clock.NewRunning(time.Time{})
	}
	s.control = clock.ControlOf(s.clock)
	seed := cfg.Seed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	s.random = idgen.New(seed)
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.cfg.MaxBodyBytes <= 0 {
		s.cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.SearchLag < 0 || cfg.SearchLag > store.MaxSearchLag {
		return nil, fmt.Errorf("server: search lag must be between 0s and %s, got %s", store.MaxSearchLag, cfg.SearchLag)
	}
	storeCfg := store.DefaultConfig()
	if cfg.Store != nil {
		storeCfg = *cfg.Store
	}
	if cfg.MaxAssociationsPerPair > 0 {
		storeCfg.MaxAssociationsPerPair = cfg.MaxAssociationsPerPair
	}
	// The documents take most of start-up: load them while the fixtures are
	// indexed.
	docs, docsErr := cfg.Documents, make(chan error, 1)
	if docs == nil {
		go func() {
			var err error
			docs, err = openapi.Load(context.Background())
			docsErr <- err
		}()
	} else {
		docsErr <- nil
	}
	var err error
	if s.types, err = objecttype.Default(); err != nil {
		return nil, err
	}
	if s.schema, err = schema.Default(); err != nil {
		return nil, err
	}
	catalog, err := store.DefaultCatalog(s.types)
	if err != nil {
		return nil, err
	}
	if storeCfg.Schema == nil {
		storeCfg.Schema = s.schema
	}
	s.store = store.New(storeCfg, catalog)
	if err := s.setupState(); err != nil {
		return nil, err
	}

	if err := <-docsErr; err != nil {
		return nil, err
	}
	if cfg.Documents == nil {
		for _, d := range docs {
			if !d.Compiled {
				// Still correct, but start-up pays for parsing the YAML.
				s.log.Warn("openapi document parsed from YAML because its compiled form is stale; run go generate ./openapi", "version", d.Version)
			}
		}
	}
	if s.ops, err = openapi.Operations(docs); err != nil {
		return nil, err
	}
	if err := s.initGuards(); err != nil {
		return nil, err
	}
	router, err := s.routes(s.registry())
	if err != nil {
		return nil, err
	}
	s.router = router
	// Deferred batches restored from disk or fixtures are owed: arm their
	// timers (and apply what fell due while the server was down).
	s.batches.Resume()
	s.handler = chi.Chain(
		middleware.RequestInfo(s.random, s.clock),
		middleware.Observe(s.log, s.record, s.captureLimit),
		middleware.DrainBeforeRefusal,
		middleware.Recoverer(s.log),
	).Handler(router)
	return s, nil
}

// registry binds every API family's handlers and the path parameter
// resolvers they share. Adding a family is one line here.
func (s *Server) registry() *endpoint.Registry {
	reg := endpoint.NewRegistry()
	resolveObjectTypes(reg, s.types)
	resolveIDs(reg)
	associationschema.Register(reg, associationschema.Deps{Types: s.types, Batches: s.batches})
	crmobjects.Register(reg, crmobjects.Deps{Clock: s.clock, Batches: s.batches, SearchLag: s.cfg.SearchLag})
	crmpipelines.Register(reg)
	crmproperties.Register(reg, crmproperties.Deps{Clock: s.clock, Batches: s.batches})
	crmschemas.Register(reg, crmschemas.Deps{Clock: s.clock})
	crmassociations.Register(reg, crmassociations.Deps{Clock: s.clock, Batches: s.batches})
	crmassociationsv3.Register(reg, crmassociationsv3.Deps{Batches: s.batches})
	oauth.Register(reg, oauth.Deps{Issuer: s.oauth, Clock: s.clock})
	accountinfo.Register(reg, accountinfo.Deps{Clock: s.clock, Limiter: s.limiter})
	return reg
}

// initGuards builds the fault rules, the rate limiter and the batch runner
// from the config and registers their reset: a full reset restores the
// start-up fault rules and forgets every rate-limit window and deferred
// batch; a portal reset forgets that portal's.
func (s *Server) initGuards() error {
	set, err := faults.NewSet(s.random, s.cfg.FaultRules)
	if err != nil {
		return err
	}
	tier, enforce := ratelimit.Tiers[ratelimit.DefaultTier], false
	if s.cfg.RateLimit != nil {
		tier, enforce = *s.cfg.RateLimit, true
	}
	s.faults = set
	s.limiter = ratelimit.New(tier, enforce, s.clock)
	s.batches = batch.NewRunner(s.clock, s.store.Config().MaxBatchInputs)
	s.done = make(chan struct{})
	s.OnReset(func(portal *int64) {
		if portal == nil {
			s.faults.Reset()
		}
		s.limiter.Reset(portal)
		s.batches.Reset(portal)
	})
	return nil
}

// Close releases requests that faults hold (hang, latency), which otherwise
// end only when their client gives up. Call it before shutting down the
// HTTP server that serves s.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
}

// Faults returns the server's fault rules.
func (s *Server) Faults() *faults.Set { return s.faults }

// RateLimiter returns the server's rate limiter.
func (s *Server) RateLimiter() *ratelimit.Limiter { return s.limiter }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Operations returns the operations the server serves (one per document
// operation; alias paths are not counted twice).
func (s *Server) Operations() []*openapi.Operation { return s.ops }

// Store returns the server's state.
func (s *Server) Store() *store.Store { return s.store }

// routes mounts every operation of the documents, each behind its guards,
// and the errors for unknown routes. An operation without a handler stops
// start-up.
func (s *Server) routes(reg *endpoint.Registry) (chi.Router, error) {
	r := chi.NewRouter()
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)
	admin, err := s.adminRoutes()
	if err != nil {
		return nil, err
	}
	r.Mount(AdminPrefix, admin)
	deps := endpoint.Deps{Store: s.store, Clock: s.clock, Log: s.log, MaxBodyBytes: s.cfg.MaxBodyBytes, Settle: s.batches.Settle}
	faultDeps := middleware.FaultDeps{Rules: s.faults, Random: s.random, Done: s.done, Log: s.log, MaxBody: s.cfg.MaxBodyBytes}
	byKey := make(map[string]*openapi.Operation, len(s.ops))
	for _, op := range s.ops {
		byKey[op.Document.Version+" "+op.ID] = op
	}
	s.batches.Attach(s.store, func(key string, portal int64, params map[string]string, query string) (*endpoint.Call, error) {
		op, ok := byKey[key]
		if !ok {
			return nil, fmt.Errorf("no operation %q", key)
		}
		return reg.Replay(op, deps, portal, params, query)
	}, s.log)
	for _, op := range s.ops {
		e, err := reg.Endpoint(op, deps)
		if err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		h := chi.Chain(
			middleware.Authenticate(s.auth, op),
			middleware.Scopes(op, s.limiter),
			middleware.RateLimit(op, s.limiter, s.log),
			middleware.Fault(op, faultDeps),
		).Handler(e)
		if op.Public {
			// OAuth's own endpoints take no bearer token and count against
			// no portal's limits; faults still apply, so that a test can
			// make the token endpoint fail.
			h = chi.Chain(middleware.Operation(op), middleware.Fault(op, faultDeps)).Handler(e)
		}
		for _, p := range op.Paths() {
			r.Method(op.Method, p, h)
		}
	}
	return r, nil
}
