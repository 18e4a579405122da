package persist

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestSaveLoadRemove(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "nested", "data"))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Save(22, []byte(`{"v":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := d.Save(11, []byte(`{"v":2}`)); err != nil {
		t.Fatal(err)
	}
	if err := d.Save(22, []byte(`{"v":3}`)); err != nil {
		t.Fatal(err)
	}
	files, err := d.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Portal != 11 || string(files[1].Data) != `{"v":3}` {
		t.Fatalf("Load = %+v", files)
	}
	if err := d.Remove(22); err != nil {
		t.Fatal(err)
	}
	if err := d.Remove(22); err != nil {
		t.Fatalf("removing a missing portal: %v", err)
	}
	entries, _ := os.ReadDir(d.Path())
	if len(entries) != 1 || entries[0].Name() != "portal-11.json" {
		t.Fatalf("directory holds %v, want only portal-11.json (no temporary files)", entries)
	}
}

func TestLoadDropsLeftoverTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".portal-5-123.tmp"), []byte(`{"half`), 0o644)
	os.WriteFile(filepath.Join(dir, "README"), []byte("not ours"), 0o644)
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := d.Load()
	if err != nil || len(files) != 0 {
		t.Fatalf("Load = %+v, %v", files, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".portal-5-123.tmp")); !os.IsNotExist(err) {
		t.Fatal("leftover temporary file is still there")
	}
	if _, err := os.Stat(filepath.Join(dir, "README")); err != nil {
		t.Fatal("a file that is not ours was touched")
	}
}

func TestLoadRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "portal-abc.json"), []byte(`{}`), 0o644)
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Load(); err == nil || !strings.Contains(err.Error(), "portal-abc.json") {
		t.Fatalf("Load = %v, want an error naming the file", err)
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
	// The lock file is not a portal file.
	files, err := (&Dir{path: dir}).Load()
	if err != nil || len(files) != 0 {
		t.Fatalf("Load = %v, %v", files, err)
	}
}
