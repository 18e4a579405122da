package dashboard

import (
	"net/http"
	"strings"
)

// clockView is the clock page.
type clockView struct {
	Now     string
	Frozen  bool
	Movable bool
	Error   string
	// Advance and Set are what the forms held, shown again after a
	// refusal.
	Advance, Set string
}

func (db *Dashboard) clockPage(w http.ResponseWriter, r *http.Request) {
	db.renderClock(w, r, http.StatusOK, clockView{})
}

func (db *Dashboard) renderClock(w http.ResponseWriter, r *http.Request, status int, v clockView) {
	if db.d.Clock == nil {
		db.fail(w, r, http.StatusNotFound, "This server has no clock service")
		return
	}
	now, frozen, movable := db.d.Clock.State()
	v.Now, v.Frozen, v.Movable = formatTime(now), frozen, movable
	db.render(w, r, status, "clock", page{Title: "Clock", Nav: "clock", Data: v})
}

// moveClock moves the clock from one of the page's forms: advance, set,
// freeze or unfreeze, through the admin API's move.
func (db *Dashboard) moveClock(w http.ResponseWriter, r *http.Request) {
	if db.d.Clock == nil {
		db.fail(w, r, http.StatusNotFound, "This server has no clock service")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		db.renderClock(w, r, http.StatusBadRequest, clockView{Error: "The form could not be read: " + err.Error()})
		return
	}
	v := clockView{Advance: strings.TrimSpace(r.PostForm.Get("advance")), Set: strings.TrimSpace(r.PostForm.Get("set"))}
	var freeze *bool
	switch r.PostForm.Get("freeze") {
	case "true":
		freeze = new(bool)
		*freeze = true
	case "false":
		freeze = new(bool)
	}
	if err := db.d.Clock.Move(v.Advance, v.Set, freeze); err != nil {
		v.Error = err.Error()
		db.renderClock(w, r, http.StatusBadRequest, v)
		return
	}
	msg := "The clock was moved."
	switch {
	case v.Advance != "":
		msg = "The clock moved on by " + v.Advance + "."
	case v.Set != "":
		msg = "The clock was set to " + v.Set + "."
	case freeze != nil && *freeze:
		msg = "The clock stands still."
	case freeze != nil:
		msg = "The clock runs."
	}
	db.redirect(w, r, "/clock", msg)
}
