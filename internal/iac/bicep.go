package iac

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// No Go parser of Bicep exists, so this is the narrowest reader of Bicep's lexical structure that
// finds role-assignment conditions correctly: comments, strings (with escapes, interpolation holes
// and multi-line verbatim strings, following Bicep's Lexer.cs), identifiers, numbers, punctuation,
// line breaks, and nesting of braces, brackets and parentheses. On top of the tokens it reads
// resource declarations, their bodies (plain, `if (...) {...}`, `[for ...: {...}]`), object
// properties and arrays. It does not type-check or evaluate Bicep.

type btKind uint8

const (
	bEOF btKind = iota
	bNewline
	bIdent
	bNumber
	bString // '...', complete or interpolated
	bMulti  // '''...''' or $'''...'''
	bPunct
)

type btok struct {
	kind       btKind
	start, end int
	text       string // identifiers and punctuation
	interp     int    // strings: offset of the first interpolation hole, -1 if none
	dollars    int    // multi-line strings: the number of '$' before the opening '''
}

type blexer struct {
	data  []byte
	toks  []btok
	depth int
}

type bicepError struct {
	off int
	msg string
}

func (e *bicepError) Error() string { return fmt.Sprintf("offset %d: %s", e.off, e.msg) }

func lexBicep(data []byte) ([]btok, *bicepError) {
	l := &blexer{data: data}
	i := 0
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		i = 3
	}
	lineStart := true // only blanks since the last line break
	for i < len(data) {
		c := data[i]
		switch {
		case c == ' ' || c == '\t':
			i++
			continue
		case c == '\n' || c == '\r':
			s := i
			for i < len(data) && (data[i] == '\n' || data[i] == '\r') {
				i++
			}
			if n := len(l.toks); n == 0 || l.toks[n-1].kind != bNewline {
				l.toks = append(l.toks, btok{kind: bNewline, start: s, end: i})
			}
			lineStart = true
			continue
		case c == '/' && i+1 < len(data) && data[i+1] == '/':
			for i < len(data) && data[i] != '\n' && data[i] != '\r' {
				i++
			}
			continue
		case c == '/' && i+1 < len(data) && data[i+1] == '*':
			end := strings.Index(string(data[i+2:]), "*/")
			if end < 0 {
				return nil, &bicepError{i, "unterminated /* comment"}
			}
			i += 2 + end + 2
			continue
		case c == '#' && lineStart:
			// #disable-next-line and similar directives run to the end of the line.
			for i < len(data) && data[i] != '\n' && data[i] != '\r' {
				i++
			}
			continue
		}
		lineStart = false
		switch {
		case c == '\'':
			t, err := l.stringAt(i)
			if err != nil {
				return nil, err
			}
			l.toks = append(l.toks, t)
			i = t.end
		case c == '$':
			n := 0
			for i+n < len(data) && data[i+n] == '$' {
				n++
			}
			if strings.HasPrefix(string(data[i+n:min(len(data), i+n+3)]), "'''") {
				t, err := l.multiAt(i, n)
				if err != nil {
					return nil, err
				}
				l.toks = append(l.toks, t)
				i = t.end
			} else {
				l.toks = append(l.toks, btok{kind: bPunct, start: i, end: i + 1, text: "$"})
				i++
			}
		case c == '"':
			return nil, &bicepError{i, `unexpected '"': Bicep strings are written in single quotes`}
		case c >= '0' && c <= '9':
			s := i
			for i < len(data) && data[i] >= '0' && data[i] <= '9' {
				i++
			}
			l.toks = append(l.toks, btok{kind: bNumber, start: s, end: i, text: string(data[s:i])})
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			s := i
			for i < len(data) && isIdentByte(data[i]) {
				i++
			}
			l.toks = append(l.toks, btok{kind: bIdent, start: s, end: i, text: string(data[s:i])})
		case c < 0x20 || c == 0x7f:
			return nil, &bicepError{i, fmt.Sprintf("unexpected control character U+%04X", c)}
		case c >= 0x80:
			r, _ := utf8.DecodeRune(data[i:])
			return nil, &bicepError{i, fmt.Sprintf("unexpected character %q (U+%04X) outside a string or comment", r, r)}
		default:
			n := 1
			if i+2 < len(data) && string(data[i:i+3]) == "..." {
				n = 3
			} else if i+1 < len(data) {
				switch string(data[i : i+2]) {
				case "::", "??", "!=", "!~", "<=", ">=", "==", "=~", "=>", "&&", "||":
					n = 2
				}
			}
			l.toks = append(l.toks, btok{kind: bPunct, start: i, end: i + n, text: string(data[i : i+n])})
			i += n
		}
	}
	l.toks = append(l.toks, btok{kind: bEOF, start: len(data), end: len(data)})
	return l.toks, nil
}

// stringAt scans a '...' string starting at its quote. Interpolation holes are scanned as
// Bicep expressions up to their matching '}' (they may hold strings and objects).
func (l *blexer) stringAt(start int) (btok, *bicepError) {
	data := l.data
	if strings.HasPrefix(string(data[start:min(len(data), start+3)]), "'''") {
		return l.multiAt(start, 0)
	}
	t := btok{kind: bString, start: start, interp: -1}
	i := start + 1
	for {
		if i >= len(data) {
			return t, &bicepError{start, "unterminated string"}
		}
		c := data[i]
		switch {
		case c == '\n' || c == '\r':
			return t, &bicepError{start, "unterminated string: a '...' string ends on its line (multi-line strings are written '''...''')"}
		case c == '\'':
			t.end = i + 1
			return t, nil
		case c == '$' && i+1 < len(data) && data[i+1] == '{':
			if t.interp < 0 {
				t.interp = i
			}
			end, err := l.hole(i+2, false)
			if err != nil {
				return t, err
			}
			i = end
		case c == '\\':
			n, _, err := bicepEscape(data, i)
			if err != nil {
				return t, err
			}
			i += n
		default:
			_, n := utf8.DecodeRune(data[i:])
			i += n
		}
	}
}

// bicepEscape decodes the escape sequence at data[i] (a backslash): its length in bytes and
// the character it stands for.
func bicepEscape(data []byte, i int) (int, rune, *bicepError) {
	if i+1 >= len(data) {
		return 0, 0, &bicepError{i, "unterminated escape sequence"}
	}
	switch data[i+1] {
	case 'n':
		return 2, '\n', nil
	case 'r':
		return 2, '\r', nil
	case 't':
		return 2, '\t', nil
	case '\\':
		return 2, '\\', nil
	case '\'':
		return 2, '\'', nil
	case '$':
		return 2, '$', nil
	case 'u':
		j := i + 2
		if j >= len(data) || data[j] != '{' {
			return 0, 0, &bicepError{i, `invalid escape: \u must be followed by {hex digits}`}
		}
		j++
		h := j
		for j < len(data) && (data[j] >= '0' && data[j] <= '9' || data[j] >= 'a' && data[j] <= 'f' || data[j] >= 'A' && data[j] <= 'F') {
			j++
		}
		if j == h || j >= len(data) || data[j] != '}' {
			return 0, 0, &bicepError{i, `invalid escape: \u must be followed by {hex digits}`}
		}
		digits := strings.TrimLeft(string(data[h:j]), "0")
		if len(digits) > 6 {
			return 0, 0, &bicepError{i, `invalid escape: code point above 10FFFF`}
		}
		v, _ := strconv.ParseUint("0"+digits, 16, 32)
		if v > 0x10FFFF {
			return 0, 0, &bicepError{i, `invalid escape: code point above 10FFFF`}
		}
		r := rune(v)
		if r >= 0xD800 && r <= 0xDFFF {
			r = utf8.RuneError // a lone surrogate: .NET keeps it, UTF-8 cannot
		}
		return j + 1 - i, r, nil
	}
	r, _ := utf8.DecodeRune(data[i+1:])
	return 0, 0, &bicepError{i, fmt.Sprintf(`invalid escape sequence \%c (Bicep knows \n \r \t \\ \' \$ \u{...})`, r)}
}

// hole scans an interpolation hole's expression from i (just after "${") and returns the offset
// after its closing '}'.
func (l *blexer) hole(i int, multiline bool) (int, *bicepError) {
	l.depth++
	defer func() { l.depth-- }()
	if l.depth > maxDepth {
		return 0, &bicepError{i, fmt.Sprintf("interpolation nested deeper than %d levels", maxDepth)}
	}
	data := l.data
	open := i - 2
	depth := 0
	for i < len(data) {
		c := data[i]
		switch {
		case c == '\n' || c == '\r':
			if !multiline {
				return 0, &bicepError{open, "unterminated interpolation: ${...} in a '...' string ends on its line"}
			}
			i++
		case c == '\'':
			t, err := l.stringAt(i)
			if err != nil {
				return 0, err
			}
			i = t.end
		case c == '/' && i+1 < len(data) && data[i+1] == '*':
			end := strings.Index(string(data[i+2:]), "*/")
			if end < 0 {
				return 0, &bicepError{i, "unterminated /* comment"}
			}
			i += 2 + end + 2
		case c == '{':
			depth++
			i++
		case c == '}':
			if depth == 0 {
				return i + 1, nil
			}
			depth--
			i++
		default:
			i++
		}
	}
	return 0, &bicepError{open, "unterminated interpolation: ${ is never closed"}
}

// multiAt scans a multi-line string: dollars '$' characters (0 for a verbatim string), then the
// text between two fences of three single quotes. The closing fence takes every further quote
// with it, so the text may end with a quote.
// With dollars > 0, a run of at least that many '$' followed by '{' opens a hole.
func (l *blexer) multiAt(start, dollars int) (btok, *bicepError) {
	data := l.data
	t := btok{kind: bMulti, start: start, interp: -1, dollars: dollars}
	i := start + dollars + 3
	quotes := 0
	for i < len(data) {
		c := data[i]
		if c == '\'' {
			quotes++
			i++
			if quotes == 3 {
				for i < len(data) && data[i] == '\'' {
					i++
				}
				t.end = i
				return t, nil
			}
			continue
		}
		quotes = 0
		if c == '$' && dollars > 0 {
			n := 0
			for i+n < len(data) && data[i+n] == '$' {
				n++
			}
			if n >= dollars && i+n < len(data) && data[i+n] == '{' {
				if t.interp < 0 {
					t.interp = i
				}
				end, err := l.hole(i+n+1, true)
				if err != nil {
					return t, err
				}
				i = end
				continue
			}
			i += n
			continue
		}
		i++
	}
	return t, &bicepError{start, "unterminated multi-line string: ''' is never closed"}
}

// multiContent returns the content range of a multi-line string token: after the opening fence
// of three quotes and the line break that may follow it (Bicep drops "\r\n", "\n" or "\r"
// there), before the closing fence.
func multiContent(data []byte, t btok) (cs, ce int) {
	cs = t.start + t.dollars + 3
	ce = t.end - 3
	if cs < ce && data[cs] == '\r' {
		cs++
	}
	if cs < ce && data[cs] == '\n' {
		cs++
	}
	return cs, ce
}

// decodeBicepString decodes a complete '...' string token and maps it to the file.
func decodeBicepString(data []byte, t btok) (string, *mapping) {
	m := &mapping{end: t.end - 1}
	var b strings.Builder
	i := t.start + 1
	run := i
	for i < t.end-1 {
		if data[i] != '\\' {
			i++
			continue
		}
		if i > run {
			b.Write(data[run:i])
			m.lit(run, i-run)
		}
		n, r, _ := bicepEscape(data, i)
		k := b.Len()
		b.WriteRune(r)
		m.esc(i, b.Len()-k)
		i += n
		run = i
	}
	if i > run {
		b.Write(data[run:i])
		m.lit(run, i-run)
	}
	return b.String(), m
}

// encodeBicepString writes s as a '...' Bicep string.
func encodeBicepString(s string) []byte {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '\'')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b = append(b, '\\', '\\')
		case c == '\'':
			b = append(b, '\\', '\'')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '$' && i+1 < len(s) && s[i+1] == '{':
			b = append(b, '\\', '$')
		case c < 0x20 || c == 0x7f:
			b = fmt.Appendf(b, `\u{%X}`, c)
		default:
			b = append(b, c)
		}
	}
	return append(b, '\'')
}

// ---- declarations ----

type bicepReader struct {
	x     *extractor
	toks  []btok
	match []int // index of the matching bracket, -1 for other tokens
}

type bprop struct {
	key    string
	kt     int // key token
	vs, ve int // value tokens [vs, ve)
}

func (x *extractor) bicep() error {
	toks, err := lexBicep(x.data)
	if err != nil {
		return x.errAt(err.off, "invalid Bicep: %s", err.msg)
	}
	match := make([]int, len(toks))
	var stack []int
	closer := map[string]string{"{": "}", "[": "]", "(": ")"}
	for i, t := range toks {
		match[i] = -1
		if t.kind != bPunct {
			continue
		}
		switch t.text {
		case "{", "[", "(":
			if len(stack) >= maxDepth {
				return x.errAt(t.start, "invalid Bicep: nesting deeper than %d levels", maxDepth)
			}
			stack = append(stack, i)
		case "}", "]", ")":
			if len(stack) == 0 {
				return x.errAt(t.start, "invalid Bicep: unexpected '%s' (nothing to close)", t.text)
			}
			o := stack[len(stack)-1]
			if closer[toks[o].text] != t.text {
				ol, oc := x.lines.position(toks[o].start)
				return x.errAt(t.start, "invalid Bicep: unexpected '%s': '%s' at %d:%d is still open", t.text, toks[o].text, ol, oc)
			}
			stack = stack[:len(stack)-1]
			match[i], match[o] = o, i
		}
	}
	if len(stack) > 0 {
		o := stack[len(stack)-1]
		return x.errAt(toks[o].start, "invalid Bicep: '%s' is never closed", toks[o].text)
	}
	b := &bicepReader{x: x, toks: toks, match: match}
	b.statements(0, len(toks)-1, "")
	return nil
}

func (b *bicepReader) is(i int, kind btKind, text string) bool {
	return i >= 0 && i < len(b.toks) && b.toks[i].kind == kind && b.toks[i].text == text
}

// skip returns the index after token i, jumping over a bracketed group.
func (b *bicepReader) skip(i int) int {
	if b.match[i] > i {
		return b.match[i] + 1
	}
	return i + 1
}

// exprEnd returns the end of the expression that starts at i: the first line break or comma
// outside brackets, or stop.
func (b *bicepReader) exprEnd(i, stop int) int {
	for i < stop {
		t := b.toks[i]
		if t.kind == bNewline || t.kind == bEOF || t.kind == bPunct && t.text == "," {
			return i
		}
		i = b.skip(i)
	}
	return stop
}

// decorators skips decorators (@name, @ns.name, each with optional arguments) from i.
func (b *bicepReader) decorators(i, stop int) int {
	for i < stop && b.is(i, bPunct, "@") {
		i++
		for i < stop && (b.toks[i].kind == bIdent || b.is(i, bPunct, ".")) {
			i++
		}
		if i < stop && b.is(i, bPunct, "(") {
			i = b.skip(i)
		}
		for i < stop && b.toks[i].kind == bNewline {
			i++
		}
	}
	return i
}

func (b *bicepReader) isResource(i int) bool {
	return b.is(i, bIdent, "resource") && i+2 < len(b.toks) && b.toks[i+1].kind == bIdent &&
		(b.toks[i+2].kind == bString || b.toks[i+2].kind == bMulti)
}

// statements reads the declarations in tokens [i, stop): top-level statements, or the
// statements of a resource body (properties and nested resources).
func (b *bicepReader) statements(i, stop int, parent string) {
	for i < stop {
		t := b.toks[i]
		if t.kind == bNewline || t.kind == bPunct && t.text == "," {
			i++
			continue
		}
		i = b.decorators(i, stop)
		if i >= stop {
			return
		}
		if b.isResource(i) {
			i = b.resource(i, parent)
			continue
		}
		i = b.exprEnd(b.skip(i), stop)
	}
}

// resource reads the declaration `resource NAME 'TYPE@VERSION' [existing] = VALUE` at i and
// returns the index after it.
func (b *bicepReader) resource(i int, parent string) int {
	sym := b.toks[i+1].text
	if parent != "" {
		sym = parent + "::" + sym
	}
	tt := b.toks[i+2]
	j := i + 3
	if b.is(j, bIdent, "existing") {
		j++
	}
	if !b.is(j, bPunct, "=") {
		return j
	}
	j++
	end := b.exprEnd(j, len(b.toks)-1)
	body := b.body(j, end)
	if body < 0 {
		return end
	}
	typ := ""
	if tt.kind == bString && tt.interp < 0 {
		typ, _ = decodeBicepString(b.x.data, tt)
		if k := strings.IndexByte(typ, '@'); k >= 0 {
			typ = typ[:k]
		}
	}
	props := b.props(body, sym)
	switch {
	case armType(typ, "roleAssignments"):
		if p, ok := find(props, "properties"); ok {
			if inner, ok := b.object(p); ok {
				ps := b.props(inner, "")
				b.condition(ps, sym)
			} else {
				b.x.note(b.toks[p.vs].start, sym, "properties is %s; its condition is not checkable statically", b.describe(p))
			}
		}
	case armType(typ, "roleDefinitions"):
		if p, ok := find(props, "properties"); ok {
			if inner, ok := b.object(p); ok {
				if perms, ok := find(b.props(inner, ""), "permissions"); ok {
					b.permissions(perms, sym)
				}
			}
		}
	}
	return end
}

// body finds the object of a resource value in tokens [i, end): `{...}`, `if (...) {...}`, or
// `[for ...: {...}]` / `[for ...: if (...) {...}]`. It returns the index of '{' or -1.
func (b *bicepReader) body(i, end int) int {
	switch {
	case b.is(i, bPunct, "{"):
		return i
	case b.is(i, bIdent, "if"):
		k := i + 1
		if !b.is(k, bPunct, "(") {
			return -1
		}
		k = b.skip(k)
		for k < end && b.toks[k].kind == bNewline {
			k++
		}
		if b.is(k, bPunct, "{") {
			return k
		}
	case b.is(i, bPunct, "["):
		k := i + 1
		for b.toks[k].kind == bNewline {
			k++
		}
		if !b.is(k, bIdent, "for") {
			return -1
		}
		c := b.match[i] - 1
		for c > i && b.toks[c].kind == bNewline {
			c--
		}
		if b.is(c, bPunct, "}") {
			return b.match[c]
		}
	}
	return -1
}

// props reads the properties of the object whose '{' is at open; nested resource declarations
// in it are read as resources under parent (when parent is not "").
func (b *bicepReader) props(open int, parent string) []bprop {
	var out []bprop
	stop := b.match[open]
	i := open + 1
	for i < stop {
		t := b.toks[i]
		if t.kind == bNewline || t.kind == bPunct && t.text == "," {
			i++
			continue
		}
		i = b.decorators(i, stop)
		if i >= stop {
			break
		}
		t = b.toks[i]
		if b.isResource(i) {
			i = b.resource(i, parent)
			continue
		}
		if (t.kind == bIdent || t.kind == bString && t.interp < 0) && b.is(i+1, bPunct, ":") {
			key := t.text
			if t.kind == bString {
				key, _ = decodeBicepString(b.x.data, t)
			}
			vs := i + 2
			ve := b.exprEnd(vs, stop)
			out = append(out, bprop{key: key, kt: i, vs: vs, ve: ve})
			i = ve
			continue
		}
		i = b.exprEnd(b.skip(i), stop) // a spread (...x) or something this reader need not understand
	}
	return out
}

func find(ps []bprop, key string) (bprop, bool) {
	var found bprop
	ok := false
	for _, p := range ps {
		if strings.EqualFold(p.key, key) {
			found, ok = p, true
		}
	}
	return found, ok
}

// object reports whether a property's value is exactly one object literal, and its '{'.
func (b *bicepReader) object(p bprop) (int, bool) {
	if b.is(p.vs, bPunct, "{") && b.match[p.vs] == p.ve-1 {
		return p.vs, true
	}
	return -1, false
}

func (b *bicepReader) snip(p bprop) string {
	if p.vs >= p.ve {
		return ""
	}
	return snippet(b.x.data[b.toks[p.vs].start:b.toks[p.ve-1].end])
}

// permissions reads a role definition's permissions array.
func (b *bicepReader) permissions(p bprop, sym string) {
	if !b.is(p.vs, bPunct, "[") || b.match[p.vs] != p.ve-1 {
		return
	}
	if body := b.body(p.vs, p.ve); body >= 0 { // [for ...: {...}]
		b.condition(b.props(body, ""), sym+".permissions[for]")
		return
	}
	close := b.match[p.vs]
	n := 0
	for i := p.vs + 1; i < close; {
		t := b.toks[i]
		if t.kind == bNewline || t.kind == bPunct && t.text == "," {
			i++
			continue
		}
		end := b.exprEnd(i, close)
		if b.is(i, bPunct, "{") && b.match[i] == end-1 {
			b.condition(b.props(i, ""), fmt.Sprintf("%s.permissions[%d]", sym, n))
		}
		n++
		i = end
	}
}

// condition reads condition and conditionVersion among an object's properties.
func (b *bicepReader) condition(ps []bprop, where string) {
	c, ok := find(ps, "condition")
	if !ok {
		return
	}
	version := ""
	if v, ok := find(ps, "conditionVersion"); ok && v.ve-v.vs == 1 && b.toks[v.vs].kind == bString && b.toks[v.vs].interp < 0 {
		version, _ = decodeBicepString(b.x.data, b.toks[v.vs])
	}
	x := b.x
	if c.ve-c.vs != 1 {
		if c.vs < c.ve {
			x.note(b.toks[c.vs].start, where, "condition is %s; not checkable statically", b.describe(c))
		}
		return
	}
	t := b.toks[c.vs]
	switch {
	case t.kind == bIdent && t.text == "null":
		return
	case (t.kind == bString || t.kind == bMulti) && t.interp >= 0:
		x.note(t.start, where, "condition is an interpolated string (${...} at %s); not checkable statically", b.at(t.interp))
	case t.kind == bString:
		text, m := decodeBicepString(x.data, t)
		x.add(where, text, version, m, t.start, t.end, func(s string) ([]byte, bool) {
			lit := encodeBicepString(s)
			return lit, bicepReads(lit, s)
		}, true)
	case t.kind == bMulti:
		cs, ce := multiContent(x.data, t)
		m := &mapping{end: ce}
		m.lit(cs, ce-cs)
		text := string(x.data[cs:ce])
		lead := string(x.data[t.start+t.dollars+3 : cs])
		crlf := strings.Contains(string(x.data[t.start:t.end]), "\r\n")
		finalNL := strings.HasSuffix(text, "\n")
		x.add(where, text, version, m, t.start, t.end, func(s string) ([]byte, bool) {
			return rewriteBicepMulti(s, t.dollars, lead, crlf, finalNL)
		}, true)
	default:
		x.note(t.start, where, "condition is %s; not checkable statically", b.describe(c))
	}
}

// describe says what a non-literal value is: a reference, a function call or an expression.
func (b *bicepReader) describe(p bprop) string {
	t := b.toks[p.vs]
	switch {
	case t.kind == bIdent && p.ve-p.vs == 1:
		return "a reference to " + t.text
	case t.kind == bIdent && b.is(p.vs+1, bPunct, "(") && b.match[p.vs+1] == p.ve-1:
		return "computed by " + t.text + "(...)"
	}
	return "an expression " + b.snip(p)
}

func (b *bicepReader) at(off int) string {
	l, c := b.x.lines.position(off)
	return fmt.Sprintf("%d:%d", l, c)
}

// rewriteBicepMulti writes s as a multi-line string like the original: the same '$' prefix, the
// same line break after the opening fence (one is needed anyway when s starts with a line break),
// CRLF line breaks in a CRLF literal, and a final line break kept.
func rewriteBicepMulti(s string, dollars int, lead string, crlf, finalNL bool) ([]byte, bool) {
	if strings.Contains(s, "'''") {
		return nil, false // Bicep's documentation: ''' cannot appear in a multi-line string
	}
	if finalNL && s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	if crlf {
		s = toCRLF(s)
	}
	if lead == "" && (strings.HasPrefix(s, "\n") || strings.HasPrefix(s, "\r")) {
		lead = "\n"
		if crlf {
			lead = "\r\n"
		}
	}
	lit := []byte(strings.Repeat("$", dollars) + "'''" + lead + s + "'''")
	return lit, bicepReads(lit, s)
}

// toCRLF turns every "\n" not preceded by "\r" into "\r\n".
func toCRLF(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && (i == 0 || s[i-1] != '\r') {
			b.WriteByte('\r')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// bicepReads reports whether lit lexes as exactly one string token without interpolation whose
// value is want.
func bicepReads(lit []byte, want string) bool {
	toks, err := lexBicep(lit)
	if err != nil || len(toks) != 2 || toks[0].interp >= 0 || toks[0].end != len(lit) {
		return false
	}
	t := toks[0]
	switch t.kind {
	case bString:
		got, _ := decodeBicepString(lit, t)
		return got == want
	case bMulti:
		cs, ce := multiContent(lit, t)
		return string(lit[cs:ce]) == want
	}
	return false
}
