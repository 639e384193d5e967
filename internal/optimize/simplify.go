package optimize

import (
	"fmt"
	"slices"
	"sync"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/match"
)

// Simplify applies exact boolean identities to AND/OR nodes:
//   - duplicates: a AND a = a, a OR a = a;
//   - complements: a AND NOT a = false, a OR NOT a = true (every leaf's Neg is its exact
//     complement, and a cross product's complement is its dual);
//   - absorption: a AND (a OR b) = a, a OR (a AND b) = a;
//   - contradictions: X StringEquals 'a' AND X StringEquals 'b' = false, since a positive
//     single-valued equality needs X's one value to equal both (likewise for the other
//     equality families, and for sets that do not intersect).
func Simplify(u *ir.Unit) {
	// One table serves every node of the pass in turn (a node is simplified after its
	// operands, never during), and the pass after: its memory comes from a pool.
	seen := leafTables.Get().(*leafTable)
	seen.u, seen.classes = u, nil
	u.Root = rewrite(u.Root, func(n *ir.Node) *ir.Node {
		if n.Kind != ir.And && n.Kind != ir.Or {
			return n
		}
		return normalize(simplify(u, seen, n))
	})
	seen.reset()
	seen.u, seen.classes = nil, nil
	leafTables.Put(seen)
}

var leafTables = sync.Pool{New: func() any { return &leafTable{entries: make([]leafEntry, 0, 8)} }}

func simplify(u *ir.Unit, seen *leafTable, n *ir.Node) *ir.Node {
	annihilator := n.Kind == ir.Or // a OR NOT a = true; a AND NOT a = false
	seen.reset()
	kids := keeper{all: n.Kids}
	for i, k := range n.Kids {
		if !k.IsLeaf() {
			kids.keep(k)
			continue
		}
		key := seen.key(k)
		if seen.has(&key, k.Patterns) {
			kids.drop(i)
			continue
		}
		if not := key.complement(); seen.has(&not, k.Patterns) {
			return constant(n, annihilator)
		}
		seen.add(&key, k.Patterns)
		kids.keep(k)
	}
	// Absorption: drop a child of the other kind that contains one of our leaves.
	out := keeper{all: kids.result()}
	for i, k := range out.all {
		if (k.Kind == ir.And || k.Kind == ir.Or) && k.Kind != n.Kind && absorbs(k, seen) {
			out.drop(i)
			continue
		}
		out.keep(k)
	}
	n.Kids = out.result()
	if n.Kind == ir.And && contradictory(u, n.Kids) {
		return constant(n, false)
	}
	return n
}

// keeper filters a slice of nodes visited in order, copying it only once an element is
// dropped: most AND/OR nodes lose no operand, and then the filter allocates nothing.
type keeper struct {
	all    []*ir.Node
	kept   []*ir.Node
	copied bool
}

// keep keeps the node just visited.
func (f *keeper) keep(k *ir.Node) {
	if f.copied {
		f.kept = append(f.kept, k)
	}
}

// drop drops all[i], the node just visited.
func (f *keeper) drop(i int) {
	if !f.copied {
		f.kept = append(make([]*ir.Node, 0, len(f.all)-1), f.all[:i]...)
		f.copied = true
	}
}

// result returns the nodes kept.
func (f *keeper) result() []*ir.Node {
	if f.copied {
		return f.kept
	}
	return f.all
}

func absorbs(k *ir.Node, seen *leafTable) bool {
	if seen.len() == 0 {
		return false
	}
	for _, g := range k.Kids {
		if !g.IsLeaf() || !seen.holdsKind(g.Kind) {
			continue
		}
		if key := seen.key(g); seen.has(&key, g.Patterns) {
			return true
		}
	}
	return false
}

// leafKey identifies a leaf by meaning, except for the patterns of ActionMatches and
// SubOperationMatches, of which it holds only the first and the number (leafTable compares
// the lists). Constants are identified by value (constClass), attributes by what they read.
type leafKey struct {
	kind          ir.Kind
	neg           bool
	quant         ir.Quant
	rel           ir.Rel
	typ           attrs.Type
	fold, baseNeg bool
	left, right   operandKey
	pattern       string
	numPatterns   int
}

// operandKey identifies an operand: an attribute by what it reads, a constant by its value
// class.
type operandKey struct {
	isAttr bool
	id     attrs.ID
	sel    attrs.Selector
	key    string
	typ    attrs.Type
	class  int32
}

func attrKey(a ir.Attr) operandKey {
	return operandKey{isAttr: true, id: a.ID, sel: a.Sel, key: a.Key, typ: a.Type}
}

// leafTable is a set of leaves by meaning (leafKey plus the pattern list).
type leafTable struct {
	u       *ir.Unit
	classes []int32 // constClasses of u.Consts, computed when a leaf first needs it
	entries []leafEntry
	kinds   uint32 // bit k: the table holds a leaf of ir.Kind k
	// index maps a key to its last entry (entries chain through prev); used once the table
	// is too big to scan.
	index map[leafKey]int32
}

type leafEntry struct {
	key      leafKey
	patterns []string
	prev     int32 // the previous entry with the same key, or -1
}

// scanMax is the number of entries up to which leafTable scans rather than hashes.
const scanMax = 16

// reset empties the table for the next node.
func (t *leafTable) reset() {
	if len(t.entries) > scanMax { // the previous node used the index
		clear(t.index)
	}
	clear(t.entries) // drop the previous node's strings
	t.entries = t.entries[:0]
	t.kinds = 0
}

func (t *leafTable) len() int { return len(t.entries) }

// holdsKind reports whether the table holds a leaf of kind k: no key of a leaf of another
// kind can match, so absorption skips building it.
func (t *leafTable) holdsKind(k ir.Kind) bool { return t.kinds&(1<<k) != 0 }

// has reports whether the table holds a leaf with key k and these patterns.
func (t *leafTable) has(k *leafKey, patterns []string) bool {
	if len(t.entries) <= scanMax {
		for i := range t.entries {
			if e := &t.entries[i]; e.key == *k && slices.Equal(e.patterns, patterns) {
				return true
			}
		}
		return false
	}
	i, ok := t.index[*k]
	for ok && i >= 0 {
		e := &t.entries[i]
		if slices.Equal(e.patterns, patterns) {
			return true
		}
		i = e.prev
	}
	return false
}

// add puts a leaf with key k and these patterns in the table.
func (t *leafTable) add(k *leafKey, patterns []string) {
	t.entries = append(t.entries, leafEntry{key: *k, patterns: patterns, prev: -1})
	t.kinds |= 1 << k.kind
	switch n := len(t.entries); {
	case n == scanMax+1:
		// Past scanning: index every entry.
		if t.index == nil {
			t.index = make(map[leafKey]int32, 4*scanMax)
		}
		for i := range t.entries {
			t.link(int32(i))
		}
	case n > scanMax+1:
		t.link(int32(n - 1))
	}
}

func (t *leafTable) link(i int32) {
	e := &t.entries[i]
	if prev, ok := t.index[e.key]; ok {
		e.prev = prev
	}
	t.index[e.key] = i
}

// key returns the key of leaf n.
func (t *leafTable) key(n *ir.Node) leafKey {
	k := leafKey{kind: n.Kind, neg: n.Neg}
	switch n.Kind {
	case ir.Cmp:
		c := n.Cmp
		k.quant, k.baseNeg = c.Quant, c.BaseNeg
		k.rel, k.typ, k.fold = c.Rel, c.Type, c.Fold
		k.left, k.right = t.operand(c.Left), t.operand(c.Right)
	case ir.Exists:
		k.left = attrKey(n.Attr)
	default:
		if len(n.Patterns) > 0 {
			k.pattern = n.Patterns[0]
		}
		k.numPatterns = len(n.Patterns)
	}
	return k
}

// complement returns the key of the leaf's exact complement: the Not-twin of a single-valued
// comparison or of another test, the dual of a cross product.
func (k leafKey) complement() leafKey {
	if k.kind == ir.Cmp && k.quant != ir.NoQuant {
		k.quant, k.baseNeg = k.quant.Dual(), !k.baseNeg
	} else {
		k.neg = !k.neg
	}
	return k
}

func (t *leafTable) operand(o ir.Operand) operandKey {
	if o.IsAttr {
		return attrKey(o.Attr)
	}
	if t.classes == nil {
		t.classes = constClasses(t.u.Consts)
	}
	return operandKey{class: t.classes[o.Const]}
}

// constClasses numbers constants by value: constants with the same type and values (whether
// written as a set or not) get the index of the first of them.
func constClasses(consts []ir.Constant) []int32 {
	classes := make([]int32, len(consts))
	// Lowering already merged equal constants of one form, so classes are mostly singletons.
	// Each constant is compared with the representatives of the classes so far (the constants
	// that are their own class): all of them while they are few, else those whose type,
	// length and first value hash alike.
	var buf [64]int32
	reps := buf[:0]
	var byHash map[uint64]int32 // the last representative with a hash
	var prevRep []int32         // per representative, the previous one with its hash
	for i := range consts {
		c := &consts[i]
		classes[i] = int32(i)
		if byHash == nil {
			for _, j := range reps {
				if d := &consts[j]; d.Type == c.Type && sameValues(c, d) {
					classes[i] = j
					break
				}
			}
		} else {
			r, ok := byHash[firstHash(c)]
			for ; ok && r >= 0; r = prevRep[r] {
				if j := reps[r]; consts[j].Type == c.Type && sameValues(c, &consts[j]) {
					classes[i] = j
					break
				}
			}
		}
		if classes[i] != int32(i) {
			continue
		}
		reps = append(reps, int32(i))
		if byHash == nil && len(reps) > cap(buf) {
			byHash = make(map[uint64]int32, 2*len(reps))
			prevRep = make([]int32, 0, 2*len(reps))
			for r := range reps[:len(reps)-1] {
				linkRep(byHash, &prevRep, firstHash(&consts[reps[r]]), int32(r))
			}
		}
		if byHash != nil {
			linkRep(byHash, &prevRep, firstHash(c), int32(len(reps)-1))
		}
	}
	return classes
}

func linkRep(byHash map[uint64]int32, prevRep *[]int32, h uint64, r int32) {
	prev, ok := byHash[h]
	if !ok {
		prev = -1
	}
	*prevRep = append(*prevRep, prev)
	byHash[h] = r
}

// firstHash hashes a constant's type, length and first value (FNV-1a).
func firstHash(c *ir.Constant) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	h = (h ^ uint64(c.Type)) * prime
	h = (h ^ uint64(c.Len())) * prime
	switch {
	case len(c.Strs) > 0:
		for i := 0; i < len(c.Strs[0]); i++ {
			h = (h ^ uint64(c.Strs[0][i])) * prime
		}
	case len(c.Nums) > 0:
		h = (h ^ uint64(c.Nums[0])) * prime
	case len(c.Guids) > 0:
		h = (h ^ c.Guids[0].Hi) * prime
		h = (h ^ c.Guids[0].Lo) * prime
	}
	return h
}

// sameValues reports whether two constants hold the same values in the same order.
func sameValues(c, d *ir.Constant) bool {
	return slices.Equal(c.Strs, d.Strs) && slices.Equal(c.Nums, d.Nums) && slices.Equal(c.Guids, d.Guids) &&
		slices.Equal(c.IPs, d.IPs) && slices.Equal(c.Times, d.Times)
}

// contradictory reports whether two positive single-valued equality tests of one attribute in
// an AND admit no common value.
func contradictory(u *ir.Unit, kids []*ir.Node) bool {
	// Only an attribute tested twice can contradict itself: find the candidates first, and
	// build value sets only when one attribute (with one Fold) repeats.
	type attrFold struct {
		attr operandKey
		fold bool
	}
	type candidate struct {
		attr attrFold
		c    *ir.Comparison
	}
	var buf [8]candidate
	cands := buf[:0]
	repeated := false
	var tested map[attrFold]bool // once there are too many candidates to compare pairwise
	for _, k := range kids {
		if k.Kind != ir.Cmp || k.Neg {
			continue
		}
		c := k.Cmp
		if c.Quant != ir.NoQuant || c.Rel != ir.RelEq || !c.Left.IsAttr || c.Right.IsAttr {
			continue
		}
		cand := candidate{attrFold{attrKey(c.Left.Attr), c.Fold}, c}
		if len(cands) < scanMax {
			for _, d := range cands {
				repeated = repeated || d.attr == cand.attr
			}
		} else {
			if tested == nil {
				tested = make(map[attrFold]bool, 2*scanMax)
				for _, d := range cands {
					tested[d.attr] = true
				}
			}
			repeated = repeated || tested[cand.attr]
			tested[cand.attr] = true
		}
		cands = append(cands, cand)
	}
	if !repeated {
		return false
	}
	allowed := map[attrFold]map[string]bool{} // attribute -> values it may equal
	for _, cand := range cands {
		c, attr := cand.c, cand.attr
		vals := map[string]bool{}
		kc := &u.Consts[c.Right.Const]
		for i := 0; i < kc.Len(); i++ {
			vals[valueKey(kc, i, c.Fold)] = true
		}
		if prev, ok := allowed[attr]; ok {
			for v := range vals {
				if !prev[v] {
					delete(vals, v)
				}
			}
			if len(vals) == 0 {
				return true
			}
		}
		allowed[attr] = vals
	}
	return false
}

func valueKey(k *ir.Constant, i int, fold bool) string {
	switch k.Type {
	case attrs.TypeString:
		if fold {
			return match.FoldString(k.Strs[i])
		}
		return k.Strs[i]
	case attrs.TypeGuid:
		return k.Guids[i].String()
	}
	return fmt.Sprint(k.Nums[i])
}
