// Package openapi holds mockhub's own OpenAPI documents, one per HubSpot API
// version, embedded so the binary needs nothing beside it, and their compiled
// form (compiled.bin) that start-up reads instead of parsing the YAML. The
// code that loads them is internal/openapi.
//
// The documents are generated from src (one base document per API family
// plus one overlay per version, see src/README.md): edit src, then run
// go generate ./openapi, which rewrites the YAML and then compiled.bin.
package openapi

import "embed"

// Documents holds every version's document (*.yaml at the root), generated
// from src; TestDocumentsAreCurrent (internal/openapi/gen) fails when they
// are not what src generates.
//
//go:generate go run ../internal/openapi/gen -src src -out .
//go:embed *.yaml
var Documents embed.FS

// Compiled is the compiled form of Documents (package
// internal/openapi/compiled), regenerated after the YAML by the same
// go generate run; while it is stale a document is parsed from YAML
// (correct, only slower) and TestCompiledDocumentsAreCurrent fails.
//
//go:generate go test ../internal/openapi -run TestCompiledDocumentsAreCurrent -update
//go:embed compiled.bin
var Compiled string
