package parser

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/syntax/scanner"
)

// TestReserveEstimates checks, on the conformance and workload corpora and the examples, that
// the node estimates of reserve leave little unused: the tree keeps its slabs alive.
func TestReserveEstimates(t *testing.T) {
	srcs := conditions(t, "../../../testdata/conformance/*.json", "../../../bench/corpus/*.json", "../../../examples/*.cond")
	if len(srcs) < 50 {
		t.Fatalf("found only %d conditions", len(srcs))
	}
	for _, src := range srcs {
		var errs diag.List
		p := &parser{sc: *scanner.New(src, &errs), errs: &errs, mem: new(nodes)}
		p.reserve(src)
		p.next()
		p.parseOr()
		unused := p.mem.litSlab.Left()*int(unsafe.Sizeof(ast.Literal{})) + p.mem.litPtrs.Left()*8 +
			p.mem.binarySlab.Left()*int(unsafe.Sizeof(ast.BinaryExpr{})) + p.mem.parenSlab.Left()*int(unsafe.Sizeof(ast.ParenExpr{})) +
			p.mem.notSlab.Left()*int(unsafe.Sizeof(ast.NotExpr{})) + p.mem.setSlab.Left()*int(unsafe.Sizeof(ast.SetLit{})) +
			p.mem.matchesSlab.Left()*int(unsafe.Sizeof(ast.MatchesExpr{})) + p.mem.attrCmpSlab.Left()*int(unsafe.Sizeof(attrComparison{}))
		if unused > 256 {
			t.Errorf("%.60q: %d bytes of nodes reserved and unused", src, unused)
		}
	}
}

// conditions reads the conditions of the files that match patterns: a whole .cond file, or the
// "condition" of a JSON test file.
func conditions(t *testing.T, patterns ...string) []string {
	t.Helper()
	var srcs []string
	for _, pattern := range patterns {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src := string(data)
			if filepath.Ext(f) == ".json" {
				var doc struct{ Condition string }
				if err := json.Unmarshal(data, &doc); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				src = doc.Condition
			}
			srcs = append(srcs, src)
		}
	}
	return srcs
}
