// Package ir is abacc's typed, normalized intermediate form. Lowering (package lower) a checked syntax tree
// flattens AND/OR into n-ary nodes, pushes every negation down to the leaves (De Morgan for
// AND/OR, dual quantifiers for cross products, the Not-twin for single-valued comparisons),
// resolves attributes to catalog ids and moves literals into a deduplicated constant table.
// Every node keeps its source span.
package ir

import (
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ipaddr"
)

// Kind is the kind of an IR node.
type Kind uint8

// Node kinds.
const (
	// Const is a boolean constant (after folding).
	Const Kind = iota
	// And and Or are n-ary.
	And
	Or
	// Cmp is a comparison.
	Cmp
	// Exists tests whether an attribute is present.
	Exists
	// Action is ActionMatches: the request's action matches any of Patterns.
	Action
	// SubOp is SubOperationMatches: the request has a suboperation equal to one of Patterns.
	SubOp
	// Switch dispatches on the request's action: the case one of whose (exact, folded)
	// patterns equals the action decides; with none, the result is Value. Only the optimizer
	// creates it, from action-guarded blocks.
	Switch
)

var kindNames = [...]string{"Const", "And", "Or", "Cmp", "Exists", "Action", "SubOp", "Switch"}

func (k Kind) String() string { return kindNames[k] }

// Span is a byte range of the source.
type Span struct{ Pos, End int32 }

// Node is one IR node. Leaves carry Neg: their result is complemented.
type Node struct {
	Kind Kind
	Span Span
	// Kids of And and Or.
	Kids []*Node
	// Value of Const.
	Value bool
	// Neg complements a leaf's result.
	Neg bool
	// TextNeg says that the source text at Span reads as the complement of the leaf's result:
	// the leaf sits under a NOT outside its span (De Morgan carried it down). Explanations use
	// it to report each test as its text reads.
	TextNeg bool
	// TextPart says that the leaf tests only part of the text at Span (one bound of a
	// NumericInRange, which lowers to two): its result alone is not the text's.
	TextPart bool
	// Cmp of a comparison.
	Cmp *Comparison
	// Attr tested by Exists.
	Attr Attr
	// Patterns of Action and SubOp, folded (case-insensitive).
	Patterns []string
	// Cases of a Switch.
	Cases []Case
}

// Case is one arm of a Switch: Body decides when the action equals one of Patterns.
type Case struct {
	Patterns []string
	Body     *Node
}

// Comparison is a comparison leaf.
type Comparison struct {
	// Quant is NoQuant for a single-valued comparison.
	Quant Quant
	// Rel, Type and Fold say what one pair of values is tested for.
	Rel  Rel
	Type attrs.Type
	Fold bool
	// BaseNeg complements each pair's test (the Not-bases of cross products).
	BaseNeg     bool
	Left, Right Operand
}

// Operand is a side of a comparison: an attribute or a constant.
type Operand struct {
	IsAttr bool
	Attr   Attr
	// Const indexes the unit's constant table.
	Const int
}

// Attr is a resolved attribute reference.
type Attr struct {
	ID   attrs.ID
	Sel  attrs.Selector
	Key  string
	Type attrs.Type
	// Untyped attributes store JSON kinds and are converted at evaluation.
	Untyped bool
	// Name is the reference as written, for printing.
	Name string
}

// Constant is a literal or a set literal, typed by its operator family.
type Constant struct {
	Type  attrs.Type
	Set   bool
	Strs  []string // String values as written
	Nums  []int64  // Integer, Boolean (0/1) and DateTime (instants) values
	Guids []attrs.Guid
	// Sorted asks code generation to sort and deduplicate the set for binary search (set by the
	// optimizer's set lowering; order does not matter to a set's meaning).
	Sorted bool
	// IPs is the address range table of a RelIPIn test (Type String: the attribute holds the
	// address as text); Times the second ranges of a RelTimeIn test (Type DateTime). Both are
	// sorted and disjoint; neither is a Set, and Len counts their ranges.
	IPs   []ipaddr.Range
	Times []TimeRange
}

// TimeRange is an inclusive range of times of day, in seconds since midnight UTC.
type TimeRange struct{ From, To int32 }

// Len is the number of values (of ranges, for a table).
func (c *Constant) Len() int {
	return len(c.Strs) + len(c.Nums) + len(c.Guids) + len(c.IPs) + len(c.Times)
}

// Table reports whether the constant is a range table (of a RelIPIn or RelTimeIn test).
func (c *Constant) Table() bool { return c.IPs != nil || c.Times != nil }

// Unit is a lowered condition.
type Unit struct {
	Root   *Node
	Consts []Constant
	Source string
}

// IsLeaf reports whether the node is a test (not And, Or, Const or Switch).
func (n *Node) IsLeaf() bool { return n.Kind >= Cmp && n.Kind != Switch }

// Walk calls f on n and its descendants, depth-first, parents first.
func Walk(n *Node, f func(*Node)) {
	f(n)
	for _, k := range n.Kids {
		Walk(k, f)
	}
	for _, c := range n.Cases {
		Walk(c.Body, f)
	}
}

// Count returns the number of nodes and leaves under n.
func Count(n *Node) (nodes, leaves int) {
	Walk(n, func(m *Node) {
		nodes++
		if m.IsLeaf() {
			leaves++
		}
	})
	return
}
