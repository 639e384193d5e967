// Package lower turns a checked syntax tree into IR: the one place where the IR meets the
// syntax tree, so that the IR and the stages after it (optimize, codegen) never import the AST.
package lower

import (
	"fmt"
	"strings"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/match"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// Lower turns a checked syntax tree (no errors) into IR.
func Lower(x ast.Expr, src string) *ir.Unit {
	l := &lowerer{u: &ir.Unit{Source: src}, consts: map[string]int{}}
	l.u.Root = l.lower(x, false)
	return l.u
}

type lowerer struct {
	u      *ir.Unit
	consts map[string]int
}

func span(n ast.Node) ir.Span { return ir.Span{Pos: int32(n.Pos()), End: int32(n.End())} }

// lower lowers x, complemented when neg.
func (l *lowerer) lower(x ast.Expr, neg bool) *ir.Node {
	switch x := x.(type) {
	case *ast.ParenExpr:
		return l.lower(x.X, neg)
	case *ast.NotExpr:
		n := l.lower(x.X, !neg)
		// A leaf keeps the span of its NOT, so that explanations quote the whole test; the
		// NOT's text reads as the complement of its operand's.
		if n.IsLeaf() {
			n.Span = span(x)
			n.TextNeg = !n.TextNeg
		}
		return n
	case *ast.BinaryExpr:
		// De Morgan: NOT (a AND b) = NOT a OR NOT b.
		kind := ir.And
		if (x.Op == ast.Or) != neg {
			kind = ir.Or
		}
		n := &ir.Node{Kind: kind, Span: span(x)}
		l.flatten(n, x, x.Op, neg)
		return n
	case *ast.ExistsExpr:
		return &ir.Node{Kind: ir.Exists, Span: span(x), Neg: x.Negated != neg, TextNeg: neg, Attr: attrOf(x.Attr)}
	case *ast.MatchesExpr:
		n := &ir.Node{Kind: ir.Action, Span: span(x), Neg: neg, TextNeg: neg}
		if x.Func == ast.SubOperationMatches {
			n.Kind = ir.SubOp
		}
		for _, p := range x.Patterns {
			n.Patterns = append(n.Patterns, match.FoldString(p.Str))
		}
		return n
	case *ast.Comparison:
		return l.comparison(x, neg)
	}
	panic(fmt.Sprintf("ir: cannot lower %T (the tree must be checked)", x))
}

// flatten appends the operands of a chain of one binary operator (through parentheses) to n.
func (l *lowerer) flatten(n *ir.Node, x ast.Expr, op ast.BinaryKind, neg bool) {
	// Iterate down the left spine: parsing is left-associative, so long chains are deep on the
	// left and shallow on the right.
	var rights []ast.Expr
	cur := x
	for {
		b, ok := unparen(cur).(*ast.BinaryExpr)
		if !ok || b.Op != op {
			break
		}
		rights = append(rights, b.Y)
		cur = b.X
	}
	l.splice(n, cur, neg)
	for i := len(rights) - 1; i >= 0; i-- {
		l.splice(n, rights[i], neg)
	}
}

// splice lowers one operand of a chain into n, merging a nested node of the same kind
// ((a AND b) AND c is one n-ary AND).
func (l *lowerer) splice(n *ir.Node, x ast.Expr, neg bool) {
	// A nested chain that lowers to n's kind is flattened straight into n: lowering it to a
	// node of its own and copying that node's children would cost O(depth²) on a OR (b OR (…)).
	if b, ok := unparen(x).(*ast.BinaryExpr); ok {
		kind := ir.And
		if (b.Op == ast.Or) != neg {
			kind = ir.Or
		}
		if kind == n.Kind {
			l.flatten(n, b, b.Op, neg)
			return
		}
	}
	c := l.lower(x, neg)
	if c.Kind == n.Kind {
		n.Kids = append(n.Kids, c.Kids...)
		return
	}
	n.Kids = append(n.Kids, c)
}

func unparen(x ast.Expr) ast.Expr {
	for {
		p, ok := x.(*ast.ParenExpr)
		if !ok {
			return x
		}
		x = p.X
	}
}

func attrOf(a *ast.AttrRef) ir.Attr {
	return ir.Attr{ID: a.Ref.ID, Sel: a.Ref.Sel, Key: a.Ref.Key, Type: a.Type, Untyped: a.Ref.Type == attrs.Untyped,
		Name: "@" + a.Source.String() + "[" + a.Name + "]"}
}

func (l *lowerer) comparison(x *ast.Comparison, neg bool) *ir.Node {
	info := x.Op.Info()
	c := &ir.Comparison{Quant: quantOf(x.Op.Quant), Rel: relOf(info.Rel), Type: info.Type, Fold: info.IgnoreCase,
		Left: l.operand(x.Left, info.Type), Right: l.operand(x.Right, info.Type)}
	// Whatever the form, the node computes the comparison's text complemented when neg.
	n := &ir.Node{Kind: ir.Cmp, Span: span(x), Cmp: c, TextNeg: neg}
	if c.Quant == ir.NoQuant {
		// A Not-operator is exactly the complement of its positive twin.
		n.Neg = info.Negated != neg
		return n
	}
	c.BaseNeg = info.Negated
	if neg {
		// NOT ∀l∃r P = ∃l∀r NOT P, and so on: dual quantifier, complemented base.
		c.Quant = c.Quant.Dual()
		c.BaseNeg = !c.BaseNeg
	}
	return n
}

// quantOf converts the language's quantifier into the IR's.
func quantOf(q ast.Quantifier) ir.Quant {
	switch q {
	case ast.NoQuant:
		return ir.NoQuant
	case ast.ForAnyOfAnyValues:
		return ir.ForAnyOfAnyValues
	case ast.ForAllOfAnyValues:
		return ir.ForAllOfAnyValues
	case ast.ForAnyOfAllValues:
		return ir.ForAnyOfAllValues
	case ast.ForAllOfAllValues:
		return ir.ForAllOfAllValues
	}
	panic(fmt.Sprintf("ir: unknown quantifier %d", q))
}

// relOf converts the relation of a language operator into the IR's.
func relOf(r ast.Relation) ir.Rel {
	switch r {
	case ast.RelEq:
		return ir.RelEq
	case ast.RelPrefix:
		return ir.RelPrefix
	case ast.RelLike:
		return ir.RelLike
	case ast.RelLt:
		return ir.RelLt
	case ast.RelLe:
		return ir.RelLe
	case ast.RelGt:
		return ir.RelGt
	case ast.RelGe:
		return ir.RelGe
	}
	panic(fmt.Sprintf("ir: unknown relation %d", r))
}

func (l *lowerer) operand(o ast.Operand, t attrs.Type) ir.Operand {
	switch o := o.(type) {
	case *ast.AttrRef:
		return ir.Operand{IsAttr: true, Attr: attrOf(o)}
	case *ast.Literal:
		return ir.Operand{Const: l.constant(t, false, []*ast.Literal{o})}
	case *ast.SetLit:
		return ir.Operand{Const: l.constant(t, true, o.Elems)}
	}
	panic("ir: unknown operand")
}

// constant adds a literal or set to the table, reusing an equal one.
func (l *lowerer) constant(t attrs.Type, set bool, lits []*ast.Literal) int {
	c := ir.Constant{Type: t, Set: set}
	var key strings.Builder
	fmt.Fprintf(&key, "%d/%v", t, set)
	for _, lit := range lits {
		switch t {
		case attrs.TypeString:
			c.Strs = append(c.Strs, lit.Str)
			fmt.Fprintf(&key, "/%q", lit.Str)
		case attrs.TypeInteger:
			c.Nums = append(c.Nums, lit.Int)
			fmt.Fprintf(&key, "/%d", lit.Int)
		case attrs.TypeBoolean:
			v := int64(0)
			if lit.Bool {
				v = 1
			}
			c.Nums = append(c.Nums, v)
			fmt.Fprintf(&key, "/%d", v)
		case attrs.TypeDateTime:
			c.Nums = append(c.Nums, int64(lit.Instant))
			fmt.Fprintf(&key, "/%d", lit.Instant)
		case attrs.TypeGuid:
			c.Guids = append(c.Guids, lit.Guid)
			fmt.Fprintf(&key, "/%v", lit.Guid)
		}
	}
	if i, ok := l.consts[key.String()]; ok {
		return i
	}
	l.u.Consts = append(l.u.Consts, c)
	l.consts[key.String()] = len(l.u.Consts) - 1
	return len(l.u.Consts) - 1
}
