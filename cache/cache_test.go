package cache_test

import (
	"fmt"
	"github.com/abacc/abacc/internal/hooks"
	"sync"
	"testing"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/cache"
)

const cachedCond = `@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'reports'`

func TestCacheCompilesOnce(t *testing.T) {
	c, err := cache.New(1<<20, abacc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p1, err := c.Compile(cachedCond)
	if err != nil {
		t.Fatal(err)
	}
	c.Wait()
	p2, _ := c.Compile(cachedCond)
	if p1 != p2 {
		t.Error("second lookup compiled again")
	}
	if _, err := c.Compile("@Environment[isPrivateLink] BoolEquals 'yes'"); err == nil {
		t.Error("invalid condition compiled")
	}
	c.Wait()
	if _, err := c.Compile("@Environment[isPrivateLink] BoolEquals 'yes'"); err == nil {
		t.Error("cached error lost")
	}
	m := c.Metrics()
	if m.Hits != 2 || m.Misses != 2 {
		t.Errorf("metrics %+v, want 2 hits and 2 misses", m)
	}
	// Other options give another program.
	c2, _ := cache.New(1<<20, abacc.Options{Strict: true})
	defer c2.Close()
	if p3, _ := c2.Compile(cachedCond); p3 == p1 {
		t.Error("options ignored")
	}
	// The dialect is an option: an extended operator compiles in an extended cache only.
	ext := `@Environment[UtcNow] TimeOfDayInRange ['22:00', '06:00']`
	if _, err := c.Compile(ext); err == nil {
		t.Error("a standard cache compiled an extended operator")
	}
	c3, _ := cache.New(1<<20, abacc.Options{Dialect: abacc.DialectExtended})
	defer c3.Close()
	if p, err := c3.Compile(ext); err != nil || p.Dialect() != abacc.DialectExtended {
		t.Errorf("extended cache: %v", err)
	}
}

// TestCacheConcurrent hammers one cache from many goroutines (run under -race in make test).
func TestCacheConcurrent(t *testing.T) {
	c, err := cache.New(1<<16, abacc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			req := abacc.NewRequest()
			_ = req.UnmarshalJSON([]byte(`{"action": "a", "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers:name": "c3"}}`))
			for i := 0; i < 2000; i++ {
				name := fmt.Sprintf("c%d", (i*7+g)%50)
				p, err := c.Compile(`@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '` + name + `'`)
				if err != nil {
					t.Error(err)
					return
				}
				if got, want := p.Eval(req), name == "c3"; got != want {
					t.Errorf("%s: got %v", name, got)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	if m := c.Metrics(); m.Hits == 0 || m.Hits+m.Misses != 16000 {
		t.Errorf("metrics %+v", m)
	}
}

// BenchmarkCacheHit measures a hit: it must stay under 100 ns with 0 allocs/op.
func BenchmarkCacheHit(b *testing.B) {
	c, err := cache.New(1<<20, abacc.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	c.Compile(cachedCond)
	c.Wait()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Compile(cachedCond); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCacheHitParallel measures hits from all cores at once.
func BenchmarkCacheHitParallel(b *testing.B) {
	c, _ := cache.New(1<<20, abacc.Options{})
	defer c.Close()
	c.Compile(cachedCond)
	c.Wait()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Compile(cachedCond)
		}
	})
}

func TestCacheHitAllocs(t *testing.T) {
	c, _ := cache.New(1<<20, abacc.Options{})
	defer c.Close()
	c.Compile(cachedCond)
	c.Wait()
	if n := testing.AllocsPerRun(1000, func() { c.Compile(cachedCond) }); n != 0 {
		t.Errorf("a cache hit allocates %v times", n)
	}
}

// TestCacheCostIsWholeProgram: the cache charges what an entry keeps alive (Program.SizeEstimate),
// not its bytecode alone, so a cache sized for four programs never holds more than four, where
// charging text and bytecode alone would let it hold several times as many.
func TestCacheCostIsWholeProgram(t *testing.T) {
	cond := func(i int) string {
		return fmt.Sprintf("%s OR @Environment[isPrivateLink] BoolEquals true AND @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'x%d/*'", cachedCond, i)
	}
	p, _ := abacc.Compile(cond(0))
	if small := len(cond(0)) + hooks.Bytecode(p).Size(); p.SizeEstimate() < 3*small {
		t.Fatalf("estimate %d vs text+bytecode %d: the test needs a program whose memory is well above its encoding", p.SizeEstimate(), small)
	}
	c, err := cache.New(int64(4*p.SizeEstimate()+1024), abacc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for round := 0; round < 3; round++ {
		for i := 0; i < 40; i++ {
			c.Compile(cond(i))
		}
		c.Wait()
	}
	before := c.Metrics().Hits
	for i := 0; i < 40; i++ {
		c.Compile(cond(i))
	}
	if hits := c.Metrics().Hits - before; hits > 4 {
		t.Errorf("%d programs were resident in a cache sized for 4", hits)
	}
}
