package scanner

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/abacc/abacc/internal/diag"
)

// scanAll returns every token up to and including EOF, and the diagnostics.
func scanAll(t testing.TB, src string) ([]Token, *diag.List) {
	t.Helper()
	var errs diag.List
	s := New(src, &errs)
	var toks []Token
	for i := 0; ; i++ {
		if i > len(src)+2 {
			t.Fatalf("scanner does not reach EOF on %q", src)
		}
		tok := s.Next()
		toks = append(toks, tok)
		if tok.Kind == EOF {
			return toks, &errs
		}
	}
}

// want is an expected token: kind, byte span and text.
type want struct {
	kind     Kind
	pos, end int
	text     string
}

func checkTokens(t *testing.T, src string, toks []Token, ws []want) {
	t.Helper()
	if len(toks) != len(ws) {
		t.Errorf("%q: %d tokens, want %d:\n%s", src, len(toks), len(ws), dump(toks))
		return
	}
	for i, w := range ws {
		g := toks[i]
		if g.Kind != w.kind || int(g.Pos) != w.pos || int(g.End) != w.end || g.Text != w.text {
			t.Errorf("%q token %d = %v [%d,%d) %q, want %v [%d,%d) %q", src, i, g.Kind, g.Pos, g.End, g.Text, w.kind, w.pos, w.end, w.text)
		}
	}
}

func dump(toks []Token) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString("  ")
		b.WriteString(t.Kind.String())
		b.WriteString(" ")
		b.WriteString(t.Text)
		b.WriteString("\n")
	}
	return b.String()
}

func noErrors(t *testing.T, src string, errs *diag.List) {
	t.Helper()
	for _, d := range errs.Items {
		t.Errorf("%q: unexpected %s at %d: %s", src, d.Code, d.Pos, d.Msg)
	}
}

func TestEveryTokenKind(t *testing.T) {
	src := "( ) { } , : && || ! AND 'text' -42 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 @Resource[x:y] ForAnyOfAnyValues"
	toks, errs := scanAll(t, src)
	noErrors(t, src, errs)
	checkTokens(t, src, toks, []want{
		{LParen, 0, 1, "("},
		{RParen, 2, 3, ")"},
		{LBrace, 4, 5, "{"},
		{RBrace, 6, 7, "}"},
		{Comma, 8, 9, ","},
		{Colon, 10, 11, ":"},
		{AndAnd, 12, 14, "&&"},
		{OrOr, 15, 17, "||"},
		{Bang, 18, 19, "!"},
		{Ident, 20, 23, "AND"},
		{String, 24, 30, "'text'"},
		{Int, 31, 34, "-42"},
		{Guid, 35, 71, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"},
		{Attr, 72, 86, "@Resource[x:y]"},
		{Ident, 87, 104, "ForAnyOfAnyValues"},
		{EOF, 104, 104, ""},
	})
	if toks[10].Str != "text" || toks[11].Int != -42 || toks[13].Str != "x:y" || toks[13].Source != "Resource" || toks[13].NamePos != 82 {
		t.Errorf("decoded parts: %+v %+v %+v", toks[10], toks[11], toks[13])
	}
	// Illegal characters: a token of kind Illegal with an ABAC1001 diagnostic.
	toks, errs = scanAll(t, "a # b")
	checkTokens(t, "a # b", toks, []want{{Ident, 0, 1, "a"}, {Illegal, 2, 3, "#"}, {Ident, 4, 5, "b"}, {EOF, 5, 5, ""}})
	if len(errs.Items) != 1 || errs.Items[0].Code != diag.IllegalChar || errs.Items[0].Pos != 2 {
		t.Errorf("'#': diagnostics %+v", errs.Items)
	}
	// Kind names.
	for k := EOF; k <= Bang; k++ {
		if k.String() == "" {
			t.Errorf("Kind %d has no name", k)
		}
	}
}

func TestGluedTokensAndOffsets(t *testing.T) {
	src := "(!(ActionMatches{'a/b'})&&@Request[n]StringEquals{'x','y'})||true"
	toks, errs := scanAll(t, src)
	noErrors(t, src, errs)
	checkTokens(t, src, toks, []want{
		{LParen, 0, 1, "("}, {Bang, 1, 2, "!"}, {LParen, 2, 3, "("},
		{Ident, 3, 16, "ActionMatches"}, {LBrace, 16, 17, "{"}, {String, 17, 22, "'a/b'"},
		{RBrace, 22, 23, "}"}, {RParen, 23, 24, ")"}, {AndAnd, 24, 26, "&&"},
		{Attr, 26, 37, "@Request[n]"}, {Ident, 37, 49, "StringEquals"}, {LBrace, 49, 50, "{"},
		{String, 50, 53, "'x'"}, {Comma, 53, 54, ","}, {String, 54, 57, "'y'"}, {RBrace, 57, 58, "}"},
		{RParen, 58, 59, ")"}, {OrOr, 59, 61, "||"}, {Ident, 61, 65, "true"}, {EOF, 65, 65, ""},
	})
}

func TestOffsetsAreBytes(t *testing.T) {
	// 'é' is 2 bytes and '😀' 4: offsets count bytes, not characters.
	src := "'é😀' \r\n\t x"
	toks, errs := scanAll(t, src)
	noErrors(t, src, errs)
	checkTokens(t, src, toks, []want{{String, 0, 8, "'é😀'"}, {Ident, 13, 14, "x"}, {EOF, 14, 14, ""}})
	if toks[0].Str != "é😀" {
		t.Errorf("Str = %q", toks[0].Str)
	}
	// Identifiers may hold letters beyond ASCII.
	src = "Größe ok"
	toks, errs = scanAll(t, src)
	noErrors(t, src, errs)
	checkTokens(t, src, toks, []want{{Ident, 0, 7, "Größe"}, {Ident, 8, 10, "ok"}, {EOF, 10, 10, ""}})
}

func TestGuids(t *testing.T) {
	cases := []string{
		"5e467623-8a1b-4c2d-9e3f-a1b2c3d4e5f6", // digits then 'e': not a float or a number
		"8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
		"B24988AC-6180-42A0-AB88-20F7382DD24C",
		"b24988ac-6180-42a0-ab88-20f7382dd24c",
		"b24988ac618042a0ab8820f7382dd24c", // 32 hex, starts with a letter: not an identifier
		"5e467623a8ff443ca75c2fe8c4bcb635", // 32 hex, starts with a digit: not a number
		"12345678901234567890123456789012", // 32 decimal digits: a GUID, not an overflowing integer
		"12345678-1234-1234-1234-123456789012",
		"abcdefabcdefabcdefabcdefabcdefab",
	}
	for _, g := range cases {
		src := "GuidEquals " + g + ")"
		toks, errs := scanAll(t, src)
		noErrors(t, src, errs)
		checkTokens(t, src, toks, []want{
			{Ident, 0, 10, "GuidEquals"},
			{Guid, 11, 11 + len(g), g},
			{RParen, 11 + len(g), 12 + len(g), ")"},
			{EOF, 12 + len(g), 12 + len(g), ""},
		})
		if toks[1].Bad {
			t.Errorf("%s marked bad", g)
		}
	}
	// In a set, glued to braces and commas.
	src := "{5e467623-8a1b-4c2d-9e3f-a1b2c3d4e5f6,b24988ac618042a0ab8820f7382dd24c}"
	toks, errs := scanAll(t, src)
	noErrors(t, src, errs)
	checkTokens(t, src, toks, []want{
		{LBrace, 0, 1, "{"}, {Guid, 1, 37, "5e467623-8a1b-4c2d-9e3f-a1b2c3d4e5f6"}, {Comma, 37, 38, ","},
		{Guid, 38, 70, "b24988ac618042a0ab8820f7382dd24c"}, {RBrace, 70, 71, "}"}, {EOF, 71, 71, ""},
	})
	// A quoted GUID is a string.
	src = "'5e467623-8a1b-4c2d-9e3f-a1b2c3d4e5f6'"
	toks, _ = scanAll(t, src)
	if toks[0].Kind != String || toks[0].Str != src[1:len(src)-1] {
		t.Errorf("quoted GUID: %+v", toks[0])
	}
}

func TestMalformedGuids(t *testing.T) {
	for _, g := range []string{
		"5e467623-8a1b-4c2d-9e3f-a1b2c3d4e5f",   // one digit short
		"5e467623-8a1b-4c2d-9e3f-a1b2c3d4e5f6a", // one digit long
		"5e467623-8a1b-4c2d-9e3f",               // truncated
		"5e467623-8a1b4c2d-9e3f-a1b2c3d4e5f6",   // missing hyphen
		"5e467623-8a1b-4c2d-9e3f-a1b2c3d4e5g6",  // non-hex
		"5e467623-8a1b-4c2d-9e3f-a1b2c3d4e5f6-", // trailing hyphen
	} {
		src := "GuidEquals " + g
		toks, errs := scanAll(t, src)
		if len(toks) != 3 || toks[1].Kind != Guid || toks[1].Text != g || !toks[1].Bad {
			t.Errorf("%q: want one bad GUID token, got\n%s", g, dump(toks))
		}
		if len(errs.Items) != 1 || errs.Items[0].Code != diag.BadGuid || errs.Items[0].Pos != 11 || int(errs.Items[0].End) != 11+len(g) {
			t.Errorf("%q: want one ABAC2009 at [11,%d), got %+v", g, 11+len(g), errs.Items)
		}
	}
	// 33 hex digits without hyphens are not a GUID; starting with a digit they are a bad number.
	src := "5e467623a8ff443ca75c2fe8c4bcb6351"
	toks, errs := scanAll(t, src)
	if toks[0].Kind == Guid && !toks[0].Bad || len(errs.Items) == 0 {
		t.Errorf("33 hex digits accepted: %s %+v", dump(toks), errs.Items)
	}
}

func TestIntegers(t *testing.T) {
	cases := []struct {
		src string
		val int64
	}{
		{"0", 0},
		{"-5", -5},
		{"42", 42},
		{"-0", 0},
		{"007", 7},
		{"9223372036854775807", 9223372036854775807},
		{"-9223372036854775808", -9223372036854775808},
	}
	for _, c := range cases {
		toks, errs := scanAll(t, c.src)
		noErrors(t, c.src, errs)
		checkTokens(t, c.src, toks, []want{{Int, 0, len(c.src), c.src}, {EOF, len(c.src), len(c.src), ""}})
		if toks[0].Int != c.val {
			t.Errorf("%q = %d, want %d", c.src, toks[0].Int, c.val)
		}
	}
	// -5 after an operator, glued to a brace and a comma.
	src := "NumericEquals -5"
	toks, errs := scanAll(t, src)
	noErrors(t, src, errs)
	checkTokens(t, src, toks, []want{{Ident, 0, 13, "NumericEquals"}, {Int, 14, 16, "-5"}, {EOF, 16, 16, ""}})
	src = "{-5,-6}"
	toks, errs = scanAll(t, src)
	noErrors(t, src, errs)
	checkTokens(t, src, toks, []want{{LBrace, 0, 1, "{"}, {Int, 1, 3, "-5"}, {Comma, 3, 4, ","}, {Int, 4, 6, "-6"}, {RBrace, 6, 7, "}"}, {EOF, 7, 7, ""}})
	if toks[1].Int != -5 || toks[3].Int != -6 {
		t.Errorf("values %d %d", toks[1].Int, toks[3].Int)
	}
	// Bad numbers: one token, one ABAC1003 error spanning it.
	for _, bad := range []string{"9223372036854775808", "-9223372036854775809", "1.5", "10abc", "99999999999999999999"} {
		toks, errs := scanAll(t, bad)
		if len(toks) != 2 || toks[0].Kind != Int || toks[0].Text != bad {
			t.Errorf("%q: want one Int token, got\n%s", bad, dump(toks))
		}
		if len(errs.Items) != 1 || errs.Items[0].Code != diag.BadNumber || errs.Items[0].Pos != 0 || int(errs.Items[0].End) != len(bad) {
			t.Errorf("%q: want one ABAC1003 over the token, got %+v", bad, errs.Items)
		}
	}
	// A lone minus is not a number.
	toks, errs = scanAll(t, "- 5")
	if toks[0].Kind != Illegal || toks[1].Kind != Int || toks[1].Int != 5 || len(errs.Items) != 1 || errs.Items[0].Code != diag.IllegalChar {
		t.Errorf("'- 5': %s %+v", dump(toks), errs.Items)
	}
}

func TestStrings(t *testing.T) {
	cases := []struct{ src, str string }{
		{`''`, ``},
		{`'abc'`, `abc`},
		{`'a b  c'`, `a b  c`},
		{`'C:\path\*.txt'`, `C:\path\*.txt`},
		{`'\'`, `\`}, // a backslash does not escape the quote
		{`'\\'`, `\\`},
		{`'\*\?'`, `\*\?`},
		{`'AND OR NOT @Resource[x] ( )'`, `AND OR NOT @Resource[x] ( )`},
		{"'tab\there'", "tab\there"},
	}
	for _, c := range cases {
		toks, errs := scanAll(t, c.src)
		noErrors(t, c.src, errs)
		checkTokens(t, c.src, toks, []want{{String, 0, len(c.src), c.src}, {EOF, len(c.src), len(c.src), ""}})
		if toks[0].Str != c.str {
			t.Errorf("%s: Str = %q, want %q", c.src, toks[0].Str, c.str)
		}
	}
	// 'it\'s' is the string it\ followed by the identifier s and an unterminated string.
	src := `'it\'s'`
	toks, errs := scanAll(t, src)
	checkTokens(t, src, toks, []want{{String, 0, 5, `'it\'`}, {Ident, 5, 6, "s"}, {String, 6, 7, "'"}, {EOF, 7, 7, ""}})
	if len(errs.Items) != 1 || errs.Items[0].Code != diag.BadString || errs.Items[0].Pos != 6 {
		t.Errorf("%s: %+v", src, errs.Items)
	}
}

func TestUnterminatedString(t *testing.T) {
	src := "@Resource[x] StringEquals 'abc"
	toks, errs := scanAll(t, src)
	last := toks[len(toks)-2]
	if last.Kind != String || last.Pos != 26 || int(last.End) != len(src) || last.Str != "abc" {
		t.Errorf("unterminated string token: %+v", last)
	}
	if len(errs.Items) != 1 || errs.Items[0].Code != diag.BadString || errs.Items[0].Pos != 26 {
		t.Errorf("want one ABAC1002 at 26, got %+v", errs.Items)
	}
	// The string stops at the end of the line; scanning resumes on the next one.
	src = "'abc\nAND 'x'"
	toks, errs = scanAll(t, src)
	checkTokens(t, src, toks, []want{{String, 0, 4, "'abc"}, {Ident, 5, 8, "AND"}, {String, 9, 12, "'x'"}, {EOF, 12, 12, ""}})
	if len(errs.Items) != 1 || errs.Items[0].Code != diag.BadString || errs.Items[0].Pos != 0 {
		t.Errorf("want one ABAC1002 at 0, got %+v", errs.Items)
	}
	src = "'abc\r\n'x'"
	toks, errs = scanAll(t, src)
	if toks[0].Kind != String || toks[0].End != 4 || toks[1].Kind != String || toks[1].Str != "x" || len(errs.Items) != 1 {
		t.Errorf("CRLF: %s %+v", dump(toks), errs.Items)
	}
	// A lone quote at the end.
	toks, errs = scanAll(t, "'")
	if toks[0].Kind != String || toks[0].Str != "" || len(errs.Items) != 1 || errs.Items[0].Code != diag.BadString {
		t.Errorf("lone quote: %s %+v", dump(toks), errs.Items)
	}
}

func TestAttributes(t *testing.T) {
	cases := []struct{ src, source, name string }{
		{"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]", "Resource", "Microsoft.Storage/storageAccounts/blobServices/containers:name"},
		{"@Environment[isPrivateLink]", "Environment", "isPrivateLink"},
		{"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>]", "Resource", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>"},
		{"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Cost Center<$key_case_sensitive$>]", "Resource", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Cost Center<$key_case_sensitive$>"},
		{"@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&]", "Request", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&"},
		{"@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project]", "Principal", "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project"},
		{"@Resource[ a b ]", "Resource", " a b "},
		{"@resource[x]", "resource", "x"},
		{"@Resorce[x]", "Resorce", "x"}, // an unknown source is the checker's business
		{"@Resource[a[b]c]", "Resource", "a[b]c"},
		{"@Resource[]", "Resource", ""},
	}
	for _, c := range cases {
		src := c.src + " StringEquals"
		toks, errs := scanAll(t, src)
		noErrors(t, src, errs)
		checkTokens(t, src, toks, []want{
			{Attr, 0, len(c.src), c.src},
			{Ident, len(c.src) + 1, len(src), "StringEquals"},
			{EOF, len(src), len(src), ""},
		})
		a := toks[0]
		if a.Source != c.source || a.Str != c.name || int(a.NamePos) != len(c.source)+2 || a.Bad {
			t.Errorf("%s: Source %q Str %q NamePos %d Bad %v", c.src, a.Source, a.Str, a.NamePos, a.Bad)
		}
	}
	// Malformed references: one Attr token marked bad and one ABAC1004.
	for _, src := range []string{
		"@[x]",
		"@",
		"@ Resource[x]",
		"@Resource",
		"@Resource x",
		"@Resource[x",
		"@Resource[x\n]",
	} {
		toks, errs := scanAll(t, src)
		if toks[0].Kind != Attr || !toks[0].Bad || toks[0].Pos != 0 {
			t.Errorf("%q: first token %+v, want a bad Attr at 0", src, toks[0])
		}
		found := false
		for _, d := range errs.Items {
			if d.Code == diag.BadAttrRef && d.Pos == 0 {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: no ABAC1004 at 0: %+v", src, errs.Items)
		}
	}
	// An unclosed name stops at the end of its line.
	src := "@Resource[x\nAND"
	toks, _ := scanAll(t, src)
	if len(toks) != 3 || toks[1].Kind != Ident || toks[1].Text != "AND" {
		t.Errorf("%q:\n%s", src, dump(toks))
	}
}

func TestInvisibleCharacters(t *testing.T) {
	cases := []struct {
		name string
		r    rune
	}{
		{"ZERO WIDTH SPACE", '\u200B'},
		{"NO-BREAK SPACE", '\u00A0'},
		{"BOM", '\uFEFF'},
		{"WORD JOINER", '\u2060'},
		{"NARROW NO-BREAK SPACE", '\u202F'},
		{"LINE SEPARATOR", '\u2028'},
		{"VERTICAL TAB", '\v'},
		{"FORM FEED", '\f'},
		{"NUL", 0},
		{"BEL", 7},
		{"NEL", '\u0085'},
		{"SOFT HYPHEN", '\u00AD'},
		{"EM SPACE", '\u2003'},
	}
	for _, c := range cases {
		ch := string(c.r)
		w := len(ch)
		// Between tokens, inside an identifier, and at the very start.
		for _, tc := range []struct {
			src   string
			at    int
			wants []want
		}{
			{"a" + ch + "b", 1, []want{{Ident, 0, 1, "a"}, {Ident, 1 + w, 2 + w, "b"}, {EOF, 2 + w, 2 + w, ""}}},
			{"AND " + ch + " OR", 4, []want{{Ident, 0, 3, "AND"}, {Ident, 5 + w, 7 + w, "OR"}, {EOF, 7 + w, 7 + w, ""}}},
			{ch + "'x'", 0, []want{{String, w, w + 3, "'x'"}, {EOF, w + 3, w + 3, ""}}},
			{"x" + ch, 1, []want{{Ident, 0, 1, "x"}, {EOF, 1 + w, 1 + w, ""}}},
		} {
			toks, errs := scanAll(t, tc.src)
			checkTokens(t, tc.src, toks, tc.wants)
			if len(errs.Items) != 1 {
				t.Errorf("%s in %q: %d diagnostics, want 1: %+v", c.name, tc.src, len(errs.Items), errs.Items)
				continue
			}
			d := errs.Items[0]
			if d.Code != diag.IllegalChar || int(d.Pos) != tc.at || int(d.End) != tc.at+w || d.Severity != diag.Error {
				t.Errorf("%s in %q: %s [%d,%d), want ABAC1001 [%d,%d)", c.name, tc.src, d.Code, d.Pos, d.End, tc.at, tc.at+w)
			}
		}
	}
	// Messages name the character.
	_, errs := scanAll(t, "a\u200Bb")
	if !strings.Contains(errs.Items[0].Msg, "U+200B") {
		t.Errorf("message %q does not name U+200B", errs.Items[0].Msg)
	}
	// Several in a row are each reported at their own offset.
	src := "a\u00A0\u00A0\u200Bb"
	toks, errs := scanAll(t, src)
	checkTokens(t, src, toks, []want{{Ident, 0, 1, "a"}, {Ident, 8, 9, "b"}, {EOF, 9, 9, ""}})
	if len(errs.Items) != 3 || errs.Items[0].Pos != 1 || errs.Items[1].Pos != 3 || errs.Items[2].Pos != 5 {
		t.Errorf("three invisible characters: %+v", errs.Items)
	}
	// Ordinary whitespace is not reported.
	src = " \t\r\n a \r\n"
	toks, errs = scanAll(t, src)
	noErrors(t, src, errs)
	checkTokens(t, src, toks, []want{{Ident, 5, 6, "a"}, {EOF, len(src), len(src), ""}})
}

func TestInvalidUTF8(t *testing.T) {
	cases := []struct {
		src string
		at  int
	}{
		{"\xff", 0},
		{"a \xfe b", 2},
		{"a\xc3", 1},            // truncated 2-byte sequence
		{"AND \xed\xa0\x80", 4}, // UTF-16 surrogate encoded in UTF-8
		{"'a\xffb'", 2},         // inside a string literal
		{"\xc0\xafx", 0},        // overlong encoding
	}
	for _, c := range cases {
		_, errs := scanAll(t, c.src)
		found := false
		for _, d := range errs.Items {
			if d.Code == diag.BadEncoding && int(d.Pos) == c.at {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: no ABAC1005 at %d: %+v", c.src, c.at, errs.Items)
		}
	}
	// The string keeps going after the bad byte.
	toks, _ := scanAll(t, "'a\xffb' x")
	if toks[0].Kind != String || toks[0].End != 5 || toks[1].Kind != Ident {
		t.Errorf("string with a bad byte:\n%s", dump(toks))
	}
}

func TestSingleAmpersandAndPipe(t *testing.T) {
	for _, c := range []struct {
		src  string
		kind Kind
	}{{"a & b", AndAnd}, {"a | b", OrOr}} {
		toks, errs := scanAll(t, c.src)
		checkTokens(t, c.src, toks, []want{{Ident, 0, 1, "a"}, {c.kind, 2, 3, c.src[2:3]}, {Ident, 4, 5, "b"}, {EOF, 5, 5, ""}})
		if len(errs.Items) != 1 || errs.Items[0].Code != diag.IllegalChar || errs.Items[0].Pos != 2 {
			t.Errorf("%q: %+v", c.src, errs.Items)
		}
	}
	toks, errs := scanAll(t, `"x"`)
	if toks[0].Kind != Illegal || len(errs.Items) == 0 || errs.Items[0].Code != diag.IllegalChar || errs.Items[0].Pos != 0 {
		t.Errorf(`double quote: %s %+v`, dump(toks), errs.Items)
	}
}

func TestEOFRepeats(t *testing.T) {
	var errs diag.List
	s := New("x", &errs)
	s.Next()
	for i := 0; i < 3; i++ {
		if tok := s.Next(); tok.Kind != EOF || tok.Pos != 1 || tok.End != 1 {
			t.Errorf("Next after the end = %+v", tok)
		}
	}
	toks, errs2 := scanAll(t, "")
	checkTokens(t, "", toks, []want{{EOF, 0, 0, ""}})
	noErrors(t, "", errs2)
}

// checkSpans verifies the invariants every scan must keep, whatever the input.
func checkSpans(t testing.TB, src string) {
	toks, errs := scanAll(t, src)
	prevEnd := 0
	for i, tok := range toks {
		if int(tok.Pos) < prevEnd || tok.End < tok.Pos || int(tok.End) > len(src) {
			t.Fatalf("%q: token %d %v has span [%d,%d) after %d (len %d)", src, i, tok.Kind, tok.Pos, tok.End, prevEnd, len(src))
		}
		if tok.Kind != EOF && tok.End == tok.Pos {
			t.Fatalf("%q: empty %v token at %d", src, tok.Kind, tok.Pos)
		}
		if tok.Text != src[tok.Pos:tok.End] {
			t.Fatalf("%q: token %d Text %q is not its span %q", src, i, tok.Text, src[tok.Pos:tok.End])
		}
		prevEnd = int(tok.End)
	}
	if last := toks[len(toks)-1]; last.Kind != EOF || int(last.Pos) != len(src) {
		t.Fatalf("%q: last token %+v, want EOF at %d", src, last, len(src))
	}
	for _, d := range errs.Items {
		if d.Pos < 0 || int(d.Pos) > len(src) || d.End < d.Pos || int(d.End) > len(src) {
			t.Fatalf("%q: %s span [%d,%d) outside the source (len %d)", src, d.Code, d.Pos, d.End, len(src))
		}
		if len(src) > 0 && int(d.Pos) == len(src) {
			t.Fatalf("%q: %s at the end of input, not at the offending character", src, d.Code)
		}
		if d.Severity != diag.Error {
			t.Fatalf("%q: scanner diagnostic %s is not an error", src, d.Code)
		}
	}
}

var spanSeeds = []string{
	"",
	"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'x'",
	"(!(ActionMatches{'a'} AND NOT SubOperationMatches{'b'})) OR (@Request[x] ForAnyOfAnyValues:StringLike {'a*', 'b'})",
	"'unterminated",
	"@Resource[unclosed",
	"@",
	"@[",
	"@Resource[",
	"5e467623-8a1b-4c2d-9e3f-a1b2c3d4e5f6",
	"5e467623-8a1b-4c2d-9e3f",
	"b24988ac618042a0ab8820f7382dd24c",
	"-",
	"-5",
	"--5",
	"1.5",
	"9999999999999999999999999",
	"\xff\xfe",
	"'\xff",
	"a\u200Bb\u00A0c\uFEFF",
	"& | &| |&",
	"\"x\"",
	"#$%^*~`",
	"a-b-c",
	"ab-",
	"\u200B",
	"@Resource[x]\u200B",
	"'\n'",
}

func TestErrorsWithinSource(t *testing.T) {
	for _, s := range spanSeeds {
		checkSpans(t, s)
	}
	// Random inputs drawn from the characters that matter to the scanner.
	alphabet := []string{"a", "e", "F", "0", "5", "9", "-", "'", "@", "[", "]", "(", ")", "{", "}", ",", ":",
		"&", "|", "!", " ", "\n", "\r", "\t", "\\", ".", "_", "<", ">", "$", "\"", "#", "é", "😀",
		"\u200B", "\u00A0", "\uFEFF", "\x00", "\xff", "\xc3", "Resource", "AND", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		n := rng.Intn(30)
		for j := 0; j < n; j++ {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		checkSpans(t, b.String())
	}
	// Random bytes.
	for i := 0; i < 1000; i++ {
		buf := make([]byte, rng.Intn(40))
		rng.Read(buf)
		checkSpans(t, string(buf))
	}
}

func FuzzScanner(f *testing.F) {
	for _, s := range spanSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkSpans(t, src)
		if utf8.ValidString(src) {
			_, errs := scanAll(t, src)
			for _, d := range errs.Items {
				if d.Code == diag.BadEncoding {
					t.Fatalf("%q: ABAC1005 on valid UTF-8", src)
				}
			}
		}
	})
}
