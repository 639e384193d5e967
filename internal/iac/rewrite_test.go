package iac

import (
	"strings"
	"testing"
	"unicode"
)

const armTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "resources": [
    { "type": "Microsoft.Authorization/roleAssignments", "properties": { "condition": LIT } }
  ]
}
`

// A literal style: a file with one condition literal (LIT marks it) and what its rewrite keeps.
type style struct {
	name, file, src string
	finalNL, crlf   bool                   // a multi-line literal keeps a final line break; CRLF stays CRLF
	refuse          func(text string) bool // texts this style cannot hold
}

func styles() []style {
	nfd := func(s string) bool { return strings.Contains(s, "e\u0301") } // Terraform normalizes to NFC
	heredocRefuses := func(flush bool) func(string) bool {
		return func(s string) bool {
			if nfd(s) {
				return true
			}
			for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
				if strings.TrimSpace(l) == "EOT" {
					return true
				}
			}
			if flush && s != "" {
				// every non-blank line indented: hcl would strip that indentation too
				all := true
				for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
					if strings.TrimSpace(l) != "" && strings.TrimLeftFunc(l, unicode.IsSpace) == l {
						all = false
					}
				}
				return all && strings.TrimSpace(s) != ""
			}
			return false
		}
	}
	return []style{
		{name: "tf quoted", file: "x.tf", src: tfCondition(`LIT`), refuse: nfd},
		{name: "tf heredoc", file: "x.tf", src: tfCondition("LIT"), finalNL: true, refuse: heredocRefuses(false)},
		{name: "tf flush heredoc", file: "x.tf", src: tfCondition("LIT"), finalNL: true, refuse: heredocRefuses(true)},
		{name: "tf crlf heredoc", file: "x.tf", src: tfCondition("LIT"), finalNL: true, crlf: true, refuse: heredocRefuses(true)},
		{name: "arm", file: "x.json", src: armTemplate},
		{name: "export", file: "x.json", src: `[{"principalId": "p", "condition": LIT}]`},
		{name: "bicep", file: "x.bicep", src: bicepCondition("LIT")},
		{name: "bicep multi", file: "x.bicep", src: bicepCondition("LIT"), finalNL: true, refuse: func(s string) bool { return strings.Contains(s, "'''") }},
		{name: "bicep multi inline", file: "x.bicep", src: bicepCondition("LIT"), refuse: func(s string) bool { return strings.Contains(s, "'''") }},
		{name: "bicep multi crlf", file: "x.bicep", src: bicepCondition("LIT"), finalNL: true, crlf: true, refuse: func(s string) bool { return strings.Contains(s, "'''") }},
		{name: "bicep $$multi", file: "x.bicep", src: bicepCondition("LIT"), finalNL: true, refuse: func(s string) bool { return strings.Contains(s, "'''") || strings.Contains(s, "$${") }},
		{name: "plain", file: "x.cond", src: "LIT"},
	}
}

// initial literals for each style, holding the text "(x)" (+ a final line break where the style keeps one)
var initial = map[string]string{
	"tf quoted":          `"(x)"`,
	"tf heredoc":         "<<EOT\n(x)\nEOT",
	"tf flush heredoc":   "<<-EOT\n      (x)\n    EOT",
	"tf crlf heredoc":    "<<-EOT\r\n      (x)\r\n    EOT",
	"arm":                `"(x)"`,
	"export":             `"(x)"`,
	"bicep":              `'(x)'`,
	"bicep multi":        "'''\n(x)\n'''",
	"bicep multi inline": "'''(x)'''",
	"bicep multi crlf":   "'''\r\n(x)\r\n'''",
	"bicep $$multi":      "$$'''\n(x)\n'''",
	"plain":              "(x)",
}

var rewriteTexts = []string{
	"", "a", "it's", `say "hi"`, `back\slash`, `\n not a newline`, "${x}", "%{y}", "$${z}", "%%{w}", "$", "a$", "%",
	"line1\nline2", "line1\nline2\n", "\nleading newline", "  indented\n  all\n", "(\n  indented\n)\n",
	"tab\there", "crlf\r\nline", "'''", "ends with quote'", "'starts with quote", "[bracket]", "[[x]", "[not] closed",
	"EOT", "x\nEOT\ny", "  EOT  ", "unicode é 😀 部署", "e\u0301", "\u2028 line separator", "<$key_case_sensitive$> &$keys$&",
	"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals 'Cascade'",
}

func TestRewriteRoundTrip(t *testing.T) {
	for _, st := range styles() {
		src := strings.Replace(st.src, "LIT", initial[st.name], 1)
		conds, _, err := Extract(st.file, []byte(src))
		if err != nil || len(conds) != 1 {
			t.Fatalf("%s: %d conditions, %v", st.name, len(conds), err)
		}
		c := conds[0]
		for _, text := range rewriteTexts {
			want := text
			if st.finalNL && want != "" && !strings.HasSuffix(want, "\n") {
				want += "\n"
			}
			if st.crlf {
				want = toCRLF(want)
			}
			lit, ok := c.Rewrite(text)
			refuse := st.refuse != nil && st.refuse(text)
			if ok == refuse {
				t.Errorf("%s: Rewrite(%q) ok=%v, want %v (%q)", st.name, text, ok, !refuse, lit)
				continue
			}
			if !ok {
				continue
			}
			out := src[:c.Start] + string(lit) + src[c.End:]
			got, notes, err := Extract(st.file, []byte(out))
			if err != nil || len(got) != 1 || len(notes) != 0 {
				t.Errorf("%s: Rewrite(%q) = %q: %d conditions, notes %v, %v", st.name, text, lit, len(got), notes, err)
				continue
			}
			if got[0].Text != want {
				t.Errorf("%s: Rewrite(%q) = %q reads back as %q, want %q", st.name, text, lit, got[0].Text, want)
			}
			if got[0].Start != c.Start || got[0].End != c.Start+len(lit) {
				t.Errorf("%s: Rewrite(%q): literal at [%d,%d), want [%d,%d)", st.name, text, got[0].Start, got[0].End, c.Start, c.Start+len(lit))
			}
		}
	}
}

// The rewritten literal keeps the original's style: quotes, marker, indentation, line breaks.
func TestRewriteKeepsStyle(t *testing.T) {
	for _, tc := range []struct {
		file, src, text, want string
	}{
		{"x.tf", tfCondition("<<-COND\n      (x)\n    COND"), "(\n  y\n)", "<<-COND\n      (\n        y\n      )\n    COND"},
		{"x.tf", tfCondition("<<-EOT\n\t\t(x)\n\tEOT"), "a\n\n b\n", "<<-EOT\n\t\ta\n\n\t\t b\n\tEOT"},
		{"x.tf", tfCondition("<<EOT\r\n(x)\r\nEOT"), "a\nb", "<<EOT\r\na\r\nb\r\nEOT"},
		{"x.tf", tfCondition(`"x"`), "a\n'b' \"c\" ${d}", `"a\n'b' \"c\" $${d}"`},
		{"x.json", armTemplate, "<a> & 'b'\n", `"<a> & 'b'\n"`},
		{"x.json", armTemplate, "[a]", `"[[a]"`},
		{"x.bicep", bicepCondition("'x'"), "it's ${x}\n", `'it\'s \${x}\n'`},
		{"x.bicep", bicepCondition("'''\n(x)\n'''"), "(\n y\n)", "'''\n(\n y\n)\n'''"},
		{"x.bicep", bicepCondition("'''(x)'''"), "\nz'", "'''\n\nz''''"},
	} {
		src := strings.Replace(tc.src, "LIT", `"x"`, 1)
		conds, _, err := Extract(tc.file, []byte(src))
		if err != nil || len(conds) != 1 {
			t.Fatalf("%q: %v", src, err)
		}
		lit, ok := conds[0].Rewrite(tc.text)
		if !ok || string(lit) != tc.want {
			t.Errorf("Rewrite(%q) in %q = %q, %v; want %q", tc.text, src[conds[0].Start:conds[0].End], lit, ok, tc.want)
		}
	}
}
