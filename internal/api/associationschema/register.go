// Package associationschema serves HubSpot's association schema API: the
// limits a portal configures on associations between object types, and the
// custom labels (association types) it defines. Its operations are in the
// association-schema source of our documents; Register binds each
// operationId to its handler.
package associationschema

import (
	"github.com/mockhub/mockhub/internal/batch"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/objecttype"
	"github.com/mockhub/mockhub/internal/store"
)

// Deps is what the family needs from the server.
type Deps struct {
	// Types names object types in label answers.
	Types *objecttype.Registry
	// Batches runs the limits batches.
	Batches *batch.Runner
}

// Register binds the family's operations.
func Register(reg *endpoint.Registry, d Deps) {
	reg.Handle("limits-read-all", readAllLimits)
	reg.Handle("limits-read-pair", readPairLimits)
	batch.Handle(reg, d.Batches, "limits-batch-create", limitsBatch(store.LimitCreate))
	batch.Handle(reg, d.Batches, "limits-batch-update", limitsBatch(store.LimitUpdate))
	batch.Handle(reg, d.Batches, "limits-batch-purge", limitsBatch(store.LimitPurge))

	l := labels{types: d.Types}
	reg.Handle("labels-list", l.list)
	endpoint.HandleBody(reg, "labels-create", l.create)
	endpoint.HandleBody(reg, "labels-update", l.update)
	reg.Handle("labels-delete", l.delete)
}

// pair is the ordered pair of object types of the call's path.
func pair(c *endpoint.Call) store.Pair {
	from := endpoint.Value[objecttype.Type](c, "fromObjectType")
	to := endpoint.Value[objecttype.Type](c, "toObjectType")
	return store.Pair{From: from.Key(), To: to.Key()}
}
