// Package printer writes a condition tree in canonical form: canonical casing of keywords,
// operators, functions and sources, AND/OR for &&/||, and a layout that keeps short conditions
// on one line and breaks long ones at parentheses and AND/OR, the way Azure's portal does.
// Parsing the output gives back an equal tree.
package printer

import (
	"strconv"
	"strings"

	"github.com/abacc/abacc/internal/syntax/ast"
)

// Width is the line length beyond which a group is broken over several lines.
const Width = 100

// Options adjust printing.
type Options struct {
	// AttrName, if set, gives the canonical name to print for a resolved attribute reference
	// (the checker's catalog casing); otherwise names print as written.
	AttrName func(*ast.AttrRef) string
}

// Print returns the canonical text of x, ending without a newline. An AND directly under an
// OR is parenthesized (Group), so the output never draws the mixed-AND/OR warning.
func Print(x ast.Expr, opts Options) string {
	p := &printer{opts: opts}
	p.expr(Group(x), 0)
	return p.b.String()
}

// Inline returns x on a single line (grouped like Print).
func Inline(x ast.Expr, opts Options) string {
	p := &printer{opts: opts}
	return p.flat(Group(x))
}

// Group returns x with every AND that is an operand of an OR wrapped in parentheses: the same
// condition (AND binds tighter), written the way the checker asks for (ABAC3005). Nodes on the
// path to a change are copied; x itself is never modified, so a shared tree stays shared.
func Group(x ast.Expr) ast.Expr {
	switch n := x.(type) {
	case *ast.BinaryExpr:
		l, r := Group(n.X), Group(n.Y)
		if n.Op == ast.Or {
			l, r = paren(l), paren(r)
		}
		if l == n.X && r == n.Y {
			return n
		}
		c := *n
		c.X, c.Y = l, r
		return &c
	case *ast.NotExpr:
		if y := Group(n.X); y != n.X {
			c := *n
			c.X = y
			return &c
		}
	case *ast.ParenExpr:
		if y := Group(n.X); y != n.X {
			c := *n
			c.X = y
			return &c
		}
	}
	return x
}

// paren wraps an AND in parentheses.
func paren(x ast.Expr) ast.Expr {
	if b, ok := x.(*ast.BinaryExpr); ok && b.Op == ast.And {
		return &ast.ParenExpr{Lparen: b.Pos(), X: b, Rparen: b.End()}
	}
	return x
}

type printer struct {
	b      strings.Builder
	opts   Options
	widths map[ast.Expr]int
}

// maxIndent caps indentation: deeper groups stay at this level, so that printing n nested
// groups takes O(n) bytes, not O(n²).
const maxIndent = 16

func indent(n int) string { return strings.Repeat("  ", min(n, maxIndent)) }

// expr writes x starting at the current position, whose line is indented by ind levels.
func (p *printer) expr(x ast.Expr, ind int) {
	if p.width(x)+2*ind <= Width {
		p.flatTo(&p.b, x)
		return
	}
	switch x := x.(type) {
	case *ast.ParenExpr:
		p.b.WriteString("(\n" + indent(ind+1))
		p.expr(x.X, ind+1)
		p.b.WriteString("\n" + indent(ind) + ")")
	case *ast.BinaryExpr:
		// A chain of the same operator prints one operand per line.
		ops := chain(x)
		for i, o := range ops {
			if i > 0 {
				p.b.WriteString("\n" + indent(ind) + x.Op.String() + "\n" + indent(ind))
			}
			p.expr(o, ind)
		}
	case *ast.NotExpr:
		if x.Bang {
			p.b.WriteString("!")
		} else {
			p.b.WriteString("NOT ")
		}
		p.expr(x.X, ind)
	default:
		p.flatTo(&p.b, x)
	}
}

// width is the length of x printed flat, memoized so that breaking a deep tree stays linear.
func (p *printer) width(x ast.Expr) int {
	if w, ok := p.widths[x]; ok {
		return w
	}
	var w int
	switch x := x.(type) {
	case *ast.BinaryExpr:
		w = p.width(x.X) + len(x.Op.String()) + 2 + p.width(x.Y)
	case *ast.NotExpr:
		w = p.width(x.X) + 1
		if !x.Bang {
			w += 3
		}
	case *ast.ParenExpr:
		w = p.width(x.X) + 2
	default:
		w = len(p.flat(x))
	}
	if p.widths == nil {
		p.widths = map[ast.Expr]int{}
	}
	p.widths[x] = w
	return w
}

// chain flattens a left-leaning chain of one binary operator into its operands.
func chain(x *ast.BinaryExpr) []ast.Expr {
	var out []ast.Expr
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		if b, ok := e.(*ast.BinaryExpr); ok && b.Op == x.Op {
			walk(b.X)
			out = append(out, b.Y)
			return
		}
		out = append(out, e)
	}
	walk(x)
	return out
}

// flat renders x on one line.
func (p *printer) flat(x ast.Expr) string {
	var b strings.Builder
	p.flatTo(&b, x)
	return b.String()
}

func (p *printer) flatTo(b *strings.Builder, x ast.Expr) {
	switch x := x.(type) {
	case *ast.BinaryExpr:
		p.flatTo(b, x.X)
		b.WriteString(" " + x.Op.String() + " ")
		p.flatTo(b, x.Y)
	case *ast.NotExpr:
		if x.Bang {
			b.WriteString("!")
		} else {
			b.WriteString("NOT ")
		}
		p.flatTo(b, x.X)
	case *ast.ParenExpr:
		b.WriteString("(")
		p.flatTo(b, x.X)
		b.WriteString(")")
	case *ast.ExistsExpr:
		if x.Negated {
			b.WriteString("NotExists ")
		} else {
			b.WriteString("Exists ")
		}
		b.WriteString(p.attr(x.Attr))
	case *ast.MatchesExpr:
		b.WriteString(x.Func.String() + "{")
		for i, l := range x.Patterns {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(literal(l))
		}
		b.WriteString("}")
	case *ast.Comparison:
		b.WriteString(p.operand(x.Left))
		b.WriteString(" ")
		if x.Op.Quant != ast.NoQuant {
			b.WriteString(x.Op.Quant.String() + ":")
		}
		b.WriteString(x.Op.Base.String())
		b.WriteString(" ")
		b.WriteString(p.operand(x.Right))
	case *ast.BadExpr:
		b.WriteString("<bad>")
	}
}

func (p *printer) operand(o ast.Operand) string {
	switch o := o.(type) {
	case *ast.AttrRef:
		return p.attr(o)
	case *ast.Literal:
		return literal(o)
	case *ast.SetLit:
		parts := make([]string, len(o.Elems))
		for i, e := range o.Elems {
			parts[i] = literal(e)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *ast.PairLit:
		return "[" + literal(o.Lo) + ", " + literal(o.Hi) + "]"
	}
	return ""
}

func (p *printer) attr(a *ast.AttrRef) string {
	name := a.Name
	if p.opts.AttrName != nil {
		name = p.opts.AttrName(a)
	}
	src := a.Source.String()
	if src == "" {
		src = a.SourceText
	}
	return "@" + src + "[" + name + "]"
}

func literal(l *ast.Literal) string {
	switch l.Kind {
	case ast.StringLit:
		return "'" + l.Str + "'"
	case ast.IntLit:
		return strconv.FormatInt(l.Int, 10)
	case ast.BoolLit:
		if l.Bool {
			return "true"
		}
		return "false"
	}
	return l.Raw // bare GUID, as written
}
