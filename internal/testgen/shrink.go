package testgen

import "github.com/leanovate/gopter"

// CaseGen is a gopter generator of cases (*Case) with nreqs requests each, made by a new
// Generator over gopter's random source, and shrunk by ShrinkCase.
func CaseGen(opts Options, nreqs int) gopter.Gen {
	return func(p *gopter.GenParameters) *gopter.GenResult {
		return gopter.NewGenResult(New(p.Rng, opts).Case(nreqs), ShrinkCase)
	}
}

// ShrinkCase is the gopter shrinker of a *Case: its condition shrunk, one request fewer, or
// one request shrunk.
func ShrinkCase(v interface{}) gopter.Shrink {
	c := v.(*Case)
	var cands []*Case
	for _, n := range shrinkNode(c.Cond) {
		cands = append(cands, &Case{Cond: n, Reqs: c.Reqs, Setter: c.Setter})
	}
	if len(c.Reqs) > 1 {
		for i := range c.Reqs {
			cands = append(cands, &Case{Cond: c.Cond, Reqs: without(c.Reqs, i), Setter: c.Setter})
		}
	}
	for i, q := range c.Reqs {
		for _, s := range shrinkRequest(q) {
			cands = append(cands, &Case{Cond: c.Cond, Reqs: replaced(c.Reqs, i, s), Setter: c.Setter})
		}
	}
	i := 0
	return func() (interface{}, bool) {
		if i >= len(cands) {
			return nil, false
		}
		i++
		return cands[i-1], true
	}
}

// shrinkNode lists the trees one step simpler than n, simplest first; all are well-typed.
func shrinkNode(n *Node) []*Node {
	var out []*Node
	switch n.Kind {
	case LeafNode:
		for _, l := range shrinkLeaf(n.Leaf) {
			out = append(out, &Node{Kind: LeafNode, Leaf: l, Style: n.Style})
		}
	case NotNode:
		out = append(out, n.Kids[0])
		for _, x := range shrinkNode(n.Kids[0]) {
			out = append(out, &Node{Kind: NotNode, Kids: []*Node{x}, Style: n.Style})
		}
	default:
		out = append(out, n.Kids...)
		if len(n.Kids) > 2 {
			for i := range n.Kids {
				out = append(out, &Node{Kind: n.Kind, Kids: without(n.Kids, i), Style: n.Style})
			}
		}
		for i, k := range n.Kids {
			for _, x := range shrinkNode(k) {
				out = append(out, &Node{Kind: n.Kind, Kids: replaced(n.Kids, i, x), Style: n.Style})
			}
		}
	}
	if n.Style != 0 {
		c := *n
		c.Style = 0
		out = append(out, &c)
	}
	return out
}

func shrinkOperand(o Operand, f Family) []Operand {
	canon := canonicalLits[f]
	var out []Operand
	switch o.Kind {
	case SetOperand:
		out = append(out, Operand{Kind: LiteralOperand, Lits: []string{o.Lits[0]}})
		if len(o.Lits) > 1 {
			for i := range o.Lits {
				out = append(out, Operand{Kind: SetOperand, Lits: without(o.Lits, i)})
			}
		}
		for i, v := range o.Lits {
			if v != canon {
				out = append(out, Operand{Kind: SetOperand, Lits: replaced(o.Lits, i, canon)})
			}
		}
	case LiteralOperand:
		if o.Lits[0] != canon {
			out = append(out, Operand{Kind: LiteralOperand, Lits: []string{canon}})
		}
	case AttrOperand:
		out = append(out, Operand{Kind: LiteralOperand, Lits: []string{canon}})
		if first := singleAttrs[f][0]; o.Attr != first {
			out = append(out, Operand{Kind: AttrOperand, Attr: first})
		}
	}
	return out
}

func shrinkLeaf(l *Leaf) []*Leaf {
	var out []*Leaf
	add := func(c *Leaf) {
		if c.Valid() {
			out = append(out, c)
		}
	}
	switch l.Kind {
	case CompareLeaf:
		if l.Quant != "" {
			c := l.clone()
			c.Quant = ""
			add(c)
		}
		if first := l.Family.Operators()[0]; l.Op != first {
			c := l.clone()
			c.Op = first
			add(c)
		}
		for _, o := range shrinkOperand(l.L, l.Family) {
			c := l.clone()
			c.L = o
			add(c)
		}
		for _, o := range shrinkOperand(l.R, l.Family) {
			c := l.clone()
			c.R = o
			add(c)
		}
	case ExistsLeaf:
		if l.Negated {
			c := l.clone()
			c.Negated = false
			add(c)
		}
		if first := singleAttrs[StringFamily][0]; l.Attr != first {
			c := l.clone()
			c.Attr = first
			add(c)
		}
	case ActionLeaf, SubOperationLeaf:
		first := blobRead
		if l.Kind == SubOperationLeaf {
			first = subOpPool[0]
		}
		if len(l.Patterns) > 1 {
			for i := range l.Patterns {
				c := l.clone()
				c.Patterns = without(l.Patterns, i)
				add(c)
			}
		}
		for i, p := range l.Patterns {
			if p != first {
				c := l.clone()
				c.Patterns[i] = first
				add(c)
			}
		}
	}
	if l.Style != 0 {
		c := l.clone()
		c.Style = 0
		add(c)
	}
	return out
}

// shrinkValues lists simpler values: an array one element shorter, a one-element array as a
// scalar.
func shrinkValues(v Values) []Values {
	if !v.Array {
		return nil
	}
	if len(v.Vals) == 1 {
		return []Values{{Vals: v.Vals}}
	}
	var out []Values
	for i := range v.Vals {
		out = append(out, Values{Vals: without(v.Vals, i), Array: true})
	}
	return out
}

// shrinkRequest lists the requests one step simpler than q: an attribute or a dictionary entry
// fewer, no sub-operation, the plain blob read action, fewer values.
func shrinkRequest(q *Request) []*Request {
	var out []*Request
	for i := range q.Attrs {
		c := q.clone()
		c.Attrs = without(c.Attrs, i)
		out = append(out, c)
	}
	for i, a := range q.Attrs {
		for j := range a.Entries {
			c := q.clone()
			c.Attrs[i].Entries = without(a.Entries, j)
			out = append(out, c)
		}
	}
	if q.HasSubOp {
		c := q.clone()
		c.HasSubOp, c.SubOp = false, ""
		out = append(out, c)
	}
	if q.Action != blobRead {
		c := q.clone()
		c.Action = blobRead
		out = append(out, c)
	}
	for i, a := range q.Attrs {
		for _, v := range shrinkValues(a.Values) {
			c := q.clone()
			c.Attrs[i].Values = v
			out = append(out, c)
		}
		for j, e := range a.Entries {
			for _, v := range shrinkValues(e.Values) {
				c := q.clone()
				c.Attrs[i].Entries[j].Values = v
				out = append(out, c)
			}
		}
	}
	return out
}

// without returns a copy of xs without element i.
func without[T any](xs []T, i int) []T {
	return append(append([]T(nil), xs[:i]...), xs[i+1:]...)
}

// replaced returns a copy of xs with element i replaced by x.
func replaced[T any](xs []T, i int, x T) []T {
	c := append([]T(nil), xs...)
	c[i] = x
	return c
}
