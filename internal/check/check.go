// Package check type-checks a parsed condition against the attribute catalog: it resolves every
// attribute reference, gives every operand its operator family's type (converting DateTime and
// Guid literals), rejects what the language reference forbids and emits its warnings.
package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// AzureLimit is the size Azure accepts for a condition; larger ones draw a warning.
const AzureLimit = 8 << 10

type checker struct {
	cat  *attrs.Catalog
	errs *diag.List
	src  string
	// untyped records the type an untyped attribute was first used with, and where.
	untyped map[refID]untypedUse
	// canon records non-canonical spellings already warned about.
	canon map[string]bool
	// exists holds the attributes tested by Exists/NotExists anywhere in the condition.
	exists map[refID]bool
	// (The maps are made when first written: most conditions need none of them.)
	// targets holds the condition's ActionMatches patterns.
	targets []string
	refs    []*ast.AttrRef
	// dialect is the dialect the condition is checked in.
	dialect ast.Dialect
}

// Options configure checking.
type Options struct {
	// Dialect is the language's dialect; the zero value is the standard one, which rejects the
	// extended dialect's operators and pair literals.
	Dialect ast.Dialect
}

type untypedUse struct {
	t   attrs.Type
	pos diag.Pos
}

// Check checks x (parsed from src) against cat in the standard dialect, annotating the tree in
// place and reporting to errs. It is safe to call on a tree with BadExpr nodes: they are skipped.
func Check(x ast.Expr, src string, cat *attrs.Catalog, errs *diag.List) {
	CheckWith(x, src, cat, errs, Options{})
}

// CheckWith is Check with options (the dialect).
func CheckWith(x ast.Expr, src string, cat *attrs.Catalog, errs *diag.List, opts Options) {
	// Every resolved reference is recorded; there are at most as many as '@' characters.
	c := &checker{cat: cat, errs: errs, src: src, refs: make([]*ast.AttrRef, 0, strings.Count(src, "@")), dialect: opts.Dialect}
	if len(src) > AzureLimit {
		errs.Warnf(diag.OverAzureLimit, 0, 0, "Azure rejects conditions over 8 KiB; split it across role assignments",
			"condition is %d bytes, over Azure's limit of %d", len(src), AzureLimit)
	}
	c.collect(x)
	c.expr(x)
	c.supplyWarnings()
}

// collect records the attributes tested by Exists and NotExists and the ActionMatches
// patterns, wherever they are in the condition (both are expressions, never operands).
func (c *checker) collect(x ast.Expr) {
	switch n := x.(type) {
	case *ast.BinaryExpr:
		c.collect(n.X)
		c.collect(n.Y)
	case *ast.NotExpr:
		c.collect(n.X)
	case *ast.ParenExpr:
		c.collect(n.X)
	case *ast.ExistsExpr:
		if ref, err := c.cat.Resolve(n.Attr.Source, n.Attr.Name); err == nil {
			if c.exists == nil {
				c.exists = map[refID]bool{}
			}
			c.exists[refKey(ref)] = true
		}
	case *ast.MatchesExpr:
		if n.Func == ast.ActionMatches {
			for _, p := range n.Patterns {
				c.targets = append(c.targets, p.Str)
			}
		}
	}
}

// refID identifies what a resolved reference reads, whatever its spelling.
type refID struct {
	id  attrs.ID
	sel attrs.Selector
	key string
}

func refKey(r attrs.Ref) refID { return refID{r.ID, r.Sel, r.Key} }

func (c *checker) errorf(code diag.Code, n ast.Node, hint, format string, args ...any) {
	c.errs.Errorf(code, n.Pos(), n.End(), hint, format, args...)
}

// canonical warns once per distinct spelling that differs from the canonical one.
func (c *checker) canonical(written, want string, pos diag.Pos) {
	if written == want || written == "" || c.canon[written] {
		return
	}
	c.warnedCanon(written)
	c.errs.Warnf(diag.NonCanonical, pos, pos+diag.Pos(len(written)), "`abacc fmt` rewrites it", "%s is written %s in canonical form", written, want)
}

// warnedCanon records that the spelling written has drawn its warning.
func (c *checker) warnedCanon(written string) {
	if c.canon == nil {
		c.canon = map[string]bool{}
	}
	c.canon[written] = true
}

func (c *checker) expr(x ast.Expr) {
	switch x := x.(type) {
	case *ast.BinaryExpr:
		if x.Text != "" && x.Text[0] != '&' && x.Text[0] != '|' {
			c.canonical(x.Text, x.Op.String(), x.OpPos)
		}
		if x.Op == ast.Or {
			c.mixWarning(x)
		}
		c.expr(x.X)
		c.expr(x.Y)
	case *ast.NotExpr:
		if !x.Bang {
			c.canonical(x.Text, "NOT", x.OpPos)
		}
		c.expr(x.X)
	case *ast.ParenExpr:
		c.expr(x.X)
	case *ast.ExistsExpr:
		want := "Exists"
		if x.Negated {
			want = "NotExists"
		}
		c.canonical(x.Text, want, x.KwPos)
		c.resolve(x.Attr)
	case *ast.MatchesExpr:
		c.canonical(x.Text, x.Func.String(), x.KwPos)
		for _, p := range x.Patterns {
			p.Type = attrs.TypeString
		}
	case *ast.Comparison:
		c.comparison(x)
	}
}

// mixWarning reports AND directly under OR without parentheses.
func (c *checker) mixWarning(x *ast.BinaryExpr) {
	var and *ast.BinaryExpr
	for _, side := range []ast.Expr{x.X, x.Y} {
		if b, ok := side.(*ast.BinaryExpr); ok && b.Op == ast.And {
			and = b
			break
		}
	}
	if and == nil {
		return
	}
	a, b := c.snippet(and.X), c.snippet(and.Y)
	var read, other string
	if and == x.X {
		o := c.snippet(x.Y)
		read = fmt.Sprintf("(%s AND %s) OR %s", a, b, o)
		other = fmt.Sprintf("%s AND (%s OR %s)", a, b, o)
	} else {
		o := c.snippet(x.X)
		read = fmt.Sprintf("%s OR (%s AND %s)", o, a, b)
		other = fmt.Sprintf("(%s OR %s) AND %s", o, a, b)
	}
	c.errs.Warnf(diag.MixedAndOr, x.OpPos, x.OpPos+diag.Pos(len(x.Text)), "add parentheses to say which one you mean",
		"AND and OR mixed without parentheses: read as %s, not %s", read, other)
}

// snippet abbreviates a subexpression's source text for messages.
func (c *checker) snippet(x ast.Expr) string {
	s := strings.Join(strings.Fields(c.src[x.Pos():x.End()]), " ")
	if len([]rune(s)) > 40 {
		s = string([]rune(s)[:37]) + "…"
	}
	return s
}

// resolve resolves an attribute reference, reporting unknown sources and names. It returns false
// if the reference is unusable.
func (c *checker) resolve(a *ast.AttrRef) bool {
	if a.Bad {
		return false
	}
	if a.Source == attrs.NoSource {
		hint := "sources are Resource, Request, Principal and Environment"
		if s := attrs.Closest(a.SourceText, []string{"Resource", "Request", "Principal", "Environment"}); s != "" {
			hint = fmt.Sprintf("did you mean @%s[...]?", s)
		}
		c.errs.Errorf(diag.UnknownSource, a.At, a.NamePos-1, hint, "unknown attribute source %q", a.SourceText)
		return false
	}
	c.canonical(a.SourceText, a.Source.String(), a.At+1)
	ref, err := c.cat.Resolve(a.Source, a.Name)
	if err != nil {
		re := err.(*attrs.ResolveError)
		code := diag.UnknownAttr
		if strings.Contains(re.Msg, "key") {
			code = diag.BadDictKey
		}
		c.errorf(code, a, re.Hint, "%s", re.Msg)
		return false
	}
	a.Ref, a.Type = ref, ref.Type
	c.refs = append(c.refs, a)
	if !c.canonicalNameIs(a) && !c.canon[a.Name] {
		cn := c.canonicalName(a)
		c.warnedCanon(a.Name)
		c.errs.Warnf(diag.NonCanonical, a.NamePos, a.NamePos+diag.Pos(len(a.Name)), "`abacc fmt` rewrites it", "attribute name %s is written %s in the catalog", a.Name, cn)
	}
	return true
}

// canonicalName is the attribute's name with the catalog's casing (keys keep theirs).
func (c *checker) canonicalName(a *ast.AttrRef) string { return CanonicalName(c.cat, a) }

// canonicalNameIs reports whether a is written canonicalName(a), without building that name.
func (c *checker) canonicalNameIs(a *ast.AttrRef) bool {
	base := c.cat.Attr(a.Ref.ID).Name
	switch a.Ref.Sel {
	case attrs.SelKeys:
		return concatIs(a.Name, base, attrs.KeysSuffix, "", "")
	case attrs.SelKey:
		if c.cat.Attr(a.Ref.ID).Dict == attrs.DictTagged {
			return concatIs(a.Name, base, ":", a.Ref.Key, attrs.KeySuffix)
		}
		return concatIs(a.Name, base, ":", a.Ref.Key, "")
	}
	return a.Name == base
}

// concatIs reports whether s is p1+p2+p3+p4.
func concatIs(s, p1, p2, p3, p4 string) bool {
	if len(s) != len(p1)+len(p2)+len(p3)+len(p4) {
		return false
	}
	for _, p := range [...]string{p1, p2, p3, p4} {
		if s[:len(p)] != p {
			return false
		}
		s = s[len(p):]
	}
	return true
}

// CanonicalName returns a resolved reference's name with the catalog's casing; dictionary keys
// keep their own (they are case-sensitive).
func CanonicalName(cat *attrs.Catalog, a *ast.AttrRef) string {
	base := cat.Attr(a.Ref.ID).Name
	switch a.Ref.Sel {
	case attrs.SelKeys:
		return base + attrs.KeysSuffix
	case attrs.SelKey:
		if cat.Attr(a.Ref.ID).Dict == attrs.DictTagged {
			return base + ":" + a.Ref.Key + attrs.KeySuffix
		}
		return base + ":" + a.Ref.Key
	}
	return base
}

func (c *checker) comparison(x *ast.Comparison) {
	op := &x.Op
	valid := true
	if op.QuantText != "" {
		c.canonical(op.QuantText, op.Quant.String(), op.QuantPos)
		if op.Quant == ast.NoQuant {
			hint := "quantifiers are " + strings.Join(ast.QuantifierNames(), ", ")
			if s := attrs.Closest(op.QuantText, ast.QuantifierNames()); s != "" {
				hint = fmt.Sprintf("did you mean %s?", s)
			}
			c.errs.Errorf(diag.UnknownQuant, op.QuantPos, op.QuantPos+diag.Pos(len(op.QuantText)), hint, "unknown quantifier %q", op.QuantText)
			valid = false
		}
	}
	if op.Base == ast.OpInvalid {
		if op.BaseText != "" { // else the parser reported the missing operator
			c.unknownOperator(op)
		}
		valid = false
	} else {
		c.canonical(op.BaseText, op.Base.String(), op.BasePos)
	}
	if valid && op.Info().Dialect > c.dialect {
		c.errs.Errorf(diag.ExtendedOnly, op.BasePos, op.EndPos, extendedHint,
			"%s belongs to the extended dialect, not to the standard language", op.Base)
		valid = false
	}
	if !valid {
		c.resolveOperand(x.Left)
		c.resolveOperand(x.Right)
		return
	}
	info := op.Info()
	if op.Quant != ast.NoQuant && !info.Quantifiable {
		c.errs.Errorf(diag.BadQuantBase, op.BasePos, op.EndPos, quantBaseHint(op.Base),
			"%s cannot follow a quantifier", op.Base)
	}
	if info.Right != ast.RightValues {
		c.extended(x)
		return
	}
	c.operand(x, x.Left, true, info.Type)
	c.operand(x, x.Right, false, info.Type)
	if op.Quant.AllLeft() {
		if a, ok := x.Left.(*ast.AttrRef); ok && a.Source != attrs.NoSource && !a.Bad && !c.exists[refKey(a.Ref)] {
			c.errs.Warnf(diag.VacuousForAll, op.QuantPos, op.EndPos,
				fmt.Sprintf("add `Exists @%s[%s] AND` before it if a missing attribute must not pass", a.Source, a.Name),
				"%s is true when the attribute on its left is missing or empty (vacuous truth)", op.Quant)
		}
	}
}

// extendedHint is the hint of every ABAC2014 diagnostic.
const extendedHint = "compile with -dialect=extended (abacc.Options{Dialect: abacc.DialectExtended}) to use the extended dialect"

func quantBaseHint(op ast.Operator) string {
	const allowed = "quantifiers take StringEquals, StringNotEquals, StringLike, StringNotLike (and their IgnoreCase forms), StringEndsWith, StringContains and their Not-forms, the Numeric operators, GuidEquals and GuidNotEquals"
	if info := op.Info(); info.Rel == ast.RelPrefix {
		return "use StringLike with a trailing * for a prefix test; " + allowed
	}
	return allowed
}

func (c *checker) unknownOperator(op *ast.OperatorRef) {
	hint := ""
	base, ignoreCase := strings.CutSuffix(strings.ToLower(op.BaseText), "ignorecase")
	switch {
	case ast.LookupQuantifier(op.BaseText) != ast.NoQuant:
		hint = fmt.Sprintf("a quantifier needs an operator: %s:StringEquals", op.BaseText)
	case ignoreCase && ast.LookupOperator(base) != ast.OpInvalid && ast.LookupOperator(base).Info().Rel == ast.RelSuffix:
		hint = fmt.Sprintf("%s has no IgnoreCase form; write StringLikeIgnoreCase '*text' (its Not-form StringNotLikeIgnoreCase)", ast.LookupOperator(base))
	case ignoreCase && ast.LookupOperator(base) != ast.OpInvalid && ast.LookupOperator(base).Info().Rel == ast.RelContains:
		hint = fmt.Sprintf("%s has no IgnoreCase form; write StringLikeIgnoreCase '*text*' (its Not-form StringNotLikeIgnoreCase)", ast.LookupOperator(base))
	default:
		if s := attrs.Closest(op.BaseText, ast.DialectOperatorNames(c.dialect)); s != "" {
			hint = fmt.Sprintf("did you mean %s?", s)
		}
	}
	c.errs.Errorf(diag.UnknownOp, op.BasePos, op.EndPos, hint, "unknown operator %q", op.BaseText)
}

func (c *checker) resolveOperand(o ast.Operand) {
	if a, ok := o.(*ast.AttrRef); ok {
		c.resolve(a)
	}
}

// operand checks one side of a comparison against type t (the operator family's).
func (c *checker) operand(x *ast.Comparison, o ast.Operand, left bool, t attrs.Type) {
	op := &x.Op
	switch o := o.(type) {
	case *ast.AttrRef:
		if !c.resolve(o) {
			return
		}
		at := o.Ref.Type
		if at == attrs.Untyped {
			key := refKey(o.Ref)
			if prev, seen := c.untyped[key]; seen && prev.t != t {
				pl, pc := diag.NewFile("", c.src).Position(prev.pos)
				c.errorf(diag.TypeConflict, o, "an attribute has one type in a condition",
					"%s is used as %s here but as %s at %d:%d", o.Name, t, prev.t, pl, pc)
				return
			} else if !seen {
				if c.untyped == nil {
					c.untyped = map[refID]untypedUse{}
				}
				c.untyped[key] = untypedUse{t: t, pos: o.At}
			}
			o.Type = t
		} else if at != t {
			c.errorf(diag.TypeMismatch, o, familyHint(at), "@%s[%s] is a %s attribute, but %s compares %s values", o.Source, o.Name, at, op, t)
			return
		}
		if left && op.Quant == ast.NoQuant && o.Ref.Multi && op.Info().Right != ast.RightMembers {
			c.errorf(diag.MultiValued, o, fmt.Sprintf("use ForAnyOfAnyValues:%s (some value matches) or ForAllOfAnyValues:%s (every value matches)", op.Base, op.Base),
				"@%s[%s] is multi-valued; %s compares a single value", o.Source, o.Name, op.Base)
		}
	case *ast.Literal:
		c.literal(o, op, t)
	case *ast.SetLit:
		if left && op.Quant == ast.NoQuant {
			c.errs.Errorf(diag.SetOnLeft, o.Lbrace, o.Lbrace+1, fmt.Sprintf("use ForAnyOfAnyValues:%s or another quantifier", op.Base),
				"a set on the left needs a quantifier; %s compares a single value", op.Base)
		}
		for _, e := range o.Elems {
			c.literal(e, op, t)
		}
	case *ast.PairLit:
		c.misplacedPair(o, op)
	}
}

// misplacedPair reports a pair literal where the operator takes none.
func (c *checker) misplacedPair(p *ast.PairLit, op *ast.OperatorRef) {
	if c.dialect < ast.Extended {
		c.errs.Errorf(diag.ExtendedOnly, p.Pos(), p.End(), extendedHint, "the pair literal [a, b] belongs to the extended dialect")
		return
	}
	hint := "a pair follows IpInRange, IpNotInRange, TimeOfDayInRange or NumericInRange"
	if op.Info().Type == attrs.TypeString {
		hint += "; a set of values is written {a, b}"
	}
	c.errs.Errorf(diag.BadRange, p.Pos(), p.End(), hint, "%s does not take a pair [a, b]", op)
}

// familyHint suggests the operator family of an attribute's type.
func familyHint(t attrs.Type) string {
	switch t {
	case attrs.TypeString:
		return "use a String operator such as StringEquals"
	case attrs.TypeInteger:
		return "use a Numeric operator such as NumericEquals"
	case attrs.TypeBoolean:
		return "use BoolEquals or BoolNotEquals"
	case attrs.TypeDateTime:
		return "use a DateTime operator such as DateTimeGreaterThan"
	case attrs.TypeGuid:
		return "use GuidEquals or GuidNotEquals"
	}
	return ""
}

var litKindNames = map[ast.LitKind]string{ast.StringLit: "a string", ast.IntLit: "an integer", ast.BoolLit: "a boolean", ast.GuidLit: "a GUID"}

// literal converts a literal to type t (the operator family's), reporting literals of another
// kind.
func (c *checker) literal(l *ast.Literal, op *ast.OperatorRef, t attrs.Type) {
	if l.Bad {
		return
	}
	mismatch := func(hint string) {
		c.errorf(diag.TypeMismatch, l, hint, "%s compares %s values, but %s is %s literal", op, t, l.Raw, litKindNames[l.Kind])
	}
	switch t {
	case attrs.TypeString:
		if l.Kind != ast.StringLit {
			mismatch("quote it: '" + l.Raw + "'")
			return
		}
	case attrs.TypeInteger:
		if l.Kind != ast.IntLit {
			hint := ""
			if l.Kind == ast.StringLit && isInteger(l.Str) {
				hint = "remove the quotes: " + l.Str
			}
			mismatch(hint)
			return
		}
	case attrs.TypeBoolean:
		if l.Kind != ast.BoolLit {
			hint := "write true or false without quotes"
			mismatch(hint)
			return
		}
		c.canonical(l.Raw, strings.ToLower(l.Raw), l.ValuePos)
	case attrs.TypeDateTime:
		if l.Kind != ast.StringLit {
			mismatch("write a quoted DateTime such as '2024-01-31T00:00:00Z'")
			return
		}
		v, err := attrs.ParseDateTime(l.Str)
		if err != nil {
			c.errorf(diag.BadDateTime, l, "write yyyy-mm-ddThh:mm:ss[.fffffff] followed by Z or ±hh:mm", "bad DateTime %s: %v", l.Raw, err)
			return
		}
		l.Instant = v
	case attrs.TypeGuid:
		text := l.Raw
		switch l.Kind {
		case ast.StringLit:
			text = l.Str
		case ast.GuidLit:
		default:
			mismatch("write a GUID such as 8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
			return
		}
		g, err := attrs.ParseGuid(text)
		if err != nil {
			c.errorf(diag.BadGuid, l, "a GUID is 32 hex digits, as 8-4-4-4-12 with hyphens or without", "bad Guid %s: %v", l.Raw, err)
			return
		}
		l.Guid = g
	}
	l.Type = t
}

func isInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// supplyWarnings reports attributes that none of the condition's targeted actions supplies.
// Conditions without ActionMatches apply to every action and draw no such warning, nor do
// patterns that match no catalog action (the catalog cannot tell what they supply).
func (c *checker) supplyWarnings() {
	if len(c.targets) == 0 {
		return
	}
	known := c.cat.NewActionSet() // catalog actions the condition targets
	for _, p := range c.targets {
		if !c.cat.MatchActions(p, known) {
			return
		}
	}
	var warned []attrs.ID // at most one warning per attribute; few attributes draw one
	for _, a := range c.refs {
		if slices.Contains(warned, a.Ref.ID) || len(c.cat.Attr(a.Ref.ID).Actions) == 0 {
			continue
		}
		if !c.cat.SuppliesAny(a.Ref.ID, known) {
			warned = append(warned, a.Ref.ID)
			c.errs.Warnf(diag.NotSupplied, a.At, a.End(), "it will be missing on every targeted request, so comparisons on it are false (their Not-twins true)",
				"@%s[%s] is not supplied by any action the condition targets (%s)", a.Source, a.Name, strings.Join(c.targets, ", "))
		}
	}
}
