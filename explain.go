package abacc

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ipaddr"
	"github.com/abacc/abacc/internal/refeval"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// Explanation says why a decision came out as it did: every leaf of the condition in
// evaluation order, with the values it read and its result, or that short-circuiting skipped it.
type Explanation struct {
	Result bool `json:"result"`
	// Blocks are the condition's top-level operands joined by AND (Azure's action-guarded
	// blocks); the first false block decides a false result.
	Blocks []Block `json:"blocks"`
	Steps  []Step  `json:"steps"`
	// Note says why there are no steps (a bundle written without source text).
	Note string `json:"note,omitempty"`
}

// Block is one top-level AND operand of the condition.
type Block struct {
	Source  string `json:"source"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Result  bool   `json:"result"`
	Skipped bool   `json:"skipped,omitempty"`
	// Decided marks the block that made the result false (none when the result is true: then
	// every block held).
	Decided bool `json:"decided,omitempty"`
}

// Step is one leaf of the condition: a comparison, Exists, ActionMatches or SubOperationMatches.
type Step struct {
	// Source is the leaf's text in the condition; Line and Column locate it.
	Source string `json:"source"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Skipped is true when short-circuiting left the leaf unevaluated.
	Skipped bool `json:"skipped,omitempty"`
	Result  bool `json:"result"`
	// Left and Right describe the operands read ("missing" for an absent attribute).
	Left  *Operand `json:"left,omitempty"`
	Right *Operand `json:"right,omitempty"`
	// Action and SubOperation are the request's, for ActionMatches and SubOperationMatches.
	Action       string `json:"action,omitempty"`
	SubOperation string `json:"subOperation,omitempty"`
}

// Operand is the values one side of a comparison read.
type Operand struct {
	Text    string   `json:"text"`
	Present bool     `json:"present"`
	Values  []string `json:"values"`
}

// Explain evaluates the program like Eval and records every step. It allocates; keep it off
// the hot path. Its result always equals Eval's.
func (p *Program) Explain(r *Request) *Explanation {
	ex := &Explanation{}
	if p.expr == nil {
		ex.Result = p.Eval(r)
		ex.Note = "no source text: the bundle was written without sources"
		return ex
	}
	pos := newPositions(p.src)
	decided := false
	for _, b := range blocks(p.expr) {
		blk := Block{Source: clip(oneLine(p.src[b.Pos():b.End()]), 160), Skipped: decided}
		blk.Line, blk.Column = pos.at(int(b.Pos()))
		if !decided {
			blk.Result = refeval.Eval(b, r.v)
			blk.Decided = !blk.Result
			decided = !blk.Result
		}
		ex.Blocks = append(ex.Blocks, blk)
	}
	ex.Result = refeval.EvalTrace(p.expr, r.v, func(ev refeval.Event) {
		st := Step{Source: oneLine(p.src[ev.Node.Pos():ev.Node.End()]), Skipped: ev.Skipped, Result: ev.Result}
		st.Line, st.Column = pos.at(int(ev.Node.Pos()))
		if !ev.Skipped {
			switch n := ev.Node.(type) {
			case *ast.Comparison:
				st.Left = operand(p.src, n.Left, ev.Left)
				st.Right = operand(p.src, n.Right, ev.Right)
				annotate(n, st.Left, ev.Left)
			case *ast.ExistsExpr:
				st.Left = operand(p.src, n.Attr, ev.Left)
			case *ast.MatchesExpr:
				if n.Func == ast.ActionMatches {
					st.Action = r.v.Action()
				} else if r.v.HasSubOp() {
					st.SubOperation = r.v.SubOp()
				} else {
					st.SubOperation = "(none)"
				}
			}
		}
		ex.Steps = append(ex.Steps, st)
	})
	// The bytecode decides. A bundle whose source text does not match its bytecode (written by
	// hand or by another compiler) can make the text's reading differ: say so rather than
	// explain a decision that was not made.
	if got := p.Eval(r); got != ex.Result {
		ex.Result = got
		ex.Note = "the bundle's source text does not match its bytecode: the steps follow the text, the result is the bytecode's"
	}
	return ex
}

// blocks splits the condition at its top-level ANDs (through parentheses).
func blocks(x ast.Expr) []ast.Expr {
	for {
		if p, ok := x.(*ast.ParenExpr); ok {
			if b, ok := unparen(p.X).(*ast.BinaryExpr); ok && b.Op == ast.And {
				x = p.X
				continue
			}
		}
		break
	}
	b, ok := unparen(x).(*ast.BinaryExpr)
	if !ok || b.Op != ast.And {
		return []ast.Expr{x}
	}
	return append(blocks(b.X), blocks(b.Y)...)
}

func unparen(x ast.Expr) ast.Expr {
	for {
		p, ok := x.(*ast.ParenExpr)
		if !ok {
			return x
		}
		x = p.X
	}
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func operand(src string, n ast.Operand, op refeval.Operand) *Operand {
	o := &Operand{Text: oneLine(src[n.Pos():n.End()]), Present: op.Present, Values: []string{}}
	for _, v := range op.Values {
		o.Values = append(o.Values, valueText(v))
	}
	return o
}

// annotate adds to the left values of an extended-dialect comparison what the operator reads
// in them: the UTC time of day of an instant, or that a string is not an IP address.
func annotate(c *ast.Comparison, o *Operand, op refeval.Operand) {
	rel := c.Op.Info().Rel
	for i, v := range op.Values {
		if v.Bad || i >= len(o.Values) {
			continue
		}
		switch rel {
		case ast.RelTimeEq, ast.RelTimeLt, ast.RelTimeLe, ast.RelTimeGt, ast.RelTimeGe, ast.RelTimeRange:
			o.Values[i] += " (time of day " + attrs.FormatTimeOfDay(attrs.TimeOfDay(attrs.Instant(v.Num))) + ")"
		case ast.RelIPMatch, ast.RelIPRange:
			if _, ok := ipaddr.Parse(v.Str); !ok {
				o.Values[i] += " (not an IP address)"
			}
		}
	}
}

func valueText(v refeval.Value) string {
	if v.Bad {
		return fmt.Sprintf("%q (not a %s)", v.BadText, v.Type)
	}
	switch v.Type {
	case attrs.TypeString:
		return fmt.Sprintf("%q", v.Str)
	case attrs.TypeInteger:
		return fmt.Sprint(v.Num)
	case attrs.TypeBoolean:
		return fmt.Sprint(v.Num != 0)
	case attrs.TypeDateTime:
		return attrs.Instant(v.Num).String()
	case attrs.TypeGuid:
		return v.Guid.String()
	}
	return "?"
}

// String renders the explanation for people: one line a step.
func (ex *Explanation) String() string {
	var b strings.Builder
	if ex.Note != "" {
		fmt.Fprintf(&b, "(%s)\n", ex.Note)
	}
	if len(ex.Blocks) > 1 {
		for i, blk := range ex.Blocks {
			state := fmt.Sprint(blk.Result)
			switch {
			case blk.Skipped:
				state = "skipped"
			case blk.Decided:
				state = "false, decides"
			}
			fmt.Fprintf(&b, "block %d at %d:%d: %s\n", i+1, blk.Line, blk.Column, state)
		}
	}
	for _, st := range ex.Steps {
		fmt.Fprintf(&b, "%-7s ", fmt.Sprintf("%d:%d", st.Line, st.Column))
		if st.Skipped {
			fmt.Fprintf(&b, "%-8s %s\n", "skipped", st.Source)
			continue
		}
		fmt.Fprintf(&b, "%-8v %s\n", st.Result, st.Source)
		for _, side := range []struct {
			name string
			o    *Operand
		}{{"left", st.Left}, {"right", st.Right}} {
			if side.o == nil {
				continue
			}
			if !side.o.Present {
				fmt.Fprintf(&b, "%17s%-5s %s is missing\n", "", side.name, side.o.Text)
			} else if strings.HasPrefix(side.o.Text, "@") {
				fmt.Fprintf(&b, "%17s%-5s %s = %s\n", "", side.name, side.o.Text, side.o.valuesText())
			}
		}
		if st.Action != "" {
			fmt.Fprintf(&b, "%17saction = %q\n", "", st.Action)
		}
		if st.SubOperation != "" {
			fmt.Fprintf(&b, "%17ssuboperation = %s\n", "", st.SubOperation)
		}
	}
	return b.String()
}

func (o *Operand) valuesText() string {
	if len(o.Values) == 1 {
		return o.Values[0]
	}
	return "{" + strings.Join(o.Values, ", ") + "}"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// positions turns byte offsets into line and column (in characters) in O(log n) each, so that
// explaining a megabyte-long one-line condition stays linear in its steps.
type positions struct {
	lines []int
	// runes[i] is the number of characters before byte i; nil when the text is ASCII (then
	// characters are bytes).
	runes []int32
}

func newPositions(src string) *positions {
	p := &positions{lines: []int{0}}
	ascii := true
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			p.lines = append(p.lines, i+1)
		}
		ascii = ascii && src[i] < utf8.RuneSelf
	}
	if !ascii {
		p.runes = make([]int32, len(src)+1)
		n := int32(0)
		for i := 0; i < len(src); i++ {
			p.runes[i] = n
			if !utf8.RuneStart(src[i]) {
				continue
			}
			n++
		}
		p.runes[len(src)] = n
	}
	return p
}

func (p *positions) at(off int) (int, int) {
	l := sort.SearchInts(p.lines, off+1) - 1
	if p.runes == nil {
		return l + 1, off - p.lines[l] + 1
	}
	return l + 1, int(p.runes[off]-p.runes[p.lines[l]]) + 1
}
