package compiler

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkStages times compiling the workload corpus's largest condition
// (bench/corpus/25-large-8-blocks.json) as Code does (scratch memory), stopping after each stage
// in turn: the difference between one sub-benchmark and the one before is its stage's cost.
func BenchmarkStages(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "bench", "corpus", "25-large-8-blocks.json"))
	if err != nil {
		b.Fatal(err)
	}
	var doc struct{ Condition string }
	if err := json.Unmarshal(data, &doc); err != nil {
		b.Fatal(err)
	}
	for _, st := range Stages {
		b.Run(st.Name, func(b *testing.B) {
			s := new(scratch)
			b.ReportAllocs()
			for b.Loop() {
				u := newUnit("condition", doc.Condition, Options{})
				u.scratch = s
				if run(u, st.Name); !u.OK() {
					b.Fatal(u.Diags.Items)
				}
			}
		})
	}
}
