// Package codegen turns IR into vm bytecode. The boolean structure becomes compare-and-branch
// instructions with forward jumps only (each AND/OR operand jumps straight to where its result
// decides), and each comparison gets the most specialised instruction its shape allows.
package codegen

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/match"
	"github.com/abacc/abacc/internal/vm"
)

// Generate compiles a unit against catalog cat. The result still needs vm.Verify before use.
func Generate(u *ir.Unit, cat *attrs.Catalog) (p *vm.Program, err error) {
	g := &gen{u: u, cat: cat, p: &vm.Program{Source: u.Source}}
	// At most: a test and a jump per leaf, a jump per constant, an instruction per switch, two
	// returns; a label per operand of an AND or OR, per case and two.
	var instrs, labels int
	ir.Walk(u.Root, func(n *ir.Node) {
		switch {
		case n.IsLeaf():
			instrs += 2
		case n.Kind == ir.Const || n.Kind == ir.Switch:
			instrs++
		}
		labels += len(n.Kids) + len(n.Cases)
	})
	g.p.Code = make([]vm.Instr, 0, instrs+2)
	g.p.Spans = make([]vm.Span, 0, instrs+2)
	// The label and fixup lists are dropped with the generator: they come from a pool.
	w := workPool.Get().(*work)
	defer workPool.Put(w)
	g.labels, g.fixups, g.switchFixups = slices.Grow(w.labels[:0], labels+2), slices.Grow(w.fixups[:0], instrs), w.switchFixups[:0]
	defer func() { w.labels, w.fixups, w.switchFixups = g.labels, g.fixups, g.switchFixups }()
	defer func() {
		if r := recover(); r != nil {
			if tl, ok := r.(tooLarge); ok {
				p, err = nil, fmt.Errorf("condition too large to compile: more than %d %s", math.MaxUint16, string(tl))
				return
			}
			panic(r)
		}
	}()
	t, f := g.newLabel(), g.newLabel()
	g.node(u.Root, t, f, f)
	g.place(f)
	g.emit(vm.Instr{Op: vm.OpRetFalse}, ir.Span{})
	g.place(t)
	g.emit(vm.Instr{Op: vm.OpRetTrue}, ir.Span{})
	for _, fix := range g.fixups {
		g.p.Code[fix.pc].Jump = uint16(g.labels[fix.label])
	}
	for _, fix := range g.switchFixups {
		sw := &g.p.Switches[fix.table]
		if fix.index < 0 {
			sw.Default = uint16(g.labels[fix.label])
		} else {
			sw.Targets[fix.index] = uint16(g.labels[fix.label])
		}
	}
	g.thread()
	return g.p, nil
}

// work holds the generator's lists that no program keeps, reused between generations.
type work struct {
	labels       []int
	fixups       []fixup
	switchFixups []switchFixup
}

var workPool = sync.Pool{New: func() any { return new(work) }}

// tooLarge aborts generation when a table outgrows its 16-bit indexes.
type tooLarge string

type fixup struct{ pc, label int }

// switchFixup patches one target of a switch table (index -1: the default).
type switchFixup struct{ table, index, label int }

type gen struct {
	u            *ir.Unit
	cat          *attrs.Catalog
	p            *vm.Program
	labels       []int // label -> pc, -1 until placed
	fixups       []fixup
	switchFixups []switchFixup

	// The constant tables' indexes: a value stored once is reused.
	strs     index[string]
	nums     index[int64]
	guids    index[attrs.Guid]
	sets     index[setKey]
	operands index[vm.Operand]
}

// index finds the entries of a constant table by key. While it is small it scans its entries,
// which beats hashing for the few constants most conditions have; the first 16 entries live in
// the index itself (and so on the generator's stack); past scanMax entries it also keeps a
// map. Several entries may share a key (sets are keyed by their first value): candidates come
// latest first.
type index[K comparable] struct {
	n     int // number of entries
	small [16]entry[K]
	more  []entry[K]  // entries past len(small)
	last  map[K]int32 // the last entry with each key, once the index is large
}

type entry[K comparable] struct {
	key K
	val uint16 // the table index
	// prev is, once the index keeps a map, the previous entry with the same key (or -1).
	prev int32
}

// scanMax is the number of entries up to which an index is only scanned.
const scanMax = 16

// at returns entry i.
func (x *index[K]) at(i int) *entry[K] {
	if i < len(x.small) {
		return &x.small[i]
	}
	return &x.more[i-len(x.small)]
}

// first returns the last entry with key k, or -1.
func (x *index[K]) first(k K) int {
	if x.last != nil {
		if i, ok := x.last[k]; ok {
			return int(i)
		}
		return -1
	}
	return x.scan(k, x.n)
}

// next returns the entry before entry i that has its key k, or -1.
func (x *index[K]) next(k K, i int) int {
	if x.last != nil {
		return int(x.at(i).prev)
	}
	return x.scan(k, i)
}

// scan returns the last entry before end with key k, or -1.
func (x *index[K]) scan(k K, end int) int {
	for i := end - 1; i >= 0; i-- {
		if x.at(i).key == k {
			return i
		}
	}
	return -1
}

// add records that key k finds table index v.
func (x *index[K]) add(k K, v uint16) {
	e := entry[K]{key: k, val: v, prev: -1}
	if x.n < len(x.small) {
		x.small[x.n] = e
	} else {
		x.more = append(x.more, e)
	}
	x.n++
	switch {
	case x.last != nil:
		x.link(x.n - 1)
	case x.n > scanMax:
		x.last = make(map[K]int32, 2*x.n)
		for i := range x.n {
			x.link(i)
		}
	}
}

func (x *index[K]) link(i int) {
	e := x.at(i)
	if p, ok := x.last[e.key]; ok {
		e.prev = p
	}
	x.last[e.key] = int32(i)
}

// setKey finds the candidates for reuse of a set: its pool, order, length and first value.
type setKey struct {
	pool   attrs.Type // TypeString, TypeInteger (every numeric pool) or TypeGuid
	sorted bool
	table  bool // a range table (IP_IN, TIME_IN): never shared with a set of values
	n      int
	str    string
	num    int64
	guid   attrs.Guid
}

func (g *gen) newLabel() int {
	g.labels = append(g.labels, -1)
	return len(g.labels) - 1
}

func (g *gen) place(l int) { g.labels[l] = len(g.p.Code) }

func (g *gen) emit(in vm.Instr, sp ir.Span) int {
	if len(g.p.Code) >= math.MaxUint16 {
		panic(tooLarge("instructions"))
	}
	g.p.Code = append(g.p.Code, in)
	g.p.Spans = append(g.p.Spans, vm.Span{Pos: uint32(sp.Pos), End: uint32(sp.End)})
	return len(g.p.Code) - 1
}

// jump emits an instruction whose Jump goes to label l.
func (g *gen) jump(in vm.Instr, sp ir.Span, l int) {
	pc := g.emit(in, sp)
	g.fixups = append(g.fixups, fixup{pc, l})
}

// node generates code that continues at label t if n is true and at f if false; next is the
// label placed right after this code, so one of the two needs no jump.
func (g *gen) node(n *ir.Node, t, f, next int) {
	switch n.Kind {
	case ir.Const:
		target := f
		if n.Value {
			target = t
		}
		if target != next {
			g.jump(vm.Instr{Op: vm.OpJump}, n.Span, target)
		}
	case ir.And:
		for i, k := range n.Kids {
			if i == len(n.Kids)-1 {
				g.node(k, t, f, next)
				break
			}
			l := g.newLabel()
			g.node(k, l, f, l)
			g.place(l)
		}
	case ir.Or:
		for i, k := range n.Kids {
			if i == len(n.Kids)-1 {
				g.node(k, t, f, next)
				break
			}
			l := g.newLabel()
			g.node(k, t, l, l)
			g.place(l)
		}
	case ir.Switch:
		g.switchNode(n, t, f, next)
	default:
		in, inverted := g.test(n)
		// The instruction computes the raw result; Neg complements it (as does an instruction
		// that computes the complement of the test), which flips the branch.
		neg := n.Neg != inverted
		// The text at the span reads as the effective result, complemented by TextNeg.
		if neg != n.TextNeg {
			in.Flag |= vm.FlagNegatedText
		}
		if n.TextPart {
			in.Flag |= vm.FlagPartialText
		}
		switch next {
		case f: // fall through when false: jump to t when the effective result is true
			in.Flag |= flag(!neg)
			g.jump(in, n.Span, t)
		case t:
			in.Flag |= flag(neg)
			g.jump(in, n.Span, f)
		default:
			in.Flag |= flag(!neg)
			g.jump(in, n.Span, t)
			g.jump(vm.Instr{Op: vm.OpJump}, n.Span, f)
		}
	}
}

// thread shortens jump chains: a branch to a JUMP goes straight to its target, and a JUMP to
// a return becomes that return. Targets stay forward, since a JUMP only jumps forward.
func (g *gen) thread() {
	code := g.p.Code
	final := func(pc uint16) uint16 {
		for code[pc].Op == vm.OpJump {
			pc = code[pc].Jump
		}
		return pc
	}
	for pc := len(code) - 1; pc >= 0; pc-- {
		in := &code[pc]
		switch in.Op.Info().Flow {
		case vm.FlowJump:
			t := final(in.Jump)
			if op := code[t].Op; op.Info().Flow == vm.FlowReturn {
				*in = vm.Instr{Op: op}
			} else {
				in.Jump = t
			}
		case vm.FlowSwitch:
			sw := &g.p.Switches[in.B]
			for i := range sw.Targets {
				sw.Targets[i] = final(sw.Targets[i])
			}
			sw.Default = final(sw.Default)
		case vm.FlowTest:
			in.Jump = final(in.Jump)
		}
	}
}

// switchNode emits a dispatch on the action followed by the code of each case.
func (g *gen) switchNode(n *ir.Node, t, f, next int) {
	type entry struct {
		pattern string
		c       int
	}
	var entries []entry
	for i, c := range n.Cases {
		for _, p := range c.Patterns {
			entries = append(entries, entry{p, i})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.pattern, b.pattern) })
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.pattern
	}
	set := g.strSet(names, true, true)
	if len(g.p.Switches) >= math.MaxUint16 {
		panic(tooLarge("switches"))
	}
	table := len(g.p.Switches)
	g.p.Switches = append(g.p.Switches, vm.Switch{Set: set, Targets: make([]uint16, len(entries))})
	g.emit(vm.Instr{Op: vm.OpSwitch, B: uint16(table)}, n.Span)
	labels := make([]int, len(n.Cases))
	for i := range labels {
		labels[i] = g.newLabel()
	}
	for i, e := range entries {
		g.switchFixups = append(g.switchFixups, switchFixup{table, i, labels[e.c]})
	}
	def := f
	if n.Value {
		def = t
	}
	g.switchFixups = append(g.switchFixups, switchFixup{table, -1, def})
	for i, c := range n.Cases {
		g.place(labels[i])
		after := next
		if i < len(n.Cases)-1 {
			after = labels[i+1] // not t or f: the case's code never falls into the next case
		}
		g.node(c.Body, t, f, after)
	}
}

func flag(jumpIfTrue bool) uint8 {
	if jumpIfTrue {
		return vm.FlagJumpIfTrue
	}
	return 0
}

// test selects the instruction for a leaf (without its branch).
// test selects the instruction for a leaf (without its branch). inverted reports an instruction
// that computes the complement of the leaf's test.
func (g *gen) test(n *ir.Node) (in vm.Instr, inverted bool) {
	switch n.Kind {
	case ir.Action:
		for _, p := range n.Patterns {
			if strings.Contains(p, "*") {
				return vm.Instr{Op: vm.OpAction, B: g.strSet(n.Patterns, false, false)}, false
			}
		}
		// Exact names only: membership of the folded action.
		return vm.Instr{Op: vm.OpActionIn, B: g.strSet(n.Patterns, len(n.Patterns) >= sortedMin, false)}, false
	case ir.SubOp:
		return vm.Instr{Op: vm.OpSubOp, B: g.strSet(n.Patterns, false, false)}, false
	case ir.Exists:
		return vm.Instr{Op: vm.OpExists, A: g.operand(n.Attr, n.Attr.Type)}, false
	}
	c := n.Cmp
	if c.Quant == ir.NoQuant && c.Left.IsAttr && !c.Right.IsAttr && c.Left.Attr.Sel != attrs.SelKeys {
		if in, ok := g.special(c); ok {
			return in, false
		}
	}
	if c.Rel == ir.RelEq && c.Left.IsAttr && !c.Right.IsAttr {
		switch {
		case (c.Quant == ir.ForAnyOfAnyValues || c.Quant == ir.ForAllOfAnyValues) && !c.BaseNeg:
			return g.membership(c, c.Quant == ir.ForAllOfAnyValues), false
		// ∃l∀r l≠r is "some value is not in the set": NOT ∀l l∈R. ∀l∀r l≠r is "no value is in
		// the set": NOT ∃l l∈R. (Empty left sides agree: false and true respectively.)
		case c.Quant == ir.ForAnyOfAllValues && c.BaseNeg:
			return g.membership(c, true), true
		case c.Quant == ir.ForAllOfAllValues && c.BaseNeg:
			return g.membership(c, false), true
		}
	}
	return vm.Instr{Op: vm.OpCmp, B: g.cmp(c)}, false
}

// sortedMin is the set size from which sets are sorted for binary search.
const sortedMin = 9

// special picks a specialised instruction for a single-valued attribute-versus-constant test.
func (g *gen) special(c *ir.Comparison) (vm.Instr, bool) {
	k := &g.u.Consts[c.Right.Const]
	a := g.operand(c.Left.Attr, c.Type)
	one := k.Len() == 1
	switch c.Rel {
	case ir.RelIPIn:
		return vm.Instr{Op: vm.OpIPIn, A: a, B: g.ipTable(k)}, true
	case ir.RelTimeIn:
		return vm.Instr{Op: vm.OpTimeIn, A: a, B: g.timeTable(k)}, true
	}
	switch c.Type {
	case attrs.TypeString:
		var op vm.Opcode
		switch {
		case c.Rel == ir.RelEq && !one:
			op = vm.OpStrIn
			if c.Fold {
				op = foldVariant(op)
			}
			return vm.Instr{Op: op, A: a, B: g.strSet(k.Strs, k.Sorted, c.Fold)}, true
		case !one:
			return vm.Instr{}, false
		case c.Rel == ir.RelEq:
			op = vm.OpStrEq
		case c.Rel == ir.RelPrefix:
			op = vm.OpStrPrefix
		case c.Rel == ir.RelSuffix:
			op = vm.OpStrSuffix
		case c.Rel == ir.RelLike:
			op = vm.OpStrLike
		case c.Rel == ir.RelContains && !c.Fold:
			op = vm.OpStrContains
		default:
			return vm.Instr{}, false
		}
		s := k.Strs[0]
		if c.Fold {
			op = foldVariant(op)
			s = match.FoldString(s)
		}
		return vm.Instr{Op: op, A: a, B: g.str(s)}, true
	case attrs.TypeGuid:
		if c.Rel != ir.RelEq {
			return vm.Instr{}, false
		}
		if one {
			return vm.Instr{Op: vm.OpGuidEq, A: a, B: g.guid(k.Guids[0])}, true
		}
		return vm.Instr{Op: vm.OpGuidIn, A: a, B: g.guidSet(k.Guids, k.Sorted)}, true
	default: // Integer, Boolean, DateTime
		if !one {
			if c.Rel != ir.RelEq {
				return vm.Instr{}, false
			}
			return vm.Instr{Op: vm.OpNumIn, A: a, B: g.numSet(k.Nums, k.Sorted)}, true
		}
		var op vm.Opcode
		switch c.Rel {
		case ir.RelEq:
			op = vm.OpNumEq
		case ir.RelLt:
			op = vm.OpNumLt
		case ir.RelLe:
			op = vm.OpNumLe
		case ir.RelGt:
			op = vm.OpNumGt
		case ir.RelGe:
			op = vm.OpNumGe
		default:
			return vm.Instr{}, false
		}
		return vm.Instr{Op: op, A: a, B: g.num(k.Nums[0])}, true
	}
}

// membership compiles a test that any (with all: every) value of an attribute is in a constant
// set: ForAnyOfAnyValues:…Equals and ForAllOfAnyValues:…Equals, and the complements of the
// NotEquals cross products.
func (g *gen) membership(c *ir.Comparison, all bool) vm.Instr {
	k := &g.u.Consts[c.Right.Const]
	op := vm.OpInAny
	if all {
		op = vm.OpInAll
	}
	if c.Fold {
		op = foldVariant(op)
	}
	in := vm.Instr{Op: op, A: g.operand(c.Left.Attr, c.Type)}
	switch c.Type {
	case attrs.TypeString:
		in.B = g.strSet(k.Strs, k.Sorted, c.Fold)
	case attrs.TypeGuid:
		in.B = g.guidSet(k.Guids, k.Sorted)
	default:
		in.B = g.numSet(k.Nums, k.Sorted)
	}
	return in
}

// foldVariant returns the case-folding variant of op, which the opcode table must give.
func foldVariant(op vm.Opcode) vm.Opcode {
	f, ok := op.FoldVariant()
	if !ok {
		panic(fmt.Sprintf("codegen: %s has no case-folding variant", op))
	}
	return f
}

// quants and rels translate the IR's quantifiers and relations into those of comparison
// descriptors.
var quants = map[ir.Quant]uint8{ir.NoQuant: vm.QuantNone, ir.ForAnyOfAnyValues: vm.QuantAnyOfAny,
	ir.ForAllOfAnyValues: vm.QuantAllOfAny, ir.ForAnyOfAllValues: vm.QuantAnyOfAll, ir.ForAllOfAllValues: vm.QuantAllOfAll}

var rels = map[ir.Rel]uint8{ir.RelEq: vm.RelEq, ir.RelPrefix: vm.RelPrefix, ir.RelLike: vm.RelLike,
	ir.RelLt: vm.RelLt, ir.RelLe: vm.RelLe, ir.RelGt: vm.RelGt, ir.RelGe: vm.RelGe, ir.RelSuffix: vm.RelSuffix,
	ir.RelContains: vm.RelContains}

func (g *gen) cmp(c *ir.Comparison) uint16 {
	rel, ok := rels[c.Rel]
	if !ok {
		// Table tests have an instruction of their own and a left attribute (the checker's
		// rule); nothing else reaches here.
		panic(fmt.Sprintf("codegen: relation %d has no comparison descriptor", c.Rel))
	}
	d := vm.Cmp{Quant: quants[c.Quant], Rel: rel, Type: c.Type, Fold: c.Fold, BaseNeg: c.BaseNeg,
		L: g.side(c.Left, c.Type), R: g.side(c.Right, c.Type)}
	if len(g.p.Cmps) >= math.MaxUint16 {
		panic(tooLarge("comparisons"))
	}
	g.p.Cmps = append(g.p.Cmps, d)
	return uint16(len(g.p.Cmps) - 1)
}

func (g *gen) side(o ir.Operand, t attrs.Type) vm.Side {
	if o.IsAttr {
		return vm.Side{Attr: true, Index: g.operand(o.Attr, t)}
	}
	k := &g.u.Consts[o.Const]
	switch t {
	case attrs.TypeString:
		return vm.Side{Index: g.strSet(k.Strs, false, false)}
	case attrs.TypeGuid:
		return vm.Side{Index: g.guidSet(k.Guids, false)}
	}
	return vm.Side{Index: g.numSet(k.Nums, false)}
}

func (g *gen) operand(a ir.Attr, t attrs.Type) uint16 {
	attr := g.cat.Attr(a.ID)
	if a.Sel == attrs.SelKeys || t == attrs.Untyped {
		// Key sets hold strings; Exists on an untyped attribute reads no value at all.
		t = attrs.TypeString
	}
	o := vm.Operand{ID: a.ID, Sel: a.Sel, Key: a.Key, Type: t, Source: attr.Source, Name: attr.Name}
	return intern(&g.p.Operands, &g.operands, o, o, "attribute operands")
}

// intern returns the index of v in table, appending it (indexed by key in seen) the first
// time; tables are indexed by 16 bits, so a larger one aborts generation.
func intern[K comparable, V any](table *[]V, seen *index[K], key K, v V, what string) uint16 {
	if e := seen.first(key); e >= 0 {
		return seen.at(e).val
	}
	if len(*table) >= math.MaxUint16 {
		panic(tooLarge(what))
	}
	*table = append(*table, v)
	i := uint16(len(*table) - 1)
	seen.add(key, i)
	return i
}

func (g *gen) str(s string) uint16 { return intern(&g.p.Strs, &g.strs, s, s, "string constants") }

func (g *gen) num(v int64) uint16 { return intern(&g.p.Nums, &g.nums, v, v, "numeric constants") }

func (g *gen) guid(v attrs.Guid) uint16 { return intern(&g.p.Guids, &g.guids, v, v, "guid constants") }

// findSet returns the index of the set with key k whose values are vals in pool, or -1.
func findSet[T comparable](g *gen, k setKey, pool []T, vals []T) int {
	for e := g.sets.first(k); e >= 0; e = g.sets.next(k, e) {
		i := g.sets.at(e).val
		if s := g.p.Sets[i]; slices.Equal(pool[s.Off:s.Off+s.N], vals) {
			return int(i)
		}
	}
	return -1
}

// storeSet returns the set of vals in pool, storing them (and indexing them under k) when no
// equal set of that key is stored yet.
func storeSet[T comparable](g *gen, k setKey, pool *[]T, vals []T, sorted bool) uint16 {
	if i := findSet(g, k, *pool, vals); i >= 0 {
		return uint16(i)
	}
	s := vm.Set{Off: uint32(len(*pool)), N: uint32(len(vals)), Sorted: sorted}
	*pool = append(*pool, vals...)
	return g.addSet(k, s)
}

// addSet appends a set record for the values just appended to their pool.
func (g *gen) addSet(k setKey, s vm.Set) uint16 {
	if len(g.p.Sets) >= math.MaxUint16 {
		panic(tooLarge("sets"))
	}
	g.p.Sets = append(g.p.Sets, s)
	i := uint16(len(g.p.Sets) - 1)
	g.sets.add(k, i)
	return i
}

// strSet stores strings as a set. A sorted set is sorted and deduplicated for binary search;
// a sorted folded set is folded first (STR_IN_FOLD searches the folded request value).
func (g *gen) strSet(vals []string, sorted, fold bool) uint16 {
	if sorted {
		vals = slices.Clone(vals)
		if fold {
			for i, v := range vals {
				vals[i] = match.FoldString(v)
			}
		}
		slices.Sort(vals)
		vals = slices.Compact(vals)
	}
	k := setKey{pool: attrs.TypeString, sorted: sorted, n: len(vals)}
	if len(vals) > 0 {
		k.str = vals[0]
	}
	return storeSet(g, k, &g.p.Strs, vals, sorted)
}

func (g *gen) numSet(vals []int64, sorted bool) uint16 {
	if sorted {
		vals = slices.Clone(vals)
		slices.Sort(vals)
		vals = slices.Compact(vals)
	}
	k := setKey{pool: attrs.TypeInteger, sorted: sorted, n: len(vals)}
	if len(vals) > 0 {
		k.num = vals[0]
	}
	return storeSet(g, k, &g.p.Nums, vals, sorted)
}

func (g *gen) guidSet(vals []attrs.Guid, sorted bool) uint16 {
	if sorted {
		vals = slices.Clone(vals)
		slices.SortFunc(vals, attrs.Guid.Compare)
		vals = slices.Compact(vals)
	}
	k := setKey{pool: attrs.TypeGuid, sorted: sorted, n: len(vals)}
	if len(vals) > 0 {
		k.guid = vals[0]
	}
	return storeSet(g, k, &g.p.Guids, vals, sorted)
}

// ipTable stores an address range table as a sorted set of Guids: first, last, first, last, …
func (g *gen) ipTable(k *ir.Constant) uint16 {
	vals := make([]attrs.Guid, 0, 2*len(k.IPs))
	for _, r := range k.IPs {
		vals = append(vals, attrs.Guid(r.First), attrs.Guid(r.Last))
	}
	key := setKey{pool: attrs.TypeGuid, sorted: true, table: true, n: len(vals)}
	if len(vals) > 0 {
		key.guid = vals[0]
	}
	return storeSet(g, key, &g.p.Guids, vals, true)
}

// timeTable stores a time range table as a sorted set of Nums: from, to, from, to, …
func (g *gen) timeTable(k *ir.Constant) uint16 {
	vals := make([]int64, 0, 2*len(k.Times))
	for _, r := range k.Times {
		vals = append(vals, int64(r.From), int64(r.To))
	}
	key := setKey{pool: attrs.TypeInteger, sorted: true, table: true, n: len(vals)}
	if len(vals) > 0 {
		key.num = vals[0]
	}
	return storeSet(g, key, &g.p.Nums, vals, true)
}
