package crmobjects_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/mockhub/mockhub/internal/apitest"
	"github.com/mockhub/mockhub/internal/server"
)

// TestMergeInEveryVersion merges one contact into another: the primary keeps
// its id and values, the other's fill the gaps, its email becomes an
// additional email and its id a merged id, and it is gone afterwards.
func TestMergeInEveryVersion(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			base := vc.prefix + "/contacts"
			a := create(t, h, base, `{"email":"a@x.com","firstname":"Ann"}`)["id"].(string)
			b := create(t, h, base, `{"email":"b@x.com","firstname":"Bea","lastname":"Baker"}`)["id"].(string)
			b2 := create(t, h, base, `{"email":"B2@x.com"}`)["id"].(string)
			c := create(t, h, base, `{"phone":"123"}`)["id"].(string)

			// b2 into b, then b into a: additional emails and merged ids
			// travel with their record.
			h.Do("POST", base+"/merge", tok, fmt.Sprintf(`{"primaryObjectId":%q,"objectIdToMerge":%q}`, b, b2)).Expect(t, 200)
			r := h.Do("POST", base+"/merge", tok, fmt.Sprintf(`{"primaryObjectId":%q,"objectIdToMerge":%q}`, a, b))
			r.Expect(t, 200)
			rec := r.JSON(t)
			p := props(t, rec)
			want := map[string]any{
				"email": "a@x.com", "firstname": "Ann", "lastname": "Baker",
				"hs_additional_emails": "B2@x.com;b@x.com", "hs_merged_object_ids": b + ";" + b2, "hs_object_id": a,
			}
			for k, v := range want {
				if p[k] != v {
					t.Errorf("merged %s = %v, want %v", k, p[k], v)
				}
			}
			if rec["id"] != a {
				t.Fatalf("merged id %v, want the primary's %s", rec["id"], a)
			}

			// The merged record is gone; its emails find the primary.
			h.Do("GET", base+"/"+b, tok, "").Expect(t, 404)
			h.Do("GET", base+"/"+b+"?archived=true", tok, "").Expect(t, 404)
			h.Do("GET", base+"/"+b2, tok, "").Expect(t, 404)
			for _, email := range []string{"b@x.com", "B2@x.com"} {
				r = h.Do("GET", base+"/"+email+"?idProperty=email", tok, "")
				r.Expect(t, 200)
				if got := r.JSON(t)["id"]; got != a {
					t.Fatalf("%s finds %v, want %s", email, got, a)
				}
			}
			h.Do("POST", base, tok, `{"properties":{"email":"b@x.com"}}`).Expect(t, 409)

			// Numbers as ids; a primary without email takes the other's; the
			// merged ids add up.
			r = h.Do("POST", base+"/merge", tok, fmt.Sprintf(`{"primaryObjectId":%s,"objectIdToMerge":%s}`, c, a))
			r.Expect(t, 200)
			p = props(t, r.JSON(t))
			if p["email"] != "a@x.com" || p["hs_merged_object_ids"] != a+";"+b+";"+b2 || p["hs_additional_emails"] != "B2@x.com;b@x.com" {
				t.Fatalf("second merge: %v", p)
			}
			r = h.Do("GET", base+"/"+c+"?properties=hs_merged_object_ids,email,phone", tok, "")
			r.Expect(t, 200)
			if p := props(t, r.JSON(t)); p["hs_merged_object_ids"] != a+";"+b+";"+b2 || p["email"] != "a@x.com" || p["phone"] != "123" {
				t.Fatalf("read after merge: %v", p)
			}
		})
	}
}

// TestMergeDeals: types without emails merge by filling gaps only.
func TestMergeDeals(t *testing.T) {
	h := apitest.New(t, server.Config{})
	base := "/crm/v3/objects/0-3"
	a := create(t, h, base, `{"dealname":"A"}`)["id"].(string)
	b := create(t, h, base, `{"dealname":"B","amount":"10"}`)["id"].(string)
	r := h.Do("POST", base+"/merge", tok, fmt.Sprintf(`{"primaryObjectId":%q,"objectIdToMerge":%q}`, a, b))
	r.Expect(t, 200)
	p := props(t, r.JSON(t))
	if p["dealname"] != "A" || p["amount"] != "10" || p["hs_merged_object_ids"] != b {
		t.Fatalf("merged deal %v", p)
	}
	if n := len(h.Do("GET", base, tok, "").Results(t)); n != 1 {
		t.Fatalf("%d deals after the merge, want 1", n)
	}
}

// TestMergeErrors: every refusal, with nothing changed.
func TestMergeErrors(t *testing.T) {
	h := apitest.New(t, server.Config{})
	base := "/crm/v3/objects/contacts"
	a := create(t, h, base, `{"email":"a@x.com"}`)["id"].(string)
	b := create(t, h, base, `{"email":"b@x.com"}`)["id"].(string)
	arch := create(t, h, base, `{"email":"c@x.com"}`)["id"].(string)
	h.Do("DELETE", base+"/"+arch, tok, "").Expect(t, 204)
	for _, tc := range []struct {
		name, path, body string
		status           int
		message          string
	}{
		{"itself", base, fmt.Sprintf(`{"primaryObjectId":%q,"objectIdToMerge":%q}`, a, a), 400, "A record cannot be merged with itself"},
		{"unknown primary", base, fmt.Sprintf(`{"primaryObjectId":"999999999","objectIdToMerge":%q}`, b), 404, "Object not found"},
		{"unknown merged", base, fmt.Sprintf(`{"primaryObjectId":%q,"objectIdToMerge":"999999999"}`, a), 404, "Object not found"},
		{"archived merged", base, fmt.Sprintf(`{"primaryObjectId":%q,"objectIdToMerge":%q}`, a, arch), 404, "Object not found"},
		{"archived primary", base, fmt.Sprintf(`{"primaryObjectId":%q,"objectIdToMerge":%q}`, arch, a), 404, "Object not found"},
		{"non-numeric id", base, fmt.Sprintf(`{"primaryObjectId":%q,"objectIdToMerge":"b@x.com"}`, a), 404, "Object not found.  objectId are usually numeric."},
		{"another type's id", "/crm/v3/objects/companies", fmt.Sprintf(`{"primaryObjectId":%q,"objectIdToMerge":%q}`, a, b), 404, "Object not found"},
		{"missing field", base, fmt.Sprintf(`{"primaryObjectId":%q}`, a), 400, ""},
		{"wrong field type", base, `{"primaryObjectId":true,"objectIdToMerge":"1"}`, 400, ""},
		{"unknown type", "/crm/v3/objects/gadgets", fmt.Sprintf(`{"primaryObjectId":%q,"objectIdToMerge":%q}`, a, b), 400, "Unable to infer object type from: gadgets"},
		{"no token", base, `{}`, 401, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token := tok
			if tc.status == 401 {
				token = ""
			}
			r := h.Do("POST", tc.path+"/merge", token, tc.body)
			r.Expect(t, tc.status)
			if tc.message != "" && r.JSON(t)["message"] != tc.message {
				t.Fatalf("message %v, want %q", r.JSON(t)["message"], tc.message)
			}
			for _, id := range []string{a, b} {
				h.Do("GET", base+"/"+id, tok, "").Expect(t, 200)
			}
		})
	}
}

// TestGDPRDelete: the record is gone for good, by id or by email, archived
// ones too; its email is free; unknown records succeed.
func TestGDPRDelete(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.name, func(t *testing.T) {
			h := apitest.New(t, server.Config{})
			base := vc.prefix + "/contacts"
			a := create(t, h, base, `{"email":"a@x.com"}`)["id"].(string)
			b := create(t, h, base, `{"email":"b@x.com"}`)["id"].(string)
			b2 := create(t, h, base, `{"email":"b2@x.com"}`)["id"].(string)
			h.Do("POST", base+"/merge", tok, fmt.Sprintf(`{"primaryObjectId":%q,"objectIdToMerge":%q}`, b, b2)).Expect(t, 200)
			c := create(t, h, base, `{"email":"c@x.com"}`)["id"].(string)
			h.Do("DELETE", base+"/"+c, tok, "").Expect(t, 204)

			for _, tc := range []struct {
				name, body string
				status     int
				gone       string
			}{
				{"by id", fmt.Sprintf(`{"objectId":%q}`, a), 204, a},
				{"again", fmt.Sprintf(`{"objectId":%q}`, a), 204, a},
				{"by additional email", `{"objectId":"B2@x.com","idProperty":"email"}`, 204, b},
				{"archived, by number", `{"objectId":` + c + `}`, 204, c},
				{"unknown id", `{"objectId":"999999999"}`, 204, ""},
				{"unknown email", `{"objectId":"nobody@x.com","idProperty":"email"}`, 204, ""},
				{"by hs_object_id", `{"objectId":"999999999","idProperty":"hs_object_id"}`, 204, ""},
				{"non-numeric id", `{"objectId":"a@x.com"}`, 404, ""},
				{"missing objectId", `{"idProperty":"email"}`, 400, ""},
			} {
				t.Run(tc.name, func(t *testing.T) {
					h.Do("POST", base+"/gdpr-delete", tok, tc.body).Expect(t, tc.status)
					if tc.gone != "" {
						h.Do("GET", base+"/"+tc.gone, tok, "").Expect(t, 404)
						h.Do("GET", base+"/"+tc.gone+"?archived=true", tok, "").Expect(t, 404)
					}
				})
			}
			if n := len(h.Do("GET", base, tok, "").Results(t)) + len(h.Do("GET", base+"?archived=true", tok, "").Results(t)); n != 0 {
				t.Fatalf("%d contacts left", n)
			}
			// Deleted emails are free again.
			for _, email := range []string{"A@x.com", "b@x.com", "b2@x.com", "c@x.com"} {
				create(t, h, base, `{"email":"`+email+`"}`)
			}
		})
	}
}

// TestGDPRDeleteOtherTypes: HubSpot's 2025-09 documents list it for
// companies and tickets too; every spelling of a type is served.
func TestGDPRDeleteOtherTypes(t *testing.T) {
	h := apitest.New(t, server.Config{})
	for _, typ := range []string{"companies", "0-5", "contact"} {
		t.Run(typ, func(t *testing.T) {
			base := "/crm/objects/2025-09/" + typ
			id := create(t, h, base, `{}`)["id"].(string)
			h.Do("POST", base+"/gdpr-delete", tok, `{"objectId":"`+id+`"}`).Expect(t, 204)
			h.Do("GET", base+"/"+id, tok, "").Expect(t, 404)
		})
	}
	h.Do("POST", "/crm/v3/objects/gadgets/gdpr-delete", tok, `{"objectId":"1"}`).Expect(t, 400)
}

// TestMergeAndDeleteUnderSearchLag: a merge is a write like any other, so a
// lagged search sees the primary's new values only after the lag; the
// merged-away and deleted records are gone at once, as nothing of them is
// kept to show.
func TestMergeAndDeleteUnderSearchLag(t *testing.T) {
	const lag = 5 * time.Second
	h := apitest.New(t, server.Config{SearchLag: lag})
	a := create(t, h, lagPrefix, `{"email":"a@example.com"}`)["id"].(string)
	b := create(t, h, lagPrefix, `{"email":"b@example.com","firstname":"Bea"}`)["id"].(string)
	c := create(t, h, lagPrefix, `{"email":"c@example.com","firstname":"Cy"}`)["id"].(string)
	h.Clock.Advance(lag)
	wantFound(t, h, "before", "", "", "Bea", "Cy")

	h.Do("POST", lagPrefix+"/merge", tok, fmt.Sprintf(`{"primaryObjectId":%q,"objectIdToMerge":%q}`, a, b)).Expect(t, 200)
	h.Do("POST", lagPrefix+"/gdpr-delete", tok, fmt.Sprintf(`{"objectId":%q}`, c)).Expect(t, 204)
	wantFound(t, h, "within the lag", "", "")
	h.Clock.Advance(lag)
	wantFound(t, h, "after the lag", "", "Bea")
}
