package crmassociations_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/auth"
	"github.com/mockhub/mockhub/internal/clock"
	"github.com/mockhub/mockhub/internal/ratelimit"
	"github.com/mockhub/mockhub/internal/server"
)

const tok = "pat-na1-associations"

// versionCase is one API version: where its records and batches live and
// the codes that differ (HUBSPOT-RECORDS.md §3.1).
type versionCase struct {
	name    string
	objects string // record prefix
	batches string // association batch prefix
	// createStatus is batch create's all-succeeded code, multi its code
	// when some inputs fail (the same code when the version has no 207).
	createStatus, multi int
	readMulti           int
	archiveStatus       int
	location            bool // labeled create answers a Location header
	list                bool // the single-record list exists
	typeIDs             bool // association types carry object type ids
}

var versionCases = []versionCase{
	{"v4", "/crm/v4/objects", "/crm/v4/associations", 201, 207, 207, 204, true, true, true},
	{"v4 current spelling", "/crm/v4/objects", "/crm/associations/v4", 201, 207, 207, 204, true, true, true},
	{"2025-09", "/crm/objects/2025-09", "/crm/associations/2025-09", 201, 207, 207, 200, true, true, true},
	{"2026-03", "/crm/objects/2026-03", "/crm/associations/2026-03", 201, 207, 207, 200, true, true, true},
	{"2026-09", "/crm/objects/2026-09", "/crm/associations/2026-09", 200, 200, 200, 200, false, false, false},
}

// record creates a record of objectType through the v3 objects API and
// returns its id.
func record(t *testing.T, h *apitest.Harness, objectType string) string {
	t.Helper()
	r := h.Do("POST", "/crm/v3/objects/"+objectType, tok, `{"properties":{}}`)
	r.Expect(t, 201)
	id, _ := r.JSON(t)["id"].(string)
	if id == "" {
		t.Fatalf("no id: %s", r.Body)
	}
	return id
}

// records creates n records of objectType.
func records(t *testing.T, h *apitest.Harness, objectType string, n int) []string {
	t.Helper()
	out := make([]string, n)
	for i := range out {
		out[i] = record(t, h, objectType)
	}
	return out
}

// setLimit configures a limit through the limits API.
func setLimit(t *testing.T, h *apitest.Harness, from, to string, typeID, max int) {
	t.Helper()
	body := fmt.Sprintf(`{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":%d,"maxToObjectIds":%d}]}`, typeID, max)
	h.Do("POST", "/crm/associations/2026-03/definitions/configurations/"+from+"/"+to+"/batch/create", tok, body).Expect(t, 201)
}

// purgeLimit removes a limit through the limits API.
func purgeLimit(t *testing.T, h *apitest.Harness, from, to string, typeID int) {
	t.Helper()
	body := fmt.Sprintf(`{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":%d}]}`, typeID)
	h.Do("POST", "/crm/associations/v4/definitions/configurations/"+from+"/"+to+"/batch/purge", tok, body).Expect(t, 204)
}

// list returns the ids a record is associated with (through the v4 list,
// which every version's store shares) and their type ids.
func list(t *testing.T, h *apitest.Harness, objectType, id, toType string) map[string][]int {
	t.Helper()
	r := h.Do("GET", "/crm/v4/objects/"+objectType+"/"+id+"/associations/"+toType, tok, "")
	r.Expect(t, 200)
	out := map[string][]int{}
	for _, res := range r.Results(t) {
		var ids []int
		for _, at := range res["associationTypes"].([]any) {
			ids = append(ids, int(at.(map[string]any)["typeId"].(float64)))
		}
		slices.Sort(ids)
		out[res["toObjectId"].(string)] = ids
	}
	return out
}

func errorsOf(t *testing.T, r apitest.Response) []map[string]any {
	t.Helper()
	raw, _ := r.JSON(t)["errors"].([]any)
	out := make([]map[string]any, len(raw))
	for i, e := range raw {
		out[i], _ = e.(map[string]any)
	}
	return out
}

func contextOf(t *testing.T, m map[string]any) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	ctx, _ := m["context"].(map[string]any)
	for k, v := range ctx {
		for _, s := range v.([]any) {
			out[k] = append(out[k], s.(string))
		}
	}
	return out
}

// TestSinglePairInEveryVersion walks one contact-company pair through the
// single-pair operations in every version and path spelling.
func TestSinglePairInEveryVersion(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			contact, company := record(t, h, "contacts"), record(t, h, "companies")
			pair := vc.objects + "/contacts/" + contact + "/associations/companies/" + company

			// Default: one result per direction, this record's first.
			r := h.Do("PUT", vc.objects+"/contact/"+contact+"/associations/default/company/"+company, tok, "")
			r.Expect(t, 200)
			res := r.Results(t)
			want := []string{contact + ">" + company + ":279", company + ">" + contact + ":280"}
			var got []string
			for _, d := range res {
				spec := d["associationSpec"].(map[string]any)
				if spec["associationCategory"] != "HUBSPOT_DEFINED" {
					t.Fatalf("category: %s", r.Body)
				}
				got = append(got, fmt.Sprintf("%s>%s:%v", d["from"].(map[string]any)["id"], d["to"].(map[string]any)["id"], spec["associationTypeId"]))
			}
			if !slices.Equal(got, want) {
				t.Fatalf("default = %v, want %v", got, want)
			}
			if r.JSON(t)["status"] != "COMPLETE" {
				t.Fatalf("status: %s", r.Body)
			}

			// Labeled: the primary label; the unlabeled type is kept.
			r = h.Do("PUT", pair, tok, `[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}]`)
			r.Expect(t, 201)
			body := r.JSON(t)
			if body["fromObjectTypeId"] != "0-1" || body["toObjectTypeId"] != "0-2" || body["fromObjectId"] != contact || body["toObjectId"] != company {
				t.Fatalf("labels between: %s", r.Body)
			}
			if labels := body["labels"].([]any); len(labels) != 1 || labels[0] != "Primary" {
				t.Fatalf("labels: %s", r.Body)
			}
			if loc := r.Header.Get("Location"); (loc != "") != vc.location || (vc.location && loc != pair) {
				t.Fatalf("Location %q (want one: %v)", loc, vc.location)
			}
			if got := list(t, h, "companies", company, "contacts"); !slices.Equal(got[contact], []int{2, 280}) {
				t.Fatalf("from the company: %v", got)
			}

			// The single-record list, where the version has it.
			r = h.Do("GET", vc.objects+"/contacts/"+contact+"/associations/companies", tok, "")
			if !vc.list {
				r.Expect(t, 404)
			} else {
				r.Expect(t, 200)
				res := r.Results(t)
				if len(res) != 1 || res[0]["toObjectId"] != company {
					t.Fatalf("list: %s", r.Body)
				}
				types := res[0]["associationTypes"].([]any)
				first := types[0].(map[string]any)
				if len(types) != 2 || first["typeId"] != float64(1) || first["label"] != "Primary" || first["fromObjectTypeId"] != "0-1" || first["toObjectTypeId"] != "0-2" {
					t.Fatalf("types: %s", r.Body)
				}
				if label, ok := types[1].(map[string]any)["label"]; ok {
					t.Fatalf("the unlabeled type has label %v: %s", label, r.Body)
				}
			}

			// Sending the labels again is a no-op; an empty list drops the
			// labels and keeps the unlabeled type.
			h.Do("PUT", pair, tok, `[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}]`).Expect(t, 201)
			r = h.Do("PUT", pair, tok, `[]`)
			r.Expect(t, 201)
			if labels := r.JSON(t)["labels"].([]any); len(labels) != 0 {
				t.Fatalf("labels after []: %s", r.Body)
			}
			if got := list(t, h, "contacts", contact, "companies"); !slices.Equal(got[company], []int{279}) {
				t.Fatalf("after []: %v", got)
			}

			// Delete removes both directions; deleting again succeeds.
			h.Do("DELETE", pair, tok, "").Expect(t, 204)
			h.Do("DELETE", pair, tok, "").Expect(t, 204)
			if got := list(t, h, "companies", company, "contacts"); len(got) != 0 {
				t.Fatalf("after delete: %v", got)
			}
		})
	}
}

// TestRefusals checks each invalid single-pair request.
func TestRefusals(t *testing.T) {
	h := apitest.New(t, server.Config{})
	contact, company := record(t, h, "contacts"), record(t, h, "companies")
	base := "/crm/v4/objects/contacts/" + contact + "/associations/"
	cases := []struct {
		name, method, path, body string
		status                   int
		message                  string
		context                  map[string][]string
	}{
		{"unknown target", "PUT", base + "default/companies/999999", "", 400, "One or more associations are invalid",
			map[string][]string{"INVALID_OBJECT_IDS": {"COMPANY=999999 is not valid"}, "objectId": {"999999"}, "objectType": {"COMPANY"}}},
		{"unknown source", "PUT", "/crm/v4/objects/contacts/999999/associations/companies/" + company, `[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}]`, 400, "One or more associations are invalid",
			map[string][]string{"INVALID_OBJECT_IDS": {"CONTACT=999999 is not valid"}, "objectId": {"999999"}, "objectType": {"CONTACT"}}},
		{"type of another pair", "PUT", base + "companies/" + company, `[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":3}]`, 400, "One or more associations are invalid",
			map[string][]string{"associationSpec": {"HUBSPOT_DEFINED=3"}, "INVALID_ASSOCIATION_TYPE_ID": {"HUBSPOT_DEFINED=3 is not a valid association definition id"}}},
		{"wrong category", "PUT", base + "companies/" + company, `[{"associationCategory":"USER_DEFINED","associationTypeId":1}]`, 400, "One or more associations are invalid",
			map[string][]string{"associationSpec": {"USER_DEFINED=1"}, "INVALID_ASSOCIATION_TYPE_ID": {"USER_DEFINED=1 is not a valid association definition id"}}},
		{"unknown object type", "PUT", base + "default/gadgets/" + company, "", 400, "Unable to infer object type from: gadgets", nil},
		{"unknown custom object type", "GET", base + "2-999", "", 400, "Unable to infer object type from: 2-999", nil},
		{"body not a list", "PUT", base + "companies/" + company, `{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}`, 400, "", nil},
		{"spec without its fields", "PUT", base + "companies/" + company, `[{}]`, 400, "", nil},
		{"userId not a number", "POST", "/crm/associations/v4/usage/high-usage-report/me", "", 400, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.Do(tc.method, tc.path, tok, tc.body)
			r.Expect(t, tc.status)
			body := r.JSON(t)
			if body["category"] != "VALIDATION_ERROR" {
				t.Fatalf("category: %s", r.Body)
			}
			if tc.message != "" && body["message"] != tc.message {
				t.Fatalf("message %q, want %q", body["message"], tc.message)
			}
			if tc.context != nil {
				if got := contextOf(t, body); fmt.Sprint(got) != fmt.Sprint(tc.context) {
					t.Fatalf("context %v, want %v", got, tc.context)
				}
			}
		})
	}
	// Nothing was stored by the refusals.
	if got := list(t, h, "contacts", contact, "companies"); len(got) != 0 {
		t.Fatalf("refusals stored %v", got)
	}
}

// limitCase is one way of adding the third contact to a deal limited to
// two, or the second deal to a contact limited to one.
type limitCase struct {
	name string
	// associate adds from (of fromType) to to (of toType) and returns the
	// answer.
	associate func(h *apitest.Harness, fromType, from, toType, to string) apitest.Response
	// batch says the refusal is a per-input error (else a 400).
	batch  bool
	status int // of a refused batch
}

var limitCases = []limitCase{
	{"A1 default", func(h *apitest.Harness, ft, f, tt, to string) apitest.Response {
		return h.Do("PUT", "/crm/v4/objects/"+ft+"/"+f+"/associations/default/"+tt+"/"+to, tok, "")
	}, false, 0},
	{"A2 labeled", func(h *apitest.Harness, ft, f, tt, to string) apitest.Response {
		typeID := 3
		if ft == "contacts" {
			typeID = 4
		}
		return h.Do("PUT", fmt.Sprintf("/crm/objects/2026-03/%s/%s/associations/%s/%s", ft, f, tt, to), tok, fmt.Sprintf(`[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":%d}]`, typeID))
	}, false, 0},
	{"A5 batch create", func(h *apitest.Harness, ft, f, tt, to string) apitest.Response {
		typeID := 3
		if ft == "contacts" {
			typeID = 4
		}
		return h.Do("POST", "/crm/v4/associations/"+ft+"/"+tt+"/batch/create", tok, fmt.Sprintf(`{"inputs":[{"from":{"id":"%s"},"to":{"id":"%s"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":%d}]}]}`, f, to, typeID))
	}, true, 207},
	{"A5 batch create, 2026-09", func(h *apitest.Harness, ft, f, tt, to string) apitest.Response {
		typeID := 3
		if ft == "contacts" {
			typeID = 4
		}
		return h.Do("POST", "/crm/associations/2026-09/"+ft+"/"+tt+"/batch/create", tok, fmt.Sprintf(`{"inputs":[{"from":{"id":%s},"to":{"id":%s},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":%d}]}]}`, f, to, typeID))
	}, true, 200},
	{"A6 batch default", func(h *apitest.Harness, ft, f, tt, to string) apitest.Response {
		return h.Do("POST", "/crm/associations/2025-09/"+ft+"/"+tt+"/batch/associate/default", tok, fmt.Sprintf(`{"inputs":[{"from":{"id":"%s"},"to":{"id":"%s"}}]}`, f, to))
	}, true, 200},
}

// expectLimitRefusal checks a refusal names the record, type and limit.
func expectLimitRefusal(t *testing.T, lc limitCase, r apitest.Response, fromType, fromID string, typeID, max int) {
	t.Helper()
	var item map[string]any
	if lc.batch {
		r.Expect(t, lc.status)
		errs := errorsOf(t, r)
		if len(errs) != 1 || len(r.Results(t)) != 0 {
			t.Fatalf("want one error and no result: %s", r.Body)
		}
		item = errs[0]
		if item["status"] != "error" {
			t.Fatalf("item status: %s", r.Body)
		}
	} else {
		r.Expect(t, 400)
		item = r.JSON(t)
	}
	if item["category"] != "VALIDATION_ERROR" || item["message"] != "One or more associations are invalid" {
		t.Fatalf("refusal: %s", r.Body)
	}
	ctx := contextOf(t, item)
	upper := strings.ToUpper(strings.TrimSuffix(fromType, "s"))
	if !slices.Equal(ctx["objectId"], []string{fromID}) || !slices.Equal(ctx["objectType"], []string{upper}) {
		t.Fatalf("context %v", ctx)
	}
	msg := ctx["ASSOCIATION_LIMIT_EXCEEDED"]
	wantPrefix := fmt.Sprintf("%s=%s may have at most %d ", upper, fromID, max)
	if len(msg) != 1 || !strings.HasPrefix(msg[0], wantPrefix) || !strings.HasSuffix(msg[0], fmt.Sprintf("HUBSPOT_DEFINED=%d", typeID)) {
		t.Fatalf("ASSOCIATION_LIMIT_EXCEEDED %v, want %q...HUBSPOT_DEFINED=%d", msg, wantPrefix, typeID)
	}
}

// TestLimitsRefuseEveryCreationPath configures limits through the limits
// API and hits them through each creation path, in the configured direction
// and in the inverse one; purging the limit lets the association through.
func TestLimitsRefuseEveryCreationPath(t *testing.T) {
	for _, lc := range limitCases {
		t.Run(lc.name+"/forward", func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			setLimit(t, h, "deals", "contacts", 3, 2)
			deal := record(t, h, "deals")
			contacts := records(t, h, "contacts", 3)
			for _, c := range contacts[:2] {
				r := lc.associate(h, "deals", deal, "contacts", c)
				if r.Status >= 300 || len(errorsOf(t, r)) > 0 {
					t.Fatalf("under the limit: %d %s", r.Status, r.Body)
				}
			}
			// Re-sending an association at the limit is a no-op, not a
			// refusal.
			if r := lc.associate(h, "deals", deal, "contacts", contacts[1]); r.Status >= 300 || len(errorsOf(t, r)) > 0 {
				t.Fatalf("re-sent at the limit: %d %s", r.Status, r.Body)
			}
			expectLimitRefusal(t, lc, lc.associate(h, "deals", deal, "contacts", contacts[2]), "deals", deal, 3, 2)
			if got := list(t, h, "deals", deal, "contacts"); len(got) != 2 {
				t.Fatalf("after the refusal the deal has %v", got)
			}
			if got := list(t, h, "contacts", contacts[2], "deals"); len(got) != 0 {
				t.Fatalf("the refused contact has %v", got)
			}
			purgeLimit(t, h, "deals", "contacts", 3)
			if r := lc.associate(h, "deals", deal, "contacts", contacts[2]); r.Status >= 300 || len(errorsOf(t, r)) > 0 {
				t.Fatalf("after purge: %d %s", r.Status, r.Body)
			}
			if got := list(t, h, "deals", deal, "contacts"); len(got) != 3 {
				t.Fatalf("after purge the deal has %v", got)
			}
		})
		t.Run(lc.name+"/inverse", func(t *testing.T) {
			// A contact may have one deal; associating a second deal with
			// it from the deal's side is refused on the contact's behalf.
			h := apitest.New(t, server.Config{})
			setLimit(t, h, "contacts", "deals", 4, 1)
			contact := record(t, h, "contacts")
			deals := records(t, h, "deals", 2)
			if r := lc.associate(h, "deals", deals[0], "contacts", contact); r.Status >= 300 || len(errorsOf(t, r)) > 0 {
				t.Fatalf("first deal: %d %s", r.Status, r.Body)
			}
			expectLimitRefusal(t, lc, lc.associate(h, "deals", deals[1], "contacts", contact), "contacts", contact, 4, 1)
			if got := list(t, h, "deals", deals[1], "contacts"); len(got) != 0 {
				t.Fatalf("the refused deal has %v", got)
			}
		})
	}
}

// TestBatchCreateCountsEarlierInputs checks that inputs of one batch count
// against a limit in order: of three new contacts for a deal limited to two,
// the third is refused and the first two are applied.
func TestBatchCreateCountsEarlierInputs(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			setLimit(t, h, "deals", "contacts", 3, 2)
			deal := record(t, h, "deals")
			contacts := records(t, h, "contacts", 3)
			var inputs []string
			for _, c := range contacts {
				inputs = append(inputs, fmt.Sprintf(`{"from":{"id":"%s"},"to":{"id":"%s"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":3}]}`, deal, c))
			}
			r := h.Do("POST", vc.batches+"/deals/contacts/batch/create", tok, `{"inputs":[`+strings.Join(inputs, ",")+`]}`)
			r.Expect(t, vc.multi)
			res := r.Results(t)
			if len(res) != 2 || res[0]["toObjectId"] != contacts[0] || res[1]["toObjectId"] != contacts[1] || res[0]["fromObjectTypeId"] != "0-3" {
				t.Fatalf("results: %s", r.Body)
			}
			errs := errorsOf(t, r)
			if len(errs) != 1 || r.JSON(t)["numErrors"] != float64(1) {
				t.Fatalf("errors: %s", r.Body)
			}
			if got := list(t, h, "deals", deal, "contacts"); len(got) != 2 {
				t.Fatalf("deal has %v", got)
			}

			// Without a limit in the way every input succeeds.
			other := record(t, h, "deals")
			r = h.Do("POST", vc.batches+"/deals/contacts/batch/create", tok, fmt.Sprintf(`{"inputs":[{"from":{"id":"%s"},"to":{"id":"%s"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":3}]}]}`, other, contacts[2]))
			r.Expect(t, vc.createStatus)
			if _, ok := r.JSON(t)["errors"]; ok {
				t.Fatalf("errors without failures: %s", r.Body)
			}
		})
	}
}

// TestBatchDefaultAndRead associates pairs by default in a batch, reads
// them back in a batch (a record without associations is reported, not
// returned), and removes them with the batch archives.
func TestBatchDefaultAndRead(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			contacts := records(t, h, "contacts", 3)
			companies := records(t, h, "companies", 2)
			r := h.Do("POST", vc.batches+"/contacts/companies/batch/associate/default", tok, fmt.Sprintf(
				`{"inputs":[{"from":{"id":"%s"},"to":{"id":"%s"}},{"from":{"id":"%s"},"to":{"id":"%s"}},{"from":{"id":"%s"},"to":{"id":"%s"}}]}`,
				contacts[0], companies[0], contacts[0], companies[1], contacts[1], companies[0]))
			r.Expect(t, 200)
			if res := r.Results(t); len(res) != 6 || res[0]["from"].(map[string]any)["id"] != contacts[0] || res[1]["from"].(map[string]any)["id"] != companies[0] {
				t.Fatalf("default results: %s", r.Body)
			}

			// Read: contacts[2] has no companies.
			r = h.Do("POST", vc.batches+"/contacts/companies/batch/read", tok, fmt.Sprintf(`{"inputs":[{"id":"%s"},{"id":%s},{"id":"%s"}]}`, contacts[0], contacts[1], contacts[2]))
			r.Expect(t, vc.readMulti)
			res := r.Results(t)
			if len(res) != 2 || res[0]["from"].(map[string]any)["id"] != contacts[0] || len(res[0]["to"].([]any)) != 2 || len(res[1]["to"].([]any)) != 1 {
				t.Fatalf("read results: %s", r.Body)
			}
			to := res[0]["to"].([]any)[0].(map[string]any)
			types := to["associationTypes"].([]any)
			first := types[0].(map[string]any)
			if to["toObjectId"] != companies[0] || first["typeId"] != float64(279) {
				t.Fatalf("read types: %s", r.Body)
			}
			if _, has := first["fromObjectTypeId"]; has != vc.typeIDs {
				t.Fatalf("object type ids present = %v, want %v", has, vc.typeIDs)
			}
			errs := errorsOf(t, r)
			if len(errs) != 1 || errs[0]["category"] != "OBJECT_NOT_FOUND" || errs[0]["message"] != "No company is associated with contact "+contacts[2]+"." {
				t.Fatalf("read errors: %s", r.Body)
			}
			want := map[string][]string{"fromObjectId": {contacts[2]}, "fromObjectType": {"contact"}, "toObjectType": {"company"}}
			if got := contextOf(t, errs[0]); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("read error context %v", got)
			}
			// Every input without associations: still answered, not refused.
			r = h.Do("POST", vc.batches+"/contacts/companies/batch/read", tok, fmt.Sprintf(`{"inputs":[{"id":"%s"}]}`, contacts[2]))
			r.Expect(t, vc.readMulti)
			if len(r.Results(t)) != 0 || len(errorsOf(t, r)) != 1 {
				t.Fatalf("all missing: %s", r.Body)
			}

			// Labels archive: removing the primary label keeps the
			// unlabeled type; removing the unlabeled type removes all.
			pair := fmt.Sprintf(`{"inputs":[{"from":{"id":"%s"},"to":{"id":"%s"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":%%d}]}]}`, contacts[0], companies[0])
			h.Do("POST", vc.batches+"/contacts/companies/batch/create", tok, fmt.Sprintf(pair, 1)).Expect(t, vc.createStatus)
			if got := list(t, h, "contacts", contacts[0], "companies"); !slices.Equal(got[companies[0]], []int{1, 279}) {
				t.Fatalf("after labeling: %v", got)
			}
			r = h.Do("POST", vc.batches+"/contacts/companies/batch/labels/archive", tok, fmt.Sprintf(pair, 1))
			r.Expect(t, vc.archiveStatus)
			if vc.archiveStatus == 200 && len(r.Results(t)) != 0 {
				t.Fatalf("labels archive results: %s", r.Body)
			}
			if got := list(t, h, "contacts", contacts[0], "companies"); !slices.Equal(got[companies[0]], []int{279}) {
				t.Fatalf("after labels archive: %v", got)
			}
			h.Do("POST", vc.batches+"/contacts/companies/batch/labels/archive", tok, fmt.Sprintf(pair, 279)).Expect(t, vc.archiveStatus)
			if got := list(t, h, "contacts", contacts[0], "companies"); len(got[companies[0]]) != 0 {
				t.Fatalf("after removing the unlabeled type: %v", got)
			}

			// Archive: every type of the listed pairs, both directions.
			r = h.Do("POST", vc.batches+"/contacts/companies/batch/archive", tok, fmt.Sprintf(`{"inputs":[{"from":{"id":"%s"},"to":[{"id":"%s"},{"id":"%s"}]}]}`, contacts[0], companies[1], companies[0]))
			r.Expect(t, vc.archiveStatus)
			if got := list(t, h, "contacts", contacts[0], "companies"); len(got) != 0 {
				t.Fatalf("after archive: %v", got)
			}
			if got := list(t, h, "companies", companies[0], "contacts"); len(got) != 1 {
				t.Fatalf("company after archive: %v", got)
			}
		})
	}
}

// TestBatchSizes checks the input limits of the batches.
func TestBatchSizes(t *testing.T) {
	h := apitest.New(t, server.Config{})
	inputs := func(n int, item string) string {
		return `{"inputs":[` + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + `]}`
	}
	read := `{"id":"1"}`
	pair := `{"from":{"id":"1"},"to":{"id":"2"}}`
	typed := `{"from":{"id":"1"},"to":{"id":"2"},"types":[]}`
	cases := []struct {
		op, item string
		max      int
	}{
		{"read", read, 1000},
		{"create", typed, 2000},
		{"associate/default", pair, 2000},
		{"labels/archive", typed, 2000},
		{"archive", `{"from":{"id":"1"},"to":[]}`, 2000},
	}
	for _, tc := range cases {
		t.Run(tc.op, func(t *testing.T) {
			r := h.Do("POST", "/crm/v4/associations/contacts/companies/batch/"+tc.op, tok, inputs(tc.max+1, tc.item))
			r.Expect(t, 400)
			if msg := r.JSON(t)["message"]; msg != fmt.Sprintf("Too many inputs: %d; a batch accepts at most %d", tc.max+1, tc.max) {
				t.Fatalf("message %v", msg)
			}
		})
	}
}

// TestListPages pages through a record's associations.
func TestListPages(t *testing.T) {
	h := apitest.New(t, server.Config{})
	company := record(t, h, "companies")
	contacts := records(t, h, "contacts", 5)
	for _, c := range contacts {
		h.Do("PUT", "/crm/v4/objects/companies/"+company+"/associations/default/contacts/"+c, tok, "").Expect(t, 200)
	}
	var seen []string
	path := "/crm/objects/2025-09/companies/" + company + "/associations/contacts?limit=2"
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		r := h.Do("GET", path, tok, "")
		r.Expect(t, 200)
		for _, res := range r.Results(t) {
			seen = append(seen, res["toObjectId"].(string))
		}
		p, ok := r.JSON(t)["paging"].(map[string]any)
		if !ok {
			break
		}
		next := p["next"].(map[string]any)
		if !strings.Contains(next["link"].(string), "after=") {
			t.Fatalf("link %v", next["link"])
		}
		path = "/crm/objects/2025-09/companies/" + company + "/associations/contacts?limit=2&after=" + next["after"].(string)
	}
	if !slices.Equal(seen, contacts) {
		t.Fatalf("pages gave %v, want %v", seen, contacts)
	}
	// A limit above 500 is lowered, not refused.
	r := h.Do("GET", "/crm/v4/objects/companies/"+company+"/associations/contacts?limit=100000", tok, "")
	r.Expect(t, 200)
	if len(r.Results(t)) != 5 {
		t.Fatalf("large limit: %s", r.Body)
	}
	// An unknown record has no associations.
	r = h.Do("GET", "/crm/v4/objects/companies/987654321/associations/contacts", tok, "")
	r.Expect(t, 200)
	if len(r.Results(t)) != 0 {
		t.Fatalf("unknown record: %s", r.Body)
	}
}

// TestArchivedRecordsAreHidden checks that archiving a record hides its
// associations from reads and from limit counts.
func TestArchivedRecordsAreHidden(t *testing.T) {
	h := apitest.New(t, server.Config{})
	setLimit(t, h, "deals", "contacts", 3, 1)
	deal := record(t, h, "deals")
	contacts := records(t, h, "contacts", 2)
	h.Do("PUT", "/crm/v4/objects/deals/"+deal+"/associations/default/contacts/"+contacts[0], tok, "").Expect(t, 200)
	h.Do("PUT", "/crm/v4/objects/deals/"+deal+"/associations/default/contacts/"+contacts[1], tok, "").Expect(t, 400)
	h.Do("DELETE", "/crm/v3/objects/contacts/"+contacts[0], tok, "").Expect(t, 204)
	if got := list(t, h, "deals", deal, "contacts"); len(got) != 0 {
		t.Fatalf("archived partner shown: %v", got)
	}
	h.Do("PUT", "/crm/v4/objects/deals/"+deal+"/associations/default/contacts/"+contacts[1], tok, "").Expect(t, 200)
}

// TestUsageReport checks the high-usage report answer in every version.
func TestUsageReport(t *testing.T) {
	h := apitest.New(t, server.Config{})
	for _, prefix := range []string{"/crm/v4/associations", "/crm/associations/v4", "/crm/associations/2025-09", "/crm/associations/2026-03", "/crm/associations/2026-09"} {
		r := h.Do("POST", prefix+"/usage/high-usage-report/77", tok, "")
		r.Expect(t, http.StatusOK)
		var body struct {
			UserEmail   string
			UserID      int
			EnqueueTime struct {
				DateOnly      bool
				TimeZoneShift int
				Value         int64
			}
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.UserID != 77 || body.UserEmail == "" || body.EnqueueTime.Value != apitest.FrozenAt.UnixMilli() {
			t.Fatalf("%s: %s", prefix, r.Body)
		}
	}
}

// TestTenSecondExemption checks that the batch operations and the report
// are exempt from the ten-second window and the single-pair ones are not
// (HUBSPOT.md §7).
func TestTenSecondExemption(t *testing.T) {
	tier := ratelimit.Tier{Name: "test", TenSecondly: 3, Daily: 1000}
	h := apitest.New(t, server.Config{RateLimit: &tier})
	company := record(t, h, "companies")
	contact := record(t, h, "contacts")
	// Three requests fill the window (the two creates and this one).
	h.Do("PUT", "/crm/v4/objects/contacts/"+contact+"/associations/default/companies/"+company, tok, "").Expect(t, 200)
	h.Do("PUT", "/crm/v4/objects/contacts/"+contact+"/associations/default/companies/"+company, tok, "").Expect(t, 429)
	for _, path := range []string{"batch/read", "batch/associate/default"} {
		body := fmt.Sprintf(`{"inputs":[{"from":{"id":"%s"},"to":{"id":"%s"}}]}`, contact, company)
		if path == "batch/read" {
			body = fmt.Sprintf(`{"inputs":[{"id":"%s"}]}`, contact)
		}
		h.Do("POST", "/crm/associations/2026-03/contacts/companies/"+path, tok, body).Expect(t, 200)
	}
	h.Do("POST", "/crm/associations/2026-03/usage/high-usage-report/1", tok, "").Expect(t, 200)
}

// doFault sends a request with an X-Mockhub-Fault header, checking the
// answer against the contract.
func doFault(t *testing.T, h *apitest.Harness, method, path, fault, body string) apitest.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("X-Mockhub-Fault", fault)
	rec := httptest.NewRecorder()
	h.Srv.ServeHTTP(rec, req)
	res := apitest.Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	apitest.CheckContract(t, method, path, res)
	return res
}

// TestBatchFaults checks that the partial and batchStatus faults work on
// association batches through the shared runner: the last input fails on
// purpose, named by its ids; a PENDING batch is applied when due.
func TestBatchFaults(t *testing.T) {
	h := apitest.New(t, server.Config{})
	contacts := records(t, h, "contacts", 2)
	company := record(t, h, "companies")
	body := fmt.Sprintf(`{"inputs":[{"from":{"id":"%s"},"to":{"id":"%s"}},{"from":{"id":"%s"},"to":{"id":"%s"}}]}`, contacts[0], company, contacts[1], company)

	r := doFault(t, h, "POST", "/crm/v4/associations/contacts/companies/batch/associate/default", "partial;failInputs=1", body)
	r.Expect(t, 200)
	errs := errorsOf(t, r)
	if len(r.Results(t)) != 2 || len(errs) != 1 || errs[0]["category"] != "INTERNAL_ERROR" {
		t.Fatalf("partial: %s", r.Body)
	}
	if got := contextOf(t, errs[0]); !slices.Equal(got["fromObjectId"], []string{contacts[1]}) || !slices.Equal(got["toObjectId"], []string{company}) {
		t.Fatalf("partial context %v", got)
	}
	if got := list(t, h, "companies", company, "contacts"); len(got) != 1 {
		t.Fatalf("after partial: %v", got)
	}

	r = doFault(t, h, "POST", "/crm/associations/2026-03/contacts/companies/batch/associate/default", "batchStatus;status=PENDING;applyAfterMs=1000", body)
	r.Expect(t, 200)
	if r.JSON(t)["status"] != "PENDING" || len(r.Results(t)) != 0 {
		t.Fatalf("pending: %s", r.Body)
	}
	if got := list(t, h, "companies", company, "contacts"); len(got) != 1 {
		t.Fatalf("pending batch visible early: %v", got)
	}
	h.Clock.Advance(time.Second)
	if got := list(t, h, "companies", company, "contacts"); len(got) != 2 {
		t.Fatalf("pending batch after due: %v", got)
	}
}

// TestUserDefinedLabels associates records with a portal's own paired
// label: the answer names it, the inverse record sees the inverse label, and
// a batch read pages per input.
func TestUserDefinedLabels(t *testing.T) {
	h := apitest.New(t, server.Config{})
	r := h.Do("POST", "/crm/associations/v4/contacts/companies/labels", tok, `{"label":"Manager","inverseLabel":"Employer","name":"manager"}`)
	r.Expect(t, 200)
	forward := int(r.Results(t)[0]["typeId"].(float64))
	contact := record(t, h, "contacts")
	companies := records(t, h, "companies", 3)
	for _, c := range companies {
		r = h.Do("PUT", "/crm/v4/objects/contacts/"+contact+"/associations/companies/"+c, tok, fmt.Sprintf(`[{"associationCategory":"USER_DEFINED","associationTypeId":%d}]`, forward))
		r.Expect(t, 201)
		if labels := r.JSON(t)["labels"].([]any); len(labels) != 1 || labels[0] != "Manager" {
			t.Fatalf("labels: %s", r.Body)
		}
	}
	if got := list(t, h, "companies", companies[0], "contacts"); !slices.Equal(got[contact], []int{forward + 1, 280}) {
		t.Fatalf("inverse: %v", got)
	}
	// A label that associations use cannot be deleted.
	h.Do("DELETE", fmt.Sprintf("/crm/associations/v4/contacts/companies/labels/%d", forward), tok, "").Expect(t, 400)

	// Batch read takes an input's after: a list page's cursor serves.
	r = h.Do("GET", "/crm/v4/objects/contacts/"+contact+"/associations/companies?limit=1", tok, "")
	after := r.JSON(t)["paging"].(map[string]any)["next"].(map[string]any)["after"].(string)
	r = h.Do("POST", "/crm/associations/v4/contacts/companies/batch/read", tok, fmt.Sprintf(`{"inputs":[{"id":"%s","after":"%s"}]}`, contact, after))
	r.Expect(t, 200)
	res := r.Results(t)
	if len(res) != 1 || len(res[0]["to"].([]any)) != 2 || res[0]["to"].([]any)[0].(map[string]any)["toObjectId"] != companies[1] {
		t.Fatalf("read after the first: %s", r.Body)
	}
}

// TestScopes checks that association records take any one scope of HubSpot's
// list for them: a contacts scope is enough to associate contacts with
// companies, a files scope is not.
func TestScopes(t *testing.T) {
	tokens, err := auth.ParseTokens([]byte(`{"tokens": [
  {"token": "pat-na1-assoc", "portalId": 111, "scopes": ["crm.objects.contacts.write"]},
  {"token": "pat-na1-files", "portalId": 111, "scopes": ["files"]}
]}`), clock.NewManual(apitest.FrozenAt))
	if err != nil {
		t.Fatal(err)
	}
	h := apitest.New(t, server.Config{Authenticator: tokens})
	for _, c := range []struct {
		token  string
		status int
	}{{"pat-na1-assoc", 200}, {"pat-na1-files", 403}} {
		r := h.Do("POST", "/crm/associations/2026-03/contacts/companies/batch/read", c.token, `{"inputs":[]}`)
		r.Expect(t, c.status)
		r = h.Do("PUT", "/crm/v4/objects/contacts/1/associations/default/companies/2", c.token, "")
		if want := map[int]int{200: 400, 403: 403}[c.status]; r.Status != want {
			t.Fatalf("%s: single pair %d, want %d: %s", c.token, r.Status, want, r.Body)
		}
	}
}

// TestHardCeiling: the server's ceiling on a record's partners of one type
// (--max-associations) refuses like a configured limit, with no limit
// configured.
func TestHardCeiling(t *testing.T) {
	h := apitest.New(t, server.Config{MaxAssociationsPerPair: 2})
	company := record(t, h, "companies")
	contacts := records(t, h, "contacts", 3)
	for _, c := range contacts[:2] {
		h.Do("PUT", "/crm/v4/objects/companies/"+company+"/associations/default/contacts/"+c, tok, "").Expect(t, 200)
	}
	r := h.Do("PUT", "/crm/v4/objects/companies/"+company+"/associations/default/contacts/"+contacts[2], tok, "")
	r.Expect(t, 400)
	if !strings.Contains(string(r.Body), "may have at most 2 contact associations") {
		t.Fatalf("%s", r.Body)
	}
}
