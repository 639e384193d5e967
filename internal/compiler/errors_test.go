package compiler_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/syntax/ast"
)

var update = flag.Bool("update", false, "rewrite golden files")

// expectation is an entry of testdata/errors/expect.json: where the first error must be, and
// optionally how many errors a good checker reports.
type expectation struct {
	Line  int    `json:"line"`
	Col   int    `json:"col"`
	About string `json:"about"`
	Count int    `json:"count"`
	// Dialect is "extended" for an input checked in the extended dialect.
	Dialect string `json:"dialect"`
}

// TestErrorCorpus checks every invalid input: it must be rejected with its first error at the
// expected line and column, and its rendered diagnostics must match the golden file.
func TestErrorCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "errors")
	var expect map[string]expectation
	data, err := os.ReadFile(filepath.Join(dir, "expect.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &expect); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.cond"))
	if len(files) < 40 {
		t.Fatalf("only %d invalid inputs", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".cond")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			opts := compiler.Options{}
			if d, ok := ast.ParseDialect(expect[name].Dialect); ok {
				opts.Dialect = d
			} else if expect[name].Dialect != "" {
				t.Fatalf("expect.json: dialect %q", expect[name].Dialect)
			}
			u := compiler.Frontend(filepath.Base(f), string(src), opts)
			errs := u.Diags.Errors()
			if len(errs) == 0 {
				t.Fatalf("accepted an invalid input (%s)", expect[name].About)
			}
			var out strings.Builder
			for _, d := range u.Diags.Items {
				out.WriteString(u.File.Format(d))
			}
			golden := filepath.Join(dir, name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if want, err := os.ReadFile(golden); err != nil {
				t.Errorf("missing golden file (run go test ./compiler -run TestErrorCorpus -update): %v", err)
			} else if string(want) != out.String() {
				t.Errorf("diagnostics differ from %s:\n--- got\n%s--- want\n%s", golden, out.String(), want)
			}
			e, ok := expect[name]
			if !ok {
				t.Fatalf("no entry in expect.json")
			}
			line, col := u.File.Position(errs[0].Pos)
			if line != e.Line || col != e.Col {
				t.Errorf("first error at %d:%d, want %d:%d (%s)\n%s", line, col, e.Line, e.Col, e.About, out.String())
			}
			if e.Count > 0 && len(errs) != e.Count {
				t.Errorf("%d errors, want %d\n%s", len(errs), e.Count, out.String())
			}
		})
	}
}
