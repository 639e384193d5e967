//go:build !race

// (The race detector makes sync.Pool drop entries at random, so the pooled decoder state is
// rebuilt now and then.)

package attrs

import (
	"runtime"
	"testing"
)

// TestDecodeAllocations: a warmed-up decode allocates nothing but, now and then, a new chunk
// for the text of strings (textChunk bytes, which hold the text of many requests).
func TestDecodeAllocations(t *testing.T) {
	const n = 2000
	for _, r := range benchRequests {
		v := NewVector(Default)
		data := []byte(r.doc)
		if err := v.UnmarshalJSON(data); err != nil {
			t.Fatal(err)
		}
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		for i := 0; i < n; i++ {
			if err := v.UnmarshalJSON(data); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&m1)
		if per := float64(m1.Mallocs-m0.Mallocs) / n; per > 0.1 {
			t.Errorf("%s: %.3f allocations per decode, want at most 0.1 (a text chunk every few requests)", r.name, per)
		}
	}
}
