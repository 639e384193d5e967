// Package optimize rewrites IR into an equivalent, cheaper IR. Each pass lives in its own file
// and is a named step of an ordered pipeline; tests switch passes off one at a time. Every pass
// preserves the decision for every request: evaluation is total and free of side effects, so
// operands may be dropped, merged and reordered.
package optimize

import (
	"slices"

	"github.com/abacc/abacc/internal/ir"
)

// Pass is one named rewrite of a unit.
type Pass struct {
	Name string
	Run  func(u *ir.Unit)
}

// All returns the standard pipeline, in order: lowering first (it exposes equalities to
// folding), folding and simplification, ordering, and dispatch on the action last (it keeps
// the order of the blocks' bodies).
func All() []Pass {
	return []Pass{
		{"lower", Lower},
		{"fold", Fold},
		{"simplify", Simplify},
		{"order", Order},
		{"dispatch", Dispatch},
	}
}

// standard is All(), shared by the compilations that switch no pass off.
var standard = All()

// Without returns the standard pipeline minus the named passes. Callers must not modify the
// result: without names it is shared.
func Without(names ...string) []Pass {
	if len(names) == 0 {
		return standard
	}
	var out []Pass
next:
	for _, p := range All() {
		for _, n := range names {
			if p.Name == n {
				continue next
			}
		}
		out = append(out, p)
	}
	return out
}

// Run applies the passes to u in order.
func Run(u *ir.Unit, passes []Pass) {
	for _, p := range passes {
		p.Run(u)
	}
}

// rewrite rebuilds the tree bottom-up with f applied to every node after its children.
func rewrite(n *ir.Node, f func(*ir.Node) *ir.Node) *ir.Node {
	// Pointers are stored only when they change: a store into the tree costs a write barrier
	// while the garbage collector marks, and most nodes come back as they were.
	for i, k := range n.Kids {
		if r := rewrite(k, f); r != k {
			n.Kids[i] = r
		}
	}
	for i := range n.Cases {
		b := n.Cases[i].Body
		if r := rewrite(b, f); r != b {
			n.Cases[i].Body = r
		}
	}
	return f(n)
}

// constant returns a Const node with the span of n.
func constant(n *ir.Node, v bool) *ir.Node {
	return &ir.Node{Kind: ir.Const, Value: v, Span: n.Span}
}

// normalize flattens nested And/Or of the same kind and applies identities and annihilators of
// constants: true AND x = x, false AND x = false, and dually; a single operand stands alone.
func normalize(n *ir.Node) *ir.Node {
	if n.Kind != ir.And && n.Kind != ir.Or {
		return n
	}
	identity := n.Kind == ir.And // true for AND, false for OR
	// Most nodes hold no nested node of their kind and no constant: they keep their operands
	// as they are, and nothing is copied.
	first := slices.IndexFunc(n.Kids, func(k *ir.Node) bool { return k.Kind == n.Kind || k.Kind == ir.Const })
	if first < 0 {
		switch len(n.Kids) {
		case 0:
			return constant(n, identity)
		case 1:
			return n.Kids[0]
		}
		return n
	}
	kids := append(make([]*ir.Node, 0, len(n.Kids)), n.Kids[:first]...)
	for _, k := range n.Kids[first:] {
		switch {
		case k.Kind == n.Kind:
			kids = append(kids, k.Kids...)
		case k.Kind == ir.Const && k.Value == identity:
			// drop
		case k.Kind == ir.Const:
			return constant(n, !identity)
		default:
			kids = append(kids, k)
		}
	}
	switch len(kids) {
	case 0:
		return constant(n, identity)
	case 1:
		return kids[0]
	}
	n.Kids = kids
	return n
}
