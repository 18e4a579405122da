package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCustomObjectAssociationsThroughTheBinary declares a custom object
// type in a --fixtures file, with the pairs it is associated with and a
// limit on one of them, associates its records with contacts through the
// real binary until the limit refuses one, and finds the associations and
// the type ids again after a restart on the same data directory.
func TestCustomObjectAssociationsThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	bin := binary(t)
	dir := t.TempDir()
	// Portal 78804118 is the one the lenient authentication gives "demo".
	fixtures := filepath.Join(dir, "fixtures.json")
	doc := `{"portals":[{"portalId":78804118,
 "objectTypes":[{"id":"2-7","name":"car","labels":{"singular":"Car","plural":"Cars"},"primaryDisplayProperty":"model",
                 "properties":[{"name":"model","label":"Model","type":"string","fieldType":"text"}],
                 "associatedObjects":["contacts","companies"]}],
 "limits":[{"fromObjectType":"contacts","toObjectType":"2-7","typeId":102,"maxToObjectIds":2}]}]}`
	if err := os.WriteFile(fixtures, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(dir, "data")
	p := start(t, bin, t.TempDir(), "--fixtures", fixtures, "--data-dir", dataDir)
	const tok = "demo"
	decode := func(body string) map[string]any {
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		return m
	}
	id := func(status int, body string) string {
		t.Helper()
		if status != 201 {
			t.Fatalf("create: %d %s", status, body)
		}
		return decode(body)["id"].(string)
	}

	// The pair's default types: car->contact 101 and contact->car 102.
	status, body := p.do(t, "GET", "/crm/v4/associations/contacts/2-7/labels", tok, "")
	if status != 200 || body != `{"results":[{"category":"USER_DEFINED","typeId":102,"fromObjectTypeId":"0-1","toObjectTypeId":"2-7"}]}` {
		t.Fatalf("labels: %d %s", status, body)
	}

	contact := id(p.do(t, "POST", "/crm/v3/objects/contacts", tok, `{"properties":{"email":"driver@example.com"}}`))
	var cars []string
	for _, model := range []string{"T", "A", "B"} {
		cars = append(cars, id(p.do(t, "POST", "/crm/v3/objects/p78804118_car", tok, `{"properties":{"model":"`+model+`"}}`)))
	}
	for _, car := range cars[:2] {
		if status, body := p.do(t, "PUT", "/crm/v4/objects/2-7/"+car+"/associations/default/contacts/"+contact, tok, ""); status != 200 {
			t.Fatalf("associate: %d %s", status, body)
		}
	}
	// The contact has its two cars: a third is refused, by every path.
	status, body = p.do(t, "PUT", "/crm/objects/2026-03/2-7/"+cars[2]+"/associations/default/contacts/"+contact, tok, "")
	if status != 400 || !strings.Contains(body, `"ASSOCIATION_LIMIT_EXCEEDED":["CONTACT=`+contact+` may have at most 2 2-7 associations of type USER_DEFINED=102"]`) {
		t.Fatalf("third car: %d %s", status, body)
	}
	status, body = p.do(t, "POST", "/crm/v3/objects/2-7", tok,
		`{"properties":{"model":"C"},"associations":[{"to":{"id":"`+contact+`"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":101}]}]}`)
	if status != 400 || !strings.Contains(body, "ASSOCIATION_LIMIT_EXCEEDED") {
		t.Fatalf("a car created with the contact: %d %s", status, body)
	}
	status, body = p.do(t, "POST", "/crm/v3/associations/2-7/contacts/batch/create", tok,
		`{"inputs":[{"from":{"id":"`+cars[2]+`"},"to":{"id":"`+contact+`"},"type":"car_to_contact"}]}`)
	if status != 207 || !strings.Contains(body, "ASSOCIATION_LIMIT_EXCEEDED") {
		t.Fatalf("v3 batch create: %d %s", status, body)
	}
	if status, body := p.do(t, "GET", "/crm/v3/objects/2-7?limit=10", tok, ""); status != 200 || len(decode(body)["results"].([]any)) != 3 {
		t.Fatalf("cars: %d %s", status, body)
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGTERM:\n%s", code, p.log())
	}
	p = start(t, bin, t.TempDir(), "--fixtures", fixtures, "--data-dir", dataDir)
	status, body = p.do(t, "GET", "/crm/v3/objects/contacts/"+contact+"?associations=2-7", tok, "")
	want := `"associations":{"p78804118_car":{"results":[{"id":"` + cars[0] + `","type":"contact_to_car"},{"id":"` + cars[1] + `","type":"contact_to_car"}]}}`
	if status != 200 || !strings.Contains(body, want) {
		t.Fatalf("after restart: %d %s", status, body)
	}
	status, body = p.do(t, "GET", "/_mockhub/portals/78804118/state", "", "")
	if status != 200 || !strings.Contains(body, `"associatedObjects":["contact","company"],"associations":[{"toObjectType":"contact","typeId":101,"inverseTypeId":102},{"toObjectType":"company","typeId":103,"inverseTypeId":104}]`) {
		t.Fatalf("state: %d %s", status, body)
	}
	// Still at the limit.
	status, body = p.do(t, "PUT", "/crm/v4/objects/contacts/"+contact+"/associations/default/2-7/"+cars[2], tok, "")
	if status != 400 {
		t.Fatalf("third car after restart: %d %s", status, body)
	}
}
