package server_test

import (
	"strconv"
	"sync"
	"testing"

	"github.com/mockhub/mockhub/internal/faults"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/server"
)

// TestConcurrentFaultsAndResets drives requests, rule changes and resets at
// once; under -race it checks that the guards share nothing unsafely.
func TestConcurrentFaultsAndResets(t *testing.T) {
	tier, _ := ratelimit.ParseTier("enterprise")
	boot, err := faults.ParseFile([]byte(`{"rules":[{"id":"boot","fault":{"kind":"status","status":477},"probability":0.2}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, server.Config{RateLimit: &tier, FaultRules: boot})
	var wg sync.WaitGroup
	headers := []string{"", "status;status=503", "partial", "batchStatus;status=PENDING;applyAfterMs=0", "malformed", "latency;ms=1"}
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok := "pat-na1-c" + strconv.Itoa(g%2)
			for i := range 30 {
				h := map[string]string{}
				if v := headers[(g+i)%len(headers)]; v != "" {
					h["X-Mockhub-Fault"] = v
				}
				if _, err := e.send("POST", limitsPath("2026-03", "/batch/create"), tok, threeInputs, h); err != nil {
					t.Error(err)
					return
				}
				if _, err := e.send("GET", limitsPath("v4", ""), tok, "", nil); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 20 {
			e.send("POST", "/_mockhub/faults", "", `{"fault":{"kind":"status","status":500},"probability":0.3,"match":{"method":"GET"}}`, nil)
			e.send("GET", "/_mockhub/faults", "", "", nil)
			if i%5 == 4 {
				e.send("POST", "/_mockhub/reset", "", "", nil)
			}
		}
	}()
	wg.Wait()
}
