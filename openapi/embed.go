// Package openapi holds mockhub's own OpenAPI documents, one per HubSpot API
// version, embedded so the binary needs nothing beside it, and their compiled
// form (compiled.bin) that start-up reads instead of parsing the YAML. The
// code that loads them is internal/openapi.
package openapi

import "embed"

// Documents holds every version's document (*.yaml at the root).
//
//go:embed *.yaml
var Documents embed.FS

// Compiled is the compiled form of Documents (package
// internal/openapi/compiled). Regenerate it after editing a document; until
// then that document is parsed from YAML (correct, only slower) and
// TestCompiledDocumentsAreCurrent fails.
//
//go:generate go test ../internal/openapi -run TestCompiledDocumentsAreCurrent -update
//go:embed compiled.bin
var Compiled string
