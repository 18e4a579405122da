// Command startup measures start-up to the first answer: it execs a server
// on a loopback address and retries one GET until an HTTP answer comes back,
// a bounded number of times, and reports the fastest, median and slowest
// runs. Several commands are measured in turns, so that a noisy machine
// weighs on all of them alike:
//
//	go build -o /tmp/mockhub ./cmd/mockhub && go build -o /tmp/bare ./bench/bare
//	go run ./bench/startup "/tmp/mockhub --log-level error" /tmp/bare
//
// Each command gets --addr with the address to listen on appended.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

func main() {
	runs := flag.Int("runs", 25, "runs per command")
	addr := flag.String("addr", "127.0.0.1:4011", "loopback address the servers listen on")
	path := flag.String("path", "/crm/associations/2026-09/definitions/configurations/all", "path of the GET that must be answered")
	poll := flag.Duration("poll", 100*time.Microsecond, "pause between attempts")
	limit := flag.Duration("timeout", 5*time.Second, "give up on a run after this long")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: startup [flags] COMMAND...   (each COMMAND one argument, e.g. \"/tmp/mockhub --log-level error\")")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 || *runs < 1 || !strings.HasPrefix(*addr, "127.0.0.1:") {
		flag.Usage()
		os.Exit(2)
	}
	commands := flag.Args()
	took := make([][]time.Duration, len(commands))
	status := make([]int, len(commands))
	for range *runs {
		for i, command := range commands {
			d, code, err := once(strings.Fields(command), *addr, *path, *poll, *limit)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", command, err)
				os.Exit(1)
			}
			took[i] = append(took[i], d)
			status[i] = code
		}
	}
	for i, command := range commands {
		t := took[i]
		slices.Sort(t)
		round := func(d time.Duration) time.Duration { return d.Round(100 * time.Microsecond) }
		fmt.Printf("%s: fastest %v, median %v, slowest %v (%d runs, answered %d)\n", command, round(t[0]), round(t[len(t)/2]), round(t[len(t)-1]), len(t), status[i])
	}
}

// once starts argv and returns how long it took to answer a GET on path,
// and the status of that answer.
func once(argv []string, addr, path string, poll, limit time.Duration) (time.Duration, int, error) {
	// Something already listening would answer in the server's place.
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		return 0, 0, fmt.Errorf("%s is already in use", addr)
	}
	cmd := exec.Command(argv[0], append(argv[1:], "--addr", addr)...)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: limit}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	for time.Since(start) < limit {
		req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		if err != nil {
			return 0, 0, err
		}
		req.Header.Set("Authorization", "Bearer startup")
		if resp, err := client.Do(req); err == nil {
			took := time.Since(start)
			resp.Body.Close()
			return took, resp.StatusCode, nil
		}
		time.Sleep(poll)
	}
	return 0, 0, fmt.Errorf("no answer within %v", limit)
}
