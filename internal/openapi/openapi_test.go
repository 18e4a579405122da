package openapi

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
)

func TestEmbeddedDocumentsLoad(t *testing.T) {
	docs, err := Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ops, err := Operations(docs)
	if err != nil {
		t.Fatal(err)
	}
	// 9 association schema operations (not in v3), 13 object operations,
	// 4 pipeline operations and 13 properties operations (none in v4), and
	// 5 legacy association operations (v3 only), and 10 association record
	// operations (not in v3; 2026-09 has no single-record list). OAuth: 5
	// in v1 (authorize, token, access token info, refresh token info and
	// revoke), the token and introspection endpoints in v3 and 2026-03; 2
	// account-info operations in v3 and 2026-03; 7 custom object schema
	// operations in v3 and 2026-03.
	want := map[string]int{"v1": 5, "v3": 46, "v4": 19, "2025-09": 49, "2026-03": 60, "2026-09": 48}
	perVersion := map[string]int{}
	for _, op := range ops {
		perVersion[op.Document.Version]++
	}
	for v, n := range want {
		if perVersion[v] != n {
			t.Errorf("version %s: %d operations, want %d", v, perVersion[v], n)
		}
	}
	if len(perVersion) != len(want) {
		t.Errorf("versions = %v", perVersion)
	}
}

func TestVersionShapesComeFromTheDocuments(t *testing.T) {
	docs, err := Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ops, err := Operations(docs)
	if err != nil {
		t.Fatal(err)
	}
	type shape struct {
		success     int
		multiStatus bool
	}
	want := map[string]shape{
		"v4 limits-batch-create":      {201, true},
		"2026-03 limits-batch-create": {201, true},
		"2025-09 limits-batch-create": {200, false},
		"2026-09 limits-batch-create": {200, false},
		"v4 limits-batch-purge":       {204, false},
		"2026-03 limits-batch-purge":  {200, false},
		"2026-09 limits-batch-update": {200, false},
		"v4 limits-batch-update":      {200, true},
		"v4 labels-create":            {200, false},
		"2026-09 labels-delete":       {204, false},
		// Record batches: 207 except in 2026-09 (HUBSPOT-RECORDS.md §1.1).
		"v3 objects-batch-read":        {200, true},
		"2025-09 objects-batch-create": {201, true},
		"2026-03 objects-batch-upsert": {200, true},
		"2026-09 objects-batch-create": {201, false},
		"2026-09 objects-batch-update": {200, false},
		"v3 objects-batch-archive":     {204, false},
		// Legacy v3 associations (HUBSPOT-RECORDS.md §3.1).
		"v3 associations-v3-batch-create":  {201, true},
		"v3 associations-v3-batch-read":    {200, true},
		"v3 associations-v3-batch-archive": {204, false},
		// Property batches keep 207 in every version.
		"2026-09 properties-batch-create":  {201, true},
		"v3 properties-batch-read":         {200, true},
		"2026-03 properties-batch-archive": {204, false},
		// Association record batches (HUBSPOT-RECORDS.md §3.1).
		"v4 associations-batch-create":              {201, true},
		"2026-09 associations-batch-create":         {200, false},
		"v4 associations-batch-read":                {200, true},
		"2026-09 associations-batch-read":           {200, false},
		"v4 associations-batch-archive":             {204, false},
		"2025-09 associations-batch-archive":        {200, false},
		"2026-03 associations-batch-archive-labels": {200, false},
		"v4 associations-create":                    {201, false},
		// OAuth: the install screen answers only with a redirect.
		"v1 oauth-authorize":             {302, false},
		"v1 oauth-refresh-token-archive": {204, false},
		"2026-03 oauth-token":            {200, false},
		"v3 account-api-usage-daily":     {200, false},
	}
	for _, op := range ops {
		key := op.Document.Version + " " + op.ID
		if w, ok := want[key]; ok {
			if op.Success != w.success || op.MultiStatus != w.multiStatus {
				t.Errorf("%s: success %d multi %v, want %d %v", key, op.Success, op.MultiStatus, w.success, w.multiStatus)
			}
			delete(want, key)
		}
		// Batch-ness comes from the contract (an "inputs" array in the
		// body), never from the path.
		if wantBatch := strings.Contains(op.ID, "-batch-"); op.Batch != wantBatch {
			t.Errorf("%s: batch = %v, want %v", key, op.Batch, wantBatch)
		}
		// Only OAuth's own operations take no credentials, and only the
		// token and introspection endpoints take a form.
		if wantPublic := strings.HasPrefix(op.ID, "oauth-"); op.Public != wantPublic {
			t.Errorf("%s: public = %v, want %v", key, op.Public, wantPublic)
		}
		if wantForm := op.ID == "oauth-token" || op.ID == "oauth-token-introspect"; op.Form != wantForm {
			t.Errorf("%s: form = %v, want %v", key, op.Form, wantForm)
		}
		if op.ID == "labels-list" {
			hasIDs := op.ResponseHasProperty("fromObjectTypeId")
			wantIDs := op.Document.Version == "v4" || op.Document.Version == "2026-03"
			if hasIDs != wantIDs {
				t.Errorf("%s: labels carry object type ids = %v, want %v", key, hasIDs, wantIDs)
			}
		}
	}
	for k := range want {
		t.Errorf("operation %s not found", k)
	}
}

func TestBrokenDocumentStopsLoading(t *testing.T) {
	const valid = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\nx-mockhub-version: v9\n" +
		"paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200': {description: ok}\n"
	cases := []struct {
		name, body, wantErr string
	}{
		{"valid", valid, ""},
		{"not YAML", "openapi: [", "load v9.yaml"},
		{"no version", strings.Replace(valid, "x-mockhub-version: v9\n", "", 1), "has no x-mockhub-version"},
		{"version not the file name", strings.Replace(valid, "version: v9", "version: v8", 1), "declares version"},
		{"invalid schema", strings.Replace(valid, "{description: ok}", "{description: ok, content: {application/json: {schema: {type: nonsense}}}}", 1), "validate v9.yaml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"v9.yaml": {Data: []byte(tc.body)}}
			_, err := LoadFS(context.Background(), fsys)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}
