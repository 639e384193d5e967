package refeval

// patternItem is one element of a parsed StringLike pattern.
type patternItem struct {
	kind byte // 'c' a literal character, '?' any one character, '*' any run
	r    rune
}

// parseLike reads a StringLike pattern: `*` any run, `?` one character, `\*` `\?` `\\` the
// literal character, and any other backslash literal.
func parseLike(pattern string) []patternItem {
	rs := []rune(pattern)
	var items []patternItem
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; {
		case c == '\\' && i+1 < len(rs) && (rs[i+1] == '*' || rs[i+1] == '?' || rs[i+1] == '\\'):
			items = append(items, patternItem{kind: 'c', r: rs[i+1]})
			i++
		case c == '*' || c == '?':
			items = append(items, patternItem{kind: byte(c)})
		default:
			items = append(items, patternItem{kind: 'c', r: c})
		}
	}
	return items
}

// like reports whether the whole value matches the pattern. It is the textbook dynamic
// program over (pattern position, value position): obviously correct and quadratic at worst.
func like(pattern, value string) bool {
	return globMatch(parseLike(pattern), []rune(value))
}

// globMatch computes, for each suffix of the pattern, which suffixes of the value it matches.
func globMatch(p []patternItem, v []rune) bool {
	// next[j] = p[i+1:] matches v[j:]; cur[j] = p[i:] matches v[j:].
	next := make([]bool, len(v)+1)
	cur := make([]bool, len(v)+1)
	next[len(v)] = true // the empty pattern matches only the empty value
	for i := len(p) - 1; i >= 0; i-- {
		for j := len(v); j >= 0; j-- {
			switch p[i].kind {
			case '*':
				cur[j] = next[j] || (j < len(v) && cur[j+1])
			case '?':
				cur[j] = j < len(v) && next[j+1]
			default:
				cur[j] = j < len(v) && v[j] == p[i].r && next[j+1]
			}
		}
		next, cur = cur, next
	}
	return next[0]
}

// actionMatch applies Azure's permission wildcard rule: the whole action, case-insensitively,
// with `*` matching any run of characters including '/'. Only `*` is special.
func actionMatch(pattern, action string) bool {
	var items []patternItem
	for _, r := range fold(pattern) {
		if r == '*' {
			items = append(items, patternItem{kind: '*'})
		} else {
			items = append(items, patternItem{kind: 'c', r: r})
		}
	}
	return globMatch(items, []rune(fold(action)))
}
