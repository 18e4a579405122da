// Package crmassociations serves HubSpot's association records API (v4 and
// the dated versions): associate two records with the default association
// type or with labels, remove the association, list a record's
// associations, batches of each (through the batch runner), and the
// high-usage report. Its operations are in the crm-associations source of
// our documents; Register binds each operationId to its handler.
//
// The store keeps associations two-way and enforces every configured limit
// and label limit in both directions (HUBSPOT-RECORDS.md §4); this package
// resolves the path's object types against the portal, turns ids and
// association specs into store calls, and renders the answers each version's
// contract describes. A refused association is the store's error: 400
// "One or more associations are invalid" with HubSpot's context keys on a
// single pair, a per-input error in a batch.
package crmassociations

import (
	"github.com/mockhub/mockhub/internal/batch"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/endpoint"
)

// Deps is what the family needs from the server.
type Deps struct {
	// Clock stamps batch envelopes and the high-usage report.
	Clock clock.Clock
	// Batches runs the batch operations.
	Batches *batch.Runner
}

// Register binds the family's operations.
func Register(reg *endpoint.Registry, d Deps) {
	a := associations{clock: d.Clock}
	reg.Handle("associations-create-default", a.createDefault)
	endpoint.HandleBody(reg, "associations-create", a.create)
	reg.Handle("associations-archive", a.archive)
	reg.Handle("associations-list", a.list)
	reg.Handle("associations-usage-report", a.usageReport)
	a.registerBatches(reg, d.Batches)
}
