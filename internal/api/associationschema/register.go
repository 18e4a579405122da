// Package associationschema serves HubSpot's association schema API: the
// limits a portal configures on associations between object types, and the
// custom labels (association types) it defines. Its operations are in the
// association-schema source of our documents; Register binds each
// operationId to its handler.
package associationschema

import (
	"strings"

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
	return store.Pair{From: typeKey(c, "fromObjectType"), To: typeKey(c, "toObjectType")}
}

// typeKey is the key of the object type a path parameter names. A custom
// type's fully qualified name (p{portalId}_{name}) is the portal's to
// resolve, to the type's id; a name the portal does not define stays as
// given, so the store refuses the pair as it refuses an unknown id.
func typeKey(c *endpoint.Call, param string) string {
	t := endpoint.Value[objecttype.Type](c, param)
	key := t.Key()
	if t.Name != "" || strings.HasPrefix(key, "2-") {
		return key
	}
	c.Portal().View(func(v *store.View) {
		if ot, ok := v.ObjectType(key); ok {
			key = ot.Key()
		}
	})
	return key
}
