package mockhubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Request is one recorded API request and the answer it got (see
// GET /_mockhub/requests).
type Request struct {
	// Seq numbers requests in arrival order, from 1, across resets.
	Seq    uint64
	Time   time.Time // on the server's clock
	Method string
	Path   string
	// RawQuery is the query string without '?', with credentials masked.
	RawQuery string
	// Header holds the request headers, with the Authorization value masked
	// ("Bearer *** (sha256:…)").
	Header http.Header
	// Body is the request body as the server read it: empty when the request
	// was answered before its body was read (401, unknown route), and cut at
	// 64 KiB (BodyTruncated).
	Body          string
	BodyTruncated bool
	Status        int
	// ResponseBody is the body of the answer as the client got it, cut at
	// 64 KiB (ResponseBodyTruncated).
	ResponseBody          string
	ResponseBodyTruncated bool
	// Duration is the wall-clock time spent serving the request.
	Duration      time.Duration
	Portal        int64
	CorrelationID string
	// OperationID is the operation of our OpenAPI documents that served the
	// request; empty for unknown routes.
	OperationID string
	// Fault names the fault that fired for the request, if any.
	Fault string
}

// Query parses RawQuery.
func (r *Request) Query() url.Values {
	v, _ := url.ParseQuery(r.RawQuery)
	return v
}

// DecodeBody unmarshals the recorded JSON body into v.
func (r *Request) DecodeBody(v any) error {
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		return fmt.Errorf("mockhubtest: request %d (%s %s): body: %w", r.Seq, r.Method, r.Path, err)
	}
	return nil
}

// wireRequest is a journal entry as GET /_mockhub/requests sends it.
type wireRequest struct {
	Seq                   uint64      `json:"seq"`
	Time                  time.Time   `json:"time"`
	Method                string      `json:"method"`
	Path                  string      `json:"path"`
	Query                 string      `json:"query"`
	Header                http.Header `json:"headers"`
	Body                  string      `json:"body"`
	BodyTruncated         bool        `json:"bodyTruncated"`
	Status                int         `json:"status"`
	ResponseBody          string      `json:"responseBody"`
	ResponseBodyTruncated bool        `json:"responseBodyTruncated"`
	DurationMs            float64     `json:"durationMs"`
	Portal                int64       `json:"portal"`
	CorrelationID         string      `json:"correlationId"`
	OperationID           string      `json:"operationId"`
	Fault                 string      `json:"fault"`
}

func (w *wireRequest) request() Request {
	return Request{
		Seq: w.Seq, Time: w.Time, Method: w.Method, Path: w.Path, RawQuery: w.Query,
		Header: w.Header, Body: w.Body, BodyTruncated: w.BodyTruncated, Status: w.Status,
		ResponseBody: w.ResponseBody, ResponseBodyTruncated: w.ResponseBodyTruncated,
		Duration: time.Duration(w.DurationMs * float64(time.Millisecond)), Portal: w.Portal,
		CorrelationID: w.CorrelationID, OperationID: w.OperationID, Fault: w.Fault,
	}
}

// Filter selects recorded requests; zero fields select everything.
type Filter struct {
	// Method matches case-insensitively.
	Method string
	// Path is a pattern: "*" matches one segment, "**" any number.
	Path   string
	Portal int64
	// Status is "404" or a class such as "4xx".
	Status string
	// Limit keeps the newest Limit requests.
	Limit int
}

// Requests returns the recorded API requests f selects, newest first, as
// GET /_mockhub/requests does. The test fails if the filter is refused.
func (s *Server) Requests(f Filter) []Request {
	if s.t != nil {
		s.t.Helper()
	}
	out, err := s.requests(f)
	s.check(err)
	return out
}

func (s *Server) requests(f Filter) ([]Request, error) {
	q := url.Values{}
	if f.Method != "" {
		q.Set("method", f.Method)
	}
	if f.Path != "" {
		q.Set("path", f.Path)
	}
	if f.Portal != 0 {
		q.Set("portal", strconv.FormatInt(f.Portal, 10))
	}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	if f.Limit != 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	path := "/requests"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	body, err := s.h.admin(http.MethodGet, path, nil, http.StatusOK)
	if err != nil {
		return nil, err
	}
	var page struct {
		Results []wireRequest `json:"results"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, fmt.Errorf("mockhubtest: journal answer: %w", err)
	}
	out := make([]Request, len(page.Results))
	for i := range page.Results {
		out[i] = page.Results[i].request()
	}
	return out, nil
}

// ClearRequests empties the journal, like DELETE /_mockhub/requests, and
// leaves everything else as it is.
func (s *Server) ClearRequests() {
	if s.t != nil {
		s.t.Helper()
	}
	_, err := s.h.admin(http.MethodDelete, "/requests", nil, http.StatusNoContent)
	s.check(err)
}
