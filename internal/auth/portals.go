package auth

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Sum identifies a token on disk: its SHA-256, so a data directory never
// holds a token.
type Sum = [sha256.Size]byte

// Saver keeps token assignments durable. SaveToken must have the assignment
// on disk when it returns: the portal id is answered right after.
type Saver interface {
	SaveToken(sum Sum, portal int64) error
}

// Portal ids are 8-digit numbers, as HubSpot hub ids look.
const (
	minPortal   = 10_000_000
	portalRange = 90_000_000
)

// maxCandidates bounds the search for a free id. With 90 million ids and one
// map entry per token, memory runs out long before a token needs this many.
const maxCandidates = 1 << 20

// maxKeyLen is the longest token kept as its own map key. A longer one is
// kept by its SHA-256 instead (hashed on every request), so that a client
// sending huge tokens cannot make each one cost its size in memory for the
// life of the server.
const maxKeyLen = 256

// Portals gives each distinct token its own portal id, for the lenient
// authenticator. A token's id is the first free one of a sequence derived
// from the token: its first candidate is the id earlier versions derived
// (so their data directories keep their portals) and a token whose first
// candidate is taken by another token moves on to the next. Ids are
// therefore deterministic for a given order of first sight and, with a
// Saver, fixed for good once assigned: an assignment is saved before the id
// is returned, and restored by NewPortals.
//
// Looking up a token already seen is a map read under a read lock; only
// the first sight of a token hashes it and takes the assignment lock (and,
// with a Saver, waits for the disk), so that a slow save never holds up the
// requests of tokens already known.
type Portals struct {
	mu    sync.RWMutex
	short map[string]int64 // tokens of up to maxKeyLen bytes
	long  map[Sum]int64    // longer tokens, by SHA-256

	// assign serializes assignments; it guards the fields below, and
	// short and long are written only while it is held.
	assign sync.Mutex
	// saved holds the restored assignments of tokens not yet seen since
	// start-up; a token's entry moves to short or long on first sight.
	saved map[Sum]int64
	used  map[int64]struct{} // every id assigned, restored or not
	saver Saver
}

// NewPortals returns an assigner that starts from saved assignments (nil:
// none) and saves new ones with saver (nil: in memory only). saved must map
// distinct tokens to distinct positive ids.
func NewPortals(saved map[Sum]int64, saver Saver) (*Portals, error) {
	p := &Portals{
		short: map[string]int64{},
		long:  map[Sum]int64{},
		saved: make(map[Sum]int64, len(saved)),
		used:  make(map[int64]struct{}, len(saved)),
		saver: saver,
	}
	for sum, id := range saved {
		if id <= 0 {
			return nil, fmt.Errorf("token %x: portal id %d is not positive", sum[:4], id)
		}
		if _, dup := p.used[id]; dup {
			return nil, fmt.Errorf("portal %d is assigned to two tokens", id)
		}
		p.used[id] = struct{}{}
		p.saved[sum] = id
	}
	return p, nil
}

// PortalOf returns token's portal id, assigning (and saving) one on the
// token's first sight. It fails only when the assignment cannot be saved;
// the token then has no id yet and its next call tries again.
func (p *Portals) PortalOf(token string) (int64, error) {
	if len(token) <= maxKeyLen {
		p.mu.RLock()
		id, ok := p.short[token]
		p.mu.RUnlock()
		if ok {
			return id, nil
		}
		return p.first(token, sha256.Sum256([]byte(token)))
	}
	sum := sha256.Sum256([]byte(token))
	p.mu.RLock()
	id, ok := p.long[sum]
	p.mu.RUnlock()
	if ok {
		return id, nil
	}
	return p.first(token, sum)
}

// first assigns token (whose SHA-256 is sum) its id: the restored one, or
// the first free candidate, saved before it is published.
func (p *Portals) first(token string, sum Sum) (int64, error) {
	p.assign.Lock()
	defer p.assign.Unlock()
	// Another request may have assigned it while this one waited; short
	// and long change only under assign, so they are read here unlocked.
	if id, ok := p.known(token, sum); ok {
		return id, nil
	}
	id, restored := p.saved[sum]
	if restored {
		delete(p.saved, sum)
	} else {
		var err error
		if id, err = p.free(token); err != nil {
			return 0, err
		}
		if p.saver != nil {
			if err := p.saver.SaveToken(sum, id); err != nil {
				return 0, fmt.Errorf("save portal of token: %w", err)
			}
		}
		p.used[id] = struct{}{}
	}
	p.mu.Lock()
	if len(token) <= maxKeyLen {
		// A copy: token may share the memory of a whole request header.
		p.short[strings.Clone(token)] = id
	} else {
		p.long[sum] = id
	}
	p.mu.Unlock()
	return id, nil
}

func (p *Portals) known(token string, sum Sum) (int64, bool) {
	if len(token) <= maxKeyLen {
		id, ok := p.short[token]
		return id, ok
	}
	id, ok := p.long[sum]
	return id, ok
}

// free returns token's first candidate id that no token holds.
func (p *Portals) free(token string) (int64, error) {
	for n := range uint32(maxCandidates) {
		id := candidate(token, n)
		if _, taken := p.used[id]; !taken {
			return id, nil
		}
	}
	return 0, errors.New("no free portal id for the token")
}

// FNV-1a, 64-bit.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// candidate is token's n-th candidate portal id. The first (n = 0) is FNV-1a
// of the token modulo the 8-digit range, as earlier versions derived every
// id; the others hash the token followed by a zero byte and n.
func candidate(token string, n uint32) int64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(token); i++ {
		h ^= uint64(token[i])
		h *= fnvPrime
	}
	if n > 0 {
		var suffix [5]byte
		binary.BigEndian.PutUint32(suffix[1:], n)
		for _, b := range suffix {
			h ^= uint64(b)
			h *= fnvPrime
		}
	}
	return minPortal + int64(h%portalRange)
}
