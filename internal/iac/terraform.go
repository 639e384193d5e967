package iac

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// tfTypes are the resource types whose top-level condition argument is a role-assignment
// condition (azurerm provider). azurerm_role_definition is not among them: its permissions block
// has actions, not_actions, data_actions and not_data_actions only.
var tfTypes = map[string]bool{
	"azurerm_role_assignment":              true,
	"azurerm_marketplace_role_assignment":  true,
	"azurerm_role_assignment_marketplace":  true,
	"azurerm_pim_eligible_role_assignment": true,
	"azurerm_pim_active_role_assignment":   true,
}

type tfReader struct {
	x    *extractor
	toks hclsyntax.Tokens
}

// maxHCLDepth bounds how deeply hcl/v2's recursive-descent parser may recurse on a .tf file.
// hcl has no limit of its own and recurses once per nested bracket, template, unary operator,
// chained conditional and nested template directive; a few hundred kilobytes of "((((" would
// exhaust the goroutine stack, which is fatal, not a panic. Real configurations nest a few
// dozen levels at most.
const maxHCLDepth = 256

// hclGuard checks the token stream for nesting that would make hcl's parser recurse too deep.
func hclGuard(toks hclsyntax.Tokens) (int, bool) {
	type level struct {
		brace     bool // an object or block body: elements end at line breaks
		ternaries int  // conditionals chained in the current element
	}
	stack := []level{{brace: true}}
	unary, directives := 0, 0
	for i, t := range toks {
		top := &stack[len(stack)-1]
		if t.Type == hclsyntax.TokenBang || t.Type == hclsyntax.TokenMinus {
			if unary++; unary > maxHCLDepth {
				return t.Range.Start.Byte, false
			}
		} else {
			unary = 0
		}
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if t.Type == hclsyntax.TokenTemplateControl && i+1 < len(toks) && toks[i+1].Type == hclsyntax.TokenIdent {
				switch string(toks[i+1].Bytes) {
				case "if", "for":
					directives++
				case "endif", "endfor":
					directives--
				}
			}
			stack = append(stack, level{brace: t.Type == hclsyntax.TokenOBrace})
			if len(stack) > maxHCLDepth || directives > maxHCLDepth {
				return t.Range.Start.Byte, false
			}
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc,
			hclsyntax.TokenTemplateSeqEnd:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case hclsyntax.TokenComma:
			top.ternaries = 0
		case hclsyntax.TokenNewline:
			if top.brace {
				top.ternaries = 0
			}
		case hclsyntax.TokenQuestion:
			if top.ternaries++; top.ternaries > maxHCLDepth {
				return t.Range.Start.Byte, false
			}
		}
	}
	return 0, true
}

func (x *extractor) terraform() error {
	r := &tfReader{x: x}
	if off, ok := hclGuard(r.tokens()); !ok {
		return x.errAt(off, "invalid HCL: nesting deeper than %d levels", maxHCLDepth)
	}
	file, diags := hclsyntax.ParseConfig(x.data, x.file, hcl.InitialPos)
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		off := 0
		if d.Subject != nil {
			off = d.Subject.Start.Byte
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		return x.errAt(off, "invalid HCL: %s", msg)
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	for _, blk := range body.Blocks {
		if blk.Type != "resource" || len(blk.Labels) != 2 || !tfTypes[blk.Labels[0]] {
			continue
		}
		attr, ok := blk.Body.Attributes["condition"]
		if !ok {
			continue
		}
		version := ""
		if v, ok := blk.Body.Attributes["condition_version"]; ok {
			version = staticString(v.Expr)
		}
		r.condition(attr.Expr, blk.Labels[0]+"."+blk.Labels[1], version)
	}
	return nil
}

// staticString returns the value of a literal string (a template of literal text only, in
// parentheses or not), else "". Other expressions are not evaluated.
func staticString(e hclsyntax.Expression) string {
	for {
		p, ok := e.(*hclsyntax.ParenthesesExpr)
		if !ok {
			break
		}
		e = p.Expression
	}
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok {
		return ""
	}
	for _, p := range t.Parts {
		if _, ok := p.(*hclsyntax.LiteralValueExpr); !ok {
			return ""
		}
	}
	if v, d := t.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
		return v.AsString()
	}
	return ""
}

func (r *tfReader) tokens() hclsyntax.Tokens {
	if r.toks == nil {
		r.toks, _ = hclsyntax.LexConfig(r.x.data, r.x.file, hcl.InitialPos)
	}
	return r.toks
}

// tokenAt returns the index of the token that starts at byte off, or -1.
func (r *tfReader) tokenAt(off int) int {
	toks := r.tokens()
	i := sort.Search(len(toks), func(i int) bool { return toks[i].Range.Start.Byte >= off })
	if i < len(toks) && toks[i].Range.Start.Byte == off {
		return i
	}
	return -1
}

func (r *tfReader) condition(expr hclsyntax.Expression, where, version string) {
	x := r.x
	start := expr.Range().Start.Byte
	src := x.data[start:expr.Range().End.Byte]
	e := expr
	for {
		p, ok := e.(*hclsyntax.ParenthesesExpr)
		if !ok {
			break
		}
		e = p.Expression
	}
	switch t := e.(type) {
	case *hclsyntax.TemplateExpr:
		// Literal text only: an interpolation of a constant (`${0}`) is a literal part too,
		// but the string Terraform sends is then not the text between the quotes.
		what := r.templateWhat(t)
		for _, part := range t.Parts {
			if _, ok := part.(*hclsyntax.LiteralValueExpr); !ok && what == "" {
				what = "an interpolation"
			}
		}
		if what != "" {
			x.note(start, where, "condition is a template with %s; not checkable statically", what)
			return
		}
		r.literal(t, where, version)
	case *hclsyntax.LiteralValueExpr:
		if t.Val.IsNull() {
			return
		}
		x.note(start, where, "condition is a %s, not a string", t.Val.Type().FriendlyName())
	case *hclsyntax.TemplateWrapExpr:
		x.note(start, where, "condition is an interpolation %s; not checkable statically", snippet(src))
	case *hclsyntax.ScopeTraversalExpr:
		x.note(start, where, "condition is a reference to %s; not checkable statically", snippet(src))
	case *hclsyntax.FunctionCallExpr:
		x.note(start, where, "condition is computed by %s(...); not checkable statically", t.Name)
	default:
		x.note(start, where, "condition is an expression %s; not checkable statically", snippet(src))
	}
}

// templateWhat describes the first interpolation or directive of a template ("" if it has none).
func (r *tfReader) templateWhat(t *hclsyntax.TemplateExpr) string {
	toks := r.tokens()
	i := r.tokenAt(t.SrcRange.Start.Byte)
	for ; i >= 0 && i < len(toks) && toks[i].Range.Start.Byte < t.SrcRange.End.Byte; i++ {
		switch toks[i].Type {
		case hclsyntax.TokenTemplateInterp:
			l, c := r.x.lines.position(toks[i].Range.Start.Byte)
			return fmt.Sprintf("an interpolation ${...} at %d:%d", l, c)
		case hclsyntax.TokenTemplateControl:
			l, c := r.x.lines.position(toks[i].Range.Start.Byte)
			return fmt.Sprintf("a template directive %%{...} at %d:%d", l, c)
		}
	}
	return ""
}

// literal extracts a template made of literal text only: a quoted string or a heredoc.
func (r *tfReader) literal(t *hclsyntax.TemplateExpr, where, version string) {
	x := r.x
	start, end := t.SrcRange.Start.Byte, t.SrcRange.End.Byte
	val, diags := t.Value(nil)
	if diags.HasErrors() || val.Type() != cty.String || !val.IsKnown() || val.IsNull() {
		x.note(start, where, "condition could not be read as a string")
		return
	}
	want := val.AsString()

	toks := r.tokens()
	k := r.tokenAt(start)
	var text string
	var m *mapping
	var rewrite func(string) ([]byte, bool)
	if k >= 0 {
		switch toks[k].Type {
		case hclsyntax.TokenOQuote:
			text, m = r.quoted(k)
			rewrite = func(s string) ([]byte, bool) {
				lit := encodeHCLQuoted(s)
				return lit, hclReads(lit, s)
			}
		case hclsyntax.TokenOHeredoc:
			var h heredocStyle
			text, m, h = r.heredoc(k)
			rewrite = func(s string) ([]byte, bool) { return h.rewrite(s) }
		}
	}
	if m != nil {
		if norm := cty.NormalizeString(text); norm != text {
			text, m = nfc(text, m)
		}
	}
	if m == nil || text != want {
		// The token-level decoding disagrees with hcl's own value (it should not): keep hcl's
		// text, point every offset at the literal, and refuse to rewrite it.
		m = &mapping{end: start}
		m.esc(start, len(want))
		x.add(where, want, version, m, start, end, nil, false)
		return
	}
	x.add(where, text, version, m, start, end, rewrite, true)
}

// quoted decodes the quoted template whose opening quote is token k.
func (r *tfReader) quoted(k int) (string, *mapping) {
	toks := r.tokens()
	m := &mapping{}
	var b strings.Builder
	for i := k + 1; i < len(toks); i++ {
		switch toks[i].Type {
		case hclsyntax.TokenQuotedLit:
			decodeHCL(toks[i].Bytes, toks[i].Range.Start.Byte, true, &b, m)
		case hclsyntax.TokenCQuote:
			m.end = toks[i].Range.Start.Byte
			return b.String(), m
		default:
			return "", nil
		}
	}
	return "", nil
}

// decodeHCL decodes a string-literal token as hcl's ParseStringLiteralToken does: in a quoted
// string the escapes \n \r \t \" \\ \uNNNN \UNNNNNNNN; in both quoted strings and heredocs the
// template escapes $${ and %%{.
func decodeHCL(src []byte, base int, quoted bool, b *strings.Builder, m *mapping) {
	i, run := 0, 0
	flush := func() {
		if i > run {
			b.Write(src[run:i])
			m.lit(base+run, i-run)
		}
	}
	for i < len(src) {
		c := src[i]
		n, out := 0, ""
		switch {
		case quoted && c == '\\' && i+1 < len(src):
			switch src[i+1] {
			case 'n':
				n, out = 2, "\n"
			case 'r':
				n, out = 2, "\r"
			case 't':
				n, out = 2, "\t"
			case '"':
				n, out = 2, "\""
			case '\\':
				n, out = 2, "\\"
			case 'u', 'U':
				w := 4
				if src[i+1] == 'U' {
					w = 8
				}
				if i+2+w <= len(src) {
					if v, err := strconv.ParseUint(string(src[i+2:i+2+w]), 16, 32); err == nil && utf8.ValidRune(rune(v)) {
						n, out = 2+w, string(rune(v))
					}
				}
			}
		case (c == '$' || c == '%') && i+2 < len(src) && src[i+1] == c && src[i+2] == '{':
			n, out = 3, string([]byte{c, '{'})
		}
		if n == 0 {
			i++
			continue
		}
		flush()
		b.WriteString(out)
		m.esc(base+i, len(out))
		i += n
		run = i
	}
	flush()
}

// heredocStyle is what a rewrite keeps of a heredoc: its opening line, its closing line, its
// indentation and its line breaks.
type heredocStyle struct {
	open, close string // "<<-EOT\n", "    EOT"
	flush       bool
	indent      string // the prefix hcl stripped from the first stripped line
	crlf        bool
}

// heredoc decodes the heredoc whose opening token is k, applying hcl's <<- rule exactly
// (hclsyntax flushHeredocTemplateParts): the smallest number of leading white-space characters
// (grapheme clusters, per unicode.IsSpace) over the lines — a line that is only white space and
// a line break does not count and is not trimmed — is removed from the start of every other line.
func (r *tfReader) heredoc(k int) (string, *mapping, heredocStyle) {
	toks := r.tokens()
	open := string(toks[k].Bytes)
	h := heredocStyle{open: open, flush: strings.HasPrefix(open, "<<-"), crlf: strings.HasSuffix(open, "\r\n")}
	type part struct {
		raw   []byte
		base  int
		val   string // decoded
		first bool   // first token of its line
	}
	var parts []part
	closeTok := -1
	newline := true
	for i := k + 1; i < len(toks); i++ {
		t := toks[i]
		if t.Type == hclsyntax.TokenCHeredoc {
			closeTok = i
			break
		}
		if t.Type != hclsyntax.TokenStringLit {
			return "", nil, h
		}
		var b strings.Builder
		decodeHCL(t.Bytes, t.Range.Start.Byte, false, &b, &mapping{})
		parts = append(parts, part{raw: t.Bytes, base: t.Range.Start.Byte, val: b.String(), first: newline})
		newline = strings.HasSuffix(b.String(), "\n")
	}
	if closeTok < 0 {
		return "", nil, h
	}
	h.close = string(toks[closeTok].Bytes)

	strip := make([]int, len(parts)) // bytes removed from the start of each part
	if h.flush {
		const maxInt = int(^uint(0) >> 1)
		minSpaces := maxInt
		var adjust []int
		for i, p := range parts {
			if !p.first {
				continue
			}
			trimmed := strings.TrimLeftFunc(p.val, unicode.IsSpace)
			spaces := maxInt
			if !(trimmed == "" && strings.HasSuffix(p.val, "\n")) {
				spaces = graphemes([]byte(p.val[:len(p.val)-len(trimmed)]))
				adjust = append(adjust, i)
			}
			minSpaces = min(minSpaces, spaces)
		}
		for _, i := range adjust {
			v := []byte(parts[i].val)
			n := 0
			for j := 0; j < minSpaces && n < len(v); j++ {
				n += scanGrapheme(v[n:])
			}
			strip[i] = n
		}
		if len(adjust) > 0 {
			h.indent = parts[adjust[0]].val[:strip[adjust[0]]]
		}
	}
	m := &mapping{end: toks[closeTok].Range.Start.Byte}
	var b strings.Builder
	for i, p := range parts {
		decodeHCL(p.raw[strip[i]:], p.base+strip[i], false, &b, m)
	}
	return b.String(), m, h
}

// graphemes counts grapheme clusters as hcl's unicodeutil.GraphemeCount does.
func graphemes(b []byte) int {
	n := 0
	for len(b) > 0 {
		adv := scanGrapheme(b)
		if adv <= 0 {
			break
		}
		b = b[adv:]
		n++
	}
	return n
}

// rewrite writes s as a heredoc of the same style. A heredoc's value always ends with a line
// break, so one is added when s lacks it.
func (h heredocStyle) rewrite(s string) ([]byte, bool) {
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	if h.crlf {
		s = toCRLF(s)
	}
	var b strings.Builder
	b.WriteString(h.open)
	for rest := s; rest != ""; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i+1], rest[i+1:]
		} else {
			rest = ""
		}
		if h.flush && strings.TrimLeftFunc(line, unicode.IsSpace) != "" {
			b.WriteString(h.indent)
		}
		b.WriteString(escapeTemplate(line))
	}
	b.WriteString(h.close)
	lit := []byte(b.String())
	return lit, hclReads(lit, s)
}

// escapeTemplate escapes "${" and "%{", which would start an interpolation or a directive.
func escapeTemplate(s string) string {
	if !strings.Contains(s, "${") && !strings.Contains(s, "%{") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if (s[i] == '$' || s[i] == '%') && i+1 < len(s) && s[i+1] == '{' {
			b.WriteByte(s[i])
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// encodeHCLQuoted writes s as a quoted HCL string.
func encodeHCLQuoted(s string) []byte {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range escapeTemplate(s) {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return []byte(b.String())
}

// hclReads reports whether lit, as the value of an attribute, is a literal template whose value
// is want (so Terraform would send exactly want).
func hclReads(lit []byte, want string) bool {
	src := append([]byte("x = "), lit...)
	src = append(src, '\n')
	f, diags := hclsyntax.ParseConfig(src, "rewrite.tf", hcl.InitialPos)
	if diags.HasErrors() {
		return false
	}
	body := f.Body.(*hclsyntax.Body)
	a, ok := body.Attributes["x"]
	if !ok || len(body.Attributes) != 1 || len(body.Blocks) != 0 {
		return false
	}
	t, ok := a.Expr.(*hclsyntax.TemplateExpr)
	if !ok || t.SrcRange.Start.Byte != 4 || t.SrcRange.End.Byte != 4+len(lit) {
		return false
	}
	for _, p := range t.Parts {
		if _, ok := p.(*hclsyntax.LiteralValueExpr); !ok {
			return false
		}
	}
	v, d := t.Value(nil)
	return !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() && v.AsString() == want
}

// nfc normalizes a text to NFC as cty does with every Terraform string, and maps the result
// back through m. NFC never changes a text across an ASCII character (ASCII characters are
// starters that compose with nothing before them), so the text is normalized chunk by chunk:
// an ASCII character with the non-ASCII run that follows it. A chunk that normalization changes
// maps, as a whole, to the chunk's first byte.
func nfc(text string, m *mapping) (string, *mapping) {
	inner := &mapping{end: len(text)}
	var b strings.Builder
	for i := 0; i < len(text); {
		j := i + 1
		for j < len(text) && text[j] >= 0x80 {
			j++
		}
		chunk := text[i:j]
		if norm := cty.NormalizeString(chunk); norm != chunk {
			b.WriteString(norm)
			inner.esc(i, len(norm))
		} else {
			b.WriteString(chunk)
			inner.lit(i, len(chunk))
		}
		i = j
	}
	return b.String(), m.compose(inner)
}
