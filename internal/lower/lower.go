// Package lower turns a checked syntax tree into IR: the one place where the IR meets the
// syntax tree, so that the IR and the stages after it (optimize, codegen) never import the AST.
package lower

import (
	"fmt"
	"slices"
	"strings"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ipaddr"
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
	switch info.Rel {
	case ast.RelNumRange:
		return l.numRange(x, neg)
	case ast.RelListContains:
		return l.list(x, neg)
	case ast.RelIPMatch, ast.RelIPRange:
		return l.table(x, neg, ir.RelIPIn, attrs.TypeString, l.ipTable(x.Right))
	case ast.RelTimeEq, ast.RelTimeLt, ast.RelTimeLe, ast.RelTimeGt, ast.RelTimeGe, ast.RelTimeRange:
		return l.table(x, neg, ir.RelTimeIn, attrs.TypeDateTime, l.timeTable(info.Rel, x.Right))
	}
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
	case ast.RelSuffix:
		return ir.RelSuffix
	case ast.RelContains:
		return ir.RelContains
	}
	panic(fmt.Sprintf("ir: unknown relation %d", r))
}

// numRange lowers X NumericInRange [lo, hi] to X NumericGreaterThanEquals lo AND X
// NumericLessThanEquals hi (an OR of the complements when negated): exactly its meaning under
// the single-value rule.
func (l *lowerer) numRange(x *ast.Comparison, neg bool) *ir.Node {
	p := x.Right.(*ast.PairLit)
	left := l.operand(x.Left, attrs.TypeInteger)
	leaf := func(rel ir.Rel, bound *ast.Literal) *ir.Node {
		k := l.constant(attrs.TypeInteger, false, []*ast.Literal{bound})
		// Each bound tests part of the range's text (TextPart).
		return &ir.Node{Kind: ir.Cmp, Span: span(x), Neg: neg, TextNeg: neg, TextPart: true, Cmp: &ir.Comparison{Rel: rel, Type: attrs.TypeInteger, Left: left, Right: ir.Operand{Const: k}}}
	}
	kind := ir.And
	if neg {
		kind = ir.Or
	}
	return &ir.Node{Kind: kind, Span: span(x), Kids: []*ir.Node{leaf(ir.RelGe, p.Lo), leaf(ir.RelLe, p.Hi)}}
}

// list lowers X ListContains v to X ForAnyOfAnyValues:…Equals v and ListNotContains to its
// complement, ForAllOfAllValues:…NotEquals, in the left attribute's type (the checker's).
func (l *lowerer) list(x *ast.Comparison, neg bool) *ir.Node {
	t := x.Left.(*ast.AttrRef).Type
	c := &ir.Comparison{Quant: ir.ForAnyOfAnyValues, Rel: ir.RelEq, Type: t, Left: l.operand(x.Left, t), Right: l.operand(x.Right, t)}
	if x.Op.Info().Negated != neg {
		c.Quant, c.BaseNeg = c.Quant.Dual(), true
	}
	return &ir.Node{Kind: ir.Cmp, Span: span(x), Cmp: c, TextNeg: neg}
}

// table lowers a single-valued test of the left attribute against range table k.
func (l *lowerer) table(x *ast.Comparison, neg bool, rel ir.Rel, t attrs.Type, k int) *ir.Node {
	c := &ir.Comparison{Rel: rel, Type: t, Left: l.operand(x.Left, t), Right: ir.Operand{Const: k}}
	return &ir.Node{Kind: ir.Cmp, Span: span(x), Cmp: c, Neg: x.Op.Info().Negated != neg, TextNeg: neg}
}

// ipTable builds the address range table of an IP operator's right side: every address, CIDR
// and pair as a range, sorted and merged.
func (l *lowerer) ipTable(o ast.Operand) int {
	var rs []ipaddr.Range
	switch o := o.(type) {
	case *ast.Literal:
		rs = append(rs, o.IP)
	case *ast.SetLit:
		for _, e := range o.Elems {
			rs = append(rs, e.IP)
		}
	case *ast.PairLit:
		rs = append(rs, o.IP)
	}
	merged := ipaddr.Merge(rs)
	var key strings.Builder
	key.WriteString("ip")
	for _, r := range merged {
		fmt.Fprintf(&key, "/%x.%x-%x.%x", r.First.Hi, r.First.Lo, r.Last.Hi, r.Last.Lo)
	}
	return l.addConst(key.String(), ir.Constant{Type: attrs.TypeString, IPs: append([]ipaddr.Range{}, merged...)})
}

// timeTable builds the second ranges of a time-of-day operator: each right value v gives the
// times t with t rel v (a pair [from, to] the times between, wrapping midnight when from > to);
// the table is their union.
func (l *lowerer) timeTable(rel ast.Relation, o ast.Operand) int {
	const last = attrs.SecondsPerDay - 1
	var rs []ir.TimeRange
	add := func(from, to int32) {
		if from <= to {
			rs = append(rs, ir.TimeRange{From: from, To: to})
		}
	}
	one := func(v int32) {
		switch rel {
		case ast.RelTimeEq:
			add(v, v)
		case ast.RelTimeLt:
			add(0, v-1)
		case ast.RelTimeLe:
			add(0, v)
		case ast.RelTimeGt:
			add(v+1, last)
		case ast.RelTimeGe:
			add(v, last)
		}
	}
	switch o := o.(type) {
	case *ast.Literal:
		one(o.Seconds)
	case *ast.SetLit:
		for _, e := range o.Elems {
			one(e.Seconds)
		}
	case *ast.PairLit:
		from, to := o.Lo.Seconds, o.Hi.Seconds
		if from <= to {
			add(from, to)
		} else {
			add(0, to)
			add(from, last)
		}
	}
	slices.SortFunc(rs, func(a, b ir.TimeRange) int { return int(a.From - b.From) })
	merged := []ir.TimeRange{}
	for _, r := range rs {
		if n := len(merged); n > 0 && r.From <= merged[n-1].To+1 {
			merged[n-1].To = max(merged[n-1].To, r.To)
			continue
		}
		merged = append(merged, r)
	}
	key := fmt.Sprintf("tod%v", merged)
	return l.addConst(key, ir.Constant{Type: attrs.TypeDateTime, Times: merged})
}

// addConst adds a constant under a dedup key, reusing an equal one.
func (l *lowerer) addConst(key string, c ir.Constant) int {
	if i, ok := l.consts[key]; ok {
		return i
	}
	l.u.Consts = append(l.u.Consts, c)
	l.consts[key] = len(l.u.Consts) - 1
	return len(l.u.Consts) - 1
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
	return l.addConst(key.String(), c)
}
