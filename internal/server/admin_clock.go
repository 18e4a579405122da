package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/decode"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/reqbody"
)

// maxClockBytes bounds the body of POST /_mockhub/clock.
const maxClockBytes = 4 << 10

// clockRoutes serves the server's clock, source of every timestamp, token
// expiry, rate-limit window and quota day, deferred batch and search lag:
//
//	GET  /clock  -> {"now":"2027-01-01T00:00:00.000Z","frozen":true}
//	POST /clock  {"advance":"30m"} | {"set":"2027-01-01T00:00:00Z"} |
//	             {"freeze":true|false} -> the clock as GET answers it
func (s *Server) clockRoutes(r chi.Router) {
	r.Get("/clock", s.getClock)
	r.Post("/clock", s.moveClock)
}

// clockReply is the clock's state: its time, with milliseconds, and
// whether it stands still.
type clockReply struct {
	Now    string `json:"now"`
	Frozen bool   `json:"frozen"`
}

// clockBody is a move. freeze:true applies first (so that a set in the
// same body may go back), then set or advance, then freeze:false (so the
// clock runs on from where it was put).
type clockBody struct {
	Advance *string `json:"advance"`
	Set     *string `json:"set"`
	Freeze  *bool   `json:"freeze"`
}

func (s *Server) clockReply() clockReply {
	if s.control == nil {
		return clockReply{Now: endpoint.FormatTime(s.clock.Now())}
	}
	now, frozen := s.control.State()
	return clockReply{Now: endpoint.FormatTime(now), Frozen: frozen}
}

func (s *Server) getClock(w http.ResponseWriter, r *http.Request) {
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusOK, Body: s.clockReply()})
}

// moveClock moves the clock and answers once the work that fell due (such
// as deferred batches) has run. The body is checked whole before anything
// moves; the one refusal that depends on the moment, a set to the past of a
// running clock, moves nothing either.
func (s *Server) moveClock(w http.ResponseWriter, r *http.Request) {
	data, rerr := reqbody.Read(w, r, maxClockBytes)
	if rerr != nil {
		apierr.Write(w, r, rerr)
		return
	}
	var body clockBody
	if err := decode.JSON(data, &body); err != nil {
		writeAdminError(w, r, http.StatusBadRequest, "Invalid clock move: "+decode.Plain(err).Error())
		return
	}
	if e := s.moveClockBy(body); e != nil {
		apierr.Write(w, r, e)
		return
	}
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusOK, Body: s.clockReply()})
}

// moveClockBy checks a move whole and applies it, as POST /_mockhub/clock
// does (the dashboard moves the clock through it too); the error is the
// answer to a refused move, which moved nothing.
func (s *Server) moveClockBy(body clockBody) *apierr.Error {
	refuse := func(message string) *apierr.Error {
		return &apierr.Error{Status: http.StatusBadRequest, Category: apierr.CategoryValidation, Message: message}
	}
	var (
		advance time.Duration
		set     time.Time
	)
	switch {
	case body.Advance == nil && body.Set == nil && body.Freeze == nil:
		return refuse(`Invalid clock move: give advance ("30m", "1d"), set (an RFC 3339 time) or freeze (true or false)`)
	case body.Advance != nil && body.Set != nil:
		return refuse("Invalid clock move: advance and set cannot be combined")
	case body.Advance != nil:
		var err error
		if advance, err = clock.ParseAdvance(*body.Advance); err != nil {
			return refuse("Invalid clock move: " + err.Error())
		}
	case body.Set != nil:
		t, err := time.Parse(time.RFC3339Nano, *body.Set)
		if err != nil {
			return refuse(`Invalid clock move: set must be an RFC 3339 time such as "2027-01-01T00:00:00Z", got ` + strconv.Quote(*body.Set))
		}
		set = t.UTC()
	}
	if s.control == nil {
		return apierr.Conflict("This server's clock was given by its embedder and cannot be moved")
	}
	if err := s.applyClockMove(body, advance, set); err != nil {
		return refuse("Invalid clock move: " + err.Error())
	}
	return nil
}

// applyClockMove applies a checked move: freeze:true, then the set or
// advance, then freeze:false. Only the set or advance can fail (a set back
// on a running clock, a time out of the clock's range), having moved
// nothing; the freeze the body asked for is then undone, so that a refused
// move changes nothing.
func (s *Server) applyClockMove(body clockBody, advance time.Duration, set time.Time) error {
	freeze := body.Freeze != nil && *body.Freeze
	wasFrozen := s.control.Frozen()
	if freeze {
		s.control.Freeze()
	}
	var err error
	switch {
	case body.Advance != nil:
		_, err = s.control.Advance(advance)
	case body.Set != nil:
		err = s.control.Set(set)
	}
	if err != nil {
		if freeze && !wasFrozen {
			s.control.Unfreeze()
		}
		return err
	}
	if body.Freeze != nil && !*body.Freeze {
		s.control.Unfreeze()
	}
	return nil
}
