package endpoint

import (
	"encoding/json"
	"time"
)

// TimeLayout is HubSpot's wire format for timestamps: UTC with milliseconds
// and Z.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// FormatTime renders t in TimeLayout. Every batch answer carries three
// timestamps, so it writes the digits itself rather than interpreting the
// layout each time (several times cheaper than time.Format).
func FormatTime(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.Format(TimeLayout)
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

// Results is the plain {results: [...]} answer of reads.
type Results struct {
	Results any `json:"results"`
}

// EmptyResults keeps an empty results array from encoding as null.
var EmptyResults = json.RawMessage("[]")
