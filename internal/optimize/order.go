package optimize

import (
	"math"
	"slices"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ir"
)

// Order reorders the operands of every AND and OR for short-circuiting: the classic rule for
// independent tests is to run first the operand with the least cost per chance of deciding
// (cost / P(false) under AND, cost / P(true) under OR). Costs come from a model of the VM's
// instructions (action, suboperation and boolean or integer tests are cheap; StringLike and
// cross products over large sets are dear) and chances from a rough model of selectivity
// (an ActionMatches names one action among many). Reordering is sound because evaluation is
// total and side-effect free; the property tests prove the decisions unchanged.
func Order(u *ir.Unit) { estimate(u, u.Root) }

// estimate orders n's operands and returns its expected cost and probability of being true.
func estimate(u *ir.Unit, n *ir.Node) (cost, pTrue float64) {
	switch n.Kind {
	case ir.Const:
		if n.Value {
			return 0, 1
		}
		return 0, 0
	case ir.And, ir.Or:
		type scored struct {
			n          *ir.Node
			c, p, rank float64
		}
		var buf [8]scored
		kids := buf[:0]
		and := n.Kind == ir.And
		for _, k := range n.Kids {
			c, p := estimate(u, k)
			decide := p // OR stops on true
			if and {
				decide = 1 - p // AND stops on false
			}
			kids = append(kids, scored{k, c, p, c / math.Max(decide, 1e-3)})
		}
		slices.SortStableFunc(kids, func(a, b scored) int {
			switch {
			case a.rank < b.rank:
				return -1
			case b.rank < a.rank:
				return 1
			}
			return 0
		})
		reach, total := 1.0, 0.0
		for i, s := range kids {
			n.Kids[i] = s.n
			total += reach * s.c
			if and {
				reach *= s.p
			} else {
				reach *= 1 - s.p
			}
		}
		if and {
			return total, reach
		}
		return total, 1 - reach
	}
	if n.Kind == ir.Switch {
		// One search of the action, then one case (costs averaged; ordering inside kept).
		var cost, p float64
		for _, c := range n.Cases {
			cc, cp := estimate(u, c.Body)
			cost += cc
			p += cp
		}
		k := float64(len(n.Cases))
		return 3 + cost/k, p / k
	}
	c, p := leafCost(u, n)
	if n.Neg {
		p = 1 - p
	}
	return c, p
}

// leafCost models one test's cost (in rough VM-instruction units) and its chance of being true
// before any negation.
func leafCost(u *ir.Unit, n *ir.Node) (cost, pTrue float64) {
	switch n.Kind {
	case ir.Action:
		return 2 + float64(len(n.Patterns)), math.Min(0.9, 0.15*float64(len(n.Patterns)))
	case ir.SubOp:
		return 1.5, 0.2
	case ir.Exists:
		return 1, 0.7
	}
	c := n.Cmp
	size := func(o ir.Operand) float64 {
		if o.IsAttr {
			if o.Attr.Sel == attrs.SelKeys {
				return 4
			}
			return 1.5
		}
		return float64(u.Consts[o.Const].Len())
	}
	per := 2.0
	switch c.Type {
	case attrs.TypeString:
		switch c.Rel {
		case ir.RelLike:
			per = 10
		case ir.RelEq:
			per = 3
		default:
			per = 4
		}
		if c.Fold {
			per *= 1.6
		}
	case attrs.TypeDateTime:
		if c.Left.IsAttr && c.Left.Attr.Untyped {
			per = 12 // parsed during evaluation
		}
	}
	l, r := size(c.Left), size(c.Right)
	if c.Rel == ir.RelIPIn || c.Rel == ir.RelTimeIn {
		// A parse (of the address) or a division (of the instant), then a binary search.
		return per + 2*math.Log2(r+1), 0.5
	}
	if c.Quant == ir.NoQuant && c.Left.IsAttr && !c.Right.IsAttr {
		if k := &u.Consts[c.Right.Const]; k.Sorted {
			return per + 2*math.Log2(r), 0.3
		}
		return per * r, 0.3
	}
	if c.Quant == ir.NoQuant {
		l = 1
	}
	return 4 + per*l*r, 0.4
}
