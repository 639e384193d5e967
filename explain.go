package abacc

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/ipaddr"
	"github.com/abacc/abacc/internal/refeval"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/vm"
)

// Explanation says why a decision came out as it did. It is a trace of the compiled program's
// own run: the tests in the order the bytecode executed them, each mapped back to its source
// text with the values it read, then the leaves of the condition that no executed test covered.
// Its Result is the program's decision by construction.
type Explanation struct {
	Result bool `json:"result"`
	// Blocks are the condition's top-level operands joined by AND (Azure's action-guarded
	// blocks); the block whose test ended the run decides a false result.
	Blocks []Block `json:"blocks"`
	Steps  []Step  `json:"steps"`
	// Note says why steps are missing or partial (a bundle written without source text, or
	// bytecode of format 1, whose tests do not say how their text reads).
	Note string `json:"note,omitempty"`
}

// Block is one top-level AND operand of the condition.
type Block struct {
	Source string `json:"source"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Result bool   `json:"result"`
	// Skipped marks a block the run never reached (its result does not matter).
	Skipped bool `json:"skipped,omitempty"`
	// Decided marks the block that made the result false (none when the result is true: then
	// every block held).
	Decided bool `json:"decided,omitempty"`
}

// Step is one executed test of the program (a comparison, Exists, ActionMatches or
// SubOperationMatches, the dispatch on the action), or a leaf of the condition that no executed
// test covered (Skipped).
type Step struct {
	// Source is the source text the test was compiled from; Line and Column locate it.
	Source string `json:"source"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Skipped is true for a leaf no executed test covered: short-circuiting passed it, or the
	// compiler decided it without the request (a duplicate, a constant).
	Skipped bool `json:"skipped,omitempty"`
	// Dispatch marks the jump on the request's action that the optimizer makes of
	// action-guarded blocks; Result says whether some block's action matched.
	Dispatch bool `json:"dispatch,omitempty"`
	// Result is the test's result as its source text reads.
	Result bool `json:"result"`
	// Partial marks a test of part of its text (one bound of a NumericInRange, which compiles
	// to two): Result is that bound's, and the text's is the last such step's.
	Partial bool `json:"partial,omitempty"`
	// Left and Right describe the operands read ("missing" for an absent attribute).
	Left  *Operand `json:"left,omitempty"`
	Right *Operand `json:"right,omitempty"`
	// Action and SubOperation are the request's, for ActionMatches, SubOperationMatches and
	// the dispatch.
	Action       string `json:"action,omitempty"`
	SubOperation string `json:"subOperation,omitempty"`
}

// Operand is the values one side of a comparison read.
type Operand struct {
	Text    string   `json:"text"`
	Present bool     `json:"present"`
	Values  []string `json:"values"`
}

// Explain evaluates the program with a trace and explains the run. It allocates; keep it off
// the hot path. Its result always equals Eval's: it is the same bytecode's decision.
func (p *Program) Explain(r *Request) *Explanation {
	var run trace
	ex := &Explanation{Result: p.code.EvalTrace(r.v, &run)}
	tree := p.syntax()
	if tree == nil {
		ex.Note = "no source text: the bundle was written without sources"
		return ex
	}
	known := p.code.NegationKnown()
	switch {
	case !known:
		ex.Note = "bytecode format 1 or 2: each step's result is its test's raw result, which a NOT may complement"
	case !p.compiled && !p.sourceCompilesToCode():
		ex.Note = "the bundle's source text does not compile to its bytecode: the steps are the bytecode's tests, quoted from that text as it stands"
	}
	pos := newPositions(p.src)
	leaves := leavesOf(tree)
	covered := make([]bool, len(leaves))
	for _, ev := range run {
		info := p.code.Step(ev.pc)
		sp := info.Span
		st := Step{Source: oneLine(p.src[sp.Pos:sp.End]), Result: ev.result != (known && info.NegatedText), Partial: info.PartialText}
		st.Line, st.Column = pos.at(int(sp.Pos))
		inside := leavesIn(leaves, sp)
		switch {
		case info.Switch || info.Matches != vm.MatchesNone:
			// A dispatch, or ActionMatches (SubOperationMatches) tests the optimizer may have
			// merged into one: the span runs from the first to the last, so quote the merged
			// leaves themselves. Merged leaves read alike, all plain (an OR of them) or all
			// complemented (an AND), which FlagNegatedText tells apart.
			var texts []string
			for _, i := range inside {
				if m, ok := leaves[i].leaf.(*ast.MatchesExpr); ok && matchesKind(m.Func) == info.Matches || ok && info.Switch && m.Func == ast.ActionMatches {
					covered[i] = true
					p.describe(&st, m, r)
					texts = append(texts, oneLine(p.src[leaves[i].outer.Pos():leaves[i].outer.End()]))
				}
			}
			if info.Switch {
				// The dispatch's own span is every block it serves: quote the guards it tests.
				st.Dispatch = true
				st.Action = r.v.Action()
				st.Source = clip("dispatch on the action: "+strings.Join(texts, ", "), 240)
			} else if len(texts) > 1 {
				join := " OR "
				if info.NegatedText {
					join = " AND "
				}
				st.Source = strings.Join(texts, join)
			}
		case len(inside) == 1:
			covered[inside[0]] = true
			p.describe(&st, leaves[inside[0]].leaf, r)
		}
		ex.Steps = append(ex.Steps, st)
	}
	for i, l := range leaves {
		if !covered[i] {
			st := Step{Source: oneLine(p.src[l.outer.Pos():l.outer.End()]), Skipped: true}
			st.Line, st.Column = pos.at(int(l.outer.Pos()))
			ex.Steps = append(ex.Steps, st)
		}
	}
	ex.Blocks = p.blocks(tree, ex.Result, run, pos)
	return ex
}

// ExplainReference explains the reference interpreter's decision (EvalReference): every leaf in
// source order, with its value or that short-circuiting skipped it. It is for checking the
// compiler against the language's own reading; Explain explains what the bytecode did.
func (p *Program) ExplainReference(r *Request) *Explanation {
	ex := &Explanation{}
	tree := p.syntax()
	if tree == nil {
		ex.Result = p.Eval(r)
		ex.Note = "no source text: the bundle was written without sources"
		return ex
	}
	pos := newPositions(p.src)
	decided := false
	for _, b := range blocks(tree) {
		blk := Block{Source: clip(oneLine(p.src[b.Pos():b.End()]), 160), Skipped: decided}
		blk.Line, blk.Column = pos.at(int(b.Pos()))
		if !decided {
			blk.Result = refeval.Eval(b, r.v)
			blk.Decided = !blk.Result
			decided = !blk.Result
		}
		ex.Blocks = append(ex.Blocks, blk)
	}
	ex.Result = refeval.EvalTrace(tree, r.v, func(ev refeval.Event) {
		st := Step{Source: oneLine(p.src[ev.Node.Pos():ev.Node.End()]), Skipped: ev.Skipped, Result: ev.Result}
		st.Line, st.Column = pos.at(int(ev.Node.Pos()))
		if !ev.Skipped {
			p.describe(&st, ev.Node, r)
		}
		ex.Steps = append(ex.Steps, st)
	})
	return ex
}

// sourceCompilesToCode reports whether a bundle's source text compiles to the bytecode it came
// with, so that quoting the text for the bytecode's tests is sound. (A program compiled here
// needs no check.)
func (p *Program) sourceCompilesToCode() bool {
	u := compiler.Compile("condition", p.src, compiler.Options{Dialect: ast.Dialect(p.dialect)})
	return u.OK() && u.Internal == nil && bytes.Equal(u.Code.EncodeCode(), p.code.EncodeCode())
}

// describe fills in what leaf x read.
func (p *Program) describe(st *Step, x ast.Expr, r *Request) {
	switch n := x.(type) {
	case *ast.Comparison:
		left := refeval.Read(n.Left, r.v)
		st.Left = operand(p.src, n.Left, left)
		st.Right = operand(p.src, n.Right, refeval.Read(n.Right, r.v))
		annotate(n, st.Left, left)
	case *ast.ExistsExpr:
		st.Left = operand(p.src, n.Attr, refeval.Read(n.Attr, r.v))
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

// blocks says how each top-level block fared. A true result means every block held. A false
// one was decided by the block holding the last executed test (nothing runs after the test
// that sends control to RET_FALSE); every other block that ran a test held, since control
// left it for another block, and the rest were never reached.
func (p *Program) blocks(tree ast.Expr, result bool, run trace, pos *positions) []Block {
	bs := blocks(tree)
	out := make([]Block, len(bs))
	ran := make([]bool, len(bs))
	decided := -1
	for i, ev := range run {
		at := int(p.code.Step(ev.pc).Span.Pos)
		for j, b := range bs {
			if int(b.Pos()) <= at && at < int(b.End()) {
				ran[j] = true
				if i == len(run)-1 && !result {
					decided = j
				}
			}
		}
	}
	for j, b := range bs {
		blk := Block{Source: clip(oneLine(p.src[b.Pos():b.End()]), 160)}
		blk.Line, blk.Column = pos.at(int(b.Pos()))
		switch {
		case result:
			blk.Result = true
		case j == decided:
			blk.Decided = true
		case ran[j]:
			blk.Result = true
		default:
			blk.Skipped = true
		}
		out[j] = blk
	}
	return out
}

// trace records the executed tests of one run.
type trace []traced

type traced struct {
	pc     int
	result bool
}

// Step implements vm.Tracer.
func (t *trace) Step(pc int, result bool) { *t = append(*t, traced{pc, result}) }

// matchesKind is the VM's name for a Matches function.
func matchesKind(f ast.FuncKind) vm.MatchesKind {
	if f == ast.ActionMatches {
		return vm.MatchesAction
	}
	return vm.MatchesSubOperation
}

// leafRef is a leaf of the condition (a comparison, Exists, or a Matches function) and the
// outermost run of NOTs (through parentheses) wrapping it, whose span the compiled test keeps.
type leafRef struct {
	leaf, outer ast.Expr
}

// leavesOf lists the leaves of x in source order.
func leavesOf(x ast.Expr) []leafRef {
	var out []leafRef
	var walk func(ast.Expr)
	walk = func(x ast.Expr) {
		switch n := x.(type) {
		case *ast.ParenExpr:
			walk(n.X)
		case *ast.NotExpr:
			inner := n.X
			for {
				switch m := inner.(type) {
				case *ast.ParenExpr:
					inner = m.X
					continue
				case *ast.NotExpr:
					inner = m.X
					continue
				}
				break
			}
			if _, ok := inner.(*ast.BinaryExpr); ok {
				walk(inner)
				return
			}
			out = append(out, leafRef{inner, n})
		case *ast.BinaryExpr:
			// Long chains are deep on the left: walk the left spine without recursion.
			var rights []ast.Expr
			cur := ast.Expr(n)
			for {
				b, ok := cur.(*ast.BinaryExpr)
				if !ok {
					break
				}
				rights = append(rights, b.Y)
				cur = b.X
			}
			walk(cur)
			for i := len(rights) - 1; i >= 0; i-- {
				walk(rights[i])
			}
		default:
			out = append(out, leafRef{x, x})
		}
	}
	walk(x)
	return out
}

// leavesIn returns the indexes of the leaves (in source order) that lie inside span sp.
func leavesIn(leaves []leafRef, sp vm.Span) []int {
	i := sort.Search(len(leaves), func(i int) bool { return uint32(leaves[i].outer.Pos()) >= sp.Pos })
	var out []int
	for ; i < len(leaves) && uint32(leaves[i].outer.End()) <= sp.End; i++ {
		out = append(out, i)
	}
	return out
}

// blocks splits the condition at its top-level ANDs (through parentheses).
func blocks(x ast.Expr) []ast.Expr {
	for {
		if p, ok := x.(*ast.ParenExpr); ok {
			if b, ok := ast.Unparen(p.X).(*ast.BinaryExpr); ok && b.Op == ast.And {
				x = p.X
				continue
			}
		}
		break
	}
	b, ok := ast.Unparen(x).(*ast.BinaryExpr)
	if !ok || b.Op != ast.And {
		return []ast.Expr{x}
	}
	return append(blocks(b.X), blocks(b.Y)...)
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
		if st.Partial {
			fmt.Fprintf(&b, "%-8v %s (one bound of it)\n", st.Result, st.Source)
		} else {
			fmt.Fprintf(&b, "%-8v %s\n", st.Result, st.Source)
		}
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

// oneLine joins the lines of s with single spaces. Only line breaks and the blanks around them
// go: string literals cannot span lines, so their content (tabs, no-break spaces) stays intact.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var b strings.Builder
	for i, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		line = strings.Trim(line, " \t")
		if line == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(line)
	}
	return b.String()
}

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
