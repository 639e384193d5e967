package ir

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/abacc/abacc/internal/attrs"
)

// Print renders a unit for debugging (`abacc compile -dump=ir`): one node a line, children
// indented, then the constant table.
func Print(u *Unit) string {
	var b strings.Builder
	printNode(&b, u, u.Root, 0)
	if len(u.Consts) > 0 {
		b.WriteString("constants:\n")
		for i := range u.Consts {
			fmt.Fprintf(&b, "  k%d = %s\n", i, u.Consts[i].String())
		}
	}
	return b.String()
}

func printNode(b *strings.Builder, u *Unit, n *Node, depth int) {
	b.WriteString(strings.Repeat("  ", depth))
	b.WriteString(Describe(u, n))
	b.WriteString("\n")
	for _, k := range n.Kids {
		printNode(b, u, k, depth+1)
	}
	for _, c := range n.Cases {
		fmt.Fprintf(b, "%scase %q:\n", strings.Repeat("  ", depth+1), c.Patterns)
		printNode(b, u, c.Body, depth+2)
	}
}

// Describe renders one node on a line (without its children).
func Describe(u *Unit, n *Node) string {
	not := ""
	if n.Neg {
		not = "NOT "
	}
	switch n.Kind {
	case Const:
		return strconv.FormatBool(n.Value)
	case And, Or:
		return fmt.Sprintf("%s (%d)", n.Kind, len(n.Kids))
	case Switch:
		return fmt.Sprintf("Switch on action (%d cases, otherwise %v)", len(n.Cases), n.Value)
	case Exists:
		return not + "Exists " + n.Attr.Name
	case Action, SubOp:
		name := "ActionMatches"
		if n.Kind == SubOp {
			name = "SubOperationMatches"
		}
		return fmt.Sprintf("%s%s %q", not, name, n.Patterns)
	case Cmp:
		return not + describeCmp(u, n.Cmp)
	}
	return "?"
}

func describeCmp(u *Unit, c *Comparison) string {
	return fmt.Sprintf("%s %s %s", operandText(u, c.Left), OpName(c), operandText(u, c.Right))
}

// OpName names the comparison's operator: its quantifier, then the base as the Not-twin when
// BaseNeg (or with NOT for relations without a twin).
func OpName(c *Comparison) string {
	base := BaseName(c.Type, c.Rel, c.Fold)
	if c.BaseNeg {
		base = negName(base)
	}
	if c.Quant != NoQuant {
		return c.Quant.String() + ":" + base
	}
	return base
}

func negName(base string) string {
	for _, pre := range []string{"String", "Numeric", "Bool", "DateTime", "Guid", "Ip"} {
		if rest, ok := strings.CutPrefix(base, pre); ok && (strings.HasPrefix(rest, "Equals") || strings.HasPrefix(rest, "StartsWith") ||
			strings.HasPrefix(rest, "Like") || strings.HasPrefix(rest, "EndsWith") || strings.HasPrefix(rest, "Contains") || rest == "InRange") {
			return pre + "Not" + rest
		}
	}
	return "NOT(" + base + ")"
}

func operandText(u *Unit, o Operand) string {
	if o.IsAttr {
		return o.Attr.Name
	}
	return "k" + strconv.Itoa(o.Const) + "=" + u.Consts[o.Const].String()
}

// String renders a constant as a literal or set literal.
func (c *Constant) String() string {
	var parts []string
	for _, s := range c.Strs {
		parts = append(parts, "'"+s+"'")
	}
	for _, n := range c.Nums {
		switch c.Type {
		case attrs.TypeBoolean:
			parts = append(parts, strconv.FormatBool(n != 0))
		case attrs.TypeDateTime:
			parts = append(parts, "'"+attrs.Instant(n).String()+"'")
		default:
			parts = append(parts, strconv.FormatInt(n, 10))
		}
	}
	for _, g := range c.Guids {
		parts = append(parts, g.String())
	}
	for _, r := range c.IPs {
		parts = append(parts, r.String())
	}
	for _, r := range c.Times {
		parts = append(parts, attrs.FormatTimeOfDay(r.From)+"-"+attrs.FormatTimeOfDay(r.To))
	}
	if c.IPs != nil || c.Times != nil {
		return "{" + strings.Join(parts, ", ") + "}"
	}
	if c.Set {
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return strings.Join(parts, ", ")
}
