package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	apiBase     = "/crm/associations/2026-03"
	limitsPath  = apiBase + "/definitions/configurations/contacts/companies"
	labelsPath  = apiBase + "/contacts/companies/labels"
	unlabeled   = 279 // contact→company, HubSpot-defined, unlabeled
	primary     = 1   // contact→company "Primary": the deferred (PENDING) create's type
	maxLabels   = 5   // custom labels per token, under the server's 10 per pairing
	valueSpan   = 1000
	valueBanks  = 45 // value ranges: bank*1000+1 … bank*1000+1000 ≤ 45,000 < 50,000
	deferredMs  = 1000
	deferGrace  = 3 * time.Second // after the due time, before a missing deferred write counts as lost
	writeFaults = "status;status=429|status;status=503|latency;ms=5;jitterMs=20|malformed|partial;failInputs=1"
)

// labelPattern reads the token index and label number out of a display
// label: every token's labels are distinct, so a label of another index is a
// leak between portals.
var labelPattern = regexp.MustCompile(`^Soak (\d+) (\d+)$`)

// token is one client identity, hence one portal. Only its writer changes
// it; verifiers read it under mu. Writes of one token are sequential and
// their values increase, so "every acknowledged write is visible" means:
// the unlabeled limit is at least the last acknowledged value, every
// acknowledged label is listed, and a due acknowledged deferred create is
// there.
type token struct {
	idx  int
	name string
	base int // first limit value of this token's range

	mu          sync.Mutex
	created     bool // the unlabeled limit exists (acknowledged or seen)
	nextOff     int  // offset of the next limit value to send
	ackedOff    int  // offset of the last acknowledged limit value; -1: none
	labelsSent  int
	labelsAcked []int
	wantDefer   bool // this token sends one deferred create
	deferSent   bool
	deferAcked  bool
	deferDue    time.Time
	retired     bool // an ambiguous write: no more writes, lest an old one overtake a new one
}

func newToken(idx, seed int) *token {
	return &token{idx: idx, name: fmt.Sprintf("soak-%d-%d", seed, idx), base: (idx%valueBanks)*valueSpan + 1, ackedOff: -1}
}

// tokens is every token created so far.
type tokens struct {
	mu   sync.Mutex
	list []*token
	next atomic.Int64
}

func (t *tokens) add(tok *token) {
	t.mu.Lock()
	t.list = append(t.list, tok)
	t.mu.Unlock()
}

func (t *tokens) all() []*token {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]*token(nil), t.list...)
}

// loadConfig holds the load knobs.
type loadConfig struct {
	writers       int
	rate          float64
	maxTokens     int
	perToken      int
	faultRate     float64
	deferredRate  float64
	writeTimeout  time.Duration
	verifyWorkers int
	seed          int
}

// load drives the acknowledged writes and checks them.
type load struct {
	cfg    loadConfig
	srv    *server
	client *http.Client
	toks   *tokens
	c      *counters
	faults []string
	leaks  *findings
	lost   *findings
}

func newLoad(cfg loadConfig, srv *server, c *counters) *load {
	tr := &http.Transport{MaxIdleConnsPerHost: cfg.writers + cfg.verifyWorkers}
	return &load{
		cfg: cfg, srv: srv, c: c, toks: &tokens{}, leaks: newFindings(), lost: newFindings(),
		client: &http.Client{Transport: tr, Timeout: cfg.writeTimeout},
		faults: strings.Split(writeFaults, "|"),
	}
}

// answer is what came back for one request.
type answer struct {
	status int
	body   []byte
	err    error
	killed bool // the server was killed while the request was out
	ended  bool // the run ended while the request was out
}

func (l *load) do(ctx context.Context, method, path, tok, fault string, body []byte) answer {
	epoch, _ := l.srv.state()
	a := l.send(ctx, method, path, tok, fault, body)
	a.killed = a.err != nil && l.srv.killedSince(epoch)
	a.ended = a.err != nil && ctx.Err() != nil
	return a
}

func (l *load) send(ctx context.Context, method, path, tok, fault string, body []byte) answer {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+l.srv.addr+path, rd)
	if err != nil {
		return answer{err: err}
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if fault != "" {
		req.Header.Set("X-Mockhub-Fault", fault)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return answer{status: resp.StatusCode, body: data, err: err}
}

// writer sends this writer's share of the writes until ctx ends: a new
// token every perToken writes while tokens remain, then round the tokens it
// made (only one writer ever writes a token).
func (l *load) writer(ctx context.Context, id int) {
	rng := rand.New(rand.NewPCG(uint64(l.cfg.seed), uint64(id)))
	var interval time.Duration
	if l.cfg.rate > 0 {
		interval = time.Duration(float64(time.Second) * float64(l.cfg.writers) / l.cfg.rate)
	}
	var own []*token
	var cur *token
	used, round := 0, 0
	next := time.Now()
	for ctx.Err() == nil {
		if interval > 0 {
			next = next.Add(interval)
			if d := time.Until(next); d > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(d):
				}
			} else if d < -time.Second {
				next = time.Now() // do not burst to catch up after a restart
			}
		}
		if !l.srv.waitUp(ctx) {
			return
		}
		if cur == nil || used >= l.cfg.perToken || cur.isRetired() {
			cur, used = nil, 0
			if n := l.toks.next.Add(1); int(n) <= l.cfg.maxTokens {
				cur = newToken(int(n), l.cfg.seed)
				cur.wantDefer = rng.Float64() < l.cfg.deferredRate
				l.toks.add(cur)
				own = append(own, cur)
				l.c.inc("tokens")
			} else {
				for range len(own) {
					round++
					if t := own[round%len(own)]; !t.isRetired() {
						cur = t
						break
					}
				}
			}
			if cur == nil {
				l.c.inc("writer idle (no token left)")
				continue
			}
		}
		used++
		l.step(ctx, rng, cur)
	}
}

func (t *token) isRetired() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.retired
}

func limitInputs(value, copies int) []byte {
	in := fmt.Sprintf(`{"category":"HUBSPOT_DEFINED","maxToObjectIds":%d,"typeId":%d}`, value, unlabeled)
	return []byte(`{"inputs":[` + strings.TrimSuffix(strings.Repeat(in+",", copies), ",") + `]}`)
}

// step makes one request for tok: the limit's create first, then a mix of
// updates, label creates, a deferred create now and then, and reads that
// check the token's own state.
func (l *load) step(ctx context.Context, rng *rand.Rand, tok *token) {
	tok.mu.Lock()
	created, off, labels, deferDue := tok.created, tok.nextOff, tok.labelsSent, tok.wantDefer && !tok.deferSent
	tok.mu.Unlock()
	fault := ""
	if rng.Float64() < l.cfg.faultRate {
		fault = l.faults[rng.IntN(len(l.faults))]
	}
	r := rng.Float64()
	switch {
	case !created:
		if strings.HasPrefix(fault, "partial") {
			fault = ""
		}
		l.writeLimit(ctx, tok, "create", off, fault)
	case deferDue:
		l.writeDeferred(ctx, tok)
	case labels < maxLabels && r < 0.3:
		if strings.HasPrefix(fault, "partial") {
			fault = ""
		}
		l.writeLabel(ctx, tok, labels, fault)
	case off < valueSpan && r < 0.85:
		l.writeLimit(ctx, tok, "update", off, fault)
	default:
		l.c.inc("online checks")
		l.record(tok, l.check(ctx, tok))
	}
}

// outcome classifies a write's answer and reports whether it was
// acknowledged (2xx: whatever the body, a malformed body included).
func (l *load) outcome(kind string, a answer) bool {
	switch {
	case a.err != nil && a.status == 0 && a.ended:
		l.c.inc("writes: cut short by the end of the run")
		return false
	case a.err != nil && a.status == 0 && a.killed:
		l.c.inc("writes: unanswered, the server killed")
		return false
	case a.err != nil && a.status == 0:
		l.c.inc("writes: unanswered while the server was up: " + errTail(a.err))
		return false
	case a.status >= 200 && a.status < 300:
		l.c.inc("writes: acknowledged")
		l.c.inc("writes acknowledged: " + kind)
		return true
	default:
		l.c.inc(fmt.Sprintf("writes: answered %d", a.status))
		return false
	}
}

// errTail is the last part of a client error, without the request and
// addresses in front of it.
func errTail(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}

// ambiguous retires tok after a write whose fate is unknown: a request the
// server may still be working on must not land after a later one.
func (l *load) ambiguous(tok *token, a answer) {
	if a.err != nil && a.status == 0 {
		tok.mu.Lock()
		tok.retired = true
		tok.mu.Unlock()
		l.c.inc("tokens retired after an unanswered write")
	}
}

func (l *load) writeLimit(ctx context.Context, tok *token, op string, off int, fault string) {
	copies := 1
	if strings.HasPrefix(fault, "partial") {
		// The fault fails the last input; the first, the same update, is applied.
		copies = 2
	}
	tok.mu.Lock()
	tok.nextOff = off + 1
	tok.mu.Unlock()
	l.c.inc("writes: limits " + op)
	if fault != "" {
		l.c.inc("writes with fault header: " + strings.SplitN(fault, ";", 2)[0])
	}
	a := l.do(ctx, http.MethodPost, limitsPath+"/batch/"+op, tok.name, fault, limitInputs(tok.base+off, copies))
	acked := l.outcome("limits "+op, a)
	l.ambiguous(tok, a)
	tok.mu.Lock()
	defer tok.mu.Unlock()
	switch {
	case acked:
		tok.created = true
		tok.ackedOff = off
	case op == "create" && a.status == http.StatusBadRequest && bytes.Contains(a.body, []byte("already exists")):
		// An earlier create whose answer was lost did apply.
		tok.created = true
	}
}

func (l *load) writeLabel(ctx context.Context, tok *token, k int, fault string) {
	tok.mu.Lock()
	tok.labelsSent = k + 1
	tok.mu.Unlock()
	l.c.inc("writes: label create")
	if fault != "" {
		l.c.inc("writes with fault header: " + strings.SplitN(fault, ";", 2)[0])
	}
	body := fmt.Sprintf(`{"name":"s%dx%d","label":"Soak %d %d"}`, tok.idx, k, tok.idx, k)
	a := l.do(ctx, http.MethodPost, labelsPath, tok.name, fault, []byte(body))
	if l.outcome("label create", a) {
		tok.mu.Lock()
		tok.labelsAcked = append(tok.labelsAcked, k)
		tok.mu.Unlock()
	}
	l.ambiguous(tok, a)
}

// writeDeferred creates the Primary limit with a PENDING batch status: an
// acknowledged batch the server owes from its due time on.
func (l *load) writeDeferred(ctx context.Context, tok *token) {
	tok.mu.Lock()
	tok.deferSent = true
	tok.mu.Unlock()
	l.c.inc("writes: deferred (PENDING) create")
	body := fmt.Sprintf(`{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":%d,"typeId":%d}]}`, tok.base, primary)
	sent := time.Now()
	a := l.do(ctx, http.MethodPost, limitsPath+"/batch/create", tok.name, fmt.Sprintf("batchStatus;status=PENDING;applyAfterMs=%d", deferredMs), []byte(body))
	if l.outcome("deferred create", a) {
		tok.mu.Lock()
		tok.deferAcked = true
		tok.deferDue = sent.Add(deferredMs * time.Millisecond)
		tok.mu.Unlock()
	}
	l.ambiguous(tok, a)
}

// finding is one thing a check found: key identifies it (the same leak
// seen again is not a new one), what describes it.
type finding struct{ key, what string }

// result is what one check of one token found.
type result struct {
	checked  bool // both reads answered
	owed     int  // acknowledged writes that must be visible
	lost     int
	lostWhat []string
	leakWhat []finding
}

type limitsBody struct {
	Results []struct {
		TypeID int `json:"typeId"`
		Max    int `json:"userEnforcedMaxToObjectIds"`
	} `json:"results"`
}

type labelsBody struct {
	Results []struct {
		TypeID int    `json:"typeId"`
		Label  string `json:"label"`
	} `json:"results"`
}

// read GETs path for tok, trying again (a bounded number of times) on
// anything but a 200 that parses, since reads too can meet fault rules.
func (l *load) read(ctx context.Context, path string, tok string, into any) bool {
	for attempt := range 4 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return false
			case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
			}
		}
		if !l.srv.waitUp(ctx) {
			return false
		}
		a := l.do(ctx, http.MethodGet, path, tok, "", nil)
		if a.err == nil && a.status == http.StatusOK && json.Unmarshal(a.body, into) == nil {
			return true
		}
	}
	return false
}

// check reads tok's limits and labels and compares them with what tok was
// acknowledged before the reads began.
func (l *load) check(ctx context.Context, tok *token) result {
	tok.mu.Lock()
	ackedOff := tok.ackedOff
	acked := append([]int(nil), tok.labelsAcked...)
	deferOwed := tok.deferAcked && time.Now().After(tok.deferDue.Add(deferGrace))
	tok.mu.Unlock()

	var res result
	var lim limitsBody
	var lab labelsBody
	if !l.read(ctx, limitsPath, tok.name, &lim) || !l.read(ctx, labelsPath, tok.name, &lab) {
		return res // not checked: counted as unchecked by the pass
	}
	res.checked = true
	tok.mu.Lock()
	nextOff, deferSent := tok.nextOff, tok.deferSent
	tok.mu.Unlock()

	seen279, seenPrimary := -1, false
	for _, r := range lim.Results {
		switch r.TypeID {
		case unlabeled:
			seen279 = r.Max
		case primary:
			seenPrimary = true
			if !deferSent || r.Max != tok.base {
				res.leakWhat = append(res.leakWhat, finding{"primary", fmt.Sprintf("a Primary limit of %d it never wrote", r.Max)})
			}
		default:
			res.leakWhat = append(res.leakWhat, finding{fmt.Sprint("type ", r.TypeID), fmt.Sprintf("a limit on typeId %d it never wrote", r.TypeID)})
		}
	}
	if ackedOff >= 0 {
		res.owed++
	}
	switch {
	case seen279 < 0 && ackedOff >= 0:
		res.lost++
		res.lostWhat = append(res.lostWhat, fmt.Sprintf("limit %d missing", tok.base+ackedOff))
	case seen279 >= 0 && (seen279 < tok.base || seen279 >= tok.base+max(nextOff, 1)):
		res.leakWhat = append(res.leakWhat, finding{"unlabeled", fmt.Sprintf("a limit of %d outside its values %d–%d", seen279, tok.base, tok.base+nextOff-1)})
	case seen279 >= 0 && ackedOff >= 0 && seen279 < tok.base+ackedOff:
		res.lost++
		res.lostWhat = append(res.lostWhat, fmt.Sprintf("limit %d, acknowledged %d", seen279, tok.base+ackedOff))
	}
	if deferOwed {
		res.owed++
		if !seenPrimary {
			res.lost++
			res.lostWhat = append(res.lostWhat, deferredLost)
		}
	}

	own := map[int]bool{}
	for _, r := range lab.Results {
		m := labelPattern.FindStringSubmatch(r.Label)
		if m == nil {
			continue
		}
		idx, _ := strconv.Atoi(m[1])
		k, _ := strconv.Atoi(m[2])
		if idx != tok.idx {
			what := fmt.Sprintf("label %q of token %d", r.Label, idx)
			res.leakWhat = append(res.leakWhat, finding{what, what})
			continue
		}
		own[k] = true
	}
	for _, k := range acked {
		res.owed++
		if !own[k] {
			res.lost++
			res.lostWhat = append(res.lostWhat, fmt.Sprintf("label %d missing", k))
		}
	}
	return res
}

// deferredLost describes a lost deferred write (counted apart as well).
const deferredLost = "deferred (PENDING) Primary limit missing"

// findings keeps distinct findings (lost writes or leaks) by token: a loss
// found again by a later check is the same loss.
type findings struct {
	mu       sync.Mutex
	seen     map[string]bool
	tokens   map[int]bool
	examples []string
}

func newFindings() *findings { return &findings{seen: map[string]bool{}, tokens: map[int]bool{}} }

// add records what tok's check found and reports whether it is new.
func (f *findings) add(tok *token, key, what string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	key = tok.name + "\x00" + key
	if f.seen[key] {
		return false
	}
	f.seen[key] = true
	f.tokens[tok.idx] = true
	if len(f.examples) < 10 {
		f.examples = append(f.examples, tok.name+": "+what)
	}
	return true
}

func (f *findings) count() (distinct, tokens int, examples []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.seen), len(f.tokens), append([]string(nil), f.examples...)
}

// record adds one check's findings to the run's sets.
func (l *load) record(tok *token, res result) {
	for _, f := range res.leakWhat {
		l.leaks.add(tok, f.key, f.what)
	}
	for _, w := range res.lostWhat {
		if l.lost.add(tok, w, w) && w == deferredLost {
			l.c.inc("deferred writes lost")
		}
	}
}

// verification is one pass over tokens: after a restart, or at the end.
type verification struct {
	When      string   `json:"when"`
	Epoch     int      `json:"epoch"`
	Tokens    int      `json:"tokens"`
	Checked   int      `json:"checked"`
	Unchecked int      `json:"unchecked"` // reads failed or time ran out
	Owed      int      `json:"acknowledgedWrites"`
	Lost      int      `json:"lost"`
	Leaks     int      `json:"leaks"`
	Seconds   float64  `json:"seconds"`
	Examples  []string `json:"examples,omitempty"`
}

// verifyAll checks every token with verifyWorkers readers, within limit.
func (l *load) verifyAll(ctx context.Context, when string, limit time.Duration) verification {
	begin := time.Now()
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	epoch, _ := l.srv.state()
	all := l.toks.all()
	v := verification{When: when, Epoch: epoch, Tokens: len(all)}
	var mu sync.Mutex
	work := make(chan *token)
	var wg sync.WaitGroup
	for range max(1, l.cfg.verifyWorkers) {
		wg.Go(func() {
			for tok := range work {
				res := l.check(ctx, tok)
				l.record(tok, res)
				mu.Lock()
				if res.checked {
					v.Checked++
				} else {
					v.Unchecked++
				}
				v.Owed += res.owed
				v.Lost += res.lost
				v.Leaks += len(res.leakWhat)
				for _, w := range res.lostWhat {
					if len(v.Examples) < 5 {
						v.Examples = append(v.Examples, tok.name+": lost "+w)
					}
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, tok := range all {
		select {
		case work <- tok:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	v.Unchecked = len(all) - v.Checked
	v.Seconds = time.Since(begin).Seconds()
	return v
}
