package match

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

// refLike is a plain recursive matcher over runes, the obvious reading of the pattern rules.
func refLike(p, v []rune, fold bool) bool {
	if len(p) == 0 {
		return len(v) == 0
	}
	switch {
	case p[0] == '*':
		for i := 0; i <= len(v); i++ {
			if refLike(p[1:], v[i:], fold) {
				return true
			}
		}
		return false
	case p[0] == '?':
		return len(v) > 0 && refLike(p[1:], v[1:], fold)
	case p[0] == '\\' && len(p) > 1 && (p[1] == '*' || p[1] == '?' || p[1] == '\\'):
		return len(v) > 0 && eqRune(p[1], v[0], fold) && refLike(p[2:], v[1:], fold)
	}
	return len(v) > 0 && eqRune(p[0], v[0], fold) && refLike(p[1:], v[1:], fold)
}

func eqRune(a, b rune, fold bool) bool {
	if fold {
		return FoldRune(a) == FoldRune(b)
	}
	return a == b
}

func TestLikeAgainstReference(t *testing.T) {
	alphabet := []string{"a", "b", "A", "/", "*", "?", "\\", "ä", "Ä", "K", "k", "ß"}
	rng := rand.New(rand.NewSource(7))
	gen := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		return b.String()
	}
	for i := 0; i < 200000; i++ {
		p, v := gen(rng.Intn(7)), gen(rng.Intn(8))
		for _, fold := range []bool{false, true} {
			want := refLike([]rune(p), []rune(v), fold)
			if got := Like(p, v, fold); got != want {
				t.Fatalf("Like(%q, %q, %v) = %v, want %v", p, v, fold, got, want)
			}
			if fold {
				if got := LikeFolded(FoldString(p), v); got != want {
					t.Fatalf("LikeFolded(%q, %q) = %v, want %v", p, v, got, want)
				}
			}
		}
		// Action patterns: only * is special.
		ap := strings.NewReplacer("?", "x", "\\", "y").Replace(p)
		if got, want := ActionFolded(FoldString(ap), FoldString(v)), Action(ap, v); got != want {
			t.Fatalf("ActionFolded(%q, %q) = %v, Action = %v", ap, v, got, want)
		}
		if got, want := Action(ap, v), refLike([]rune(ap), []rune(v), true); got != want {
			t.Fatalf("Action(%q, %q) = %v, want %v", ap, v, got, want)
		}
	}
}

func TestLikeCases(t *testing.T) {
	cases := []struct {
		p, v string
		want bool
	}{
		{"", "", true}, {"", "a", false}, {"*", "", true}, {"*", "a/b", true},
		{"data/*/v?.csv", "data/a/b/v1.csv", true}, {"data/*/v?.csv", "data/a/v10.csv", false},
		{`lit\*`, "lit*", true}, {`lit\*`, "litx", false}, {`a\b`, `a\b`, true}, {`a\\b`, `a\b`, true},
		{`a\`, `a\`, true}, {"?", "é", true}, {"??", "é", false},
		{"*a*a*a*a*a*a*a*a*a*a*b", strings.Repeat("a", 5000), false},
		{"logs/*/2024-*.json", "logs/x/y/2024-01.json", true}, {"ab*ba", "aba", false},
	}
	for _, c := range cases {
		if got := Like(c.p, c.v, false); got != c.want {
			t.Errorf("Like(%q, %q) = %v", c.p, c.v, got)
		}
	}
}

func TestFold(t *testing.T) {
	eq := []struct{ a, b string }{{"ÄRGER", "ärger"}, {"K", "k"}, {"Σ", "ς"}, {"σ", "ς"}, {"ẞ", "ß"}, {"", ""}}
	for _, c := range eq {
		if !EqualFold(c.a, c.b) || !EqualFold(c.b, c.a) || FoldString(c.a) != FoldString(c.b) {
			t.Errorf("%q and %q should be equal under simple folding", c.a, c.b)
		}
		if !HasPrefixFold(c.a+"x", c.b) || !HasSuffixFold("x"+c.a, c.b) {
			t.Errorf("prefix/suffix %q %q", c.a, c.b)
		}
	}
	ne := []struct{ a, b string }{{"ß", "SS"}, {"İ", "i"}, {"ı", "i"}, {"a", "ab"}, {"e\u0301", "é"}}
	for _, c := range ne {
		if EqualFold(c.a, c.b) {
			t.Errorf("%q and %q should differ", c.a, c.b)
		}
	}
	if got := string(AppendFold(nil, "Blob.List/ä")); got != FoldString("Blob.List/ä") || !utf8.ValidString(got) {
		t.Errorf("AppendFold = %q", got)
	}
	if n := testing.AllocsPerRun(100, func() { EqualFold("Microsoft.Storage/ÄÖ", "MICROSOFT.STORAGE/äö") }); n != 0 {
		t.Errorf("EqualFold allocates %v", n)
	}
}

func TestAction(t *testing.T) {
	cases := []struct {
		p, a string
		want bool
	}{
		{"microsoft.storage/*/blobs/*", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete", true},
		{"Microsoft.Storage/*", "Microsoft.Authorization/roleAssignments/write", false},
		{"*", "", true}, {"a?c", "abc", false}, {"a?c", "a?c", true},
	}
	for _, c := range cases {
		if got := Action(c.p, c.a); got != c.want {
			t.Errorf("Action(%q, %q) = %v", c.p, c.a, got)
		}
		if got := ActionFolded(FoldString(c.p), FoldString(c.a)); got != c.want {
			t.Errorf("ActionFolded(%q, %q) = %v", c.p, c.a, got)
		}
	}
}

func TestShape(t *testing.T) {
	cases := map[string]string{"abc": "=abc", "a*": "^a", "*.json": "$.json", `a\*`: "=a*", `a\**`: "^a*", `\\*`: `^\`, "a*b": "*", "?": "*", "*": "^"}
	for p, want := range cases {
		k, text := Shape(p)
		if got := string(k) + text; k != '*' && got != want || k == '*' && want != "*" {
			t.Errorf("Shape(%q) = %c%q, want %s", p, k, text, want)
		}
	}
}

// TestFoldStringAgainstReference checks FoldString's ASCII fast paths against folding every
// rune (invalid bytes read as U+FFFD), and that folded ASCII text comes back without a copy.
func TestFoldStringAgainstReference(t *testing.T) {
	alphabet := []string{"a", "Z", "/", ".", "ä", "K", "ß", "ſ", "\xff", "\xe2\x82", "Σ", "1"}
	rng := rand.New(rand.NewSource(11))
	for i := 0; i < 100000; i++ {
		var b strings.Builder
		for n := rng.Intn(9); n > 0; n-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		s := b.String()
		var want strings.Builder
		for _, r := range s {
			want.WriteRune(FoldRune(r))
		}
		if got := FoldString(s); got != want.String() {
			t.Fatalf("FoldString(%q) = %q, want %q", s, got, want.String())
		}
	}
	if n := testing.AllocsPerRun(100, func() { FoldString("MICROSOFT.STORAGE/X") }); n != 0 {
		t.Errorf("FoldString of folded ASCII allocates %v", n)
	}
	if n := testing.AllocsPerRun(100, func() { FoldString("Microsoft.Storage/x") }); n != 1 {
		t.Errorf("FoldString of ASCII allocates %v times", n)
	}
}

var sinkBool bool

// BenchmarkLike matches StringLike patterns of the benchmark corpus's shapes against values
// that match, miss early and miss late.
func BenchmarkLike(b *testing.B) {
	values := []string{"logs/2024/06/01/app-web.log", "logs/2024/06/app-.log", "logs/1999/06/app-web.log", "logs/2024/06/app-web.txt", "logs/2024/app-web.log", "public/index.html"}
	for _, c := range []struct{ name, pattern string }{
		{"wildcards", "logs/20??/*/app-*.log"},
		{"stars", "logs/*/app-*.log"},
		{"non-ascii", "logs/*/äpp-*.log"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				sinkBool = Like(c.pattern, values[i%len(values)], false)
			}
		})
		b.Run(c.name+"/fold", func(b *testing.B) {
			folded := FoldString(c.pattern)
			for i := 0; b.Loop(); i++ {
				sinkBool = LikeFolded(folded, values[i%len(values)])
			}
		})
	}
}
