package lower_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/lower"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// manyConstants returns a condition with more constants than lowering scans (so that it indexes
// them), then a time-of-day range table, then sets whose index keys collide (same first member
// and length): lowering once indexed the table out of step with the constants and failed on
// the third set with an index out of range.
func manyConstants() string {
	const name = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]"
	var parts []string
	for i := range 33 {
		parts = append(parts, fmt.Sprintf("%s StringEquals 'c%d'", name, i))
	}
	parts = append(parts, "@Environment[UtcNow] TimeOfDayInRange ['22:00', '06:00']")
	for _, set := range []string{"'a', 'b'", "'a', 'c'", "'a', 'd'", "'a', 'c'"} {
		parts = append(parts, fmt.Sprintf("%s ForAnyOfAnyValues:StringEquals {%s}", name, set))
	}
	return strings.Join(parts, " OR ")
}

func TestConstantsIndexedAfterTable(t *testing.T) {
	src := manyConstants()
	u := compiler.Frontend("t", src, compiler.Options{Dialect: ast.Extended})
	if !u.OK() {
		t.Fatal(u.File.FormatAll(&u.Diags))
	}
	got := ir.Print(lower.Lower(u.Expr, src))
	// 33 strings, the table, three distinct sets: the repeated {'a', 'c'} reuses k35.
	for _, want := range []string{"k33={00:00:00-06:00:00, 22:00:00-23:59:59}", "k34={'a', 'b'}", "k35={'a', 'c'}", "k36={'a', 'd'}"} {
		if !strings.Contains(got, want) {
			t.Errorf("lowering lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "k37") {
		t.Errorf("the repeated set was not deduplicated:\n%s", got)
	}
}

// TestScratchLowersAlike: a Scratch reused over conditions of different sizes and shapes
// (growing, shrinking, indexing constants or not) lowers each exactly as a fresh Lower does.
func TestScratchLowersAlike(t *testing.T) {
	srcs := []string{
		manyConstants(),
		"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'",
		"(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR " +
			"(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals 'Cascade')",
		"@Environment[UtcNow] TimeOfDayInRange ['08:00', '18:00'] AND @Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Eng_Level] NumericInRange [1, 3]",
		manyConstants(),
	}
	var s lower.Scratch
	for round := range 2 {
		for i, src := range srcs {
			u := compiler.Frontend("t", src, compiler.Options{Dialect: ast.Extended})
			if !u.OK() {
				t.Fatal(u.File.FormatAll(&u.Diags))
			}
			want := ir.Print(lower.Lower(u.Expr, src))
			if got := ir.Print(s.Lower(u.Expr, src)); got != want {
				t.Errorf("round %d, condition %d: scratch lowering\n%s\nfresh lowering\n%s", round, i, got, want)
			}
		}
	}
}
