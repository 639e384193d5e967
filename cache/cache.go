// Package cache compiles each distinct condition text once, for services that receive
// condition strings with every role assignment. It is its own package so that its dependency
// (ristretto) stays out of the core library.
package cache

import (
	"fmt"
	"hash/maphash"
	"sync/atomic"

	"github.com/abacc/abacc"
	"github.com/dgraph-io/ristretto/v2"
)

// Cache compiles each distinct condition text once, for services that receive condition
// strings with every role assignment. It is backed by ristretto (admission by TinyLFU, cost =
// the memory an entry keeps alive: Program.SizeEstimate, that is condition text, bytecode and
// diagnostics, or the error of an invalid text) and safe for concurrent use.
// A hit hashes the text, finds the program and checks that its text is the one asked for: no
// allocation, well under 100 ns.
type Cache struct {
	c       *ristretto.Cache[uint64, *cacheEntry]
	opts    abacc.Options
	seed    maphash.Seed
	optKey  uint64
	hits    atomic.Uint64
	misses  atomic.Uint64
	evicted atomic.Uint64
}

// cacheEntry is a compiled program or the error of a text that does not compile (cached too,
// so a bad condition repeated with every request is not recompiled each time).
type cacheEntry struct {
	src  string
	prog *abacc.Program
	err  error
}

// size estimates the memory the entry keeps alive: itself, the text (shared with the program),
// the program (Program.SizeEstimate's walk) or the error's diagnostics.
func (e *cacheEntry) size() int {
	const entry = 64 // the entry, ristretto's item and the key
	if e.prog != nil {
		return entry + e.prog.SizeEstimate()
	}
	return entry + len(e.src) + abacc.ErrorSize(e.err)
}

// Metrics counts lookups.
type Metrics struct {
	Hits, Misses uint64
	// Evicted is how many programs ristretto evicted or refused to admit.
	Evicted uint64
}

// New returns a cache holding programs up to about maxBytes of memory (as estimated by
// Program.SizeEstimate, plus ristretto's own bookkeeping per entry), compiling with opts.
func New(maxBytes int64, opts abacc.Options) (*Cache, error) {
	if maxBytes <= 0 {
		return nil, fmt.Errorf("cache: size must be positive")
	}
	c := &Cache{opts: opts, seed: maphash.MakeSeed()}
	// The options are part of the key: the same text under other options is another program.
	c.optKey = maphash.String(c.seed, fmt.Sprintf("%v|%q|%v", opts.Strict, opts.Name, opts.Dialect))
	rc, err := ristretto.NewCache(&ristretto.Config[uint64, *cacheEntry]{
		// About ten counters per expected entry, as ristretto recommends; entries average a
		// few kilobytes (a typical condition's program keeps 3-8 KB alive).
		NumCounters: max(1000, maxBytes/300),
		MaxCost:     maxBytes,
		BufferItems: 64,
		// ristretto's own metrics cost a shared atomic per lookup; the cache counts for itself.
		Metrics:  false,
		OnEvict:  func(*ristretto.Item[*cacheEntry]) { c.evicted.Add(1) },
		OnReject: func(*ristretto.Item[*cacheEntry]) { c.evicted.Add(1) },
		// Keys are already hashes.
		KeyToHash: func(k uint64) (uint64, uint64) { return k, 0 },
	})
	if err != nil {
		return nil, err
	}
	c.c = rc
	return c, nil
}

// Compile returns the program for src, compiling it on the first request (and again if it was
// evicted). Errors are those of abacc.CompileWith.
func (c *Cache) Compile(src string) (*abacc.Program, error) {
	key := maphash.String(c.seed, src) ^ c.optKey
	if e, ok := c.c.Get(key); ok && e.src == src {
		c.hits.Add(1)
		return e.prog, e.err
	}
	c.misses.Add(1)
	prog, err := abacc.CompileWith(src, c.opts)
	e := &cacheEntry{src: src, prog: prog, err: err}
	c.c.Set(key, e, int64(e.size()))
	return prog, err
}

// Wait blocks until pending insertions are visible (ristretto admits them asynchronously).
func (c *Cache) Wait() { c.c.Wait() }

// Metrics returns the lookup counters.
func (c *Cache) Metrics() Metrics {
	return Metrics{Hits: c.hits.Load(), Misses: c.misses.Load(), Evicted: c.evicted.Load()}
}

// Close releases the cache's background goroutines.
func (c *Cache) Close() { c.c.Close() }
