package dashboard

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/mockhub/mockhub/internal/store"
)

// pairView is one object pair: its association types (labels) and limits.
type pairView struct {
	From, To           string
	FromLabel, ToLabel string
	Labels             []labelView
	Limits             []limitView
}

type labelView struct {
	TypeID   int32
	Category string
	Label    string
	Name     string
}

// limitView is a limit and how close records are to it.
type limitView struct {
	TypeID   int32
	Category string
	Label    string
	Max      int32
	// AtMax counts the records at (or, after the limit was lowered, over)
	// the limit: the ones a further association is refused for.
	AtMax int
	// Use describes the records with partners, fullest first.
	Use []string
}

type associationsPage struct {
	Portal int64
	Pairs  []pairView
	// Limited says some pair has a limit.
	Limited bool
}

// associations shows, per object pair, the association types and limits
// configured, and for each limit how close records are to it. A pair is
// shown when it has a limit or a portal's own label, or records on both
// sides.
func (db *Dashboard) associations(w http.ResponseWriter, r *http.Request) {
	id, p, ok := db.portalOf(w, r)
	if !ok {
		return
	}
	pg := associationsPage{Portal: id}
	p.View(func(v *store.View) {
		live, _ := v.RecordCounts()
		types := map[string]bool{}
		for k := range live {
			types[k] = true
		}
		limited := map[store.Pair]bool{}
		for _, l := range v.AllLimits() {
			limited[l.Pair] = true
			types[l.Pair.From], types[l.Pair.To] = true, true
		}
		if db.d.Schema != nil {
			for _, t := range db.d.Schema.Types() {
				types[t.Key()] = true
			}
		}
		keys := make([]string, 0, len(types))
		for k := range types {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		plural := func(k string) string {
			if t, ok := v.ObjectType(k); ok {
				return t.PluralLabel
			}
			return k
		}
		for _, from := range keys {
			for _, to := range keys {
				pair := store.Pair{From: from, To: to}
				labels := v.Labels(pair)
				own := false
				for _, t := range labels {
					own = own || t.Category == store.UserDefined
				}
				if len(labels) == 0 || !(limited[pair] || own || (live[from] > 0 && live[to] > 0)) {
					continue
				}
				pv := pairView{From: from, To: to, FromLabel: plural(from), ToLabel: plural(to)}
				for _, t := range labels {
					pv.Labels = append(pv.Labels, labelView{TypeID: t.TypeID, Category: t.Category, Label: labelText(t.Label), Name: v.AssocTypeName(t)})
				}
				limits := v.Limits(pair)
				sort.Slice(limits, func(i, j int) bool { return limits[i].TypeID < limits[j].TypeID })
				for _, l := range limits {
					pv.Limits = append(pv.Limits, limitUse(l, v.LimitUse(l), strings.ToLower(pv.FromLabel), strings.ToLower(pv.ToLabel)))
				}
				pg.Limited = pg.Limited || len(pv.Limits) > 0
				pg.Pairs = append(pg.Pairs, pv)
			}
		}
	})
	db.render(w, r, http.StatusOK, "associations", page{Title: "Associations and limits of portal " + strconv.FormatInt(id, 10), Nav: "portals", Data: pg})
}

// limitUse describes use (partners -> records) of limit l: "3 deals at 2
// of 2 contacts".
func limitUse(l store.Limit, use map[int32]int, from, to string) limitView {
	lv := limitView{TypeID: l.TypeID, Category: l.Category, Label: labelText(l.Label), Max: l.Max}
	counts := make([]int32, 0, len(use))
	for n := range use {
		counts = append(counts, n)
	}
	sort.Slice(counts, func(i, j int) bool { return counts[i] > counts[j] })
	for _, n := range counts {
		if n >= l.Max {
			lv.AtMax += use[n]
		}
		lv.Use = append(lv.Use, fmt.Sprintf("%d %s at %d of %d %s", use[n], from, n, l.Max, to))
	}
	return lv
}
