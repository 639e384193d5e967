package printer_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/check"
	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/syntax/printer"
)

var update = flag.Bool("update", false, "rewrite golden files")

// extended compiles the corpora in the extended dialect: it accepts every standard condition
// alike, and the corpora hold extended-dialect conditions too.
var extended = compiler.Options{Dialect: ast.Extended}

func canonical() printer.Options {
	return printer.Options{AttrName: func(a *ast.AttrRef) string { return check.CanonicalName(attrs.Default, a) }}
}

// corpusConditions gathers every valid condition shipped in testdata.
func corpusConditions(t *testing.T) []string {
	var out []string
	for _, pat := range []string{"../../../testdata/conformance/*.json", "../../../testdata/operators/*.json"} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var cf struct {
				Condition string
				Rows      []struct{ Condition string }
			}
			if err := json.Unmarshal(data, &cf); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if cf.Condition != "" {
				out = append(out, cf.Condition)
			}
			for _, r := range cf.Rows {
				out = append(out, r.Condition)
			}
		}
	}
	fmts, _ := filepath.Glob("../../../testdata/fmt/*.cond")
	for _, f := range fmts {
		data, _ := os.ReadFile(f)
		out = append(out, string(data))
	}
	if len(out) < 100 {
		t.Fatalf("only %d corpus conditions", len(out))
	}
	return out
}

// TestRoundTrip proves parse(print(ast)) == Group(ast) (the tree with mixed AND/OR
// parenthesized), in both flat and broken layouts, that the printed form draws no warning
// under -strict that the input did not, and that formatting is idempotent.
func TestRoundTrip(t *testing.T) {
	for _, src := range corpusConditions(t) {
		u := compiler.Frontend("in", src, extended)
		if !u.OK() {
			t.Errorf("corpus condition does not compile: %s\n%s", src, u.File.FormatAll(&u.Diags))
			continue
		}
		for _, text := range []string{printer.Print(u.Expr, printer.Options{}), printer.Inline(u.Expr, printer.Options{})} {
			v := compiler.Frontend("out", text, extended)
			if !v.OK() {
				t.Errorf("printed form does not compile:\n%s\n%s", text, v.File.FormatAll(&v.Diags))
				continue
			}
			if !ast.Equal(printer.Group(u.Expr), v.Expr) {
				t.Errorf("round trip changed the tree:\nin:  %s\nout: %s", src, text)
			}
			for _, d := range v.Diags.Items {
				if d.Code == diag.MixedAndOr {
					t.Errorf("printed form mixes AND and OR without parentheses:\n%s", text)
				}
			}
		}
		once := printer.Print(u.Expr, canonical())
		w := compiler.Frontend("once", once, extended)
		if twice := printer.Print(w.Expr, canonical()); twice != once {
			t.Errorf("fmt not idempotent:\n%s\n---\n%s", once, twice)
		}
		for _, d := range w.Diags.Items {
			if d.Code == "ABAC3004" {
				t.Errorf("canonical form still draws a casing warning: %s\n%s", d.Msg, once)
			}
		}
	}
}

// TestGolden compares `abacc fmt` output for testdata/fmt/*.cond with the .golden files.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("../../../testdata/fmt/*.cond")
	if len(files) == 0 {
		t.Fatal("no fmt inputs")
	}
	for _, f := range files {
		src, _ := os.ReadFile(f)
		u := compiler.Frontend(f, string(src), extended)
		if !u.OK() {
			t.Fatalf("%s does not compile", f)
		}
		got := printer.Print(u.Expr, canonical()) + "\n"
		golden := strings.TrimSuffix(f, ".cond") + ".golden"
		if *update {
			os.WriteFile(golden, []byte(got), 0o644)
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("missing golden (run with -update): %v", err)
		}
		if string(want) != got {
			t.Errorf("%s:\n--- got\n%s--- want\n%s", f, got, want)
		}
	}
}
