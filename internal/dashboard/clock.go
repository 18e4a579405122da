package dashboard

import (
	"net/http"
	"strings"
	"time"
)

type clockPage struct {
	Now          string
	Controllable bool
	Error        string
	By           string
}

func (db *Dashboard) clockPage(w http.ResponseWriter, r *http.Request) {
	db.renderClock(w, r, http.StatusOK, "", "")
}

func (db *Dashboard) renderClock(w http.ResponseWriter, r *http.Request, status int, by, msg string) {
	if db.d.Clock == nil {
		db.fail(w, r, http.StatusNotFound, "This server has no clock service")
		return
	}
	pg := clockPage{Now: formatTime(db.d.Clock.Now()), Controllable: db.d.Clock.Controllable(), Error: msg, By: by}
	db.render(w, r, status, "clock", page{Title: "Clock", Nav: "clock", Data: pg})
}

// advanceClock moves the clock on by a Go duration ("90s", "2h", "36h").
func (db *Dashboard) advanceClock(w http.ResponseWriter, r *http.Request) {
	if db.d.Clock == nil {
		db.fail(w, r, http.StatusNotFound, "This server has no clock service")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		db.renderClock(w, r, http.StatusBadRequest, "", "The form could not be read: "+err.Error())
		return
	}
	by := strings.TrimSpace(r.PostForm.Get("by"))
	d, err := time.ParseDuration(by)
	if err != nil {
		db.renderClock(w, r, http.StatusBadRequest, by, "Advance by a duration such as 90s, 15m or 36h; got "+by)
		return
	}
	if err := db.d.Clock.Advance(d); err != nil {
		db.renderClock(w, r, http.StatusBadRequest, by, err.Error())
		return
	}
	db.redirect(w, r, "/clock", "The clock moved on by "+d.String()+".")
}
