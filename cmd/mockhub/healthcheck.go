package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/mockhub/mockhub/internal/server"
)

// healthcheck asks a running mockhub whether it is ready: it exits 0 only
// when GET /_mockhub/health answers 200 with status "ok". It is what the
// Docker image's HEALTHCHECK runs, so the image needs no curl.
func healthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var addr string
	var timeout time.Duration
	fs := newFlagSet("mockhub healthcheck", "Usage: mockhub healthcheck [--addr ADDR] [--timeout D]\n\nExits 0 when the mockhub at ADDR answers GET /_mockhub/health with 200 and status ok, 1 otherwise.", stderr)
	fs.stringVar(&addr, "addr", "ADDR", defaultAddr, "address of the mockhub to check (a wildcard host such as 0.0.0.0 means this machine)")
	fs.durationVar(&timeout, "timeout", "HEALTHCHECK_TIMEOUT", "3s", "how long to wait", "how long to wait for the answer")
	if err := fs.parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	url, err := healthURL(addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	var body struct {
		Status  string `json:"status"`
		Version string `json:"version"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return fmt.Errorf("healthcheck: %s answered %s with an unreadable body: %w", url, resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK || body.Status != "ok" {
		return fmt.Errorf("healthcheck: %s answered %s, status %q", url, resp.Status, body.Status)
	}
	fmt.Fprintln(stdout, "ok", body.Version)
	return nil
}

// healthURL turns a listen address into the URL to check; a wildcard or
// empty host is reached on the loopback interface.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("healthcheck: --addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + server.AdminPrefix + "/health", nil
}
