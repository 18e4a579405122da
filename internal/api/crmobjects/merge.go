package crmobjects

import (
	"net/http"
	"strings"

	"github.com/mockhub/mockhub/internal/crm/schema"
	"github.com/mockhub/mockhub/internal/endpoint"
	"github.com/mockhub/mockhub/internal/store"
)

// Properties a merge maintains on the surviving record (HubSpot's "Merged
// record IDs" and contacts' secondary emails).
const (
	propMergedIDs        = "hs_merged_object_ids"
	propEmail            = "email"
	propAdditionalEmails = "hs_additional_emails"
)

// mergeInput is the body of objects-merge. Ids may come as numbers, as
// batch ids do.
type mergeInput struct {
	PrimaryObjectID any `json:"primaryObjectId"`
	ObjectIDToMerge any `json:"objectIdToMerge"`
}

// gdprInput is the body of objects-gdpr-delete.
type gdprInput struct {
	ObjectID   any    `json:"objectId"`
	IDProperty string `json:"idProperty"`
}

// merge merges objectIdToMerge into primaryObjectId. The primary keeps its
// id and its values; the merged record's values fill the properties the
// primary has none for (HubSpot's API documents say the primary "generally"
// sets the current values). The merged record is gone afterwards: reads of
// its id answer 404; its associations move to the primary. See mergedValues
// for the properties with rules of their own.
func (o objects) merge(c *endpoint.Call, in *mergeInput) (endpoint.Reply, error) {
	t, err := o.objectType(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	primaryRaw, mergedRaw := idText(in.PrimaryObjectID), idText(in.ObjectIDToMerge)
	var rec store.Record
	var written map[string]string
	err = c.Portal().Update(func(tx *store.Tx) error {
		primary, err := o.mergeSide(tx, t, primaryRaw)
		if err != nil {
			return err
		}
		merged, err := o.mergeSide(tx, t, mergedRaw)
		if err != nil {
			return err
		}
		written = mergedValues(t, primary, merged)
		rec, err = tx.MergeRecords(t.Key(), primary.ID, merged.ID, written, o.clock.Now())
		return err
	})
	if err != nil {
		return endpoint.Reply{}, conflictOnly(err)
	}
	return endpoint.Reply{Status: http.StatusOK, Body: render(t, rec, selectUpdate(t, written), nil)}, nil
}

// mergeSide returns the live record a merge body names, or the 404 a read
// of that id answers.
func (o objects) mergeSide(tx *store.Tx, t *schema.ObjectType, raw string) (store.Record, error) {
	id, err := recordID(&tx.View, t, raw, "")
	if err != nil {
		return store.Record{}, err
	}
	rec, ok := tx.Record(t.Key(), id)
	if !ok || rec.Archived {
		return store.Record{}, notFound(raw, false)
	}
	return rec, nil
}

// mergedValues returns what a merge writes to the primary record:
//   - every property the merged record has a value for and the primary has
//     none for;
//   - email: the primary's stays; the merged record's becomes one of the
//     primary's additional emails (HubSpot's knowledge base), or the
//     primary's email when it has none;
//   - hs_additional_emails: both records' lists, each address once;
//   - hs_merged_object_ids: the primary's list, the merged record's id and
//     the ids merged into it before.
//
// Properties the type does not have are left alone, so a type without
// emails or merged ids merges by the first rule only.
func mergedValues(t *schema.ObjectType, primary, merged store.Record) map[string]string {
	out := map[string]string{}
	own := func(name string) bool {
		switch name {
		case propEmail, propAdditionalEmails, propMergedIDs:
			_, ok := t.Property(name)
			return ok
		}
		return false
	}
	for name, v := range merged.Properties {
		if own(name) {
			continue
		}
		if _, ok := primary.Properties[name]; !ok {
			out[name] = v
		}
	}
	if _, ok := t.Property(propEmail); ok {
		var extra []string
		pe, me := primary.Properties[propEmail], merged.Properties[propEmail]
		switch {
		case pe == "" && me != "":
			out[propEmail] = me
		case me != "" && !strings.EqualFold(strings.TrimSpace(pe), strings.TrimSpace(me)):
			extra = append(extra, me)
		}
		if _, ok := t.Property(propAdditionalEmails); ok {
			final := out[propEmail]
			if final == "" {
				final = pe
			}
			list := joinDistinct(true, final, primary.Properties[propAdditionalEmails], merged.Properties[propAdditionalEmails], strings.Join(extra, ";"))
			if list != primary.Properties[propAdditionalEmails] {
				out[propAdditionalEmails] = list
			}
		}
	}
	if _, ok := t.Property(propMergedIDs); ok {
		out[propMergedIDs] = joinDistinct(false, "", primary.Properties[propMergedIDs], merged.ID, merged.Properties[propMergedIDs])
	}
	return out
}

// joinDistinct joins the ";"-separated values of lists, each once
// (case-insensitively when fold) and none equal to except.
func joinDistinct(fold bool, except string, lists ...string) string {
	key := func(s string) string {
		s = strings.TrimSpace(s)
		if fold {
			s = strings.ToLower(s)
		}
		return s
	}
	seen := map[string]bool{}
	if except != "" {
		seen[key(except)] = true
	}
	var out []string
	for _, l := range lists {
		for v := range strings.SplitSeq(l, ";") {
			k := key(v)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, strings.TrimSpace(v))
		}
	}
	return strings.Join(out, ";")
}

// gdprDelete deletes a record for good (HubSpot's GDPR delete): it is gone
// from every read, archived ones included, with its associations, and its
// email is free for a new contact. HubSpot documents that an email it does not find is put on a
// blocklist; mockhub keeps no blocklist, and answers 204 for a record it
// does not find, by email or by id, as archiving does: a retried delete
// must not fail.
func (o objects) gdprDelete(c *endpoint.Call, in *gdprInput) (endpoint.Reply, error) {
	t, err := o.objectType(c)
	if err != nil {
		return endpoint.Reply{}, err
	}
	raw := idText(in.ObjectID)
	idProperty := in.IDProperty
	byID := idProperty == "" || idProperty == "hs_object_id"
	if byID && !isDigits(raw) {
		return endpoint.Reply{}, notFound(raw, idProperty == "")
	}
	err = c.Portal().Update(func(tx *store.Tx) error {
		id := raw
		if !byID {
			var ok bool
			if id, ok = tx.FindUnique(t.Key(), idProperty, raw); !ok {
				return nil
			}
		}
		_, err := tx.DeleteRecord(t.Key(), id)
		return err
	})
	if err != nil {
		return endpoint.Reply{}, err
	}
	return endpoint.NoContent, nil
}
