package persist

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// lockName is the file in a data directory that a process holds locked while
// it uses the directory.
const lockName = ".lock"

// ErrInUse says another process holds a data directory.
var ErrInUse = errors.New("data dir is in use by another mockhub")

// Lock makes path (created if needed) this process's data directory until
// unlock is called or the process ends, however it ends: two servers
// writing one directory would each overwrite the other's portals with their
// own view of them. It fails with ErrInUse while another process holds it.
// On systems without advisory file locks it does not lock.
func Lock(path string) (unlock func(), err error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	name := filepath.Join(path, lockName)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("data dir %s: %w", path, err)
	}
	if err := lockFile(f); err != nil {
		holder, _ := os.ReadFile(name)
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return nil, fmt.Errorf("%w: %s is held by process %s; give each mockhub its own --data-dir", ErrInUse, path, strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("data dir %s: lock: %w", path, err)
	}
	// The holder's pid, for the message above; the lock is what counts.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() { f.Close() }, nil
}
