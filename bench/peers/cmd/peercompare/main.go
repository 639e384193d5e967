// Command peercompare runs the peer comparison in one process and prints a Markdown report:
// for every corpus condition and engine the median ns/op (over -count interleaved runs) and
// allocs/op of a decision, the ratio to abacc, the median condition's ratios, and compile
// times.
//
//	cd bench/peers && go run ./cmd/peercompare [-count 5] [-benchtime 300ms] [-run REGEXP] [-o FILE]
//
// Every condition is compiled and every input prepared once, before any timing. The runs are
// interleaved (round r times every condition with every engine, then round r+1), so that a
// burst of load on a shared machine spreads over all cells instead of spoiling one.
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/abacc/abacc/bench/peers"
)

var (
	count       = flag.Int("count", 5, "interleaved runs per benchmark; the table shows medians")
	benchtime   = flag.Duration("benchtime", 300*time.Millisecond, "target time of one decision benchmark run")
	compileTime = flag.Duration("compiletime", 200*time.Millisecond, "target time of one compile benchmark run")
	runRE       = flag.String("run", "", "only conditions whose ID matches this regexp")
	engineList  = flag.String("engines", "", "comma-separated engines (default all: abacc,abacc+fill,expr,cel-go,opa,cedar-go,go)")
	noCompile   = flag.Bool("nocompile", false, "skip compile times")
	out         = flag.String("o", "", "write the report to this file as well as stdout")
	quiet       = flag.Bool("q", false, "no progress on stderr")
)

type sample struct {
	ns            float64 // wall-clock ns/op
	cpu           float64 // CPU time of the benchmark's thread per op (NaN if not reported)
	allocs, bytes int64
}

func (s sample) from(r testing.BenchmarkResult) sample {
	cpu, ok := r.Extra[peers.CPUMetric]
	if !ok {
		cpu = math.NaN()
	}
	return sample{ns: float64(r.T.Nanoseconds()) / float64(r.N), cpu: cpu, allocs: r.AllocsPerOp(), bytes: r.AllocedBytesPerOp()}
}

type cell struct {
	bench   func(*testing.B)
	samples []sample
}

func (c *cell) median() sample {
	if len(c.samples) == 0 {
		return sample{ns: math.NaN()}
	}
	ns := make([]float64, len(c.samples))
	cpu := make([]float64, len(c.samples))
	var allocs, bytes []int64
	for i, s := range c.samples {
		ns[i], cpu[i] = s.ns, s.cpu
		allocs = append(allocs, s.allocs)
		bytes = append(bytes, s.bytes)
	}
	return sample{ns: medianF(ns), cpu: medianF(cpu), allocs: medianI(allocs), bytes: medianI(bytes)}
}

func medianF(xs []float64) float64 {
	ys := append([]float64(nil), xs...)
	sort.Float64s(ys)
	n := len(ys)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return ys[n/2]
	}
	return (ys[n/2-1] + ys[n/2]) / 2
}

func medianI(xs []int64) int64 {
	ys := append([]int64(nil), xs...)
	sort.Slice(ys, func(i, j int) bool { return ys[i] < ys[j] })
	return ys[len(ys)/2]
}

func main() {
	testing.Init()
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "peercompare:", err)
		os.Exit(1)
	}
}

func progress(format string, args ...any) {
	if !*quiet {
		fmt.Fprintf(os.Stderr, format, args...)
	}
}

func run() error {
	dir, err := peers.CorpusDir()
	if err != nil {
		return err
	}
	corpus, err := peers.LoadCorpus(dir)
	if err != nil {
		return err
	}
	if *runRE != "" {
		re, err := regexp.Compile(*runRE)
		if err != nil {
			return err
		}
		var keep []*peers.Condition
		for _, c := range corpus {
			if re.MatchString(c.ID) {
				keep = append(keep, c)
			}
		}
		corpus = keep
	}
	if len(corpus) == 0 {
		return fmt.Errorf("no conditions")
	}
	engines := peers.Engines
	if *engineList != "" {
		engines = nil
		for _, name := range strings.Split(*engineList, ",") {
			e, ok := peers.EngineByName(strings.TrimSpace(name))
			if !ok {
				return fmt.Errorf("unknown engine %q", name)
			}
			engines = append(engines, e)
		}
	}
	if engines[0].Name != "abacc" {
		engines = append([]peers.Engine{peers.Engines[0]}, engines...)
	}

	// Compile everything and prepare every input before any timing.
	evals := make([][]*cell, len(corpus))
	for i, c := range corpus {
		evals[i] = make([]*cell, len(engines))
		for j, e := range engines {
			f, err := peers.EvalBenchmark(e, c)
			if err != nil {
				return err
			}
			evals[i][j] = &cell{bench: f}
		}
	}
	// The reference column for abacc+fill: encoding/json into a map (see peers.JSONMapBenchmark).
	jsonRef := make([]*cell, len(corpus))
	for i, c := range corpus {
		jsonRef[i] = &cell{bench: peers.JSONMapBenchmark(c)}
	}
	var compiles [][]*cell
	if !*noCompile {
		compiles = make([][]*cell, len(corpus))
		for i, c := range corpus {
			compiles[i] = make([]*cell, len(engines))
			for j, e := range engines {
				if peers.HasCompile(e) {
					compiles[i][j] = &cell{bench: peers.CompileBenchmark(e, c)}
				}
			}
		}
	}

	start := time.Now()
	for round := 1; round <= *count; round++ {
		if err := flag.Set("test.benchtime", benchtime.String()); err != nil {
			return err
		}
		for i, c := range corpus {
			progress("\rround %d/%d: decisions %-40s", round, *count, c.ID)
			for j := range engines {
				r := testing.Benchmark(evals[i][j].bench)
				if r.N == 0 {
					return fmt.Errorf("%s/%s: benchmark failed", c.ID, engines[j].Name)
				}
				evals[i][j].samples = append(evals[i][j].samples, sample{}.from(r))
			}
			r := testing.Benchmark(jsonRef[i].bench)
			if r.N == 0 {
				return fmt.Errorf("%s: json reference benchmark failed", c.ID)
			}
			jsonRef[i].samples = append(jsonRef[i].samples, sample{}.from(r))
		}
		if compiles != nil {
			if err := flag.Set("test.benchtime", compileTime.String()); err != nil {
				return err
			}
			for i, c := range corpus {
				progress("\rround %d/%d: compiles  %-40s", round, *count, c.ID)
				for j := range engines {
					if compiles[i][j] == nil {
						continue
					}
					r := testing.Benchmark(compiles[i][j].bench)
					if r.N == 0 {
						return fmt.Errorf("%s/%s: compile benchmark failed", c.ID, engines[j].Name)
					}
					compiles[i][j].samples = append(compiles[i][j].samples, sample{}.from(r))
				}
			}
		}
	}
	progress("\rdone in %v%40s\n", time.Since(start).Round(time.Second), "")

	var w io.Writer = os.Stdout
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			return err
		}
		defer f.Close()
		w = io.MultiWriter(os.Stdout, f)
	}
	report(w, corpus, engines, evals, jsonRef, compiles, time.Since(start))
	return nil
}

func fmtNs(ns float64) string {
	switch {
	case math.IsNaN(ns):
		return "—"
	case ns < 10:
		return fmt.Sprintf("%.2f", ns)
	case ns < 100:
		return fmt.Sprintf("%.1f", ns)
	default:
		return fmt.Sprintf("%.0f", ns)
	}
}

func fmtRatio(r float64) string {
	switch {
	case math.IsNaN(r):
		return "—"
	case r < 10:
		return fmt.Sprintf("%.2f×", r)
	default:
		return fmt.Sprintf("%.0f×", r)
	}
}

func fmtDur(ns float64) string {
	switch {
	case math.IsNaN(ns):
		return "—"
	case ns < 1e3:
		return fmt.Sprintf("%.0f ns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	default:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	}
}

func report(w io.Writer, corpus []*peers.Condition, engines []peers.Engine, evals [][]*cell, jsonRef []*cell, compiles [][]*cell, took time.Duration) {
	fmt.Fprintf(w, "Generated by `go run ./cmd/peercompare -count %d -benchtime %v` (%s, %s/%s, GOMAXPROCS=%d, %d conditions, %v).\n\n",
		*count, *benchtime, runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), len(corpus), took.Round(time.Second))

	wallRatios := decisionTable(w, corpus, engines, evals, "wall-clock", func(m sample) float64 { return m.ns })
	cpuRatios := decisionTable(w, corpus, engines, evals, "CPU time of the benchmark thread", func(m sample) float64 { return m.cpu })

	// Filling from JSON, with its reference point.
	fmt.Fprintf(w, "### Filling from request JSON: median ns/op over %d runs\n\n", *count)
	fmt.Fprintln(w, "abacc+fill is `Request.UnmarshalJSON` into a reused request, then `Eval`; the reference is `encoding/json.Unmarshal` of the same documents into a `map[string]any` (no decision, no validation): the least a peer fed with request JSON pays before it can decide.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| condition | abacc | abacc+fill | allocs | json→map (ref) | allocs | abacc+fill ÷ ref |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	var fillRatios []float64
	for i, c := range corpus {
		fill := -1
		for j, e := range engines {
			if e.Name == "abacc+fill" {
				fill = j
			}
		}
		ref := jsonRef[i].median()
		if fill < 0 {
			fmt.Fprintf(w, "| %s | %s | — | — | %s | %d | — |\n", c.ID, fmtNs(evals[i][0].median().ns), fmtNs(ref.ns), ref.allocs)
			continue
		}
		f := evals[i][fill].median()
		fillRatios = append(fillRatios, f.ns/ref.ns)
		fmt.Fprintf(w, "| %s | %s | %s | %d | %s | %d | %s |\n", c.ID, fmtNs(evals[i][0].median().ns), fmtNs(f.ns), f.allocs, fmtNs(ref.ns), ref.allocs, fmtRatio(f.ns/ref.ns))
	}
	if len(fillRatios) > 0 {
		fmt.Fprintf(w, "\nMedian abacc+fill ÷ json→map: %s.\n", fmtRatio(medianF(fillRatios)))
	}
	fmt.Fprintln(w)

	// Allocations.
	fmt.Fprintf(w, "### Allocations per decision: allocs/op (B/op), median over %d runs\n\n", *count)
	fmt.Fprint(w, "| condition |")
	for _, e := range engines {
		fmt.Fprintf(w, " %s |", e.Name)
	}
	fmt.Fprint(w, "\n| --- |")
	for range engines {
		fmt.Fprint(w, " ---: |")
	}
	fmt.Fprintln(w)
	for i, c := range corpus {
		fmt.Fprintf(w, "| %s |", c.ID)
		for j := range engines {
			m := evals[i][j].median()
			fmt.Fprintf(w, " %d (%d) |", m.allocs, m.bytes)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)

	// Summary.
	fmt.Fprint(w, "### Median condition\n\n")
	fmt.Fprint(w, "Per engine, over the conditions, the ratio engine ÷ abacc of the per-condition medians: wall-clock ns/op (what the tables above show first) and CPU time of the benchmark thread (insensitive to time spent descheduled, so the more reliable of the two on a busy machine).\n\n")
	fmt.Fprintln(w, "| engine | median × (wall) | median × (CPU) | geomean × (CPU) | min × (CPU) | max × (CPU) | target | met (wall / CPU) |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
	for j, e := range engines {
		if j == 0 {
			continue
		}
		rs := cpuRatios[j]
		gm := 0.0
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, r := range rs {
			gm += math.Log(r)
			lo, hi = math.Min(lo, r), math.Max(hi, r)
		}
		gm = math.Exp(gm / float64(len(rs)))
		medW, medC := medianF(wallRatios[j]), medianF(rs)
		target, met := "", ""
		switch e.Name {
		// The targets of issue 12: abacc at least 10× faster than expr and 15× faster than
		// cel-go at the median condition; within 1.5× of hand-written Go at the median and
		// within 2× on every condition.
		case "expr":
			target, met = "abacc ≥ 10× faster", yes(medW >= 10)+" / "+yes(medC >= 10)
		case "cel-go":
			target, met = "abacc ≥ 15× faster", yes(medW >= 15)+" / "+yes(medC >= 15)
		case "go":
			target, met = "abacc within 1.5× of Go at the median (× ≥ 0.67), 2× on every condition (min × ≥ 0.5)",
				yes(medW >= 1/1.5)+" / "+yes(medC >= 1/1.5 && lo >= 0.5)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", e.Name, fmtRatio(medW), fmtRatio(medC), fmtRatio(gm), fmtRatio(lo), fmtRatio(hi), target, met)
	}
	maxAbaccAllocs := int64(0)
	for i := range corpus {
		if a := evals[i][0].median().allocs; a > maxAbaccAllocs {
			maxAbaccAllocs = a
		}
	}
	fmt.Fprintf(w, "\nabacc allocations: at most %d allocs/op over the corpus (target 0: %s).\n\n", maxAbaccAllocs, yes(maxAbaccAllocs == 0))

	if compiles == nil {
		return
	}
	fmt.Fprintf(w, "### Compile times: median over %d runs, wall-clock (CPU time of the benchmark thread)\n\n", *count)
	fmt.Fprint(w, "abacc: `abacc.Compile`; expr: `expr.Compile` with the environment schema; cel-go: `Env.Compile` + `Env.Program` (declarations built once); opa: `rego.New(...).PrepareForEval`; cedar-go: `cedar.NewPolicySetFromBytes` of the policy text (parsing, constant folding and building the evaluator).\n\n")
	fmt.Fprint(w, "| condition | source bytes |")
	var cols []int
	for j, e := range engines {
		if peers.HasCompile(e) {
			cols = append(cols, j)
			fmt.Fprintf(w, " %s |", e.Name)
		}
	}
	fmt.Fprint(w, "\n| --- | ---: |")
	for range cols {
		fmt.Fprint(w, " ---: |")
	}
	fmt.Fprintln(w)
	per := make([][]float64, len(engines))
	perCPU := make([][]float64, len(engines))
	for i, c := range corpus {
		fmt.Fprintf(w, "| %s | %d |", c.ID, len(c.Condition))
		for _, j := range cols {
			m := compiles[i][j].median()
			per[j] = append(per[j], m.ns)
			perCPU[j] = append(perCPU[j], m.cpu)
			fmt.Fprintf(w, " %s (%s) |", fmtDur(m.ns), fmtDur(m.cpu))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, "| **median** | |")
	for _, j := range cols {
		fmt.Fprintf(w, " **%s** (%s) |", fmtDur(medianF(per[j])), fmtDur(medianF(perCPU[j])))
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, "\nMedian compile time relative to abacc (CPU):")
	for _, j := range cols[1:] {
		rs := make([]float64, len(corpus))
		for i := range corpus {
			rs[i] = perCPU[j][i] / perCPU[cols[0]][i]
		}
		fmt.Fprintf(w, " %s %s;", engines[j].Name, fmtRatio(medianF(rs)))
		if engines[j].Name == "cedar-go" {
			// Issue 12's target: abacc's median compile time at most cedar-go's.
			fmt.Fprintf(w, " (target: abacc at most cedar-go's median: %s)", yes(medianF(perCPU[j]) >= medianF(perCPU[cols[0]])))
		}
	}
	fmt.Fprintln(w)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

// decisionTable prints one table of per-condition medians of metric with the ratio to abacc,
// and returns the ratios per engine (index as engines).
func decisionTable(w io.Writer, corpus []*peers.Condition, engines []peers.Engine, evals [][]*cell, what string, metric func(sample) float64) [][]float64 {
	fmt.Fprintf(w, "### Decisions, %s: median ns/op over %d runs (× = engine ÷ abacc)\n\n", what, *count)
	fmt.Fprint(w, "| condition | reqs |")
	for j, e := range engines {
		if j == 0 || e.Name == "abacc+fill" {
			fmt.Fprintf(w, " %s |", e.Name)
		} else {
			fmt.Fprintf(w, " %s | × |", e.Name)
		}
	}
	fmt.Fprint(w, "\n| --- | ---: |")
	for j, e := range engines {
		if j == 0 || e.Name == "abacc+fill" {
			fmt.Fprint(w, " ---: |")
		} else {
			fmt.Fprint(w, " ---: | ---: |")
		}
	}
	fmt.Fprintln(w)
	ratios := make([][]float64, len(engines))
	for i, c := range corpus {
		base := metric(evals[i][0].median())
		fmt.Fprintf(w, "| %s | %d |", c.ID, len(c.Cases))
		for j, e := range engines {
			v := metric(evals[i][j].median())
			r := v / base
			ratios[j] = append(ratios[j], r)
			if j == 0 || e.Name == "abacc+fill" {
				fmt.Fprintf(w, " %s |", fmtNs(v))
				continue
			}
			fmt.Fprintf(w, " %s | %s |", fmtNs(v), fmtRatio(r))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	return ratios
}
