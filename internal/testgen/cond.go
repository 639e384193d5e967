package testgen

import "strings"

// NodeKind is the kind of a condition tree node.
type NodeKind uint8

// The node kinds.
const (
	LeafNode NodeKind = iota
	AndNode
	OrNode
	NotNode
)

// Node is a node of a condition tree. Its text (Text) parses to a condition with the tree's
// meaning.
type Node struct {
	Kind  NodeKind
	Kids  []*Node // AndNode, OrNode: two or more; NotNode: one
	Leaf  *Leaf   // LeafNode
	Style Style
}

// LeafKind is the kind of a leaf expression.
type LeafKind uint8

// The leaf kinds.
const (
	CompareLeaf      LeafKind = iota // L [Quant:]Op R
	ExistsLeaf                       // Exists @Attr, NotExists @Attr
	ActionLeaf                       // ActionMatches{'pattern', ...}
	SubOperationLeaf                 // SubOperationMatches{'pattern', ...}
)

// OperandKind is the kind of one side of a comparison.
type OperandKind uint8

// The operand kinds.
const (
	AttrOperand OperandKind = iota
	LiteralOperand
	SetOperand
)

// Operand is one side of a comparison.
type Operand struct {
	Kind OperandKind
	Attr Attr // AttrOperand
	// Lits are literals as written ('abc', 5, true, a GUID bare or quoted): one for a
	// LiteralOperand, one or more for a SetOperand.
	Lits []string
}

// Leaf is a leaf expression of a condition.
type Leaf struct {
	Kind     LeafKind
	Family   Family   // CompareLeaf
	Op       string   // CompareLeaf: one of Family.Operators()
	Quant    string   // CompareLeaf: "" or one of Quantifiers
	L, R     Operand  // CompareLeaf
	Attr     Attr     // ExistsLeaf
	Negated  bool     // ExistsLeaf: NotExists
	Patterns []string // ActionLeaf, SubOperationLeaf: the patterns, unquoted
	Style    Style
}

// Style chooses the spelling of keywords and names (case), the white space, separators and
// redundant parentheses of a node or leaf, all of which a condition may vary without changing
// its meaning; the zero Style is the canonical spelling.
type Style uint32

func (o Operand) clone() Operand {
	o.Lits = append([]string(nil), o.Lits...)
	return o
}

func (l *Leaf) clone() *Leaf {
	c := *l
	c.L, c.R = l.L.clone(), l.R.clone()
	c.Patterns = append([]string(nil), l.Patterns...)
	return &c
}

// Valid reports whether the leaf is well-typed by the checker's rules: the operator belongs
// to the family, operands are of the family, a multi-valued left side needs a quantifier and
// only quantifiable operators take one.
func (l *Leaf) Valid() bool {
	switch l.Kind {
	case CompareLeaf:
		if l.Family >= NumFamilies || !contains(l.Family.Operators(), l.Op) {
			return false
		}
		for _, o := range []Operand{l.L, l.R} {
			switch o.Kind {
			case AttrOperand:
				if o.Attr.Family != l.Family {
					return false
				}
			case LiteralOperand:
				if len(o.Lits) != 1 {
					return false
				}
			case SetOperand:
				if len(o.Lits) == 0 {
					return false
				}
			}
		}
		if l.Quant == "" {
			return l.L.Kind != SetOperand && !(l.L.Kind == AttrOperand && l.L.Attr.Multi)
		}
		return contains(Quantifiers, l.Quant) && quantifiable(l.Family, l.Op)
	case ActionLeaf, SubOperationLeaf:
		return len(l.Patterns) > 0
	}
	return true
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------------------------
// Rendering.

// styler hands out the choices of a Style: a deterministic pseudo-random sequence, all "no"
// for the zero Style.
type styler struct {
	s Style
	i uint32
}

func (st *styler) next() uint32 {
	st.i++
	h := uint32(st.s)*2654435761 + st.i*40503
	h ^= h >> 13
	h *= 0x5bd1e995
	h ^= h >> 15
	return h
}

// bit is true with probability eighths/8 (never for the zero Style).
func (st *styler) bit(eighths int) bool {
	if st.s == 0 {
		return false
	}
	return int(st.next()%8) < eighths
}

// choose returns canonical, or sometimes one of others.
func (st *styler) choose(canonical string, others ...string) string {
	if !st.bit(3) {
		return canonical
	}
	return others[st.next()%uint32(len(others))]
}

// sp is white space between tokens.
func (st *styler) sp() string {
	return st.choose(" ", "\n", "\t", "  ", "\r\n  ", " \r\n  ", "\n\n")
}

// oddCase sometimes spells a keyword or name (matched case-insensitively) in lower or upper
// case.
func (st *styler) oddCase(s string) string {
	if !st.bit(2) {
		return s
	}
	if st.next()%2 == 0 {
		return strings.ToLower(s)
	}
	return strings.ToUpper(s)
}

func (st *styler) attr(a Attr) string {
	base := a.Base
	if st.bit(1) {
		base = st.oddCase(base)
	}
	return "@" + st.oddCase(a.Source) + "[" + a.nameWith(base) + "]"
}

func (st *styler) operand(o Operand) string {
	switch o.Kind {
	case AttrOperand:
		return st.attr(o.Attr)
	case LiteralOperand:
		return o.Lits[0]
	}
	return "{" + strings.Join(o.Lits, st.choose(", ", ",", " ,", ",\n  ", "\t,\t")) + "}"
}

func (st *styler) patterns(fn string, pats []string) string {
	parts := make([]string, len(pats))
	for i, p := range pats {
		parts[i] = "'" + p + "'"
	}
	return st.oddCase(fn) + "{" + strings.Join(parts, ","+st.sp()) + "}"
}

// Text returns the leaf as condition text.
func (l *Leaf) Text() string {
	st := &styler{s: l.Style}
	switch l.Kind {
	case ExistsLeaf:
		kw := "Exists"
		if l.Negated {
			kw = "NotExists"
		}
		return st.oddCase(kw) + st.sp() + st.attr(l.Attr)
	case ActionLeaf:
		return st.patterns("ActionMatches", l.Patterns)
	case SubOperationLeaf:
		return st.patterns("SubOperationMatches", l.Patterns)
	}
	op := st.oddCase(l.Op)
	if l.Quant != "" {
		op = st.oddCase(l.Quant) + ":" + op
	}
	return st.operand(l.L) + st.sp() + op + st.sp() + st.operand(l.R)
}

// context is where an expression is printed: the parentheses it needs depend on it.
type context uint8

const (
	inTop context = iota
	inAnd
	inOr
	inNot
)

// render prints the tree so that it parses with the tree's meaning: an OR under AND or NOT and
// an AND under NOT are parenthesized; other parentheses are added at random (an AND under OR
// is then sometimes left ungrouped, which draws a warning, not an error).
func (n *Node) render(b *strings.Builder, c context) {
	st := &styler{s: n.Style}
	switch n.Kind {
	case LeafNode:
		if st.bit(2) {
			b.WriteString("(" + n.Leaf.Text() + ")")
		} else {
			b.WriteString(n.Leaf.Text())
		}
	case NotNode:
		if st.bit(1) {
			b.WriteString(st.oddCase("NOT") + st.sp())
		} else {
			b.WriteString(st.choose("NOT ", "!", "not ", "! ", "NOT\n", "Not "))
		}
		n.Kids[0].render(b, inNot)
	case AndNode, OrNode:
		paren := c == inNot || (n.Kind == OrNode && c == inAnd) || st.bit(2)
		if paren {
			b.WriteString("(")
		}
		sub, kw, sym := inAnd, "AND", "&&"
		if n.Kind == OrNode {
			sub, kw, sym = inOr, "OR", "||"
		}
		for i, k := range n.Kids {
			if i > 0 {
				if st.bit(1) {
					b.WriteString(st.sp() + st.oddCase(kw) + st.sp())
				} else {
					b.WriteString(st.choose(" "+kw+" ", " "+sym+" ", sym, " "+strings.ToLower(kw)+" ", "\n"+kw+"\n", " "+kw+"\n  "))
				}
			}
			k.render(b, sub)
		}
		if paren {
			b.WriteString(")")
		}
	}
}

// Text returns the tree as condition text.
func (n *Node) Text() string {
	var b strings.Builder
	n.render(&b, inTop)
	return b.String()
}
