// Package crmobjects serves HubSpot's CRM objects API for the standard
// object types (contacts, companies, deals, tickets): list, create, read,
// update and archive one record, batches of them (batch.go, through the
// batch runner), search (search.go), merge and GDPR delete (merge.go), in v3
// and every dated version. Its
// operations are in the crm-objects source of our documents; Register binds
// each operationId to its handler.
//
// Object types and their properties come from the portal (the schema
// catalog's types with the portal's custom properties, and its custom object
// types: which properties exist, which are returned by default, how values
// are checked);
// records from the store, which keeps only what clients wrote: the
// properties HubSpot mirrors from a record's id and timestamps (createdate,
// lastmodifieddate, hs_object_id...) are derived here when a record is
// rendered (HUBSPOT-RECORDS.md §2.2, §2.4).
package crmobjects

import (
	"time"

	"github.com/mockhub/mockhub/internal/batch"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/endpoint"
)

// Deps is what the family needs from the server.
type Deps struct {
	// Clock stamps every write.
	Clock clock.Clock
	// Batches runs the batch operations.
	Batches *batch.Runner
	// SearchLag is how long after a write search sees it, for portals
	// whose settings do not say (store.Settings.SearchLag). Zero: at once.
	SearchLag time.Duration
}

// Register binds the family's operations.
func Register(reg *endpoint.Registry, d Deps) {
	o := objects{clock: d.Clock, searchLag: d.SearchLag}
	reg.Handle("objects-list", o.list)
	endpoint.HandleBody(reg, "objects-create", o.create)
	reg.Handle("objects-read", o.read)
	endpoint.HandleBody(reg, "objects-update", o.update)
	reg.Handle("objects-archive", o.archive)
	endpoint.HandleBody(reg, "objects-search", o.search)
	endpoint.HandleBody(reg, "objects-merge", o.merge)
	endpoint.HandleBody(reg, "objects-gdpr-delete", o.gdprDelete)
	o.registerBatches(reg, d.Batches)
}
