package lower

import (
	"testing"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// TestOperatorNames checks that the IR names every operator of the language as the language
// does: the relation lowering gives an operator, with its type and case folding, prints as the
// operator (as its Not-twin when negated).
func TestOperatorNames(t *testing.T) {
	for _, name := range ast.OperatorNames() {
		op := ast.LookupOperator(name)
		info := op.Info()
		if info.Right != ast.RightValues {
			// The extended dialect's operators lower to table tests, bounds and cross
			// products (TestExtendedLowering).
			continue
		}
		c := &ir.Comparison{Rel: relOf(info.Rel), Type: info.Type, Fold: info.IgnoreCase, BaseNeg: info.Negated}
		if got := ir.OpName(c); got != name {
			t.Errorf("%s prints as %s", name, got)
		}
	}
	for fold, want := range map[bool]string{false: "StringEndsWith", true: "StringEndsWithIgnoreCase"} {
		c := &ir.Comparison{Rel: ir.RelSuffix, Type: attrs.TypeString, Fold: fold}
		if got := ir.OpName(c); got != want {
			t.Errorf("suffix (fold %v) prints as %s, want %s", fold, got, want)
		}
		c.BaseNeg, c.Quant = true, ir.ForAllOfAllValues
		if got, want := ir.OpName(c), "ForAllOfAllValues:StringNot"+want[len("String"):]; got != want {
			t.Errorf("negated suffix prints as %s, want %s", got, want)
		}
	}
	if got := ir.BaseName(attrs.TypeBoolean, ir.RelLt, false); got != "Boolean/3" {
		t.Errorf("a relation without an operator prints as %s", got)
	}
}

// TestQuantifiers checks the conversion of the language's quantifiers and the IR's algebra of
// them against the language's.
func TestQuantifiers(t *testing.T) {
	qs := []ast.Quantifier{ast.NoQuant, ast.ForAnyOfAnyValues, ast.ForAllOfAnyValues, ast.ForAnyOfAllValues, ast.ForAllOfAllValues}
	seen := map[ir.Quant]bool{}
	for _, aq := range qs {
		q := quantOf(aq)
		if seen[q] {
			t.Errorf("%v converts to a quantifier already taken", aq)
		}
		seen[q] = true
		if q.String() != aq.String() || q.AllLeft() != aq.AllLeft() || q.AllRight() != aq.AllRight() {
			t.Errorf("%q converts to %q (all-left %v, all-right %v)", aq, q, q.AllLeft(), q.AllRight())
		}
		// The dual swaps universal and existential on both sides.
		d := q.Dual()
		if q != ir.NoQuant && (d.AllLeft() == q.AllLeft() || d.AllRight() == q.AllRight()) {
			t.Errorf("%s: dual %s", q, d)
		}
		if d.Dual() != q {
			t.Errorf("%s: dual is not an involution", q)
		}
	}
	rels := map[ir.Rel]bool{}
	for _, r := range []ast.Relation{ast.RelEq, ast.RelPrefix, ast.RelLike, ast.RelLt, ast.RelLe, ast.RelGt, ast.RelGe, ast.RelSuffix, ast.RelContains} {
		got := relOf(r)
		if rels[got] {
			t.Errorf("relation %d converts to %d", r, got)
		}
		rels[got] = true
	}
}
