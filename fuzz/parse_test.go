package fuzz

import (
	"errors"
	"fmt"
	"github.com/abacc/abacc/internal/hooks"
	"strings"
	"testing"
	"time"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/syntax/printer"
)

// trickyConditions are hand-written edge cases of the lexer and parser.
var trickyConditions = []string{
	"",
	" ",
	"\n\r\t",
	"(",
	")",
	"()",
	"{}",
	"''",
	"'",
	"@",
	"@[",
	"@Resource[",
	"@Resource[]",
	"@Resource[a[b]c] StringEquals 'x'",
	"@Resource[a]]",
	"@resource[Microsoft.Storage/storageAccounts/blobServices/containers:NAME] stringequals 'a'",
	"NOT NOT NOT !!! @Environment[isPrivateLink] BoolEquals true",
	"NotExists @Principal[Microsoft.Directory/CustomSecurityAttributes/Id:x] OR Exists @Environment[UtcNow]",
	"Exists 'literal'",
	"ActionMatches{}",
	"ActionMatches{'a','b',}",
	"SubOperationMatches{'Blob.List'} && !ActionMatches{'*'} || ActionMatches{'*/read'}",
	"@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] GuidEquals 8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
	"@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {5e467623-bb1f-42f4-a55d-6e525e11384b, 8E3AF657A8FF443CA75C2FE8C4BCB635, '12345678-1234-1234-1234-123456789abc'}",
	"@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] GuidEquals 5e467623-bb1f-42f4-a55d-6e525e11384",
	"@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:L] NumericLessThan -9223372036854775808",
	"@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:L] NumericLessThan -9223372036854775809",
	"@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:L] NumericLessThan 9223372036854775807",
	"@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:L] NumericEquals --1",
	"@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:L] NumericEquals -0",
	"@Environment[UtcNow] DateTimeGreaterThan '2023-05-01T13:00:00.1234567+14:00'",
	"@Environment[UtcNow] DateTimeGreaterThan '0001-01-01T00:00:00+00:01'",
	"@Environment[UtcNow] DateTimeGreaterThan '9999-12-31T23:59:59.9999999-14:00'",
	"@Environment[UtcNow] DateTimeGreaterThan '2024-02-29T24:00:00Z'",
	"@Resource[" + tagsDict + ":a:b" + kcs + "] StringLike '*\\*\\?\\\\\\x*'",
	"@Resource[" + tagsDict + "&$keys$&] ForAllOfAnyValues:StringEqualsIgnoreCase {'Project', 'ß', 'ẞ', 'ſ', '\u212A', 'Σ', 'ς'}",
	"@Resource[" + metaDict + ":key] StringNotStartsWithIgnoreCase ''",
	"'a' StringEquals 'a' AND 1 NumericLessThan 2 OR true BoolEquals false",
	"{'a'} ForAnyOfAnyValues:StringEquals {'a', 'b'}",
	"@Environment[isPrivateLink] BoolEquals true AND @Environment[isPrivateLink] BoolEquals false",
	"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'a\ufffd'",
	"\ufeff@Environment[isPrivateLink] BoolEquals true",
	"@Environment[isPrivateLink]\u00a0BoolEquals true",
	"@Environment[isPrivateLink] BoolEquals\u200btrue",
	"@Environment[isPrivateLink] BoolEquals true\x00",
	"@Environment[isPrivateLink] BoolEquals \xff",
	"'\xc3'",
	strings.Repeat("(", 1001) + "@Environment[isPrivateLink] BoolEquals true" + strings.Repeat(")", 1001),
	strings.Repeat("(", 999) + "@Environment[isPrivateLink] BoolEquals true" + strings.Repeat(")", 999),
	strings.Repeat("NOT ", 1001) + "@Environment[isPrivateLink] BoolEquals true",
	strings.Repeat("@Environment[isPrivateLink] BoolEquals true AND ", 300) + "true BoolEquals true",
	strings.Repeat("@Environment[isPrivateLink] BoolEquals true OR (", 200) + "true BoolEquals true" + strings.Repeat(")", 200),
	"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals {" + strings.Repeat("'a',", 100) + "'b'}",
	strings.Repeat("AND ", 20),
	strings.Repeat(")", 20) + strings.Repeat("(", 20),
}

// parseLimit is how long one front-end run may take before it counts as a hang: generous, for
// fuzzing's instrumented binaries on a loaded machine, and growing with the input.
func parseLimit(n int) time.Duration { return time.Second + time.Duration(n)*10*time.Microsecond }

// FuzzParse: the front end never panics and finishes quickly on any text. When it accepts a
// condition, the canonical printing parses again without errors to an equal tree, printing
// that tree gives the same text (print∘parse is idempotent), the full compiler accepts it
// (the code generator's verifier included), and the compiled program decides the fixed
// requests like the reference interpreter.
func FuzzParse(f *testing.F) {
	for _, s := range corpusConditions(f) {
		f.Add(s)
	}
	for _, s := range invalidConditions(f) {
		f.Add(s)
	}
	for _, s := range textFiles(f, "testdata/fmt/*.cond") {
		f.Add(s)
	}
	for _, s := range trickyConditions {
		f.Add(s)
	}
	reqs := fixedRequests(f)
	f.Add("@Resource[" + longDictName + "] StringEquals 'a'")
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		u := compiler.Frontend("fuzz", src, compiler.Options{})
		if d := time.Since(start); d > parseLimit(len(src)) {
			t.Fatalf("front end took %v on %d bytes:\n%q", d, len(src), clip(src))
		}
		if u == nil || u.File == nil {
			t.Fatalf("Frontend returned no unit for %q", clip(src))
		}
		if u.Expr == nil && !u.Diags.HasErrors() {
			t.Fatalf("no tree and no error for %q", clip(src))
		}
		// Every diagnostic renders (positions inside the source).
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
		u2 := compiler.Frontend("printed", printed, compiler.Options{})
		if !u2.OK() {
			t.Fatalf("the printed condition does not parse:\n%s\nsource: %q\nprinted:\n%s", clip(diags(u2)), clip(src), clip(printed))
		}
		if !ast.Equal(printer.Group(u.Expr), u2.Expr) {
			t.Fatalf("print→parse changed the tree\nsource: %q\nprinted:\n%s\nreprinted:\n%s", clip(src), clip(printed), clip(printer.Print(u2.Expr, printer.Options{})))
		}
		if again := printer.Print(u2.Expr, printer.Options{}); again != printed {
			t.Fatalf("print∘parse is not idempotent\nsource: %q\nprinted:\n%s\nreprinted:\n%s", clip(src), clip(printed), clip(again))
		}

		// The rest of the pipeline: an accepted condition compiles (the only admissible error
		// is a condition too large for the bytecode's tables), in both modes.
		for _, noopt := range []bool{false, true} {
			p, err := compileOpts(src, hooks.Options{NoOptimize: noopt})
			if err != nil {
				var ce *abacc.Error
				if !errors.As(err, &ce) {
					t.Fatalf("Compile (NoOptimize=%v) failed with an internal error: %v\nsource: %q", noopt, clip(err.Error()), clip(src))
				}
				for _, d := range ce.Diagnostics {
					if d.Code != string(diag.TooComplex) {
						t.Fatalf("the front end accepted the condition but Compile (NoOptimize=%v) rejects it: %v\nsource: %q", noopt, clip(err.Error()), clip(src))
					}
				}
				continue
			}
			formatted := p.Format()
			if uf := compiler.Frontend("formatted", formatted, compiler.Options{}); !uf.OK() {
				t.Fatalf("Format output does not parse:\n%s\nsource: %q\nformatted:\n%s", clip(diags(uf)), clip(src), clip(formatted))
			}
			for i, r := range reqs {
				if got, want := p.Eval(r), p.EvalReference(r); got != want {
					t.Fatalf("fixed request %d: VM (NoOptimize=%v) decides %v, reference %v\nsource: %q\nrequest: %s\nbytecode:\n%s",
						i, noopt, got, want, clip(src), fixedRequestJSON[i], clip(p.Disassemble()))
				}
			}
		}
	})
}

func diags(u *compiler.Unit) string {
	var parts []string
	for _, d := range u.Diags.Items {
		parts = append(parts, u.File.Format(d))
	}
	return strings.Join(parts, "\n")
}

// clip shortens text for failure messages: a fuzzer's input can be a megabyte.
func clip(s string) string {
	const max = 1500
	if len(s) <= max {
		return s
	}
	return fmt.Sprintf("%s\n... [%d bytes omitted] ...\n%s", s[:max/2], len(s)-max, s[len(s)-max/2:])
}
