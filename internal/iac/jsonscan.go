package iac

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A small JSON reader that keeps the byte offsets of every value and key, which encoding/json
// does not report. It accepts RFC 8259 JSON plus // and /* */ comments (ARM templates may carry
// them) and a leading UTF-8 byte-order mark; everything else that is not JSON is an error with
// its offset. The tree is a flat slice of nodes linked by index, so that a 32 MiB export costs
// tens of bytes per value.

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

func (k jkind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

type jnode struct {
	kind             jkind
	start, end       int32 // the value's bytes; a string's include its quotes
	keyStart, keyEnd int32 // an object member's key string, quotes included; -1 otherwise
	first, next      int32 // first child and next sibling, -1 for none
}

type jdoc struct {
	data  []byte
	nodes []jnode
}

type jsonError struct {
	off int
	msg string
}

func (e *jsonError) Error() string { return fmt.Sprintf("offset %d: %s", e.off, e.msg) }

type jparser struct {
	data  []byte
	i     int
	nodes []jnode
	depth int
}

func parseJSON(data []byte) (*jdoc, *jsonError) {
	p := &jparser{data: data}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.i = 3
	}
	if err := p.space(); err != nil {
		return nil, err
	}
	if p.i >= len(data) {
		return nil, &jsonError{p.i, "empty document: expected a JSON value"}
	}
	if _, err := p.value(); err != nil {
		return nil, err
	}
	if err := p.space(); err != nil {
		return nil, err
	}
	if p.i < len(data) {
		return nil, &jsonError{p.i, fmt.Sprintf("unexpected %s after the JSON value", p.what())}
	}
	return &jdoc{data: data, nodes: p.nodes}, nil
}

// what describes the byte at p.i for an error message.
func (p *jparser) what() string {
	if p.i >= len(p.data) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.data[p.i:])
	if r < 0x20 || r == 0x7f {
		return fmt.Sprintf("character U+%04X", r)
	}
	return fmt.Sprintf("%q", r)
}

// space skips whitespace and comments.
func (p *jparser) space() *jsonError {
	for p.i < len(p.data) {
		switch c := p.data[p.i]; c {
		case ' ', '\t', '\n', '\r':
			p.i++
		case '/':
			if p.i+1 < len(p.data) && p.data[p.i+1] == '/' {
				for p.i < len(p.data) && p.data[p.i] != '\n' {
					p.i++
				}
			} else if p.i+1 < len(p.data) && p.data[p.i+1] == '*' {
				end := strings.Index(string(p.data[p.i+2:]), "*/")
				if end < 0 {
					return &jsonError{p.i, "unterminated /* comment"}
				}
				p.i += 2 + end + 2
			} else {
				return &jsonError{p.i, "unexpected '/'"}
			}
		default:
			return nil
		}
	}
	return nil
}

func (p *jparser) push(n jnode) int32 {
	p.nodes = append(p.nodes, n)
	return int32(len(p.nodes) - 1)
}

func (p *jparser) value() (int32, *jsonError) {
	if p.i >= len(p.data) {
		return -1, &jsonError{p.i, "unexpected end of file: expected a JSON value"}
	}
	start := p.i
	switch c := p.data[p.i]; {
	case c == '{' || c == '[':
		p.depth++
		if p.depth > maxDepth {
			return -1, &jsonError{p.i, fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
		}
		var idx int32
		var err *jsonError
		if c == '{' {
			idx, err = p.object()
		} else {
			idx, err = p.array()
		}
		p.depth--
		return idx, err
	case c == '"':
		if err := p.str(); err != nil {
			return -1, err
		}
		return p.push(jnode{kind: jString, start: int32(start), end: int32(p.i), keyStart: -1, keyEnd: -1, first: -1, next: -1}), nil
	case c == '-' || c >= '0' && c <= '9':
		if err := p.number(); err != nil {
			return -1, err
		}
		return p.push(jnode{kind: jNumber, start: int32(start), end: int32(p.i), keyStart: -1, keyEnd: -1, first: -1, next: -1}), nil
	default:
		for _, w := range [...]struct {
			lit  string
			kind jkind
		}{{"true", jBool}, {"false", jBool}, {"null", jNull}} {
			if strings.HasPrefix(string(p.data[p.i:min(len(p.data), p.i+5)]), w.lit) {
				p.i += len(w.lit)
				if p.i < len(p.data) && isIdentByte(p.data[p.i]) {
					p.i = start
					break
				}
				return p.push(jnode{kind: w.kind, start: int32(start), end: int32(p.i), keyStart: -1, keyEnd: -1, first: -1, next: -1}), nil
			}
		}
		if c == '\'' {
			return -1, &jsonError{p.i, "JSON strings use double quotes, not '"}
		}
		return -1, &jsonError{p.i, fmt.Sprintf("unexpected %s: expected a JSON value", p.what())}
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *jparser) object() (int32, *jsonError) {
	self := p.push(jnode{kind: jObject, start: int32(p.i), keyStart: -1, keyEnd: -1, first: -1, next: -1})
	open := p.i
	p.i++ // {
	last := int32(-1)
	comma := -1
	for {
		if err := p.space(); err != nil {
			return -1, err
		}
		if p.i >= len(p.data) {
			return -1, &jsonError{open, "unterminated object: '{' is never closed"}
		}
		if p.data[p.i] == '}' {
			if comma >= 0 {
				return -1, &jsonError{comma, "trailing comma before '}'"}
			}
			break
		}
		if p.data[p.i] != '"' {
			return -1, &jsonError{p.i, fmt.Sprintf("unexpected %s: expected a member name in double quotes", p.what())}
		}
		ks := p.i
		if err := p.str(); err != nil {
			return -1, err
		}
		ke := p.i
		if err := p.space(); err != nil {
			return -1, err
		}
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return -1, &jsonError{p.i, fmt.Sprintf("unexpected %s: expected ':' after a member name", p.what())}
		}
		p.i++
		if err := p.space(); err != nil {
			return -1, err
		}
		v, err := p.value()
		if err != nil {
			return -1, err
		}
		p.nodes[v].keyStart, p.nodes[v].keyEnd = int32(ks), int32(ke)
		if last < 0 {
			p.nodes[self].first = v
		} else {
			p.nodes[last].next = v
		}
		last = v
		comma = -1
		if err := p.space(); err != nil {
			return -1, err
		}
		if p.i < len(p.data) && p.data[p.i] == ',' {
			comma = p.i
			p.i++
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == '}' {
			break
		}
		if p.i >= len(p.data) {
			return -1, &jsonError{open, "unterminated object: '{' is never closed"}
		}
		return -1, &jsonError{p.i, fmt.Sprintf("unexpected %s: expected ',' or '}'", p.what())}
	}
	p.i++ // }
	p.nodes[self].end = int32(p.i)
	return self, nil
}

func (p *jparser) array() (int32, *jsonError) {
	self := p.push(jnode{kind: jArray, start: int32(p.i), keyStart: -1, keyEnd: -1, first: -1, next: -1})
	open := p.i
	p.i++ // [
	last := int32(-1)
	comma := -1
	for {
		if err := p.space(); err != nil {
			return -1, err
		}
		if p.i >= len(p.data) {
			return -1, &jsonError{open, "unterminated array: '[' is never closed"}
		}
		if p.data[p.i] == ']' {
			if comma >= 0 {
				return -1, &jsonError{comma, "trailing comma before ']'"}
			}
			break
		}
		v, err := p.value()
		if err != nil {
			return -1, err
		}
		if last < 0 {
			p.nodes[self].first = v
		} else {
			p.nodes[last].next = v
		}
		last = v
		comma = -1
		if err := p.space(); err != nil {
			return -1, err
		}
		if p.i < len(p.data) && p.data[p.i] == ',' {
			comma = p.i
			p.i++
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == ']' {
			break
		}
		if p.i >= len(p.data) {
			return -1, &jsonError{open, "unterminated array: '[' is never closed"}
		}
		return -1, &jsonError{p.i, fmt.Sprintf("unexpected %s: expected ',' or ']'", p.what())}
	}
	p.i++ // ]
	p.nodes[self].end = int32(p.i)
	return self, nil
}

// str scans a string starting at its opening quote and leaves p.i after the closing quote.
func (p *jparser) str() *jsonError {
	open := p.i
	p.i++
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return nil
		case c == '\\':
			if p.i+1 >= len(p.data) {
				return &jsonError{open, "unterminated string"}
			}
			switch p.data[p.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i += 2
			case 'u':
				if p.i+6 > len(p.data) || !isHex4(p.data[p.i+2:p.i+6]) {
					return &jsonError{p.i, `invalid escape: \u must be followed by four hexadecimal digits`}
				}
				p.i += 6
			default:
				r, _ := utf8.DecodeRune(p.data[p.i+1:])
				return &jsonError{p.i, fmt.Sprintf("invalid escape sequence \\%c in string", r)}
			}
		case c < 0x20:
			if c == '\n' || c == '\r' {
				return &jsonError{p.i, "line break in string (unterminated string, or a line break that should be written \\n)"}
			}
			return &jsonError{p.i, fmt.Sprintf("control character U+%04X in string (write it as \\u%04x)", c, c)}
		default:
			p.i++
		}
	}
	return &jsonError{open, "unterminated string"}
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return len(b) == 4
}

func (p *jparser) number() *jsonError {
	start := p.i
	if p.data[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.data) && p.data[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return &jsonError{start, "invalid number"}
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return &jsonError{start, "invalid number: digits expected after '.'"}
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return &jsonError{start, "invalid number: digits expected in the exponent"}
		}
	}
	if p.i < len(p.data) && isIdentByte(p.data[p.i]) {
		return &jsonError{start, "invalid number"}
	}
	return nil
}

// ---- reading the tree ----

func (d *jdoc) node(i int32) *jnode { return &d.nodes[i] }

// children returns the child indexes of an array or object.
func (d *jdoc) children(i int32) []int32 {
	var out []int32
	for c := d.nodes[i].first; c >= 0; c = d.nodes[c].next {
		out = append(out, c)
	}
	return out
}

// member returns the value of an object's member whose name equals name case-insensitively
// (ARM and Azure's APIs treat property names so), the last one if there are several; -1 if none.
func (d *jdoc) member(obj int32, name string) int32 {
	if obj < 0 || d.nodes[obj].kind != jObject {
		return -1
	}
	found := int32(-1)
	for c := d.nodes[obj].first; c >= 0; c = d.nodes[c].next {
		if d.keyIs(c, name) {
			found = c
		}
	}
	return found
}

func (d *jdoc) keyIs(v int32, name string) bool {
	n := &d.nodes[v]
	raw := d.data[n.keyStart+1 : n.keyEnd-1]
	if strings.IndexByte(string(raw), '\\') < 0 {
		return strings.EqualFold(string(raw), name)
	}
	s, _ := decodeJSONString(d.data, int(n.keyStart), int(n.keyEnd))
	return strings.EqualFold(s, name)
}

// key returns an object member's decoded name.
func (d *jdoc) key(v int32) string {
	n := &d.nodes[v]
	s, _ := decodeJSONString(d.data, int(n.keyStart), int(n.keyEnd))
	return s
}

// str returns a string node's decoded value.
func (d *jdoc) str(v int32) string {
	n := &d.nodes[v]
	s, _ := decodeJSONString(d.data, int(n.start), int(n.end))
	return s
}

// decodeJSONString decodes the string literal data[start:end] (quotes included) and maps its
// bytes back to the file. Surrogate pairs written as two \u escapes make one character mapped to
// the first escape; a lone surrogate becomes U+FFFD, as encoding/json decodes it.
func decodeJSONString(data []byte, start, end int) (string, *mapping) {
	m := &mapping{end: end - 1}
	var b strings.Builder
	b.Grow(end - start)
	i := start + 1
	runStart := i
	flush := func() {
		if i > runStart {
			b.Write(data[runStart:i])
			m.lit(runStart, i-runStart)
		}
	}
	for i < end-1 {
		if data[i] != '\\' {
			i++
			continue
		}
		flush()
		escStart := i
		var r rune
		switch data[i+1] {
		case '"', '\\', '/':
			r = rune(data[i+1])
			i += 2
		case 'b':
			r, i = '\b', i+2
		case 'f':
			r, i = '\f', i+2
		case 'n':
			r, i = '\n', i+2
		case 'r':
			r, i = '\r', i+2
		case 't':
			r, i = '\t', i+2
		case 'u':
			r = hex4(data[i+2 : i+6])
			i += 6
			if utf16.IsSurrogate(r) {
				if r < 0xDC00 && i+6 <= end-1 && data[i] == '\\' && data[i+1] == 'u' && isHex4(data[i+2:i+6]) {
					if r2 := hex4(data[i+2 : i+6]); r2 >= 0xDC00 && r2 <= 0xDFFF {
						r = utf16.DecodeRune(r, r2)
						i += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
		}
		n := b.Len()
		b.WriteRune(r)
		m.esc(escStart, b.Len()-n)
		runStart = i
	}
	flush()
	return b.String(), m
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		}
	}
	return r
}

// encodeJSONString writes s as a JSON string literal, escaping only what JSON requires (quote,
// backslash, control characters), so that '<', '>' and '&' of attribute names stay readable.
func encodeJSONString(s string) []byte {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 || c == 0x7f {
				b = fmt.Appendf(b, `\u%04x`, c)
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}

// looksJSON reports whether data starts (after a byte-order mark, white space and comments)
// with '{' or '['.
func looksJSON(data []byte) bool {
	p := &jparser{data: data}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.i = 3
	}
	if p.space() != nil || p.i >= len(data) {
		return false
	}
	return data[p.i] == '{' || data[p.i] == '['
}
