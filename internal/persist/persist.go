// Package persist keeps portal states in a data directory, one JSON file per
// portal (portal-<id>.json). Every write is atomic and durable before it
// returns: the document goes to a temporary file in the same directory, which
// is synced, renamed over the old file, and the directory is synced, so a
// crash at any moment leaves either the old or the new file, never half of
// one. Files are only ever read at start-up; a file that cannot be read is
// reported, never replaced.
package persist

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const (
	prefix    = "portal-"
	suffix    = ".json"
	tmpPrefix = ".portal-"
	tmpSuffix = ".tmp"
)

// Dir is a data directory.
type Dir struct {
	path string
}

// File is one saved portal document read back at start-up.
type File struct {
	Portal int64
	Path   string
	Data   []byte
}

// Open creates the directory if needed and checks that it is writable, so a
// read-only volume fails at start-up rather than on the first write.
func Open(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	probe, err := os.CreateTemp(path, tmpPrefix+"probe-*"+tmpSuffix)
	if err != nil {
		return nil, fmt.Errorf("data dir %s is not writable: %w", path, err)
	}
	name := probe.Name()
	probe.Close()
	if err := os.Remove(name); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return &Dir{path: path}, nil
}

// Path returns the directory.
func (d *Dir) Path() string { return d.path }

func (d *Dir) file(portal int64) string {
	return filepath.Join(d.path, prefix+strconv.FormatInt(portal, 10)+suffix)
}

// Load reads every portal file, in portal order. Temporary files left by a
// crash mid-write are removed: the rename never happened, so they hold
// nothing that was acknowledged. Any other file that cannot be read is an
// error.
func (d *Dir) Load() ([]File, error) {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	var out []File
	for _, e := range entries {
		name := e.Name()
		full := filepath.Join(d.path, name)
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

// Save writes portal's document atomically and durably.
func (d *Dir) Save(portal int64, doc []byte) (err error) {
	tmp, err := os.CreateTemp(d.path, tmpPrefix+strconv.FormatInt(portal, 10)+"-*"+tmpSuffix)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(doc); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), d.file(portal)); err != nil {
		return err
	}
	return d.syncDir()
}

// Remove deletes portal's document, durably. A portal that was never saved
// is not an error.
func (d *Dir) Remove(portal int64) error {
	if err := os.Remove(d.file(portal)); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	return d.syncDir()
}

// syncDir makes a rename or removal in the directory durable.
func (d *Dir) syncDir() error {
	f, err := os.Open(d.path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
