package optimize_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/lower"
	"github.com/abacc/abacc/internal/optimize"
	"github.com/abacc/abacc/internal/syntax/ast"
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
		{"lower", path + " StringLike '*logs*'", "StringContains k1='logs'"},
		{"lower", path + " StringLike '*\\**'", "StringContains k1='*'"},
		{"lower", path + " StringLikeIgnoreCase '*logs*'", "StringLikeIgnoreCase k0='*logs*'"},
		{"lower", path + " StringLike '*a*b*'", "StringLike k0='*a*b*'"},
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

// TestEmptyTableFolds: a time-of-day test whose table holds no second is false (its negation
// true), whatever the request; fold decides it.
func TestEmptyTableFolds(t *testing.T) {
	for src, want := range map[string]string{
		"@Environment[UtcNow] TimeOfDayLessThan '00:00'":           "false\n",
		"NOT @Environment[UtcNow] TimeOfDayGreaterThan '23:59:59'": "true\n",
		"@Environment[UtcNow] TimeOfDayLessThan '00:00:01'":        "TimeOfDayInRange",
	} {
		u := compiler.Frontend("t", src, compiler.Options{Dialect: ast.Extended})
		if !u.OK() {
			t.Fatalf("%s\n%s", src, u.File.FormatAll(&u.Diags))
		}
		l := lower.Lower(u.Expr, src)
		optimize.Run(l, []optimize.Pass{{Name: "fold", Run: optimize.Fold}})
		if got := ir.Print(l); !strings.HasPrefix(got, want) && !strings.Contains(got, want) {
			t.Errorf("%s folds to\n%s\nwant %q", src, got, want)
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

// TestDispatchManyPatterns checks the grouping of patterns into cases when there are more
// patterns and cases than dispatch compares one by one.
func TestDispatchManyPatterns(t *testing.T) {
	pats := func(from, to int) string {
		var ps []string
		for i := from; i < to; i++ {
			ps = append(ps, fmt.Sprintf("'x/%d'", i))
		}
		return strings.Join(ps, ", ")
	}
	block := func(from, to int, body string) string {
		return "(NOT ActionMatches{" + pats(from, to) + "} OR " + name + " StringEquals '" + body + "')"
	}
	// Patterns 0-9 select b1, 10-24 b1 and b2, 25-29 b2, 30-34 b2 and b3, 35-39 b3; and 40 +
	// i (i < 20) each its own block, so that there are more than 16 cases.
	src := block(0, 25, "b1") + " AND " + block(10, 35, "b2") + " AND " + block(30, 40, "b3")
	for i := range 20 {
		src += " AND " + block(40+i, 41+i, fmt.Sprint("c", i))
	}
	u := lowerSrc(t, src)
	optimize.Run(u, []optimize.Pass{{Name: "dispatch", Run: optimize.Dispatch}})
	got := ir.Print(u)
	want := []string{"Switch on action (25 cases, otherwise true)",
		`case ["X/0" "X/1" "X/2" "X/3" "X/4" "X/5" "X/6" "X/7" "X/8" "X/9"]:`,
		`case ["X/10" "X/11" "X/12" "X/13" "X/14" "X/15" "X/16" "X/17" "X/18" "X/19" "X/20" "X/21" "X/22" "X/23" "X/24"]:`,
		`case ["X/25" "X/26" "X/27" "X/28" "X/29"]:`, `case ["X/30" "X/31" "X/32" "X/33" "X/34"]:`,
		`case ["X/35" "X/36" "X/37" "X/38" "X/39"]:`, `case ["X/59"]:`}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("dispatch of many patterns: got\n%s\nwant it to contain %q", got, w)
		}
	}
}
