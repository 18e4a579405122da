package search_test

import (
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/mockhub/mockhub/internal/search"
)

type contact struct {
	id    string
	props map[string]string
}

func (c contact) ID() string { return c.id }
func (c contact) Value(p string) (string, bool) {
	v, ok := c.props[p]
	return v, ok
}
func (c contact) CreatedAt() time.Time { return time.Unix(0, 0) }

type contactSchema struct{}

func (contactSchema) Kind(p string) (search.Kind, bool) {
	if p == "num_deals" {
		return search.Number, true
	}
	return search.String, p == "email" || p == "firstname"
}
func (contactSchema) Searchable() []string { return []string{"email", "firstname"} }

func Example() {
	contacts := []search.Record{
		contact{"1", map[string]string{"email": "ann@hubspot.com", "num_deals": "12"}},
		contact{"2", map[string]string{"email": "bob@example.com", "num_deals": "3"}},
		contact{"3", map[string]string{"email": "cy@hubspot.com", "num_deals": "9"}},
	}
	all := iter.Seq[search.Record](func(yield func(search.Record) bool) {
		for _, c := range contacts {
			if !yield(c) {
				return
			}
		}
	})
	body := `{"filterGroups":[{"filters":[
		{"propertyName":"email","operator":"CONTAINS_TOKEN","value":"*@hubspot.com"},
		{"propertyName":"num_deals","operator":"GT","value":5}]}],
		"sorts":["-num_deals"],"limit":1}`
	var req search.Request
	if err := json.Unmarshal([]byte(body), &req); err != nil {
		panic(err)
	}
	res, err := search.Search(&req, contactSchema{}, all, search.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Total, res.Results[0].ID(), res.After)

	req.After = "10000"
	_, err = search.Search(&req, contactSchema{}, all, search.Options{})
	fmt.Println(err)
	// Output:
	// 2 1 1
	// search: Search results are limited to 10000; cannot page beyond result 10000
}
