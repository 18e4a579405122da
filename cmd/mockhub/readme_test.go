package main

// README.md's shell examples, run against the binary as a reader would run
// them: in order, against the mockhub the README last started, each curl
// command's answer checked against the `# <status> <json>` comment under it.
// A README example that stops reproducing fails the subtest named by its
// README line.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readmeAddr is the address README's examples call; the test serves them
// from whatever port its mockhub got.
const readmeAddr = "http://127.0.0.1:4010"

func TestReadmeExamples(t *testing.T) {
	bin := binary(t)
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	results := runReadme(t, bin, string(readme))
	if len(results) == 0 {
		t.Fatal("README.md has no checked example")
	}
	for _, r := range results {
		t.Run(fmt.Sprintf("README.md:%d", r.line), func(t *testing.T) {
			if r.err != nil {
				t.Errorf("README.md:%d: %v", r.line, r.err)
			}
		})
	}
}

// TestReadmeExamplesCanFail: an example whose expected status is wrong fails,
// under its own line, and no other example does.
func TestReadmeExamplesCanFail(t *testing.T) {
	bin := binary(t)
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(readme), "\n")
	altered := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "# 201 ") {
			lines[i] = "# 200 " + strings.TrimPrefix(l, "# 201 ")
			altered = i + 1
			break
		}
	}
	if altered == 0 {
		t.Fatal("README.md has no `# 201` expectation to alter")
	}
	results := runReadme(t, bin, strings.Join(lines, "\n"))
	var failed []int
	for _, r := range results {
		if r.err != nil {
			failed = append(failed, r.line)
			if !strings.Contains(r.err.Error(), "status 201, README says 200") {
				t.Errorf("README.md:%d: %v", r.line, r.err)
			}
		}
	}
	// The curl command is the line above its expectation, or a few above
	// when it spans lines.
	if len(failed) != 1 || failed[0] >= altered || failed[0] < altered-5 {
		t.Fatalf("expectation at README.md:%d altered to 200: failing examples at lines %v, want the one command above it", altered, failed)
	}
}

// readmeResult is the outcome of one README command.
type readmeResult struct {
	line int // README line of the command
	err  error
}

// fence is a fenced block of README.md.
type fence struct {
	lang  string
	first int // README line of the block's first content line
	text  string
	skip  string // reason given by a readme-test: skip comment before it
}

var skipMarker = regexp.MustCompile(`^<!-- readme-test: skip \((.+)\) -->$`)

// fences returns README's fenced blocks in order.
func fences(readme string) ([]fence, error) {
	var out []fence
	lines := strings.Split(readme, "\n")
	for i := 0; i < len(lines); i++ {
		lang, ok := strings.CutPrefix(lines[i], "```")
		if !ok {
			continue
		}
		f := fence{lang: strings.TrimSpace(lang), first: i + 2}
		for j := i - 1; j >= 0; j-- {
			if prev := strings.TrimSpace(lines[j]); prev != "" {
				if m := skipMarker.FindStringSubmatch(prev); m != nil {
					f.skip = m[1]
				} else if strings.Contains(prev, "readme-test") {
					return nil, fmt.Errorf("README.md:%d: a readme-test comment reads <!-- readme-test: skip (reason) -->", j+1)
				}
				break
			}
		}
		end := i + 1
		for end < len(lines) && !strings.HasPrefix(lines[end], "```") {
			end++
		}
		if end == len(lines) {
			return nil, fmt.Errorf("README.md:%d: the block is never closed", i+1)
		}
		f.text = strings.Join(lines[i+1:end], "\n")
		out = append(out, f)
		i = end
	}
	return out, nil
}

// runReadme runs README's shell blocks in order and returns one result per
// command it ran or could not understand. A block is checked unless a
// `<!-- readme-test: skip (reason) -->` line comes right before it.
func runReadme(t *testing.T, bin, readme string) []readmeResult {
	t.Helper()
	blocks, err := fences(readme)
	if err != nil {
		t.Fatal(err)
	}
	var (
		results []readmeResult
		current *process              // the mockhub the README last started
		files   = map[string]string{} // last block of each language: a file a command names
	)
	for _, b := range blocks {
		if b.lang != "sh" {
			files[b.lang] = b.text
			continue
		}
		if b.skip != "" {
			t.Logf("README.md:%d: not run: %s", b.first-1, b.skip)
			continue
		}
		items, err := lexShell(b.text, b.first)
		if err != nil {
			results = append(results, readmeResult{b.first, err})
			continue
		}
		for i := 0; i < len(items); i++ {
			it := items[i]
			if it.words == nil {
				if expectationStart.MatchString(it.comment) {
					results = append(results, readmeResult{it.line, errors.New("an expected answer with no curl command right above it")})
				}
				continue
			}
			res := readmeResult{line: it.line}
			switch cmd := it.words[0]; {
			case cmd == "curl" || cmd == "for":
				var exp *expectation
				exp, i = readExpectation(items, i)
				res.err = runCurl(current, it.words, exp)
			case cmd == "mockhub" || cmd == "./mockhub" || isGo(it.words, "run"):
				args := it.words[1:]
				if cmd == "go" {
					args = it.words[3:]
				}
				if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
					res.err = fmt.Errorf("mockhub %s: this test starts servers only, not subcommands", args[0])
					break
				}
				dir := t.TempDir()
				if res.err = writeFiles(dir, args, files); res.err != nil {
					break
				}
				if current != nil {
					current.cmd.Process.Kill() // it held the README's port
					<-current.done
				}
				t.Logf("README.md:%d: %s", it.line, strings.Join(it.words, " "))
				current = start(t, bin, dir, args...)
			case isGo(it.words, "install") || isGo(it.words, "build", "-o", "mockhub"):
				// Builds the binary, which the test has built already.
			default:
				res.err = fmt.Errorf("%q is not a command this test runs (curl, a for loop of curl, mockhub, or go build/install/run ./cmd/mockhub); mark the block <!-- readme-test: skip (reason) --> if it cannot be checked", cmd)
			}
			results = append(results, res)
		}
	}
	return results
}

// isGo reports whether words are `go <sub> [args...] ./cmd/mockhub ...`.
func isGo(words []string, sub ...string) bool {
	n := 1 + len(sub)
	return len(words) > n && words[0] == "go" && slices.Equal(words[1:n], sub) && words[n] == "./cmd/mockhub"
}

// writeFiles writes each file a mockhub command line names (tokens.yaml,
// rules.json…) with the last block of its language shown before it. A path
// into the repository (fixtures/demo-portal.json) is the repository's file,
// which the reader has beside README.
func writeFiles(dir string, args []string, files map[string]string) error {
	for _, a := range args {
		if strings.HasPrefix(a, "--addr") {
			return errors.New("an example cannot choose --addr: the test gives mockhub a free port")
		}
		lang := strings.TrimPrefix(filepath.Ext(a), ".")
		if lang == "yml" {
			lang = "yaml"
		}
		if lang != "yaml" && lang != "json" {
			continue
		}
		if strings.Contains(a, "/") {
			data, err := os.ReadFile(filepath.Join("..", "..", a))
			if err != nil || !filepath.IsLocal(a) {
				return fmt.Errorf("%s is not a file of the repository (%v)", a, err)
			}
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(a)), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, a), data, 0o644); err != nil {
				return err
			}
			continue
		}
		text, ok := files[lang]
		if !ok {
			return fmt.Errorf("no ```%s block before the command shows %s", lang, a)
		}
		if err := os.WriteFile(filepath.Join(dir, a), []byte(text+"\n"), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// shItem is a command of a shell block, or a comment on a line of its own
// (words nil).
type shItem struct {
	line    int
	words   []string
	comment string // the text after '#', untrimmed
}

// shOp marks a `;` that separates commands, so that a quoted ";" stays a word.
const shOp = "\x00;"

// lexShell splits a shell block into commands and comment lines. It knows
// quotes, backslash line continuations, `;` and comments, and refuses the
// rest of the shell's syntax (expansions, pipes, redirections, globs) rather
// than misread it.
func lexShell(text string, first int) ([]shItem, error) {
	var (
		items   []shItem
		words   []string
		word    strings.Builder
		inWord  bool
		line    = first
		cmdLine int
	)
	src := []rune(text)
	begin := func() {
		if !inWord && len(words) == 0 {
			cmdLine = line
		}
		inWord = true
	}
	flush := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	endCmd := func() {
		flush()
		if len(words) > 0 {
			items = append(items, shItem{line: cmdLine, words: words})
			words = nil
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n':
			endCmd()
			line++
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !inWord:
			end := i
			for end < len(src) && src[end] != '\n' {
				end++
			}
			if len(words) == 0 {
				items = append(items, shItem{line: line, comment: string(src[i+1 : end])})
			} // else a remark after a command, for the reader
			i = end - 1
		case c == ';':
			flush()
			if len(words) == 0 {
				cmdLine = line
			}
			words = append(words, shOp)
		case c == '\\':
			if i+1 == len(src) {
				return nil, fmt.Errorf("README.md:%d: a backslash ends the block", line)
			}
			i++
			if src[i] == '\n' {
				line++ // a continuation
				continue
			}
			begin()
			word.WriteRune(src[i])
		case c == '\'':
			begin()
			end := i + 1
			for end < len(src) && src[end] != '\'' {
				if src[end] == '\n' {
					line++
				}
				end++
			}
			if end == len(src) {
				return nil, fmt.Errorf("README.md:%d: unterminated single quote", cmdLine)
			}
			word.WriteString(string(src[i+1 : end]))
			i = end
		case c == '"':
			begin()
			i++
			for ; i < len(src) && src[i] != '"'; i++ {
				switch src[i] {
				case '$', '`':
					return nil, fmt.Errorf("README.md:%d: %q inside double quotes: expansions are not supported by this test; use single quotes", line, src[i])
				case '\\':
					if i+1 < len(src) && strings.ContainsRune("$`\"\\\n", src[i+1]) {
						i++
						if src[i] == '\n' {
							line++
							continue
						}
					}
				case '\n':
					line++
				}
				word.WriteRune(src[i])
			}
			if i == len(src) {
				return nil, fmt.Errorf("README.md:%d: unterminated double quote", cmdLine)
			}
		case strings.ContainsRune("$`|&<>()*?[{}", c):
			return nil, fmt.Errorf("README.md:%d: %q outside quotes: this test runs plain commands only; quote it or mark the block <!-- readme-test: skip (reason) -->", line, c)
		default:
			begin()
			word.WriteRune(c)
		}
	}
	endCmd()
	return items, nil
}

// expectation is the answer README shows under a curl command.
type expectation struct {
	line       int
	status     int
	statusLine string   // "HTTP/1.1 503 Service Unavailable", for curl -i
	headers    []string // "Name: value" lines, for curl -i
	body       string   // a JSON pattern (see matchJSON); empty: no body
}

var (
	expectationStart = regexp.MustCompile(`^ (\d{3}|HTTP/\S+ \d{3})( |$)`)
	headerLine       = regexp.MustCompile(`^[A-Za-z0-9-]+: `)
)

// readExpectation reads the expected answer in the comment lines after the
// command at items[i]: `# <status> [json]` (the JSON may go on over comment
// lines indented by two or more spaces), or for curl -i `# HTTP/1.1 <status>
// <reason>`, `# Name: value` lines (`# …` for those left out) and a line of
// JSON. It returns the index of
// the last item read.
func readExpectation(items []shItem, i int) (*expectation, int) {
	if i+1 >= len(items) || items[i+1].words != nil || !expectationStart.MatchString(items[i+1].comment) {
		return nil, i
	}
	i++
	first := strings.TrimSpace(items[i].comment)
	exp := &expectation{line: items[i].line}
	var body []string
	if strings.HasPrefix(first, "HTTP/") {
		exp.statusLine = first
		for i+1 < len(items) && items[i+1].words == nil {
			c := strings.TrimSpace(items[i+1].comment)
			if (headerLine.MatchString(c) || c == "…" || c == "...") && len(body) == 0 {
				if headerLine.MatchString(c) {
					exp.headers = append(exp.headers, c)
				} // else headers left out
			} else if len(body) == 0 && (strings.HasPrefix(c, "{") || strings.HasPrefix(c, "[")) {
				body = append(body, c)
			} else if len(body) > 0 && strings.HasPrefix(items[i+1].comment, "  ") {
				body = append(body, c)
			} else {
				break
			}
			i++
		}
	} else {
		status, rest, _ := strings.Cut(first, " ")
		exp.status, _ = strconv.Atoi(status)
		if rest = strings.TrimSpace(rest); rest != "" {
			body = append(body, rest)
		}
		for i+1 < len(items) && items[i+1].words == nil && strings.HasPrefix(items[i+1].comment, "  ") {
			i++
			body = append(body, strings.TrimSpace(items[i].comment))
		}
	}
	exp.body = strings.Join(body, " ")
	return exp, i
}

// curlRequest is what a curl command line asks for.
type curlRequest struct {
	method  string
	url     string
	header  http.Header
	data    *string
	include bool // -i: the answer's status line and headers are shown
	discard bool // -o /dev/null: nothing is shown
}

// parseCurl reads the curl options README uses: -s, -S, -i, -X, -H, -d and
// -o /dev/null, and one URL.
func parseCurl(args []string) (*curlRequest, error) {
	r := &curlRequest{header: http.Header{}}
	next := func(i int) (string, error) {
		if i+1 >= len(args) {
			return "", fmt.Errorf("curl %s needs a value", args[i])
		}
		return args[i+1], nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		var err error
		var v string
		switch {
		case a == "-s" || a == "--silent" || a == "-S" || a == "--show-error":
		case a == "-i" || a == "--include":
			r.include = true
		case a == "-X" || a == "--request":
			r.method, err = next(i)
			i++
		case a == "-H" || a == "--header":
			if v, err = next(i); err == nil {
				name, value, ok := strings.Cut(v, ":")
				if !ok {
					return nil, fmt.Errorf("curl -H %q: no colon", v)
				}
				r.header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
			}
			i++
		case a == "-d" || a == "--data" || a == "--data-raw":
			if v, err = next(i); err == nil {
				if strings.HasPrefix(v, "@") && a != "--data-raw" {
					return nil, fmt.Errorf("curl %s @file is not supported by this test", a)
				}
				if r.data != nil {
					v = *r.data + "&" + v // as curl joins several -d
				}
				r.data = &v
			}
			i++
		case a == "-o" || a == "--output":
			if v, err = next(i); err == nil && v != "/dev/null" {
				err = fmt.Errorf("curl -o %s: only /dev/null is supported by this test", v)
			}
			r.discard = true
			i++
		case len(a) > 2 && a[0] == '-' && a[1] != '-' && strings.Trim(a[1:], "sSi") == "":
			r.include = r.include || strings.Contains(a, "i")
		case strings.HasPrefix(a, "-"):
			return nil, fmt.Errorf("curl option %s is not supported by this test", a)
		case r.url != "":
			return nil, fmt.Errorf("curl with two URLs (%s, %s)", r.url, a)
		default:
			r.url = a
		}
		if err != nil {
			return nil, err
		}
	}
	if !strings.HasPrefix(r.url, readmeAddr+"/") {
		return nil, fmt.Errorf("curl URL %q does not start with %s/", r.url, readmeAddr)
	}
	if r.method == "" {
		r.method = "GET"
		if r.data != nil {
			r.method = "POST"
		}
	}
	// What curl sends unless told otherwise.
	if r.data != nil && r.header.Get("Content-Type") == "" {
		r.header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if r.header.Get("Accept") == "" {
		r.header.Set("Accept", "*/*")
	}
	if r.header.Get("User-Agent") == "" {
		r.header.Set("User-Agent", "curl")
	}
	return r, nil
}

// runCurl runs a curl command, or `for V in W...; do curl ...; done`, against
// p and checks its answer against exp.
func runCurl(p *process, words []string, exp *expectation) error {
	times := 1
	if words[0] == "for" {
		do := slices.Index(words, "do")
		if len(words) < 8 || words[2] != "in" || do < 5 || words[do-1] != shOp || words[len(words)-1] != "done" || words[len(words)-2] != shOp || words[do+1] != "curl" {
			return errors.New("a for loop this test runs reads `for i in 1 2 3; do curl ...; done`")
		}
		times = do - 4
		words = words[do+1 : len(words)-2]
	}
	if slices.Contains(words, shOp) {
		return errors.New("one command per line, please: `;` is only supported in a for loop")
	}
	req, err := parseCurl(words[1:])
	if err != nil {
		return err
	}
	switch {
	case req.discard && exp != nil:
		return fmt.Errorf("README.md:%d shows an answer, but curl -o /dev/null shows nothing", exp.line)
	case times > 1 && !req.discard:
		return errors.New("a curl in a for loop shows one answer per turn: give it -o /dev/null")
	case !req.discard && exp == nil:
		return errors.New("no expected answer under the command: add `# <status> <json>` (… or ... for what varies)")
	case exp != nil && !req.include && exp.statusLine != "":
		return fmt.Errorf("README.md:%d shows a status line, which curl shows only with -i", exp.line)
	case exp != nil && req.include && exp.statusLine == "":
		return fmt.Errorf("curl -i shows the status line: README.md:%d should read `# HTTP/1.1 <status> <reason>`", exp.line)
	}
	if p == nil {
		return errors.New("no mockhub was started before this example")
	}
	client := &http.Client{
		Timeout: 30 * time.Second,
		// curl makes a connection per command and does not ask for gzip.
		Transport: &http.Transport{DisableKeepAlives: true, DisableCompression: true},
		// Nor does it follow a redirect without -L: it shows it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	for n := 0; n < times; n++ {
		var body io.Reader
		if req.data != nil {
			body = strings.NewReader(*req.data)
		}
		hreq, err := http.NewRequest(req.method, "http://"+p.addr+strings.TrimPrefix(req.url, readmeAddr), body)
		if err != nil {
			return err
		}
		hreq.Header = req.header.Clone()
		resp, err := client.Do(hreq)
		if err != nil {
			return err
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if exp != nil {
			if err := exp.check(resp, string(got)); err != nil {
				return fmt.Errorf("%v\n(expected at README.md:%d)", err, exp.line)
			}
		}
	}
	return nil
}

// check compares an answer with what README shows.
func (exp *expectation) check(resp *http.Response, body string) error {
	if exp.statusLine != "" {
		if got := resp.Proto + " " + resp.Status; got != exp.statusLine {
			return fmt.Errorf("status line %q, README says %q; body: %s", got, exp.statusLine, body)
		}
	} else if resp.StatusCode != exp.status {
		return fmt.Errorf("status %d, README says %d; body: %s", resp.StatusCode, exp.status, body)
	}
	for _, h := range exp.headers {
		name, value, _ := strings.Cut(h, ": ")
		if name != http.CanonicalHeaderKey(name) {
			return fmt.Errorf("header %s is sent as %s", name, http.CanonicalHeaderKey(name))
		}
		if got := resp.Header.Values(name); len(got) != 1 || !globMatch(value, got[0]) {
			return fmt.Errorf("header %s: %q, README says %q", name, got, value)
		}
	}
	if exp.body == "" {
		if body != "" {
			return fmt.Errorf("body %s, README shows none", body)
		}
		return nil
	}
	pat, err := parsePattern(exp.body)
	if err != nil {
		return fmt.Errorf("README's JSON does not parse: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var got any
	if err := dec.Decode(&got); err != nil {
		return fmt.Errorf("body is not JSON (%v): %s", err, body)
	}
	if err := pat.match("$", got); err != nil {
		return fmt.Errorf("%v\nbody: %s", err, body)
	}
	return nil
}

// A pattern is the JSON README shows, where `…` or `...` stands for what
// varies: a whole value ("correlationId":"…"), part of a string ("…:26Z"),
// any run of array elements (["a",…]) or any further members of an object
// ({"a":1,…}). Anything not elided must be there as shown, and an object
// without `…` has exactly the members shown (their order is free).
type pattern interface {
	match(path string, v any) error
}

type (
	anyPattern    struct{}
	objectPattern struct {
		keys []string
		vals map[string]pattern
		open bool
	}
	arrayPattern   struct{ elems []pattern } // anyPattern elements match any run
	stringPattern  string
	literalPattern string // a number, true, false or null, as written
)

func (anyPattern) match(string, any) error { return nil }

func (o objectPattern) match(path string, v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: %s, README shows an object", path, show(v))
	}
	for _, k := range o.keys {
		got, ok := m[k]
		if !ok {
			return fmt.Errorf("%s: no %q, README shows it", path, k)
		}
		if err := o.vals[k].match(path+"."+k, got); err != nil {
			return err
		}
	}
	if !o.open {
		var extra []string
		for k := range m {
			if _, ok := o.vals[k]; !ok {
				extra = append(extra, k)
			}
		}
		if len(extra) > 0 {
			slices.Sort(extra)
			return fmt.Errorf("%s: has %q, which README does not show (write … for members left out)", path, extra)
		}
	}
	return nil
}

func (a arrayPattern) match(path string, v any) error {
	vs, ok := v.([]any)
	if !ok {
		return fmt.Errorf("%s: %s, README shows an array", path, show(v))
	}
	return matchSeq(path, 0, a.elems, vs)
}

// matchSeq matches elements pats against vs from index at; an anyPattern
// element matches any run, shortest first.
func matchSeq(path string, at int, pats []pattern, vs []any) error {
	if len(pats) == 0 {
		if len(vs) > 0 {
			return fmt.Errorf("%s: %d more element(s) than README shows: %s", path, len(vs), show(vs))
		}
		return nil
	}
	if _, ok := pats[0].(anyPattern); ok {
		var err error
		for skip := 0; skip <= len(vs); skip++ {
			if err = matchSeq(path, at+skip, pats[1:], vs[skip:]); err == nil {
				return nil
			}
		}
		return err
	}
	if len(vs) == 0 {
		return fmt.Errorf("%s: fewer elements than README shows", path)
	}
	if err := pats[0].match(fmt.Sprintf("%s[%d]", path, at), vs[0]); err != nil {
		return err
	}
	return matchSeq(path, at+1, pats[1:], vs[1:])
}

func (s stringPattern) match(path string, v any) error {
	if got, ok := v.(string); !ok || !globMatch(string(s), got) {
		return fmt.Errorf("%s: %s, README shows %q", path, show(v), string(s))
	}
	return nil
}

func (l literalPattern) match(path string, v any) error {
	if show(v) != string(l) {
		return fmt.Errorf("%s: %s, README shows %s", path, show(v), string(l))
	}
	return nil
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// globMatch reports whether s is pat with each `…` or `...` standing for any
// text.
func globMatch(pat, s string) bool {
	parts := strings.Split(strings.ReplaceAll(pat, "...", "…"), "…")
	if len(parts) == 1 {
		return pat == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// parsePattern parses README's JSON with its elisions.
func parsePattern(text string) (pattern, error) {
	p := &patternParser{src: text}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	if p.skipSpace(); p.pos != len(p.src) {
		return nil, fmt.Errorf("text after the JSON: %q", p.src[p.pos:])
	}
	return v, nil
}

type patternParser struct {
	src string
	pos int
}

func (p *patternParser) skipSpace() {
	for p.pos < len(p.src) && strings.ContainsRune(" \t\n\r", rune(p.src[p.pos])) {
		p.pos++
	}
}

// ellipsis consumes `…` or `...` if it comes next.
func (p *patternParser) ellipsis() bool {
	p.skipSpace()
	for _, e := range []string{"…", "..."} {
		if strings.HasPrefix(p.src[p.pos:], e) {
			p.pos += len(e)
			return true
		}
	}
	return false
}

func (p *patternParser) fail(what string) error {
	return fmt.Errorf("%s at %q", what, p.src[p.pos:])
}

// next consumes one of chars and returns it.
func (p *patternParser) next(chars string) (byte, error) {
	p.skipSpace()
	if p.pos < len(p.src) && strings.IndexByte(chars, p.src[p.pos]) >= 0 {
		p.pos++
		return p.src[p.pos-1], nil
	}
	return 0, p.fail(fmt.Sprintf("want one of %q", chars))
}

func (p *patternParser) value() (pattern, error) {
	if p.ellipsis() {
		return anyPattern{}, nil
	}
	if p.pos == len(p.src) {
		return nil, p.fail("want a value")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		p.pos++
		o := objectPattern{vals: map[string]pattern{}}
		if p.skipSpace(); strings.HasPrefix(p.src[p.pos:], "}") {
			p.pos++
			return o, nil
		}
		for {
			if p.ellipsis() {
				o.open = true
			} else {
				p.skipSpace()
				key, err := p.str()
				if err != nil {
					return nil, err
				}
				if _, err := p.next(":"); err != nil {
					return nil, err
				}
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				if _, dup := o.vals[key]; dup {
					return nil, p.fail("key " + key + " twice")
				}
				o.keys = append(o.keys, key)
				o.vals[key] = v
			}
			if c, err := p.next(",}"); err != nil {
				return nil, err
			} else if c == '}' {
				return o, nil
			}
		}
	case c == '[':
		p.pos++
		var a arrayPattern
		if p.skipSpace(); strings.HasPrefix(p.src[p.pos:], "]") {
			p.pos++
			return a, nil
		}
		for {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			a.elems = append(a.elems, v)
			if c, err := p.next(",]"); err != nil {
				return nil, err
			} else if c == ']' {
				return a, nil
			}
		}
	case c == '"':
		s, err := p.str()
		return stringPattern(s), err
	default:
		end := p.pos
		for end < len(p.src) && strings.IndexByte("+-.0123456789abcdefghijklmnopqrstuvwxyzE", p.src[end]) >= 0 {
			end++
		}
		lit := p.src[p.pos:end]
		var v any
		if lit == "" || json.Unmarshal([]byte(lit), &v) != nil {
			return nil, p.fail("want a JSON value")
		}
		p.pos = end
		return literalPattern(lit), nil
	}
}

// str reads a JSON string.
func (p *patternParser) str() (string, error) {
	if !strings.HasPrefix(p.src[p.pos:], `"`) {
		return "", p.fail("want a string")
	}
	end := p.pos + 1
	for end < len(p.src) && p.src[end] != '"' {
		if p.src[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(p.src) {
		return "", p.fail("unterminated string")
	}
	var s string
	if err := json.Unmarshal([]byte(p.src[p.pos:end+1]), &s); err != nil {
		return "", p.fail(err.Error())
	}
	p.pos = end + 1
	return s, nil
}

func TestReadmePattern(t *testing.T) {
	for _, c := range []struct {
		pattern, body string
		ok            bool
	}{
		{`{"a":1,"b":"x"}`, `{"b":"x","a":1}`, true},
		{`{"a":1}`, `{"a":1,"b":2}`, false},
		{`{"a":1,…}`, `{"a":1,"b":2}`, true},
		{`{"a":1,...}`, `{"b":2}`, false},
		{`{...}`, `[]`, false},
		{`{"a":"…"}`, `{"a":{"deep":true}}`, false},
		{`{"a":…}`, `{"a":{"deep":true}}`, true},
		{`"pre…post"`, `"pre and post"`, true},
		{`"pre…post"`, `"pre and past"`, false},
		{`"…:26.296Z"`, `"2026-11-29T22:15:06.146Z"`, false},
		{`["a",…]`, `["a","b","c"]`, true},
		{`["a",…]`, `["b","a"]`, false},
		{`[…,"c"]`, `["a","b","c"]`, true},
		{`[{"x":1}]`, `[{"x":1},{"x":2}]`, false},
		{`[]`, `[1]`, false},
		{`[…]`, `[]`, true},
		{`{"n":1}`, `{"n":1.0}`, false},
		{`{"n":null,"t":true}`, `{"n":null,"t":true}`, true},
		{`{"n":null}`, `{"n":false}`, false},
	} {
		pat, err := parsePattern(c.pattern)
		if err != nil {
			t.Errorf("%s: %v", c.pattern, err)
			continue
		}
		dec := json.NewDecoder(strings.NewReader(c.body))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if err := pat.match("$", v); (err == nil) != c.ok {
			t.Errorf("%s against %s: %v, want match %v", c.pattern, c.body, err, c.ok)
		}
	}
	for _, bad := range []string{`{"a":1`, `{"a" 1}`, `[1 2]`, `{a:1}`, `{"a":1} x`, `"open`} {
		if _, err := parsePattern(bad); err == nil {
			t.Errorf("%s parses", bad)
		}
	}
}

func TestReadmeShellLexer(t *testing.T) {
	for _, c := range []struct {
		text string
		want []shItem
		err  bool
	}{
		{"curl -s 'a b' \\\n  -H \"x: \\\"y\\\"\" # remark\n# 200 {}", []shItem{
			{line: 10, words: []string{"curl", "-s", "a b", "-H", `x: "y"`}},
			{line: 12, comment: " 200 {}"},
		}, false},
		{"mockhub\n\ncurl x", []shItem{
			{line: 10, words: []string{"mockhub"}},
			{line: 12, words: []string{"curl", "x"}},
		}, false},
		{"for i in 1 2; do curl x; done", []shItem{
			{line: 10, words: []string{"for", "i", "in", "1", "2", shOp, "do", "curl", "x", shOp, "done"}},
		}, false},
		{"a#b ';'", []shItem{{line: 10, words: []string{"a#b", ";"}}}, false},
		{"curl $URL", nil, true},
		{`curl "$URL"`, nil, true},
		{"curl x | jq", nil, true},
		{"curl x > out", nil, true},
		{"curl 'x", nil, true},
	} {
		got, err := lexShell(c.text, 10)
		if (err != nil) != c.err || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %#v, %v; want %#v (error %v)", c.text, got, err, c.want, c.err)
		}
	}
}
