package crmpipelines_test

import (
	"slices"
	"testing"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
)

const tok = "pat-na1-pipelines"

var prefixes = []string{"/crm/v3/pipelines", "/crm/pipelines/2025-09", "/crm/pipelines/2026-03", "/crm/pipelines/2026-09"}

func ids(t *testing.T, items []map[string]any) []string {
	t.Helper()
	out := make([]string, 0, len(items))
	for _, it := range items {
		id, ok := it["id"].(string)
		if !ok {
			t.Fatalf("item without a string id: %v", it)
		}
		out = append(out, id)
	}
	return out
}

// TestDefaultPipelines reads HubSpot's default deal and ticket pipelines in
// every version and spelling; every answer is contract-checked by the
// harness.
func TestDefaultPipelines(t *testing.T) {
	h := apitest.New(t, server.Config{})
	dealStages := []string{"appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon", "closedlost"}
	for _, prefix := range prefixes {
		for _, tc := range []struct {
			objectType, pipeline, label string
			stages                      []string
		}{
			{"deals", "default", "Sales Pipeline", dealStages},
			{"0-3", "default", "Sales Pipeline", dealStages},
			{"deal", "default", "Sales Pipeline", dealStages},
			{"tickets", "0", "Support Pipeline", []string{"1", "2", "3", "4"}},
			{"0-5", "0", "Support Pipeline", []string{"1", "2", "3", "4"}},
		} {
			t.Run(prefix+" "+tc.objectType, func(t *testing.T) {
				r := h.Do("GET", prefix+"/"+tc.objectType, tok, "")
				r.Expect(t, 200)
				list := r.Results(t)
				if got := ids(t, list); !slices.Equal(got, []string{tc.pipeline}) {
					t.Fatalf("pipelines %v", got)
				}
				p := list[0]
				if p["label"] != tc.label || p["displayOrder"] != 0.0 || p["archived"] != false || p["createdAt"] != "1970-01-01T00:00:00.000Z" {
					t.Fatalf("pipeline %v", p)
				}
				stages, _ := p["stages"].([]any)
				var got []string
				for i, s := range stages {
					sm := s.(map[string]any)
					got = append(got, sm["id"].(string))
					if sm["displayOrder"] != float64(i) || sm["writePermissions"] != "CRM_PERMISSIONS_ENFORCEMENT" {
						t.Fatalf("stage %v", sm)
					}
				}
				if !slices.Equal(got, tc.stages) {
					t.Fatalf("stages %v, want %v", got, tc.stages)
				}

				r = h.Do("GET", prefix+"/"+tc.objectType+"/"+tc.pipeline, tok, "")
				r.Expect(t, 200)
				if one := r.JSON(t); one["id"] != tc.pipeline || len(one["stages"].([]any)) != len(tc.stages) {
					t.Fatalf("read one: %v", one)
				}

				r = h.Do("GET", prefix+"/"+tc.objectType+"/"+tc.pipeline+"/stages", tok, "")
				r.Expect(t, 200)
				if got := ids(t, r.Results(t)); !slices.Equal(got, tc.stages) {
					t.Fatalf("stages list %v", got)
				}

				last := tc.stages[len(tc.stages)-1]
				r = h.Do("GET", prefix+"/"+tc.objectType+"/"+tc.pipeline+"/stages/"+last, tok, "")
				r.Expect(t, 200)
				s := r.JSON(t)
				if md, _ := s["metadata"].(map[string]any); s["id"] != last || md["isClosed"] != "true" {
					t.Fatalf("stage %v", s)
				}
			})
		}
	}
}

// TestDealStageMetadata: deals' stages carry probability, tickets' their
// ticketState, as text.
func TestDealStageMetadata(t *testing.T) {
	h := apitest.New(t, server.Config{})
	r := h.Do("GET", "/crm/v3/pipelines/deals/default/stages/contractsent", tok, "")
	r.Expect(t, 200)
	if md := r.JSON(t)["metadata"].(map[string]any); md["probability"] != "0.9" || md["isClosed"] != "false" {
		t.Fatalf("metadata %v", md)
	}
	r = h.Do("GET", "/crm/v3/pipelines/tickets/0/stages/4", tok, "")
	r.Expect(t, 200)
	if md := r.JSON(t)["metadata"].(map[string]any); md["ticketState"] != "CLOSED" {
		t.Fatalf("metadata %v", md)
	}
}

// TestPipelineErrors: every refusal, in HubSpot's shape.
func TestPipelineErrors(t *testing.T) {
	h := apitest.New(t, server.Config{})
	for _, prefix := range prefixes {
		for _, tc := range []struct {
			name, path, token string
			status            int
			message           string
			context           map[string][]any
		}{
			{"no token", "/deals", "", 401, "", nil},
			{"unknown type", "/gadgets", tok, 400, "Unable to infer object type from: gadgets", nil},
			{"unknown type, read", "/gadgets/default", tok, 400, "Unable to infer object type from: gadgets", nil},
			{"unknown pipeline", "/deals/nope", tok, 404, "Unable to find pipeline nope", map[string][]any{"pipelineId": {"nope"}}},
			{"other type's pipeline", "/tickets/default", tok, 404, "Unable to find pipeline default", map[string][]any{"pipelineId": {"default"}}},
			{"type without pipelines", "/contacts/default", tok, 404, "Unable to find pipeline default", nil},
			{"type the catalog lacks", "/products/default", tok, 404, "Unable to find pipeline default", nil},
			{"stages of unknown pipeline", "/deals/nope/stages", tok, 404, "Unable to find pipeline nope", nil},
			{"stage of unknown pipeline", "/deals/nope/stages/closedwon", tok, 404, "Unable to find pipeline nope", nil},
			{"unknown stage", "/deals/default/stages/nope", tok, 404, "Unable to find stage nope in pipeline default", map[string][]any{"pipelineId": {"default"}, "stageId": {"nope"}}},
			{"other pipeline's stage", "/tickets/0/stages/closedwon", tok, 404, "Unable to find stage closedwon in pipeline 0", nil},
			{"write method", "/deals/default/stages/closedwon", tok, 405, "", nil},
		} {
			t.Run(prefix+" "+tc.name, func(t *testing.T) {
				method := "GET"
				if tc.status == 405 {
					method = "DELETE"
				}
				r := h.Do(method, prefix+tc.path, tc.token, "")
				r.Expect(t, tc.status)
				body := r.JSON(t)
				if tc.message != "" && body["message"] != tc.message {
					t.Fatalf("message %v, want %q", body["message"], tc.message)
				}
				if tc.status == 404 && body["category"] != "OBJECT_NOT_FOUND" {
					t.Fatalf("category %v", body["category"])
				}
				if tc.context != nil {
					ctx, _ := body["context"].(map[string]any)
					for k, want := range tc.context {
						if got, _ := ctx[k].([]any); !slices.Equal(got, want) {
							t.Fatalf("context %s = %v, want %v", k, got, want)
						}
					}
				}
			})
		}
	}
}

// TestTypesWithoutPipelines: contacts, companies and types the catalog does
// not describe list no pipelines rather than failing.
func TestTypesWithoutPipelines(t *testing.T) {
	h := apitest.New(t, server.Config{})
	for _, typ := range []string{"contacts", "0-2", "companies", "products"} {
		t.Run(typ, func(t *testing.T) {
			r := h.Do("GET", "/crm/v3/pipelines/"+typ, tok, "")
			r.Expect(t, 200)
			if got := r.Results(t); len(got) != 0 {
				t.Fatalf("pipelines %v", got)
			}
		})
	}
}
