package bench

import (
	"fmt"
	"github.com/abacc/abacc/internal/hooks"
	"strings"
	"sync"
	"testing"

	"github.com/abacc/abacc"
)

// The scaling benchmarks show how the cost of one decision (optimized VM, Program.Eval) grows
// with one dimension of the condition or the request while the rest stays fixed:
//
//   - BenchmarkScalingClauses: an OR of N distinct comparisons that are all false, and an AND of
//     N that are all true, so that the whole chain runs (N = 1, 10, 100, 1000);
//   - BenchmarkScalingSetSize: a container name in a set of N names (N = 1 … 65,536), a hit and a
//     miss, case-sensitive and IgnoreCase, and a role definition id ForAnyOfAnyValues:GuidEquals
//     a set of N GUIDs. 65,536 is the language's limit on the members of one set (language.md,
//     "Limits"); the GUID sets stop at 27,000, the most that fit in the 1 MiB limit on a
//     condition's source (38 bytes per member);
//   - BenchmarkScalingStringLength: StringEquals, StringStartsWith (a prefix of half the value),
//     StringLike '*needle*' (absent, so the whole value is searched) and StringEqualsIgnoreCase
//     on values of 16 B to 64 KiB (×4 steps);
//   - BenchmarkScalingPattern: StringLike and StringLikeIgnoreCase with k stars, `*a*a…*a*b`
//     (k = 1 … 64), against values of 1 KiB and 64 KiB: "miss" is "aaa…a" (the pattern's
//     example: no final b), "hit" is "aaa…ab", "scan" is "bbb…b" (the suffix matches, the a's must
//     be searched for through the whole value; a hit for k = 1).
//
// Conditions are compiled and requests filled (typed setters) before the timer starts; one op is
// one decision. TestScalingLinear checks that every condition compiles and decides as expected
// at every size; TestScalingZeroAllocs that none of them allocates.

// Attribute references of the scaling conditions.
const (
	refContainer = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]"
	refPath      = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]"
	refAccount   = "@Resource[Microsoft.Storage/storageAccounts:name]"
	refProject   = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>]"
	refRoleDef   = "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]"

	actionBlobRead   = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
	actionRoleAssign = "Microsoft.Authorization/roleAssignments/write"
)

// scaleCase is one condition and request of a scaling benchmark.
type scaleCase struct {
	// name is the sub-benchmark path, e.g. "or/n=1000" or "StringEquals/n=65536/hit".
	name string
	src  string
	// action and sets describe the request: sets maps attribute references to a string value
	// (SetString; SetGuid for refRoleDef).
	action string
	sets   [][2]string
	expect bool
	// minCode, if positive, is a lower bound on the number of instructions: the comparisons
	// must stay separate tests (nothing merges them into one).
	minCode int

	once sync.Once
	prog *abacc.Program
	err  error
}

func (c *scaleCase) program(tb testing.TB) *abacc.Program {
	tb.Helper()
	c.once.Do(func() { c.prog, c.err = abacc.Compile(c.src) })
	if c.err != nil {
		tb.Fatalf("%s: compile: %v", c.name, c.err)
	}
	return c.prog
}

// request fills a new request through the typed setters.
func (c *scaleCase) request(tb testing.TB) *abacc.Request {
	tb.Helper()
	r := abacc.NewRequest()
	r.SetAction(c.action)
	for _, kv := range c.sets {
		a, err := abacc.LookupAttr(kv[0])
		if err != nil {
			tb.Fatalf("%s: %v", c.name, err)
		}
		if kv[0] == refRoleDef {
			err = r.SetGuid(a, kv[1])
		} else {
			err = r.SetString(a, kv[1])
		}
		if err != nil {
			tb.Fatalf("%s: %v", c.name, err)
		}
	}
	return r
}

// runScaling benchmarks Eval of each case on its request.
func runScaling(b *testing.B, cases []*scaleCase) {
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			prog, r := c.program(b), c.request(b)
			if got := prog.Eval(r); got != c.expect {
				b.Fatalf("decides %v, want %v", got, c.expect)
			}
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				if prog.Eval(r) {
					n++
				}
			}
			sink += n
		})
	}
}

// sizeName names a byte length: 16, 256, 1Ki, 64Ki.
func sizeName(n int) string {
	if n >= 1024 && n%1024 == 0 {
		return fmt.Sprintf("%dKi", n/1024)
	}
	return fmt.Sprint(n)
}

// ---- clauses ----

var clauseSizes = []int{1, 10, 100, 1000}

// clauseCondition joins n distinct comparisons over four attributes with OR (each false on
// clauseRequest) or, negated, with AND (each true on it).
func clauseCondition(n int, and bool) string {
	eq, starts, join := "StringEquals", "StringStartsWith", " OR "
	if and {
		eq, starts, join = "StringNotEquals", "StringNotStartsWith", " AND "
	}
	parts := make([]string, n)
	for i := range parts {
		switch i % 4 {
		case 0:
			parts[i] = fmt.Sprintf("%s %s 'c%d'", refContainer, eq, i)
		case 1:
			parts[i] = fmt.Sprintf("%s %s 'p%d/'", refPath, starts, i)
		case 2:
			parts[i] = fmt.Sprintf("%s %s 'a%d'", refAccount, eq, i)
		case 3:
			parts[i] = fmt.Sprintf("%s %s 'v%d'", refProject, eq, i)
		}
	}
	return strings.Join(parts, join)
}

var clauseRequest = [][2]string{
	{refContainer, "zzz"},
	{refPath, "zzz/file.txt"},
	{refAccount, "zzz"},
	{refProject, "zzz"},
}

var clauseCases = sync.OnceValue(func() []*scaleCase {
	var out []*scaleCase
	for _, and := range []bool{false, true} {
		shape := "or"
		if and {
			shape = "and"
		}
		for _, n := range clauseSizes {
			out = append(out, &scaleCase{
				name:    fmt.Sprintf("%s/n=%d", shape, n),
				src:     clauseCondition(n, and),
				action:  actionBlobRead,
				sets:    clauseRequest,
				expect:  and,
				minCode: n,
			})
		}
	}
	return out
})

// BenchmarkScalingClauses: an OR of N false comparisons and an AND of N true ones.
func BenchmarkScalingClauses(b *testing.B) { runScaling(b, clauseCases()) }

// ---- set size ----

var (
	setSizes = []int{1, 10, 100, 1000, 10000, 65536} // 65,536: the language's limit on a set
	// guidSetSizes stop at the most GUIDs a condition of at most 1 MiB can hold.
	guidSetSizes = []int{1, 10, 100, 1000, 10000, 27000}
)

// setName is the i-th container name of the sets ('c00000' … 'c65535').
func setName(i int) string { return fmt.Sprintf("c%05d", i) }

// setGuid is the i-th GUID of the GUID sets: distinct, and spread by a multiplicative hash so
// that sorting shuffles them.
func setGuid(i int) string {
	return fmt.Sprintf("%08x-%04x-4abc-8def-%012x", uint32(i)*2654435761, i&0xffff, i)
}

const (
	setMissName = "c99999" // no set member: they stop at c65535
	setMissGuid = "ffffffff-ffff-4fff-8fff-ffffffffffff"
)

func setLiteral(n int, member func(int) string, quote bool) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		if quote {
			b.WriteString("'" + member(i) + "'")
		} else {
			b.WriteString(member(i))
		}
	}
	b.WriteByte('}')
	return b.String()
}

var setCases = sync.OnceValue(func() []*scaleCase {
	var out []*scaleCase
	add := func(op string, n int, src, action, ref, hit, miss string) {
		out = append(out,
			&scaleCase{name: fmt.Sprintf("%s/n=%d/hit", op, n), src: src, action: action, sets: [][2]string{{ref, hit}}, expect: true},
			&scaleCase{name: fmt.Sprintf("%s/n=%d/miss", op, n), src: src, action: action, sets: [][2]string{{ref, miss}}, expect: false})
	}
	for _, n := range setSizes {
		// The hit is the last member: the worst case of the linear scan of small sets.
		add("StringEquals", n, refContainer+" StringEquals "+setLiteral(n, setName, true),
			actionBlobRead, refContainer, setName(n-1), setMissName)
	}
	for _, n := range setSizes {
		add("StringEqualsIgnoreCase", n, refContainer+" StringEqualsIgnoreCase "+setLiteral(n, setName, true),
			actionBlobRead, refContainer, strings.ToUpper(setName(n-1)), strings.ToUpper(setMissName))
	}
	for _, n := range guidSetSizes {
		add("AnyOfAnyGuidEquals", n, refRoleDef+" ForAnyOfAnyValues:GuidEquals "+setLiteral(n, setGuid, false),
			actionRoleAssign, refRoleDef, strings.ToUpper(setGuid(n-1)), setMissGuid)
	}
	return out
})

// BenchmarkScalingSetSize: membership of a container name (and of a GUID) in a set of N.
func BenchmarkScalingSetSize(b *testing.B) { runScaling(b, setCases()) }

// ---- string length ----

var stringLengths = []int{16, 64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10}

// lengthValue returns a deterministic pseudo-random lower-case value of n bytes without the
// letter n, so that it never contains "needle".
func lengthValue(n int) string {
	const alphabet = "abcdefghijklmopqrstuvwxyz"
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = alphabet[x%uint32(len(alphabet))]
	}
	return string(b)
}

var lengthCases = sync.OnceValue(func() []*scaleCase {
	var out []*scaleCase
	ops := []struct {
		name   string
		cond   func(v string) string
		expect bool
	}{
		// Equal values: the whole value is compared.
		{"StringEquals", func(v string) string { return refPath + " StringEquals '" + v + "'" }, true},
		// A prefix of half the value.
		{"StringStartsWith", func(v string) string { return refPath + " StringStartsWith '" + v[:len(v)/2] + "'" }, true},
		// An absent needle: the whole value is searched.
		{"StringLike", func(string) string { return refPath + " StringLike '*needle*'" }, false},
		// The value in upper case: every byte is folded and compared.
		{"StringEqualsIgnoreCase", func(v string) string { return refPath + " StringEqualsIgnoreCase '" + strings.ToUpper(v) + "'" }, true},
	}
	for _, op := range ops {
		for _, n := range stringLengths {
			v := lengthValue(n)
			out = append(out, &scaleCase{
				name:   fmt.Sprintf("%s/len=%s", op.name, sizeName(n)),
				src:    op.cond(v),
				action: actionBlobRead,
				sets:   [][2]string{{refPath, v}},
				expect: op.expect,
			})
		}
	}
	return out
})

// BenchmarkScalingStringLength: string tests on values of 16 B to 64 KiB.
func BenchmarkScalingStringLength(b *testing.B) { runScaling(b, lengthCases()) }

// ---- pattern complexity ----

var (
	patternStars   = []int{1, 2, 4, 8, 16, 32, 64}
	patternLengths = []int{1 << 10, 64 << 10}
)

// starPattern is `*a*a…*a*b` with k stars.
func starPattern(k int) string { return strings.Repeat("*a", k-1) + "*b" }

var patternCases = sync.OnceValue(func() []*scaleCase {
	var out []*scaleCase
	for _, op := range []string{"StringLike", "StringLikeIgnoreCase"} {
		for _, n := range patternLengths {
			values := []struct {
				name   string
				value  string
				expect func(k int) bool
			}{
				{"miss", strings.Repeat("a", n), func(int) bool { return false }},
				{"hit", strings.Repeat("a", n-1) + "b", func(int) bool { return true }},
				{"scan", strings.Repeat("b", n), func(k int) bool { return k == 1 }},
			}
			for _, k := range patternStars {
				src := fmt.Sprintf("%s %s '%s'", refPath, op, starPattern(k))
				for _, v := range values {
					out = append(out, &scaleCase{
						name:   fmt.Sprintf("%s/len=%s/k=%d/%s", op, sizeName(n), k, v.name),
						src:    src,
						action: actionBlobRead,
						sets:   [][2]string{{refPath, v.value}},
						expect: v.expect(k),
					})
				}
			}
		}
	}
	return out
})

// BenchmarkScalingPattern: StringLike with 1 to 64 stars on values of 1 KiB and 64 KiB.
func BenchmarkScalingPattern(b *testing.B) { runScaling(b, patternCases()) }

// ---- tests ----

// scalingDims are the case lists of the scaling benchmarks, by benchmark.
var scalingDims = []struct {
	name  string
	cases func() []*scaleCase
}{
	{"Clauses", clauseCases},
	{"SetSize", setCases},
	{"StringLength", lengthCases},
	{"Pattern", patternCases},
}

// TestScalingLinear checks, without timing anything, that every condition of the scaling
// benchmarks compiles at every size and that the optimized VM, the unoptimized VM and the
// reference interpreter all reach the expected decision on its request; and that the chains of
// the clause benchmark stay one test per comparison.
func TestScalingLinear(t *testing.T) {
	for _, d := range scalingDims {
		t.Run(d.name, func(t *testing.T) {
			for _, c := range d.cases() {
				prog, r := c.program(t), c.request(t)
				if got := prog.Eval(r); got != c.expect {
					t.Errorf("%s: Eval decides %v, want %v", c.name, got, c.expect)
				}
				if got := prog.EvalReference(r); got != c.expect {
					t.Errorf("%s: EvalReference decides %v, want %v", c.name, got, c.expect)
				}
				p0, err := compileOpts(c.src, hooks.Options{NoOptimize: true})
				if err != nil {
					t.Fatalf("%s: compile without optimizer: %v", c.name, err)
				}
				if got := p0.Eval(r); got != c.expect {
					t.Errorf("%s: Eval (NoOptimize) decides %v, want %v", c.name, got, c.expect)
				}
				if code := hooks.Bytecode(prog).Len(); code < c.minCode {
					t.Errorf("%s: %d instructions for %d comparisons: comparisons were merged", c.name, code, c.minCode)
				}
			}
		})
	}
}

// TestScalingZeroAllocs asserts that Eval allocates nothing on any scaling condition.
func TestScalingZeroAllocs(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("allocation counts are not meaningful under -cover or -race")
	}
	for _, d := range scalingDims {
		for _, c := range d.cases() {
			prog, r := c.program(t), c.request(t)
			if allocs := testing.AllocsPerRun(10, func() {
				if prog.Eval(r) {
					sink++
				}
			}); allocs != 0 {
				t.Errorf("%s/%s: Eval: %v allocs/op, want 0", d.name, c.name, allocs)
			}
		}
	}
}
