package peers

import (
	"os"
	"strings"
	"testing"

	"github.com/abacc/abacc"
)

func mustCorpus(tb testing.TB) []*Condition {
	tb.Helper()
	dir, err := CorpusDir()
	if err != nil {
		tb.Fatal(err)
	}
	cs, err := LoadCorpus(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return cs
}

// TestCorpusShape: at least 22 conditions, each with at least 4 requests and both decisions,
// and a translation for every condition (and no translation without a condition).
func TestCorpusShape(t *testing.T) {
	cs := mustCorpus(t)
	if len(cs) < 22 {
		t.Errorf("%d corpus conditions, want at least 22", len(cs))
	}
	ids := map[string]bool{}
	for _, c := range cs {
		ids[c.ID] = true
		nt, nf := 0, 0
		for _, k := range c.Cases {
			if k.Expect {
				nt++
			} else {
				nf++
			}
		}
		if len(c.Cases) < 4 || nt == 0 || nf == 0 {
			t.Errorf("%s: %d cases (%d true, %d false): want at least 4 with both decisions", c.ID, len(c.Cases), nt, nf)
		}
		tr, ok := Translations[c.ID]
		if !ok {
			t.Errorf("%s: no translation", c.ID)
			continue
		}
		if tr.Expr == "" || tr.CEL == "" || tr.Rego == "" || tr.Cedar == "" || tr.Go == nil {
			t.Errorf("%s: incomplete translation", c.ID)
		}
	}
	for id := range Translations {
		if !ids[id] {
			t.Errorf("translation %s has no corpus condition", id)
		}
	}
}

// TestAgreement: abacc's VM and its reference interpreter, and every peer engine, decide every
// corpus request as the corpus expects.
func TestAgreement(t *testing.T) {
	for _, c := range mustCorpus(t) {
		ap, err := abacc.Compile(c.Condition)
		if err != nil {
			t.Errorf("%s: abacc: %v", c.ID, err)
			continue
		}
		want := make([]bool, len(c.Cases)) // abacc's decisions
		for i, k := range c.Cases {
			r := abacc.NewRequest()
			if err := r.UnmarshalJSON(k.Request); err != nil {
				t.Fatalf("%s: %q: %v", c.ID, k.Name, err)
			}
			got, ref := ap.Eval(r), ap.EvalReference(r)
			if got != k.Expect || ref != k.Expect {
				t.Errorf("%s: %q: abacc Eval %v, EvalReference %v, corpus expects %v", c.ID, k.Name, got, ref, k.Expect)
			}
			want[i] = got
		}
		for _, e := range Engines {
			p, err := e.Compile(c)
			if err != nil {
				t.Errorf("%s: %s: compile: %v", c.ID, e.Name, err)
				continue
			}
			for i := range c.Cases {
				k := &c.Cases[i]
				in, err := p.Prepare(k)
				if err != nil {
					t.Errorf("%s: %s: %q: prepare: %v", c.ID, e.Name, k.Name, err)
					continue
				}
				got, err := p.Decide(in)
				if err != nil {
					t.Errorf("%s: %s: %q: %v", c.ID, e.Name, k.Name, err)
					continue
				}
				if got != want[i] || got != k.Expect {
					t.Errorf("%s: %s: %q: got %v; abacc says %v, the corpus %v", c.ID, e.Name, k.Name, got, want[i], k.Expect)
				}
			}
		}
	}
}

// TestAbaccZeroAllocs: abacc decides every corpus request without allocating.
func TestAbaccZeroAllocs(t *testing.T) {
	if raceEnabled || testing.CoverMode() != "" {
		t.Skip("allocation counts are not meaningful under -race or -cover")
	}
	for _, c := range mustCorpus(t) {
		p, err := abacc.Compile(c.Condition)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range c.Cases {
			r := abacc.NewRequest()
			if err := r.UnmarshalJSON(k.Request); err != nil {
				t.Fatal(err)
			}
			if n := testing.AllocsPerRun(20, func() {
				if p.Eval(r) {
					Sink++
				}
			}); n != 0 {
				t.Errorf("%s: %q: %v allocs/op", c.ID, k.Name, n)
			}
		}
	}
}

// BenchmarkEval/<condition>/<engine>: one op decides the next request of the condition,
// round-robin, with inputs prepared before timing (see EvalBenchmark). The extra
// sub-benchmark ref:json-map is the reference point for abacc+fill (JSONMapBenchmark).
func BenchmarkEval(b *testing.B) {
	for _, c := range mustCorpus(b) {
		b.Run(c.ID, func(b *testing.B) {
			for _, e := range Engines {
				f, err := EvalBenchmark(e, c)
				if err != nil {
					b.Fatal(err)
				}
				b.Run(e.Name, f)
			}
			b.Run("ref:json-map", JSONMapBenchmark(c))
		})
	}
}

// BenchmarkCompile/<condition>/<engine>: one op compiles the condition.
func BenchmarkCompile(b *testing.B) {
	for _, c := range mustCorpus(b) {
		b.Run(c.ID, func(b *testing.B) {
			for _, e := range Engines {
				if !HasCompile(e) {
					continue
				}
				b.Run(e.Name, CompileBenchmark(e, c))
			}
		})
	}
}

// TestShowSources logs the expanded sources of one condition (go test -v -run ShowSources
// -args -show=ID is not needed: set PEERS_SHOW=ID).
func TestShowSources(t *testing.T) {
	id := strings.TrimSpace(getenv("PEERS_SHOW"))
	if id == "" {
		t.Skip("set PEERS_SHOW to a corpus condition ID")
	}
	tr, ok := Translations[id]
	if !ok {
		t.Fatalf("no translation %q", id)
	}
	t.Logf("expr:\n%s\n\nCEL:\n%s\n\nRego:\n%s\nCedar:\n%s", tr.ExprSource(), tr.CELSource(), tr.RegoModule(), tr.CedarPolicy())
}

func getenv(k string) string { return os.Getenv(k) }
