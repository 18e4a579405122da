package faults

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
)

func TestParseHeader(t *testing.T) {
	tests := []struct {
		header string
		want   string // JSON of the Spec, empty for an error
	}{
		{"status;status=503", `{"kind":"status","status":503}`},
		{"status; status=429 ;policy=DAILY", `{"kind":"status","status":429,"policy":"DAILY"}`},
		{"status;status=429", `{"kind":"status","status":429,"policy":"TEN_SECONDLY_ROLLING"}`},
		{"status;status=477", `{"kind":"status","status":477,"retryAfter":60}`},
		{"latency;ms=250", `{"kind":"latency","ms":250}`},
		{"latency;ms=250;jitterMs=50", `{"kind":"latency","ms":250,"jitterMs":50}`},
		{"hang", `{"kind":"hang"}`},
		{"reset", `{"kind":"reset"}`},
		{"empty;", `{"kind":"empty"}`},
		{"malformed", `{"kind":"malformed"}`},
		{"batchStatus;status=PENDING", `{"kind":"batchStatus","status":"PENDING","applyAfterMs":1000}`},
		{"batchStatus;status=CANCELED", `{"kind":"batchStatus","status":"CANCELED"}`},
		{"partial;failInputs=2", `{"kind":"partial","failInputs":2}`},
		{"partial", `{"kind":"partial","failInputs":1}`},
		{"", ""},
		{"nope", ""},
		{"status", ""},
		{"status;status=200", ""},
		{"status;status=abc", ""},
		{"status;status=503;status=500", ""},
		{"status;status=503;policy=DAILY", ""},
		{"status;status=503;bogus=1", ""},
		{"latency;ms=-1", ""},
		{"latency;ms=1e12", ""},
		{"latency;ms=600000", `{"kind":"latency","ms":600000}`},
		{"latency;ms=600000;jitterMs=1", ""},
		{"latency;ms=9223372036854775807;jitterMs=1", ""},
		{"latency;ms=1;jitterMs=9223372036854775807", ""},
		{"latency;ms", ""},
		{"latency;=5", ""},
		{"batchStatus;status=COMPLETE", ""},
		{"batchStatus;status=CANCELED;applyAfterMs=5", ""},
		{"partial;failInputs=-1", ""},
		{"partial;failInputs=1.5", ""},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			f, err := ParseHeader(tt.header)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("ParseHeader accepted %q", tt.header)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(Spec{f})
			if string(got) != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRuleJSON(t *testing.T) {
	in := `{"id":"r","match":{"method":"post","path":"/crm/**","portal":7,"header":{"X-Test":"a"}},"fault":{"kind":"status","status":503},"times":2,"after":1,"probability":0.5}`
	var r Rule
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(r)
	if string(out) != strings.Replace(in, `"post"`, `"post"`, 1) {
		t.Errorf("round trip: %s", out)
	}
	bad := []string{
		`{"fault":{"kind":"status"}}`,
		`{"fault":{"kind":"status","status":503,"x":1}}`,
		`{"fault":{}}`,
		`{"fault":"status"}`,
		`{"fault":null}`,
		`{"fault":{"kind":"warp"}}`,
	}
	for _, b := range bad {
		var r Rule
		if err := json.Unmarshal([]byte(b), &r); err == nil {
			if _, err := compile(r); err == nil {
				t.Errorf("%s accepted", b)
			}
		}
	}
}

func TestCompileRejects(t *testing.T) {
	neg, p2, zero := -1, 2.0, int64(0)
	st := Spec{&Status{Status: 503}}
	for name, r := range map[string]Rule{
		"no fault":    {},
		"times":       {Fault: st, Times: &neg},
		"after":       {Fault: st, After: -1},
		"probability": {Fault: st, Probability: &p2},
		"method":      {Fault: st, Match: Match{Method: "GE T"}},
		"path":        {Fault: st, Match: Match{Path: "nope"}},
		"portal":      {Fault: st, Match: Match{Portal: &zero}},
		"header":      {Fault: st, Match: Match{Header: map[string]string{"": "x"}}},
		"id":          {Fault: st, ID: "a/b"},
	} {
		if _, err := compile(r); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func seq(seed uint64) Random { return rand.New(rand.NewPCG(seed, seed)) }

func TestDecideCounting(t *testing.T) {
	two := 2
	s, err := NewSet(seq(1), []Rule{{ID: "r", Match: Match{Method: "POST"}, Fault: Spec{&Status{Status: 429}}, Times: &two, After: 1}})
	if err != nil {
		t.Fatal(err)
	}
	req := &Request{Method: "POST", Path: "/x"}
	var got []bool
	for range 5 {
		_, fired := s.Decide(req)
		got = append(got, fired)
	}
	want := []bool{false, true, true, false, false}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("fired = %v, want %v", got, want)
		}
	}
	if _, fired := s.Decide(&Request{Method: "GET", Path: "/x"}); fired {
		t.Error("GET fired a POST rule")
	}
	st := s.List()[0]
	if st.Matched != 5 || st.Fired != 2 {
		t.Errorf("counters = %d matched, %d fired", st.Matched, st.Fired)
	}
	s.Reset()
	if st := s.List()[0]; st.Matched != 0 || st.Fired != 0 {
		t.Errorf("after reset: %+v", st)
	}
}

func TestDecideMatchFields(t *testing.T) {
	portal := int64(42)
	s, _ := NewSet(seq(1), nil)
	if _, err := s.Add(Rule{Match: Match{Portal: &portal, Header: map[string]string{"X-Test": "yes"}}, Fault: Spec{&Reset{}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(Rule{Fault: Spec{&Partial{FailInputs: 1}}}); err != nil {
		t.Fatal(err)
	}
	h := http.Header{"X-Test": {"yes"}}
	tests := []struct {
		req  Request
		want string
	}{
		{Request{Method: "GET", Portal: 42, Header: h}, "rule-1"},
		{Request{Method: "GET", Portal: 43, Header: h}, ""},
		{Request{Method: "GET", Portal: 42}, ""},
		{Request{Method: "GET", Portal: 43, Batch: true}, "rule-2"},
	}
	for _, tt := range tests {
		d, _ := s.Decide(&tt.req)
		if d.RuleID != tt.want {
			t.Errorf("%+v: rule %q, want %q", tt.req, d.RuleID, tt.want)
		}
	}
}

func TestProbabilityIsSeeded(t *testing.T) {
	pattern := func(seed uint64) string {
		half := 0.5
		s, _ := NewSet(seq(seed), []Rule{{Fault: Spec{&Status{Status: 503}}, Probability: &half}})
		var b strings.Builder
		for range 64 {
			if _, fired := s.Decide(&Request{Method: "GET", Path: "/"}); fired {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	a, b, c := pattern(7), pattern(7), pattern(8)
	if a != b {
		t.Errorf("same seed, different patterns:\n%s\n%s", a, b)
	}
	if a == c {
		t.Errorf("different seeds, same pattern %s", a)
	}
	if !strings.Contains(a, "x") || !strings.Contains(a, ".") {
		t.Errorf("probability 0.5 gave %s", a)
	}
}

func TestGoRulesAreChecked(t *testing.T) {
	s, _ := NewSet(seq(1), nil)
	r, err := s.Add(Rule{Fault: Spec{&Status{Status: 477}}})
	if err != nil || r.Fault.Fault.(*Status).RetryAfter != 60 {
		t.Fatalf("%+v %v", r, err)
	}
	if _, err := s.Add(Rule{Fault: Spec{&Status{Status: 200}}}); err == nil {
		t.Error("status 200 accepted")
	}
}

func TestSetAddRemove(t *testing.T) {
	s, _ := NewSet(seq(1), nil)
	if s.Armed() {
		t.Fatal("empty set is armed")
	}
	r, err := s.Add(Rule{ID: "mine", Fault: Spec{&Hang{}}})
	if err != nil || r.ID != "mine" {
		t.Fatal(r, err)
	}
	if _, err := s.Add(Rule{ID: "mine", Fault: Spec{&Hang{}}}); err == nil {
		t.Error("duplicate id accepted")
	}
	if !s.Armed() || !s.Remove("mine") || s.Remove("mine") || s.Armed() {
		t.Error("remove did not disarm")
	}
}

func TestParseFile(t *testing.T) {
	yamlDoc := `
rules:
  - id: slow
    match: {method: GET, path: /crm/**}
    fault: {kind: latency, ms: 100, jitterMs: 20}
  - match: {path: "/crm/associations/*/definitions/configurations/*/*/batch/create"}
    fault: {kind: status, status: 429, policy: DAILY}
    times: 2
`
	rules, err := ParseFile([]byte(yamlDoc))
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 2 || rules[0].Fault.Kind() != KindLatency || *rules[1].Times != 2 {
		t.Fatalf("rules = %+v", rules)
	}
	jsonDoc := `{"rules":[{"fault":{"kind":"reset"},"probability":0.1}]}`
	if rules, err := ParseFile([]byte(jsonDoc)); err != nil || len(rules) != 1 {
		t.Fatal(rules, err)
	}
	for _, bad := range []string{"", "rules: 5", `{"rules":[{"fault":{"kind":"status","status":999}}]}`, `{"rulez":[]}`, "rules:\n  - fault: {kind: reset}\n    after: -2\n"} {
		if _, err := ParseFile([]byte(bad)); err == nil {
			t.Errorf("ParseFile(%q) succeeded", bad)
		}
	}
}

func FuzzParseHeader(f *testing.F) {
	for _, s := range []string{"status;status=503", "latency;ms=1;jitterMs=2", "batchStatus;status=PENDING;applyAfterMs=5", ";;=", "partial;failInputs=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ParseHeader(s)
	})
}

func FuzzRule(f *testing.F) {
	for _, s := range []string{
		`{"match":{"method":"GET","path":"/crm/**/x/*"},"fault":{"kind":"latency","ms":5,"jitterMs":3},"times":1,"after":2,"probability":0.3}`,
		`{"fault":{"kind":"batchStatus","status":"PENDING","applyAfterMs":10}}`,
		`{"fault":{"kind":"status","status":429,"policy":"DAILY"},"match":{"header":{"A":"b"},"portal":3}}`,
	} {
		f.Add(s, "/crm/a/x/b", "GET")
	}
	f.Fuzz(func(t *testing.T, rule, path, method string) {
		var r Rule
		if json.Unmarshal([]byte(rule), &r) != nil {
			return
		}
		s, err := NewSet(seq(1), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Add(r); err != nil {
			return
		}
		d, fired := s.Decide(&Request{Method: method, Path: path, Header: http.Header{}})
		if fired {
			if l, ok := d.Fault.(*Latency); ok {
				_ = l.Delay(seq(2))
			}
			_, _ = json.Marshal(Spec{d.Fault})
		}
	})
}

func BenchmarkDecideNoRules(b *testing.B) {
	s, _ := NewSet(seq(1), nil)
	b.ReportAllocs()
	for b.Loop() {
		if s.Armed() {
			b.Fatal("armed")
		}
	}
}

// TestRuleErrorsArePlain: a rules file, a rule or a header with a value of
// the wrong type is refused in plain words, naming the field.
func TestRuleErrorsArePlain(t *testing.T) {
	tests := []struct {
		name string
		err  func() error
		want string
	}{
		{"file, YAML", func() error {
			_, err := ParseFile([]byte("rules:\n  - fault: {kind: latency, ms: abc}\n"))
			return err
		}, "fault latency: ms must be a whole number, got a string"},
		{"file, JSON", func() error {
			_, err := ParseFile([]byte(`{"rules":[{"match":{"path":5},"fault":{"kind":"hang"}}]}`))
			return err
		}, "rules.match.path must be a string, got a number"},
		{"file, unknown field", func() error {
			_, err := ParseFile([]byte(`{"rules":[],"extra":1}`))
			return err
		}, `unknown field "extra"`},
		{"rule", func() error {
			var r Rule
			return json.Unmarshal([]byte(`{"fault":{"kind":"status","status":"503"}}`), &r)
		}, "fault status: status must be a whole number, got a string"},
		{"header", func() error {
			_, err := ParseHeader("latency;ms=soon")
			return err
		}, "fault latency: ms must be a whole number, got a string"},
		{"missing file", func() error {
			_, err := LoadFile("/nonexistent/faults.yaml")
			return err
		}, "/nonexistent/faults.yaml: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			for _, internal := range []string{"json:", "Go struct", "Go value", "open "} {
				if strings.Contains(err.Error(), internal) {
					t.Fatalf("err %q shows Go's %q", err, internal)
				}
			}
		})
	}
}
