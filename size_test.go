package abacc_test

import (
	"github.com/abacc/abacc/internal/hooks"
	"os"
	"runtime"
	"testing"

	"github.com/abacc/abacc"
)

// TestSizeEstimateMatchesHeap: SizeEstimate is honest. Keeping n programs alive grows the heap
// by about n × SizeEstimate (within 25%, and 35% over for a program with warnings: their
// messages are often constant strings in the binary, which the walk cannot tell from heap
// strings and counts), and the estimate counts far more than the text and the encoded
// bytecode alone (the decoded program, with its operation tables and derived instructions, and
// any pending diagnostics are most of it; the syntax tree is parsed again only when asked for).
func TestSizeEstimateMatchesHeap(t *testing.T) {
	for _, f := range []string{"examples/tag-read.cond", "examples/messy.cond", "examples/footguns.cond"} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := abacc.Compile(string(src))
		if err != nil {
			t.Fatal(err)
		}
		est := p.SizeEstimate()
		if min := len(src) + hooks.Bytecode(p).Size(); est < 2*min {
			t.Errorf("%s: estimate %d, not much above text + encoded bytecode (%d)", f, est, min)
		}
		const n = 1000
		keep := make([]*abacc.Program, n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range keep {
			// A fresh copy of the text, as a service receives it.
			keep[i], _ = abacc.Compile(string([]byte(string(src))))
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		measured := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
		runtime.KeepAlive(keep)
		limit := 1.25
		if len(p.Warnings()) > 0 {
			limit = 1.35
		}
		if r := float64(est) / measured; r < 0.75 || r > limit {
			t.Errorf("%s: SizeEstimate %d, measured %.0f bytes per program kept alive (ratio %.2f)", f, est, measured, r)
		}
		t.Logf("%s: text %d, bytecode %d, estimate %d, measured %.0f", f, len(src), hooks.Bytecode(p).Size(), est, measured)
	}
	var nilProg *abacc.Program
	if nilProg.SizeEstimate() != 0 {
		t.Error("nil program has a size")
	}
}
