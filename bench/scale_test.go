package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/abacc/abacc/internal/hooks"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/rbac"
)

// The growth suite: for every input dimension of abacc (request keys and bytes, set members,
// clauses, nesting, string lengths, StringLike stars, bundle programs, explanation steps, table-test
// cases and files, RBAC assignments, groups and scope depth), one operation measured at n, 10n
// and 100n with everything else fixed.
//
//   - BenchmarkScale<Dimension>/n=N runs the operation under the benchmark harness (ns/op,
//     allocs/op): `go test -run '^$' -bench Scale -benchmem ./bench`.
//   - TestScaling (only with ABACC_SCALING=1, never in -short mode; `make scaling`) measures the
//     CPU time (of the measuring thread and of the abacc children it waited for, so that neither
//     time spent descheduled on a loaded machine nor the runtime's background work counts; see
//     scaleClock) and the bytes allocated by one operation at
//     each size, the median of samples taken in interleaved rounds, with the garbage collector
//     paused during a sample (see growthSize.sample). It fails when time or allocation grows more
//     than 20× while n grows 10× (from n to 10n or from 10n to 100n): linear growth is at most 10×
//     (less when a fixed cost dominates at n), quadratic growth is 100×. It logs a Markdown table
//     and writes it to $ABACC_SCALING_OUT (a relative path is taken from the module root):
//     `make scaling` writes bench/SCALING.md.
//
// The `abacc test` logic lives in package main, so its dimensions build the binary once (go build
// ./cmd/abacc into a temporary directory) and time whole runs of it, process start included.
//
// Every operation is checked once before it is timed (the request reads back, the program
// decides as expected, the bundle holds n programs, `abacc test` reports n passes), so that no
// row times an error path.

const (
	growthEnvVar = "ABACC_SCALING"
	growthOutEnv = "ABACC_SCALING_OUT"
	// growthLimit is the most a dimension's cost may grow when n grows 10×.
	growthLimit = 20.0
	// growthSample is the least CPU time of one sample: the operation repeats until it is spent.
	growthSample = 20 * time.Millisecond
	// growthReps is the number of samples at n and at 10n; their median is the cost.
	growthReps = 7
	// growthBudget100 bounds the time spent sampling 100n (at least three samples are taken),
	// and growthMax100 the cost of one operation at 100n beyond which 100n is not sampled at all.
	growthBudget100 = 4 * time.Second
	growthMax100    = 5 * time.Second
)

// growthOp is one operation of a dimension at one size; it returns an error when the result is
// not the expected one.
type growthOp func() error

// growthDim is one input dimension.
type growthDim struct {
	key  string // benchmark and subtest name
	name string // the table's row label
	op   string // what one operation is
	unit string // what n counts
	n    int    // the base size: measured at n, 10n and 100n
	// limit, if set, replaces growthLimit (Bundle.Program must be O(1)).
	limit float64
	// relTo names the dimension (same n) whose cost this row's note compares against.
	relTo, relName string
	prepare        func(tb testing.TB, env *growthEnv, n int) growthOp
}

// growthDims are the dimensions, in table order.
var growthDims = []growthDim{
	{key: "request-keys", name: "request JSON keys", op: "Request.UnmarshalJSON", unit: "blob index tags", n: 1000, prepare: prepRequestKeys},
	{key: "request-bytes", name: "request bytes", op: "Request.UnmarshalJSON", unit: "bytes of one string value", n: 16 << 10, prepare: prepRequestBytes},
	{key: "set-compile", name: "set members (compile)", op: "Compile", unit: "members of a ForAnyOfAnyValues set", n: 500, prepare: prepSetCompile},
	{key: "set-eval", name: "set members (eval)", op: "Program.Eval", unit: "members of a ForAnyOfAnyValues set", n: 500, prepare: prepSetEval},
	{key: "clauses-compile", name: "clauses (compile)", op: "Compile", unit: "ORed comparisons", n: 100, prepare: prepClausesCompile},
	{key: "clauses-eval", name: "clauses (eval)", op: "Program.Eval", unit: "ORed comparisons, all false", n: 100, prepare: prepClausesEval},
	{key: "explain", name: "explanation steps", op: "Program.Explain", unit: "ORed comparisons on one line", n: 100,
		relTo: "clauses-eval", relName: "Eval", prepare: prepExplain},
	{key: "nesting-compile", name: "nesting depth (compile)", op: "Compile", unit: "levels of parentheses", n: 10, prepare: prepNesting},
	{key: "nesting-or-compile", name: "nesting depth, an OR a level (compile)", op: "Compile", unit: "levels of `a OR (…)`", n: 10, prepare: prepNestingOr},
	{key: "string-equals", name: "string length, StringEquals", op: "Program.Eval", unit: "bytes of value and constant", n: 1 << 10, prepare: prepStringEquals},
	{key: "string-like", name: "string length, StringLike", op: "Program.Eval", unit: "bytes of value (`*needle*`, absent)", n: 1 << 10, prepare: prepStringLike},
	{key: "string-ignorecase", name: "string length, StringEqualsIgnoreCase", op: "Program.Eval", unit: "bytes of value and constant", n: 1 << 10, prepare: prepStringIgnoreCase},
	{key: "like-stars", name: "StringLike stars", op: "Program.Eval", unit: "`*` in the pattern (value: 4 KiB)", n: 8, prepare: prepLikeStars},
	{key: "bundle-write-load", name: "bundle programs (write+load)", op: "WriteBundle + LoadBundle", unit: "programs", n: 1000, prepare: prepBundleWriteLoad},
	{key: "bundle-write", name: "bundle programs (write)", op: "WriteBundle", unit: "programs", n: 1000, prepare: prepBundleWrite},
	{key: "bundle-load", name: "bundle programs (load)", op: "LoadBundle", unit: "programs", n: 1000, prepare: prepBundleLoad},
	{key: "bundle-lookup", name: "bundle lookup", op: "Bundle.Program(last name)", unit: "programs", n: 1000, limit: 3, prepare: prepBundleLookup},
	{key: "test-cases", name: "test-file cases (inline)", op: "abacc test (binary)", unit: "cases with inline requests", n: 100, prepare: prepTestCases},
	{key: "test-requestfiles", name: "test-file cases (requestFile, absolute path)", op: "abacc test /abs/FILE", unit: "cases with a requestFile", n: 100, prepare: prepTestRequestFiles},
	{key: "test-files", name: "test files (absolute paths)", op: "abacc test /abs/F1 … /abs/Fn", unit: "test files of one case", n: 10, prepare: prepTestFiles},
	{key: "rbac-load", name: "RBAC assignments (load)", op: "rbac.Load", unit: "role assignments", n: 500, prepare: prepRBACLoad},
	{key: "rbac-groups", name: "RBAC principal groups (decide)", op: "Engine.Decide", unit: "groups of the principal, each assigned", n: 100, prepare: prepRBACGroups},
	{key: "rbac-depth", name: "RBAC scope depth (decide)", op: "SetResource + Engine.Decide", unit: "segments of the resource id", n: 10, prepare: prepRBACDepth},
}

func growthDimByKey(key string) *growthDim {
	for i := range growthDims {
		if growthDims[i].key == key {
			return &growthDims[i]
		}
	}
	panic("no growth dimension " + key)
}

// growthEnv is what the dimensions of one test or benchmark share: the abacc binary, built on
// first use into a directory of the root test.
type growthEnv struct {
	root testing.TB
	once sync.Once
	bin  string
	err  error
}

func (e *growthEnv) binary(tb testing.TB) string {
	tb.Helper()
	e.once.Do(func() {
		gobin, err := exec.LookPath("go")
		if err != nil {
			e.err = fmt.Errorf("the `abacc test` dimensions build the binary and need the go command: %v", err)
			return
		}
		e.bin = filepath.Join(e.root.TempDir(), "abacc")
		if runtime.GOOS == "windows" {
			e.bin += ".exe"
		}
		cmd := exec.Command(gobin, "build", "-o", e.bin, "./cmd/abacc")
		cmd.Dir = ".." // the module root
		if out, err := cmd.CombinedOutput(); err != nil {
			e.err = fmt.Errorf("go build ./cmd/abacc: %v\n%s", err, out)
		}
	})
	if e.err != nil {
		tb.Fatal(e.err)
	}
	return e.bin
}

// ---- the benchmarks ----

func benchGrowth(b *testing.B, key string) {
	d := growthDimByKey(key)
	env := &growthEnv{root: b}
	for _, n := range []int{d.n, 10 * d.n, 100 * d.n} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			op := d.prepare(b, env, n)
			b.ReportAllocs()
			for b.Loop() {
				if err := op(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkScaleRequestKeys(b *testing.B)         { benchGrowth(b, "request-keys") }
func BenchmarkScaleRequestBytes(b *testing.B)        { benchGrowth(b, "request-bytes") }
func BenchmarkScaleSetCompile(b *testing.B)          { benchGrowth(b, "set-compile") }
func BenchmarkScaleSetEval(b *testing.B)             { benchGrowth(b, "set-eval") }
func BenchmarkScaleClausesCompile(b *testing.B)      { benchGrowth(b, "clauses-compile") }
func BenchmarkScaleClausesEval(b *testing.B)         { benchGrowth(b, "clauses-eval") }
func BenchmarkScaleExplain(b *testing.B)             { benchGrowth(b, "explain") }
func BenchmarkScaleNestingCompile(b *testing.B)      { benchGrowth(b, "nesting-compile") }
func BenchmarkScaleNestingOrCompile(b *testing.B)    { benchGrowth(b, "nesting-or-compile") }
func BenchmarkScaleStringEquals(b *testing.B)        { benchGrowth(b, "string-equals") }
func BenchmarkScaleStringLike(b *testing.B)          { benchGrowth(b, "string-like") }
func BenchmarkScaleStringIgnoreCase(b *testing.B)    { benchGrowth(b, "string-ignorecase") }
func BenchmarkScaleLikeStars(b *testing.B)           { benchGrowth(b, "like-stars") }
func BenchmarkScaleBundleWriteLoad(b *testing.B)     { benchGrowth(b, "bundle-write-load") }
func BenchmarkScaleBundleWrite(b *testing.B)         { benchGrowth(b, "bundle-write") }
func BenchmarkScaleBundleLoad(b *testing.B)          { benchGrowth(b, "bundle-load") }
func BenchmarkScaleBundleLookup(b *testing.B)        { benchGrowth(b, "bundle-lookup") }
func BenchmarkScaleTestCases(b *testing.B)           { benchGrowth(b, "test-cases") }
func BenchmarkScaleTestRequestFiles(b *testing.B)    { benchGrowth(b, "test-requestfiles") }
func BenchmarkScaleTestFiles(b *testing.B)           { benchGrowth(b, "test-files") }
func BenchmarkScaleRBACLoad(b *testing.B)            { benchGrowth(b, "rbac-load") }
func BenchmarkScaleRBACPrincipalGroups(b *testing.B) { benchGrowth(b, "rbac-groups") }
func BenchmarkScaleRBACScopeDepth(b *testing.B)      { benchGrowth(b, "rbac-depth") }

// ---- the test ----

// growthSize is one size of a dimension being measured.
type growthSize struct {
	n       int
	op      growthOp
	iters   int       // operations per sample
	est     float64   // CPU ns of one operation, from calibration
	samples []float64 // CPU ns per operation
	bytes   []float64 // bytes allocated per operation
	skipped bool      // 100n too costly to sample
}

// calibrate runs the operation for a few milliseconds to choose how many operations make a
// sample of growthSample.
func (s *growthSize) calibrate() error {
	runtime.GC()
	start, k := scaleClock(), 0
	for {
		if err := s.op(); err != nil {
			return err
		}
		k++
		if scaleClock()-start >= (5 * time.Millisecond).Nanoseconds() {
			break
		}
	}
	s.est = float64(scaleClock()-start) / float64(k)
	s.iters = max(1, int(float64(growthSample.Nanoseconds())/s.est+0.5))
	return nil
}

// sample measures the CPU time and the allocation of s.iters operations. The garbage collector
// is paused while they run and collects, untimed, before: how much a collection costs depends
// on everything else the process holds (the inputs of the other sizes) and on when it happens
// to start, not on the dimension; what the dimension makes it do is its allocation, measured
// exactly and checked like the time. One untimed operation after the collection refills what
// the operation pools (the request decoder's state, emptied by the collection or shrunk by
// another size), so that every sample sees the steady state of its own size.
//
// A sample that took less than half of growthSample (calibration ran while the machine or the
// runtime was busy) doubles the operations of the next.
func (s *growthSize) sample() error {
	runtime.GC()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	if err := s.op(); err != nil {
		return err
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	c0 := scaleClock()
	for range s.iters {
		if err := s.op(); err != nil {
			return err
		}
	}
	c1 := scaleClock()
	runtime.ReadMemStats(&m1)
	s.samples = append(s.samples, float64(c1-c0)/float64(s.iters))
	s.bytes = append(s.bytes, float64(m1.TotalAlloc-m0.TotalAlloc)/float64(s.iters))
	if c1-c0 < growthSample.Nanoseconds()/2 && s.iters < 1<<30 {
		s.iters *= 2
	}
	return nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// growthRow is the measurement of one dimension.
type growthRow struct {
	dim      *growthDim
	n        [3]int
	cost     [3]float64 // CPU ns per operation; cost[2] is 0 when 100n was not sampled
	alloc    [3]float64 // bytes allocated per operation
	samples  [3]int
	ratio    [2]float64 // cost(10n)/cost(n), cost(100n)/cost(10n) (0: not measured)
	aratio   [2]float64 // the same for the allocation (0: not measured, or too small to judge)
	first    string     // the ratios of a first measurement that exceeded the limit
	failed   bool
	note     string
	prepared time.Duration
}

func (d *growthDim) limitOr() float64 {
	if d.limit > 0 {
		return d.limit
	}
	return growthLimit
}

// measureGrowth samples n, 10n and 100n interleaved: each round samples every size, in
// alternating order, so that a noisy stretch of the machine hits them alike.
func measureGrowth(sizes []*growthSize) error {
	for _, s := range sizes {
		s.samples, s.bytes = s.samples[:0], s.bytes[:0]
	}
	reps100 := 0
	if big := sizes[2]; !big.skipped {
		per := max(float64(growthSample.Nanoseconds()), big.est)
		reps100 = min(growthReps, max(3, int(float64(growthBudget100.Nanoseconds())/per)))
	}
	for r := range growthReps {
		order := []int{0, 1, 2}
		if r%2 == 1 {
			order = []int{2, 1, 0}
		}
		for _, i := range order {
			if i == 2 && r >= reps100 {
				continue
			}
			if err := sizes[i].sample(); err != nil {
				return fmt.Errorf("n=%d: %v", sizes[i].n, err)
			}
		}
	}
	return nil
}

func (row *growthRow) fill(sizes []*growthSize) {
	for i, s := range sizes {
		row.n[i] = s.n
		row.cost[i] = median(s.samples)
		row.alloc[i] = median(s.bytes)
		row.samples[i] = len(s.samples)
	}
	for j := range 2 {
		row.ratio[j], row.aratio[j] = 0, 0
		if row.cost[j+1] > 0 {
			row.ratio[j] = row.cost[j+1] / row.cost[j]
		}
		// Allocation is judged where the larger size allocates at least growthMinAlloc.
		if row.cost[j+1] > 0 && row.alloc[j+1] >= growthMinAlloc {
			row.aratio[j] = row.alloc[j+1] / max(row.alloc[j], 1)
		}
	}
}

// growthMinAlloc is the least allocation per operation whose growth is judged.
const growthMinAlloc = 4 << 10

func (row *growthRow) over() bool {
	l := row.dim.limitOr()
	return row.ratio[0] > l || row.ratio[1] > l || row.aratio[0] > l || row.aratio[1] > l
}

// TestScaling measures every dimension at n, 10n and 100n and fails when cost grows more than
// 20× (Bundle.Program: 3×) while n grows 10×. A dimension over the limit is measured once more
// (both sizes again, so the ratio stays that of one run) before it fails; the table says so.
func TestScaling(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the scaling measurements take minutes")
	}
	if os.Getenv(growthEnvVar) != "1" {
		t.Skipf("set %s=1 (make scaling) to measure how cost grows with each input dimension", growthEnvVar)
	}
	env := &growthEnv{root: t}
	var rows []*growthRow
	for i := range growthDims {
		d := &growthDims[i]
		t.Run(d.key, func(t *testing.T) {
			// scaleClock reads this thread's CPU time: keep the goroutine on it.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			row := &growthRow{dim: d}
			rows = append(rows, row) // only the dimensions -run selects
			start := time.Now()
			sizes := make([]*growthSize, 3)
			for j, n := range []int{d.n, 10 * d.n, 100 * d.n} {
				sizes[j] = &growthSize{n: n, op: d.prepare(t, env, n)}
				if err := sizes[j].calibrate(); err != nil {
					t.Fatalf("n=%d: %v", n, err)
				}
			}
			if big := sizes[2]; big.est > float64(growthMax100.Nanoseconds()) {
				big.skipped = true
			}
			row.prepared = time.Since(start)
			if err := measureGrowth(sizes); err != nil {
				t.Fatal(err)
			}
			row.fill(sizes)
			if row.over() {
				row.first = "time " + ratiosText(row.ratio) + ", allocation " + ratiosText(row.aratio)
				if err := measureGrowth(sizes); err != nil {
					t.Fatal(err)
				}
				row.fill(sizes)
			}
			t.Logf("%s: %s; time %s; allocation %s (inputs built and calibrated in %v)", d.name, costsText(row),
				ratiosText(row.ratio), ratiosText(row.aratio), row.prepared.Round(time.Millisecond))
			if row.over() {
				row.failed = true
				t.Errorf("%s (%s over %s) grows faster than linearly: time %s, allocation %s, while n grows 10× each time "+
					"(limit %g×); %s", d.name, d.op, d.unit, ratiosText(row.ratio), ratiosText(row.aratio), d.limitOr(), costsText(row))
			}
		})
	}
	for _, row := range rows {
		if row.dim.relTo == "" || row.cost[1] == 0 {
			continue
		}
		for _, other := range rows {
			if other.dim.key == row.dim.relTo && other.cost[1] > 0 && other.n == row.n {
				row.note = fmt.Sprintf("%.0f× %s at n=%d", row.cost[1]/other.cost[1], row.dim.relName, row.n[1])
			}
		}
	}
	md := growthMarkdown(rows)
	t.Logf("\n%s", md)
	out := os.Getenv(growthOutEnv)
	if out == "" {
		return
	}
	if !filepath.IsAbs(out) {
		out = filepath.Join("..", out)
	}
	if err := os.WriteFile(out, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", out)
}

func costText(ns float64) string {
	switch {
	case ns <= 0:
		return "—"
	case ns < 1e3:
		return fmt.Sprintf("%.3g ns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	case ns < 1e9:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	}
	return fmt.Sprintf("%.3g s", ns/1e9)
}

func ratioText(r float64) string {
	if r <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f×", r)
}

func ratiosText(r [2]float64) string {
	return fmt.Sprintf("10n/n %s, 100n/10n %s", ratioText(r[0]), ratioText(r[1]))
}

func bytesText(b float64) string {
	switch {
	case b < 1<<10:
		return fmt.Sprintf("%.0f B", b)
	case b < 1<<20:
		return fmt.Sprintf("%.3g KiB", b/(1<<10))
	case b < 1<<30:
		return fmt.Sprintf("%.3g MiB", b/(1<<20))
	}
	return fmt.Sprintf("%.3g GiB", b/(1<<30))
}

func costsText(row *growthRow) string {
	var parts []string
	for i, n := range row.n {
		if row.cost[i] > 0 {
			parts = append(parts, fmt.Sprintf("n=%d %s %s", n, costText(row.cost[i]), bytesText(row.alloc[i])))
		} else {
			parts = append(parts, fmt.Sprintf("n=%d not sampled", n))
		}
	}
	return strings.Join(parts, ", ")
}

func growthMarkdown(rows []*growthRow) string {
	var b strings.Builder
	b.WriteString("# Scaling\n\n")
	b.WriteString("Generated by `TestScaling` in `bench/scale_test.go` (`make scaling`); do not edit by hand.\n\n")
	fmt.Fprintf(&b, "Each row is one input dimension of abacc, measured at n, 10n and 100n with everything else fixed.\n"+
		"**Time** is the %s per operation, the median of up to %d samples of at least %v of repeated operations.\n"+
		"The samples are taken in rounds that visit every size in turn, alternating the order, so that a noisy stretch of\n"+
		"the machine hits every size alike (100n is sampled fewer times, at least 3, when it is costly, and not at all beyond\n"+
		"%v an operation). The garbage collector is paused during a sample and collects, untimed, before it (followed by\n"+
		"one untimed operation that refills what the operation pools): what a collection costs depends on the rest of the\n"+
		"process, so the work a dimension gives the collector is judged by its **allocation** (bytes per operation), where\n"+
		"the larger size allocates at least %s.\n\n"+
		"A dimension fails when time or allocation grows more than %g× while n grows 10× (10n/n or 100n/10n): linear\n"+
		"growth is at most 10× (less where a fixed cost dominates at n), quadratic growth 100×. `Bundle.Program` must be\n"+
		"O(1): its limit is 3×. A dimension over its limit is measured once more (every size again, so that a ratio\n"+
		"always compares samples of one run) before it fails; the verdict then shows the first run's ratios.\n\n",
		scaleClockName, growthReps, growthSample, growthMax100, bytesText(growthMinAlloc), growthLimit)
	fmt.Fprintf(&b, "%s, %s/%s, %d CPUs, %s.\n\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(),
		time.Now().UTC().Format("2006-01-02 15:04 MST"))
	b.WriteString("| dimension | operation | n | time(n) | time(10n) | time(100n) | 10n/n | 100n/10n | alloc(n) | alloc(100n) | alloc 10n/n | alloc 100n/10n | verdict |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n")
	failed := 0
	for _, r := range rows {
		if r.cost[0] == 0 {
			fmt.Fprintf(&b, "| %s | %s | %d | — | — | — | — | — | — | — | — | — | not measured (see the test log) |\n", r.dim.name, r.dim.op, r.dim.n)
			failed++
			continue
		}
		verdict := "ok"
		if r.failed {
			verdict = fmt.Sprintf("**FAIL** (limit %g×)", r.dim.limitOr())
			failed++
		}
		if r.first != "" {
			verdict += "; remeasured, first run: " + r.first
		}
		if r.note != "" {
			verdict += "; " + r.note
		}
		alloc100 := "—"
		if r.cost[2] > 0 {
			alloc100 = bytesText(r.alloc[2])
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.dim.name, r.dim.op, r.n[0],
			costText(r.cost[0]), costText(r.cost[1]), costText(r.cost[2]), ratioText(r.ratio[0]), ratioText(r.ratio[1]),
			bytesText(r.alloc[0]), alloc100, ratioText(r.aratio[0]), ratioText(r.aratio[1]), verdict)
	}
	if failed == 0 {
		b.WriteString("\nNo dimension grows faster than linearly.\n")
	} else {
		fmt.Fprintf(&b, "\n**%d of %d dimensions fail: they grow faster than linearly (or could not be measured).**\n", failed, len(rows))
	}
	b.WriteString("\n## Dimensions\n\n")
	b.WriteString("| dimension | n counts | what is measured |\n| --- | --- | --- |\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", r.dim.name, r.dim.unit, growthAbout[r.dim.key])
	}
	return b.String()
}

// growthAbout describes each dimension's inputs for the table.
var growthAbout = map[string]string{
	"request-keys":       "`UnmarshalJSON` into a reused request of a document whose blob index tags dictionary has n keys",
	"request-bytes":      "`UnmarshalJSON` of a document whose blob path is one string of n bytes (with an escaped quote every 64 bytes)",
	"set-compile":        "`Compile` of `@Principal[…Engineering_Project] ForAnyOfAnyValues:StringEquals {n strings}`",
	"set-eval":           "`Eval` of that condition on 8 principal values, none in the set (false)",
	"clauses-compile":    "`Compile` of n distinct comparisons over three attributes joined by OR",
	"clauses-eval":       "`Eval` of that condition on a request where every comparison is false (the whole chain runs)",
	"explain":            "`Explain` of the clauses condition (one line) on the same request: n steps; the note compares it with `Eval`",
	"nesting-compile":    "`Compile` of one comparison inside n pairs of parentheses (the language's limit is 1,000)",
	"nesting-or-compile": "`Compile` of `a1 OR (a2 OR (… OR (an)))`: n nested parenthesized ORs",
	"string-equals":      "`Eval` of `path StringEquals 'v'` on an equal value of n bytes (not the same memory)",
	"string-like":        "`Eval` of `path StringLike '*needle*'` on a value of n bytes without it",
	"string-ignorecase":  "`Eval` of `path StringEqualsIgnoreCase 'V'` (upper case) on a value of n bytes",
	"like-stars":         "`Eval` of `path StringLike '*a*a…*a*b'` (n stars) on 4 KiB of `a` (no final b: false)",
	"bundle-write-load":  "`WriteBundle` (with sources) then `LoadBundle` of n named programs (100 distinct conditions)",
	"bundle-write":       "`WriteBundle` (with sources) of that bundle into a reused buffer",
	"bundle-load":        "`LoadBundle` of that bundle (sources parsed again, bytecode verified)",
	"bundle-lookup":      "`Bundle.Program` of the last name of a loaded bundle of n programs",
	"test-cases":         "the `abacc test` binary on one test file of n cases with inline requests (process start included)",
	"test-requestfiles":  "the `abacc test` binary on one test file, given by absolute path, of n cases each naming a requestFile",
	"test-files":         "the `abacc test` binary on n test files of one case each, given by absolute paths",
	"rbac-load":          "`rbac.Load` (built-in roles) of n role assignments over n/5 principals and n/5 resource groups, 5% with conditions",
	"rbac-groups":        "`Decide` for a principal in n groups, each group holding a Reader assignment at another resource group (NoRoleAssignment: all are examined)",
	"rbac-depth":         "`SetResource` (alternating two sibling ids) and `Decide` on a resource id of n segments; a Reader assignment at its parent allows",
}

// ---- the dimensions ----

const (
	attrTags    = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags"
	attrPath    = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path"
	refEngProj  = "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project]"
	attrEngProj = "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project"
)

func jsonText(tb testing.TB, v any) []byte {
	tb.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// expectEval is an operation that evaluates prog on r and wants want.
func expectEval(tb testing.TB, prog *abacc.Program, r *abacc.Request, want bool) growthOp {
	tb.Helper()
	op := func() error {
		if prog.Eval(r) != want {
			return fmt.Errorf("Eval decides %v, want %v", !want, want)
		}
		return nil
	}
	if err := op(); err != nil {
		tb.Fatal(err)
	}
	if got := prog.EvalReference(r); got != want {
		tb.Fatalf("EvalReference decides %v, want %v", got, want)
	}
	return op
}

func compileOp(tb testing.TB, src string) growthOp {
	tb.Helper()
	op := func() error {
		_, err := abacc.Compile(src)
		return err
	}
	if err := op(); err != nil {
		tb.Fatalf("compile (%d bytes): %.2000v", len(src), err)
	}
	return op
}

func prepRequestKeys(tb testing.TB, _ *growthEnv, n int) growthOp {
	tags := make(map[string]string, n)
	for i := range n {
		tags[fmt.Sprintf("k%07d", i)] = fmt.Sprintf("v%d", i)
	}
	doc := jsonText(tb, map[string]any{"action": actionBlobRead, "resource": map[string]any{attrTags: tags}})
	req := abacc.NewRequest()
	op := func() error { return req.UnmarshalJSON(doc) }
	if err := op(); err != nil {
		tb.Fatal(err)
	}
	last := mustCompile(tb, fmt.Sprintf("@Resource[%s:k%07d<$key_case_sensitive$>] StringEquals 'v%d'", attrTags, n-1, n-1), hooks.Options{})
	if !last.Eval(req) {
		tb.Fatal("the last tag does not read back")
	}
	return op
}

func prepRequestBytes(tb testing.TB, _ *growthEnv, n int) growthOp {
	v := []byte(lengthValue(n))
	for i := 63; i < n; i += 64 {
		v[i] = '"'
	}
	value := string(v)
	doc := jsonText(tb, map[string]any{"action": actionBlobRead, "resource": map[string]any{attrPath: value}})
	req := abacc.NewRequest()
	op := func() error { return req.UnmarshalJSON(doc) }
	if err := op(); err != nil {
		tb.Fatal(err)
	}
	// The value's two ends read back (a condition holding the whole value would pass the
	// 1 MiB limit on a condition at 100n).
	k := min(n, 1000)
	ends := mustCompile(tb, fmt.Sprintf("%s StringStartsWith '%s' AND %s StringLike '*%s'", refPath, value[:k], refPath, value[n-k:]), hooks.Options{})
	if !ends.Eval(req) {
		tb.Fatal("the value does not read back")
	}
	return op
}

func setCondition(n int) string {
	members := make([]string, n)
	for i := range members {
		members[i] = fmt.Sprintf("'m%06d'", i)
	}
	return refEngProj + " ForAnyOfAnyValues:StringEquals {" + strings.Join(members, ", ") + "}"
}

func prepSetCompile(tb testing.TB, _ *growthEnv, n int) growthOp {
	return compileOp(tb, setCondition(n))
}

func prepSetEval(tb testing.TB, _ *growthEnv, n int) growthOp {
	prog := mustCompile(tb, setCondition(n), hooks.Options{})
	values := make([]string, 8)
	for i := range values {
		values[i] = fmt.Sprintf("m%06dx", n-1-i) // after the last members in order, never equal
	}
	req := abacc.NewRequest()
	if err := req.UnmarshalJSON(jsonText(tb, map[string]any{"action": actionBlobRead, "principal": map[string]any{attrEngProj: values}})); err != nil {
		tb.Fatal(err)
	}
	return expectEval(tb, prog, req, false)
}

// orClauses is n distinct comparisons over three attributes (container name, path, account
// name) joined by OR on one line; each is false on orClauseRequest.
func orClauses(n int) string {
	parts := make([]string, n)
	for i := range parts {
		switch i % 4 {
		case 0:
			parts[i] = fmt.Sprintf("%s StringEquals 'c%d'", refContainer, i)
		case 1:
			parts[i] = fmt.Sprintf("%s StringStartsWith 'p%d/'", refPath, i)
		case 2:
			parts[i] = fmt.Sprintf("%s StringEquals 'a%d'", refAccount, i)
		case 3:
			parts[i] = fmt.Sprintf("%s StringStartsWith 'b%d'", refAccount, i)
		}
	}
	return strings.Join(parts, " OR ")
}

func orClauseRequest(tb testing.TB) *abacc.Request {
	return (&scaleCase{name: "clauses", action: actionBlobRead, sets: [][2]string{
		{refContainer, "zzz"}, {refPath, "zzz/file.txt"}, {refAccount, "zzz"}}}).request(tb)
}

func prepClausesCompile(tb testing.TB, _ *growthEnv, n int) growthOp {
	return compileOp(tb, orClauses(n))
}

func prepClausesEval(tb testing.TB, _ *growthEnv, n int) growthOp {
	return expectEval(tb, mustCompile(tb, orClauses(n), hooks.Options{}), orClauseRequest(tb), false)
}

func prepExplain(tb testing.TB, _ *growthEnv, n int) growthOp {
	prog := mustCompile(tb, orClauses(n), hooks.Options{})
	req := orClauseRequest(tb)
	op := func() error {
		ex := prog.Explain(req)
		if ex.Result || len(ex.Steps) != n {
			return fmt.Errorf("Explain: result %v with %d steps, want false with %d", ex.Result, len(ex.Steps), n)
		}
		return nil
	}
	if err := op(); err != nil {
		tb.Fatal(err)
	}
	return op
}

func prepNesting(tb testing.TB, _ *growthEnv, n int) growthOp {
	return compileOp(tb, strings.Repeat("(", n)+refContainer+" StringEquals 'c'"+strings.Repeat(")", n))
}

func prepNestingOr(tb testing.TB, _ *growthEnv, n int) growthOp {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "(%s StringEquals 'c%d' OR ", refContainer, i)
	}
	b.WriteString(refAccount + " StringEquals 'a'")
	b.WriteString(strings.Repeat(")", n))
	return compileOp(tb, b.String())
}

// pathRequest is a request whose blob path is v.
func pathRequest(tb testing.TB, v string) *abacc.Request {
	return (&scaleCase{name: "path", action: actionBlobRead, sets: [][2]string{{refPath, v}}}).request(tb)
}

func prepStringEquals(tb testing.TB, _ *growthEnv, n int) growthOp {
	v := lengthValue(n)
	prog := mustCompile(tb, refPath+" StringEquals '"+v+"'", hooks.Options{})
	return expectEval(tb, prog, pathRequest(tb, strings.Clone(v)), true)
}

func prepStringLike(tb testing.TB, _ *growthEnv, n int) growthOp {
	prog := mustCompile(tb, refPath+" StringLike '*needle*'", hooks.Options{})
	return expectEval(tb, prog, pathRequest(tb, lengthValue(n)), false)
}

func prepStringIgnoreCase(tb testing.TB, _ *growthEnv, n int) growthOp {
	v := lengthValue(n)
	prog := mustCompile(tb, refPath+" StringEqualsIgnoreCase '"+strings.ToUpper(v)+"'", hooks.Options{})
	return expectEval(tb, prog, pathRequest(tb, v), true)
}

func prepLikeStars(tb testing.TB, _ *growthEnv, n int) growthOp {
	prog := mustCompile(tb, refPath+" StringLike '"+starPattern(n)+"'", hooks.Options{})
	return expectEval(tb, prog, pathRequest(tb, strings.Repeat("a", 4<<10)), false)
}

// bundlePrograms names n programs (100 distinct conditions, reused).
func bundlePrograms(tb testing.TB, n int) []abacc.NamedProgram {
	distinct := make([]*abacc.Program, 100)
	for i := range distinct {
		distinct[i] = mustCompile(tb, fmt.Sprintf("%s StringEquals 'c%d' OR %s StringStartsWith 'p%d/'", refContainer, i, refPath, i), hooks.Options{})
	}
	progs := make([]abacc.NamedProgram, n)
	for i := range progs {
		progs[i] = abacc.NamedProgram{Name: fmt.Sprintf("program-%07d", i), Program: distinct[i%len(distinct)]}
	}
	return progs
}

func prepBundleWriteLoad(tb testing.TB, _ *growthEnv, n int) growthOp {
	progs := bundlePrograms(tb, n)
	var buf bytes.Buffer
	op := func() error {
		buf.Reset()
		if err := abacc.WriteBundle(&buf, progs, true); err != nil {
			return err
		}
		b, err := abacc.LoadBundle(buf.Bytes())
		if err != nil {
			return err
		}
		if b.Len() != n {
			return fmt.Errorf("loaded %d programs, want %d", b.Len(), n)
		}
		return nil
	}
	if err := op(); err != nil {
		tb.Fatal(err)
	}
	return op
}

func prepBundleWrite(tb testing.TB, _ *growthEnv, n int) growthOp {
	progs := bundlePrograms(tb, n)
	var buf bytes.Buffer
	op := func() error {
		buf.Reset()
		return abacc.WriteBundle(&buf, progs, true)
	}
	if err := op(); err != nil {
		tb.Fatal(err)
	}
	return op
}

func prepBundleLoad(tb testing.TB, _ *growthEnv, n int) growthOp {
	var buf bytes.Buffer
	if err := abacc.WriteBundle(&buf, bundlePrograms(tb, n), true); err != nil {
		tb.Fatal(err)
	}
	data := buf.Bytes()
	op := func() error {
		b, err := abacc.LoadBundle(data)
		if err != nil {
			return err
		}
		if b.Len() != n {
			return fmt.Errorf("loaded %d programs, want %d", b.Len(), n)
		}
		return nil
	}
	if err := op(); err != nil {
		tb.Fatal(err)
	}
	return op
}

func prepBundleLookup(tb testing.TB, _ *growthEnv, n int) growthOp {
	progs := bundlePrograms(tb, n)
	var buf bytes.Buffer
	if err := abacc.WriteBundle(&buf, progs, false); err != nil {
		tb.Fatal(err)
	}
	b, err := abacc.LoadBundle(buf.Bytes())
	if err != nil {
		tb.Fatal(err)
	}
	last := strings.Clone(progs[n-1].Name)
	op := func() error {
		if b.Program(last) == nil {
			return fmt.Errorf("no program %q", last)
		}
		return nil
	}
	if err := op(); err != nil {
		tb.Fatal(err)
	}
	return op
}

// Table tests for `abacc test`: a container name is read when it starts with "e"; the cases
// alternate between "e…" (true) and "o…" (false).
type tableTestFile struct {
	Name      string          `json:"name"`
	Condition string          `json:"condition"`
	Cases     []tableTestCase `json:"cases"`
}

type tableTestCase struct {
	Name        string `json:"name"`
	Request     any    `json:"request,omitempty"`
	RequestFile string `json:"requestFile,omitempty"`
	Expect      bool   `json:"expect"`
}

const tableCondition = refContainer + " StringStartsWith 'e'"

func tableRequest(container string) map[string]any {
	return map[string]any{"action": actionBlobRead, "resource": map[string]any{
		"Microsoft.Storage/storageAccounts/blobServices/containers:name": container}}
}

// abaccTestOp runs the binary's `abacc test` on files and wants n passes and no failure.
func abaccTestOp(tb testing.TB, bin string, n int, files ...string) growthOp {
	tb.Helper()
	want := fmt.Sprintf("%d passed, 0 failed", n)
	args := append([]string{"test"}, files...)
	op := func() error {
		cmd := exec.Command(bin, args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if err != nil || !strings.Contains(out.String(), want) {
			return fmt.Errorf("abacc test (%d files): %v, want %q in:\n%.2000s", len(files), err, want, out.String())
		}
		return nil
	}
	if err := op(); err != nil {
		tb.Fatal(err)
	}
	return op
}

func writeJSONFile(tb testing.TB, path string, v any) {
	tb.Helper()
	if err := os.WriteFile(path, jsonText(tb, v), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func prepTestCases(tb testing.TB, env *growthEnv, n int) growthOp {
	bin := env.binary(tb)
	tf := tableTestFile{Name: "inline", Condition: tableCondition}
	for i := range n {
		even := i%2 == 0
		name := fmt.Sprintf("o%d", i)
		if even {
			name = fmt.Sprintf("e%d", i)
		}
		tf.Cases = append(tf.Cases, tableTestCase{Name: name, Request: tableRequest(name), Expect: even})
	}
	path := filepath.Join(tb.TempDir(), "inline.test.json")
	writeJSONFile(tb, path, tf)
	return abaccTestOp(tb, bin, n, path)
}

func prepTestRequestFiles(tb testing.TB, env *growthEnv, n int) growthOp {
	bin := env.binary(tb)
	dir := tb.TempDir()
	writeJSONFile(tb, filepath.Join(dir, "even.json"), tableRequest("even"))
	writeJSONFile(tb, filepath.Join(dir, "odd.json"), tableRequest("odd"))
	tf := tableTestFile{Name: "request files", Condition: tableCondition}
	for i := range n {
		c := tableTestCase{Name: fmt.Sprintf("case %d", i), RequestFile: "odd.json"}
		if i%2 == 0 {
			c.RequestFile, c.Expect = "even.json", true
		}
		tf.Cases = append(tf.Cases, c)
	}
	path, err := filepath.Abs(filepath.Join(dir, "files.test.json"))
	if err != nil {
		tb.Fatal(err)
	}
	writeJSONFile(tb, path, tf)
	return abaccTestOp(tb, bin, n, path)
}

func prepTestFiles(tb testing.TB, env *growthEnv, n int) growthOp {
	bin := env.binary(tb)
	dir, err := filepath.Abs(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	writeJSONFile(tb, filepath.Join(dir, "even.json"), tableRequest("even"))
	files := make([]string, n)
	for i := range files {
		files[i] = filepath.Join(dir, fmt.Sprintf("t%06d.test.json", i))
		writeJSONFile(tb, files[i], tableTestFile{Name: fmt.Sprint(i), Condition: tableCondition,
			Cases: []tableTestCase{{Name: "even", RequestFile: "even.json", Expect: true}}})
	}
	return abaccTestOp(tb, bin, n, files...)
}

// RBAC tenants.
const (
	growthSub         = "6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10"
	roleReader        = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	roleContributor   = "b24988ac-6180-42a0-ab88-20f7382dd24c"
	roleBlobReader    = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
	roleBlobContrib   = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
	actionAccountRead = "Microsoft.Storage/storageAccounts/read"
)

func growthGUID(tag uint32, i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", tag, i) }

func mustGUID(tb testing.TB, s string) rbac.GUID {
	tb.Helper()
	g, err := rbac.ParseGUID(s)
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// assignmentsJSON is n role assignments as `az role assignment list` prints them: n/5
// principals, n/5 resource groups, four built-in roles, every 20th with one of ten conditions.
func assignmentsJSON(tb testing.TB, n int) []byte {
	roles := []string{roleReader, roleContributor, roleBlobReader, roleBlobContrib}
	groups := max(1, n/5)
	list := make([]map[string]any, n)
	for i := range list {
		id := growthGUID(0xa5a5a5a5, i)
		scope := fmt.Sprintf("/subscriptions/%s/resourceGroups/rg%d", growthSub, i%groups)
		a := map[string]any{
			"id":               scope + "/providers/Microsoft.Authorization/roleAssignments/" + id,
			"name":             id,
			"principalId":      growthGUID(0xb0b0b0b0, i%groups),
			"principalType":    "User",
			"roleDefinitionId": fmt.Sprintf("/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s", growthSub, roles[i%len(roles)]),
			"scope":            scope,
			"condition":        nil,
			"conditionVersion": nil,
		}
		if i%20 == 19 {
			a["condition"] = fmt.Sprintf("(!(ActionMatches{'%s'}) OR %s StringEquals 'c%d')", actionBlobRead, refContainer, i%10)
			a["conditionVersion"] = "2.0"
		}
		list[i] = a
	}
	return jsonText(tb, list)
}

func prepRBACLoad(tb testing.TB, _ *growthEnv, n int) growthOp {
	doc := assignmentsJSON(tb, n)
	op := func() error {
		eng, err := rbac.Load(rbac.Inputs{Assignments: rbac.Document{Name: "assignments.json", Data: doc}})
		if err != nil {
			return err
		}
		if got := len(eng.Tenant().Assignments); got != n {
			return fmt.Errorf("loaded %d assignments, want %d", got, n)
		}
		return nil
	}
	if err := op(); err != nil {
		tb.Fatal(err)
	}
	return op
}

func builtinRoles(tb testing.TB) []rbac.RoleDefinition {
	tb.Helper()
	roles, err := rbac.BuiltinRoles()
	if err != nil {
		tb.Fatal(err)
	}
	return roles
}

func newEngine(tb testing.TB, t *rbac.Tenant) *rbac.Engine {
	tb.Helper()
	eng, err := rbac.New(t)
	if err != nil {
		tb.Fatal(err)
	}
	return eng
}

func readerAt(tb testing.TB, id string, principal rbac.GUID, scope string) rbac.RoleAssignment {
	return rbac.RoleAssignment{
		ID:               scope + "/providers/Microsoft.Authorization/roleAssignments/" + id,
		PrincipalID:      principal,
		RoleDefinitionID: "/providers/Microsoft.Authorization/roleDefinitions/" + roleReader,
		RoleGUID:         mustGUID(tb, roleReader),
		Scope:            scope,
	}
}

// decideOp decides for p on req (set up by set before each decision) and wants reason.
func decideOp(tb testing.TB, eng *rbac.Engine, p *rbac.Principal, req *rbac.Request, set func() error, want rbac.Reason) growthOp {
	tb.Helper()
	op := func() error {
		if err := set(); err != nil {
			return err
		}
		if d := eng.Decide(p, req); d.Reason != want {
			return fmt.Errorf("Decide: %v, want %v", d.Reason, want)
		}
		return nil
	}
	if err := op(); err != nil {
		tb.Fatal(err)
	}
	return op
}

func prepRBACGroups(tb testing.TB, _ *growthEnv, n int) growthOp {
	t := &rbac.Tenant{Roles: builtinRoles(tb)}
	p := &rbac.Principal{ID: mustGUID(tb, growthGUID(0xc0c0c0c0, 0))}
	for i := range n {
		g := mustGUID(tb, growthGUID(0xd0d0d0d0, i))
		p.GroupIDs = append(p.GroupIDs, g)
		t.Assignments = append(t.Assignments, readerAt(tb, growthGUID(0xa5a5a5a5, i), g,
			fmt.Sprintf("/subscriptions/%s/resourceGroups/other%d", growthSub, i)))
	}
	eng := newEngine(tb, t)
	req := rbac.NewRequest()
	req.SetOperation(rbac.Control, actionAccountRead)
	if err := req.SetResource(fmt.Sprintf("/subscriptions/%s/resourceGroups/target/providers/Microsoft.Storage/storageAccounts/acct", growthSub)); err != nil {
		tb.Fatal(err)
	}
	return decideOp(tb, eng, p, req, func() error { return nil }, rbac.NoRoleAssignment)
}

func prepRBACDepth(tb testing.TB, _ *growthEnv, n int) growthOp {
	segs := []string{"subscriptions", growthSub, "resourceGroups", "rg", "providers", "Microsoft.Storage", "storageAccounts", "acct"}
	for len(segs) < n-1 {
		segs = append(segs, fmt.Sprintf("s%d", len(segs)))
	}
	parent := "/" + strings.Join(segs, "/")
	ids := []string{parent + "/leafa", parent + "/leafb"}
	p := &rbac.Principal{ID: mustGUID(tb, growthGUID(0xc0c0c0c0, 0))}
	eng := newEngine(tb, &rbac.Tenant{Roles: builtinRoles(tb), Assignments: []rbac.RoleAssignment{
		readerAt(tb, growthGUID(0xa5a5a5a5, 0), p.ID, parent)}})
	req := rbac.NewRequest()
	req.SetOperation(rbac.Control, actionAccountRead)
	k := 0
	return decideOp(tb, eng, p, req, func() error {
		k ^= 1
		return req.SetResource(ids[k])
	}, rbac.Allowed)
}
