package associationschema_test

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
)

var update = flag.Bool("update", false, "rewrite golden files")

// versionCase is what HubSpot answers in one API version (HUBSPOT.md §2.3,
// §3), written out independently of the documents so that a drift in either
// shows up.
type versionCase struct {
	name        string
	prefix      string
	create      int
	update      int
	purge       int
	multiStatus bool
	// purgeErrors: purge's 200 body lists failed inputs in errors; without
	// it (v4's 204) a purge with a bad input is refused whole.
	purgeErrors  bool
	labelTypeIDs bool
}

var versionCases = []versionCase{
	{"v4", "/crm/associations/v4", 201, 200, 204, true, false, true},
	{"v4 client spelling", "/crm/v4/associations", 201, 200, 204, true, false, true},
	{"2025-09", "/crm/associations/2025-09", 200, 200, 200, false, true, false},
	{"2026-03", "/crm/associations/2026-03", 201, 200, 200, true, true, true},
	{"2026-09", "/crm/associations/2026-09", 200, 200, 200, false, true, false},
}

func typeIDs(rs []map[string]any) map[int]map[string]any {
	out := map[int]map[string]any{}
	for _, r := range rs {
		out[int(r["typeId"].(float64))] = r
	}
	return out
}

// TestLifecycleInEveryVersion walks labels and limits through every
// operation in every version and path spelling.
func TestLifecycleInEveryVersion(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			const tok = "pat-na1-lifecycle"
			cfg := vc.prefix + "/definitions/configurations"

			r := h.Do("GET", cfg+"/all", tok, "")
			r.Expect(t, 200)
			if n := len(r.Results(t)); n != 0 {
				t.Fatalf("new portal has %d limits", n)
			}

			// Labels: create a paired label and find both directions.
			r = h.Do("POST", vc.prefix+"/contacts/companies/labels", tok, `{"label":"Manager","inverseLabel":"Employee","name":"manager"}`)
			r.Expect(t, 200)
			created := r.Results(t)
			if len(created) != 2 {
				t.Fatalf("created %d types: %s", len(created), r.Body)
			}
			forward := int(created[0]["typeId"].(float64))
			inverse := int(created[1]["typeId"].(float64))
			if created[0]["label"] != "Manager" || created[1]["label"] != "Employee" || created[0]["category"] != "USER_DEFINED" || inverse != forward+1 {
				t.Fatalf("created = %s", r.Body)
			}
			_, hasIDs := created[0]["fromObjectTypeId"]
			if hasIDs != vc.labelTypeIDs {
				t.Fatalf("labels carry object type ids = %v, want %v", hasIDs, vc.labelTypeIDs)
			}
			if vc.labelTypeIDs && (created[0]["fromObjectTypeId"] != "0-1" || created[1]["fromObjectTypeId"] != "0-2") {
				t.Fatalf("object type ids: %s", r.Body)
			}
			r = h.Do("GET", vc.prefix+"/0-2/0-1/labels", tok, "")
			r.Expect(t, 200)
			if got := typeIDs(r.Results(t))[inverse]; got == nil || got["label"] != "Employee" {
				t.Fatalf("company->contact labels: %s", r.Body)
			}
			r = h.Do("PUT", vc.prefix+"/contact/company/labels", tok, fmt.Sprintf(`{"associationTypeId":%d,"label":"Boss"}`, forward))
			r.Expect(t, 204)
			r = h.Do("GET", vc.prefix+"/contacts/companies/labels", tok, "")
			listed := typeIDs(r.Results(t))
			if listed[forward]["label"] != "Boss" || listed[279]["label"] != nil || listed[1]["label"] != "Primary" {
				t.Fatalf("contact->company labels: %s", r.Body)
			}

			// Limits: create, partial create, all-failing create.
			r = h.Do("POST", cfg+"/contacts/companies/batch/create", tok,
				fmt.Sprintf(`{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":10},{"category":"USER_DEFINED","typeId":%d,"maxToObjectIds":2}]}`, forward))
			r.Expect(t, vc.create)
			body := r.JSON(t)
			if body["status"] != "COMPLETE" || len(r.Results(t)) != 2 {
				t.Fatalf("create: %s", r.Body)
			}
			for _, k := range []string{"requestedAt", "startedAt", "completedAt"} {
				if body[k] != "2026-03-30T12:00:00.123Z" {
					t.Errorf("%s = %v", k, body[k])
				}
			}
			partial := `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5},{"category":"HUBSPOT_DEFINED","typeId":1,"maxToObjectIds":1}]}`
			r = h.Do("POST", cfg+"/contacts/companies/batch/create", tok, partial)
			wantPartial := 207
			if !vc.multiStatus {
				wantPartial = vc.create
			}
			r.Expect(t, wantPartial)
			body = r.JSON(t)
			if body["numErrors"] != 1.0 || len(r.Results(t)) != 1 {
				t.Fatalf("partial create: %s", r.Body)
			}
			e := body["errors"].([]any)[0].(map[string]any)
			if e["status"] != "error" || e["category"] != "VALIDATION_ERROR" || e["message"] != "A limit already exists for typeId 279" {
				t.Fatalf("per-input error: %v", e)
			}
			r = h.Do("POST", cfg+"/contacts/companies/batch/create", tok, partial)
			r.Expect(t, 400)

			r = h.Do("GET", cfg+"/0-1/0-2", tok, "")
			r.Expect(t, 200)
			limits := typeIDs(r.Results(t))
			if len(limits) != 3 || limits[279]["userEnforcedMaxToObjectIds"] != 10.0 || limits[forward]["label"] != "Boss" || limits[1]["label"] != "Primary" {
				t.Fatalf("read pair: %s", r.Body)
			}

			// Update: full and partial.
			r = h.Do("POST", cfg+"/contacts/companies/batch/update", tok, `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":20}]}`)
			r.Expect(t, vc.update)
			if res := r.Results(t); len(res) != 1 || res[0]["userEnforcedMaxToObjectIds"] != 20.0 {
				t.Fatalf("update: %s", r.Body)
			}
			if _, hasLabel := r.Results(t)[0]["label"]; hasLabel {
				t.Fatalf("update results carry a label: %s", r.Body)
			}
			r = h.Do("POST", cfg+"/contacts/companies/batch/update", tok, `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":30},{"category":"HUBSPOT_DEFINED","typeId":931,"maxToObjectIds":3}]}`)
			if vc.multiStatus {
				r.Expect(t, 207)
			} else {
				r.Expect(t, vc.update)
			}
			if e := r.JSON(t)["errors"].([]any)[0].(map[string]any); e["category"] != "OBJECT_NOT_FOUND" {
				t.Fatalf("update of a missing limit: %v", e)
			}

			// A label in use cannot be deleted; purge frees it.
			r = h.Do("DELETE", fmt.Sprintf("%s/contacts/companies/labels/%d", vc.prefix, forward), tok, "")
			r.Expect(t, 400)
			r = h.Do("POST", cfg+"/contacts/companies/batch/purge", tok, fmt.Sprintf(`{"inputs":[{"category":"USER_DEFINED","typeId":%d}]}`, forward))
			r.Expect(t, vc.purge)
			if vc.purge == 204 && len(r.Body) != 0 {
				t.Fatalf("204 with a body: %s", r.Body)
			}
			if vc.purge == 200 && r.JSON(t)["status"] != "COMPLETE" {
				t.Fatalf("purge: %s", r.Body)
			}
			r = h.Do("POST", cfg+"/contacts/companies/batch/purge", tok, fmt.Sprintf(`{"inputs":[{"category":"USER_DEFINED","typeId":%d}]}`, forward))
			r.Expect(t, vc.purge) // purging what is gone succeeds
			r = h.Do("DELETE", fmt.Sprintf("%s/contacts/companies/labels/%d", vc.prefix, forward), tok, "")
			r.Expect(t, 204)
			r = h.Do("DELETE", fmt.Sprintf("%s/contacts/companies/labels/%d", vc.prefix, forward), tok, "")
			r.Expect(t, 404)

			r = h.Do("GET", cfg+"/all", tok, "")
			all := typeIDs(r.Results(t))
			if len(all) != 2 || all[forward] != nil {
				t.Fatalf("read all: %s", r.Body)
			}
		})
	}
}

// TestPurgeWithBadInputs: versions whose purge answer has no errors field
// (v4's 204) refuse the whole batch; the others (every 200 purge, 2026-03's
// included) report the bad input and purge the rest.
func TestPurgeWithBadInputs(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			cfg := vc.prefix + "/definitions/configurations/contacts/companies"
			h.Do("POST", cfg+"/batch/create", "t", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":10}]}`).Expect(t, vc.create)
			r := h.Do("POST", cfg+"/batch/purge", "t", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279},{"category":"HUBSPOT_DEFINED","typeId":4}]}`)
			remaining := len(h.Do("GET", cfg, "t", "").Results(t))
			if vc.purgeErrors {
				r.Expect(t, 200)
				body := r.JSON(t)
				if body["status"] != "COMPLETE" || body["numErrors"] != 1.0 || remaining != 0 {
					t.Fatalf("purge: %s, %d left", r.Body, remaining)
				}
				errs, _ := body["errors"].([]any)
				if len(errs) != 1 {
					t.Fatalf("errors: %s", r.Body)
				}
				e, _ := errs[0].(map[string]any)
				ctx, _ := e["context"].(map[string]any)
				if e["category"] != "VALIDATION_ERROR" || fmt.Sprint(ctx["typeId"]) != "[4]" {
					t.Fatalf("error of the bad input: %s", r.Body)
				}
				return
			}
			r.Expect(t, 400)
			if remaining != 1 {
				t.Fatalf("refused purge removed the limit")
			}
		})
	}
}

func TestErrors(t *testing.T) {
	const cfg = "/crm/associations/2026-03/definitions/configurations"
	const labels = "/crm/associations/2026-03/contacts/companies/labels"
	create := cfg + "/contacts/companies/batch/create"
	valid := `{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":279}]}`
	cases := []struct {
		name        string
		method      string
		path        string
		token       string
		body        string
		contentType string
		status      int
		category    string
		message     string // exact, or a prefix when ending in "…"
		in          []string
	}{
		{"no credentials", "POST", create, "", valid, "application/json", 401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview", nil},
		{"hapikey only", "GET", cfg + "/all?hapikey=abc", "", "", "", 401, "INVALID_AUTHENTICATION", "Authentication credentials not found…", nil},
		{"credentials checked before object types", "GET", cfg + "/nope/companies", "", "", "", 401, "INVALID_AUTHENTICATION", "Authentication credentials not found…", nil},
		{"unknown object type", "GET", cfg + "/widgets/companies", "t", "", "", 400, "VALIDATION_ERROR", "Unable to infer object type from: widgets", []string{"fromObjectType"}},
		{"object type checked before body", "POST", cfg + "/contacts/nope/batch/create", "t", `{`, "application/json", 400, "VALIDATION_ERROR", "Unable to infer object type from: nope", []string{"toObjectType"}},
		{"custom object name is not inferred", "GET", cfg + "/credentialing_2_0/companies", "t", "", "", 400, "VALIDATION_ERROR", "Unable to infer object type from: credentialing_2_0", nil},
		{"malformed JSON", "POST", create, "t", "{\n  \"inputs\": [}", "application/json", 400, "VALIDATION_ERROR", "Invalid input JSON on line 2, column 14: …", nil},
		{"empty body", "POST", create, "t", " ", "application/json", 400, "VALIDATION_ERROR", "Invalid input JSON on line 1, column 2: No content to map due to end-of-input", nil},
		{"trailing garbage", "POST", create, "t", valid + "x", "application/json", 400, "VALIDATION_ERROR", "Invalid input JSON on line 1, column …", nil},
		{"wrong JSON type", "POST", create, "t", `{"inputs":"x"}`, "application/json", 400, "VALIDATION_ERROR", "Invalid input JSON: inputs: value must be an array (got \"x\")", []string{"inputs"}},
		{"every violation listed", "POST", create, "t", `{"inputs":[{"category":"NOPE","typeId":1.5},{}]}`, "application/json", 400, "VALIDATION_ERROR", "Invalid input JSON: …",
			[]string{"inputs[0]", "inputs[1]", "inputs[0].category", "inputs[0].typeId"}},
		{"int32 overflow", "POST", create, "t", `{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":3000000000}]}`, "application/json", 400, "VALIDATION_ERROR", "Invalid input JSON: …", []string{"inputs[0].typeId"}},
		{"missing inputs", "POST", create, "t", `{}`, "application/json", 400, "VALIDATION_ERROR", "Invalid input JSON: Some required fields were not set: [inputs]", nil},
		{"not JSON content type", "POST", create, "t", valid, "text/plain", 415, "VALIDATION_ERROR", "Content type 'text/plain' not supported; send application/json", nil},
		{"no content type", "POST", create, "t", valid, "", 415, "VALIDATION_ERROR", "Content type 'none' not supported; send application/json", nil},
		{"body too large", "POST", create, "t", `{"inputs":[` + strings.Repeat(" ", 1<<20) + `]}`, "application/json", 413, "VALIDATION_ERROR", "Request body is larger than the limit of 1048576 bytes", nil},
		{"too many inputs", "POST", create, "t", `{"inputs":[` + strings.TrimSuffix(strings.Repeat(`{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":279},`, 101), ",") + `]}`, "application/json", 400, "VALIDATION_ERROR", "Too many inputs: 101; a batch accepts at most 100", nil},
		{"every input fails", "POST", create, "t", `{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":0,"typeId":279}]}`, "application/json", 400, "VALIDATION_ERROR", "maxToObjectIds 0 for typeId 279 is out of range; the valid range is 1-50000", []string{"inputs[0]"}},
		{"unknown route", "GET", "/crm/associations/2026-03/nothing", "t", "", "", 404, "OBJECT_NOT_FOUND", "Resource not found", nil},
		{"unknown version", "GET", "/crm/associations/2030-01/definitions/configurations/all", "t", "", "", 404, "OBJECT_NOT_FOUND", "Resource not found", nil},
		{"wrong method", "DELETE", cfg + "/all", "t", "", "", 405, "VALIDATION_ERROR", "HTTP method DELETE is not supported by this resource: " + cfg + "/all", nil},
		{"non-integer typeId in path", "DELETE", labels + "/abc", "t", "", "", 400, "VALIDATION_ERROR", "Invalid value \"abc\" for path parameter associationTypeId: …", []string{"associationTypeId"}},
		{"unknown label", "DELETE", labels + "/777777", "t", "", "", 404, "OBJECT_NOT_FOUND", "No association label with typeId 777777 exists from contact to company", nil},
		{"HubSpot-defined label", "DELETE", labels + "/279", "t", "", "", 400, "VALIDATION_ERROR", "Association type 279 is defined by HubSpot and cannot be deleted", nil},
		{"update unknown label", "PUT", labels, "t", `{"associationTypeId":777777,"label":"x"}`, "application/json", 404, "OBJECT_NOT_FOUND", "No association label with typeId 777777 exists from contact to company", nil},
		{"label missing fields", "POST", labels, "t", `{"inverseLabel":"x"}`, "application/json", 400, "VALIDATION_ERROR", "Invalid input JSON: Some required fields were not set: [label, name]", nil},
		{"label name with hyphen", "POST", labels, "t", `{"label":"x","name":"a-b"}`, "application/json", 400, "VALIDATION_ERROR", "name 'a-b' is not a valid internal name: …", []string{"name"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			r := h.DoWith(tc.method, tc.path, tc.token, tc.body, tc.contentType)
			r.Expect(t, tc.status)
			body := r.JSON(t)
			if body["status"] != "error" || body["category"] != tc.category {
				t.Fatalf("body: %s", r.Body)
			}
			if id, _ := body["correlationId"].(string); id == "" || id != r.Header.Get("X-HubSpot-Correlation-Id") {
				t.Fatalf("correlation id %q vs header %q", id, r.Header.Get("X-HubSpot-Correlation-Id"))
			}
			msg, _ := body["message"].(string)
			if prefix, ok := strings.CutSuffix(tc.message, "…"); ok {
				if !strings.HasPrefix(msg, prefix) {
					t.Fatalf("message %q, want prefix %q", msg, prefix)
				}
			} else if msg != tc.message {
				t.Fatalf("message %q, want %q", msg, tc.message)
			}
			if tc.status == 405 {
				if allow := strings.Join(r.Header.Values("Allow"), ","); allow != "GET" {
					t.Fatalf("Allow = %q, want GET", allow)
				}
			}
			if tc.in != nil {
				var got []string
				for _, d := range body["errors"].([]any) {
					got = append(got, d.(map[string]any)["in"].(string))
				}
				if strings.Join(got, ",") != strings.Join(tc.in, ",") {
					t.Fatalf("errors[].in = %v, want %v (%s)", got, tc.in, r.Body)
				}
			}
		})
	}
}

func TestLabelConflicts(t *testing.T) {
	h := apitest.New(t, server.Config{})
	labels := "/crm/v4/associations/contacts/contacts/labels"
	h.Do("POST", labels, "t", `{"label":"Sibling","name":"sibling"}`).Expect(t, 200)
	r := h.Do("POST", labels, "t", `{"label":"Other","name":"sibling"}`)
	r.Expect(t, 409)
	if r.JSON(t)["category"] != "CONFLICT" {
		t.Fatalf("%s", r.Body)
	}
	for i := 1; i < 10; i++ {
		h.Do("POST", labels, "t", fmt.Sprintf(`{"label":"L%d","name":"l%d"}`, i, i)).Expect(t, 200)
	}
	r = h.Do("POST", labels, "t", `{"label":"One too many","name":"eleventh"}`)
	r.Expect(t, 400)
	if msg := r.JSON(t)["message"]; msg != "At most 10 custom association labels are allowed between contact and contact" {
		t.Fatalf("message %v", msg)
	}
}

func TestObjectTypeSpellingsAddressOnePair(t *testing.T) {
	h := apitest.New(t, server.Config{})
	cfg := "/crm/associations/2026-09/definitions/configurations/"
	h.Do("POST", cfg+"0-1/0-2/batch/create", "t", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279,"maxToObjectIds":5}]}`).Expect(t, 200)
	for _, pair := range []string{"contacts/companies", "CONTACT/Company", "0-1/companies", "Contacts/0-2"} {
		r := h.Do("GET", cfg+pair, "t", "")
		r.Expect(t, 200)
		if len(r.Results(t)) != 1 {
			t.Errorf("%s: %s", pair, r.Body)
		}
	}
	// Custom objects are addressed by id; they have no HubSpot-defined types,
	// so their own labels are all there is.
	r := h.Do("POST", "/crm/associations/2026-03/2-123/contacts/labels", "t", `{"label":"Holder","name":"holder"}`)
	r.Expect(t, 200)
	if got := r.Results(t)[0]["fromObjectTypeId"]; got != "2-123" {
		t.Fatalf("custom object id %v", got)
	}
	r = h.Do("GET", "/crm/associations/2026-03/2-123/contacts/labels", "t", "")
	if len(r.Results(t)) != 1 {
		t.Fatalf("custom labels: %s", r.Body)
	}
}

func TestGoldenBodies(t *testing.T) {
	h := apitest.New(t, server.Config{})
	cfg := "/crm/associations/2026-03/definitions/configurations/contacts/companies"
	seed := `{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":279}]}`
	apitest.Golden(t, "seed-create-2026-03", h.Do("POST", cfg+"/batch/create", "t", seed).Body, *update)
	apitest.Golden(t, "partial-create-2026-03", h.Do("POST", cfg+"/batch/create", "t",
		`{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":279},{"category":"HUBSPOT_DEFINED","maxToObjectIds":1,"typeId":1}]}`).Body, *update)
	apitest.Golden(t, "create-with-errors-2025-09", h.Do("POST", "/crm/associations/2025-09/definitions/configurations/contacts/companies/batch/create", "t",
		`{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":931},{"category":"USER_DEFINED","maxToObjectIds":1,"typeId":1}]}`).Body, *update)
	apitest.Golden(t, "purge-2026-03", h.Do("POST", cfg+"/batch/purge", "t", `{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":279}]}`).Body, *update)
	apitest.Golden(t, "labels-deal-contact-v4", h.Do("GET", "/crm/v4/associations/deals/contacts/labels", "t", "").Body, *update)
	apitest.Golden(t, "labels-deal-contact-2026-09", h.Do("GET", "/crm/associations/2026-09/deals/contacts/labels", "t", "").Body, *update)
	apitest.Golden(t, "error-schema-2026-03", h.Do("POST", cfg+"/batch/create", "t", `{"inputs":[{"typeId":"x"}]}`).Body, *update)
}
