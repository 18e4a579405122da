package schema

import (
	"slices"
	"strings"
)

// Pipelines returns the type's pipelines in display order; none for types
// without pipelines.
func (t *ObjectType) Pipelines() []*Pipeline { return slices.Clone(t.pipelines) }

// Pipeline returns the pipeline with the given id.
func (t *ObjectType) Pipeline(id string) (*Pipeline, bool) {
	p, ok := t.pipelineByID[id]
	return p, ok
}

// DefaultPipeline returns the pipeline a record gets when none is given: the
// first in display order ("default" for deals, "0" for tickets).
func (t *ObjectType) DefaultPipeline() (*Pipeline, bool) {
	if len(t.pipelines) == 0 {
		return nil, false
	}
	return t.pipelines[0], true
}

// StagePipeline returns the pipeline a stage id belongs to.
func (t *ObjectType) StagePipeline(stageID string) (*Pipeline, bool) {
	p, ok := t.stageOwner[stageID]
	return p, ok
}

// CheckStage reports, as an INVALID_OPTION on the stage property, a stage
// that is not one of the pipeline's stages (or a pipeline that does not
// exist, on the pipeline property).
func (t *ObjectType) CheckStage(pipelineID, stageID string) *ValueError {
	pl, ok := t.pipelineByID[pipelineID]
	if !ok {
		return valueError(t.PipelineProperty, pipelineID, CodeInvalidOption, "%s was not one of the allowed options: %s", pipelineID, t.pipelineList())
	}
	if _, ok := pl.byID[stageID]; ok {
		return nil
	}
	ids := make([]string, len(pl.Stages))
	for i, s := range pl.Stages {
		ids[i] = s.ID
	}
	return valueError(t.StageProperty, stageID, CodeInvalidOption, "%s was not one of the allowed options: [%s]", stageID, strings.Join(ids, ", "))
}

func (t *ObjectType) pipelineList() string {
	ids := make([]string, len(t.pipelines))
	for i, p := range t.pipelines {
		ids[i] = p.ID
	}
	return "[" + strings.Join(ids, ", ") + "]"
}

func (t *ObjectType) allStagesList() string {
	var ids []string
	for _, p := range t.pipelines {
		for _, s := range p.Stages {
			ids = append(ids, s.ID)
		}
	}
	return "[" + strings.Join(ids, ", ") + "]"
}
