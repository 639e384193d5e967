package iac

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func tfCondition(expr string) string {
	return "resource \"azurerm_role_assignment\" \"r\" {\n  scope     = var.scope\n  condition = " + expr + "\n}\n"
}

// offsetOf turns a line and column back into a byte offset (the test's own reading).
func offsetOf(data []byte, line, col int) int {
	off := 0
	if strings.HasPrefix(string(data), "\xEF\xBB\xBF") {
		off = 3
	}
	for l := 1; l < line; l++ {
		i := strings.IndexByte(string(data[off:]), '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	for c := 1; c < col; c++ {
		_, n := utf8.DecodeRune(data[off:])
		off += n
	}
	return off
}

// checkChars verifies that every character of the text maps to that same character in the
// file, or to the start of an escape sequence (one of escStarts) where the text was unescaped,
// or, for a character that NFC composed, to the ASCII letter it was composed from.
func checkChars(t *testing.T, data []byte, c Condition, escStarts string) {
	t.Helper()
	for off, r := range c.Text {
		l, col := c.Pos(off)
		at := offsetOf(data, l, col)
		fr, _ := utf8.DecodeRune(data[at:])
		if fr != r && !strings.ContainsRune(escStarts, fr) && !(r >= 0x80 && fr < 0x80) {
			t.Errorf("text %q offset %d (%q) maps to %d:%d, which holds %q", c.Text, off, r, l, col, fr)
			return
		}
	}
}

// The <<- heredoc rule, checked against hcl/v2's own value for many generated heredocs: white
// space of several kinds (tabs, no-break spaces, ideographic spaces), blank and white-space-only
// lines, template escapes, combining marks (grapheme clusters), CRLF, NFD text.
func TestHeredocRuleAgainstHCL(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	spaces := []string{" ", "  ", "\t", "\u00a0", "\u3000", "    "}
	words := []string{"@Resource[x]", "StringEquals", "'a'", "é", "e\u0301", "$${x}", "%%{y}", "(", ")", "\u0301tail", "'''", "\\n", "`"}
	for n := 0; n < 3000; n++ {
		var b strings.Builder
		marker := "EOT"
		flush := rng.IntN(4) != 0
		eol := "\n"
		if rng.IntN(5) == 0 {
			eol = "\r\n"
		}
		if flush {
			b.WriteString("<<-" + marker + eol)
		} else {
			b.WriteString("<<" + marker + eol)
		}
		lines := rng.IntN(6)
		for i := 0; i < lines; i++ {
			switch rng.IntN(6) {
			case 0:
				b.WriteString(eol) // blank
			case 1:
				b.WriteString(spaces[rng.IntN(len(spaces))] + eol) // white space only
			default:
				for k := rng.IntN(4); k > 0; k-- {
					b.WriteString(spaces[rng.IntN(len(spaces))])
				}
				for k := 1 + rng.IntN(3); k > 0; k-- {
					b.WriteString(words[rng.IntN(len(words))])
					if rng.IntN(2) == 0 {
						b.WriteString(" ")
					}
				}
				b.WriteString(eol)
			}
		}
		b.WriteString(strings.Repeat(" ", rng.IntN(3)) + marker)
		src := tfCondition(b.String())
		conds, notes, err := Extract("x.tf", []byte(src))
		if err != nil || len(notes) != 0 || len(conds) != 1 {
			t.Fatalf("%q: %d conditions, notes %v, error %v", src, len(conds), notes, err)
		}
		c := conds[0]
		if !c.exact {
			t.Fatalf("%q: the reader's text %q disagrees with hcl's", src, c.Text)
		}
		checkChars(t, []byte(src), c, "$%eé\u0301")
	}
}

func TestQuotedEscapesAgainstHCL(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{`\n`, `\r`, `\t`, `\"`, `\\`, `\u0041`, `\u00e9`, `\U0001F600`, `$${`, `%%{`, `$`, `%`, `{`, `}`, "a", "é", "e\u0301", " ", "'", "@Resource[x]"}
	for n := 0; n < 3000; n++ {
		var b strings.Builder
		b.WriteByte('"')
		for k := rng.IntN(8); k > 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		b.WriteByte('"')
		src := tfCondition(b.String())
		conds, notes, err := Extract("x.tf", []byte(src))
		if err != nil {
			continue // e.g. "$" + "${" pieces joined into an interpolation, rejected by hcl
		}
		if len(notes) > 0 {
			continue
		}
		if len(conds) != 1 || !conds[0].exact {
			t.Fatalf("%q: %d conditions or inexact", src, len(conds))
		}
		checkChars(t, []byte(src), conds[0], `\$%e`)
	}
}

func TestTerraformNotes(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{`var.x`, "a reference to var.x"},
		{`local.conditions["reader"]`, `a reference to local.conditions["reader"]`},
		{`var.a == "" ? null : var.a`, "an expression"},
		{`each.value.condition`, "a reference to each.value.condition"},
		{`"a ${var.x} b"`, "an interpolation ${...} at 3:18"},
		{`"${var.x}"`, "an interpolation"},
		{`join("", ["a"])`, "computed by join(...)"},
		{`true`, "a bool, not a string"},
		{`["a"]`, "an expression"},
		{"<<EOT\n%{ for x in y }${x}%{ endfor }\nEOT", "a template directive %{...} at 4:1"},
		// Interpolations of constants are literal parts to hcl, but not literal text.
		{`"a ${0} b"`, "an interpolation ${...} at 3:18"},
		{"<<EOT\n\u00a0${0}\nEOT", "an interpolation ${...} at 4:2"},
	} {
		conds, notes, err := Extract("x.tf", []byte(tfCondition(tc.expr)))
		if err != nil || len(conds) != 0 || len(notes) != 1 {
			t.Errorf("%s: %d conditions, %d notes, %v", tc.expr, len(conds), len(notes), err)
			continue
		}
		if n := notes[0]; !strings.Contains(n.Msg, tc.want) || n.Line != 3 || n.Col != 15 || n.Where != "azurerm_role_assignment.r" {
			t.Errorf("%s: note %+v, want %q at 3:15", tc.expr, n, tc.want)
		}
	}
}

func TestTerraformParenthesesAndNull(t *testing.T) {
	conds, notes, err := Extract("x.tf", []byte(tfCondition(`(("in parens"))`)))
	if err != nil || len(notes) != 0 || len(conds) != 1 || conds[0].Text != "in parens" {
		t.Fatalf("%v %v %v", conds, notes, err)
	}
	if l, c := conds[0].Pos(0); l != 3 || c != 18 {
		t.Errorf("Pos(0) = %d:%d", l, c)
	}
	conds, notes, err = Extract("x.tf", []byte(tfCondition(`null`)))
	if err != nil || len(notes) != 0 || len(conds) != 0 {
		t.Fatalf("null: %v %v %v", conds, notes, err)
	}
}
