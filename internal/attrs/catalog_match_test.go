package attrs

import (
	"strings"
	"testing"
)

// TestMatchActions checks the catalog's indexed matching against ActionPatternMatch on every
// catalog action, for patterns in other casings, with stars, with non-ASCII look-alikes and
// matching nothing.
func TestMatchActions(t *testing.T) {
	c := Default
	var patterns []string
	for _, a := range c.Actions() {
		n := a.Name
		patterns = append(patterns, n, strings.ToUpper(n), strings.ToLower(n), n+"x", n[:len(n)-1],
			n[:len(n)/2]+"*", "*"+n[len(n)/2:], strings.ReplaceAll(strings.ToLower(n), "k", "\u212a"))
	}
	patterns = append(patterns, "*", "", "nothing/read", "\xff")
	for _, p := range patterns {
		set := c.NewActionSet()
		any := c.MatchActions(p, set)
		found := false
		for i, a := range c.Actions() {
			want := ActionPatternMatch(p, a.Name)
			found = found || want
			if got := set[i/64]&(1<<(i%64)) != 0; got != want {
				t.Errorf("MatchActions(%q): action %s: %v, want %v", p, a.Name, got, want)
			}
		}
		if any != found {
			t.Errorf("MatchActions(%q) = %v, want %v", p, any, found)
		}
	}
}

// TestFindMatchesCatalogKey checks the catalog's name lookup (through the name index for
// ASCII names) against the map of lower-cased keys, for every attribute in several casings,
// under every source, and for names that are not in the catalog.
func TestFindMatchesCatalogKey(t *testing.T) {
	c := Default
	var names []string
	for _, a := range c.Attributes() {
		n := a.Name
		names = append(names, n, strings.ToUpper(n), strings.ToLower(n), n+"x", n[1:], n+":key",
			strings.ReplaceAll(n, "k", "\u212a"), strings.ReplaceAll(n, "s", "\u017f"))
	}
	names = append(names, "", "x", "\xff")
	for _, src := range append([]Source{NoSource}, Sources[:]...) {
		for _, n := range names {
			wantID, wantOK := c.byKey[catalogKey(src, n)]
			id, ok := c.find(src, n)
			if ok != wantOK || ok && id != wantID {
				t.Errorf("find(%s, %q) = %d, %v; want %d, %v", src, n, id, ok, wantID, wantOK)
			}
		}
	}
}
