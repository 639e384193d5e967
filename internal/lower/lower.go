// Package lower turns a checked syntax tree into IR: the one place where the IR meets the
// syntax tree, so that the IR and the stages after it (optimize, codegen) never import the AST.
package lower

import (
	"fmt"
	"slices"
	"strings"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ipaddr"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/match"
	"github.com/abacc/abacc/internal/slab"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// Lower turns a checked syntax tree (no errors) into IR.
func Lower(x ast.Expr, src string) *ir.Unit {
	l := lowerer{u: &ir.Unit{Source: src}, src: src, mem: new(values)}
	return l.lowerUnit(x)
}

// Scratch lowers with memory reused from one Lower to the next, for callers that drop each
// unit before they lower again (compiling to bytecode): after warm-up, lowering a condition no
// larger than earlier ones allocates little beyond what the optimizer adds. The zero Scratch
// is ready to use; it is not safe for concurrent use.
type Scratch struct {
	mem       values
	u         ir.Unit
	consts    map[uint64]int32
	constPrev []int32
	tables    map[string]int
	kids      []*ir.Node
}

// Lower is the package's Lower with the scratch's memory: the unit it returns, with its nodes
// and constants, is valid only until the next call.
func (s *Scratch) Lower(x ast.Expr, src string) *ir.Unit {
	m := &s.mem
	m.nodes.Rewind()
	m.cmps.Rewind()
	m.ptrs.Rewind()
	m.strs.Rewind()
	m.nums.Rewind()
	m.guids.Rewind()
	clear(s.consts)
	clear(s.tables)
	consts := s.u.Consts[:cap(s.u.Consts)]
	clear(consts)
	s.u = ir.Unit{Source: src, Consts: consts[:0]}
	clear(s.kids[:cap(s.kids)])
	l := lowerer{u: &s.u, src: src, consts: s.consts, constPrev: s.constPrev[:0], tables: s.tables, kids: s.kids[:0], mem: m}
	u := l.lowerUnit(x)
	s.consts, s.constPrev, s.tables, s.kids = l.consts, l.constPrev, l.tables, l.kids
	return u
}

// lowerUnit lowers x into l.u, whose constants are empty.
func (l *lowerer) lowerUnit(x ast.Expr) *ir.Unit {
	// Each slab takes one chunk of the size lowering needs: nothing is left unused for the
	// program to keep alive.
	var need sizes
	need.count(x, false)
	l.mem.reserve(need)
	if cap(l.u.Consts) < need.consts {
		l.u.Consts = make([]ir.Constant, 0, need.consts)
	}
	l.u.Root = l.lower(x, false)
	return l.u
}

// sizes counts what lowering allocates: nodes, comparisons, operands of AND/OR nodes, pattern
// and constant values (the latter before constants are deduplicated, so at most).
type sizes struct{ nodes, cmps, kids, strs, nums, guids, consts int }

// count adds what lower(x, neg) allocates and returns the kind of the node it returns with, for
// AND and OR, its number of operands. It follows lower, flatten and splice step by step.
func (s *sizes) count(x ast.Expr, neg bool) (kind ir.Kind, kids int) {
	switch x := x.(type) {
	case *ast.ParenExpr:
		return s.count(x.X, neg)
	case *ast.NotExpr:
		return s.count(x.X, !neg)
	case *ast.BinaryExpr:
		kind := ir.And
		if (x.Op == ast.Or) != neg {
			kind = ir.Or
		}
		s.nodes++
		n := s.flatten(kind, x, x.Op, neg)
		s.kids += n
		return kind, n
	case *ast.ExistsExpr:
		s.nodes++
		return ir.Exists, 0
	case *ast.MatchesExpr:
		s.nodes++
		s.strs += len(x.Patterns)
		return ir.Action, 0
	case *ast.Comparison:
		s.nodes++
		s.cmps++
		t := x.Op.Info().Type
		s.operand(x.Left, t)
		s.operand(x.Right, t)
		return ir.Cmp, 0
	}
	return ir.Const, 0
}

// flatten counts for lowerer.flatten and returns the number of operands it pushes.
func (s *sizes) flatten(kind ir.Kind, x ast.Expr, op ast.BinaryKind, neg bool) int {
	var buf [16]ast.Expr
	rights := buf[:0]
	cur := x
	for {
		b, ok := ast.Unparen(cur).(*ast.BinaryExpr)
		if !ok || b.Op != op {
			break
		}
		rights = append(rights, b.Y)
		cur = b.X
	}
	n := s.splice(kind, cur, neg)
	for i := len(rights) - 1; i >= 0; i-- {
		n += s.splice(kind, rights[i], neg)
	}
	return n
}

// splice counts for lowerer.splice and returns the number of operands it pushes.
func (s *sizes) splice(kind ir.Kind, x ast.Expr, neg bool) int {
	if b, ok := ast.Unparen(x).(*ast.BinaryExpr); ok {
		k := ir.And
		if (b.Op == ast.Or) != neg {
			k = ir.Or
		}
		if k == kind {
			return s.flatten(kind, b, b.Op, neg)
		}
	}
	if k, n := s.count(x, neg); k == kind {
		return n
	}
	return 1
}

func (s *sizes) operand(o ast.Operand, t attrs.Type) {
	n := 0
	switch o := o.(type) {
	case *ast.Literal:
		n = 1
		s.consts++
	case *ast.SetLit:
		n = len(o.Elems)
		s.consts++
	}
	switch t {
	case attrs.TypeString:
		s.strs += n
	case attrs.TypeGuid:
		s.guids += n
	default:
		s.nums += n
	}
}

type lowerer struct {
	u   *ir.Unit
	src string
	// consts finds the last constant whose key hashes to a value (constPrev chains the
	// earlier ones), once there are too many constants to scan.
	consts    map[uint64]int32
	constPrev []int32
	indexed   bool // consts and constPrev are in use
	// tables finds the range tables already made, by their contents (addConst).
	tables map[string]int
	// kids is a stack of the operands of the AND/OR nodes being built; each node takes its
	// operands from the top into a slice of the exact length.
	kids []*ir.Node

	// mem holds the nodes and values. The lowerer itself lives on its caller's stack, so that
	// updating its fields (the operand stack's header on every push) costs no write barrier
	// while the garbage collector marks.
	mem *values
}

// values are the slabs lowering allocates nodes, comparisons and constants' values from.
type values struct {
	nodes slab.Slab[ir.Node]
	cmps  slab.Slab[ir.Comparison]
	ptrs  slab.Slab[*ir.Node]
	strs  slab.Slab[string]
	nums  slab.Slab[int64]
	guids slab.Slab[attrs.Guid]
}

// reserve starts each slab's chunk at the size lowering needs.
func (m *values) reserve(need sizes) {
	m.nodes.Reserve(need.nodes)
	m.cmps.Reserve(need.cmps)
	m.ptrs.Reserve(need.kids)
	m.strs.Reserve(need.strs)
	m.nums.Reserve(need.nums)
	m.guids.Reserve(need.guids)
}

// node returns a new node holding n. (The commonest nodes are set field by field instead: a
// whole node copied into the heap while the garbage collector marks costs a barrier for each
// of its six pointer fields, set or not.)
func (l *lowerer) node(n ir.Node) *ir.Node {
	p := l.mem.nodes.New()
	*p = n
	return p
}

func span(n ast.Node) ir.Span { return ir.Span{Pos: int32(n.Pos()), End: int32(n.End())} }

// lower lowers x, complemented when neg.
func (l *lowerer) lower(x ast.Expr, neg bool) *ir.Node {
	switch x := x.(type) {
	case *ast.ParenExpr:
		return l.lower(x.X, neg)
	case *ast.NotExpr:
		n := l.lower(x.X, !neg)
		// A leaf keeps the span of its NOT, so that explanations quote the whole test; the
		// NOT's text reads as the complement of its operand's.
		if n.IsLeaf() {
			n.Span = span(x)
			n.TextNeg = !n.TextNeg
		}
		return n
	case *ast.BinaryExpr:
		// De Morgan: NOT (a AND b) = NOT a OR NOT b.
		kind := ir.And
		if (x.Op == ast.Or) != neg {
			kind = ir.Or
		}
		n := l.mem.nodes.New()
		n.Kind, n.Span = kind, span(x)
		base := len(l.kids)
		l.flatten(n, x, x.Op, neg)
		n.Kids = l.mem.ptrs.Make(len(l.kids) - base)
		copy(n.Kids, l.kids[base:])
		l.kids = l.kids[:base]
		return n
	case *ast.ExistsExpr:
		return l.node(ir.Node{Kind: ir.Exists, Span: span(x), Neg: x.Negated != neg, TextNeg: neg, Attr: l.attrOf(x.Attr)})
	case *ast.MatchesExpr:
		n := l.mem.nodes.New()
		n.Kind, n.Span, n.Neg, n.TextNeg = ir.Action, span(x), neg, neg
		if x.Func == ast.SubOperationMatches {
			n.Kind = ir.SubOp
		}
		n.Patterns = l.mem.strs.Make(len(x.Patterns))
		for i, p := range x.Patterns {
			n.Patterns[i] = match.FoldString(p.Str)
		}
		return n
	case *ast.Comparison:
		return l.comparison(x, neg)
	}
	panic(fmt.Sprintf("ir: cannot lower %T (the tree must be checked)", x))
}

// flatten pushes the operands of a chain of one binary operator (through parentheses) on the
// stack of n's operands.
func (l *lowerer) flatten(n *ir.Node, x ast.Expr, op ast.BinaryKind, neg bool) {
	// Iterate down the left spine: parsing is left-associative, so long chains are deep on the
	// left and shallow on the right.
	var buf [16]ast.Expr
	rights := buf[:0]
	cur := x
	for {
		b, ok := ast.Unparen(cur).(*ast.BinaryExpr)
		if !ok || b.Op != op {
			break
		}
		rights = append(rights, b.Y)
		cur = b.X
	}
	l.splice(n, cur, neg)
	for i := len(rights) - 1; i >= 0; i-- {
		l.splice(n, rights[i], neg)
	}
}

// splice lowers one operand of a chain onto the stack of n's operands, merging a nested node
// of the same kind ((a AND b) AND c is one n-ary AND).
func (l *lowerer) splice(n *ir.Node, x ast.Expr, neg bool) {
	// A nested chain that lowers to n's kind is flattened straight into n: lowering it to a
	// node of its own and copying that node's children would cost O(depth²) on a OR (b OR (…)).
	if b, ok := ast.Unparen(x).(*ast.BinaryExpr); ok {
		kind := ir.And
		if (b.Op == ast.Or) != neg {
			kind = ir.Or
		}
		if kind == n.Kind {
			l.flatten(n, b, b.Op, neg)
			return
		}
	}
	c := l.lower(x, neg)
	if c.Kind == n.Kind {
		l.kids = append(l.kids, c.Kids...)
		return
	}
	l.kids = append(l.kids, c)
}

func (l *lowerer) attrOf(a *ast.AttrRef) ir.Attr {
	// The name is "@Source[name]" with the canonical source; the source text holds just that
	// when the source is written canonically, as it nearly always is.
	name := l.src[a.At : a.Rbrack+1]
	if a.SourceText != a.Source.String() {
		name = "@" + a.Source.String() + "[" + a.Name + "]"
	}
	return ir.Attr{ID: a.Ref.ID, Sel: a.Ref.Sel, Key: a.Ref.Key, Type: a.Type, Untyped: a.Ref.Type == attrs.Untyped, Name: name}
}

func (l *lowerer) comparison(x *ast.Comparison, neg bool) *ir.Node {
	info := x.Op.Info()
	switch info.Rel {
	case ast.RelNumRange:
		return l.numRange(x, neg)
	case ast.RelListContains:
		return l.list(x, neg)
	case ast.RelIPMatch, ast.RelIPRange:
		return l.table(x, neg, ir.RelIPIn, attrs.TypeString, l.ipTable(x.Right))
	case ast.RelTimeEq, ast.RelTimeLt, ast.RelTimeLe, ast.RelTimeGt, ast.RelTimeGe, ast.RelTimeRange:
		return l.table(x, neg, ir.RelTimeIn, attrs.TypeDateTime, l.timeTable(info.Rel, x.Right))
	}
	c := l.mem.cmps.New()
	*c = ir.Comparison{Quant: quantOf(x.Op.Quant), Rel: relOf(info.Rel), Type: info.Type, Fold: info.IgnoreCase,
		Left: l.operand(x.Left, info.Type), Right: l.operand(x.Right, info.Type)}
	// Whatever the form, the node computes the comparison's text complemented when neg.
	n := l.mem.nodes.New()
	n.Kind, n.Span, n.Cmp, n.TextNeg = ir.Cmp, span(x), c, neg
	if c.Quant == ir.NoQuant {
		// A Not-operator is exactly the complement of its positive twin.
		n.Neg = info.Negated != neg
		return n
	}
	c.BaseNeg = info.Negated
	if neg {
		// NOT ∀l∃r P = ∃l∀r NOT P, and so on: dual quantifier, complemented base.
		c.Quant = c.Quant.Dual()
		c.BaseNeg = !c.BaseNeg
	}
	return n
}

// quantOf converts the language's quantifier into the IR's.
func quantOf(q ast.Quantifier) ir.Quant {
	switch q {
	case ast.NoQuant:
		return ir.NoQuant
	case ast.ForAnyOfAnyValues:
		return ir.ForAnyOfAnyValues
	case ast.ForAllOfAnyValues:
		return ir.ForAllOfAnyValues
	case ast.ForAnyOfAllValues:
		return ir.ForAnyOfAllValues
	case ast.ForAllOfAllValues:
		return ir.ForAllOfAllValues
	}
	panic(fmt.Sprintf("ir: unknown quantifier %d", q))
}

// relOf converts the relation of a language operator into the IR's.
func relOf(r ast.Relation) ir.Rel {
	switch r {
	case ast.RelEq:
		return ir.RelEq
	case ast.RelPrefix:
		return ir.RelPrefix
	case ast.RelLike:
		return ir.RelLike
	case ast.RelLt:
		return ir.RelLt
	case ast.RelLe:
		return ir.RelLe
	case ast.RelGt:
		return ir.RelGt
	case ast.RelGe:
		return ir.RelGe
	case ast.RelSuffix:
		return ir.RelSuffix
	case ast.RelContains:
		return ir.RelContains
	}
	panic(fmt.Sprintf("ir: unknown relation %d", r))
}

// numRange lowers X NumericInRange [lo, hi] to X NumericGreaterThanEquals lo AND X
// NumericLessThanEquals hi (an OR of the complements when negated): exactly its meaning under
// the single-value rule.
func (l *lowerer) numRange(x *ast.Comparison, neg bool) *ir.Node {
	p := x.Right.(*ast.PairLit)
	left := l.operand(x.Left, attrs.TypeInteger)
	leaf := func(rel ir.Rel, bound *ast.Literal) *ir.Node {
		k := l.constant(attrs.TypeInteger, false, []*ast.Literal{bound})
		// Each bound tests part of the range's text (TextPart).
		return &ir.Node{Kind: ir.Cmp, Span: span(x), Neg: neg, TextNeg: neg, TextPart: true, Cmp: &ir.Comparison{Rel: rel, Type: attrs.TypeInteger, Left: left, Right: ir.Operand{Const: k}}}
	}
	kind := ir.And
	if neg {
		kind = ir.Or
	}
	return &ir.Node{Kind: kind, Span: span(x), Kids: []*ir.Node{leaf(ir.RelGe, p.Lo), leaf(ir.RelLe, p.Hi)}}
}

// list lowers X ListContains v to X ForAnyOfAnyValues:…Equals v and ListNotContains to its
// complement, ForAllOfAllValues:…NotEquals, in the left attribute's type (the checker's).
func (l *lowerer) list(x *ast.Comparison, neg bool) *ir.Node {
	t := x.Left.(*ast.AttrRef).Type
	c := &ir.Comparison{Quant: ir.ForAnyOfAnyValues, Rel: ir.RelEq, Type: t, Left: l.operand(x.Left, t), Right: l.operand(x.Right, t)}
	if x.Op.Info().Negated != neg {
		c.Quant, c.BaseNeg = c.Quant.Dual(), true
	}
	return &ir.Node{Kind: ir.Cmp, Span: span(x), Cmp: c, TextNeg: neg}
}

// table lowers a single-valued test of the left attribute against range table k.
func (l *lowerer) table(x *ast.Comparison, neg bool, rel ir.Rel, t attrs.Type, k int) *ir.Node {
	c := &ir.Comparison{Rel: rel, Type: t, Left: l.operand(x.Left, t), Right: ir.Operand{Const: k}}
	return &ir.Node{Kind: ir.Cmp, Span: span(x), Cmp: c, Neg: x.Op.Info().Negated != neg, TextNeg: neg}
}

// ipTable builds the address range table of an IP operator's right side: every address, CIDR
// and pair as a range, sorted and merged.
func (l *lowerer) ipTable(o ast.Operand) int {
	var rs []ipaddr.Range
	switch o := o.(type) {
	case *ast.Literal:
		rs = append(rs, o.IP)
	case *ast.SetLit:
		for _, e := range o.Elems {
			rs = append(rs, e.IP)
		}
	case *ast.PairLit:
		rs = append(rs, o.IP)
	}
	merged := ipaddr.Merge(rs)
	var key strings.Builder
	key.WriteString("ip")
	for _, r := range merged {
		fmt.Fprintf(&key, "/%x.%x-%x.%x", r.First.Hi, r.First.Lo, r.Last.Hi, r.Last.Lo)
	}
	return l.addConst(key.String(), ir.Constant{Type: attrs.TypeString, IPs: append([]ipaddr.Range{}, merged...)})
}

// timeTable builds the second ranges of a time-of-day operator: each right value v gives the
// times t with t rel v (a pair [from, to] the times between, wrapping midnight when from > to);
// the table is their union.
func (l *lowerer) timeTable(rel ast.Relation, o ast.Operand) int {
	const last = attrs.SecondsPerDay - 1
	var rs []ir.TimeRange
	add := func(from, to int32) {
		if from <= to {
			rs = append(rs, ir.TimeRange{From: from, To: to})
		}
	}
	one := func(v int32) {
		switch rel {
		case ast.RelTimeEq:
			add(v, v)
		case ast.RelTimeLt:
			add(0, v-1)
		case ast.RelTimeLe:
			add(0, v)
		case ast.RelTimeGt:
			add(v+1, last)
		case ast.RelTimeGe:
			add(v, last)
		}
	}
	switch o := o.(type) {
	case *ast.Literal:
		one(o.Seconds)
	case *ast.SetLit:
		for _, e := range o.Elems {
			one(e.Seconds)
		}
	case *ast.PairLit:
		from, to := o.Lo.Seconds, o.Hi.Seconds
		if from <= to {
			add(from, to)
		} else {
			add(0, to)
			add(from, last)
		}
	}
	slices.SortFunc(rs, func(a, b ir.TimeRange) int { return int(a.From - b.From) })
	merged := []ir.TimeRange{}
	for _, r := range rs {
		if n := len(merged); n > 0 && r.From <= merged[n-1].To+1 {
			merged[n-1].To = max(merged[n-1].To, r.To)
			continue
		}
		merged = append(merged, r)
	}
	key := fmt.Sprintf("tod%v", merged)
	return l.addConst(key, ir.Constant{Type: attrs.TypeDateTime, Times: merged})
}

// addConst adds a range table (of an IP or time-of-day test) under a dedup key, reusing an
// equal one. Tables are few, so they keep a map of their own apart from the literal index.
func (l *lowerer) addConst(key string, c ir.Constant) int {
	if i, ok := l.tables[key]; ok {
		return i
	}
	if l.tables == nil {
		l.tables = map[string]int{}
	}
	l.u.Consts = append(l.u.Consts, c)
	if l.indexed {
		l.constPrev = append(l.constPrev, -1) // constPrev stays indexed by constant
	}
	l.tables[key] = len(l.u.Consts) - 1
	return len(l.u.Consts) - 1
}

func (l *lowerer) operand(o ast.Operand, t attrs.Type) ir.Operand {
	switch o := o.(type) {
	case *ast.AttrRef:
		return ir.Operand{IsAttr: true, Attr: l.attrOf(o)}
	case *ast.Literal:
		lits := [1]*ast.Literal{o}
		return ir.Operand{Const: l.constant(t, false, lits[:])}
	case *ast.SetLit:
		return ir.Operand{Const: l.constant(t, true, o.Elems)}
	}
	panic("ir: unknown operand")
}

// constKey is what finds the candidates for reuse of a constant: its type, form, length and
// first value. Candidates are then compared value by value.
type constKey struct {
	typ  attrs.Type
	set  bool
	n    int
	str  string
	num  int64
	guid attrs.Guid
}

// number is a literal's value in the numeric pool of type t (Integer, Boolean as 0 or 1,
// DateTime as its instant).
func number(t attrs.Type, lit *ast.Literal) int64 {
	switch t {
	case attrs.TypeBoolean:
		if lit.Bool {
			return 1
		}
		return 0
	case attrs.TypeDateTime:
		return int64(lit.Instant)
	}
	return lit.Int
}

// holds reports whether constant c has exactly the values of lits, in order.
func holds(c *ir.Constant, t attrs.Type, lits []*ast.Literal) bool {
	if c.Table() {
		return false // a range table (addConst) holds ranges, not literals
	}
	for i, lit := range lits {
		switch t {
		case attrs.TypeString:
			if c.Strs[i] != lit.Str {
				return false
			}
		case attrs.TypeGuid:
			if c.Guids[i] != lit.Guid {
				return false
			}
		default:
			if c.Nums[i] != number(t, lit) {
				return false
			}
		}
	}
	return true
}

// constant adds a literal or set to the table, reusing an equal one.
func (l *lowerer) constant(t attrs.Type, set bool, lits []*ast.Literal) int {
	key := constKey{typ: t, set: set, n: len(lits)}
	if len(lits) > 0 {
		switch first := lits[0]; t {
		case attrs.TypeString:
			key.str = first.Str
		case attrs.TypeGuid:
			key.guid = first.Guid
		default:
			key.num = number(t, first)
		}
	}
	if !l.indexed && len(l.u.Consts) == constScanMax {
		// Too many to scan: index them all.
		if l.consts == nil {
			l.consts = make(map[uint64]int32, 4*constScanMax)
			l.constPrev = make([]int32, 0, 4*constScanMax)
		}
		l.indexed = true
		for i := range l.u.Consts {
			l.link(l.keyOf(&l.u.Consts[i]), i)
		}
	}
	if !l.indexed {
		for i := range l.u.Consts {
			if c := &l.u.Consts[i]; c.Type == t && c.Set == set && c.Len() == len(lits) && holds(c, t, lits) {
				return i
			}
		}
	} else {
		prev, ok := l.consts[key.hash()]
		for i := prev; ok && i >= 0; i = l.constPrev[i] {
			if c := &l.u.Consts[i]; c.Type == t && c.Set == set && c.Len() == len(lits) && holds(c, t, lits) {
				return int(i)
			}
		}
	}
	c := ir.Constant{Type: t, Set: set}
	switch t {
	case attrs.TypeString:
		c.Strs = l.mem.strs.Make(len(lits))
		for i, lit := range lits {
			c.Strs[i] = lit.Str
		}
	case attrs.TypeGuid:
		c.Guids = l.mem.guids.Make(len(lits))
		for i, lit := range lits {
			c.Guids[i] = lit.Guid
		}
	default:
		c.Nums = l.mem.nums.Make(len(lits))
		for i, lit := range lits {
			c.Nums[i] = number(t, lit)
		}
	}
	l.u.Consts = append(l.u.Consts, c)
	i := len(l.u.Consts) - 1
	if l.indexed {
		l.link(key, i)
	}
	return i
}

// constScanMax is the number of constants up to which they are scanned rather than indexed.
const constScanMax = 32

// link indexes constant i under key.
func (l *lowerer) link(key constKey, i int) {
	h := key.hash()
	prev, ok := l.consts[h]
	if !ok {
		prev = -1
	}
	l.constPrev = append(l.constPrev, prev)
	l.consts[h] = int32(i)
}

// hash mixes the key's fields (FNV-1a), so that the index holds 8-byte keys; equal keys hash
// alike, and candidates are compared in full.
func (k constKey) hash() uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	h = (h ^ uint64(k.typ)) * prime
	if k.set {
		h = (h ^ 1) * prime
	}
	h = (h ^ uint64(k.n)) * prime
	h = (h ^ uint64(k.num)) * prime
	h = (h ^ k.guid.Hi) * prime
	h = (h ^ k.guid.Lo) * prime
	for i := 0; i < len(k.str); i++ {
		h = (h ^ uint64(k.str[i])) * prime
	}
	return h
}

// keyOf returns the key of a constant of the table.
func (l *lowerer) keyOf(c *ir.Constant) constKey {
	k := constKey{typ: c.Type, set: c.Set, n: c.Len()}
	switch {
	case len(c.Strs) > 0:
		k.str = c.Strs[0]
	case len(c.Guids) > 0:
		k.guid = c.Guids[0]
	case len(c.Nums) > 0:
		k.num = c.Nums[0]
	}
	return k
}
