package optimize

import (
	"strings"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/match"
)

// Fold evaluates comparisons of literals on both sides, then removes constants from AND/OR by
// their identities and annihilators. (Double negations never reach the IR: lowering pushes
// every NOT into the leaves.)
func Fold(u *ir.Unit) {
	u.Root = rewrite(u.Root, func(n *ir.Node) *ir.Node {
		if n.Kind == ir.Cmp && !n.Cmp.Right.IsAttr {
			if k := &u.Consts[n.Cmp.Right.Const]; k.Table() {
				// A range table that holds nothing (TimeOfDayLessThan '00:00') admits no value.
				if k.Len() == 0 {
					return constant(n, n.Neg)
				}
				return n
			}
		}
		if n.Kind == ir.Cmp && !n.Cmp.Left.IsAttr && !n.Cmp.Right.IsAttr {
			return constant(n, evalConst(u, n.Cmp) != n.Neg)
		}
		return normalize(n)
	})
}

// evalConst decides a comparison of two constants with the language's rules.
func evalConst(u *ir.Unit, c *ir.Comparison) bool {
	l, r := &u.Consts[c.Left.Const], &u.Consts[c.Right.Const]
	holds := func(i, j int) bool { return relation(c, l, i, r, j) != c.BaseNeg }
	switch c.Quant {
	case ir.NoQuant:
		if l.Len() != 1 {
			return false
		}
		for j := 0; j < r.Len(); j++ {
			if relation(c, l, 0, r, j) {
				return true
			}
		}
		return false
	}
	allL, allR := c.Quant.AllLeft(), c.Quant.AllRight()
	for i := 0; i < l.Len(); i++ {
		inner := allR
		for j := 0; j < r.Len(); j++ {
			if holds(i, j) != allR {
				inner = !allR
				break
			}
		}
		if inner != allL {
			return !allL
		}
	}
	return allL
}

func relation(c *ir.Comparison, l *ir.Constant, i int, r *ir.Constant, j int) bool {
	switch c.Type {
	case attrs.TypeString:
		a, b := l.Strs[i], r.Strs[j]
		switch c.Rel {
		case ir.RelEq:
			if c.Fold {
				return match.EqualFold(a, b)
			}
			return a == b
		case ir.RelPrefix:
			if c.Fold {
				return match.HasPrefixFold(a, b)
			}
			return len(a) >= len(b) && a[:len(b)] == b
		case ir.RelSuffix:
			if c.Fold {
				return match.HasSuffixFold(a, b)
			}
			return len(a) >= len(b) && a[len(a)-len(b):] == b
		case ir.RelContains:
			if c.Fold {
				return match.ContainsFold(a, match.FoldString(b))
			}
			return strings.Contains(a, b)
		case ir.RelLike:
			return match.Like(b, a, c.Fold)
		}
	case attrs.TypeGuid:
		return l.Guids[i] == r.Guids[j]
	default:
		a, b := l.Nums[i], r.Nums[j]
		switch c.Rel {
		case ir.RelEq:
			return a == b
		case ir.RelLt:
			return a < b
		case ir.RelLe:
			return a <= b
		case ir.RelGt:
			return a > b
		case ir.RelGe:
			return a >= b
		}
	}
	return false
}
