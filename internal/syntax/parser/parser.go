// Package parser is a recursive-descent parser for condition version 2.0. It builds an ast.Expr,
// reports syntax errors with positions and hints, and resynchronizes at AND, OR and ')' so that
// one run reports several independent errors.
package parser

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/slab"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/syntax/scanner"
)

// Limits of the language reference.
const (
	MaxSource  = 1 << 20 // bytes
	MaxNesting = 1000    // levels of parentheses and NOT
	MaxSet     = 65536   // members of one set
)

// maxSyntaxErrors stops parsing after this many syntax errors: beyond a handful, later
// errors are mostly echoes of the first ones.
const maxSyntaxErrors = 10

// bailout unwinds the parser when it must stop (nesting limit, too many errors).
type bailout struct{}

type parser struct {
	sc     scanner.Scanner
	errs   *diag.List
	tok    scanner.Token
	depth  int
	syntax int
	// lits collects the members of the set or pattern list being parsed (lists do not nest),
	// which then get one array of the exact length.
	lits []*ast.Literal
	// mem holds the nodes. The parser itself lives on its caller's stack, so that the tokens
	// it copies cost no write barriers while the garbage collector marks.
	mem *nodes
}

// nodes are the slabs the parser allocates nodes from. They hold as many nodes as the source's
// characters suggest (see reserve); nodes beyond are allocated one by one (alloc), so that an
// estimate too low wastes nothing.
type nodes struct {
	litSlab     slab.Slab[ast.Literal]
	litPtrs     slab.Slab[*ast.Literal]
	binarySlab  slab.Slab[ast.BinaryExpr]
	parenSlab   slab.Slab[ast.ParenExpr]
	notSlab     slab.Slab[ast.NotExpr]
	setSlab     slab.Slab[ast.SetLit]
	matchesSlab slab.Slab[ast.MatchesExpr]
	attrCmpSlab slab.Slab[attrComparison]
	// reuse is set for a Scratch's nodes.
	reuse bool
}

// attrComparison is a comparison that starts with an attribute, which most do: the two are
// allocated together.
type attrComparison struct {
	c ast.Comparison
	a ast.AttrRef
}

// alloc returns a new zero T from s while it lasts, else from the heap; or, for a scratch
// parser, from s in any case (its chunks are reused, so a larger one is no waste).
func alloc[T any](m *nodes, s *slab.Slab[T]) *T {
	if m.reuse || s.Left() > 0 {
		return s.New()
	}
	return new(T)
}

// reserve sizes the slabs from counts of characters and words of src: a literal (and at most
// a list entry) per pair of quotes; a comparison that starts with an attribute per '@' that
// starts an operand (attrStarts); a binary operator per leaf but one, leaves being those
// comparisons, Exists and matchers ("Matches"); a parenthesized expression per '('; a
// negation per '!' or "NOT "; a matcher per "Matches" and a set per other '{'. Characters
// inside string literals can make an estimate too high, which leaves a few nodes unused.
func (p *parser) reserve(src string) {
	strs := strings.Count(src, "'") / 2
	comparisons, exists := attrStarts(src)
	matches := strings.Count(src, "Matches")
	p.mem.litSlab.Reserve(strs)
	p.mem.litPtrs.Reserve(strs)
	p.mem.attrCmpSlab.Reserve(comparisons)
	p.mem.binarySlab.Reserve(comparisons + exists + matches - 1)
	p.mem.parenSlab.Reserve(strings.Count(src, "("))
	p.mem.notSlab.Reserve(strings.Count(src, "!") + strings.Count(src, "NOT "))
	p.mem.matchesSlab.Reserve(matches)
	p.mem.setSlab.Reserve(strings.Count(src, "{") - matches)
}

// attrStarts counts the '@' of src that start a comparison and those that follow Exists or
// NotExists, by the word before each: a comparison starts the condition, or follows '(', '!',
// '&&', '||', AND, OR or NOT; an '@' after anything else (an operator: the right side of a
// comparison, or text in a string literal) is counted in neither.
func attrStarts(src string) (comparisons, exists int) {
	for i := 0; ; i++ {
		j := strings.IndexByte(src[i:], '@')
		if j < 0 {
			return comparisons, exists
		}
		i += j
		before := strings.TrimRight(src[:i], " \t\r\n")
		if before == "" {
			comparisons++
			continue
		}
		switch before[len(before)-1] {
		case '(', '!', '&', '|':
			comparisons++
			continue
		}
		k := len(before)
		for k > 0 && isWordByte(before[k-1]) {
			k--
		}
		switch word := before[k:]; {
		case strings.EqualFold(word, "AND"), strings.EqualFold(word, "OR"), strings.EqualFold(word, "NOT"):
			comparisons++
		case strings.EqualFold(word, "Exists"), strings.EqualFold(word, "NotExists"):
			exists++
		}
	}
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// Parse parses a whole condition. The returned tree is nil only when nothing usable was parsed;
// errs holds every diagnostic.
func Parse(src string, errs *diag.List) ast.Expr {
	p := parser{mem: new(nodes)}
	return p.parse(src, errs)
}

// Scratch is a parser whose nodes are reused from one Parse to the next, for callers that drop
// each tree before they parse again (compiling to bytecode): after warm-up, parsing a
// condition no larger than earlier ones allocates nothing for its tree. The zero Scratch is
// ready to use; it is not safe for concurrent use.
type Scratch struct {
	mem  nodes
	lits []*ast.Literal
}

// Parse is the package's Parse with the scratch's memory: the tree it returns is valid only
// until the next call.
func (s *Scratch) Parse(src string, errs *diag.List) ast.Expr {
	m := &s.mem
	m.reuse = true
	m.litSlab.Rewind()
	m.litPtrs.Rewind()
	m.binarySlab.Rewind()
	m.parenSlab.Rewind()
	m.notSlab.Rewind()
	m.setSlab.Rewind()
	m.matchesSlab.Rewind()
	m.attrCmpSlab.Rewind()
	clear(s.lits[:cap(s.lits)])
	p := parser{mem: m, lits: s.lits[:0]}
	x := p.parse(src, errs)
	s.lits = p.lits
	return x
}

// parse parses src with p, whose nodes are fresh or rewound and whose other fields are zero.
func (p *parser) parse(src string, errs *diag.List) (expr ast.Expr) {
	if len(src) > MaxSource {
		errs.Errorf(diag.TooLarge, 0, 0, "split the condition; Azure itself accepts at most 8 KiB",
			"condition is %d bytes; the limit is %d (1 MiB)", len(src), MaxSource)
		return nil
	}
	p.errs = errs
	p.sc.Reset(src, errs)
	if !p.mem.reuse {
		// A scratch parser needs no estimate: its slabs grow to the largest tree it has built
		// and are reused, and counting characters is a tenth of parsing.
		p.reserve(src)
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			expr = nil
		}
	}()
	p.next()
	if p.tok.Kind == scanner.EOF {
		p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "write a condition such as @Resource[...] StringEquals 'value'", "empty condition")
		return nil
	}
	x := p.parseOr()
	if p.tok.Kind != scanner.EOF {
		switch {
		case p.tok.Kind == scanner.RParen:
			p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "remove it or add the matching '('", "unmatched ')'")
		case p.comparisonStart():
			p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "join conditions with AND or OR", "expected AND, OR or end of input, found %s", p.describe())
		default:
			p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "", "expected AND, OR or end of input, found %s", p.describe())
		}
	}
	return x
}

func (p *parser) next() {
	for {
		p.tok = p.sc.Next()
		// The scanner already reported illegal characters; skip them here so the parser does not
		// report the same spot twice.
		if p.tok.Kind != scanner.Illegal || p.errs.Full() {
			return
		}
	}
}

func (p *parser) errorf(code diag.Code, pos, end diag.Pos, hint, format string, args ...any) {
	p.errs.Errorf(code, pos, end, hint, format, args...)
	if code == diag.Syntax || code == diag.Unclosed {
		p.syntax++
		if p.syntax >= maxSyntaxErrors || p.errs.Full() {
			panic(bailout{})
		}
	}
}

// describe names the current token for error messages.
func (p *parser) describe() string {
	switch p.tok.Kind {
	case scanner.EOF:
		return "end of input"
	case scanner.Ident, scanner.Int, scanner.Guid:
		return fmt.Sprintf("%q", p.tok.Text)
	case scanner.String:
		return "string " + clipText(p.tok.Text)
	case scanner.Attr:
		return "attribute " + clipText(p.tok.Text)
	}
	return p.tok.Kind.String()
}

// clipText shortens a token's text for a message to about 60 bytes, cutting at a character
// boundary so that the message stays valid UTF-8.
func clipText(s string) string {
	if len(s) <= 60 {
		return s
	}
	n := 57
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

func (p *parser) isKeyword(words ...string) bool {
	if p.tok.Kind != scanner.Ident {
		return false
	}
	// Identifiers are never empty; the keywords start with an ASCII letter, which an ASCII
	// first byte matches only as that letter in either case, so most words are told apart
	// without calling EqualFold.
	c := p.tok.Text[0] | 0x20 // lower-cases an ASCII letter
	for _, w := range words {
		if p.tok.Text[0] < utf8.RuneSelf && c != w[0]|0x20 {
			continue
		}
		if strings.EqualFold(p.tok.Text, w) {
			return true
		}
	}
	return false
}

func (p *parser) isAnd() bool { return p.tok.Kind == scanner.AndAnd || p.isKeyword("AND") }
func (p *parser) isOr() bool  { return p.tok.Kind == scanner.OrOr || p.isKeyword("OR") }

// comparisonStart reports whether the token can start a term.
func (p *parser) comparisonStart() bool {
	switch p.tok.Kind {
	case scanner.Attr, scanner.String, scanner.Int, scanner.Guid, scanner.LBrace, scanner.LBrack, scanner.LParen, scanner.Bang:
		return true
	case scanner.Ident:
		return p.isKeyword("NOT", "Exists", "NotExists", "ActionMatches", "SubOperationMatches", "true", "false")
	}
	return false
}

func (p *parser) enter() {
	p.depth++
	if p.depth > MaxNesting {
		p.errs.Errorf(diag.TooDeep, p.tok.Pos, p.tok.End, "flatten the condition", "nesting deeper than %d levels", MaxNesting)
		panic(bailout{})
	}
}

func (p *parser) leave() { p.depth-- }

func (p *parser) parseOr() ast.Expr {
	x := p.parseAnd()
	for p.isOr() {
		op := p.tok
		p.next()
		y := p.parseAnd()
		b := alloc(p.mem, &p.mem.binarySlab)
		*b = ast.BinaryExpr{X: x, OpPos: op.Pos, Op: ast.Or, Text: op.Text, Y: y}
		x = b
	}
	return x
}

func (p *parser) parseAnd() ast.Expr {
	x := p.parseUnary()
	for p.isAnd() {
		op := p.tok
		p.next()
		y := p.parseUnary()
		b := alloc(p.mem, &p.mem.binarySlab)
		*b = ast.BinaryExpr{X: x, OpPos: op.Pos, Op: ast.And, Text: op.Text, Y: y}
		x = b
	}
	return x
}

func (p *parser) parseUnary() ast.Expr {
	switch {
	case p.tok.Kind == scanner.Bang || p.isKeyword("NOT"):
		op := p.tok
		p.next()
		p.enter()
		x := p.parseUnary()
		p.leave()
		n := alloc(p.mem, &p.mem.notSlab)
		*n = ast.NotExpr{OpPos: op.Pos, Bang: op.Kind == scanner.Bang, Text: op.Text, X: x}
		return n
	case p.isKeyword("Exists", "NotExists"):
		kw := p.tok
		p.next()
		if p.tok.Kind != scanner.Attr {
			p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "write "+kw.Text+" @Resource[name]", "%s needs an attribute reference, found %s", kw.Text, p.describe())
			return p.recover(kw.Pos)
		}
		a := p.parseAttr()
		return &ast.ExistsExpr{KwPos: kw.Pos, Negated: strings.EqualFold(kw.Text, "NotExists"), Text: kw.Text, Attr: a}
	}
	return p.parsePrimary()
}

// recover skips to a token where parsing can resume (AND, OR, ')' or the end) and returns a
// BadExpr covering what was skipped.
func (p *parser) recover(from diag.Pos) ast.Expr {
	depth := 0
	for p.tok.Kind != scanner.EOF {
		if depth == 0 && (p.isAnd() || p.isOr() || p.tok.Kind == scanner.RParen) {
			break
		}
		switch p.tok.Kind {
		case scanner.LParen:
			depth++
		case scanner.RParen:
			depth--
		}
		p.next()
	}
	return &ast.BadExpr{From: from, To: p.tok.Pos}
}

func (p *parser) parsePrimary() ast.Expr {
	switch {
	case p.tok.Kind == scanner.LParen:
		lp := p.tok
		p.next()
		p.enter()
		if p.tok.Kind == scanner.RParen {
			p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "put a condition between the parentheses", "empty parentheses")
			rp := p.tok.Pos
			p.next()
			p.leave()
			return &ast.BadExpr{From: lp.Pos, To: rp + 1}
		}
		x := p.parseOr()
		p.leave()
		if p.tok.Kind != scanner.RParen {
			if p.tok.Kind == scanner.EOF {
				p.errorf(diag.Unclosed, lp.Pos, lp.End, "add the missing ')'", "'(' is never closed")
			} else {
				p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, p.joinHint(), "expected ')', AND or OR, found %s", p.describe())
				p.recover(p.tok.Pos)
				if p.tok.Kind == scanner.RParen {
					p.next()
				}
			}
			e := alloc(p.mem, &p.mem.parenSlab)
			*e = ast.ParenExpr{Lparen: lp.Pos, X: x, Rparen: p.tok.Pos - 1}
			return e
		}
		rp := p.tok.Pos
		p.next()
		e := alloc(p.mem, &p.mem.parenSlab)
		*e = ast.ParenExpr{Lparen: lp.Pos, X: x, Rparen: rp}
		return e
	case p.isKeyword("ActionMatches", "SubOperationMatches"):
		return p.parseMatches()
	case p.isKeyword("AND", "OR"):
		p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "", "expected a condition before %s", strings.ToUpper(p.tok.Text))
		return p.recover(p.tok.Pos)
	case p.tok.Kind == scanner.AndAnd || p.tok.Kind == scanner.OrOr:
		p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "", "expected a condition before %s", p.tok.Text)
		return p.recover(p.tok.Pos)
	}
	return p.parseComparison()
}

func (p *parser) joinHint() string {
	if p.comparisonStart() {
		return "join conditions with AND or OR"
	}
	return ""
}

func (p *parser) parseMatches() ast.Expr {
	kw := p.tok
	fn := ast.ActionMatches
	if strings.EqualFold(kw.Text, "SubOperationMatches") {
		fn = ast.SubOperationMatches
	}
	p.next()
	if p.tok.Kind != scanner.LBrace {
		p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, fmt.Sprintf("write %s{'pattern'}", fn), "expected '{' after %s, found %s", fn, p.describe())
		return p.recover(kw.Pos)
	}
	lb := p.tok
	p.next()
	m := alloc(p.mem, &p.mem.matchesSlab)
	*m = ast.MatchesExpr{KwPos: kw.Pos, Func: fn, Text: kw.Text, Lbrace: lb.Pos}
	if p.tok.Kind == scanner.RBrace {
		p.errorf(diag.EmptyList, lb.Pos, p.tok.End, fmt.Sprintf("write %s{'pattern'}", fn), "%s needs at least one pattern", fn)
		m.Rbrace = p.tok.Pos
		p.next()
		return m
	}
	p.lits = p.lits[:0]
	for {
		if p.tok.Kind != scanner.String {
			p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "patterns are quoted strings", "expected a string pattern in %s, found %s", fn, p.describe())
			return p.recover(kw.Pos)
		}
		p.lits = append(p.lits, p.literal())
		if p.tok.Kind == scanner.Comma {
			p.next()
			continue
		}
		if p.tok.Kind != scanner.RBrace {
			if p.tok.Kind == scanner.EOF {
				p.errorf(diag.Unclosed, lb.Pos, lb.End, "add the missing '}'", "'{' is never closed")
			} else {
				p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "separate patterns with ','", "expected ',' or '}', found %s", p.describe())
			}
			return p.recover(kw.Pos)
		}
		m.Patterns = p.takeLits()
		m.Rbrace = p.tok.Pos
		p.next()
		return m
	}
}

// takeLits returns the collected list members in a slice of their own.
func (p *parser) takeLits() []*ast.Literal {
	var ptrs []*ast.Literal
	if p.mem.reuse || p.mem.litPtrs.Left() >= len(p.lits) {
		ptrs = p.mem.litPtrs.Make(len(p.lits))
	} else {
		ptrs = make([]*ast.Literal, len(p.lits))
	}
	copy(ptrs, p.lits)
	return ptrs
}

func (p *parser) parseComparison() ast.Expr {
	start := p.tok.Pos
	var c *ast.Comparison
	var left ast.Operand
	if p.tok.Kind == scanner.Attr {
		// Most comparisons start with an attribute: the two are allocated together.
		both := alloc(p.mem, &p.mem.attrCmpSlab)
		p.attrInto(&both.a)
		c, left = &both.c, &both.a
	} else {
		var ok bool
		if left, ok = p.parseOperand(nil); !ok {
			return p.recover(start)
		}
		c = new(ast.Comparison)
	}
	if p.tok.Kind != scanner.Ident || p.isKeyword("AND", "OR", "NOT") {
		if a, ok := left.(*ast.AttrRef); ok && a.Bad {
			return p.recover(start) // the malformed reference was reported; don't pile on
		}
		hint := "write an operator such as StringEquals"
		p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, hint, "expected an operator after %s, found %s", operandWord(left), p.describe())
		return p.recover(start)
	}
	c.Left, c.Op = left, p.parseOperator()
	right, ok := p.parseOperand(&c.Op)
	if !ok {
		return p.recover(start)
	}
	c.Right = right
	return c
}

func operandWord(o ast.Operand) string {
	switch o.(type) {
	case *ast.AttrRef:
		return "the attribute"
	case *ast.SetLit:
		return "the set"
	case *ast.PairLit:
		return "the pair"
	}
	return "the literal"
}

// parseOperator reads OPERATOR or QUANTIFIER:OPERATOR. Unknown names are left as OpInvalid /
// an unresolved quantifier for the checker, which reports them with suggestions.
func (p *parser) parseOperator() ast.OperatorRef {
	first := p.tok
	p.next()
	if p.tok.Kind == scanner.Colon {
		p.next()
		if p.tok.Kind != scanner.Ident {
			p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "write a quantified operator such as ForAnyOfAnyValues:StringEquals",
				"expected an operator after %s:, found %s", first.Text, p.describe())
			return ast.OperatorRef{QuantPos: first.Pos, QuantText: first.Text, BasePos: p.tok.Pos, EndPos: p.tok.Pos}
		}
		base := p.tok
		p.next()
		return ast.OperatorRef{
			Quant: ast.LookupQuantifier(first.Text), QuantPos: first.Pos, QuantText: first.Text,
			Base: ast.LookupOperator(base.Text), BasePos: base.Pos, BaseText: base.Text, EndPos: base.End,
		}
	}
	return ast.OperatorRef{QuantPos: diag.NoPos, Base: ast.LookupOperator(first.Text), BasePos: first.Pos, BaseText: first.Text, EndPos: first.End}
}

// parseOperand parses the operand after operator op (nil: the first operand, where a condition
// is expected).
func (p *parser) parseOperand(op *ast.OperatorRef) (ast.Operand, bool) {
	switch {
	case p.tok.Kind == scanner.Attr:
		return p.parseAttr(), true
	case p.tok.Kind == scanner.String, p.tok.Kind == scanner.Int, p.tok.Kind == scanner.Guid, p.isKeyword("true", "false"):
		return p.literal(), true
	case p.tok.Kind == scanner.LBrace:
		return p.parseSet()
	case p.tok.Kind == scanner.LBrack:
		return p.parsePair()
	}
	hint := ""
	switch {
	case p.tok.Kind == scanner.Ident && !p.isKeyword("AND", "OR", "NOT"):
		hint = "quote string values: 'text'; attributes are written @Source[name]"
	}
	what := "a condition"
	if op != nil {
		what = "an operand after " + op.String()
	}
	p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, hint, "expected %s, found %s", what, p.describe())
	return nil, false
}

func (p *parser) parseAttr() *ast.AttrRef {
	a := new(ast.AttrRef)
	p.attrInto(a)
	return a
}

// attrInto reads the attribute reference at the current token into a, a zero reference (field
// by field, as literalInto does).
func (p *parser) attrInto(a *ast.AttrRef) {
	t := &p.tok
	a.Source, _ = attrs.ParseSource(t.Source)
	a.At, a.SourceText, a.NamePos, a.Name, a.Rbrack, a.Bad = t.Pos, t.Source, t.NamePos, t.Str, t.End-1, t.Bad
	p.next()
}

func (p *parser) literal() *ast.Literal {
	l := alloc(p.mem, &p.mem.litSlab)
	p.literalInto(l)
	return l
}

// literalInto reads the literal at the current token into l, a zero literal. It sets the
// fields one by one rather than copying a whole literal: a copy into the heap while the
// garbage collector marks costs a barrier for every pointer field, set or not.
func (p *parser) literalInto(l *ast.Literal) {
	t := &p.tok
	l.ValuePos, l.EndPos, l.Raw = t.Pos, t.End, t.Text
	switch t.Kind {
	case scanner.String:
		l.Kind, l.Str = ast.StringLit, t.Str
	case scanner.Int:
		l.Kind, l.Int = ast.IntLit, t.Int
	case scanner.Guid:
		l.Kind, l.Bad = ast.GuidLit, t.Bad
	default:
		l.Kind, l.Bool = ast.BoolLit, strings.EqualFold(t.Text, "true")
	}
	p.next()
}

func (p *parser) parseSet() (ast.Operand, bool) {
	lb := p.tok
	p.next()
	s := alloc(p.mem, &p.mem.setSlab)
	s.Lbrace = lb.Pos
	if p.tok.Kind == scanner.RBrace {
		p.errs.Errorf(diag.EmptyList, lb.Pos, p.tok.End, "a set needs at least one member", "empty set")
		s.Rbrace = p.tok.Pos
		p.next()
		return s, true
	}
	p.lits = p.lits[:0]
	for {
		if !(p.tok.Kind == scanner.String || p.tok.Kind == scanner.Int || p.tok.Kind == scanner.Guid || p.isKeyword("true", "false")) {
			p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "set members are literals", "expected a literal in the set, found %s", p.describe())
			return nil, false
		}
		if len(p.lits) == MaxSet {
			p.errs.Errorf(diag.SetTooLarge, lb.Pos, lb.End, "", "set has more than %d members", MaxSet)
			panic(bailout{})
		}
		p.lits = append(p.lits, p.literal())
		if p.tok.Kind == scanner.Comma {
			p.next()
			continue
		}
		if p.tok.Kind == scanner.RBrace {
			s.Elems = p.takeLits()
			s.Rbrace = p.tok.Pos
			p.next()
			return s, true
		}
		if p.tok.Kind == scanner.EOF {
			p.errorf(diag.Unclosed, lb.Pos, lb.End, "add the missing '}'", "'{' is never closed")
		} else {
			p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "separate set members with ','", "expected ',' or '}' in the set, found %s", p.describe())
		}
		return nil, false
	}
}

// isLiteral reports whether the token is a literal.
func (p *parser) isLiteral() bool {
	return p.tok.Kind == scanner.String || p.tok.Kind == scanner.Int || p.tok.Kind == scanner.Guid || p.isKeyword("true", "false")
}

// parsePair parses the ordered pair [lo, hi] of the extended dialect. The grammar has it in
// both dialects, so that a pair in the standard dialect, or after an operator other than an
// …InRange one, is one clear error of the checker's rather than a cascade of syntax errors.
func (p *parser) parsePair() (ast.Operand, bool) {
	lb := p.tok
	p.next()
	pair := &ast.PairLit{Lbrack: lb.Pos}
	var elems []*ast.Literal
	for {
		if !p.isLiteral() {
			if p.tok.Kind == scanner.RBrack && len(elems) < 2 {
				p.errs.Errorf(diag.BadRange, lb.Pos, p.tok.End, "write [low, high]", "a pair holds two literals, this one %d", len(elems))
				pair.Rbrack = p.tok.Pos
				p.next()
				return nil, false
			}
			p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "a pair holds two literals: [low, high]", "expected a literal in the pair, found %s", p.describe())
			return nil, false
		}
		l := p.literal()
		if len(elems) == 2 {
			p.errs.Errorf(diag.BadRange, l.Pos(), l.End(), "write [low, high]", "a pair holds two literals, not more")
			return nil, false
		}
		elems = append(elems, l)
		switch p.tok.Kind {
		case scanner.Comma:
			p.next()
			continue
		case scanner.RBrack:
			if len(elems) < 2 {
				p.errs.Errorf(diag.BadRange, lb.Pos, p.tok.End, "write [low, high]", "a pair holds two literals, this one %d", len(elems))
				p.next()
				return nil, false
			}
			pair.Lo, pair.Hi, pair.Rbrack = elems[0], elems[1], p.tok.Pos
			p.next()
			return pair, true
		case scanner.EOF:
			p.errorf(diag.Unclosed, lb.Pos, lb.End, "add the missing ']'", "'[' is never closed")
		default:
			p.errorf(diag.Syntax, p.tok.Pos, p.tok.End, "separate the pair's members with ','", "expected ',' or ']' in the pair, found %s", p.describe())
		}
		return nil, false
	}
}
