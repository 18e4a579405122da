package server

import (
	"encoding/json"
	"time"

	"github.com/mockhub/mockhub/apierr"
)

// Batch statuses.
const (
	StatusComplete   = "COMPLETE"
	StatusPending    = "PENDING"
	StatusProcessing = "PROCESSING"
	StatusCanceled   = "CANCELED"
)

// timeLayout is HubSpot's wire format: UTC with milliseconds and Z.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// batchBody is HubSpot's batch response envelope.
type batchBody struct {
	Status      string              `json:"status"`
	Results     any                 `json:"results"`
	Errors      []apierr.BatchError `json:"errors,omitempty"`
	NumErrors   int                 `json:"numErrors,omitempty"`
	RequestedAt string              `json:"requestedAt"`
	StartedAt   string              `json:"startedAt"`
	CompletedAt string              `json:"completedAt"`
}

// resultsBody is the plain {results: [...]} answer of reads and label
// creation.
type resultsBody struct {
	Results any `json:"results"`
}

// limitBody is a limit as HubSpot reports it (UserConfiguration).
type limitBody struct {
	Category string  `json:"category"`
	TypeID   int32   `json:"typeId"`
	Label    *string `json:"label,omitempty"`
	Max      int32   `json:"userEnforcedMaxToObjectIds"`
}

// limitUpdateBody is the result item of a limits update: no label.
type limitUpdateBody struct {
	Category string `json:"category"`
	TypeID   int32  `json:"typeId"`
	Max      int32  `json:"userEnforcedMaxToObjectIds"`
}

// labelBody is an association type with its label (AssociationSpecWithLabel).
type labelBody struct {
	Category         string  `json:"category"`
	TypeID           int32   `json:"typeId"`
	Label            *string `json:"label,omitempty"`
	FromObjectTypeID string  `json:"fromObjectTypeId,omitempty"`
	ToObjectTypeID   string  `json:"toObjectTypeId,omitempty"`
}

// emptyResults keeps an empty results array from encoding as null.
var emptyResults = json.RawMessage("[]")
