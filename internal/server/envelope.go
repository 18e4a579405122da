package server

import (
	"encoding/json"
	"time"

	"github.com/mockhub/mockhub/internal/apierr"
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

// formatTime renders t in timeLayout. Every batch answer carries three
// timestamps, so it writes the digits itself rather than interpreting the
// layout each time (several times cheaper than time.Format).
func formatTime(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.Format(timeLayout)
	}
	hour, minute, sec := t.Clock()
	var b [24]byte
	put := func(at, v, width int) {
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, year, 4)
	b[4] = '-'
	put(5, int(month), 2)
	b[7] = '-'
	put(8, day, 2)
	b[10] = 'T'
	put(11, hour, 2)
	b[13] = ':'
	put(14, minute, 2)
	b[16] = ':'
	put(17, sec, 2)
	b[19] = '.'
	put(20, t.Nanosecond()/1e6, 3)
	b[23] = 'Z'
	return string(b[:])
}

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
