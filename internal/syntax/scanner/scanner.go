// Package scanner turns condition text into tokens, each with its byte span. It reports lexical
// errors (invisible characters, unterminated strings, bad numbers, malformed attribute
// references) to a diagnostic list and keeps going, so one pass finds them all.
package scanner

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/abacc/abacc/internal/diag"
)

// Kind is a token kind.
type Kind uint8

// Token kinds. Keywords (AND, OR, NOT, Exists, ...) are Idents: the parser matches them
// case-insensitively where the grammar expects them.
const (
	EOF Kind = iota
	Illegal
	Ident  // StringEquals, AND, true, ForAnyOfAnyValues
	String // 'text'
	Int    // -42
	Guid   // bare 8e3af657-a8ff-443c-a75c-2fe8c4bcb635
	Attr   // @Source[name]
	LParen
	RParen
	LBrace
	RBrace
	Comma
	Colon
	AndAnd // &&
	OrOr   // ||
	Bang   // !
	LBrack // [ (the extended dialect's pair literal)
	RBrack // ]
)

var kindNames = [...]string{EOF: "end of input", Illegal: "illegal character", Ident: "identifier",
	String: "string literal", Int: "integer literal", Guid: "GUID literal", Attr: "attribute reference",
	LParen: "'('", RParen: "')'", LBrace: "'{'", RBrace: "'}'", Comma: "','", Colon: "':'",
	AndAnd: "'&&'", OrOr: "'||'", Bang: "'!'", LBrack: "'['", RBrack: "']'"}

func (k Kind) String() string { return kindNames[k] }

// Token is one token with its span and decoded parts.
type Token struct {
	Kind     Kind
	Pos, End diag.Pos
	Text     string // source text of the token
	// Str is a String token's content; for Attr, the name between the brackets.
	Str string
	// Int is an Int token's value.
	Int int64
	// For Attr tokens: the source word and where the name starts.
	Source  string
	NamePos diag.Pos
	// Bad marks an Attr or Guid token that was malformed (and reported): the parser keeps it as
	// an operand so that one mistake does not cascade into syntax errors.
	Bad bool
}

// Scanner produces tokens from a source text.
type Scanner struct {
	src  string
	off  int
	errs *diag.List
}

// New returns a scanner over src that reports errors to errs.
func New(src string, errs *diag.List) *Scanner { return &Scanner{src: src, errs: errs} }

// Reset makes s a scanner over src that reports errors to errs.
func (s *Scanner) Reset(src string, errs *diag.List) { *s = Scanner{src: src, errs: errs} }

func (s *Scanner) errorf(code diag.Code, pos, end int, hint, format string, args ...any) {
	s.errs.Errorf(code, diag.Pos(pos), diag.Pos(end), hint, format, args...)
}

// Next returns the next token. After the end it keeps returning EOF.
func (s *Scanner) Next() Token {
	s.skipSpace()
	start := s.off
	if s.off >= len(s.src) {
		return Token{Kind: EOF, Pos: diag.Pos(start), End: diag.Pos(start)}
	}
	c := s.src[s.off]
	tok := func(k Kind, n int) Token {
		s.off += n
		return Token{Kind: k, Pos: diag.Pos(start), End: diag.Pos(s.off), Text: s.src[start:s.off]}
	}
	switch {
	case c == '(':
		return tok(LParen, 1)
	case c == ')':
		return tok(RParen, 1)
	case c == '{':
		return tok(LBrace, 1)
	case c == '}':
		return tok(RBrace, 1)
	case c == ',':
		return tok(Comma, 1)
	case c == ':':
		return tok(Colon, 1)
	case c == '!':
		return tok(Bang, 1)
	case c == '[':
		return tok(LBrack, 1)
	case c == ']':
		return tok(RBrack, 1)
	case c == '&' && s.peek(1) == '&':
		return tok(AndAnd, 2)
	case c == '|' && s.peek(1) == '|':
		return tok(OrOr, 2)
	case c == '\'':
		return s.scanString()
	case c == '@':
		return s.scanAttr()
	}
	if n := guidLen(s.src[s.off:]); n > 0 {
		return tok(Guid, n)
	}
	if n := hyphenRun(s.src[s.off:]); n > 0 && isHex(c) {
		// Hex digits and hyphens that do not form a GUID: one bad literal, not a cascade of
		// numbers and stray hyphens.
		s.errorf(diag.BadGuid, start, start+n, "a GUID is 32 hex digits, as 8-4-4-4-12 with hyphens or without", "malformed GUID %s", s.src[start:start+n])
		t := tok(Guid, n)
		t.Bad = true
		return t
	}
	if isDigit(c) || (c == '-' && isDigit(s.peek(1))) {
		return s.scanInt()
	}
	r, w := utf8.DecodeRuneInString(s.src[s.off:])
	if isIdentStart(r) {
		for s.off < len(s.src) {
			if c := s.src[s.off]; c < utf8.RuneSelf { // ASCII: no decoding, no tables
				if c != '_' && !isDigit(c) && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
					break
				}
				s.off++
				continue
			}
			r, w := utf8.DecodeRuneInString(s.src[s.off:])
			if !isIdentPart(r) {
				break
			}
			s.off += w
		}
		return Token{Kind: Ident, Pos: diag.Pos(start), End: diag.Pos(s.off), Text: s.src[start:s.off]}
	}
	s.off += w
	switch {
	case r == utf8.RuneError && w == 1:
		s.errorf(diag.BadEncoding, start, s.off, "", "invalid UTF-8 byte 0x%02x", c)
	case c == '&' || c == '|':
		// Report the single & or |, then read it as the operator surely meant.
		kind, word := AndAnd, "AND"
		if c == '|' {
			kind, word = OrOr, "OR"
		}
		s.errorf(diag.IllegalChar, start, s.off, fmt.Sprintf("write %c%c or %s", c, c, word), "single %q", c)
		return Token{Kind: kind, Pos: diag.Pos(start), End: diag.Pos(s.off), Text: s.src[start:s.off]}
	case c == '"':
		s.errorf(diag.IllegalChar, start, s.off, "string literals use single quotes: 'text'", "unexpected '\"'")
	default:
		s.errorf(diag.IllegalChar, start, s.off, "", "unexpected character %q", r)
	}
	return Token{Kind: Illegal, Pos: diag.Pos(start), End: diag.Pos(s.off), Text: s.src[start:s.off]}
}

func (s *Scanner) peek(n int) byte {
	if s.off+n < len(s.src) {
		return s.src[s.off+n]
	}
	return 0
}

// skipSpace skips whitespace and reports (then skips) invisible and control characters, which
// come from pasting rich text and would otherwise make a condition mean something unseen.
func (s *Scanner) skipSpace() {
	for s.off < len(s.src) {
		c := s.src[s.off]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			s.off++
			continue
		}
		r, w := utf8.DecodeRuneInString(s.src[s.off:])
		if r == utf8.RuneError && w <= 1 || !diag.Invisible(r) {
			return
		}
		s.errorf(diag.IllegalChar, s.off, s.off+w, "delete it: such characters come from copying rich text and are not whitespace here",
			"invisible character %s", describeRune(r))
		s.off += w
	}
}

func describeRune(r rune) string {
	if name, ok := runeNames[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, name)
	}
	return fmt.Sprintf("U+%04X", r)
}

var runeNames = map[rune]string{
	0x00A0: "NO-BREAK SPACE", 0x200B: "ZERO WIDTH SPACE", 0x200C: "ZERO WIDTH NON-JOINER",
	0x200D: "ZERO WIDTH JOINER", 0x2060: "WORD JOINER", 0xFEFF: "ZERO WIDTH NO-BREAK SPACE / BOM",
	0x202F: "NARROW NO-BREAK SPACE", 0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR",
	0x00AD: "SOFT HYPHEN", 0x0000: "NUL", 0x000B: "VERTICAL TAB", 0x000C: "FORM FEED",
}

func (s *Scanner) scanString() Token {
	start := s.off
	s.off++ // opening quote
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == '\'':
			s.off++
			return Token{Kind: String, Pos: diag.Pos(start), End: diag.Pos(s.off), Text: s.src[start:s.off], Str: s.src[start+1 : s.off-1]}
		case c == '\n' || c == '\r':
			return s.unterminated(start)
		case c < 0x80:
			s.off++
		default:
			r, w := utf8.DecodeRuneInString(s.src[s.off:])
			if r == utf8.RuneError && w == 1 {
				s.errorf(diag.BadEncoding, s.off, s.off+1, "", "invalid UTF-8 byte 0x%02x in string literal", c)
			}
			s.off += w
		}
	}
	return s.unterminated(start)
}

func (s *Scanner) unterminated(start int) Token {
	s.errorf(diag.BadString, start, start+1, "close it with ' on the same line (a string literal cannot contain a single quote)", "string literal not terminated")
	return Token{Kind: String, Pos: diag.Pos(start), End: diag.Pos(s.off), Text: s.src[start:s.off], Str: s.src[start+1 : s.off]}
}

func (s *Scanner) scanInt() Token {
	start := s.off
	if s.src[s.off] == '-' {
		s.off++
	}
	for s.off < len(s.src) && isDigit(s.src[s.off]) {
		s.off++
	}
	// A number glued to letters or a fraction (1.5, 10abc) is one bad token, not two.
	bad := false
	for s.off < len(s.src) {
		r, w := utf8.DecodeRuneInString(s.src[s.off:])
		if !isIdentPart(r) && !(r == '.' && s.off+1 < len(s.src) && isDigit(s.src[s.off+1])) {
			break
		}
		bad = true
		s.off += w
	}
	text := s.src[start:s.off]
	t := Token{Kind: Int, Pos: diag.Pos(start), End: diag.Pos(s.off), Text: text}
	if bad {
		s.errorf(diag.BadNumber, start, s.off, "integers are whole decimal numbers; quote strings", "malformed number %q", text)
		return t
	}
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		s.errorf(diag.BadNumber, start, s.off, "integers range from -9223372036854775808 to 9223372036854775807", "integer %s out of the 64-bit signed range", diag.Clip(text))
	}
	t.Int = v
	return t
}

// scanAttr scans @Source[name]; the name runs to the matching ']' and may contain spaces.
func (s *Scanner) scanAttr() Token {
	start := s.off
	s.off++ // @
	srcStart := s.off
	for s.off < len(s.src) {
		if c := s.src[s.off]; c < utf8.RuneSelf { // ASCII: no decoding, no tables
			if c != '_' && !isDigit(c) && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
				break
			}
			s.off++
			continue
		}
		r, w := utf8.DecodeRuneInString(s.src[s.off:])
		if !isIdentPart(r) {
			break
		}
		s.off += w
	}
	source := s.src[srcStart:s.off]
	fail := func(msg string) Token {
		s.errorf(diag.BadAttrRef, start, s.off, "write @Resource[name], @Request[name], @Principal[name] or @Environment[name]", "%s", msg)
		return Token{Kind: Attr, Pos: diag.Pos(start), End: diag.Pos(s.off), Text: s.src[start:s.off], Source: source, NamePos: diag.Pos(s.off), Bad: true}
	}
	if source == "" && (s.off >= len(s.src) || s.src[s.off] != '[') {
		return fail("'@' must be followed by a source and [name]")
	}
	if s.off >= len(s.src) || s.src[s.off] != '[' {
		return fail(fmt.Sprintf("@%s must be followed by [name]", source))
	}
	s.off++
	nameStart := s.off
	depth := 1
	// Usually the name holds no bracket and no line break: the first ']' closes it, and
	// IndexByte finds it without the loop below.
	if j := strings.IndexByte(s.src[s.off:], ']'); j >= 0 {
		if name := s.src[s.off : s.off+j]; strings.IndexByte(name, '[') < 0 && strings.IndexByte(name, '\n') < 0 && strings.IndexByte(name, '\r') < 0 {
			s.off += j
			depth = 0
		}
	}
	for depth > 0 && s.off < len(s.src) {
		c := s.src[s.off]
		if c == '[' {
			depth++
		} else if c == ']' {
			depth--
			if depth == 0 {
				break
			}
		} else if c == '\n' || c == '\r' {
			break
		}
		s.off++
	}
	if s.off >= len(s.src) || s.src[s.off] != ']' {
		s.off = nameStart
		for s.off < len(s.src) && s.src[s.off] != '\n' {
			s.off++
		}
		return fail(fmt.Sprintf("attribute name of @%s[ not closed with ']'", source))
	}
	name := s.src[nameStart:s.off]
	s.off++
	if source == "" {
		return fail("'@' must be followed by a source: @Resource, @Request, @Principal or @Environment")
	}
	return Token{Kind: Attr, Pos: diag.Pos(start), End: diag.Pos(s.off), Text: s.src[start:s.off],
		Source: source, Str: name, NamePos: diag.Pos(nameStart)}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isIdentPart(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// guidLen returns the length of a bare GUID at the start of s (8-4-4-4-12 or 32 hex digits
// not followed by an identifier character), or 0. It runs before number and identifier
// scanning, so 5e467623-... is not read as a number nor b24988ac-... as a word.
func guidLen(s string) int {
	n := 0
	switch {
	case hyphenated(s):
		n = 36
	case len(s) >= 32 && allHex(s[:32]):
		n = 32
	default:
		return 0
	}
	if n < len(s) {
		r, _ := utf8.DecodeRuneInString(s[n:])
		if isIdentPart(r) || r == '-' {
			return 0
		}
	}
	return n
}

// hyphenRun returns the length of a run of identifier characters and hyphens at the start of s
// if it contains a hyphen (a mistyped GUID), else 0.
func hyphenRun(s string) int {
	n, hyphen := 0, false
	for n < len(s) {
		c := s[n]
		if c == '-' {
			hyphen = true
		} else if !(isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			break
		}
		n++
	}
	if !hyphen {
		return 0
	}
	return n
}

func hyphenated(s string) bool {
	if len(s) < 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return false
			}
		} else if !isHex(s[i]) {
			return false
		}
	}
	return true
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}
