package reqbody

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
)

func TestRead(t *testing.T) {
	const limit = 8
	tests := []struct {
		name   string
		body   string
		status int // of the error, 0 for none
	}{
		{"empty", "", 0},
		{"under the limit", "1234567", 0},
		{"at the limit", "12345678", 0},
		{"one byte over", "123456789", http.StatusRequestEntityTooLarge},
		{"far over", strings.Repeat("x", 10_000), http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			data, err := Read(rec, httptest.NewRequest("POST", "/x", strings.NewReader(tt.body)), limit)
			if tt.status == 0 {
				if err != nil || string(data) != tt.body {
					t.Errorf("got %q, %v; want %q", data, err, tt.body)
				}
				if rec.Header().Get("Connection") != "" {
					t.Error("a body within the limit closes the connection")
				}
				return
			}
			if data != nil || err == nil || err.Status != tt.status || err.Category != apierr.CategoryValidation ||
				err.Message != "Request body is larger than the limit of 8 bytes" {
				t.Errorf("got %q, %v", data, err)
			}
			if rec.Header().Get("Connection") != "close" {
				t.Error("an oversized body leaves the connection open")
			}
		})
	}
}

// failingReader yields data and then fails.
type failingReader struct {
	data *strings.Reader
}

func (r failingReader) Read(p []byte) (int, error) {
	if r.data.Len() == 0 {
		return 0, errors.New("connection lost")
	}
	return r.data.Read(p)
}

func TestReadFailure(t *testing.T) {
	data, err := Read(httptest.NewRecorder(), httptest.NewRequest("POST", "/x", failingReader{strings.NewReader("{\"inp")}), 1<<10)
	if data != nil || err == nil || err.Status != http.StatusBadRequest || err.Category != apierr.CategoryValidation ||
		err.Message != "Could not read the request body: connection lost" {
		t.Errorf("got %q, %v", data, err)
	}
}

// countingReader is a body far larger than DrainBytes that counts what was
// read of it.
type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	if r.n >= 4*DrainBytes {
		return 0, io.EOF
	}
	clear(p)
	r.n += int64(len(p))
	return len(p), nil
}

func TestDrainIsBounded(t *testing.T) {
	body := &countingReader{}
	if _, err := Read(httptest.NewRecorder(), httptest.NewRequest("POST", "/x", body), 1<<10); err == nil || err.Status != 413 {
		t.Fatalf("got %v", err)
	}
	// The limit plus one byte to know it is over, then DrainBytes.
	if want := int64(1<<10 + 1 + DrainBytes); body.n != want {
		t.Errorf("read %d bytes of the body, want %d", body.n, want)
	}
}

// server answers with what Read returned: 200 and the length, or the error.
func server(t *testing.T, limit int64) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := Read(w, r, limit)
		if err != nil {
			apierr.Write(w, r, err)
			return
		}
		fmt.Fprint(w, len(data))
	}))
	t.Cleanup(ts.Close)
	return ts.Listener.Addr().String()
}

// exchange writes a whole request (head and body) on a fresh connection
// before reading anything, as clients that send the body before looking for
// an answer do, then reads the response.
func exchange(t *testing.T, addr string, contentLength int, body []byte, closeWrite bool) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Bounds the test if the server stops reading: the write then fails
	// instead of waiting forever.
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	head := fmt.Sprintf("POST /x HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", addr, contentLength)
	if _, err := conn.Write(append([]byte(head), body...)); err != nil {
		t.Fatalf("writing the request: %v", err)
	}
	if closeWrite {
		if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the response body: %v", err)
	}
	return resp, data
}

func TestOversizedBodyAnswered413OverTheWire(t *testing.T) {
	const limit = 1 << 10
	addr := server(t, limit)
	tests := []struct {
		name string
		size int
	}{
		{"at the limit", limit},
		{"three times the limit", 3 * limit},
		{"several MiB", 8 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, data := exchange(t, addr, tt.size, bytes.Repeat([]byte("x"), tt.size), false)
			if tt.size <= limit {
				if resp.StatusCode != 200 || string(data) != fmt.Sprint(tt.size) {
					t.Errorf("got %d %s", resp.StatusCode, data)
				}
				return
			}
			var body struct{ Message, Category string }
			if err := json.Unmarshal(data, &body); err != nil {
				t.Fatalf("body %q: %v", data, err)
			}
			if resp.StatusCode != http.StatusRequestEntityTooLarge || body.Category != apierr.CategoryValidation ||
				body.Message != "Request body is larger than the limit of 1024 bytes" {
				t.Errorf("got %d %s", resp.StatusCode, data)
			}
			if !resp.Close {
				t.Error("the 413 does not close the connection")
			}
		})
	}
}

func TestTruncatedBodyOverTheWire(t *testing.T) {
	addr := server(t, 1<<10)
	// Announces 100 bytes, sends 10 and stops sending.
	resp, data := exchange(t, addr, 100, []byte(`{"inputs":`), true)
	var body struct{ Message, Category string }
	if err := json.Unmarshal(data, &body); err != nil {
		t.Fatalf("body %q: %v", data, err)
	}
	if resp.StatusCode != http.StatusBadRequest || body.Category != apierr.CategoryValidation ||
		!strings.HasPrefix(body.Message, "Could not read the request body: ") {
		t.Errorf("got %d %s", resp.StatusCode, data)
	}
}
