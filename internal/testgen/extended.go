package testgen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/leanovate/gopter"

	"github.com/abacc/abacc/internal/ipaddr"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// This file generates cases for the newer operators: StringEndsWith, StringNotEndsWith,
// StringContains and StringNotContains, and every operator of the extended dialect
// (ast.ExtendedOps: IpMatch, IpInRange, TimeOfDay*, NumericInRange, ListContains and their
// Not-forms), driven by the operator table (each operator's Right form). The conditions are
// one to three comparisons, some negated, joined by AND or OR, with edge-heavy literals; the
// requests give every attribute those comparisons read an edge-heavy value, a list, a value
// of the wrong kind, or none. The conditions need the extended dialect.

// Attributes the extended cases read.
const (
	extCSA   = "Microsoft.Directory/CustomSecurityAttributes/Id:"
	extIP    = "@Principal[" + extCSA + "Net_Ip]"
	extWhen  = "@Principal[" + extCSA + "Shift_When]"
	extLevel = "@Principal[" + extCSA + "Eng_Level]"
	extTags  = "@Principal[" + extCSA + "Deploy_Tags]"
	extIDs   = "@Principal[" + extCSA + "Team_Ids]"
	extName  = "@Resource[Microsoft.KeyVault/vaults/secrets:name]"
	extNow   = "@Environment[UtcNow]"
	extInc   = "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:include]"
	extKeys  = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&]"

	extAction = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
)

// Literal pools: the edges of each operator family.
var (
	extAddrs = []string{"10.0.0.0", "10.0.0.1", "10.0.0.9", "10.0.0.10", "10.0.0.255", "10.0.1.0", "10.255.255.255", "11.0.0.0",
		"0.0.0.0", "255.255.255.255", "192.168.1.1", "::", "::1", "::ffff:10.0.0.1", "::10.0.0.1", "2001:db8::", "2001:db8::1",
		"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::", "fe80::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}
	extCIDRs = []string{"10.0.0.0/8", "10.0.0.0/24", "10.0.0.0/31", "10.0.0.1/32", "10.0.1.0/24", "0.0.0.0/0", "::/0",
		"::ffff:10.0.0.0/104", "::ffff:0.0.0.0/96", "2001:db8::/32", "2001:db8::1/128", "fe80::/10", "192.168.0.0/16", "::/127"}
	extBadAddrs  = []string{"", "10.0.0.256", "010.0.0.1", "10.0.0", "fe80::1%eth0", "10.0.0.0/8", "1.2.3.4:80", "[::1]", "::ffff:1.2.3", "x"}
	extTimes     = []string{"00:00", "00:00:00", "00:00:01", "06:00", "08:00", "12:00", "12:30:15", "18:00", "22:00", "23:59", "23:59:59"}
	extInts      = []string{"-9223372036854775808", "-9223372036854775807", "-5", "-1", "0", "1", "5", "10", "9223372036854775806", "9223372036854775807"}
	extSmallInts = extInts[2:8]
	extStrs      = []string{"", "a", "A", "ab", "ba", "abc", "prod", "-prod", "db-prod", "ä", "é", "cafe\u0301", "aab", "aaab"}
	extIncludes  = []string{"metadata", "tags", "versions", "Tags"}
	extTagKeys   = []string{"Project", "project", "Program"}
	extQuants    = []string{"ForAnyOfAnyValues", "ForAllOfAnyValues", "ForAnyOfAllValues", "ForAllOfAllValues"}
)

// ExtendedOperators lists the operators extended cases compare with: StringEndsWith,
// StringNotEndsWith, StringContains, StringNotContains and ast.ExtendedOps().
func ExtendedOperators() []ast.Operator {
	return append([]ast.Operator{ast.StringEndsWith, ast.StringNotEndsWith, ast.StringContains, ast.StringNotContains},
		ast.ExtendedOps()...)
}

// ExtendedRight is the shape of an ExtendedComparison's right operand.
type ExtendedRight uint8

const (
	// ExtLiteral is one literal.
	ExtLiteral ExtendedRight = iota
	// ExtSet is a set literal {a, b, ...}.
	ExtSet
	// ExtPair is a range [lo, hi] (IpInRange, TimeOfDayInRange, NumericInRange).
	ExtPair
)

// ExtendedComparison is one comparison of an ExtendedCase: Left [Quant:]Op Right, possibly
// negated.
type ExtendedComparison struct {
	// Left is the attribute reference, as written.
	Left string
	// Quant is the quantifier (ForAnyOfAnyValues, ...) or "".
	Quant string
	// Op is the operator.
	Op ast.Operator
	// Shape says how Right is written: one literal, a set or a pair.
	Shape ExtendedRight
	// Right holds the literals as written (quoted strings, bare integers).
	Right []string
	// Negated puts a NOT before the comparison.
	Negated bool
}

// Text is the comparison as condition text (with its NOT, without parentheses).
func (c *ExtendedComparison) Text() string {
	var b strings.Builder
	if c.Negated {
		b.WriteString("NOT ")
	}
	b.WriteString(c.Left + " ")
	if c.Quant != "" {
		b.WriteString(c.Quant + ":")
	}
	b.WriteString(c.Op.String() + " ")
	switch c.Shape {
	case ExtSet:
		b.WriteString("{" + strings.Join(c.Right, ", ") + "}")
	case ExtPair:
		b.WriteString("[" + strings.Join(c.Right, ", ") + "]")
	default:
		b.WriteString(c.Right[0])
	}
	return b.String()
}

// ExtendedAttr is one attribute of an ExtendedRequest.
type ExtendedAttr struct {
	// Section is the request document's section: principal, resource, request or environment.
	Section string
	// Name is the attribute's name in its section.
	Name string
	// Vals are the values as JSON texts: one scalar, the elements of an array (Array), or the
	// values of a dictionary's Keys (Dict).
	Vals []string
	// Array says the value is a JSON array of Vals (all of one JSON kind).
	Array bool
	// Dict says the value is a JSON object mapping Keys[i] to Vals[i].
	Dict bool
	// Keys are a dictionary's keys.
	Keys []string
}

// JSON is the attribute's value as JSON text.
func (a *ExtendedAttr) JSON() string {
	switch {
	case a.Dict:
		kv := make([]string, len(a.Keys))
		for i, k := range a.Keys {
			kv[i] = strconv.Quote(k) + ": " + a.Vals[i]
		}
		return "{" + strings.Join(kv, ", ") + "}"
	case a.Array:
		return "[" + strings.Join(a.Vals, ", ") + "]"
	}
	return a.Vals[0]
}

func (a ExtendedAttr) clone() ExtendedAttr {
	a.Vals = append([]string(nil), a.Vals...)
	a.Keys = append([]string(nil), a.Keys...)
	return a
}

// ExtendedRequest is a request of an ExtendedCase: the blob read action and attributes.
type ExtendedRequest struct {
	// Attrs are the request's attributes, in the order they are written.
	Attrs []ExtendedAttr
}

// JSON is the request document.
func (q *ExtendedRequest) JSON() string {
	var b strings.Builder
	b.WriteString(`{"action": ` + strconv.Quote(extAction))
	for _, sec := range []string{"principal", "resource", "request", "environment"} {
		var kvs []string
		for i := range q.Attrs {
			if a := &q.Attrs[i]; a.Section == sec {
				kvs = append(kvs, strconv.Quote(a.Name)+": "+a.JSON())
			}
		}
		if len(kvs) > 0 {
			fmt.Fprintf(&b, ", %q: {%s}", sec, strings.Join(kvs, ", "))
		}
	}
	b.WriteString("}")
	return b.String()
}

// ExtendedCase is a condition over the newer operators (one to three comparisons joined by
// AND or OR) and requests to evaluate it on. Its condition needs the extended dialect.
type ExtendedCase struct {
	// Comparisons are the condition's comparisons, at least one.
	Comparisons []ExtendedComparison
	// Or joins the comparisons by OR rather than AND.
	Or bool
	// Reqs are the requests.
	Reqs []*ExtendedRequest
}

// Text is the condition: each comparison parenthesized, joined by AND or OR.
func (c *ExtendedCase) Text() string {
	parts := make([]string, len(c.Comparisons))
	for i := range c.Comparisons {
		parts[i] = "(" + c.Comparisons[i].Text() + ")"
	}
	join := " AND "
	if c.Or {
		join = " OR "
	}
	return strings.Join(parts, join)
}

// String shows the case as a test failure should: the condition text, then each request's
// JSON.
func (c *ExtendedCase) String() string {
	var b strings.Builder
	b.WriteString("\ncondition:\n" + c.Text() + "\n")
	for i, q := range c.Reqs {
		fmt.Fprintf(&b, "request %d: %s\n", i, q.JSON())
	}
	return b.String()
}

// ExtendedCase makes a condition of one to three comparisons of ExtendedOperators (each
// drawn alike, one in four negated) and nreqs requests. The Generator's Options and
// remembered literals play no part.
func (g *Generator) ExtendedCase(nreqs int) *ExtendedCase {
	ops := ExtendedOperators()
	c := &ExtendedCase{}
	for k := 1 + g.src.Intn(3); k > 0; k-- {
		cmp := g.extComparison(pick(g.src, ops))
		cmp.Negated = g.src.Intn(4) == 0
		c.Comparisons = append(c.Comparisons, cmp)
	}
	c.Or = g.src.Intn(2) == 0
	for i := 0; i < nreqs; i++ {
		c.Reqs = append(c.Reqs, g.ExtendedRequest())
	}
	return c
}

func extQuote(s string) string { return "'" + s + "'" }

// extComparison makes a comparison of op, its operands chosen by op's Right form.
func (g *Generator) extComparison(op ast.Operator) ExtendedComparison {
	r := g.src
	c := ExtendedComparison{Op: op}
	// set makes one literal (two times in three) or a set of 1 to n.
	set := func(n int, f func() string) {
		if r.Intn(3) > 0 {
			c.Shape, c.Right = ExtLiteral, []string{f()}
			return
		}
		c.Shape = ExtSet
		for j := 1 + r.Intn(n); j > 0; j-- {
			c.Right = append(c.Right, f())
		}
	}
	pair := func(a, b string) { c.Shape, c.Right = ExtPair, []string{a, b} }
	quoted := func(pool []string) func() string { return func() string { return extQuote(pick(r, pool)) } }
	addrOrCIDR := func() string {
		if r.Intn(2) == 0 {
			return extQuote(pick(r, extAddrs))
		}
		return extQuote(pick(r, extCIDRs))
	}
	switch op.Info().Right {
	case ast.RightAddresses:
		c.Left = extIP
		set(12, addrOrCIDR)
	case ast.RightAddressRange:
		c.Left = extIP
		if r.Intn(2) == 0 {
			// A pair of one family, in order.
			for {
				a, b := pick(r, extAddrs), pick(r, extAddrs)
				ra, _ := ipaddr.Parse(a)
				rb, _ := ipaddr.Parse(b)
				if ra.Is4() == rb.Is4() && ra.Compare(rb) <= 0 {
					pair(extQuote(a), extQuote(b))
					break
				}
			}
		} else {
			set(12, addrOrCIDR)
		}
	case ast.RightTimes:
		c.Left = extNow
		if r.Intn(4) == 0 {
			c.Left = extWhen
		}
		set(4, quoted(extTimes))
	case ast.RightTimeRange:
		c.Left = extNow
		pair(extQuote(pick(r, extTimes)), extQuote(pick(r, extTimes)))
	case ast.RightIntRange:
		c.Left = extLevel
		a, b := pick(r, extInts), pick(r, extInts)
		x, _ := strconv.ParseInt(a, 10, 64)
		y, _ := strconv.ParseInt(b, 10, 64)
		if x > y {
			a, b = b, a
		}
		pair(a, b)
	case ast.RightMembers:
		switch r.Intn(3) {
		case 0:
			c.Left = extInc
			set(3, quoted(extIncludes))
		case 1:
			c.Left = extKeys
			set(3, quoted(extTagKeys))
		default:
			if r.Intn(2) == 0 {
				c.Left = extIDs
				set(3, func() string { return pick(r, extSmallInts) })
			} else {
				c.Left = extTags
				set(3, quoted(extStrs))
			}
		}
	default:
		// StringEndsWith, StringContains and the Not-forms: single-valued or quantified.
		set(4, quoted(extStrs))
		if r.Intn(3) == 0 {
			c.Left, c.Quant = extTags, pick(r, extQuants)
		} else {
			c.Left = extName
		}
	}
	return c
}

// ExtendedRequest makes a request for extended cases: every attribute they read gets an
// edge-heavy value (or a list of values, or a value of the wrong kind), or is left out.
func (g *Generator) ExtendedRequest() *ExtendedRequest {
	r := g.src
	q := &ExtendedRequest{}
	jsq := strconv.Quote
	// add gives an attribute a value from one: mostly a scalar, sometimes an empty array or
	// an array of one or two values of one JSON kind.
	add := func(sec, name string, one func() string) {
		a := ExtendedAttr{Section: sec, Name: name}
		switch r.Intn(6) {
		case 0:
			a.Array = true
		case 1:
			a.Array = true
			x, y := one(), one()
			a.Vals = []string{x}
			if (x[0] == '"') == (y[0] == '"') {
				a.Vals = append(a.Vals, y)
			}
		default:
			a.Vals = []string{one()}
		}
		q.Attrs = append(q.Attrs, a)
	}
	if r.Intn(8) > 0 {
		add("principal", extCSA+"Net_Ip", func() string {
			switch r.Intn(5) {
			case 0:
				return jsq(pick(r, extBadAddrs))
			case 1:
				return "42"
			}
			return jsq(pick(r, extAddrs))
		})
	}
	instant := func() string {
		h, m, s := r.Intn(24), r.Intn(60), r.Intn(60)
		switch r.Intn(4) {
		case 0:
			h, m, s = pick(r, []int{0, 23}), pick(r, []int{0, 59}), pick(r, []int{0, 59})
		case 1:
			h, m, s = pick(r, []int{6, 8, 12, 18, 22}), pick(r, []int{0, 30}), pick(r, []int{0, 15})
		}
		frac := pick(r, []string{"", ".5", ".9999999", ".0000001"})
		zone := pick(r, []string{"Z", "Z", "+02:00", "-05:30", "+14:00"})
		return jsq(fmt.Sprintf("2024-02-29T%02d:%02d:%02d%s%s", h, m, s, frac, zone))
	}
	if r.Intn(8) > 0 {
		// A scalar: UtcNow is never a list.
		q.Attrs = append(q.Attrs, ExtendedAttr{Section: "environment", Name: "UtcNow", Vals: []string{instant()}})
	}
	if r.Intn(4) > 0 {
		add("principal", extCSA+"Shift_When", func() string {
			if r.Intn(5) == 0 {
				return jsq("12:00")
			}
			return instant()
		})
	}
	if r.Intn(8) > 0 {
		add("principal", extCSA+"Eng_Level", func() string {
			if r.Intn(6) == 0 {
				return jsq("5")
			}
			return pick(r, extInts)
		})
	}
	if r.Intn(6) > 0 {
		add("principal", extCSA+"Deploy_Tags", func() string {
			if r.Intn(6) == 0 {
				return pick(r, extSmallInts)
			}
			return jsq(pick(r, extStrs))
		})
	}
	if r.Intn(6) > 0 {
		add("principal", extCSA+"Team_Ids", func() string {
			if r.Intn(6) == 0 {
				return jsq(pick(r, extSmallInts))
			}
			return pick(r, extSmallInts)
		})
	}
	if r.Intn(6) > 0 {
		add("resource", "Microsoft.KeyVault/vaults/secrets:name", func() string { return jsq(pick(r, extStrs)) })
	}
	if r.Intn(6) > 0 {
		a := ExtendedAttr{Section: "resource", Name: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags", Dict: true}
		for _, k := range extTagKeys {
			if r.Intn(2) == 0 {
				a.Keys = append(a.Keys, k)
				a.Vals = append(a.Vals, jsq(pick(r, extStrs)))
			}
		}
		q.Attrs = append(q.Attrs, a)
	}
	if r.Intn(6) > 0 {
		add("request", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:include",
			func() string { return jsq(pick(r, extIncludes)) })
	}
	return q
}

// ExtendedCaseGen is a gopter generator of extended cases (*ExtendedCase) with nreqs requests
// each, made by a new Generator over gopter's random source, and shrunk by
// ShrinkExtendedCase.
func ExtendedCaseGen(nreqs int) gopter.Gen {
	return func(p *gopter.GenParameters) *gopter.GenResult {
		return gopter.NewGenResult(New(p.Rng, Options{}).ExtendedCase(nreqs), ShrinkExtendedCase)
	}
}

// ShrinkExtendedCase is the gopter shrinker of an *ExtendedCase: a comparison fewer, a
// comparison simpler (not negated, a set one element shorter or a single literal), a request
// fewer, or a request simpler (an attribute, an array element or a dictionary entry fewer, a
// one-element array as a scalar). Every candidate is a valid case.
func ShrinkExtendedCase(v interface{}) gopter.Shrink {
	c := v.(*ExtendedCase)
	var cands []*ExtendedCase
	with := func(cmps []ExtendedComparison, reqs []*ExtendedRequest) {
		cands = append(cands, &ExtendedCase{Comparisons: cmps, Or: c.Or, Reqs: reqs})
	}
	if len(c.Comparisons) > 1 {
		for i := range c.Comparisons {
			with(without(c.Comparisons, i), c.Reqs)
		}
	}
	for i, cmp := range c.Comparisons {
		for _, s := range shrinkExtComparison(cmp) {
			with(replaced(c.Comparisons, i, s), c.Reqs)
		}
	}
	if len(c.Reqs) > 1 {
		for i := range c.Reqs {
			with(c.Comparisons, without(c.Reqs, i))
		}
	}
	for i, q := range c.Reqs {
		for _, s := range shrinkExtRequest(q) {
			with(c.Comparisons, replaced(c.Reqs, i, s))
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

func shrinkExtComparison(c ExtendedComparison) []ExtendedComparison {
	var out []ExtendedComparison
	if c.Negated {
		s := c
		s.Negated = false
		out = append(out, s)
	}
	if c.Shape == ExtSet {
		s := c
		s.Shape, s.Right = ExtLiteral, c.Right[:1:1]
		out = append(out, s)
		if len(c.Right) > 1 {
			for i := range c.Right {
				s := c
				s.Right = without(c.Right, i)
				out = append(out, s)
			}
		}
	}
	return out
}

func shrinkExtRequest(q *ExtendedRequest) []*ExtendedRequest {
	var out []*ExtendedRequest
	for i := range q.Attrs {
		out = append(out, &ExtendedRequest{Attrs: without(q.Attrs, i)})
	}
	for i, a := range q.Attrs {
		switch {
		case a.Array && len(a.Vals) == 1:
			s := a.clone()
			s.Array = false
			out = append(out, &ExtendedRequest{Attrs: replaced(q.Attrs, i, s)})
		case a.Array || a.Dict:
			for j := range a.Vals {
				s := a.clone()
				s.Vals = without(a.Vals, j)
				if a.Dict {
					s.Keys = without(a.Keys, j)
				}
				out = append(out, &ExtendedRequest{Attrs: replaced(q.Attrs, i, s)})
			}
		}
	}
	return out
}
