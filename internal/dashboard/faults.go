package dashboard

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/decode"
	"github.com/mockhub/mockhub/internal/faults"
)

// faultsPage lists the rules and holds the form that adds one.
type faultsPage struct {
	Rules []ruleView
	Kinds []string
	Form  faultForm
	Error string
}

type ruleView struct {
	faults.RuleStatus
	// Fault is the fault's JSON, Match a short description of what the
	// rule matches.
	Fault string
	Match string
}

// faultForm is what the add form holds, kept to show it again after a
// refusal.
type faultForm struct {
	ID, Method, Path, Portal, HeaderName, HeaderValue, Kind, Params, Times, After, Probability string
}

// maxFormBytes bounds a posted form, as maxRuleBytes bounds a rule.
const maxFormBytes = 1 << 20

func (db *Dashboard) faultsPage(w http.ResponseWriter, r *http.Request) {
	db.renderFaults(w, r, http.StatusOK, faultForm{Kind: faults.KindStatus, Params: "status=500"}, "")
}

func (db *Dashboard) renderFaults(w http.ResponseWriter, r *http.Request, status int, form faultForm, msg string) {
	pg := faultsPage{Kinds: faults.Kinds(), Form: form, Error: msg}
	for _, st := range db.d.Faults.List() {
		fault, _ := json.Marshal(st.Fault)
		pg.Rules = append(pg.Rules, ruleView{RuleStatus: st, Fault: string(fault), Match: describeMatch(st.Match)})
	}
	db.render(w, r, status, "faults", page{Title: "Faults", Nav: "faults", Data: pg})
}

func describeMatch(m faults.Match) string {
	var parts []string
	method := m.Method
	if method == "" {
		method = "any method"
	}
	path := m.Path
	if path == "" {
		path = "any path"
	}
	parts = append(parts, strings.ToUpper(method)+" "+path)
	if m.Portal != nil {
		parts = append(parts, "portal "+strconv.FormatInt(*m.Portal, 10))
	}
	for name, v := range m.Header {
		parts = append(parts, name+": "+v)
	}
	return strings.Join(parts, ", ")
}

// addFault builds a rule document from the form and adds it as POST
// /_mockhub/faults does: the same decoder, the same validation, the same
// messages.
func (db *Dashboard) addFault(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		db.renderFaults(w, r, http.StatusBadRequest, faultForm{}, "The form could not be read: "+err.Error())
		return
	}
	form := faultForm{}
	for field, dst := range map[string]*string{
		"id": &form.ID, "method": &form.Method, "path": &form.Path, "portal": &form.Portal,
		"headerName": &form.HeaderName, "headerValue": &form.HeaderValue, "kind": &form.Kind,
		"params": &form.Params, "times": &form.Times, "after": &form.After, "probability": &form.Probability,
	} {
		*dst = strings.TrimSpace(r.PostForm.Get(field))
	}
	doc, msg := ruleDocument(form)
	if msg != "" {
		db.renderFaults(w, r, http.StatusBadRequest, form, "Invalid fault rule: "+msg)
		return
	}
	var rule faults.Rule
	if err := decode.JSON(doc, &rule); err != nil {
		db.renderFaults(w, r, http.StatusBadRequest, form, "Invalid fault rule: "+err.Error())
		return
	}
	stored, err := db.d.Faults.Add(rule)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, faults.ErrDuplicateID) {
			status = http.StatusConflict
		}
		db.renderFaults(w, r, status, form, "Invalid fault rule: "+err.Error())
		return
	}
	db.redirect(w, r, "/faults", "Fault rule "+stored.ID+" added.")
}

// ruleDocument turns the form into the JSON rule the admin API takes.
// Fields left empty are left out; numbers are sent as numbers when they
// look like numbers and as text otherwise, for the decoder to refuse with
// its own message.
func ruleDocument(f faultForm) ([]byte, string) {
	match := map[string]any{}
	if f.Method != "" {
		match["method"] = f.Method
	}
	if f.Path != "" {
		match["path"] = f.Path
	}
	if f.Portal != "" {
		match["portal"] = number(f.Portal)
	}
	if f.HeaderName != "" {
		match["header"] = map[string]string{f.HeaderName: f.HeaderValue}
	}
	fault := map[string]any{}
	if f.Kind != "" {
		fault["kind"] = f.Kind
	}
	// The kind's fields, written as in the X-Mockhub-Fault header:
	// key=value pairs separated by ';' (or ',').
	for _, part := range strings.FieldsFunc(f.Params, func(r rune) bool { return r == ';' || r == ',' || r == '\n' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, "fault fields are key=value pairs separated by ';', got " + strconv.Quote(part)
		}
		if k == "kind" {
			return nil, "choose the kind in its own field"
		}
		fault[k] = number(v)
	}
	doc := map[string]any{"match": match, "fault": fault}
	if f.ID != "" {
		doc["id"] = f.ID
	}
	if f.Times != "" {
		doc["times"] = number(f.Times)
	}
	if f.After != "" {
		doc["after"] = number(f.After)
	}
	if f.Probability != "" {
		doc["probability"] = number(f.Probability)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err.Error()
	}
	return data, ""
}

// number is s as a JSON number when it is one, else s.
func number(s string) any {
	if _, err := strconv.ParseFloat(s, 64); err == nil && json.Valid([]byte(s)) {
		return json.Number(s)
	}
	return s
}

func (db *Dashboard) deleteFault(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if !db.d.Faults.Remove(id) {
		db.fail(w, r, http.StatusNotFound, "No fault rule with id "+id)
		return
	}
	db.redirect(w, r, "/faults", "Fault rule "+id+" removed.")
}

func (db *Dashboard) clearFaults(w http.ResponseWriter, r *http.Request) {
	db.d.Faults.Clear()
	db.redirect(w, r, "/faults", "Every fault rule was removed.")
}
