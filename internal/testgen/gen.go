// Package testgen generates random, well-typed ABAC conditions and requests over the same
// attributes, for the module's randomized tests: the gopter properties of package abacc
// (property_test.go: VM against reference interpreter, print/parse and encode/decode round
// trips) and the structured fuzz targets of package fuzz (FuzzDifferential,
// TestDifferentialRandom).
//
// A Generator draws its choices from a Source: gopter's *math/rand.Rand, or a ByteSource over
// fuzz input, so that the fuzzer's byte mutations steer it. It builds condition trees (Node,
// Leaf) of every leaf kind (comparisons of the five operator families with and without
// quantifiers, attribute against literal, set or attribute; Exists; ActionMatches;
// SubOperationMatches), free trees as well as Azure's action-guarded shapes, which the
// optimizer turns into a dispatch on the action. Literals come from pools of awkward values
// (case-folding orbits, wildcards and escapes, U+FFFD, extreme integers and instants, GUIDs in
// every spelling) or are made up; the values a condition's literals hold are remembered, and
// requests prefer them, varied under case folding, so that comparisons are often true. A
// tree's Text varies keyword case, white space, separators and redundant parentheses by each
// node's Style.
//
// A Request renders as a request document (JSON) or fills an attribute vector through the
// typed setters (Apply), which may carry invalid UTF-8. CaseGen makes cases for gopter, and
// ShrinkCase shrinks a failing one to a simpler condition and fewer, simpler requests.
//
// ExtendedCase (extended.go) makes conditions over the newer operators (StringEndsWith,
// StringContains and the extended dialect's, ast.ExtendedOps) with edge-heavy literals, and
// requests for them; ExtendedCaseGen and ShrinkExtendedCase are its gopter generator and
// shrinker.
package testgen

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Options bound what a Generator makes.
type Options struct {
	// MinDepth and MaxDepth bound the depth of a condition's tree (each condition draws its
	// depth between them; leaves have depth 0). The zero Options means 1 to 4.
	MinDepth, MaxDepth int
}

// Generator makes conditions and requests. It remembers the literals of what it made, and
// later requests draw on them; use a new Generator for an unrelated case.
type Generator struct {
	src    Source
	opts   Options
	setter bool // requests are for the typed setters: values may hold invalid UTF-8

	// Values of the literals made so far, which requests and later literals prefer.
	strs  []string
	ints  []int64
	dates []string
	guids []string
	acts  []string
	subs  []string
	// last collects the values of the literals made since it was reset; attrVals maps an
	// attribute (memoryKey) to the literal values it was compared with, which requests prefer
	// for that attribute.
	last     []string
	attrVals map[string][]string
	// csaFamily is the family each custom security attribute key was first used with.
	csaFamily map[string]Family
}

// New returns a Generator that draws from src.
func New(src Source, opts Options) *Generator {
	if opts.MaxDepth <= 0 {
		opts.MinDepth, opts.MaxDepth = 1, 4
	}
	opts.MinDepth = max(0, min(opts.MinDepth, opts.MaxDepth))
	return &Generator{src: src, opts: opts}
}

// Case is a condition and requests to evaluate it on.
type Case struct {
	Cond *Node
	Reqs []*Request
	// Setter says the requests are meant to be loaded with Request.Apply (the typed setters);
	// their strings may then hold invalid UTF-8, and the condition's literals U+FFFD more
	// often. Otherwise they are meant to be loaded from their JSON.
	Setter bool
}

// Case makes a condition and nreqs requests; one case in four is a Setter case.
func (g *Generator) Case(nreqs int) *Case {
	g.setter = g.src.Intn(4) == 0
	c := &Case{Setter: g.setter, Cond: g.Condition()}
	for i := 0; i < nreqs; i++ {
		c.Reqs = append(c.Reqs, g.Request())
	}
	return c
}

// String shows the case as a test failure should: the condition text, then each request's
// JSON (or, for a Setter case, the setter calls that load it).
func (c *Case) String() string {
	var b strings.Builder
	b.WriteString("\ncondition:\n" + c.Cond.Text() + "\n")
	for i, q := range c.Reqs {
		if c.Setter {
			fmt.Fprintf(&b, "request %d (typed setters):\n%s", i, q.setterCalls())
		} else {
			fmt.Fprintf(&b, "request %d: %s\n", i, q.JSON())
		}
	}
	return b.String()
}

func (g *Generator) pct() int { return g.src.Intn(100) }

// style is mostly canonical.
func (g *Generator) style() Style {
	if g.src.Intn(10) < 7 {
		return 0
	}
	return Style(1 + g.src.Intn(65535))
}

// ---------------------------------------------------------------------------------------------
// Literal values.

// varyCase replaces characters by others of their simple case folding orbit.
func (g *Generator) varyCase(s string) string {
	var b strings.Builder
	mode := g.src.Intn(4)
	for _, r := range s {
		switch mode {
		case 1:
			r = unicode.ToUpper(r)
		case 2:
			r = unicode.ToLower(r)
		case 3:
			for k := g.src.Intn(3); k > 0; k-- {
				r = unicode.SimpleFold(r)
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (g *Generator) runes(pool []string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if g.setter && g.src.Intn(6) == 0 {
			// With setter-built requests, U+FFFD in literals meets invalid UTF-8 in values.
			b.WriteString("\uFFFD")
			continue
		}
		b.WriteString(pick(g.src, pool))
	}
	return b.String()
}

// mix is n pieces, each from rare one time in oneIn, otherwise from common.
func (g *Generator) mix(n int, rare []string, oneIn int, common []string) string {
	var b strings.Builder
	for ; n > 0; n-- {
		if g.src.Intn(oneIn) == 0 {
			b.WriteString(pick(g.src, rare))
		} else {
			b.WriteString(pick(g.src, common))
		}
	}
	return b.String()
}

func (g *Generator) remember(v string) {
	g.strs = append(g.strs, v)
	g.last = append(g.last, v)
}

// str is a value for a string literal.
func (g *Generator) str() string {
	var v string
	switch x := g.pct(); {
	case x < 35:
		v = pick(g.src, strPool)
	case x < 75:
		v = g.runes(condRunes, g.src.Intn(7))
	case x < 90 && len(g.strs) > 0:
		v = g.varyCase(pick(g.src, g.strs))
	default:
		// Long values: beyond the VM's stack buffer for folded binary search.
		v = strings.Repeat(pick(g.src, strPool)+g.runes(condRunes, 1), 20+g.src.Intn(60))
	}
	g.remember(v)
	return v
}

// pattern is a StringLike pattern.
func (g *Generator) pattern() string {
	var v string
	switch x := g.pct(); {
	case g.setter && x < 12:
		v = pick(g.src, fffdPats)
	case x < 30:
		v = pick(g.src, patPool)
	case x < 60:
		wild := []string{"*", "?", `\`, `\*`, `\?`, `\\`, "*", "*"}
		v = g.mix(g.src.Intn(7), wild, 3, condRunes)
	case len(g.strs) > 0:
		// A remembered value with wildcards put in.
		var b strings.Builder
		for _, r := range g.varyCase(pick(g.src, g.strs)) {
			switch g.src.Intn(8) {
			case 0:
				b.WriteString("*")
			case 1:
				b.WriteString("?")
			case 2:
				b.WriteString("*")
				b.WriteRune(r)
			default:
				if r == '*' || r == '?' || r == '\\' {
					if g.src.Intn(2) == 0 {
						b.WriteByte('\\')
					}
				}
				b.WriteRune(r)
			}
		}
		v = b.String()
	default:
		v = pick(g.src, patPool)
	}
	// Remember the pattern's text without wildcards, so requests sometimes match it.
	g.remember(strings.NewReplacer(`\*`, "*", `\?`, "?", `\\`, `\`, "*", "", "?", "x").Replace(v))
	return v
}

func (g *Generator) integer() int64 {
	var v int64
	switch x := g.pct(); {
	case x < 55:
		v = pick(g.src, intPool)
	case x < 80 && len(g.ints) > 0:
		v = pick(g.src, g.ints) + int64(g.src.Intn(3)) - 1
	default:
		v = int64(g.src.Uint64())
		if g.src.Intn(2) == 0 {
			v %= 1000
		}
	}
	g.ints = append(g.ints, v)
	g.last = append(g.last, strconv.FormatInt(v, 10))
	return v
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// newDate makes up a DateTime: any valid date and time, 0 to 7 fraction digits, an offset.
func (g *Generator) newDate() string {
	y := pick(g.src, []int{2023, 2024, 2000, 1999, 1, 9999, 1900, 2100})
	if g.src.Intn(4) == 0 {
		y = 1 + g.src.Intn(9999)
	}
	mo := 1 + g.src.Intn(12)
	d := 1 + g.src.Intn(daysIn(y, mo))
	t := fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, g.src.Intn(24), g.src.Intn(60), g.src.Intn(60))
	if nd := g.src.Intn(9); nd > 0 && nd <= 7 {
		t += "."
		for i := 0; i < nd; i++ {
			t += strconv.Itoa(g.src.Intn(10))
		}
	}
	switch g.src.Intn(4) {
	case 0, 1:
		t += "Z"
	case 2:
		t += fmt.Sprintf("+%02d:%02d", g.src.Intn(15), pick(g.src, []int{0, 30, 45, 59}))
	default:
		t += fmt.Sprintf("-%02d:%02d", g.src.Intn(15), pick(g.src, []int{0, 30, 45, 59}))
	}
	return t
}

func (g *Generator) date() string { return g.pooled(datePool, &g.dates, 15, g.newDate) }

func (g *Generator) newGuid() string {
	h := fmt.Sprintf("%016x%016x", g.src.Uint64(), g.src.Uint64())
	if g.src.Intn(2) == 0 {
		h = h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	}
	return h
}

// guidForm writes a GUID with or without hyphens, in either case.
func (g *Generator) guidForm(s string) string {
	if g.src.Intn(3) == 0 {
		s = strings.ReplaceAll(s, "-", "")
	}
	switch g.src.Intn(3) {
	case 0:
		s = strings.ToUpper(s)
	case 1:
		s = strings.ToLower(s)
	}
	return s
}

func (g *Generator) guid() string { return g.guidForm(g.pooled(guidPool, &g.guids, 20, g.newGuid)) }

// pooled is a value from pool (half the time), one made before (from made, remembered% of the
// time) or a new one; it is added to made.
func (g *Generator) pooled(pool []string, made *[]string, remembered int, newValue func() string) string {
	var v string
	switch x := g.pct(); {
	case x < 50:
		v = pick(g.src, pool)
	case x < 50+remembered && len(*made) > 0:
		v = pick(g.src, *made)
	default:
		v = newValue()
	}
	*made = append(*made, v)
	g.last = append(g.last, v)
	return v
}

// literal writes one literal of family f (like: a StringLike pattern).
func (g *Generator) literal(f Family, like bool) string {
	switch f {
	case StringFamily:
		if like {
			return "'" + g.pattern() + "'"
		}
		return "'" + g.str() + "'"
	case IntegerFamily:
		return strconv.FormatInt(g.integer(), 10)
	case BoolFamily:
		return pick(g.src, []string{"true", "false"})
	case DateTimeFamily:
		return "'" + g.date() + "'"
	}
	v := g.guid()
	if g.src.Intn(2) == 0 {
		return "'" + v + "'"
	}
	return v
}

func (g *Generator) literalOperand(f Family, like bool) Operand {
	return Operand{Kind: LiteralOperand, Lits: []string{g.literal(f, like)}}
}

// set is mostly a small set; sometimes one of 9 or more, which the optimizer sorts and the VM
// searches by binary search.
func (g *Generator) set(f Family, like bool) Operand {
	n := 1 + g.src.Intn(4)
	if g.src.Intn(5) == 0 {
		n = 9 + g.src.Intn(8)
	}
	o := Operand{Kind: SetOperand, Lits: make([]string, n)}
	for i := range o.Lits {
		o.Lits[i] = g.literal(f, like)
	}
	return o
}

// ---------------------------------------------------------------------------------------------
// Leaves.

// attr picks an attribute of pool; a custom security attribute keeps the family a condition
// first used it with.
func (g *Generator) attr(pool []Attr) Attr {
	var ok []Attr
	for _, a := range pool {
		if f, seen := g.csaFamily[a.Key]; !a.untyped() || !seen || f == a.Family {
			ok = append(ok, a)
		}
	}
	a := pick(g.src, ok)
	if a.untyped() {
		if g.csaFamily == nil {
			g.csaFamily = map[string]Family{}
		}
		g.csaFamily[a.Key] = a.Family
	}
	return a
}

// rememberFor records the literal values compared with attribute a.
func (g *Generator) rememberFor(a *Attr, vals []string) {
	if a == nil || a.memoryKey() == "" || len(vals) == 0 {
		return
	}
	if g.attrVals == nil {
		g.attrVals = map[string][]string{}
	}
	g.attrVals[a.memoryKey()] = append(g.attrVals[a.memoryKey()], vals...)
}

func (g *Generator) family() Family {
	switch x := g.pct(); {
	case x < 45:
		return StringFamily
	case x < 60:
		return IntegerFamily
	case x < 70:
		return BoolFamily
	case x < 85:
		return DateTimeFamily
	}
	return GuidFamily
}

func (g *Generator) comparison(style Style) *Leaf {
	f := g.family()
	l := &Leaf{Kind: CompareLeaf, Family: f, Style: style}
	quant := len(f.QuantifiableOperators()) > 0 && g.pct() < 35
	if quant {
		l.Quant = pick(g.src, Quantifiers)
		l.Op = pick(g.src, f.QuantifiableOperators())
	} else {
		l.Op = pick(g.src, f.Operators())
	}
	like := strings.Contains(l.Op, "Like")
	var leftAttr, rightAttr *Attr
	useAttr := func(pool []Attr) Operand {
		a := g.attr(pool)
		leftAttr = &a
		return Operand{Kind: AttrOperand, Attr: a}
	}
	multi := multiAttrs[f]
	g.last = nil
	switch x := g.pct(); {
	case !quant && x < 85:
		l.L = useAttr(singleAttrs[f])
	case !quant:
		l.L = g.literalOperand(f, false)
	case x < 40:
		l.L = useAttr(singleAttrs[f])
	case x < 65 && len(multi) > 0:
		l.L = useAttr(multi)
	case x < 75:
		l.L = g.literalOperand(f, false)
	default:
		l.L = g.set(f, false)
	}
	leftVals := g.last
	g.last = nil
	switch x := g.pct(); {
	case x < 45:
		l.R = g.literalOperand(f, like)
	case x < 75:
		l.R = g.set(f, like)
	default:
		pool := singleAttrs[f]
		if x >= 90 && len(multi) > 0 {
			pool = multi
		}
		a := g.attr(pool)
		rightAttr = &a
		l.R = Operand{Kind: AttrOperand, Attr: a}
	}
	g.rememberFor(leftAttr, g.last)
	g.rememberFor(rightAttr, leftVals)
	if leftAttr != nil && rightAttr != nil {
		// Attribute against attribute: give both the same values sometimes.
		g.rememberFor(rightAttr, g.attrVals[leftAttr.memoryKey()])
	}
	return l
}

// action is an action pattern: an action name, a wildcard pattern, or a name with one segment
// replaced by a wildcard; in any case spelling.
func (g *Generator) action() string {
	var v string
	switch x := g.pct(); {
	case x < 55:
		v = pick(g.src, actionNames)
	case x < 80:
		v = pick(g.src, wildActionPool)
	default:
		parts := strings.Split(pick(g.src, actionNames), "/")
		parts[g.src.Intn(len(parts))] = pick(g.src, []string{"*", "*s", "b*", "**"})
		v = strings.Join(parts, "/")
	}
	g.acts = append(g.acts, v)
	return g.varyCase(v)
}

// guardAction is mostly an exact action name (dispatchable), sometimes any pattern.
func (g *Generator) guardAction() string {
	if g.src.Intn(5) == 0 {
		return g.action()
	}
	v := pick(g.src, guardActions)
	if g.src.Intn(3) == 0 {
		v = pick(g.src, actionNames)
	}
	g.acts = append(g.acts, v)
	return g.varyCase(v)
}

func (g *Generator) subOp() string {
	v := pick(g.src, subOpPool)
	g.subs = append(g.subs, v)
	return v
}

func (g *Generator) matches(kind LeafKind, maxPats int, one func() string) *Leaf {
	l := &Leaf{Kind: kind, Style: g.style()}
	for n := 1 + g.src.Intn(maxPats); n > 0; n-- {
		l.Patterns = append(l.Patterns, one())
	}
	return l
}

// Leaf makes a leaf: mostly a comparison, sometimes Exists, ActionMatches or
// SubOperationMatches.
func (g *Generator) Leaf() *Leaf {
	switch x := g.pct(); {
	case x < 8:
		f := Family(g.src.Intn(int(NumFamilies)))
		pool := singleAttrs[f]
		if g.src.Intn(4) == 0 && len(multiAttrs[f]) > 0 {
			pool = multiAttrs[f]
		}
		return &Leaf{Kind: ExistsLeaf, Attr: g.attr(pool), Negated: g.src.Intn(3) == 0, Style: g.style()}
	case x < 15:
		return g.matches(ActionLeaf, 3, g.action)
	case x < 21:
		return g.matches(SubOperationLeaf, 3, g.subOp)
	}
	return g.comparison(g.style())
}

// ---------------------------------------------------------------------------------------------
// Trees.

func leafNode(l *Leaf) *Node { return &Node{Kind: LeafNode, Leaf: l} }

func not(x *Node) *Node { return &Node{Kind: NotNode, Kids: []*Node{x}} }

// join makes x AND y (or OR), sometimes in the other order.
func (g *Generator) join(kind NodeKind, x, y *Node) *Node {
	if g.src.Intn(10) < 3 {
		x, y = y, x
	}
	return &Node{Kind: kind, Kids: []*Node{x, y}, Style: g.style()}
}

// tree makes a free tree of depth up to depth: AND and OR of two to four terms, NOT, leaves
// (some negated).
func (g *Generator) tree(depth int) *Node {
	x := g.src.Intn(256)
	if depth <= 0 || x < 90 {
		n := &Node{Kind: LeafNode, Leaf: g.Leaf(), Style: g.style()}
		if g.src.Intn(10) == 0 {
			n = &Node{Kind: NotNode, Kids: []*Node{n}, Style: g.style()}
		}
		return n
	}
	if x >= 218 {
		return &Node{Kind: NotNode, Kids: []*Node{g.tree(depth - 1)}, Style: g.style()}
	}
	n := &Node{Kind: AndNode, Style: g.style()}
	if x >= 154 {
		n.Kind = OrNode
	}
	arity := 2
	if g.src.Intn(10) < 4 {
		arity = 3 + g.src.Intn(2)
	}
	for i := 0; i < arity; i++ {
		n.Kids = append(n.Kids, g.tree(depth-1))
	}
	return n
}

// guardedBlocks makes the shapes the optimizer turns into a dispatch on the action: an AND of
// one to four blocks `NOT guard OR body`, where the guard is ActionMatches of mostly exact
// actions or Azure's `ActionMatches AND NOT SubOperationMatches`, some blocks a bare
// `NOT guard`; or an OR of two to four `ActionMatches AND body`; sometimes with another term.
func (g *Generator) guardedBlocks(depth int) *Node {
	and := g.pct() < 70
	root := &Node{Kind: OrNode, Style: g.style()}
	n := 2 + g.src.Intn(3)
	if and {
		root.Kind = AndNode
		n = 1 + g.src.Intn(4)
	}
	for i := 0; i < n; i++ {
		act := leafNode(g.matches(ActionLeaf, 3, g.guardAction))
		body := g.tree(depth - 1 - g.src.Intn(2))
		if !and {
			root.Kids = append(root.Kids, g.join(AndNode, act, body))
			continue
		}
		guard := act
		if g.pct() < 45 {
			guard = &Node{Kind: AndNode, Kids: []*Node{act, not(leafNode(g.matches(SubOperationLeaf, 3, g.subOp)))}, Style: g.style()}
		}
		if g.src.Intn(8) == 0 {
			root.Kids = append(root.Kids, not(guard)) // a block without a body
			continue
		}
		root.Kids = append(root.Kids, g.join(OrNode, not(guard), body))
	}
	if g.pct() < 20 {
		root.Kids = append(root.Kids, g.tree(depth-2))
	}
	if len(root.Kids) == 1 {
		return root.Kids[0]
	}
	return root
}

// Condition makes a condition: a free tree; or Azure's usual shape
// `(!(ActionMatches{...} AND NOT SubOperationMatches{...})) OR (expr)`; or several
// action-guarded blocks (guardedBlocks).
func (g *Generator) Condition() *Node {
	g.csaFamily = nil // a new condition may use the custom security attributes afresh
	depth := g.opts.MinDepth + g.src.Intn(g.opts.MaxDepth-g.opts.MinDepth+1)
	switch x := g.pct(); {
	case x < 28:
		return g.guardedBlocks(depth)
	case x < 38:
		act := leafNode(&Leaf{Kind: ActionLeaf, Patterns: []string{g.action()}})
		sub := not(leafNode(&Leaf{Kind: SubOperationLeaf, Patterns: []string{g.subOp()}}))
		guard := not(&Node{Kind: AndNode, Kids: []*Node{act, sub}})
		return &Node{Kind: OrNode, Kids: []*Node{guard, g.tree(depth - 2)}, Style: g.style()}
	}
	return g.tree(depth)
}
