package bench

import (
	"runtime"
	"testing"

	"github.com/abacc/abacc"
)

// BenchmarkCompile times abacc.Compile of every workload condition (corpus/*.json, the
// conditions of the peer comparison) and of the OR shape of the large condition
// (large/or-of-clauses, one OR of 8 clauses; its AND shape is the corpus's 25-large-8-blocks).
// One op is one compilation. Besides ns/op it reports cpu-ns/op, the CPU time of the
// benchmark's own thread (the goroutine is locked to it), which does not count the time spent
// descheduled on a loaded machine.
func BenchmarkCompile(b *testing.B) {
	for _, w := range loadWorkloads(b) {
		b.Run(w.ID, compileBenchmark(w.Condition))
	}
	b.Run("large/or-of-clauses", compileBenchmark(string(readFile(b, largeOrFile))))
}

func compileBenchmark(src string) func(*testing.B) {
	return func(b *testing.B) {
		if _, err := abacc.Compile(src); err != nil {
			b.Fatal(err)
		}
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		b.ReportAllocs()
		c0 := scaleClock()
		for b.Loop() {
			if _, err := abacc.Compile(src); err != nil {
				b.Fatal(err)
			}
		}
		if b.N > 0 {
			b.ReportMetric(float64(scaleClock()-c0)/float64(b.N), "cpu-ns/op")
		}
	}
}
