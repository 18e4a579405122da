package apierr

import (
	"encoding/json"
	"testing"
	"time"
)

func TestExpiredMessage(t *testing.T) {
	at := time.Date(2026, 3, 10, 23, 4, 41, 164e6, time.UTC)
	tests := []struct {
		ago  time.Duration
		want string
	}{
		{0, "The OAuth token used to make this call expired 0 second(s) ago."},
		{-time.Hour, "The OAuth token used to make this call expired 0 second(s) ago."},
		{59 * time.Second, "The OAuth token used to make this call expired 59 second(s) ago."},
		{90 * time.Second, "The OAuth token used to make this call expired 1 minute(s) ago."},
		{5*time.Hour + time.Minute, "The OAuth token used to make this call expired 5 hour(s) ago."},
		{19884 * 24 * time.Hour, "The OAuth token used to make this call expired 19884 day(s) ago."},
	}
	for _, tt := range tests {
		e := Expired(at, at.Add(tt.ago))
		if e.Message != tt.want || e.Context["expire time"][0] != "2026-03-10T23:04:41.164Z" || e.Status != 401 {
			t.Errorf("%v: %+v", tt.ago, e)
		}
	}
}

func TestForStatus(t *testing.T) {
	for _, status := range FaultStatuses {
		e, ok := ForStatus(status, "", 7, 60)
		if !ok || e.Status != status || e.Category == "" || e.Message == "" {
			t.Errorf("%d: %+v", status, e)
		}
		var m map[string]any
		if err := json.Unmarshal(e.Body("id"), &m); err != nil || m["category"] == nil {
			t.Errorf("%d body: %s", status, e.Body("id"))
		}
	}
	if _, ok := ForStatus(418, "", 0, 0); ok {
		t.Error("418 accepted")
	}
	e := RateLimited(PolicyDaily, 42)
	if e.PolicyName != PolicyDaily || e.GroupName != "publicapi:daily:42" || e.Message != MsgDailyLimit {
		t.Errorf("%+v", e)
	}
	e = RateLimited(PolicySecondly, 42)
	if e.PolicyName != PolicySecondly || e.GroupName != "publicapi:secondly:42" || e.Message != MsgSecondlyLimit {
		t.Errorf("%+v", e)
	}
	e = RateLimited("", 42)
	if e.PolicyName != PolicyTenSecondly || e.Message != MsgTenSecondlyLimit {
		t.Errorf("%+v", e)
	}
}
