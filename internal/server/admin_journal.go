package server

import (
	"github.com/mockhub/mockhub/internal/endpoint"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/journal"

	"github.com/mockhub/mockhub/internal/pathpattern"
)

// journalRoutes serves the request journal: GET lists recorded requests
// newest first, DELETE clears them.
func (s *Server) journalRoutes(r chi.Router) {
	r.Get("/requests", s.listRequests)
	r.Delete("/requests", s.clearRequests)
}

func (s *Server) listRequests(w http.ResponseWriter, r *http.Request) {
	f, msg := parseJournalFilter(r.URL.Query())
	if msg != "" {
		writeAdminError(w, r, http.StatusBadRequest, msg)
		return
	}
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusOK, Body: map[string]any{"results": s.journal.List(f)}})
}

func (s *Server) clearRequests(w http.ResponseWriter, r *http.Request) {
	s.journal.Clear()
	endpoint.WriteJSON(w, endpoint.NoContent)
}

// parseJournalFilter reads the filter parameters; the message names the
// first bad one.
func parseJournalFilter(q map[string][]string) (journal.Filter, string) {
	var f journal.Filter
	for key, vs := range q {
		v := vs[len(vs)-1]
		switch key {
		case "method":
			f.Method = v
		case "path":
			if _, err := pathpattern.Compile(v); err != nil || v == "" {
				return f, "path must be a pattern starting with /, where * and ** are whole segments; got " + strconv.Quote(v)
			}
			f.Path = v
		case "portal":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return f, "portal must be a positive integer, got " + strconv.Quote(v)
			}
			f.Portal = n
		case "status":
			if class, ok := strings.CutSuffix(strings.ToLower(v), "xx"); ok && len(class) == 1 && class[0] >= '1' && class[0] <= '5' {
				f.Status, f.Class = int(class[0]-'0'), true
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 100 || n > 599 {
				return f, "status must be an HTTP status (404) or class (4xx), got " + strconv.Quote(v)
			}
			f.Status = n
		case "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return f, "limit must be a positive integer, got " + strconv.Quote(v)
			}
			f.Limit = n
		default:
			return f, "unknown parameter " + strconv.Quote(key) + "; filter with method, path, portal, status or limit"
		}
	}
	return f, ""
}
