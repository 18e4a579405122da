// Package persist keeps portal states in a data directory. They live in one
// bbolt file, DIR/mockhub.db: a bucket per portal holding a sub-bucket per
// state domain (labels, limits, ...), each mapping a key to its encoded
// value. A write commits only the keys it changed, in one bbolt transaction
// that is synced to disk before Commit returns, so a write costs the same
// whatever the size of the portal, and a crash leaves the file as the last
// committed transaction left it. The file is only read at start-up; a file
// that cannot be read is reported, never replaced.
//
// Beside the portals, a tokens bucket maps the SHA-256 of each token the
// lenient authenticator has seen to its portal id, so that a token keeps its
// portal across restarts without the file holding any token. Files written
// before it existed simply lack it.
//
// Data directories of earlier versions held one JSON document per portal
// (portal-<id>.json); Legacy lists them so the store can import them once.
package persist

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// FileName is the bbolt file in a data directory.
const FileName = "mockhub.db"

// format is the layout version stored in the file; a file with another one
// is refused rather than misread.
const format = "1"

var (
	metaBucket    = []byte("mockhub")
	formatKey     = []byte("format")
	portalsBucket = []byte("portals")
	tokensBucket  = []byte("tokens")
)

// Row is one key of a portal's state domain. A nil Value deletes the key.
type Row struct {
	Domain string
	Key    string
	Value  []byte
}

// Portal is one portal's saved rows, read back at start-up.
type Portal struct {
	ID   int64
	Rows []Row
}

// DB is an open data directory.
type DB struct {
	dir string
	h   *handle
}

// handle is one open bbolt file, shared by every DB of this process that
// opened the same directory: bbolt locks its file against a second opener
// even within one process, and an embedded server may be built twice on the
// same directory (after the first is dropped) in one process.
type handle struct {
	db   *bolt.DB
	refs int
}

var (
	handlesMu sync.Mutex
	handles   = map[string]*handle{}
)

// ErrCorrupt marks a data file that cannot be read as mockhub wrote it.
var ErrCorrupt = errors.New("corrupt")

// Open creates the directory if needed, checks that it is writable (so a
// read-only volume fails at start-up rather than on the first write) and
// opens its bbolt file, creating it when missing. A file that is not a valid
// bbolt file of this layout is refused with an error wrapping ErrCorrupt and
// left untouched.
func Open(dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	probe, err := os.CreateTemp(dir, tmpPrefix+"probe-*"+tmpSuffix)
	if err != nil {
		return nil, fmt.Errorf("data dir %s is not writable: %w", dir, err)
	}
	name := probe.Name()
	probe.Close()
	if err := os.Remove(name); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	handlesMu.Lock()
	defer handlesMu.Unlock()
	if h, ok := handles[abs]; ok {
		h.refs++
		return &DB{dir: dir, h: h}, nil
	}
	file := filepath.Join(dir, FileName)
	// As etcd runs it: the free page list is not written on every commit
	// but rebuilt when the file is opened (start-up reads it all anyway).
	db, err := bolt.Open(file, 0o644, &bolt.Options{Timeout: time.Second, NoFreelistSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("data file %s is in use by another process", file)
		}
		return nil, fmt.Errorf("data file %s is %w: %v", file, ErrCorrupt, err)
	}
	if err := initialize(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("data file %s is %w: %v", file, ErrCorrupt, err)
	}
	h := &handle{db: db, refs: 1}
	handles[abs] = h
	return &DB{dir: dir, h: h}, nil
}

// initialize stamps a new file with its layout and checks an old one's,
// without writing to a file that is not new.
func initialize(db *bolt.DB) error {
	var fresh bool
	err := db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(metaBucket)
		switch {
		case meta == nil && tx.Bucket(portalsBucket) == nil:
			fresh = true
		case meta == nil:
			return errors.New("it has portals but no layout version")
		case string(meta.Get(formatKey)) != format:
			return fmt.Errorf("layout version %q is not %q", meta.Get(formatKey), format)
		case tx.Bucket(portalsBucket) == nil:
			return errors.New("it has no portals bucket")
		}
		return nil
	})
	if err != nil || !fresh {
		return err
	}
	return db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(metaBucket)
		if err != nil {
			return err
		}
		if err := meta.Put(formatKey, []byte(format)); err != nil {
			return err
		}
		_, err = tx.CreateBucket(portalsBucket)
		return err
	})
}

// Close releases the directory's file once every DB that opened it is
// closed.
func (d *DB) Close() error {
	handlesMu.Lock()
	defer handlesMu.Unlock()
	if d.h == nil {
		return nil
	}
	h := d.h
	d.h = nil
	if h.refs--; h.refs > 0 {
		return nil
	}
	for k, v := range handles {
		if v == h {
			delete(handles, k)
		}
	}
	return h.db.Close()
}

// Path returns the directory.
func (d *DB) Path() string { return d.dir }

// File returns the bbolt file's path.
func (d *DB) File() string { return filepath.Join(d.dir, FileName) }

func portalKey(id int64) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(id))
}

// Portals reads every saved portal, in portal order, each domain's rows in
// key order. A file whose structure is not mockhub's is an error wrapping
// ErrCorrupt.
func (d *DB) Portals() (out []Portal, err error) {
	defer func() {
		// bbolt trusts its pages; a damaged one can make it panic.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	err = d.h.db.View(func(tx *bolt.Tx) error {
		root := tx.Bucket(portalsBucket)
		return root.ForEach(func(k, v []byte) error {
			pb := root.Bucket(k)
			if len(k) != 8 || v != nil || pb == nil {
				return fmt.Errorf("%w: portal key %x is not a portal", ErrCorrupt, k)
			}
			id := int64(binary.BigEndian.Uint64(k))
			if id <= 0 {
				return fmt.Errorf("%w: portal id %d is not positive", ErrCorrupt, id)
			}
			p := Portal{ID: id}
			err := pb.ForEach(func(dk, dv []byte) error {
				db := pb.Bucket(dk)
				if dv != nil || db == nil {
					return fmt.Errorf("%w: portal %d: %q is not a domain", ErrCorrupt, id, dk)
				}
				return db.ForEach(func(rk, rv []byte) error {
					if rv == nil {
						return fmt.Errorf("%w: portal %d: %s: key %q holds a bucket", ErrCorrupt, id, dk, rk)
					}
					p.Rows = append(p.Rows, Row{Domain: string(dk), Key: string(rk), Value: bytes.Clone(rv)})
					return nil
				})
			})
			if err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	})
	return out, err
}

// Commit applies rows to portal's saved state in one transaction, synced
// before it returns. With replace, the portal's saved state is dropped first,
// so rows become its whole state.
func (d *DB) Commit(portal int64, replace bool, rows []Row) error {
	return d.h.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(portalsBucket)
		key := portalKey(portal)
		if replace && root.Bucket(key) != nil {
			if err := root.DeleteBucket(key); err != nil {
				return err
			}
		}
		pb, err := root.CreateBucketIfNotExists(key)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.Value == nil {
				if b := pb.Bucket([]byte(r.Domain)); b != nil {
					if err := b.Delete([]byte(r.Key)); err != nil {
						return err
					}
				}
				continue
			}
			b, err := pb.CreateBucketIfNotExists([]byte(r.Domain))
			if err != nil {
				return err
			}
			if err := b.Put([]byte(r.Key), r.Value); err != nil {
				return err
			}
		}
		return nil
	})
}

// Remove deletes portal's saved state, durably. A portal that was never
// saved is not an error.
func (d *DB) Remove(portal int64) error {
	return d.h.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(portalsBucket)
		if root.Bucket(portalKey(portal)) == nil {
			return nil
		}
		return root.DeleteBucket(portalKey(portal))
	})
}

// Tokens reads every saved token assignment: SHA-256 of the token -> portal
// id. An entry that is not one, or two tokens with one portal, is an error
// wrapping ErrCorrupt.
func (d *DB) Tokens() (out map[[sha256.Size]byte]int64, err error) {
	defer func() {
		// bbolt trusts its pages; a damaged one can make it panic.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	out = map[[sha256.Size]byte]int64{}
	err = d.h.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(tokensBucket)
		if b == nil {
			return nil // written before tokens were saved
		}
		owner := map[int64][]byte{}
		return b.ForEach(func(k, v []byte) error {
			if len(k) != sha256.Size || len(v) != 8 {
				return fmt.Errorf("%w: token entry %x is not a token's portal", ErrCorrupt, k)
			}
			id := int64(binary.BigEndian.Uint64(v))
			if id <= 0 {
				return fmt.Errorf("%w: token %x: portal id %d is not positive", ErrCorrupt, k[:4], id)
			}
			if other, dup := owner[id]; dup {
				return fmt.Errorf("%w: portal %d is assigned to tokens %x and %x", ErrCorrupt, id, other[:4], k[:4])
			}
			owner[id] = k
			out[[sha256.Size]byte(k)] = id
			return nil
		})
	})
	if err != nil {
		out = nil
	}
	return out, err
}

// SaveToken records that the token whose SHA-256 is sum has portal, in one
// transaction synced before it returns.
func (d *DB) SaveToken(sum [sha256.Size]byte, portal int64) error {
	return d.h.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(tokensBucket)
		if err != nil {
			return err
		}
		return b.Put(sum[:], portalKey(portal))
	})
}
