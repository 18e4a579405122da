package schema

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"testing"
)

func TestNormalizeInput(t *testing.T) {
	ot := testType(t)
	tests := []struct {
		name, prop, value string
		want              string
		code, message     string
	}{
		// Existence and read-only come first, whatever the value.
		{"unknown property", "testproperty", "x", "", CodePropertyDoesntExist, `Property "testproperty" does not exist`},
		{"unknown property empty", "Name", "", "", CodePropertyDoesntExist, `Property "Name" does not exist`},
		{"read only", "hs_object_id", "12", "", CodeReadOnlyValue, "hs_object_id is a read only property; its value cannot be set."},
		{"read only clear", "createdate", "", "", CodeReadOnlyValue, "createdate is a read only property; its value cannot be set."},

		{"string", "name", " Ada  Lovelace ", " Ada  Lovelace ", "", ""},
		{"string clear", "name", "", "", "", ""},
		{"phone free text", "phone", "+1 (555) 010-0000 ext. 2", "+1 (555) 010-0000 ext. 2", "", ""},

		{"number int", "amount", "17", "17", "", ""},
		{"number decimal", "amount", "1000.50", "1000.50", "", ""},
		{"number negative", "amount", "-3.25", "-3.25", "", ""},
		{"number clear", "amount", "", "", "", ""},
		{"number exponent", "amount", "1.4210854715202004e-14", "", CodeInvalidInteger, "1.4210854715202004e-14 was not a valid number."},
		{"number text", "amount", "abc", "", CodeInvalidInteger, "abc was not a valid number."},
		{"number spaces", "amount", " 17", "", CodeInvalidInteger, " 17 was not a valid number."},
		{"number plus", "amount", "+1", "", CodeInvalidInteger, "+1 was not a valid number."},
		{"number trailing dot", "amount", "1.", "", CodeInvalidInteger, "1. was not a valid number."},
		{"number leading dot", "amount", ".5", "", CodeInvalidInteger, ".5 was not a valid number."},
		{"number comma", "amount", "1,000", "", CodeInvalidInteger, "1,000 was not a valid number."},
		{"number infinity", "amount", "Infinity", "", CodeInvalidInteger, "Infinity was not a valid number."},
		{"number minus only", "amount", "-", "", CodeInvalidInteger, "- was not a valid number."},

		{"bool true", "flag", "true", "true", "", ""},
		{"bool upper", "flag", "FALSE", "false", "", ""},
		{"bool yes", "flag", "yes", "", CodeInvalidBoolean, "yes was not a valid boolean."},
		{"bool one", "flag", "1", "", CodeInvalidBoolean, "1 was not a valid boolean."},

		{"date plain", "day", "2024-01-15", "2024-01-15", "", ""},
		{"date midnight iso", "day", "2024-01-15T00:00:00.000Z", "2024-01-15", "", ""},
		{"date midnight offset", "day", "2024-01-15T02:00:00+02:00", "2024-01-15", "", ""},
		{"date epoch midnight", "day", "1705276800000", "2024-01-15", "", ""},
		{"date epoch not midnight", "day", "1705276800001", "", CodeInvalidDate, "1705276800001 is at 0:0:0.1 UTC, not midnight!"},
		{"date iso not midnight", "day", "2024-01-15T13:45:07Z", "", CodeInvalidDate, "2024-01-15T13:45:07Z is at 13:45:7.0 UTC, not midnight!"},
		{"date text", "day", "yesterday", "", CodeInvalidDate, "yesterday was not a valid date."},
		{"date bad month", "day", "2024-13-01", "", CodeInvalidDate, "2024-13-01 was not a valid date."},
		{"date slashes", "day", "01/15/2024", "", CodeInvalidDate, "01/15/2024 was not a valid date."},

		{"datetime iso", "when", "2024-08-26T14:31:18.439Z", "2024-08-26T14:31:18.439Z", "", ""},
		{"datetime no millis", "when", "2024-08-26T14:31:18Z", "2024-08-26T14:31:18.000Z", "", ""},
		{"datetime offset", "when", "2024-08-26T16:31:18.439+02:00", "2024-08-26T14:31:18.439Z", "", ""},
		{"datetime micros truncated", "when", "2024-08-26T14:31:18.439999Z", "2024-08-26T14:31:18.439Z", "", ""},
		{"datetime epoch", "when", "1724682678439", "2024-08-26T14:31:18.439Z", "", ""},
		{"datetime epoch zero", "when", "0", "1970-01-01T00:00:00.000Z", "", ""},
		{"datetime negative epoch", "when", "-86400000", "1969-12-31T00:00:00.000Z", "", ""},
		{"datetime date only", "when", "2024-08-26", "2024-08-26T00:00:00.000Z", "", ""},
		{"datetime no zone", "when", "2024-08-26T14:31:18", "", CodeInvalidDateTime, "2024-08-26T14:31:18 was not a valid datetime."},
		{"datetime text", "when", "now", "", CodeInvalidDateTime, "now was not a valid datetime."},
		{"datetime epoch seconds out of range", "when", "99999999999999999999", "", CodeInvalidDateTime, "99999999999999999999 was not a valid datetime."},
		{"datetime year 10000", "when", "253402300800000", "", CodeInvalidDateTime, "253402300800000 was not a valid datetime."},
		{"datetime spaces", "when", " 2024-08-26T14:31:18Z", "", CodeInvalidDateTime, " 2024-08-26T14:31:18Z was not a valid datetime."},

		{"option", "color", "green", "green", "", ""},
		{"hidden option", "color", "old", "old", "", ""},
		{"option case sensitive", "color", "Green", "", CodeInvalidOption, "Green was not one of the allowed options: [red, green, old]"},
		{"option label", "color", "Red", "", CodeInvalidOption, "Red was not one of the allowed options: [red, green, old]"},
		{"single option with separator", "color", "red;green", "", CodeInvalidOption, "red;green was not one of the allowed options: [red, green, old]"},
		{"multi options", "tags", "A;C", "A;C", "", ""},
		{"multi one", "tags", "B", "B", "", ""},
		{"multi bad part", "tags", "A;D", "", CodeInvalidOption, "D was not one of the allowed options: [A, B, C]"},
		{"multi empty part", "tags", "A;", "", CodeInvalidOption, " was not one of the allowed options: [A, B, C]"},
		{"multi clear", "tags", "", "", "", ""},

		{"email", "email", "ada@example.com", "ada@example.com", "", ""},
		{"email plus", "email", "ada+test@mail.example.co.uk", "ada+test@mail.example.co.uk", "", ""},
		{"email no at", "email", "ada.example.com", "", CodeInvalidEmail, "Email address ada.example.com is invalid"},
		{"email no dot", "email", "ada@localhost", "", CodeInvalidEmail, "Email address ada@localhost is invalid"},
		{"email two ats", "email", "a@b@example.com", "", CodeInvalidEmail, "Email address a@b@example.com is invalid"},
		{"email space", "email", "ada lovelace@example.com", "", CodeInvalidEmail, "Email address ada lovelace@example.com is invalid"},
		{"email empty label", "email", "ada@example..com", "", CodeInvalidEmail, "Email address ada@example..com is invalid"},
		{"email clear", "email", "", "", "", ""},
		{"email list", "emails", "a@example.com;b@example.org", "a@example.com;b@example.org", "", ""},
		{"email list bad", "emails", "a@example.com;nope", "", CodeInvalidEmail, "Email address nope is invalid"},

		{"external free", "vids", "1;2", "1;2", "", ""},
		{"external free empty part", "vids", "1;;2", "", CodeInvalidOption, " was not one of the allowed options: []"},
		{"owner", "owner", "123456", "123456", "", ""},
		{"owner text", "owner", "ada", "", CodeInvalidOption, "ada was not a valid owner id."},
		{"pipeline", "pipeline", "p2", "p2", "", ""},
		{"pipeline unknown", "pipeline", "default", "", CodeInvalidOption, "default was not one of the allowed options: [p1, p2]"},
		{"stage", "stage", "s3", "s3", "", ""},
		{"stage unknown", "stage", "closedwon", "", CodeInvalidOption, "closedwon was not one of the allowed options: [s1, s2, s3]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ot.NormalizeInput(tt.prop, tt.value)
			if tt.code == "" {
				if err != nil || got != tt.want {
					t.Fatalf("NormalizeInput(%q, %q) = %q, %v; want %q", tt.prop, tt.value, got, err, tt.want)
				}
				// The stored form is itself accepted and unchanged.
				if again, err := ot.NormalizeInput(tt.prop, got); err != nil || again != got {
					t.Fatalf("stored form %q normalises to %q, %v", got, again, err)
				}
				return
			}
			want := &ValueError{Name: tt.prop, Value: tt.value, Code: tt.code, Message: tt.message}
			if err == nil || *err != *want || got != "" {
				t.Fatalf("NormalizeInput(%q, %q) = %q, %+v; want %+v", tt.prop, tt.value, got, err, want)
			}
			if err.Error() != tt.prop+": "+tt.message {
				t.Fatalf("Error() = %q", err.Error())
			}
		})
	}
}

func TestNormalizeIgnoresReadOnly(t *testing.T) {
	ot := testType(t)
	tests := []struct {
		prop, value, want, code string
	}{
		{"hs_object_id", "12", "12", ""},
		{"createdate", "1724682678439", "2024-08-26T14:31:18.439Z", ""},
		{"hs_object_id", "x", "", CodeInvalidInteger},
		{"nope", "x", "", CodePropertyDoesntExist},
	}
	for _, tt := range tests {
		t.Run(tt.prop+"="+tt.value, func(t *testing.T) {
			got, err := ot.Normalize(tt.prop, tt.value)
			code := ""
			if err != nil {
				code = err.Code
			}
			if got != tt.want || code != tt.code {
				t.Fatalf("Normalize = %q, %v; want %q, %q", got, err, tt.want, tt.code)
			}
		})
	}
}

func TestDecodeValue(t *testing.T) {
	tests := []struct {
		raw     string
		want    string
		wantErr error // nil: success; errAny: some error
	}{
		{`"abc"`, "abc", nil},
		{`"a\u00e9\"b"`, "aé\"b", nil},
		{`""`, "", nil},
		{` "padded" `, "padded", nil},
		{`123456789`, "123456789", nil},
		{`12345678901234567890`, "12345678901234567890", nil},
		{`-1.50`, "-1.50", nil},
		{`1.4210854715202004e-14`, "1.4210854715202004e-14", nil},
		{`true`, "true", nil},
		{`false`, "false", nil},
		{`null`, "", nil},
		{`{"a":1}`, "", ErrNotScalar},
		{`[1]`, "", ErrNotScalar},
		{``, "", errAny},
		{`tru`, "", errAny},
		{`"unterminated`, "", errAny},
		{`1 2`, "", errAny},
		{`01`, "", errAny},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := DecodeValue(json.RawMessage(tt.raw))
			switch {
			case tt.wantErr == nil && (err != nil || got != tt.want):
				t.Fatalf("DecodeValue = %q, %v; want %q", got, err, tt.want)
			case tt.wantErr == errAny && err == nil:
				t.Fatalf("DecodeValue = %q, want an error", got)
			case tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("DecodeValue error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

var errAny = errors.New("any error")

func TestValueText(t *testing.T) {
	tests := []struct {
		in      any
		want    string
		wantErr bool
	}{
		{nil, "", false},
		{"x", "x", false},
		{json.Number("1e3"), "1e3", false},
		{float64(1000.5), "1000.5", false},
		{float64(1e21), "1000000000000000000000", false},
		{true, "true", false},
		{map[string]any{}, "", true},
		{[]any{}, "", true},
		{3, "", true},
	}
	for _, tt := range tests {
		got, err := ValueText(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ValueText(%#v) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestNormalizeWrite(t *testing.T) {
	ot := testType(t)
	tests := []struct {
		name     string
		current  map[string]string
		props    map[string]string
		want     map[string]string
		wantErrs []string // "name:CODE" in order
	}{
		{"plain create", nil,
			map[string]string{"name": "Big deal", "amount": "10", "flag": "TRUE", "day": "2024-01-15T00:00:00Z"},
			map[string]string{"name": "Big deal", "amount": "10", "flag": "true", "day": "2024-01-15"}, nil},
		{"empty write", nil, map[string]string{}, map[string]string{}, nil},
		{"errors sorted by name, nothing returned", nil,
			map[string]string{"name": "ok", "when": "x", "amount": "x", "zzz": "1", "hs_object_id": "1"},
			nil, []string{"amount:INVALID_INTEGER", "hs_object_id:READ_ONLY_VALUE", "when:INVALID_DATETIME", "zzz:PROPERTY_DOESNT_EXIST"}},
		{"stage and matching pipeline", nil,
			map[string]string{"pipeline": "p1", "stage": "s2"},
			map[string]string{"pipeline": "p1", "stage": "s2"}, nil},
		{"stage of another pipeline", nil,
			map[string]string{"pipeline": "p1", "stage": "s3"},
			nil, []string{"stage:INVALID_OPTION"}},
		{"stage without pipeline gets its pipeline", nil,
			map[string]string{"stage": "s3"},
			map[string]string{"pipeline": "p2", "stage": "s3"}, nil},
		{"stage update checked against stored pipeline", map[string]string{"pipeline": "p1", "stage": "s1"},
			map[string]string{"stage": "s3"},
			nil, []string{"stage:INVALID_OPTION"}},
		{"stage update within stored pipeline", map[string]string{"pipeline": "p1", "stage": "s1"},
			map[string]string{"stage": "s2"},
			map[string]string{"stage": "s2"}, nil},
		{"pipeline change leaving the stored stage behind", map[string]string{"pipeline": "p1", "stage": "s1"},
			map[string]string{"pipeline": "p2"},
			nil, []string{"stage:INVALID_OPTION"}},
		{"pipeline and stage moved together", map[string]string{"pipeline": "p1", "stage": "s1"},
			map[string]string{"pipeline": "p2", "stage": "s3"},
			map[string]string{"pipeline": "p2", "stage": "s3"}, nil},
		{"stage cleared", map[string]string{"pipeline": "p1", "stage": "s1"},
			map[string]string{"stage": ""},
			map[string]string{"stage": ""}, nil},
		{"pipeline cleared refilled from stage", map[string]string{"pipeline": "p1", "stage": "s1"},
			map[string]string{"pipeline": ""},
			map[string]string{"pipeline": "p1"}, nil},
		{"stored stage unknown to the catalog", map[string]string{"stage": "gone"},
			map[string]string{"pipeline": ""},
			map[string]string{"pipeline": ""}, nil},
		{"unrelated update ignores pipelines", map[string]string{"pipeline": "p1", "stage": "s3"},
			map[string]string{"name": "x"},
			map[string]string{"name": "x"}, nil},
		{"bad stage value reported once", nil,
			map[string]string{"pipeline": "p1", "stage": "nope"},
			nil, []string{"stage:INVALID_OPTION"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := maps.Clone(tt.current)
			got, errs := ot.NormalizeWrite(tt.current, tt.props)
			var codes []string
			for _, e := range errs {
				codes = append(codes, e.Name+":"+e.Code)
			}
			if !slices.Equal(codes, tt.wantErrs) {
				t.Fatalf("errors = %v, want %v", codes, tt.wantErrs)
			}
			if !maps.Equal(got, tt.want) || (tt.want == nil) != (got == nil) {
				t.Fatalf("values = %v, want %v", got, tt.want)
			}
			if !maps.Equal(before, tt.current) {
				t.Fatalf("current changed: %v, was %v", tt.current, before)
			}
		})
	}
}

func TestCheckStage(t *testing.T) {
	c := loadDefault(t)
	tests := []struct {
		typ, pipeline, stage string
		wantProp, wantMsg    string
	}{
		{"deals", "default", "closedwon", "", ""},
		{"deals", "default", "1", "dealstage", "1 was not one of the allowed options: [appointmentscheduled, qualifiedtobuy, presentationscheduled, decisionmakerboughtin, contractsent, closedwon, closedlost]"},
		{"deals", "sales", "closedwon", "pipeline", "sales was not one of the allowed options: [default]"},
		{"tickets", "0", "4", "", ""},
		{"tickets", "0", "closedwon", "hs_pipeline_stage", "closedwon was not one of the allowed options: [1, 2, 3, 4]"},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"/"+tt.pipeline+"/"+tt.stage, func(t *testing.T) {
			err := mustType(t, c, tt.typ).CheckStage(tt.pipeline, tt.stage)
			if tt.wantProp == "" {
				if err != nil {
					t.Fatalf("CheckStage = %v", err)
				}
				return
			}
			if err == nil || err.Name != tt.wantProp || err.Code != CodeInvalidOption || err.Message != tt.wantMsg {
				t.Fatalf("CheckStage = %+v; want %s %q", err, tt.wantProp, tt.wantMsg)
			}
		})
	}
}

// TestFixtureValueRules runs the rules against the real catalog's
// properties the reference names.
func TestFixtureValueRules(t *testing.T) {
	c := loadDefault(t)
	tests := []struct {
		typ, prop, value, want, code string
	}{
		{"contacts", "email", "ada@example.com", "ada@example.com", ""},
		{"contacts", "email", "not-an-email", "", CodeInvalidEmail},
		{"contacts", "lifecyclestage", "marketingqualifiedlead", "marketingqualifiedlead", ""},
		{"contacts", "lifecyclestage", "MQL", "", CodeInvalidOption},
		{"contacts", "hs_additional_emails", "b@example.com", "", CodeReadOnlyValue},
		{"contacts", "lastmodifieddate", "2024-01-01", "", CodeReadOnlyValue},
		{"contacts", "hs_object_id", "1", "", CodeReadOnlyValue},
		{"companies", "hs_lastmodifieddate", "2024-01-01", "", CodeReadOnlyValue},
		{"companies", "numberofemployees", "250", "250", ""},
		{"companies", "industry", "COMPUTER_SOFTWARE", "COMPUTER_SOFTWARE", ""},
		{"deals", "amount", "1000.50", "1000.50", ""},
		{"deals", "closedate", "2024-12-31", "2024-12-31T00:00:00.000Z", ""},
		{"deals", "dealstage", "qualifiedtobuy", "qualifiedtobuy", ""},
		{"deals", "dealstage", "won", "", CodeInvalidOption},
		{"deals", "pipeline", "default", "default", ""},
		{"deals", "hubspot_owner_id", "1234", "1234", ""},
		{"tickets", "hs_ticket_category", "reports", "", CodeInvalidOption},
		{"tickets", "hs_ticket_category", "BILLING_ISSUE;FEATURE_REQUEST", "BILLING_ISSUE;FEATURE_REQUEST", ""},
		{"tickets", "hs_ticket_priority", "HIGH", "HIGH", ""},
		{"tickets", "hs_pipeline_stage", "2", "2", ""},
		{"tickets", "hs_ticket_id", "5", "", CodeReadOnlyValue},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"/"+tt.prop+"="+tt.value, func(t *testing.T) {
			got, err := mustType(t, c, tt.typ).NormalizeInput(tt.prop, tt.value)
			code := ""
			if err != nil {
				code = err.Code
			}
			if got != tt.want || code != tt.code {
				t.Fatalf("NormalizeInput = %q, %v; want %q, %q", got, err, tt.want, tt.code)
			}
		})
	}
	tickets := mustType(t, c, "tickets")
	p, _ := tickets.Property("hs_ticket_category")
	_, err := tickets.NormalizeInput("hs_ticket_category", "reports")
	if want := "reports was not one of the allowed options: [PRODUCT_ISSUE, BILLING_ISSUE, FEATURE_REQUEST, GENERAL_INQUIRY]"; err.Message != want {
		t.Fatalf("message = %q, want %q (options %v)", err.Message, want, p.Options)
	}
}
