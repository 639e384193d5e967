package optimize

import (
	"fmt"
	"strings"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/match"
)

// Simplify applies exact boolean identities to AND/OR nodes:
//   - duplicates: a AND a = a, a OR a = a;
//   - complements: a AND NOT a = false, a OR NOT a = true (every leaf's Neg is its exact
//     complement, and a cross product's complement is its dual);
//   - absorption: a AND (a OR b) = a, a OR (a AND b) = a;
//   - contradictions: X StringEquals 'a' AND X StringEquals 'b' = false, since a positive
//     single-valued equality needs X's one value to equal both (likewise for the other
//     equality families, and for sets that do not intersect).
func Simplify(u *ir.Unit) {
	u.Root = rewrite(u.Root, func(n *ir.Node) *ir.Node {
		if n.Kind != ir.And && n.Kind != ir.Or {
			return n
		}
		return normalize(simplify(u, n))
	})
}

func simplify(u *ir.Unit, n *ir.Node) *ir.Node {
	annihilator := n.Kind == ir.Or // a OR NOT a = true; a AND NOT a = false
	seen := map[string]bool{}
	kids := n.Kids[:0:0]
	for _, k := range n.Kids {
		if !k.IsLeaf() {
			kids = append(kids, k)
			continue
		}
		key := leafKey(u, k, false)
		if seen[key] {
			continue
		}
		if seen[leafKey(u, k, true)] {
			return constant(n, annihilator)
		}
		seen[key] = true
		kids = append(kids, k)
	}
	// Absorption: drop a child of the other kind that contains one of our leaves.
	out := kids[:0:0]
	for _, k := range kids {
		if (k.Kind == ir.And || k.Kind == ir.Or) && k.Kind != n.Kind && absorbs(u, k, seen) {
			continue
		}
		out = append(out, k)
	}
	n.Kids = out
	if n.Kind == ir.And && contradictory(u, out) {
		return constant(n, false)
	}
	return n
}

func absorbs(u *ir.Unit, k *ir.Node, seen map[string]bool) bool {
	for _, g := range k.Kids {
		if g.IsLeaf() && seen[leafKey(u, g, false)] {
			return true
		}
	}
	return false
}

// leafKey identifies a leaf by meaning (constants by value); complement gives the key of its
// exact complement.
func leafKey(u *ir.Unit, n *ir.Node, complement bool) string {
	neg := n.Neg
	var b strings.Builder
	switch n.Kind {
	case ir.Cmp:
		c := *n.Cmp
		if complement {
			if c.Quant == ir.NoQuant {
				neg = !neg
			} else {
				c.Quant, c.BaseNeg = c.Quant.Dual(), !c.BaseNeg
			}
		}
		fmt.Fprintf(&b, "C%v/%d/%d/%d/%v/%v/%s/%s", neg, c.Quant, c.Rel, c.Type, c.Fold, c.BaseNeg, operandKey(u, c.Left), operandKey(u, c.Right))
	case ir.Exists:
		if complement {
			neg = !neg
		}
		fmt.Fprintf(&b, "E%v/%s", neg, attrKey(n.Attr))
	default:
		if complement {
			neg = !neg
		}
		fmt.Fprintf(&b, "M%d/%v/%q", n.Kind, neg, n.Patterns)
	}
	return b.String()
}

func attrKey(a ir.Attr) string { return fmt.Sprintf("%d/%d/%q/%d", a.ID, a.Sel, a.Key, a.Type) }

func operandKey(u *ir.Unit, o ir.Operand) string {
	if o.IsAttr {
		return "A" + attrKey(o.Attr)
	}
	k := &u.Consts[o.Const]
	return fmt.Sprintf("K%d/%q/%v/%v/%v/%v", k.Type, k.Strs, k.Nums, k.Guids, k.IPs, k.Times)
}

// contradictory reports whether two positive single-valued equality tests of one attribute in
// an AND admit no common value.
func contradictory(u *ir.Unit, kids []*ir.Node) bool {
	allowed := map[string]map[string]bool{} // attribute -> values it may equal
	for _, k := range kids {
		if k.Kind != ir.Cmp || k.Neg {
			continue
		}
		c := k.Cmp
		if c.Quant != ir.NoQuant || c.Rel != ir.RelEq || !c.Left.IsAttr || c.Right.IsAttr {
			continue
		}
		attr := attrKey(c.Left.Attr) + fmt.Sprint(c.Fold)
		vals := map[string]bool{}
		kc := &u.Consts[c.Right.Const]
		for i := 0; i < kc.Len(); i++ {
			vals[valueKey(kc, i, c.Fold)] = true
		}
		if prev, ok := allowed[attr]; ok {
			for v := range vals {
				if !prev[v] {
					delete(vals, v)
				}
			}
			if len(vals) == 0 {
				return true
			}
		}
		allowed[attr] = vals
	}
	return false
}

func valueKey(k *ir.Constant, i int, fold bool) string {
	switch k.Type {
	case attrs.TypeString:
		if fold {
			return match.FoldString(k.Strs[i])
		}
		return k.Strs[i]
	case attrs.TypeGuid:
		return k.Guids[i].String()
	}
	return fmt.Sprint(k.Nums[i])
}
