// Package crmproperties serves HubSpot's CRM properties API: the property
// definitions of an object type (list, read, create, update, archive, batch
// read, create and archive) and its property groups (list, create, read, update, archive),
// in v3 and every dated version. Its operations are in the crm-properties
// source of our documents; Register binds each operationId to its handler.
//
// Definitions come from the store's view of the portal: HubSpot's catalog
// (internal/crm/schema) plus the portal's custom properties and groups. A
// property must exist before a record can hold a value for it, as at
// HubSpot, so what is created here is what the objects API accepts.
//
// The store checks definitions and words the refusals; this package adds
// what names the field or property at fault (the options an enumeration
// lacks, the property a 404 is about) and decides what a batch input's
// failure does to the batch.
package crmproperties

import (
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
}

// Register binds the family's operations.
func Register(reg *endpoint.Registry, d Deps) {
	p := properties{clock: d.Clock}
	reg.Handle("properties-list", p.list)
	endpoint.HandleBody(reg, "properties-create", p.create)
	reg.Handle("properties-read", p.read)
	endpoint.HandleBody(reg, "properties-update", p.update)
	reg.Handle("properties-archive", p.archive)
	reg.Handle("property-groups-list", p.listGroups)
	endpoint.HandleBody(reg, "property-groups-create", p.createGroup)
	reg.Handle("property-groups-read", p.readGroup)
	endpoint.HandleBody(reg, "property-groups-update", p.updateGroup)
	reg.Handle("property-groups-archive", p.archiveGroup)
	p.registerBatches(reg, d.Batches)
}
