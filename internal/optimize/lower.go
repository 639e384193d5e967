package optimize

import (
	"strings"
	"unicode/utf8"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/match"
)

// sortedMin is the set size from which membership is searched by binary search rather than
// scanned (it matches the VM's linear-scan cut-off).
const sortedMin = 9

// Lower rewrites special cases into cheaper forms:
//   - StringLike without wildcards becomes equality, with one trailing `*` a prefix test,
//     with one leading `*` a suffix test (IgnoreCase forms alike) and with both a substring
//     test (case-sensitive only), the tests of StringStartsWith, StringEndsWith and
//     StringContains;
//   - constant sets large enough to benefit are marked for sorting and binary search;
//   - several ActionMatches (or SubOperationMatches) under one OR are grouped into one test, so
//     the request's action is compared once; under AND their negations are grouped alike.
func Lower(u *ir.Unit) {
	for i := range u.Consts {
		if k := &u.Consts[i]; k.Set && k.Len() >= sortedMin {
			k.Sorted = true
		}
	}
	u.Root = rewrite(u.Root, func(n *ir.Node) *ir.Node {
		switch n.Kind {
		case ir.Cmp:
			lowerLike(u, n.Cmp)
		case ir.And, ir.Or:
			groupMatches(n)
		}
		return n
	})
}

// lowerLike lowers a single-valued StringLike against one constant pattern.
func lowerLike(u *ir.Unit, c *ir.Comparison) {
	if c.Rel != ir.RelLike || c.Quant != ir.NoQuant || !c.Left.IsAttr || c.Right.IsAttr {
		return
	}
	k := &u.Consts[c.Right.Const]
	if k.Len() != 1 {
		return
	}
	kind, text := match.Shape(k.Strs[0])
	if strings.ContainsRune(text, utf8.RuneError) {
		// StringLike reads an invalid byte of the value as U+FFFD and so matches a U+FFFD of
		// the pattern; the byte-wise equality, prefix and suffix tests would not.
		return
	}
	switch kind {
	case '=':
		c.Rel = ir.RelEq
	case '^':
		c.Rel = ir.RelPrefix
	case '$':
		c.Rel = ir.RelSuffix
	case '~':
		if c.Fold {
			return // StringContains has no IgnoreCase form: the glob stays
		}
		c.Rel = ir.RelContains
	default:
		return
	}
	u.Consts = append(u.Consts, ir.Constant{Type: attrs.TypeString, Strs: []string{text}})
	c.Right.Const = len(u.Consts) - 1
}

// groupMatches merges the ActionMatches (and the SubOperationMatches) leaves of an OR that are
// not negated, or of an AND that are: any-of patterns is one test. Only runs of such leaves
// next to each other merge, and only leaves whose text reads alike (TextNeg): the merged test's
// span then covers exactly its leaves, and explanations can quote them as one OR (or AND).
func groupMatches(n *ir.Node) {
	neg := n.Kind == ir.And
	for _, kind := range []ir.Kind{ir.Action, ir.SubOp} {
		// Nothing merges unless two leaves of the kind qualify; most nodes have fewer.
		count := 0
		for _, k := range n.Kids {
			if k.Kind == kind && k.Neg == neg {
				count++
			}
		}
		if count < 2 {
			continue
		}
		var first *ir.Node
		kids := n.Kids[:0:0]
		for _, k := range n.Kids {
			if k.Kind != kind || k.Neg != neg || (first != nil && k.TextNeg != first.TextNeg) {
				first = nil // the run ends
			}
			if k.Kind == kind && k.Neg == neg {
				if first == nil {
					first = &ir.Node{Kind: kind, Neg: neg, TextNeg: k.TextNeg, Span: k.Span, Patterns: append([]string(nil), k.Patterns...)}
					kids = append(kids, first)
					continue
				}
				first.Patterns = appendNew(first.Patterns, k.Patterns...)
				if k.Span.End > first.Span.End {
					first.Span.End = k.Span.End
				}
				continue
			}
			kids = append(kids, k)
		}
		n.Kids = kids
	}
}

func appendNew(list []string, more ...string) []string {
next:
	for _, m := range more {
		for _, l := range list {
			if l == m {
				continue next
			}
		}
		list = append(list, m)
	}
	return list
}
