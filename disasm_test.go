package abacc_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/abacc/abacc"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestDisasmGolden compares the optimized IR and the disassembly of testdata/disasm/*.cond with
// their golden files (regenerate with -update and review the diff); extended-*.cond compile in
// the extended dialect.
func TestDisasmGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/disasm/*.cond")
	if len(files) == 0 {
		t.Fatal("no inputs")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		opts := abacc.Options{}
		if strings.HasPrefix(filepath.Base(f), "extended-") {
			opts.Dialect = abacc.DialectExtended // the extended dialect's inputs say so by name
		}
		p, err := abacc.CompileWith(string(src), opts)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		got := p.DumpIR() + "\n" + p.Disassemble()
		golden := strings.TrimSuffix(f, ".cond") + ".golden"
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("missing golden file (go test -run TestDisasmGolden -update .): %v", err)
		}
		if string(want) != got {
			t.Errorf("%s differs from its golden file:\n--- got\n%s--- want\n%s", f, got, want)
		}
	}
}
