// Package optimize rewrites IR into an equivalent, cheaper IR. Each pass lives in its own file
// and is a named step of an ordered pipeline; tests switch passes off one at a time. Every pass
// preserves the decision for every request: evaluation is total and free of side effects, so
// operands may be dropped, merged and reordered.
package optimize

import "github.com/abacc/abacc/ir"

// Pass is one named rewrite of a unit.
type Pass struct {
	Name string
	Run  func(u *ir.Unit)
}

// All returns the standard pipeline, in order.
func All() []Pass {
	return []Pass{}
}

// Run applies the passes to u in order.
func Run(u *ir.Unit, passes []Pass) {
	for _, p := range passes {
		p.Run(u)
	}
}
