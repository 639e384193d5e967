// Package refeval is the reference interpreter: a plain tree walk over a checked condition that
// implements every rule of the language reference as directly as possible. It is the oracle the
// IR, optimizer and VM are proven against, so it favours clarity over speed and shares no
// matching code with them.
package refeval

import (
	"unicode"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// Event reports one leaf of the condition (comparison, Exists, ActionMatches or
// SubOperationMatches) to a tracer.
type Event struct {
	Node ast.Expr
	// Skipped is true when short-circuiting left the leaf unevaluated.
	Skipped bool
	Result  bool
	// Left and Right are the operand values read (comparisons and Exists only).
	Left, Right Operand
}

// Operand is the values one side of a comparison read.
type Operand struct {
	Present bool
	Values  []Value
	// Pair marks the ordered pair [lo, hi] of an …InRange operator: Values are its two ends.
	Pair bool
}

// Value is one typed value. Bad marks a value of an untyped attribute that cannot be read as
// the operator's type (e.g. the string "abc" compared as a Guid): it satisfies no relation.
type Value struct {
	Type    attrs.Type
	Str     string
	Num     int64 // Integer, Boolean (0/1), DateTime ticks
	Guid    attrs.Guid
	Bad     bool
	BadText string
}

// Eval decides x against request r.
func Eval(x ast.Expr, r *attrs.Vector) bool { return EvalTrace(x, r, nil) }

// EvalTrace decides x against r, calling trace (if not nil) for every leaf in evaluation order,
// including the leaves short-circuiting skipped.
func EvalTrace(x ast.Expr, r *attrs.Vector, trace func(Event)) bool {
	e := &evaluator{r: r, trace: trace}
	return e.eval(x)
}

type evaluator struct {
	r     *attrs.Vector
	trace func(Event)
}

func (e *evaluator) eval(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.BinaryExpr:
		l := e.eval(x.X)
		if (x.Op == ast.And && !l) || (x.Op == ast.Or && l) {
			e.skip(x.Y)
			return l
		}
		return e.eval(x.Y)
	case *ast.NotExpr:
		return !e.eval(x.X)
	case *ast.ParenExpr:
		return e.eval(x.X)
	case *ast.ExistsExpr:
		op := e.operand(x.Attr)
		res := op.Present
		if x.Negated {
			res = !res
		}
		e.emit(Event{Node: x, Result: res, Left: op})
		return res
	case *ast.MatchesExpr:
		res := e.matches(x)
		e.emit(Event{Node: x, Result: res})
		return res
	case *ast.Comparison:
		l, r := e.operand(x.Left), e.operand(x.Right)
		res := compare(&x.Op, l, r)
		e.emit(Event{Node: x, Result: res, Left: l, Right: r})
		return res
	}
	panic("refeval: unchecked tree") // a BadExpr never reaches evaluation: Compile rejects it
}

func (e *evaluator) emit(ev Event) {
	if e.trace != nil {
		e.trace(ev)
	}
}

// skip reports the leaves of a subtree that short-circuiting did not evaluate.
func (e *evaluator) skip(x ast.Expr) {
	if e.trace == nil {
		return
	}
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Comparison, *ast.ExistsExpr, *ast.MatchesExpr:
			e.trace(Event{Node: n.(ast.Expr), Skipped: true})
			return false
		}
		return true
	})
}

func (e *evaluator) matches(x *ast.MatchesExpr) bool {
	for _, p := range x.Patterns {
		if x.Func == ast.ActionMatches {
			if actionMatch(p.Str, e.r.Action()) {
				return true
			}
		} else if e.r.HasSubOp() && fold(p.Str) == fold(e.r.SubOp()) {
			return true
		}
	}
	return false
}

// operand reads the values of one side of a comparison.
func (e *evaluator) operand(o ast.Operand) Operand {
	switch o := o.(type) {
	case *ast.Literal:
		return Operand{Present: true, Values: []Value{literalValue(o)}}
	case *ast.SetLit:
		vs := make([]Value, len(o.Elems))
		for i, l := range o.Elems {
			vs[i] = literalValue(l)
		}
		return Operand{Present: true, Values: vs}
	case *ast.AttrRef:
		return e.attr(o)
	case *ast.PairLit:
		return Operand{Present: true, Pair: true, Values: []Value{literalValue(o.Lo), literalValue(o.Hi)}}
	}
	panic("refeval: unknown operand")
}

func literalValue(l *ast.Literal) Value {
	v := Value{Type: l.Type}
	switch l.Type {
	case attrs.TypeString:
		v.Str = l.Str
	case attrs.TypeInteger:
		v.Num = l.Int
	case attrs.TypeBoolean:
		v.Num = b2i(l.Bool)
	case attrs.TypeDateTime:
		v.Num = int64(l.Instant)
	case attrs.TypeGuid:
		v.Guid = l.Guid
	}
	return v
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (e *evaluator) attr(a *ast.AttrRef) Operand {
	r := e.r
	var slot attrs.Slot
	switch a.Ref.Sel {
	case attrs.SelValue:
		slot = r.Slot(a.Ref.ID)
	case attrs.SelKey:
		if !r.Slot(a.Ref.ID).Present {
			return Operand{}
		}
		slot = r.Entry(a.Ref.ID, a.Ref.Key)
	case attrs.SelKeys:
		if !r.Slot(a.Ref.ID).Present {
			return Operand{}
		}
		op := Operand{Present: true}
		for _, en := range r.Entries(a.Ref.ID) {
			op.Values = append(op.Values, Value{Type: attrs.TypeString, Str: en.Key})
		}
		return op
	}
	if !slot.Present {
		return Operand{}
	}
	op := Operand{Present: true}
	for i := uint32(0); i < slot.N; i++ {
		op.Values = append(op.Values, convert(r, slot, i, a.Type))
	}
	return op
}

// convert reads value i of a slot as type want. Catalog-typed attributes are stored in their
// type; untyped ones keep their JSON kind, and strings are parsed as DateTime or Guid here.
func convert(r *attrs.Vector, s attrs.Slot, i uint32, want attrs.Type) Value {
	v := Value{Type: want}
	switch s.Kind {
	case attrs.TypeString:
		str := r.Str(s.Off + i)
		switch want {
		case attrs.TypeString:
			v.Str = str
		case attrs.TypeDateTime:
			t, err := attrs.ParseDateTime(str)
			if err != nil {
				return Value{Type: want, Bad: true, BadText: str}
			}
			v.Num = int64(t)
		case attrs.TypeGuid:
			g, err := attrs.ParseGuid(str)
			if err != nil {
				return Value{Type: want, Bad: true, BadText: str}
			}
			v.Guid = g
		default:
			return Value{Type: want, Bad: true, BadText: str}
		}
	case attrs.TypeInteger, attrs.TypeBoolean, attrs.TypeDateTime:
		if s.Kind != want {
			return Value{Type: want, Bad: true, BadText: s.Kind.String()}
		}
		v.Num = r.Num(s.Off + i)
	case attrs.TypeGuid:
		if want != attrs.TypeGuid {
			return Value{Type: want, Bad: true, BadText: "Guid"}
		}
		v.Guid = r.GuidAt(s.Off + i)
	}
	return v
}

// compare applies a comparison operator to the values of its two sides.
func compare(op *ast.OperatorRef, l, r Operand) bool {
	info := op.Info()
	if info.Right != ast.RightValues {
		// The extended dialect's operators (extended.go): exact negations of their positive
		// forms, none of them quantified.
		return extended(info, l, r) != info.Negated
	}
	holds := func(a, b Value) bool { return relation(info, a, b) != info.Negated }
	switch op.Quant {
	case ast.NoQuant:
		// The positive operator needs exactly one left value related to some right value; the
		// Not-operator is its exact complement.
		pos := false
		if len(l.Values) == 1 {
			for _, b := range r.Values {
				if relation(info, l.Values[0], b) {
					pos = true
					break
				}
			}
		}
		return pos != info.Negated
	case ast.ForAnyOfAnyValues:
		return exists(l.Values, func(a Value) bool { return exists(r.Values, func(b Value) bool { return holds(a, b) }) })
	case ast.ForAllOfAnyValues:
		return forall(l.Values, func(a Value) bool { return exists(r.Values, func(b Value) bool { return holds(a, b) }) })
	case ast.ForAnyOfAllValues:
		return exists(l.Values, func(a Value) bool { return forall(r.Values, func(b Value) bool { return holds(a, b) }) })
	case ast.ForAllOfAllValues:
		return forall(l.Values, func(a Value) bool { return forall(r.Values, func(b Value) bool { return holds(a, b) }) })
	}
	panic("refeval: bad quantifier")
}

func exists(vs []Value, f func(Value) bool) bool {
	for _, v := range vs {
		if f(v) {
			return true
		}
	}
	return false
}

func forall(vs []Value, f func(Value) bool) bool {
	for _, v := range vs {
		if !f(v) {
			return false
		}
	}
	return true
}

// relation tests the positive relation of an operator between one left and one right value.
func relation(info *ast.OpInfo, a, b Value) bool {
	if a.Bad || b.Bad {
		return false
	}
	switch info.Type {
	case attrs.TypeString:
		x, y := a.Str, b.Str
		if info.IgnoreCase {
			x, y = fold(x), fold(y)
		}
		switch info.Rel {
		case ast.RelEq:
			return x == y
		case ast.RelPrefix:
			return len(x) >= len(y) && x[:len(y)] == y
		case ast.RelSuffix:
			return len(x) >= len(y) && x[len(x)-len(y):] == y
		case ast.RelContains:
			return contains(x, y)
		case ast.RelLike:
			return like(y, x)
		}
	case attrs.TypeGuid:
		return a.Guid == b.Guid
	default: // Integer, Boolean, DateTime
		switch info.Rel {
		case ast.RelEq:
			return a.Num == b.Num
		case ast.RelLt:
			return a.Num < b.Num
		case ast.RelLe:
			return a.Num <= b.Num
		case ast.RelGt:
			return a.Num > b.Num
		case ast.RelGe:
			return a.Num >= b.Num
		}
	}
	panic("refeval: bad relation")
}

// fold maps every character to the smallest member of its Unicode simple case folding orbit,
// so fold(a) == fold(b) exactly when a and b are equal under simple case folding.
func fold(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < m {
				m = f
			}
		}
		out = append(out, m)
	}
	return string(out)
}

// Read returns the values operand o reads from r (a literal reads itself). It decides nothing:
// explanations use it to show what a test of the compiled program saw.
func Read(o ast.Operand, r *attrs.Vector) Operand { return (&evaluator{r: r}).operand(o) }
