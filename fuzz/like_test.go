package fuzz

import (
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/match"
	"github.com/abacc/abacc/internal/testgen"
)

// maxLikeLen bounds FuzzLike's inputs so that the reference matcher stays fast.
const maxLikeLen = 64

// likeItem is one element of a StringLike pattern: a wildcard or a literal character.
type likeItem struct {
	wild rune // '*', '?' or 0 for a literal
	r    rune
}

// refPattern reads a StringLike pattern rune by rune (invalid UTF-8 bytes read as U+FFFD, as
// Go's []rune conversion does): `*` any run, `?` one character, `\*` `\?` `\\` the literal
// character, any other backslash literal.
func refPattern(pattern string) []likeItem {
	rs := []rune(pattern)
	var out []likeItem
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; c {
		case '*', '?':
			out = append(out, likeItem{wild: c})
		case '\\':
			if i+1 < len(rs) && (rs[i+1] == '*' || rs[i+1] == '?' || rs[i+1] == '\\') {
				out = append(out, likeItem{r: rs[i+1]})
				i++
			} else {
				out = append(out, likeItem{r: '\\'})
			}
		default:
			out = append(out, likeItem{r: c})
		}
	}
	return out
}

// refGlob matches the whole value against the items by memoized recursion over (item, rune)
// positions; eq compares a pattern character with a value character.
func refGlob(items []likeItem, value []rune, eq func(a, b rune) bool) bool {
	memo := make([]int8, (len(items)+1)*(len(value)+1)) // 0 unknown, 1 true, 2 false
	var m func(i, j int) bool
	m = func(i, j int) bool {
		k := i*(len(value)+1) + j
		if memo[k] != 0 {
			return memo[k] == 1
		}
		var res bool
		switch {
		case i == len(items):
			res = j == len(value)
		case items[i].wild == '*':
			res = m(i+1, j) || (j < len(value) && m(i, j+1))
		case j == len(value):
			res = false
		case items[i].wild == '?':
			res = m(i+1, j+1)
		default:
			res = eq(items[i].r, value[j]) && m(i+1, j+1)
		}
		memo[k] = 2
		if res {
			memo[k] = 1
		}
		return res
	}
	return m(0, 0)
}

func exact(a, b rune) bool  { return a == b }
func folded(a, b rune) bool { return match.FoldRune(a) == match.FoldRune(b) }

// refLike is the reference StringLike matcher.
func refLike(pattern, value string, fold bool) bool {
	eq := exact
	if fold {
		eq = folded
	}
	return refGlob(refPattern(pattern), []rune(value), eq)
}

// refAction is the reference of Azure's action wildcard: only `*` is special, and characters
// compare case-insensitively.
func refAction(pattern, action string) bool {
	var items []likeItem
	for _, r := range pattern {
		if r == '*' {
			items = append(items, likeItem{wild: '*'})
		} else {
			items = append(items, likeItem{r: r})
		}
	}
	return refGlob(items, []rune(action), folded)
}

func foldRunes(s string) []rune {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = match.FoldRune(r)
	}
	return rs
}

func runesHavePrefix(s, p []rune) bool {
	if len(p) > len(s) {
		return false
	}
	for i := range p {
		if s[i] != p[i] {
			return false
		}
	}
	return true
}

func runesEqual(a, b []rune) bool { return len(a) == len(b) && runesHavePrefix(a, b) }

func runesHaveSuffix(s, p []rune) bool {
	return len(p) <= len(s) && runesHavePrefix(s[len(s)-len(p):], p)
}

var likeSeeds = []struct {
	pattern, value string
	fold           bool
}{
	{"*", "", false}, {"", "", false}, {"?", "", false}, {"a*b", "axxb", false}, {"a*b*c", "abcbc", false},
	{`a\*b`, "a*b", false}, {`a\*b`, "axb", false}, {`a\?b`, "a?b", false}, {`a\\b`, `a\b`, false}, {`a\b`, `a\b`, false},
	{`\`, `\`, false}, {`*\`, `x\`, false}, {`\\\`, `\\`, false}, {"**", "abc", false}, {"?*?", "ab", false},
	{"*a*a*a*a*a*a*a*b", strings.Repeat("a", 60), false}, {"ß*", "SS", true}, {"SS*", "ß", true}, {"\u212A*", "k", true},
	{"*ς", "Σ", true}, {"σ?", "ΣΣ", true}, {"ǅ", "ǆ", true}, {"İ", "i", true}, {"ı", "I", true}, {"ſ", "s", true},
	{"*\uFFFD", "a\xff", false}, {"\uFFFD", "\xff", false}, {"\xff", "\xfe", false}, {"\xff*", "\uFFFD", false},
	{"a?c", "a\xe2\x82c", false}, {"a??c", "a\xe2\x82c", false}, {"a?c", "a€c", false}, {"*€", "\xe2\x82\xac", false},
	{"?", "😀", false}, {"??", "😀", false}, {"a*b", "a/x/b", false}, {"Microsoft.Storage/*", "microsoft.storage/x/read", true},
	{"*/read", "MICROSOFT.STORAGE/READ", true}, {"*K", "\u212A", true}, {"k*", "K", false},
}

// FuzzLike checks match.Like against a plain rune-wise reference matcher, with and without
// case folding; and, on the same inputs, match.Action against the reference action wildcard,
// match.ActionFolded against match.Action, and the folding helpers (EqualFold, HasPrefixFold,
// HasSuffixFold) against rune-wise comparisons of FoldRune.
func FuzzLike(f *testing.F) {
	for _, s := range likeSeeds {
		f.Add(s.pattern, s.value, s.fold)
	}
	for _, p := range testgen.LikePatterns() {
		for _, v := range []string{"", "a", "ab", "a*b", "x/y/z", "ß", "SS", "\u212A", "\xff"} {
			f.Add(p, v, false)
			f.Add(p, v, true)
		}
	}
	f.Fuzz(func(t *testing.T, pattern, value string, fold bool) {
		if len(pattern) > maxLikeLen || len(value) > maxLikeLen {
			return
		}
		if got, want := match.Like(pattern, value, fold), refLike(pattern, value, fold); got != want {
			t.Fatalf("match.Like(%q, %q, fold=%v) = %v, reference %v", pattern, value, fold, got, want)
		}
		if got, want := match.Action(pattern, value), refAction(pattern, value); got != want {
			t.Fatalf("match.Action(%q, %q) = %v, reference %v", pattern, value, got, want)
		}
		if got, want := match.ActionFolded(match.FoldString(pattern), match.FoldString(value)), match.Action(pattern, value); got != want {
			t.Fatalf("match.ActionFolded(FoldString(%q), FoldString(%q)) = %v, match.Action %v", pattern, value, got, want)
		}
		fv, fp := foldRunes(value), foldRunes(pattern)
		if got, want := match.EqualFold(value, pattern), runesEqual(fv, fp); got != want {
			t.Fatalf("match.EqualFold(%q, %q) = %v, reference %v", value, pattern, got, want)
		}
		if got, want := match.HasPrefixFold(value, pattern), runesHavePrefix(fv, fp); got != want {
			t.Fatalf("match.HasPrefixFold(%q, %q) = %v, reference %v", value, pattern, got, want)
		}
		if got, want := match.HasSuffixFold(value, pattern), runesHaveSuffix(fv, fp); got != want {
			t.Fatalf("match.HasSuffixFold(%q, %q) = %v, reference %v", value, pattern, got, want)
		}
		if got, want := match.FoldString(value), string(fv); got != want {
			t.Fatalf("match.FoldString(%q) = %q, reference %q", value, got, want)
		}
	})
}
