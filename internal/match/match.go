// Package match holds the string matching of the evaluation hot path: Unicode simple case
// folding without allocation, case-insensitive equality and prefix tests, StringLike patterns
// and Azure's action wildcard. Functions here never allocate; the ones that build folded
// constants (FoldString) run at compile time only.
package match

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// FoldRune maps r to the smallest rune of its Unicode simple case folding orbit, so that
// FoldRune(a) == FoldRune(b) exactly when a and b are equal under simple case folding.
// ASCII letters fold to upper case (the smallest member of their orbits).
func FoldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			return r - ('a' - 'A')
		}
		return r
	}
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < m {
			m = f
		}
	}
	return m
}

// FoldString folds every character of s (invalid UTF-8 bytes become U+FFFD, as in FoldRune of
// a decoded RuneError). It allocates; use it on constants at compile time.
func FoldString(s string) string {
	// ASCII (action names, most constants) folds byte for byte by table, into one allocation;
	// text that folding leaves unchanged is returned as it is.
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			break
		}
		if upper[c] != c {
			b := make([]byte, len(s))
			copy(b, s[:i])
			for ; i < len(s); i++ {
				c := s[i]
				if c >= utf8.RuneSelf {
					return foldSlow(string(b[:i]), s[i:])
				}
				b[i] = upper[c]
			}
			return unsafe.String(unsafe.SliceData(b), len(b))
		}
	}
	if i == len(s) {
		return s
	}
	return foldSlow(s[:i], s[i:])
}

// foldSlow returns done (folded already) followed by the folded rest.
func foldSlow(done, rest string) string {
	var b strings.Builder
	b.Grow(len(done) + len(rest))
	b.WriteString(done)
	for _, r := range rest {
		b.WriteRune(FoldRune(r))
	}
	return b.String()
}

// upper maps each byte to its ASCII upper case (other bytes unchanged): the simple case
// folding of ASCII letters, by table lookup.
var upper = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'a' <= i && i <= 'z' {
			t[i] = byte(i) - ('a' - 'A')
		}
	}
	return t
}()

// AppendFold appends the folded form of s to b (FoldString without allocating once b has
// grown to fit).
func AppendFold(b []byte, s string) []byte {
	// ASCII is the common case (action names): copy and upper-case in place.
	start := len(b)
	b = append(b, s...)
	for i := start; i < len(b); i++ {
		c := b[i]
		if c >= utf8.RuneSelf {
			return appendFoldSlow(b[:i], s[i-start:])
		}
		b[i] = upper[c]
	}
	return b
}

func appendFoldSlow(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, upper[c])
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		b = utf8.AppendRune(b, FoldRune(r))
		i += w
	}
	return b
}

// decode returns the rune at s[i:] and its width; invalid bytes decode as U+FFFD width 1.
func decode(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// EqualFold reports whether value equals folded under simple case folding. Both sides are
// folded as they are read; passing a pre-folded constant (FoldString) only saves work.
func EqualFold(value, folded string) bool {
	i, ok := foldASCII(value, folded)
	if !ok {
		return false
	}
	if i == len(value) && i == len(folded) {
		return true
	}
	return equalFoldSlow(value[i:], folded[i:])
}

// foldASCII is the fast path of the folding comparisons: it compares a and b byte for byte,
// folded by table lookup, while both stay ASCII, and returns how far it got (the length of
// the shorter, or where a non-ASCII byte stopped it) and false on a mismatch.
func foldASCII(a, b string) (int, bool) {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := a[i], b[i]
		if x|y >= utf8.RuneSelf {
			return i, true
		}
		if upper[x] != upper[y] {
			return i, false
		}
	}
	return n, true
}

func equalFoldSlow(value, folded string) bool {
	i, j := 0, 0
	for i < len(value) && j < len(folded) {
		r, w := decode(value, i)
		f, fw := decode(folded, j)
		if FoldRune(r) != FoldRune(f) {
			return false
		}
		i += w
		j += fw
	}
	return i == len(value) && j == len(folded)
}

// HasPrefixFold reports whether value starts with folded under simple case folding (both
// sides folded as read).
func HasPrefixFold(value, folded string) bool {
	i, ok := foldASCII(value, folded)
	if !ok {
		return false
	}
	if i == len(folded) {
		return true
	}
	return hasPrefixFoldSlow(value[i:], folded[i:])
}

func hasPrefixFoldSlow(value, folded string) bool {
	i, j := 0, 0
	for j < len(folded) {
		if i >= len(value) {
			return false
		}
		r, w := decode(value, i)
		f, fw := decode(folded, j)
		if FoldRune(r) != FoldRune(f) {
			return false
		}
		i += w
		j += fw
	}
	return true
}

// ContainsFold reports whether value contains folded (already folded) under simple case
// folding: whether some suffix of value, cut at a character boundary, has it as a prefix.
func ContainsFold(value, folded string) bool {
	for i := 0; i <= len(value); i++ {
		if (i == len(value) || utf8.RuneStart(value[i])) && HasPrefixFold(value[i:], folded) {
			return true
		}
	}
	return false
}

// HasSuffixFold reports whether value ends with folded under simple case folding.
func HasSuffixFold(value, folded string) bool {
	// ASCII fast path from the end: an ASCII byte is a character of its own whichever way
	// the text is decoded.
	i, j := len(value), len(folded)
	for i > 0 && j > 0 {
		a, b := value[i-1], folded[j-1]
		if a|b >= utf8.RuneSelf {
			break
		}
		if upper[a] != upper[b] {
			return false
		}
		i--
		j--
	}
	if j == 0 {
		return true
	}
	return hasSuffixFoldSlow(value[:i], folded[:j])
}

func hasSuffixFoldSlow(value, folded string) bool {
	i, j := len(value), len(folded)
	for j > 0 {
		if i <= 0 {
			return false
		}
		r, w := utf8.DecodeLastRuneInString(value[:i])
		f, fw := utf8.DecodeLastRuneInString(folded[:j])
		if FoldRune(r) != FoldRune(f) {
			return false
		}
		i -= w
		j -= fw
	}
	return true
}

// Like reports whether the whole value matches a StringLike pattern: `*` any run of
// characters, `?` exactly one character, `\*` `\?` `\\` the literal character, any other
// backslash literal. With fold, pattern and value are compared under simple case folding. It backtracks only to the last `*`, so it runs in O(len(pattern) ×
// len(value)) at worst and usually near-linear, never exponentially; it allocates nothing.
func Like(pattern, value string, fold bool) bool {
	// Star-only patterns match bytewise, which equals matching runes when the pattern is ASCII
	// (an ASCII byte is a character of its own however the value is decoded); anything else
	// goes to the rune-wise matcher, which still compares ASCII byte for byte.
	if !fold && starOnlyASCII(pattern) {
		return starMatch(pattern, value)
	}
	return glob(pattern, value, fold, true)
}

// starOnlyASCII reports whether pattern is ASCII with no `?` and no escape.
func starOnlyASCII(pattern string) bool {
	for i := 0; i < len(pattern); i++ {
		if c := pattern[i]; c >= utf8.RuneSelf || c == '?' || c == '\\' {
			return false
		}
	}
	return true
}

// starMatch matches a pattern whose only wildcard is `*` (no `?`, no escapes).
func starMatch(pattern, value string) bool {
	sp := SplitStars(pattern)
	return sp.Match(value)
}

// StarPattern is a pattern whose only wildcard is `*` (no `?`, no escapes), split once for
// matching many values: the text before the first star is a prefix, the text after the last a
// suffix, and each piece between is found leftmost in what remains, which is optimal for
// star-only patterns. Matching is linear in the value (strings.Index per piece) and
// byte-exact, which is rune-exact for UTF-8 text.
type StarPattern struct {
	// Prefix is the text before the first star, or the whole pattern when Star is false.
	Prefix string
	// Middle is the text from after the first star through the last star (each piece ends
	// with a star; empty when there is one star); Suffix the text after the last star.
	Middle, Suffix string
	// Star says whether the pattern has a star at all.
	Star bool
}

// SplitStars splits a star-only pattern at its first and last stars.
func SplitStars(pattern string) StarPattern {
	first := strings.IndexByte(pattern, '*')
	if first < 0 {
		return StarPattern{Prefix: pattern}
	}
	// (IndexByte is vectorised, LastIndexByte a byte loop: on action names of 60-odd bytes
	// the forward search for a second star is several times cheaper.)
	last := first
	if i := strings.IndexByte(pattern[first+1:], '*'); i >= 0 {
		last = strings.LastIndexByte(pattern, '*')
	}
	return StarPattern{Prefix: pattern[:first], Middle: pattern[first+1 : last+1], Suffix: pattern[last+1:], Star: true}
}

// Match reports whether the whole value matches the pattern.
func (sp *StarPattern) Match(value string) bool {
	if !sp.Star {
		return value == sp.Prefix
	}
	prefix, suffix := sp.Prefix, sp.Suffix
	if len(value) < len(prefix)+len(suffix) || value[:len(prefix)] != prefix || value[len(value)-len(suffix):] != suffix {
		return false
	}
	rest := value[len(prefix) : len(value)-len(suffix)]
	for middle := sp.Middle; len(middle) > 0; {
		i := strings.IndexByte(middle, '*')
		piece := middle[:i]
		middle = middle[i+1:]
		if piece == "" {
			continue
		}
		j := strings.Index(rest, piece)
		if j < 0 {
			return false
		}
		rest = rest[j+len(piece):]
	}
	return true
}

// Action reports whether an action matches an Azure permission pattern: the whole string,
// case-insensitively, `*` matching any run of characters including '/'. Only `*` is special.
func Action(pattern, action string) bool {
	// The compiler matches every pattern of a condition against every catalog action, so the
	// common shapes skip the rune-wise matcher: a pattern without `*` is a case-insensitive
	// equality, and ASCII text (every Azure action name) folds by table lookup.
	if strings.IndexByte(pattern, '*') < 0 {
		return EqualFold(action, pattern)
	}
	if isASCII(pattern) && isASCII(action) {
		return globASCIIFold(pattern, action)
	}
	return glob(pattern, action, true, false)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// globASCIIFold is glob(pattern, value, true, false) for ASCII pattern and value: byte for
// byte, folded by the upper table (which is FoldRune on ASCII), `*` the only wildcard.
func globASCIIFold(pattern, value string) bool {
	p, v := 0, 0
	starP, starV := -1, 0
	for v < len(value) {
		if p < len(pattern) {
			if pattern[p] == '*' {
				p++
				starP, starV = p, v
				continue
			}
			if upper[pattern[p]] == upper[value[v]] {
				p++
				v++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		// Let the last star absorb one more character and retry from there.
		starV++
		p, v = starP, starV
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// ActionFolded is Action for a folded pattern and a folded action (FoldString of each): it
// compares bytes, and a pattern without `*` is a plain string comparison.
func ActionFolded(pattern, action string) bool {
	// Only `*` is special in action patterns, and folded text is valid UTF-8, so the bytewise
	// star matcher is exact.
	return starMatch(pattern, action)
}

// LikeFolded is Like with fold for a pattern already folded (FoldString): star-only patterns
// are matched bytewise against the value folded into a stack buffer, when it fits.
func LikeFolded(folded, value string) bool {
	const bufLen = 512
	if len(value) <= bufLen/4 && strings.IndexByte(folded, '?') < 0 && strings.IndexByte(folded, '\\') < 0 &&
		!strings.Contains(folded, "\uFFFD") && utf8.ValidString(folded) {
		var buf [bufLen]byte
		f := AppendFold(buf[:0], value)
		// AppendFold writes valid UTF-8 (U+FFFD for invalid bytes), matching the rune reading.
		return starMatch(folded, unsafe.String(unsafe.SliceData(f), len(f)))
	}
	return glob(folded, value, true, true)
}

// token reads one pattern element at p: kind '*', '?' or 'c' (literal rune r), and its width.
func token(pattern string, p int, like bool) (kind byte, r rune, w int) {
	c := pattern[p]
	switch {
	case c == '*':
		return '*', 0, 1
	case like && c == '?':
		return '?', 0, 1
	case like && c == '\\' && p+1 < len(pattern):
		if n := pattern[p+1]; n == '*' || n == '?' || n == '\\' {
			return 'c', rune(n), 2
		}
	}
	r, w = decode(pattern, p)
	return 'c', r, w
}

func glob(pattern, value string, fold, like bool) bool {
	p, v := 0, 0
	starP, starV := -1, 0
	for v < len(value) {
		if p < len(pattern) {
			// An ASCII literal against an ASCII byte compares the bytes (folded by table):
			// exactly what decoding both and comparing their runes (folded) would do.
			if c, x := pattern[p], value[v]; c|x < utf8.RuneSelf && c != '*' && (!like || c != '?' && c != '\\') {
				if c == x || fold && upper[c] == upper[x] {
					p++
					v++
					continue
				}
				goto backtrack
			}
			kind, pr, pw := token(pattern, p, like)
			if kind == '*' {
				p += pw
				starP, starV = p, v
				continue
			}
			r, vw := decode(value, v)
			if fold {
				r, pr = FoldRune(r), FoldRune(pr)
			}
			if kind == '?' || pr == r {
				p += pw
				v += vw
				continue
			}
		}
	backtrack:
		if starP < 0 {
			return false
		}
		// Let the last star absorb one more character and retry from there.
		_, vw := decode(value, starV)
		starV += vw
		p, v = starP, starV
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// Shape classifies a StringLike pattern for lowering: '=' a literal (no wildcard), '^' a
// prefix test (one trailing `*`), '$' a suffix test (one leading `*`), '~' a substring test
// (a leading and a trailing `*`, no other wildcard), or '*' general. It returns the literal
// part with escapes resolved.
func Shape(pattern string) (kind byte, text string) {
	var kinds []byte
	var b strings.Builder
	for p := 0; p < len(pattern); {
		k, r, w := token(pattern, p, true)
		kinds = append(kinds, k)
		if k == 'c' {
			b.WriteRune(r)
		}
		p += w
	}
	wild := 0
	for _, k := range kinds {
		if k != 'c' {
			wild++
		}
	}
	switch {
	case wild == 0:
		return '=', b.String()
	case wild == 1 && kinds[len(kinds)-1] == '*':
		return '^', b.String()
	case wild == 1 && kinds[0] == '*':
		return '$', b.String()
	case wild == 2 && kinds[0] == '*' && kinds[len(kinds)-1] == '*':
		return '~', b.String()
	}
	return '*', ""
}
