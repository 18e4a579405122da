package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAcknowledgedPendingBatchSurvivesSIGKILL: a batch a batchStatus fault
// answered PENDING or PROCESSING is owed from its 2xx on. It is saved with
// the answer, so a SIGKILL before it is due does not lose it: the restarted
// server applies it when it falls due.
func TestAcknowledgedPendingBatchSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := binary(t)
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	p := start(t, bin, dir, "--data-dir", dataDir)

	deferred := []struct {
		token, fault string
	}{
		{"pat-na1-pending", "batchStatus;status=PENDING;applyAfterMs=1500"},
		{"pat-na1-processing", "batchStatus;status=PROCESSING;applyAfterMs=1000"},
	}
	for _, d := range deferred {
		req, err := http.NewRequest("POST", "http://"+p.addr+seedPath+"/batch/create", strings.NewReader(seedBody))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+d.token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Mockhub-Fault", d.fault)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 201 {
			t.Fatalf("%s: %d", d.fault, resp.StatusCode)
		}
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.wait(t, 10*time.Second)

	p = start(t, bin, dir, "--data-dir", dataDir)
	for _, d := range deferred {
		// Poll until due (at most a few seconds away); a generous deadline
		// only stops a broken server from hanging the test.
		deadline := time.Now().Add(30 * time.Second)
		for {
			status, body := p.do(t, "GET", seedPath, d.token, "")
			if status == 200 && strings.Contains(body, `"userEnforcedMaxToObjectIds":5`) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the acknowledged batch was never applied after SIGKILL and restart: %d %s\n%s", d.fault, status, body, p.log())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}
