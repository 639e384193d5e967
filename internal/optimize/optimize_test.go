package optimize_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/lower"
	"github.com/abacc/abacc/internal/optimize"
)

const (
	name = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]"
	path = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]"
	link = "@Environment[isPrivateLink]"
	read = "ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}"
)

func lowerSrc(t *testing.T, src string) *ir.Unit {
	t.Helper()
	u := compiler.Frontend("t", src, compiler.Options{})
	if !u.OK() {
		t.Fatalf("%s\n%s", src, u.File.FormatAll(&u.Diags))
	}
	return lower.Lower(u.Expr, src)
}

// TestPasses checks what each pass does to a typical input (soundness is proven by the corpus
// and property tests; this pins down that the passes actually fire).
func TestPasses(t *testing.T) {
	blocks := "(NOT ActionMatches{'x/a', 'x/b', 'x/d', 'x/e'} OR " + name + " StringEquals 'b1') AND " +
		"(NOT ActionMatches{'x/a', 'x/c'} OR " + name + " StringEquals 'b2') AND " +
		"(NOT ActionMatches{'x/c', 'x/b'} OR " + name + " StringEquals 'b3')"
	cases := []struct {
		pass, src, want string
	}{
		{"fold", "{3, 7} ForAllOfAnyValues:NumericLessThan {5, 8} AND 'a' StringEquals 'a'", "true\n"},
		{"fold", "'a' StringEquals 'b' OR " + link + " BoolEquals true", "@Environment[isPrivateLink] BoolEquals k2=true\n"},
		{"fold", "NOT ('a' StringNotEquals 'a')", "true\n"},
		{"simplify", link + " BoolEquals true AND " + link + " BoolEquals true", "@Environment[isPrivateLink] BoolEquals k0=true\n"},
		{"simplify", link + " BoolEquals true AND NOT " + link + " BoolEquals true", "false\n"},
		{"simplify", link + " BoolEquals true OR " + link + " BoolNotEquals true", "true\n"},
		{"simplify", name + " StringEquals 'a' AND " + name + " StringEquals 'b'", "false\n"},
		{"simplify", name + " StringEquals {'a','b'} AND " + name + " StringEquals {'b','c'}", "And (2)"},
		{"simplify", link + " BoolEquals true AND (" + link + " BoolEquals true OR " + name + " StringEquals 'x')", "@Environment[isPrivateLink] BoolEquals k0=true\n"},
		{"lower", path + " StringLike 'a/b'", "StringEquals k1='a/b'"},
		{"lower", path + " StringLike 'logs/*'", "StringStartsWith k1='logs/'"},
		{"lower", path + " StringLikeIgnoreCase '*.JSON'", "StringEndsWithIgnoreCase k1='.JSON'"},
		{"lower", path + " StringLike 'a\\*b*'", "StringStartsWith k1='a*b'"},
		{"lower", path + " StringLike 'a*b*'", "StringLike k0='a*b*'"},
		{"lower", "!(" + read + " OR ActionMatches{'x/write'})", "NOT ActionMatches [\"MICROSOFT.STORAGE/STORAGEACCOUNTS/BLOBSERVICES/CONTAINERS/BLOBS/READ\" \"X/WRITE\"]"},
		{"order", path + " StringLike 'a*b*c' OR " + link + " BoolEquals true", "Or (2)\n  @Environment[isPrivateLink]"},
		{"order", name + " StringEquals 'a' AND " + read, "And (2)\n  ActionMatches"},
		// x/a and x/b select different bodies that start alike; x/d and x/e the same body.
		{"dispatch", blocks, "case [\"X/B\"]:"},
		{"dispatch", blocks, "case [\"X/D\" \"X/E\"]:"},
	}
	for _, c := range cases {
		u := lowerSrc(t, c.src)
		var pass optimize.Pass
		for _, p := range optimize.All() {
			if p.Name == c.pass {
				pass = p
			}
		}
		optimize.Run(u, []optimize.Pass{pass})
		got := ir.Print(u)
		if !strings.Contains(got, c.want) {
			t.Errorf("%s on %s:\ngot\n%s\nwant it to contain %q", c.pass, c.src, got, c.want)
		}
	}
}

func TestSortedSets(t *testing.T) {
	u := lowerSrc(t, name+" StringEquals {'a','b','c','d','e','f','g','h','i','j'} AND "+name+" StringEquals {'a','b'}")
	optimize.Run(u, []optimize.Pass{{Name: "lower", Run: optimize.Lower}})
	if !u.Consts[0].Sorted || u.Consts[1].Sorted {
		t.Errorf("want only the large set sorted: %+v", u.Consts)
	}
}

// TestSimplifyWideNodes checks the simplifications on AND/OR nodes with more leaves than the
// simplifier compares pairwise (it hashes them beyond that, and constants past 64 classes),
// and on narrow ones alike.
func TestSimplifyWideNodes(t *testing.T) {
	tag := func(i int) string {
		return fmt.Sprintf("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:k%d<$key_case_sensitive$>]", i)
	}
	for _, n := range []int{3, 40, 100} {
		var or, and []string
		for i := range n {
			or = append(or, fmt.Sprintf("%s StringEquals 'v%d'", name, i))
			and = append(and, tag(i)+" StringEquals 'a'")
		}
		cases := []struct {
			what string
			src  string
			want string // ir.Print of the simplified unit starts with it
		}{
			{"duplicates", strings.Join(append(or, or[1], name+" StringEquals {'v2'}"), " OR "), fmt.Sprintf("Or (%d)", n)},
			{"complement", strings.Join(append(or, "NOT "+or[n-1]), " OR "), "true"},
			{"absorption", strings.Join(append(and, "("+and[1]+" OR "+link+" BoolEquals true)"), " AND "), fmt.Sprintf("And (%d)", n)},
			{"contradiction", strings.Join(append(and, tag(n-1)+" StringEquals 'b'"), " AND "), "false"},
			{"no contradiction", strings.Join(append(and, tag(n-1)+" StringEquals {'a', 'b'}"), " AND "), fmt.Sprintf("And (%d)", n+1)},
			// The second OR is simplified after the first and must not see its leaves.
			{"one node after another", "(" + strings.Join(or, " OR ") + ") AND (" + or[1] + " OR " + link + " BoolEquals true)", "And (2)"},
		}
		for _, c := range cases {
			u := lowerSrc(t, c.src)
			optimize.Run(u, []optimize.Pass{{Name: "simplify", Run: optimize.Simplify}})
			if got := ir.Print(u); !strings.HasPrefix(got, c.want) {
				t.Errorf("%d leaves, %s: got\n%s\nwant it to start with %q", n, c.what, got, c.want)
			}
		}
	}
}
