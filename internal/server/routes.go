package server

import (
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/objecttype"
)

// resolveObjectTypes registers the resolvers of the path parameters that
// name object types, in any spelling HubSpot accepts; an unknown one is
// HubSpot's 400 "Unable to infer object type from: …". They resolve while
// routing, before the other parameters are validated, as HubSpot does.
func resolveObjectTypes(reg *endpoint.Registry, types *objecttype.Registry) {
	// A standard type is boxed once and the box shared, so resolving costs
	// no allocation; custom object ids are few per request and not cached
	// (a client could send any number of them).
	var boxed sync.Map // standard type name -> any(objecttype.Type)
	for _, name := range []string{"fromObjectType", "toObjectType", "objectType"} {
		reg.Resolve(name, endpoint.Resolver{Routing: true, Resolve: func(_ *endpoint.Call, raw string) (any, *apierr.Detail) {
			t, ok := types.Resolve(raw)
			if !ok && isFullyQualifiedName(raw) {
				// A custom object type's p{portalId}_{name}: which type it
				// is, if any, only the portal knows.
				return objecttype.Type{ID: raw}, nil
			}
			if !ok {
				return nil, &apierr.Detail{Message: "Unable to infer object type from: " + raw, In: name}
			}
			if t.Name == "" {
				return t, nil
			}
			if v, ok := boxed.Load(t.Name); ok {
				return v, nil
			}
			v, _ := boxed.LoadOrStore(t.Name, any(t))
			return v, nil
		}})
	}
}

// isFullyQualifiedName reports whether s has the shape of a custom object
// type's fully qualified name, p{portalId}_{name}.
func isFullyQualifiedName(s string) bool {
	digits, name, ok := strings.Cut(strings.TrimPrefix(strings.ToLower(s), "p"), "_")
	if !ok || len(s) < 4 || (s[0] != 'p' && s[0] != 'P') || digits == "" || name == "" {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	for _, r := range name {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// resolveIDs registers the resolvers of numeric path parameters. They run
// after the contract has accepted the value, so parsing cannot fail.
func resolveIDs(reg *endpoint.Registry) {
	reg.Resolve("associationTypeId", endpoint.Resolver{Resolve: func(_ *endpoint.Call, raw string) (any, *apierr.Detail) {
		id, err := strconv.ParseInt(raw, 10, 32)
		if err != nil {
			return nil, &apierr.Detail{Message: "associationTypeId must be a 32-bit integer, got " + strconv.Quote(raw), In: "associationTypeId"}
		}
		return int32(id), nil
	}})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	apierr.Write(w, r, apierr.RouteNotFound(r.Method, r.URL.Path))
}

// methodNotAllowed answers 405 with the methods the path does serve in
// Allow; chi does not hand them to a custom handler, so they are looked up.
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if s.router.Match(chi.NewRouteContext(), m, path) {
			allowed = append(allowed, m)
		}
	}
	apierr.Write(w, r, apierr.MethodNotAllowed(r.Method, r.URL.Path, allowed))
}
