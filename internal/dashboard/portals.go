package dashboard

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/mockhub/mockhub/internal/journal"
	"github.com/mockhub/mockhub/internal/store"
)

// typeCount is one object type's record counts in a portal.
type typeCount struct {
	Key      string
	Label    string
	Live     int
	Archived int
}

// portalRow is what the overview and a portal's page show of it.
type portalRow struct {
	ID           int64
	Tokens       []string
	Types        []typeCount
	Associations int
	Labels       int
	Limits       int
	Requests     int
	Deferred     int
}

// summary reads a portal's counts in one view, as GET /_mockhub/portals
// does.
func (db *Dashboard) summary(id int64, p *store.Portal) portalRow {
	row := portalRow{ID: id, Requests: db.d.Journal.Count(journal.Filter{Portal: id})}
	if db.d.Fingerprints != nil {
		row.Tokens = db.d.Fingerprints(id)
	}
	p.View(func(v *store.View) {
		row.Labels, row.Limits = v.Counts()
		live, archived := v.RecordCounts()
		row.Associations = v.AssociationTotal()
		row.Deferred = v.DeferredCount()
		keys := map[string]bool{}
		for k := range live {
			keys[k] = true
		}
		for k := range archived {
			keys[k] = true
		}
		for k := range keys {
			tc := typeCount{Key: k, Label: k, Live: live[k], Archived: archived[k]}
			if t, ok := v.ObjectType(k); ok {
				tc.Label = t.PluralLabel
			}
			row.Types = append(row.Types, tc)
		}
	})
	sort.Slice(row.Types, func(i, j int) bool { return row.Types[i].Key < row.Types[j].Key })
	return row
}

func (db *Dashboard) portals(w http.ResponseWriter, r *http.Request) {
	rows := []portalRow{}
	for _, id := range db.d.Store.PortalIDs() {
		p, ok := db.d.Store.Lookup(id)
		if !ok {
			continue
		}
		if db.d.Settle != nil {
			db.d.Settle(id)
		}
		rows = append(rows, db.summary(id, p))
	}
	db.render(w, r, http.StatusOK, "portals", page{Title: "Portals", Nav: "portals", Data: rows})
}

// portalPage is a portal's page: its counts and the object types a user
// may browse (every type of the catalog, and its custom types with
// records).
type portalPage struct {
	portalRow
	Browse []typeCount
}

func (db *Dashboard) portal(w http.ResponseWriter, r *http.Request) {
	id, p, ok := db.portalOf(w, r)
	if !ok {
		return
	}
	pg := portalPage{portalRow: db.summary(id, p)}
	seen := map[string]bool{}
	for _, tc := range pg.Types {
		seen[tc.Key] = true
		pg.Browse = append(pg.Browse, tc)
	}
	if db.d.Schema != nil {
		for _, t := range db.d.Schema.Types() {
			if !seen[t.Key()] {
				pg.Browse = append(pg.Browse, typeCount{Key: t.Key(), Label: t.PluralLabel})
			}
		}
	}
	db.render(w, r, http.StatusOK, "portal", page{Title: "Portal " + strconv.FormatInt(id, 10), Nav: "portals", Data: pg})
}

func (db *Dashboard) resetAll(w http.ResponseWriter, r *http.Request) {
	if err := db.d.Reset(); err != nil {
		db.d.Log.Error("dashboard reset", "error", err)
		db.fail(w, r, http.StatusInternalServerError, "The reset failed: "+err.Error())
		return
	}
	db.redirect(w, r, "/", "Every portal was reset to its fixtures.")
}

func (db *Dashboard) resetPortal(w http.ResponseWriter, r *http.Request) {
	id, _, ok := db.portalOf(w, r)
	if !ok {
		return
	}
	if err := db.d.ResetPortal(id); err != nil {
		db.d.Log.Error("dashboard reset", "portal", id, "error", err)
		db.fail(w, r, http.StatusInternalServerError, "The reset failed: "+err.Error())
		return
	}
	db.redirect(w, r, "/", "Portal "+strconv.FormatInt(id, 10)+" was reset to its fixtures.")
}
