package persist

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Earlier versions kept each portal as one JSON document, written to a
// temporary file and renamed over DIR/portal-<id>.json.
const (
	prefix    = "portal-"
	suffix    = ".json"
	tmpPrefix = ".portal-"
	tmpSuffix = ".tmp"
	// ImportedSuffix is appended to a legacy file's name once its portal is
	// in the bbolt file, so it is kept for reference and not imported again.
	ImportedSuffix = ".imported"
)

// File is one legacy portal document.
type File struct {
	Portal int64
	Path   string
	Data   []byte
}

// Legacy reads every portal-<id>.json file, in portal order. Temporary
// files left by a crash mid-write of an earlier version are removed: their
// rename never happened, so they hold nothing that was acknowledged. Any
// other file that cannot be read is an error.
func (d *DB) Legacy() ([]File, error) {
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	var out []File
	for _, e := range entries {
		name := e.Name()
		full := filepath.Join(d.dir, name)
		if strings.HasPrefix(name, tmpPrefix) && strings.HasSuffix(name, tmpSuffix) {
			if err := os.Remove(full); err != nil {
				return nil, fmt.Errorf("data dir: remove leftover %s: %w", full, err)
			}
			continue
		}
		idText, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		idText, ok = strings.CutSuffix(idText, suffix)
		if !ok {
			continue
		}
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("data file %s: name does not carry a portal id", full)
		}
		data, err := os.ReadFile(full)
		if err != nil {
			return nil, fmt.Errorf("data file %s is unreadable: %w", full, err)
		}
		out = append(out, File{Portal: id, Path: full, Data: data})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Portal < out[j].Portal })
	return out, nil
}

// SetAside renames an imported legacy file to its name plus ImportedSuffix
// and syncs the directory. Called only after its portal was committed: a
// crash in between imports the same document again at the next start.
func (d *DB) SetAside(f File) error {
	if err := os.Rename(f.Path, f.Path+ImportedSuffix); err != nil {
		return err
	}
	dir, err := os.Open(d.dir)
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}
