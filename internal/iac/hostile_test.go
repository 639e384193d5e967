package iac

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// A 50 MB file of each kind is refused before it is read, with a clear message.
func TestFileTooLarge(t *testing.T) {
	brackets := bytes.Repeat([]byte("["), 50<<20)
	template := append([]byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "x": "`), brackets...)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"big.tf", brackets}, {"big.bicep", brackets}, {"big.cond", brackets}, {"big.json", template}, {"big-export.json", brackets},
	} {
		start := time.Now()
		conds, notes, err := Extract(tc.name, tc.data)
		var fe *FileError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "file too large") || conds != nil || notes != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: refusing took %v", tc.name, d)
		}
	}
}

// Deep nesting is an error, not a stack overflow.
func TestDeepNesting(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"deep.json", strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000)},
		{"deep.bicep", "var x = " + strings.Repeat("(", 100000) + strings.Repeat(")", 100000)},
		{"deep-interp.bicep", "var x = " + strings.Repeat("'${", 5000) + strings.Repeat("}'", 5000)},
	} {
		_, _, err := Extract(tc.name, []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), "deeper than") {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// hcl/v2 has no nesting limit of its own: the reader refuses deep nesting before parsing.
	for _, src := range []string{
		tfCondition(strings.Repeat("(", 20000) + `"x"` + strings.Repeat(")", 20000)),
		tfCondition(strings.Repeat(`"${`, 20000) + strings.Repeat(`}"`, 20000)),
		strings.Repeat("a {\n", 20000),
		tfCondition(strings.Repeat("!", 300) + "true"),
		tfCondition(strings.Repeat("- ", 300) + "1"),
		tfCondition("(" + strings.Repeat("a ?\n b :\n ", 300) + "c)"),
		tfCondition(strings.Repeat("a ? b : ", 300) + "c"),
		tfCondition("<<EOT\n" + strings.Repeat("%{ if a }", 300) + strings.Repeat("%{ endif }", 300) + "\nEOT"),
	} {
		if _, _, err := Extract("deep.tf", []byte(src)); err == nil || !strings.Contains(err.Error(), "deeper than 256") {
			t.Errorf("deep.tf: %v", err)
		}
	}
	src := tfCondition(strings.Repeat("(", 250) + `"x"` + strings.Repeat(")", 250))
	if conds, _, err := Extract("deep.tf", []byte(src)); err != nil || len(conds) != 1 || conds[0].Text != "x" {
		t.Errorf("deep.tf: %v", err)
	}
	// Many conditionals, unary operators and directives side by side are not nesting.
	var b strings.Builder
	for i := 0; i < 1000; i++ {
		b.WriteString("locals {\n  a = x ? -1 : !y\n  b = [p ? 1 : 2, q ? 3 : 4]\n  c = \"%{ if z }z%{ endif }\"\n}\n")
	}
	if _, _, err := Extract("wide.tf", []byte(b.String())); err != nil {
		t.Errorf("wide.tf: %v", err)
	}
}

// Random bytes, random tokens and mutated corpus files never panic; errors are *FileError.
func TestGarbage(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []string{"{", "}", "[", "]", "(", ")", "'", "'''", "\"", "\\", "${", "%{", "$$", "<<EOT\n", "<<-EOT\n", "EOT", "\n", "\r\n", " ", "\t",
		"resource", "azurerm_role_assignment", "condition", "properties", "=", ":", ",", "Microsoft.Authorization/roleAssignments@2022-04-01",
		"\"$schema\"", "deploymentTemplate", "//", "/*", "*/", "é", "\u0301", "\xff", "\x00", "null", "1", "-", "#", "@"}
	var seeds [][]byte
	_ = filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, "manifest.json") {
			if b, err := os.ReadFile(p); err == nil {
				seeds = append(seeds, b)
			}
		}
		return nil
	})
	sort.Slice(seeds, func(i, j int) bool { return bytes.Compare(seeds[i], seeds[j]) < 0 })
	for n := 0; n < 4000; n++ {
		var data []byte
		switch n % 3 {
		case 0:
			var b strings.Builder
			for k := rng.IntN(40); k > 0; k-- {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			data = []byte(b.String())
		case 1:
			data = make([]byte, rng.IntN(200))
			for i := range data {
				data[i] = byte(rng.IntN(256))
			}
		default:
			data = append([]byte{}, seeds[rng.IntN(len(seeds))]...)
			for k := 1 + rng.IntN(4); k > 0 && len(data) > 0; k-- {
				i := rng.IntN(len(data))
				switch rng.IntN(3) {
				case 0:
					data = append(data[:i], data[i+1:]...)
				case 1:
					data[i] = []byte(`{}[]()'"\$%<-`)[rng.IntN(13)]
				default:
					data = append(data[:i], append([]byte(alphabet[rng.IntN(len(alphabet))]), data[i:]...)...)
				}
			}
		}
		for _, name := range []string{"g.tf", "g.json", "g.bicep", "g.cond", "g"} {
			checkExtract(t, name, data)
		}
	}
}

// checkExtract runs Extract and checks what must hold for any input.
func checkExtract(t *testing.T, name string, data []byte) {
	t.Helper()
	conds, notes, err := Extract(name, data)
	if err != nil {
		var fe *FileError
		if !errors.As(err, &fe) || fe.File != name || conds != nil || notes != nil {
			t.Fatalf("%s %q: error %T %v", name, data, err, err)
		}
		return
	}
	for _, c := range conds {
		if c.Start < 0 || c.End > len(data) || c.Start >= c.End && c.Kind != Plain {
			t.Fatalf("%s %q: literal [%d,%d)", name, data, c.Start, c.End)
		}
		if c.Kind == Terraform && !c.exact {
			t.Fatalf("%s %q: the HCL reader's decoding of %q disagrees with hcl's value", name, data, c.Text)
		}
		pl, pc := 0, 0
		step := 1 + len(c.Text)/2048 // Pos counts characters along the line: sample long texts
		for off := 0; off <= len(c.Text); off += step {
			l, col := c.Pos(off)
			if l < 1 || col < 1 || l < pl || l == pl && col < pc {
				t.Fatalf("%s %q: %q Pos(%d) = %d:%d after %d:%d", name, data, c.Text, off, l, col, pl, pc)
			}
			pl, pc = l, col
		}
		if lit, ok := c.Rewrite(c.Text); ok {
			out := append(append(append([]byte{}, data[:c.Start]...), lit...), data[c.End:]...)
			again, _, err := Extract(name, out)
			found := false
			for _, d := range again {
				if d.Start == c.Start {
					found = d.Text == c.Text
				}
			}
			if err != nil || !found {
				t.Fatalf("%s %q: rewriting %q as %q: %v", name, data, c.Text, lit, err)
			}
		}
	}
	for _, n := range notes {
		if n.Line < 1 || n.Col < 1 || n.Msg == "" {
			t.Fatalf("%s %q: note %+v", name, data, n)
		}
	}
}

// The JSON reader accepts exactly what encoding/json accepts, for inputs without comments.
func TestJSONAgainstEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"{", "}", "[", "]", ",", ":", `"a"`, `"\u00e9"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\x"`, `"\u12"`, `"` + "\t" + `"`, "1", "-0", "01", "1.5e+3", "1.", ".5", "-", "true", "false", "null", "nul", "truex", " ", "\n", `"`, `\`}
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		for k := rng.IntN(12); k > 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		data := []byte(b.String())
		_, err := parseJSON(data)
		if (err == nil) != json.Valid(data) {
			t.Fatalf("%q: parseJSON error %v, json.Valid %v", data, err, json.Valid(data))
		}
		if err == nil && len(data) > 0 && (data[0] == '"' || bytes.HasPrefix(bytes.TrimSpace(data), []byte(`"`))) {
			d, _ := parseJSON(data)
			var want string
			if json.Unmarshal(data, &want) == nil && d.nodes[0].kind == jString && d.str(0) != want {
				t.Fatalf("%q: decoded %q, encoding/json %q", data, d.str(0), want)
			}
		}
	}
}

func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{[]byte("\xff\xfe{\x00}\x00"), "UTF-16"},
		{[]byte("\xfe\xff\x00{\x00}"), "UTF-16"},
		{[]byte("ok\nthen \xc3(\n"), "2:6: not UTF-8"},
		{[]byte("a\x00"), "1:2: binary data"},
	} {
		_, _, err := Extract("x.tf", tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.data, err, tc.want)
		}
	}
}
