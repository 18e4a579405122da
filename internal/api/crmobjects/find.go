package crmobjects

import (
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/search"
	"github.com/mockhub/mockhub/internal/store"
)

// Find runs a search over t's records in v as they are now (no search
// lag: it serves views of the state, such as the dashboard, not clients),
// with the engine, schema and index the search operation uses. It returns
// the page's records, the total of matches and the next page's after ("" on
// the last page); err is the engine's *search.Error for a bad request.
func Find(v *store.View, t *schema.ObjectType, req *search.Request) (page []store.Record, total int, after string, err error) {
	res, err := search.Search(req, searchSchema{t}, liveRecords(v, t), search.Options{Index: searchIndex{v: v, t: t}, Parts: liveRecordParts(v, t)})
	if err != nil {
		return nil, 0, "", err
	}
	for _, r := range res.Results {
		if rec, ok := recordOf(r); ok {
			page = append(page, rec)
		}
	}
	return page, res.Total, res.After, nil
}
