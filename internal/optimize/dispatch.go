package optimize

import (
	"slices"
	"strings"

	"github.com/abacc/abacc/internal/ir"
)

// Dispatch turns action-guarded blocks into one dispatch on the request's action, so that the
// action is compared once instead of once per block. Under AND, a block (NOT ActionMatches{P}
// OR R) is true for actions outside P and R for actions in P; under OR, a clause
// (ActionMatches{P} AND R) is false outside P and R inside. With exact patterns (no `*`), the
// blocks become a switch from each pattern to the AND (OR) of the bodies it selects, and
// everything else is the identity of the node: true under AND, false under OR.
func Dispatch(u *ir.Unit) {
	u.Root = rewrite(u.Root, func(n *ir.Node) *ir.Node {
		if n.Kind == ir.And || n.Kind == ir.Or {
			return dispatch(n)
		}
		return n
	})
}

func dispatch(n *ir.Node) *ir.Node {
	and := n.Kind == ir.And
	// A guard under AND is a negated ActionMatches; under OR a positive one.
	guard := func(k *ir.Node) bool {
		if k.Kind != ir.Action || k.Neg != and {
			return false
		}
		for _, p := range k.Patterns {
			if strings.Contains(p, "*") {
				return false
			}
		}
		return true
	}
	inner := ir.Or // a block under AND is an OR, a clause under OR an AND
	if !and {
		inner = ir.And
	}
	// Most nodes hold fewer than two blocks: count before building anything.
	count := 0
	for _, k := range n.Kids {
		if guard(k) || k.Kind == inner && slices.ContainsFunc(k.Kids, guard) {
			count++
		}
	}
	if count < 2 {
		return n
	}
	type block struct {
		patterns []string
		body     *ir.Node
	}
	blocks := make([]block, 0, count)
	var others []*ir.Node
	for _, k := range n.Kids {
		switch {
		case guard(k):
			// NOT ActionMatches{P} alone: the body is the identity of the block's OR (false).
			blocks = append(blocks, block{k.Patterns, constant(k, !and)})
		case k.Kind == inner:
			gi := slices.IndexFunc(k.Kids, guard)
			if gi < 0 {
				others = append(others, k)
				continue
			}
			// The block node becomes its body: the guard leaves its operands (k is n's alone).
			patterns := k.Kids[gi].Patterns
			k.Kids = slices.Delete(k.Kids, gi, gi+1)
			blocks = append(blocks, block{patterns, normalize(k)})
		default:
			others = append(others, k)
		}
	}
	// Each pattern selects the bodies of every block that names it, in block order: patterns
	// are numbered in order of first appearance, and their bodies laid out pattern by pattern
	// in one array.
	var order []string
	var numBodies []int // per pattern
	var first map[string]int
	find := func(p string) int { // the pattern's number, or -1
		if first != nil {
			if i, ok := first[p]; ok {
				return i
			}
			return -1
		}
		return slices.Index(order, p)
	}
	for _, b := range blocks {
		for _, p := range b.patterns {
			i := find(p)
			if i < 0 {
				i = len(order)
				order = append(order, p)
				numBodies = append(numBodies, 0)
				if first != nil {
					first[p] = i
				} else if len(order) > scanMax {
					first = make(map[string]int, 2*len(order))
					for j, q := range order {
						first[q] = j
					}
				}
			}
			numBodies[i]++
		}
	}
	bodies := make([][]*ir.Node, len(order))
	all := make([]*ir.Node, 0, sumInts(numBodies))
	for i, m := range numBodies {
		bodies[i] = all[len(all) : len(all) : len(all)+m]
		all = all[:len(all)+m]
	}
	for _, b := range blocks {
		for _, p := range b.patterns {
			i := find(p)
			bodies[i] = append(bodies[i], b.body)
		}
	}
	// Patterns selecting the same bodies share one case: number the cases first, then lay out
	// each case's patterns.
	caseOf := make([]int, len(order)) // per pattern
	var caseFirst []int               // per case, its first pattern
	type bodiesKey struct {
		first *ir.Node
		n     int
	}
	var lastCase map[bodiesKey]int // the last case whose bodies start alike, once there are many
	var prevCase []int             // per case, the previous one whose bodies start alike, or -1
	numPatterns := []int(nil)      // per case
	for i := range order {
		c := -1
		key := bodiesKey{bodies[i][0], len(bodies[i])}
		if lastCase == nil {
			for j, f := range caseFirst {
				if slices.Equal(bodies[f], bodies[i]) {
					c = j
					break
				}
			}
		} else {
			j, ok := lastCase[key]
			for ; ok && j >= 0; j = prevCase[j] {
				if slices.Equal(bodies[caseFirst[j]], bodies[i]) {
					c = j
					break
				}
			}
		}
		if c < 0 {
			c = len(caseFirst)
			caseFirst = append(caseFirst, i)
			numPatterns = append(numPatterns, 0)
			if lastCase == nil && len(caseFirst) > scanMax {
				lastCase = make(map[bodiesKey]int, 2*len(caseFirst))
				for j, f := range caseFirst {
					linkCase(lastCase, &prevCase, bodiesKey{bodies[f][0], len(bodies[f])}, j)
				}
			} else if lastCase != nil {
				linkCase(lastCase, &prevCase, key, c)
			}
		}
		caseOf[i] = c
		numPatterns[c]++
	}
	sw := &ir.Node{Kind: ir.Switch, Span: n.Span, Value: and, Cases: make([]ir.Case, len(caseFirst))}
	names := make([]string, 0, len(order))
	for c, f := range caseFirst {
		body := bodies[f][0]
		if len(bodies[f]) > 1 {
			body = normalize(&ir.Node{Kind: n.Kind, Span: n.Span, Kids: bodies[f]})
		}
		sw.Cases[c] = ir.Case{Patterns: names[len(names) : len(names) : len(names)+numPatterns[c]], Body: body}
		names = names[:len(names)+numPatterns[c]]
	}
	for i, p := range order {
		cs := &sw.Cases[caseOf[i]]
		cs.Patterns = append(cs.Patterns, p)
	}
	if len(others) == 0 {
		return sw
	}
	n.Kids = append([]*ir.Node{sw}, others...)
	return n
}

// linkCase records case c as the last with key (prevCase chaining the earlier ones).
func linkCase[K comparable](last map[K]int, prevCase *[]int, key K, c int) {
	prev, ok := last[key]
	if !ok {
		prev = -1
	}
	*prevCase = append(*prevCase, prev)
	last[key] = c
}

func sumInts(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}
