// Package ast declares the syntax tree of a condition. Every node records the byte span it came
// from; the checker annotates attribute references and literals with their resolved meaning.
package ast

import (
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/ipaddr"
)

// Pos is a byte offset into the source.
type Pos = diag.Pos

// Node is any syntax tree node.
type Node interface {
	Pos() Pos // first byte
	End() Pos // one past the last byte
}

// Expr is a boolean expression.
type Expr interface {
	Node
	exprNode()
}

// Operand is a side of a comparison: *AttrRef, *Literal, *SetLit or *PairLit.
type Operand interface {
	Node
	operandNode()
}

// BinaryKind is AND or OR.
type BinaryKind uint8

// Binary operators.
const (
	And BinaryKind = iota
	Or
)

func (k BinaryKind) String() string {
	if k == And {
		return "AND"
	}
	return "OR"
}

type (
	// BinaryExpr is X AND Y or X OR Y (also written && and ||).
	BinaryExpr struct {
		X     Expr
		OpPos Pos
		Op    BinaryKind
		Text  string // as written: AND, and, &&, ...
		Y     Expr
	}

	// NotExpr is NOT X or !X.
	NotExpr struct {
		OpPos Pos
		Bang  bool   // written as !
		Text  string // as written
		X     Expr
	}

	// ParenExpr is (X).
	ParenExpr struct {
		Lparen Pos
		X      Expr
		Rparen Pos
	}

	// ExistsExpr is Exists @X[...] or NotExists @X[...].
	ExistsExpr struct {
		KwPos   Pos
		Negated bool
		Text    string
		Attr    *AttrRef
	}

	// FuncKind distinguishes ActionMatches from SubOperationMatches.
	FuncKind uint8

	// MatchesExpr is ActionMatches{'p', ...} or SubOperationMatches{'p', ...}.
	MatchesExpr struct {
		KwPos    Pos
		Func     FuncKind
		Text     string
		Lbrace   Pos
		Patterns []*Literal
		Rbrace   Pos
	}

	// Comparison is Left OPERATOR Right.
	Comparison struct {
		Left  Operand
		Op    OperatorRef
		Right Operand
	}

	// BadExpr stands for a part of the input that failed to parse.
	BadExpr struct {
		From, To Pos
	}
)

// Function kinds.
const (
	ActionMatches FuncKind = iota
	SubOperationMatches
)

func (f FuncKind) String() string {
	if f == ActionMatches {
		return "ActionMatches"
	}
	return "SubOperationMatches"
}

// OperatorRef is an operator as written: optional quantifier, then the base operator.
type OperatorRef struct {
	Quant     Quantifier
	QuantPos  Pos
	QuantText string
	Base      Operator
	BasePos   Pos
	BaseText  string
	EndPos    Pos
}

// Pos returns the operator's first byte.
func (o *OperatorRef) Pos() Pos {
	if o.Quant != NoQuant {
		return o.QuantPos
	}
	return o.BasePos
}

// Info returns the base operator's table entry.
func (o *OperatorRef) Info() *OpInfo { return o.Base.Info() }

// String returns the canonical spelling.
func (o *OperatorRef) String() string {
	if o.Quant != NoQuant {
		return o.Quant.String() + ":" + o.Base.String()
	}
	return o.Base.String()
}

type (
	// AttrRef is @Source[name].
	AttrRef struct {
		At         Pos
		SourceText string
		Source     attrs.Source
		NamePos    Pos
		Name       string
		Rbrack     Pos
		// Bad marks a malformed reference the scanner already reported.
		Bad bool
		// Resolved by the checker.
		Ref  attrs.Ref
		Type attrs.Type
	}

	// LitKind is the lexical kind of a literal.
	LitKind uint8

	// Literal is a string, integer, boolean or bare GUID literal.
	Literal struct {
		ValuePos Pos
		EndPos   Pos
		Kind     LitKind
		Raw      string // source text
		Bad      bool   // malformed, already reported
		Str      string // StringLit: the content between the quotes
		Int      int64
		Bool     bool
		// Filled by the checker with the literal's value in its operator's type.
		Type    attrs.Type
		Instant attrs.Instant
		Guid    attrs.Guid
		// Extended-dialect readings of a string literal, by its operator: the address range
		// of an address or CIDR, and the seconds since midnight of a time of day.
		IP      ipaddr.Range
		Seconds int32
	}

	// SetLit is {v1, v2, ...}.
	SetLit struct {
		Lbrace Pos
		Elems  []*Literal
		Rbrace Pos
	}

	// PairLit is the ordered pair [lo, hi] of the extended dialect's …InRange operators.
	PairLit struct {
		Lbrack Pos
		Lo, Hi *Literal
		Rbrack Pos
		// IP is the address range of a pair of addresses, filled by the checker.
		IP ipaddr.Range
	}
)

// Literal kinds.
const (
	StringLit LitKind = iota
	IntLit
	BoolLit
	GuidLit // bare GUID
)

// Positions.

func (x *BinaryExpr) Pos() Pos  { return x.X.Pos() }
func (x *BinaryExpr) End() Pos  { return x.Y.End() }
func (x *NotExpr) Pos() Pos     { return x.OpPos }
func (x *NotExpr) End() Pos     { return x.X.End() }
func (x *ParenExpr) Pos() Pos   { return x.Lparen }
func (x *ParenExpr) End() Pos   { return x.Rparen + 1 }
func (x *ExistsExpr) Pos() Pos  { return x.KwPos }
func (x *ExistsExpr) End() Pos  { return x.Attr.End() }
func (x *MatchesExpr) Pos() Pos { return x.KwPos }
func (x *MatchesExpr) End() Pos { return x.Rbrace + 1 }
func (x *Comparison) Pos() Pos  { return x.Left.Pos() }
func (x *Comparison) End() Pos  { return x.Right.End() }
func (x *BadExpr) Pos() Pos     { return x.From }
func (x *BadExpr) End() Pos     { return x.To }
func (x *AttrRef) Pos() Pos     { return x.At }
func (x *AttrRef) End() Pos     { return x.Rbrack + 1 }
func (x *Literal) Pos() Pos     { return x.ValuePos }
func (x *Literal) End() Pos     { return x.EndPos }
func (x *SetLit) Pos() Pos      { return x.Lbrace }
func (x *SetLit) End() Pos      { return x.Rbrace + 1 }
func (x *PairLit) Pos() Pos     { return x.Lbrack }
func (x *PairLit) End() Pos     { return x.Rbrack + 1 }

func (*BinaryExpr) exprNode()  {}
func (*NotExpr) exprNode()     {}
func (*ParenExpr) exprNode()   {}
func (*ExistsExpr) exprNode()  {}
func (*MatchesExpr) exprNode() {}
func (*Comparison) exprNode()  {}
func (*BadExpr) exprNode()     {}

func (*AttrRef) operandNode() {}
func (*Literal) operandNode() {}
func (*SetLit) operandNode()  {}
func (*PairLit) operandNode() {}

// Inspect walks the tree depth-first, calling f on each expression and operand before its
// children; f returning false skips the children.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	switch x := n.(type) {
	case *BinaryExpr:
		Inspect(x.X, f)
		Inspect(x.Y, f)
	case *NotExpr:
		Inspect(x.X, f)
	case *ParenExpr:
		Inspect(x.X, f)
	case *ExistsExpr:
		Inspect(x.Attr, f)
	case *MatchesExpr:
		for _, p := range x.Patterns {
			Inspect(p, f)
		}
	case *Comparison:
		Inspect(x.Left, f)
		Inspect(x.Right, f)
	case *SetLit:
		for _, e := range x.Elems {
			Inspect(e, f)
		}
	case *PairLit:
		Inspect(x.Lo, f)
		Inspect(x.Hi, f)
	}
}

// Unparen returns x without the parentheses around it.
func Unparen(x Expr) Expr {
	for {
		p, ok := x.(*ParenExpr)
		if !ok {
			return x
		}
		x = p.X
	}
}
