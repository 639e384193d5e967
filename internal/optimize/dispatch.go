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
	var blocks []block
	var others []*ir.Node
	for _, k := range n.Kids {
		switch {
		case guard(k):
			// NOT ActionMatches{P} alone: the body is the identity of the block's OR (false).
			blocks = append(blocks, block{k.Patterns, constant(k, !and)})
		case k.Kind == inner:
			gi := -1
			for i, g := range k.Kids {
				if guard(g) {
					gi = i
					break
				}
			}
			if gi < 0 {
				others = append(others, k)
				continue
			}
			rest := append(append([]*ir.Node(nil), k.Kids[:gi]...), k.Kids[gi+1:]...)
			blocks = append(blocks, block{k.Kids[gi].Patterns, normalize(&ir.Node{Kind: inner, Span: k.Span, Kids: rest})})
		default:
			others = append(others, k)
		}
	}
	if len(blocks) < 2 {
		return n
	}
	// Each pattern selects the bodies of every block that names it.
	var order []string
	bodies := map[string][]*ir.Node{}
	for _, b := range blocks {
		for _, p := range b.patterns {
			if _, ok := bodies[p]; !ok {
				order = append(order, p)
			}
			bodies[p] = append(bodies[p], b.body)
		}
	}
	// Patterns selecting the same bodies share one case.
	sw := &ir.Node{Kind: ir.Switch, Span: n.Span, Value: and}
	type bodiesKey struct {
		first *ir.Node
		n     int
	}
	caseOf := map[bodiesKey]int{} // the last case whose bodies start alike
	var prevCase []int            // per case, the previous one whose bodies start alike, or -1
	var caseBodies [][]*ir.Node   // per case, the bodies its patterns select
	for _, p := range order {
		key := bodiesKey{bodies[p][0], len(bodies[p])}
		i, ok := caseOf[key]
		for ok && i >= 0 && !slices.Equal(caseBodies[i], bodies[p]) {
			i = prevCase[i]
		}
		if ok && i >= 0 {
			sw.Cases[i].Patterns = append(sw.Cases[i].Patterns, p)
			continue
		}
		if prev, ok := caseOf[key]; ok {
			prevCase = append(prevCase, prev)
		} else {
			prevCase = append(prevCase, -1)
		}
		caseBodies = append(caseBodies, bodies[p])
		caseOf[key] = len(sw.Cases)
		body := bodies[p][0]
		if len(bodies[p]) > 1 {
			body = normalize(&ir.Node{Kind: n.Kind, Span: n.Span, Kids: bodies[p]})
		}
		sw.Cases = append(sw.Cases, ir.Case{Patterns: []string{p}, Body: body})
	}
	if len(others) == 0 {
		return sw
	}
	n.Kids = append([]*ir.Node{sw}, others...)
	return n
}
