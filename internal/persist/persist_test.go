package persist

import (
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func open(t *testing.T, dir string) *DB {
	t.Helper()
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestCommitPortalsRemove(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	d := open(t, dir)
	steps := []struct {
		portal  int64
		replace bool
		rows    []Row
	}{
		{22, false, []Row{{"limits", "a", []byte("1")}, {"labels", "x", []byte("2")}}},
		{11, false, []Row{{"limits", "b", []byte("3")}}},
		{22, false, []Row{{"limits", "a", []byte("4")}, {"labels", "x", nil}, {"labels", "never", nil}}},
		{11, true, []Row{{"labels", "y", []byte("5")}}},
	}
	for _, s := range steps {
		if err := d.Commit(s.portal, s.replace, s.rows); err != nil {
			t.Fatal(err)
		}
	}
	want := []Portal{
		{ID: 11, Rows: []Row{{"labels", "y", []byte("5")}}},
		{ID: 22, Rows: []Row{{"limits", "a", []byte("4")}}},
	}
	if got, err := d.Portals(); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Portals = %+v, %v; want %+v", got, err, want)
	}
	if err := d.Remove(22); err != nil {
		t.Fatal(err)
	}
	if err := d.Remove(22); err != nil {
		t.Fatalf("removing a missing portal: %v", err)
	}
	// A second DB of the same directory in this process shares the file.
	d2 := open(t, dir)
	if got, err := d2.Portals(); err != nil || !reflect.DeepEqual(got, want[:1]) {
		t.Fatalf("after Remove: Portals = %+v, %v", got, err)
	}
	d.Close()
	d2.Close()
	// Reopened from disk.
	if got, err := open(t, dir).Portals(); err != nil || !reflect.DeepEqual(got, want[:1]) {
		t.Fatalf("reopened: Portals = %+v, %v", got, err)
	}
}

func TestOpenRefusesCorruptFileAndKeepsIt(t *testing.T) {
	for _, tt := range []struct{ name, content string }{
		{"not bbolt", strings.Repeat("not a database ", 1000)},
		{"truncated", "\x00\x00\x00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, FileName)
			os.WriteFile(file, []byte(tt.content), 0o644)
			if _, err := Open(dir); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), file) {
				t.Fatalf("Open = %v, want ErrCorrupt naming the file", err)
			}
			if got, _ := os.ReadFile(file); string(got) != tt.content {
				t.Fatal("the corrupt file was changed")
			}
		})
	}
}

func TestLegacyFilesAreListedAndSetAside(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".portal-5-123.tmp"), []byte(`{"half`), 0o644)
	os.WriteFile(filepath.Join(dir, "README"), []byte("not ours"), 0o644)
	os.WriteFile(filepath.Join(dir, "portal-7.json"), []byte(`{"portalId":7}`), 0o644)
	os.WriteFile(filepath.Join(dir, "portal-3.json.imported"), []byte(`{}`), 0o644)
	d := open(t, dir)
	files, err := d.Legacy()
	if err != nil || len(files) != 1 || files[0].Portal != 7 || string(files[0].Data) != `{"portalId":7}` {
		t.Fatalf("Legacy = %+v, %v", files, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".portal-5-123.tmp")); !os.IsNotExist(err) {
		t.Fatal("leftover temporary file is still there")
	}
	if _, err := os.Stat(filepath.Join(dir, "README")); err != nil {
		t.Fatal("a file that is not ours was touched")
	}
	if err := d.SetAside(files[0]); err != nil {
		t.Fatal(err)
	}
	if files, err := d.Legacy(); err != nil || len(files) != 0 {
		t.Fatalf("after SetAside: Legacy = %+v, %v", files, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "portal-7.json"+ImportedSuffix)); err != nil {
		t.Fatalf("the imported file is not kept: %v", err)
	}
}

func TestLegacyRefusesBadNames(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "portal-abc.json"), []byte(`{}`), 0o644)
	if _, err := open(t, dir).Legacy(); err == nil || !strings.Contains(err.Error(), "portal-abc.json") {
		t.Fatalf("Legacy = %v, want an error naming the file", err)
	}
}

func TestOpenRefusesUnwritableDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write anywhere")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o555)
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "not writable") {
		t.Fatalf("Open = %v, want not writable", err)
	}
}

func TestLockKeepsOtherHoldersOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	unlock, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Lock(dir)
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "process "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second Lock = %v, want ErrInUse naming this process", err)
	}
	unlock()
	unlock2, err := Lock(dir)
	if err != nil {
		t.Fatalf("Lock after unlock = %v", err)
	}
	unlock2()
	// The lock file is neither the database nor a legacy portal file.
	d := open(t, dir)
	if files, err := d.Legacy(); err != nil || len(files) != 0 {
		t.Fatalf("Legacy = %v, %v", files, err)
	}
	if portals, err := d.Portals(); err != nil || len(portals) != 0 {
		t.Fatalf("Portals = %v, %v", portals, err)
	}
}

func TestTokensSaveAndRestore(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir)
	if got, err := d.Tokens(); err != nil || len(got) != 0 {
		t.Fatalf("new file: Tokens = %v, %v", got, err)
	}
	a, b := sha256.Sum256([]byte("a")), sha256.Sum256([]byte("b"))
	for _, s := range []struct {
		sum [sha256.Size]byte
		id  int64
	}{{a, 11111111}, {b, 22222222}} {
		if err := d.SaveToken(s.sum, s.id); err != nil {
			t.Fatal(err)
		}
	}
	d.Close()
	want := map[[sha256.Size]byte]int64{a: 11111111, b: 22222222}
	if got, err := open(t, dir).Tokens(); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("reopened: Tokens = %v, %v; want %v", got, err, want)
	}
}

func TestTokensBucketIsOptional(t *testing.T) {
	// The tokens bucket is made by the first SaveToken, so this file has
	// portals and no tokens bucket, as files written before tokens were
	// saved: it opens, with no assignments.
	dir := t.TempDir()
	d := open(t, dir)
	if err := d.Commit(5, false, []Row{{"limits", "a", []byte("1")}}); err != nil {
		t.Fatal(err)
	}
	d.h.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(tokensBucket) != nil {
			t.Fatal("the tokens bucket exists before any token is saved")
		}
		return nil
	})
	d.Close()
	d = open(t, dir)
	if got, err := d.Tokens(); err != nil || len(got) != 0 {
		t.Fatalf("Tokens = %v, %v", got, err)
	}
	if err := d.SaveToken(sha256.Sum256([]byte("a")), 7); err != nil {
		t.Fatalf("first SaveToken on an old file: %v", err)
	}
}

func TestCorruptTokensAreRefused(t *testing.T) {
	sum := sha256.Sum256([]byte("a"))
	other := sha256.Sum256([]byte("b"))
	id := func(n int64) []byte { return portalKey(n) }
	tests := []struct {
		name string
		put  func(b *bolt.Bucket) error
	}{
		{"short key", func(b *bolt.Bucket) error { return b.Put([]byte("abc"), id(5)) }},
		{"short value", func(b *bolt.Bucket) error { return b.Put(sum[:], []byte{1, 2}) }},
		{"zero id", func(b *bolt.Bucket) error { return b.Put(sum[:], id(0)) }},
		{"negative id", func(b *bolt.Bucket) error { return b.Put(sum[:], id(-3)) }},
		{"nested bucket", func(b *bolt.Bucket) error { _, err := b.CreateBucket(sum[:]); return err }},
		{"shared portal", func(b *bolt.Bucket) error {
			if err := b.Put(sum[:], id(9)); err != nil {
				return err
			}
			return b.Put(other[:], id(9))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := open(t, t.TempDir())
			err := d.h.db.Update(func(tx *bolt.Tx) error {
				b, err := tx.CreateBucketIfNotExists(tokensBucket)
				if err != nil {
					return err
				}
				return tt.put(b)
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, err := d.Tokens(); !errors.Is(err, ErrCorrupt) || got != nil {
				t.Fatalf("Tokens = %v, %v; want ErrCorrupt", got, err)
			}
		})
	}
}
