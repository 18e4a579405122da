package search

import (
	"slices"
	"testing"
)

// TestOperators runs every operator on every kind against one record
// holding (or lacking) a value.
func TestOperators(t *testing.T) {
	const absent = "\x00absent"
	cases := []struct {
		name   string
		prop   string
		stored string // absent: the record lacks the property
		f      Filter
		want   bool
	}{
		// String: case-insensitive.
		{"string EQ other case", "firstname", "Jane", Filter{Operator: EQ, Value: sv("jANE")}, true},
		{"string EQ differs", "firstname", "Jane", Filter{Operator: EQ, Value: sv("Jan")}, false},
		{"string EQ absent", "firstname", absent, Filter{Operator: EQ, Value: sv("Jane")}, false},
		{"string EQ empty is absent", "firstname", "", Filter{Operator: EQ, Value: sv("")}, false},
		{"string NEQ other", "firstname", "Jane", Filter{Operator: NEQ, Value: sv("Bob")}, true},
		{"string NEQ same other case", "firstname", "Jane", Filter{Operator: NEQ, Value: sv("JANE")}, false},
		{"string NEQ absent", "firstname", absent, Filter{Operator: NEQ, Value: sv("Jane")}, true},
		{"string LT", "firstname", "alice", Filter{Operator: LT, Value: sv("Bob")}, true},
		{"string LT equal", "firstname", "bob", Filter{Operator: LT, Value: sv("Bob")}, false},
		{"string LTE equal", "firstname", "bob", Filter{Operator: LTE, Value: sv("BOB")}, true},
		{"string GT", "firstname", "Carl", Filter{Operator: GT, Value: sv("bob")}, true},
		{"string GTE equal", "firstname", "Bob", Filter{Operator: GTE, Value: sv("bob")}, true},
		{"string GT absent", "firstname", absent, Filter{Operator: GT, Value: sv("a")}, false},
		{"string BETWEEN inside", "firstname", "Bob", Filter{Operator: Between, Value: sv("a"), HighValue: sv("c")}, true},
		{"string BETWEEN outside", "firstname", "Dan", Filter{Operator: Between, Value: sv("a"), HighValue: sv("c")}, false},
		{"string IN lower", "firstname", "Jane", Filter{Operator: In, Values: vals("bob", "jane")}, true},
		{"string IN upper never matches", "firstname", "Jane", Filter{Operator: In, Values: vals("Jane")}, false},
		{"string IN absent", "firstname", absent, Filter{Operator: In, Values: vals("jane")}, false},
		{"string NOT_IN", "firstname", "Jane", Filter{Operator: NotIn, Values: vals("bob")}, true},
		{"string NOT_IN listed", "firstname", "Jane", Filter{Operator: NotIn, Values: vals("jane")}, false},
		{"string NOT_IN absent", "firstname", absent, Filter{Operator: NotIn, Values: vals("jane")}, true},
		{"string HAS_PROPERTY", "firstname", "Jane", Filter{Operator: HasProperty}, true},
		{"string HAS_PROPERTY empty", "firstname", "", Filter{Operator: HasProperty}, false},
		{"string HAS_PROPERTY absent", "firstname", absent, Filter{Operator: HasProperty}, false},
		{"string NOT_HAS_PROPERTY absent", "firstname", absent, Filter{Operator: NotHasProperty}, true},
		{"string NOT_HAS_PROPERTY present", "firstname", "Jane", Filter{Operator: NotHasProperty}, false},
		{"string CONTAINS_TOKEN word", "firstname", "Mary Jane Watson", Filter{Operator: ContainsToken, Value: sv("JANE")}, true},
		{"string CONTAINS_TOKEN part of word", "firstname", "Mary Jane", Filter{Operator: ContainsToken, Value: sv("jan")}, false},
		{"string CONTAINS_TOKEN prefix wildcard", "email", "a.b@HubSpot.com", Filter{Operator: ContainsToken, Value: sv("*@hubspot.com")}, true},
		{"string CONTAINS_TOKEN suffix wildcard", "firstname", "Mary Jane", Filter{Operator: ContainsToken, Value: sv("ja*")}, true},
		{"string CONTAINS_TOKEN middle wildcard", "email", "jane@x.io", Filter{Operator: ContainsToken, Value: sv("j*@*.io")}, true},
		{"string CONTAINS_TOKEN wildcard no match", "email", "jane@x.io", Filter{Operator: ContainsToken, Value: sv("*@y.io")}, false},
		{"string CONTAINS_TOKEN phrase", "firstname", "Mary Jane Watson", Filter{Operator: ContainsToken, Value: sv("mary jane*")}, true},
		{"string CONTAINS_TOKEN absent", "firstname", absent, Filter{Operator: ContainsToken, Value: sv("*")}, false},
		{"string NOT_CONTAINS_TOKEN", "firstname", "Mary Jane", Filter{Operator: NotContainsToken, Value: sv("bob")}, true},
		{"string NOT_CONTAINS_TOKEN has", "firstname", "Mary Jane", Filter{Operator: NotContainsToken, Value: sv("jane")}, false},
		{"string NOT_CONTAINS_TOKEN absent", "firstname", absent, Filter{Operator: NotContainsToken, Value: sv("jane")}, true},
		{"unknown property is a string", "nickname", "JJ", Filter{Operator: EQ, Value: sv("jj")}, true},

		// Number: numeric, not lexical.
		{"number EQ other spelling", "amount", "10", Filter{Operator: EQ, Value: sv("10.0")}, true},
		{"number EQ differs", "amount", "10", Filter{Operator: EQ, Value: sv("11")}, false},
		{"number EQ unparsable value", "amount", "10", Filter{Operator: EQ, Value: sv("ten")}, false},
		{"number EQ unparsable stored", "amount", "ten", Filter{Operator: EQ, Value: sv("10")}, false},
		{"number NEQ", "amount", "10", Filter{Operator: NEQ, Value: sv("9")}, true},
		{"number NEQ same", "amount", "10", Filter{Operator: NEQ, Value: sv("1e1")}, false},
		{"number LT numeric not lexical", "amount", "9", Filter{Operator: LT, Value: sv("10")}, true},
		{"number LTE", "amount", "10", Filter{Operator: LTE, Value: sv("10")}, true},
		{"number GT numeric not lexical", "amount", "100", Filter{Operator: GT, Value: sv("20")}, true},
		{"number GTE", "amount", "19.5", Filter{Operator: GTE, Value: sv("20")}, false},
		{"number GT unparsable", "amount", "100", Filter{Operator: GT, Value: sv("x")}, false},
		{"number BETWEEN inclusive low", "amount", "5", Filter{Operator: Between, Value: sv("5"), HighValue: sv("50")}, true},
		{"number BETWEEN inclusive high", "amount", "50", Filter{Operator: Between, Value: sv("5"), HighValue: sv("50")}, true},
		{"number BETWEEN above", "amount", "51", Filter{Operator: Between, Value: sv("5"), HighValue: sv("50")}, false},
		{"number IN", "amount", "7", Filter{Operator: In, Values: vals("1", "7.00")}, true},
		{"number NOT_IN", "amount", "7", Filter{Operator: NotIn, Values: vals("1", "7")}, false},
		{"number HAS_PROPERTY", "amount", "0", Filter{Operator: HasProperty}, true},
		{"number CONTAINS_TOKEN", "amount", "1234", Filter{Operator: ContainsToken, Value: sv("12*")}, true},
		{"number NOT_CONTAINS_TOKEN", "amount", "1234", Filter{Operator: NotContainsToken, Value: sv("12*")}, false},

		// Bool.
		{"bool EQ", "active", "true", Filter{Operator: EQ, Value: sv("TRUE")}, true},
		{"bool EQ json literal", "active", "false", Filter{Operator: EQ, Value: sv("false")}, true},
		{"bool EQ differs", "active", "false", Filter{Operator: EQ, Value: sv("true")}, false},
		{"bool NEQ", "active", "false", Filter{Operator: NEQ, Value: sv("true")}, true},
		{"bool NEQ absent", "active", absent, Filter{Operator: NEQ, Value: sv("true")}, true},
		{"bool LT", "active", "false", Filter{Operator: LT, Value: sv("true")}, true},
		{"bool GTE", "active", "false", Filter{Operator: GTE, Value: sv("true")}, false},
		{"bool IN", "active", "true", Filter{Operator: In, Values: vals("true")}, true},
		{"bool NOT_IN", "active", "true", Filter{Operator: NotIn, Values: vals("false")}, true},
		{"bool NOT_HAS_PROPERTY", "active", "true", Filter{Operator: NotHasProperty}, false},

		// Date: midnight UTC, epoch millis or ISO.
		{"date EQ millis vs ISO", "closedate", "2024-03-01", Filter{Operator: EQ, Value: sv("1709251200000")}, true},
		{"date EQ ISO vs millis", "closedate", "1709251200000", Filter{Operator: EQ, Value: sv("2024-03-01")}, true},
		{"date EQ datetime form", "closedate", "2024-03-01", Filter{Operator: EQ, Value: sv("2024-03-01T00:00:00Z")}, true},
		{"date NEQ", "closedate", "2024-03-01", Filter{Operator: NEQ, Value: sv("2024-03-02")}, true},
		{"date LT", "closedate", "2024-02-28", Filter{Operator: LT, Value: sv("2024-03-01")}, true},
		{"date LTE", "closedate", "2024-03-01", Filter{Operator: LTE, Value: sv("1709251200000")}, true},
		{"date GT", "closedate", "2024-02-28", Filter{Operator: GT, Value: sv("2024-03-01")}, false},
		{"date GTE", "closedate", "2024-03-01", Filter{Operator: GTE, Value: sv("2024-03-01")}, true},
		{"date BETWEEN", "closedate", "2024-03-15", Filter{Operator: Between, Value: sv("2024-03-01"), HighValue: sv("2024-03-31")}, true},
		{"date BETWEEN unparsable high", "closedate", "2024-03-15", Filter{Operator: Between, Value: sv("2024-03-01"), HighValue: sv("soon")}, false},
		{"date IN", "closedate", "2024-03-01", Filter{Operator: In, Values: vals("1709251200000")}, true},
		{"date NOT_IN", "closedate", "2024-03-01", Filter{Operator: NotIn, Values: vals("2024-03-02")}, true},
		{"date HAS_PROPERTY", "closedate", "2024-03-01", Filter{Operator: HasProperty}, true},

		// DateTime: instants across zones and precisions.
		{"datetime EQ zones", "lastseen", "2024-03-01T10:00:00.000Z", Filter{Operator: EQ, Value: sv("2024-03-01T11:00:00+01:00")}, true},
		{"datetime EQ millis", "lastseen", "2024-03-01T10:00:00.123Z", Filter{Operator: EQ, Value: sv("1709287200123")}, true},
		{"datetime NEQ", "lastseen", "2024-03-01T10:00:00Z", Filter{Operator: NEQ, Value: sv("1709287200000")}, false},
		{"datetime LT", "lastseen", "1709287199999", Filter{Operator: LT, Value: sv("2024-03-01T10:00:00Z")}, true},
		{"datetime LTE", "lastseen", "2024-03-01T10:00:00Z", Filter{Operator: LTE, Value: sv("2024-03-01T10:00:00Z")}, true},
		{"datetime GT", "lastseen", "2024-03-01T10:00:01Z", Filter{Operator: GT, Value: sv("2024-03-01T10:00:00Z")}, true},
		{"datetime GTE", "lastseen", "2024-03-01T09:59:59Z", Filter{Operator: GTE, Value: sv("2024-03-01T10:00:00Z")}, false},
		{"datetime BETWEEN", "lastseen", "2024-03-01T10:00:00Z", Filter{Operator: Between, Value: sv("2024-03-01"), HighValue: sv("2024-03-02")}, true},
		{"datetime IN", "lastseen", "2024-03-01T10:00:00Z", Filter{Operator: In, Values: vals("1709287200000")}, true},
		{"datetime NOT_IN", "lastseen", "2024-03-01T10:00:00Z", Filter{Operator: NotIn, Values: vals("1709287200000")}, false},
		{"datetime NOT_HAS_PROPERTY absent", "lastseen", absent, Filter{Operator: NotHasProperty}, true},

		// Enumeration: case-sensitive, multi-value.
		{"enum EQ one of several", "colors", "red;green", Filter{Operator: EQ, Value: sv("green")}, true},
		{"enum EQ case-sensitive", "colors", "red;green", Filter{Operator: EQ, Value: sv("Green")}, false},
		{"enum NEQ holds", "colors", "red;green", Filter{Operator: NEQ, Value: sv("red")}, false},
		{"enum NEQ lacks", "colors", "red;green", Filter{Operator: NEQ, Value: sv("blue")}, true},
		{"enum LT raw", "colors", "a", Filter{Operator: LT, Value: sv("b")}, true},
		{"enum LTE raw", "colors", "b", Filter{Operator: LTE, Value: sv("b")}, true},
		{"enum GT raw", "colors", "B", Filter{Operator: GT, Value: sv("a")}, false},
		{"enum GTE raw", "colors", "b", Filter{Operator: GTE, Value: sv("a")}, true},
		{"enum BETWEEN", "colors", "b", Filter{Operator: Between, Value: sv("a"), HighValue: sv("c")}, true},
		{"enum IN", "colors", "red;green", Filter{Operator: In, Values: vals("blue", "green")}, true},
		{"enum IN case-sensitive", "colors", "Red", Filter{Operator: In, Values: vals("Red")}, true},
		{"enum NOT_IN", "colors", "red;green", Filter{Operator: NotIn, Values: vals("green")}, false},
		{"enum CONTAINS_TOKEN option", "colors", "red;dark green", Filter{Operator: ContainsToken, Value: sv("gr*")}, true},
		{"enum CONTAINS_TOKEN case-sensitive", "colors", "red", Filter{Operator: ContainsToken, Value: sv("RED")}, false},
		{"enum NOT_CONTAINS_TOKEN", "colors", "red", Filter{Operator: NotContainsToken, Value: sv("blue")}, true},
		{"enum HAS_PROPERTY", "colors", "red", Filter{Operator: HasProperty}, true},

		// hs_object_id equals the id even when the record does not store it.
		{"hs_object_id from id", "hs_object_id", absent, Filter{Operator: GT, Value: sv("100")}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := mk("101", 0)
			if tc.stored != absent {
				r.props[tc.prop] = tc.stored
			}
			tc.f.PropertyName = tc.prop
			res, err := Search(one(tc.f), testSchema, seq(r), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Total == 1; got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestGroups: groups are ORed, filters in a group ANDed, no groups match
// everything.
func TestGroups(t *testing.T) {
	rs := []*rec{
		mk("1", 1, "firstname", "ann", "amount", "10"),
		mk("2", 2, "firstname", "bob", "amount", "20"),
		mk("3", 3, "firstname", "ann", "amount", "30"),
		mk("4", 4),
	}
	ann := Filter{PropertyName: "firstname", Operator: EQ, Value: sv("ann")}
	big := Filter{PropertyName: "amount", Operator: GTE, Value: sv("20")}
	bob := Filter{PropertyName: "firstname", Operator: EQ, Value: sv("bob")}
	cases := []struct {
		name   string
		groups []FilterGroup
		want   []string
	}{
		{"no groups", nil, []string{"1", "2", "3", "4"}},
		{"empty group matches all", []FilterGroup{{}}, []string{"1", "2", "3", "4"}},
		{"one filter", []FilterGroup{{Filters: []Filter{ann}}}, []string{"1", "3"}},
		{"AND in a group", []FilterGroup{{Filters: []Filter{ann, big}}}, []string{"3"}},
		{"OR between groups", []FilterGroup{{Filters: []Filter{bob}}, {Filters: []Filter{ann, big}}}, []string{"2", "3"}},
		{"AND that nothing satisfies", []FilterGroup{{Filters: []Filter{ann, bob}}}, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Search(&Request{FilterGroups: tc.groups}, testSchema, seq(rs...), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res.Results); !slices.Equal(got, tc.want) || res.Total != len(tc.want) {
				t.Errorf("got %v (total %d), want %v", got, res.Total, tc.want)
			}
		})
	}
}

// TestQuery: every term must prefix a token of a searchable property.
func TestQuery(t *testing.T) {
	rs := []*rec{
		mk("1", 1, "firstname", "Alexander", "email", "alex@example.com"),
		mk("2", 2, "firstname", "Jane Doe", "email", "jane.doe@corp.io"),
		mk("3", 3, "firstname", "Bob", "email", "bob@example.com", "amount", "alex"),
	}
	cases := []struct {
		query string
		want  []string
	}{
		{"", []string{"1", "2", "3"}},
		{"alex", []string{"1"}},         // prefix; amount is not searchable
		{"ALEXANDER", []string{"1"}},    // case-insensitive
		{"lexander", []string{}},        // not a prefix
		{"example", []string{"1", "3"}}, // a letter run inside the email
		{"doe", []string{"2"}},
		{"jane.doe@corp.io", []string{"2"}},
		{"jane corp", []string{"2"}}, // every term, any property
		{"jane bob", []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			res, err := Search(&Request{Query: tc.query}, testSchema, seq(rs...), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res.Results); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestQueryAndFilters(t *testing.T) {
	rs := []*rec{
		mk("1", 1, "firstname", "Ann", "amount", "5"),
		mk("2", 2, "firstname", "Ann", "amount", "50"),
	}
	req := one(Filter{PropertyName: "amount", Operator: GT, Value: sv("10")})
	req.Query = "ann"
	res, err := Search(req, testSchema, seq(rs...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Results); !slices.Equal(got, []string{"2"}) {
		t.Errorf("got %v, want [2]", got)
	}
}

func TestGlob(t *testing.T) {
	cases := []struct {
		pat, s string
		want   bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"*", "abc", true},
		{"a*c", "abbbc", true},
		{"a*c", "abcd", false},
		{"*b*", "abc", true},
		{"**", "x", true},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "acb", false},
		{"abc", "abc", true},
		{"abc", "ab", false},
	}
	for _, tc := range cases {
		if got := glob(tc.pat, tc.s); got != tc.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tc.pat, tc.s, got, tc.want)
		}
	}
}

func TestParseInstant(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"1709251200000", 1709251200000, true},
		{"-1000", -1000, true},
		{"2024-03-01", 1709251200000, true},
		{"2024-03-01T00:00:00Z", 1709251200000, true},
		{"2024-03-01T00:00:00.5Z", 1709251200500, true},
		{"2024-03-01T01:00:00+01:00", 1709251200000, true},
		{"2024-03-01T00:00:00", 1709251200000, true},
		{"2024-03-01T00:00", 1709251200000, true},
		{"yesterday", 0, false},
		{"", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseInstant(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseInstant(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestKindString(t *testing.T) {
	if got := Enumeration.String(); got != "Enumeration" {
		t.Errorf("got %q", got)
	}
	if got := Kind(99).String(); got != "Kind(?)" {
		t.Errorf("got %q", got)
	}
}
