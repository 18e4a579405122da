// Package crmpipelines serves HubSpot's CRM pipelines API, read side: the
// pipelines of an object type, one pipeline, and a pipeline's stages, in v3
// and every dated version. Its operations are in the crm-pipelines source of
// our documents; Register binds each operationId to its handler.
//
// Pipelines are data of the portal's object types (fixtures/crm-schema.json
// for the standard ones), the same the record operations check dealstage and
// hs_pipeline_stage against, so what a client lists here is exactly what a
// record accepts.
package crmpipelines

import (
	"net/http"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/objecttype"
	"github.com/mockhub/mockhub/internal/store"
)

// Register binds the family's operations. Pipelines are read from the
// caller's portal, whose object types (custom ones included) the store
// holds.
func Register(reg *endpoint.Registry) {
	p := pipelines{}
	reg.Handle("pipelines-list", p.list)
	reg.Handle("pipelines-read", p.read)
	reg.Handle("pipeline-stages-list", p.listStages)
	reg.Handle("pipeline-stages-read", p.readStage)
}

// writePermissions is what HubSpot reports for the stages of its default
// pipelines: anyone with the CRM permission may move records into them.
const writePermissions = "CRM_PERMISSIONS_ENFORCEMENT"

// fixedTime is the createdAt and updatedAt of every pipeline and stage.
// They are portal defaults that no client created, and HubSpot's own
// defaults carry the Unix epoch; a fixed time also keeps answers the same on
// every run.
var fixedTime = endpoint.FormatTime(time.Unix(0, 0))

// pipelineBody is a pipeline on the wire.
type pipelineBody struct {
	ID           string      `json:"id"`
	Label        string      `json:"label"`
	DisplayOrder int         `json:"displayOrder"`
	Stages       []stageBody `json:"stages"`
	CreatedAt    string      `json:"createdAt"`
	UpdatedAt    string      `json:"updatedAt"`
	Archived     bool        `json:"archived"`
}

// stageBody is a pipeline stage on the wire.
type stageBody struct {
	ID               string            `json:"id"`
	Label            string            `json:"label"`
	DisplayOrder     int               `json:"displayOrder"`
	Metadata         map[string]string `json:"metadata"`
	CreatedAt        string            `json:"createdAt"`
	UpdatedAt        string            `json:"updatedAt"`
	Archived         bool              `json:"archived"`
	WritePermissions string            `json:"writePermissions"`
}

func renderStage(s *schema.Stage) stageBody {
	md := make(map[string]string, len(s.Metadata))
	for k, v := range s.Metadata {
		md[k] = v
	}
	return stageBody{
		ID: s.ID, Label: s.Label, DisplayOrder: s.DisplayOrder, Metadata: md,
		CreatedAt: fixedTime, UpdatedAt: fixedTime, WritePermissions: writePermissions,
	}
}

func renderPipeline(p *schema.Pipeline) pipelineBody {
	stages := make([]stageBody, 0, len(p.Stages))
	for _, s := range p.Stages {
		stages = append(stages, renderStage(s))
	}
	return pipelineBody{
		ID: p.ID, Label: p.Label, DisplayOrder: p.DisplayOrder, Stages: stages,
		CreatedAt: fixedTime, UpdatedAt: fixedTime,
	}
}

type pipelines struct{}

// objectType returns the portal's type of the call's path. The router has
// already refused spellings no object type has; a type the portal does not
// describe (products, an undefined custom object) has no pipelines here,
// which is an empty list rather than an error: never stricter than HubSpot,
// whose answer for such types varies by portal.
func objectType(c *endpoint.Call) (*schema.ObjectType, bool) {
	key := endpoint.Value[objecttype.Type](c, "objectType").Key()
	var t *schema.ObjectType
	ok := false
	c.Portal().View(func(v *store.View) { t, ok = v.ObjectType(key) })
	return t, ok
}

// pipelinesOf returns the pipelines of the call's object type.
func (p pipelines) pipelinesOf(c *endpoint.Call) []*schema.Pipeline {
	if t, ok := objectType(c); ok {
		return t.Pipelines()
	}
	return nil
}

// pipeline returns the call's pipeline, or HubSpot's 404.
func (p pipelines) pipeline(c *endpoint.Call) (*schema.Pipeline, error) {
	id := param(c, "pipelineId")
	if t, ok := objectType(c); ok {
		if pl, ok := t.Pipeline(id); ok {
			return pl, nil
		}
	}
	e := apierr.NotFound(MsgPipelineNotFound + id)
	e.Context = map[string][]string{"pipelineId": {id}}
	return nil, e
}

// param is path parameter name percent-decoded, as the records family
// decodes object ids.
func param(c *endpoint.Call, name string) string { return c.DecodedParam(name) }

// Messages of the 404s. HubSpot's exact wording is not recorded; these name
// what was not found as its other OBJECT_NOT_FOUND messages do.
const (
	MsgPipelineNotFound = "Unable to find pipeline "
	MsgStageNotFound    = "Unable to find stage "
)

func (p pipelines) list(c *endpoint.Call) (endpoint.Reply, error) {
	all := p.pipelinesOf(c)
	out := make([]pipelineBody, 0, len(all))
	for _, pl := range all {
		out = append(out, renderPipeline(pl))
	}
	return endpoint.Reply{Status: http.StatusOK, Body: endpoint.Results{Results: out}}, nil
}

func (p pipelines) read(c *endpoint.Call) (endpoint.Reply, error) {
	pl, err := p.pipeline(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusOK, Body: renderPipeline(pl)}, nil
}

func (p pipelines) listStages(c *endpoint.Call) (endpoint.Reply, error) {
	pl, err := p.pipeline(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.Reply{Status: http.StatusOK, Body: endpoint.Results{Results: renderPipeline(pl).Stages}}, nil
}

func (p pipelines) readStage(c *endpoint.Call) (endpoint.Reply, error) {
	pl, err := p.pipeline(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	id := param(c, "stageId")
	s, ok := pl.Stage(id)
	if !ok {
		e := apierr.NotFound(MsgStageNotFound + id + " in pipeline " + pl.ID)
		e.Context = map[string][]string{"pipelineId": {pl.ID}, "stageId": {id}}
		return endpoint.Reply{}, e
	}
	return endpoint.Reply{Status: http.StatusOK, Body: renderStage(s)}, nil
}
