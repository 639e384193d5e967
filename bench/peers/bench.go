package peers

import (
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
)

// EvalBenchmark compiles condition c with engine e, prepares the inputs of all its cases
// (untimed) and returns the timed loop: one op decides the next case, round-robin over the
// condition's cases, so ns/op is the mean over the condition's requests (both outcomes).
func EvalBenchmark(e Engine, c *Condition) (func(*testing.B), error) {
	p, err := e.Compile(c)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: compile: %v", e.Name, c.ID, err)
	}
	ins, err := PrepareAll(p, c)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", e.Name, err)
	}
	return p.Loop(ins), nil
}

// HasCompile reports whether compile times are meaningful for e: the hand-written Go is
// compiled with the binary, and abacc+fill compiles exactly as abacc.
func HasCompile(e Engine) bool { return e.Name != "go" && e.Name != "abacc+fill" }

// CompileBenchmark times compiling condition c with engine e: abacc.Compile; expr.Compile
// with the environment schema; CEL Compile + Program (the declarations are shared and built
// once); rego.New(...).PrepareForEval; cedar.NewPolicySetFromBytes of the policy text (cedar-go
// parses, folds constants and builds its evaluator in one call). One op is one compilation.
func CompileBenchmark(e Engine, c *Condition) func(*testing.B) {
	return func(b *testing.B) {
		runtime.LockOSThread() // see loop: cpu-ns/op is the CPU time of this thread
		defer runtime.UnlockOSThread()
		b.ReportAllocs()
		c0 := threadCPU()
		for b.Loop() {
			if _, err := e.Compile(c); err != nil {
				b.Fatal(err)
			}
		}
		if c1 := threadCPU(); c0 >= 0 && c1 >= 0 && b.N > 0 {
			b.ReportMetric(float64(c1-c0)/float64(b.N), CPUMetric)
		}
	}
}

// JSONMapBenchmark is a reference point for abacc+fill, not an engine: it times
// encoding/json.Unmarshal of the condition's request documents into a map[string]any,
// round-robin, which is the least any peer fed with request JSON pays before it can decide.
func JSONMapBenchmark(c *Condition) func(*testing.B) {
	docs := make([][]byte, len(c.Cases))
	for i := range c.Cases {
		docs[i] = c.Cases[i].Request
	}
	return func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			var m map[string]any
			if err := json.Unmarshal(docs[i], &m); err != nil {
				b.Fatal(err)
			}
			Sink += len(m)
			if i++; i == len(docs) {
				i = 0
			}
		}
	}
}
