package ratelimit

import (
	"errors"
	"fmt"
	"math"
)

// BucketExtension is the operation extension that puts an operation in a
// bucket: {bucket: NAME, perSecond: N}. Operations naming the same bucket
// share its per-second limit.
const BucketExtension = "x-mockhub-rate-limit"

// ParseBucket reads the value of BucketExtension as a document decodes it
// (a JSON object). A nil value is no bucket.
func ParseBucket(v any) (Bucket, error) {
	if v == nil {
		return Bucket{}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return Bucket{}, fmt.Errorf("%s must be an object {bucket, perSecond}", BucketExtension)
	}
	for k := range m {
		if k != "bucket" && k != "perSecond" {
			return Bucket{}, fmt.Errorf("%s has an unknown field %q", BucketExtension, k)
		}
	}
	name, _ := m["bucket"].(string)
	if name == "" {
		return Bucket{}, fmt.Errorf("%s.bucket must name a bucket", BucketExtension)
	}
	n, err := wholeNumber(m["perSecond"])
	if err != nil {
		return Bucket{}, fmt.Errorf("%s.perSecond %w", BucketExtension, err)
	}
	return Bucket{Name: name, PerSecond: n}, nil
}

// wholeNumber reads a positive whole number as JSON or YAML decoding gives
// it.
func wholeNumber(v any) (int, error) {
	var f float64
	switch n := v.(type) {
	case float64:
		f = n
	case int:
		f = float64(n)
	case int64:
		f = float64(n)
	case uint64:
		f = float64(n)
	default:
		return 0, errors.New("must be a whole number")
	}
	if f != math.Trunc(f) || f < 1 || f > 1<<20 {
		return 0, fmt.Errorf("must be a whole number from 1 to %d, got %v", 1<<20, v)
	}
	return int(f), nil
}
