package middleware

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mockhub/mockhub/internal/reqctx"
)

func TestRecovererAnswers500(t *testing.T) {
	tests := []struct {
		name   string
		panics func()
	}{
		{"string", func() { panic("boom") }},
		{"error", func() { panic(errors.New("boom")) }},
		{"runtime error", func() {
			var m map[string]int
			m["x"] = 1
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info := &reqctx.Info{CorrelationID: "0e9ac3f4-1a2b-4c3d-8e9f-0123456789ab"}
			h := Recoverer(discard)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { tt.panics() }))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, withInfo(httptest.NewRequest("GET", "/x", nil), info))
			want := `{"status":"error","message":"internal error","correlationId":"0e9ac3f4-1a2b-4c3d-8e9f-0123456789ab","category":"INTERNAL_ERROR"}`
			if rec.Code != http.StatusInternalServerError || rec.Body.String() != want {
				t.Errorf("got %d %s\nwant 500 %s", rec.Code, rec.Body, want)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json;charset=utf-8" {
				t.Errorf("content type %q", ct)
			}
		})
	}
}

func TestRecovererRepanicsAbort(t *testing.T) {
	tests := []struct {
		name  string
		value error
	}{
		{"ErrAbortHandler", http.ErrAbortHandler},
		{"wrapped", fmt.Errorf("connection fault: %w", http.ErrAbortHandler)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			defer func() {
				if v := recover(); v != tt.value {
					t.Errorf("panic %v, want %v re-panicked", v, tt.value)
				}
				if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
					t.Errorf("an aborted answer was written: %d %s", rec.Code, rec.Body)
				}
			}()
			Recoverer(discard)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
				panic(tt.value)
			})).ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
		})
	}
}

func TestRecovererPassesAnswersThrough(t *testing.T) {
	var next reached
	rec := httptest.NewRecorder()
	Recoverer(discard)(&next).ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if next.calls != 1 || rec.Code != 200 || rec.Body.String() != "ok" {
		t.Errorf("got %d %q after %d calls", rec.Code, rec.Body, next.calls)
	}
}
