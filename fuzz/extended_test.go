package fuzz

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/hooks"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/syntax/printer"
	"github.com/abacc/abacc/internal/vm"
)

// FuzzExtended is FuzzParse and FuzzDifferential for the extended dialect: any text as a
// condition and any bytes as a request. The front end never panics and finishes quickly
// (hostile address, CIDR, time and pair literals included); an accepted condition prints and
// reparses to an equal tree, compiles with and without the optimizer, survives an
// Encode/Decode round trip, and every engine decides the request (when it decodes) and the
// fixed requests like the reference interpreter.
func FuzzExtended(f *testing.F) {
	for _, s := range extendedSeeds(f) {
		f.Add(s.cond, s.req)
	}
	reqs := fixedRequests(f)
	ext := compiler.Options{Dialect: ast.Extended}
	f.Fuzz(func(t *testing.T, src string, reqJSON []byte) {
		start := time.Now()
		u := compiler.Frontend("fuzz", src, ext)
		if d := time.Since(start); d > parseLimit(len(src)) {
			t.Fatalf("front end took %v on %d bytes:\n%q", d, len(src), clip(src))
		}
		for _, d := range u.Diags.Items {
			if d.Pos != diag.NoPos && (d.Pos < 0 || int(d.Pos) > len(src) || (d.End != diag.NoPos && (d.End < d.Pos || int(d.End) > len(src)))) {
				t.Fatalf("diagnostic %s at [%d,%d) outside the %d-byte source %q", d.Code, d.Pos, d.End, len(src), clip(src))
			}
			_ = u.File.Format(d)
		}
		if !u.OK() {
			return
		}
		printed := printer.Print(u.Expr, printer.Options{})
		u2 := compiler.Frontend("printed", printed, ext)
		if !u2.OK() || !ast.Equal(printer.Group(u.Expr), u2.Expr) {
			t.Fatalf("print→parse failed or changed the tree\nsource: %q\nprinted:\n%s\n%s", clip(src), clip(printed), clip(diags(u2)))
		}
		req := abacc.NewRequest()
		if len(reqJSON) > 1<<16 || req.UnmarshalJSON(reqJSON) != nil {
			req = nil
		}
		var first *abacc.Program
		for _, noopt := range []bool{false, true} {
			p, err := compileOpts(src, hooks.Options{NoOptimize: noopt, Dialect: uint8(abacc.DialectExtended)})
			if err != nil {
				var ce *abacc.Error
				if !errors.As(err, &ce) || ce.Diagnostics[0].Code != string(diag.TooComplex) {
					t.Fatalf("the front end accepted the condition but Compile (NoOptimize=%v) rejects it: %v\nsource: %q", noopt, clip(err.Error()), clip(src))
				}
				return
			}
			if first == nil {
				first = p
			}
			all := reqs
			if req != nil {
				all = append(all[:len(all):len(all)], req)
			}
			for i, r := range all {
				if got, want := p.Eval(r), p.EvalReference(r); got != want {
					t.Fatalf("request %d: VM (NoOptimize=%v) decides %v, reference %v\nsource: %q\nrequest: %s\nbytecode:\n%s",
						i, noopt, got, want, clip(src), reqJSON, clip(p.Disassemble()))
				}
			}
		}
		dec, err := vm.Decode(hooks.Bytecode(first).Encode(), attrs.Default)
		if err != nil {
			t.Fatalf("Decode(Encode(p)): %v\nsource: %q", err, clip(src))
		}
		if req != nil && dec.Eval(hooks.Vector(req)) != first.Eval(req) {
			t.Fatalf("the decoded program decides otherwise\nsource: %q\nrequest: %s", clip(src), reqJSON)
		}
	})
}

type extendedSeed struct {
	cond string
	req  []byte
}

// extendedSeeds: every row of the newer and extended operator tables and of the extended
// conformance conditions, the extended error corpus, and hostile literals.
func extendedSeeds(t testing.TB) []extendedSeed {
	var out []extendedSeed
	files, _ := filepath.Glob(filepath.Join(root, "testdata", "operators", "extended-*.json"))
	more, _ := filepath.Glob(filepath.Join(root, "testdata", "conformance", "extended", "*.json"))
	files = append(append(files, filepath.Join(root, "testdata", "operators", "strings-newer.json")), more...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cf struct {
			Condition string
			Rows      []struct {
				Condition string
				Request   json.RawMessage
			}
			Cases []struct{ Request json.RawMessage }
		}
		if err := json.Unmarshal(data, &cf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, r := range cf.Rows {
			out = append(out, extendedSeed{r.Condition, r.Request})
		}
		for _, c := range cf.Cases {
			out = append(out, extendedSeed{cf.Condition, c.Request})
		}
	}
	bad, _ := filepath.Glob(filepath.Join(root, "testdata", "errors", "extended-*.cond"))
	for _, f := range bad {
		data, _ := os.ReadFile(f)
		out = append(out, extendedSeed{string(data), nil})
	}
	const ip = "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Net_Ip]"
	for _, s := range []string{
		ip + " IpInRange ['" + strings.Repeat("1", 5000) + "', '::']",
		ip + " IpMatch '" + strings.Repeat("::", 3000) + "'",
		ip + " IpMatch {" + strings.Repeat("'10.0.0.0/8', ", 2000) + "'::/0'}",
		ip + " IpInRange [" + strings.Repeat("[", 200),
		ip + " IpInRange ['::ffff:0.0.0.0', '::ffff:255.255.255.255']",
		"@Environment[UtcNow] TimeOfDayInRange ['23:59:59', '00:00:00']",
		"@Environment[UtcNow] TimeOfDayInRange ['" + strings.Repeat("9", 4000) + "', '00:00']",
		"[1, 2] NumericInRange [3, 4]",
		"@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:L] NumericInRange [-9223372036854775808, 9223372036854775807]",
	} {
		out = append(out, extendedSeed{s, []byte(`{"action": "a", "principal": {"Microsoft.Directory/CustomSecurityAttributes/Id:Net_Ip": "::ffff:10.0.0.1"}, "environment": {"UtcNow": "2024-01-01T23:59:59Z"}}`)})
	}
	return out
}
