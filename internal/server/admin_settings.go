package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/decode"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/reqbody"
	"github.com/mockhub/mockhub/internal/store"
)

// maxSettingsBytes bounds a settings document.
const maxSettingsBytes = 64 << 10

// settingsRoutes serves a portal's settings, which are part of its state
// (exported and imported with it, returned to its fixtures by a reset).
func (s *Server) settingsRoutes(r chi.Router) {
	r.Get("/portals/{portalId}/settings", s.getPortalSettings)
	r.Put("/portals/{portalId}/settings", s.putPortalSettings)
}

// settingsBody is the settings document: searchLag is a duration ("5s",
// "250ms"); null or absent leaves the server's --search-lag in force. The
// account settings (timeZone, companyCurrency, uiDomain) are what
// account-info reports; absent takes its defaults.
type settingsBody struct {
	SearchLag *string `json:"searchLag"`
	store.AccountSettings
}

// settingsReply is the settings document as answered: the portal's own
// search lag (null when unset) and the one searches use.
type settingsReply struct {
	SearchLag          *string `json:"searchLag"`
	EffectiveSearchLag string  `json:"effectiveSearchLag"`
	store.AccountSettings
}

func (s *Server) settingsReply(st store.Settings) settingsReply {
	out := settingsReply{EffectiveSearchLag: s.cfg.SearchLag.String(), AccountSettings: st.Account}
	if st.SearchLag != nil {
		lag := st.SearchLag.String()
		out.SearchLag, out.EffectiveSearchLag = &lag, lag
	}
	return out
}

func (s *Server) getPortalSettings(w http.ResponseWriter, r *http.Request) {
	id, ok := portalParam(w, r)
	if !ok {
		return
	}
	p, ok := s.existingPortal(w, r, id)
	if !ok {
		return
	}
	var st store.Settings
	p.View(func(v *store.View) { st = v.Settings() })
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusOK, Body: s.settingsReply(st)})
}

// putPortalSettings replaces the portal's settings, creating the portal if
// needed, as PUT .../state does.
func (s *Server) putPortalSettings(w http.ResponseWriter, r *http.Request) {
	id, ok := portalParam(w, r)
	if !ok {
		return
	}
	data, rerr := reqbody.Read(w, r, maxSettingsBytes)
	if rerr != nil {
		apierr.Write(w, r, rerr)
		return
	}
	var body settingsBody
	if err := decode.JSON(data, &body); err != nil {
		writeAdminError(w, r, http.StatusBadRequest, "Invalid settings document: "+decode.Plain(err).Error())
		return
	}
	st := store.Settings{Account: body.AccountSettings}
	if _, err := store.CheckAccount(st.Account); err != nil {
		writeAdminError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	if body.SearchLag != nil {
		lag, err := store.ParseSearchLag(*body.SearchLag)
		if err != nil {
			writeAdminError(w, r, http.StatusBadRequest, err.Error())
			return
		}
		st.SearchLag = &lag
	}
	if err := s.store.Portal(id).Update(func(tx *store.Tx) error { return tx.SetSettings(st) }); err != nil {
		if !apierr.Known(err) {
			s.log.Error("save portal settings", "portal", id, "error", err)
		}
		apierr.Write(w, r, apierr.From(err))
		return
	}
	endpoint.WriteJSON(w, endpoint.Reply{Status: http.StatusOK, Body: s.settingsReply(st)})
}
