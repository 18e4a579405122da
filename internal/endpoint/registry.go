package endpoint

import (
	"fmt"

	"github.com/mockhub/mockhub/internal/apierr"
)

// Registry maps operationIds to handlers and path parameter names to
// resolvers. API families fill it at start-up (each with its own Register
// function); misuse, such as registering an operation twice, panics then,
// never per request.
type Registry struct {
	handlers  map[string]Handler
	resolvers map[string]Resolver
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{handlers: map[string]Handler{}, resolvers: map[string]Resolver{}}
}

// Resolver turns one path parameter into the value handlers use (an object
// type, an id). A resolver that fails returns the detail HubSpot reports for
// that parameter; the call is then answered with 400 VALIDATION_ERROR listing
// every failed parameter.
type Resolver struct {
	// Routing resolvers run before the parameters are validated against the
	// contract, as HubSpot infers object types while it routes; the others
	// run after, on values the contract has accepted.
	Routing bool
	Resolve func(c *Call, raw string) (any, *apierr.Detail)
}

// Resolve registers the resolver of every path parameter called name, in
// every operation of every family.
func (r *Registry) Resolve(name string, res Resolver) {
	if _, dup := r.resolvers[name]; dup {
		panic("endpoint: resolver for " + name + " registered twice")
	}
	r.resolvers[name] = res
}

// Handle registers the handler of an operation that takes no body (or whose
// handler does not read it).
func (r *Registry) Handle(operationID string, h Handler) {
	if _, dup := r.handlers[operationID]; dup {
		panic("endpoint: operation " + operationID + " registered twice")
	}
	r.handlers[operationID] = h
}

// HandleBody registers the handler of an operation whose body binds to B.
// The body has been validated against the operation's schema before it is
// bound, so B only needs the fields the handler reads.
func HandleBody[B any](r *Registry, operationID string, h func(c *Call, body *B) (Reply, error)) {
	r.Handle(operationID, func(c *Call) (Reply, error) {
		body := new(B)
		if err := Bind(c.body, body); err != nil {
			// The contract accepted a value the handler's type cannot hold
			// (an integer beyond the field's range): refuse it as HubSpot
			// would refuse an out-of-range value.
			return Reply{}, apierr.Validation(fmt.Sprintf("Invalid input JSON: %v", err))
		}
		return h(c, body)
	})
}

// handler returns the handler registered for operationID.
func (r *Registry) handler(operationID string) (Handler, bool) {
	h, ok := r.handlers[operationID]
	return h, ok
}
