package check

import (
	"errors"
	"fmt"
	"strings"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/ipaddr"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// extended checks a comparison whose operator takes something other than plain values on its
// right: the IP, time-of-day, numeric-range and list operators of the extended dialect
// (RATIONALE.md, "The extended dialect"). Their left side is an attribute; the list operators'
// type comes from it, the others' right side is literals read into addresses, times or bounds.
func (c *checker) extended(x *ast.Comparison) {
	op := &x.Op
	info := op.Info()
	if info.Right == ast.RightMembers {
		c.list(x)
		return
	}
	switch l := x.Left.(type) {
	case *ast.AttrRef:
		c.operand(x, l, true, info.Type)
	default:
		c.errs.Errorf(diag.BadOperand, l.Pos(), l.End(), fmt.Sprintf("write @Source[name] %s …", op.Base),
			"%s compares an attribute on its left with literals on its right, not %s", op.Base, operandKind(l))
	}
	switch r := x.Right.(type) {
	case *ast.AttrRef:
		c.resolve(r)
		c.errs.Errorf(diag.BadOperand, r.Pos(), r.End(), rightHint(info.Right),
			"%s compares with literals (its ranges are built when the condition compiles), not with an attribute", op.Base)
	case *ast.Literal:
		c.rightLiteral(op, r)
	case *ast.SetLit:
		if info.Right.Pair() && info.Right != ast.RightAddressRange {
			c.errs.Errorf(diag.BadRange, r.Pos(), r.End(), rightHint(info.Right), "%s takes a pair [from, to], not a set", op.Base)
			return
		}
		for _, e := range r.Elems {
			c.rightLiteral(op, e)
		}
	case *ast.PairLit:
		if !info.Right.Pair() {
			c.misplacedPair(r, op)
			return
		}
		c.pair(op, r)
	}
}

// operandKind names an operand's kind for messages.
func operandKind(o ast.Operand) string {
	switch o.(type) {
	case *ast.SetLit:
		return "a set"
	case *ast.PairLit:
		return "a pair"
	case *ast.AttrRef:
		return "an attribute"
	}
	return "a literal"
}

// rightHint shows what an extended operator takes on its right.
func rightHint(f ast.RightForm) string {
	switch f {
	case ast.RightAddresses:
		return "write an address or CIDR, or a set of them: '10.0.0.0/8', {'10.0.0.0/8', '2001:db8::/32'}"
	case ast.RightAddressRange:
		return "write a pair of addresses ['10.0.0.1', '10.0.0.10'], a CIDR '10.0.0.0/8', or a set of CIDRs"
	case ast.RightTimes:
		return "write a time of day in UTC, 'hh:mm' or 'hh:mm:ss', or a set of them"
	case ast.RightTimeRange:
		return "write a pair of times of day in UTC: ['08:00', '18:00'] (['22:00', '06:00'] wraps midnight)"
	case ast.RightIntRange:
		return "write a pair of integers: [lo, hi], lo ≤ hi"
	}
	return ""
}

// rightLiteral reads one literal of an extended operator's right side (alone or in a set).
func (c *checker) rightLiteral(op *ast.OperatorRef, l *ast.Literal) {
	if l.Bad {
		return
	}
	f := op.Info().Right
	if f == ast.RightIntRange {
		c.errs.Errorf(diag.BadRange, l.Pos(), l.End(), rightHint(f), "%s takes a pair [lo, hi], not a single value", op.Base)
		return
	}
	if l.Kind != ast.StringLit {
		c.errorf(diag.TypeMismatch, l, "quote it: '"+l.Raw+"'", "%s compares with a quoted %s, but %s is %s literal", op.Base, literalWhat(f), l.Raw, litKindNames[l.Kind])
		return
	}
	switch f {
	case ast.RightAddresses, ast.RightAddressRange:
		r, err := ipaddr.ParseLiteral(l.Str)
		if err != nil {
			c.addressError(l, err)
			return
		}
		l.IP = r
	case ast.RightTimes:
		sec, ok := c.timeOfDay(l)
		if !ok {
			return
		}
		l.Seconds = sec
	case ast.RightTimeRange:
		hint := rightHint(f)
		if from, to, ok := strings.Cut(l.Str, "-"); ok {
			hint = fmt.Sprintf("a time range is a pair: ['%s', '%s']", strings.TrimSpace(from), strings.TrimSpace(to))
		}
		c.errorf(diag.BadTimeOfDay, l, hint, "%s takes a pair of times of day [from, to], not the string %s", op.Base, diag.Clip(l.Raw))
		return
	}
	l.Type = attrs.TypeString
}

func literalWhat(f ast.RightForm) string {
	if f == ast.RightTimes || f == ast.RightTimeRange {
		return "time of day"
	}
	return "address"
}

// addressError reports a malformed address or CIDR literal.
func (c *checker) addressError(l *ast.Literal, err error) {
	var le *ipaddr.LiteralError
	hint := ""
	if errors.As(err, &le) {
		hint = le.Hint
	}
	c.errorf(diag.BadAddress, l, hint, "bad address %s: %s", diag.Clip(l.Raw), err.Error())
}

// timeOfDay reads a time-of-day literal.
func (c *checker) timeOfDay(l *ast.Literal) (int32, bool) {
	sec, err := attrs.ParseTimeOfDay(l.Str)
	if err != nil {
		hint := "write 'hh:mm' or 'hh:mm:ss' in UTC, two digits each, 00:00 to 23:59:59"
		if strings.Contains(l.Str, "-") && len(l.Str) > 8 {
			hint = "a time range is a pair after TimeOfDayInRange: ['08:00', '18:00']"
		}
		c.errorf(diag.BadTimeOfDay, l, hint, "bad time of day %s: %v", diag.Clip(l.Raw), err)
		return 0, false
	}
	return sec, true
}

// pair reads the pair of an …InRange operator.
func (c *checker) pair(op *ast.OperatorRef, p *ast.PairLit) {
	f := op.Info().Right
	for _, l := range []*ast.Literal{p.Lo, p.Hi} {
		if l.Bad {
			return
		}
		want, what := ast.StringLit, literalWhat(f)
		if f == ast.RightIntRange {
			want, what = ast.IntLit, "integer"
		}
		if l.Kind != want {
			hint := "quote it: '" + l.Raw + "'"
			if want == ast.IntLit {
				hint = ""
				if l.Kind == ast.StringLit && isInteger(l.Str) {
					hint = "remove the quotes: " + l.Str
				}
			}
			c.errorf(diag.TypeMismatch, l, hint, "%s takes a pair of %s values, but %s is %s literal", op.Base, what, l.Raw, litKindNames[l.Kind])
			return
		}
	}
	switch f {
	case ast.RightAddressRange:
		r, loErr, hiErr, err := ipaddr.ParsePair(p.Lo.Str, p.Hi.Str)
		switch {
		case loErr != nil:
			c.addressError(p.Lo, loErr)
		case hiErr != nil:
			c.addressError(p.Hi, hiErr)
		case err == ipaddr.ErrReversed:
			c.errorf(diag.BadRange, p, fmt.Sprintf("write ['%s', '%s']", p.Hi.Str, p.Lo.Str), "the range's low end %s is above its high end %s", p.Lo.Raw, p.Hi.Raw)
		case err != nil:
			c.errorf(diag.BadAddress, p, err.(*ipaddr.LiteralError).Hint, "bad address range [%s, %s]: %v", diag.Clip(p.Lo.Raw), diag.Clip(p.Hi.Raw), err)
		default:
			p.IP = r
			p.Lo.Type, p.Hi.Type = attrs.TypeString, attrs.TypeString
			p.Lo.IP, p.Hi.IP = ipaddr.Range{First: r.First, Last: r.First}, ipaddr.Range{First: r.Last, Last: r.Last}
		}
	case ast.RightTimeRange:
		from, ok1 := c.timeOfDay(p.Lo)
		to, ok2 := c.timeOfDay(p.Hi)
		if ok1 && ok2 {
			p.Lo.Seconds, p.Hi.Seconds = from, to
			p.Lo.Type, p.Hi.Type = attrs.TypeString, attrs.TypeString
		}
	case ast.RightIntRange:
		if p.Lo.Int > p.Hi.Int {
			c.errorf(diag.BadRange, p, fmt.Sprintf("write [%d, %d]", p.Hi.Int, p.Lo.Int), "the range's low end %d is above its high end %d", p.Lo.Int, p.Hi.Int)
			return
		}
		p.Lo.Type, p.Hi.Type = attrs.TypeInteger, attrs.TypeInteger
	}
}

// list checks ListContains and ListNotContains: a multi-valued attribute on the left, values of
// its type (or, for an untyped attribute, of the right literal's kind) on the right.
func (c *checker) list(x *ast.Comparison) {
	op := &x.Op
	a, ok := x.Left.(*ast.AttrRef)
	if !ok {
		c.errs.Errorf(diag.BadOperand, x.Left.Pos(), x.Left.End(), fmt.Sprintf("write @Source[name] %s …", op.Base),
			"%s tests the values of a multi-valued attribute on its left, not %s", op.Base, operandKind(x.Left))
		c.resolveOperand(x.Right)
		return
	}
	if !c.resolve(a) {
		c.resolveOperand(x.Right)
		return
	}
	t := a.Ref.Type
	if t == attrs.Untyped {
		t = c.memberType(x.Right)
	}
	if !a.Ref.Multi && a.Ref.Type != attrs.Untyped {
		c.errorf(diag.BadOperand, a, equalityHint(a.Ref.Type),
			"@%s[%s] holds one value; %s tests a multi-valued attribute", a.Source, a.Name, op.Base)
		c.resolveOperand(x.Right)
		return
	}
	c.operand(x, a, true, t)
	if p, ok := x.Right.(*ast.PairLit); ok {
		c.misplacedPair(p, op)
		return
	}
	c.operand(x, x.Right, false, t)
}

// memberType is the type a list operator compares an untyped attribute's values as: the kind
// of the literal (or set) on the right, a typed attribute's type, else String.
func (c *checker) memberType(o ast.Operand) attrs.Type {
	kind := func(l *ast.Literal) attrs.Type {
		switch l.Kind {
		case ast.IntLit:
			return attrs.TypeInteger
		case ast.BoolLit:
			return attrs.TypeBoolean
		case ast.GuidLit:
			return attrs.TypeGuid
		}
		return attrs.TypeString
	}
	switch o := o.(type) {
	case *ast.Literal:
		return kind(o)
	case *ast.SetLit:
		if len(o.Elems) > 0 {
			return kind(o.Elems[0])
		}
	case *ast.AttrRef:
		if ref, err := c.cat.Resolve(o.Source, o.Name); err == nil && ref.Type != attrs.Untyped {
			return ref.Type
		}
	}
	return attrs.TypeString
}

// equalityHint names the single-valued equality operator for a type.
func equalityHint(t attrs.Type) string {
	switch t {
	case attrs.TypeInteger:
		return "compare one value with NumericEquals"
	case attrs.TypeBoolean:
		return "compare one value with BoolEquals"
	case attrs.TypeDateTime:
		return "compare one value with DateTimeEquals"
	case attrs.TypeGuid:
		return "compare one value with GuidEquals"
	}
	return "compare one value with StringEquals"
}
