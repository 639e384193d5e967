package fuzz

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"github.com/abacc/abacc/internal/hooks"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/vm"
)

// structuredSeeds are deterministic pseudo-random inputs for the structured decoder.
func structuredSeeds(n int) [][]byte {
	r := rand.New(rand.NewSource(20240601))
	out := make([][]byte, n)
	for i := range out {
		b := make([]byte, 16+r.Intn(480))
		r.Read(b)
		if b[0] >= rawSetterMarker {
			b[0] = 0
		}
		out[i] = b
	}
	return out
}

// FuzzDifferential decodes (condition, requests) from the fuzz bytes and checks that the VM
// with optimization, the VM without it and the reference interpreter decide every request
// alike; also that a reused request decides like a fresh one, that Explain agrees with Eval,
// and that the program survives an Encode/Decode round trip with the same decisions. A
// difference fails with the condition, the request (JSON, or the typed setter calls that
// built it) and both programs' bytecode.
func FuzzDifferential(f *testing.F) {
	// Raw seeds: the first case of every conformance condition and every tenth operator row
	// (more would crowd the structured seeds out of the fuzzer's attention).
	seen := map[string]bool{}
	for i, c := range loadCorpus(f) {
		if seen[c.Condition] || (filepath.Base(filepath.Dir(c.File)) == "operators" && i%10 != 0) {
			continue
		}
		seen[c.Condition] = true
		f.Add(rawSeed(c.Condition, c.Request))
	}
	for _, b := range structuredSeeds(256) {
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{0})
	f.Add(rawSetterSeed("@Resource[Microsoft.Storage/storageAccounts:name] StringEquals 'a' OR "+
		"@Resource[Microsoft.Storage/storageAccounts:name] StringLike '*\uFFFD*'",
		"Resource|Microsoft.Storage/storageAccounts:name|\"a\\xff\""))
	fixedRequests(f)
	f.Fuzz(differential)
}

// differential is FuzzDifferential's check of one input.
func differential(t *testing.T, data []byte) {
	reqs := fixedRequests(t)
	c := decodeCase(data)
	opt, err := abacc.Compile(c.cond)
	if err != nil {
		var ce *abacc.Error
		if !errors.As(err, &ce) {
			t.Fatalf("Compile failed with an internal error: %v\ncondition:\n%s", err, c.cond)
		}
		return // an invalid condition: FuzzParse's business
	}
	noopt, err := compileOpts(c.cond, hooks.Options{NoOptimize: true})
	if err != nil {
		t.Fatalf("the condition compiles with optimization but not without: %v\ncondition:\n%s", err, c.cond)
	}
	decoded, err := vm.Decode(hooks.Bytecode(opt).Encode(), attrs.Default)
	if err != nil {
		t.Fatalf("Decode(Encode(p)) failed: %v\ncondition:\n%s\nbytecode:\n%s", err, c.cond, opt.Disassemble())
	}
	check := func(req, reused *abacc.Request, desc string) {
		ref := opt.EvalReference(req)
		vmOpt := opt.Eval(req)
		vmNo := noopt.Eval(req)
		vmReused := opt.Eval(reused)
		vmDecoded := decoded.Eval(hooks.Vector(req))
		explained := opt.Explain(req).Result
		if vmOpt == ref && vmNo == ref && vmReused == ref && vmDecoded == ref && explained == ref {
			return
		}
		t.Fatalf("decisions differ: reference=%v VM(optimized)=%v VM(unoptimized)=%v VM(reused request)=%v VM(decoded)=%v Explain=%v\n"+
			"condition:\n%s\n\nquoted: %+q\n\nformatted:\n%s\n\nrequest:\n%s\n\noptimized bytecode:\n%s\nunoptimized bytecode:\n%s",
			ref, vmOpt, vmNo, vmReused, vmDecoded, explained, c.cond, c.cond, opt.Format(), desc, opt.Disassemble(), noopt.Disassemble())
	}
	if c.rawSetter {
		req, reused := abacc.NewRequest(), dirtyRequest(t)
		log := applyLines(req, c.rawLines)
		applyLines(reused, c.rawLines)
		check(req, reused, "typed setters:\n"+log)
		return
	}
	if c.raw {
		if c.rawJSON == nil {
			for i, r := range reqs {
				check(r, r, fmt.Sprintf("fixed request %d: %s", i, fixedRequestJSON[i]))
			}
			return
		}
		req := abacc.NewRequest()
		if err := req.UnmarshalJSON(c.rawJSON); err != nil {
			for i, r := range reqs {
				check(r, r, fmt.Sprintf("fixed request %d: %s", i, fixedRequestJSON[i]))
			}
			return
		}
		reused := dirtyRequest(t)
		if err := reused.UnmarshalJSON(c.rawJSON); err != nil {
			t.Fatalf("a request decodes into a fresh vector but not into a reused one: %v\nrequest: %s", err, c.rawJSON)
		}
		check(req, reused, string(c.rawJSON))
		return
	}
	for _, q := range c.gen.Reqs {
		req, reused := abacc.NewRequest(), dirtyRequest(t)
		if c.gen.Setter {
			log, err := q.Apply(hooks.Vector(req))
			if err != nil {
				t.Fatalf("the typed setters reject a generated request (a generator bug?): %v\n%s", err, log)
			}
			if _, err := q.Apply(hooks.Vector(reused)); err != nil {
				t.Fatalf("the typed setters reject a request on a reused vector: %v\n%s", err, log)
			}
			check(req, reused, "typed setters (attribute ids of attrs.Default):\n"+log)
			continue
		}
		js := q.JSON()
		if err := req.UnmarshalJSON([]byte(js)); err != nil {
			continue // e.g. a custom security attribute array given no values of a usable kind
		}
		if err := reused.UnmarshalJSON([]byte(js)); err != nil {
			t.Fatalf("a request decodes into a fresh vector but not into a reused one: %v\nrequest: %s", err, js)
		}
		check(req, reused, js)
	}
}

// TestDifferentialRandom feeds the structured decoder of FuzzDifferential uniformly random
// inputs, a complement to coverage-guided fuzzing, which mutates its corpus and can stay away
// from combinations that random sampling hits (the StringLike U+FFFD lowering bug, see
// RUNS.md, was found this way).
// By default it checks a few hundred inputs; ABACC_FUZZ_RANDOM=10m samples for ten minutes
// (fuzz/run.sh 10m TestDifferentialRandom). A failing input is written to testdata/fuzz/FuzzDifferential/, where
// FuzzDifferential replays it.
func TestDifferentialRandom(t *testing.T) {
	d := time.Duration(0)
	if s := os.Getenv("ABACC_FUZZ_RANDOM"); s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			t.Fatalf("ABACC_FUZZ_RANDOM: %v", err)
		}
	}
	seed := time.Now().UnixNano()
	r := rand.New(rand.NewSource(seed))
	deadline := time.Now().Add(d)
	n := 0
	for ; n < 300 || time.Now().Before(deadline); n++ {
		b := make([]byte, 16+r.Intn(480))
		r.Read(b)
		if b[0] >= rawSetterMarker {
			b[0] = 0
		}
		ok := t.Run("", func(t *testing.T) {
			defer func() {
				if t.Failed() {
					sum := sha256.Sum256(b)
					name := filepath.Join("testdata", "fuzz", "FuzzDifferential", fmt.Sprintf("%x", sum[:8]))
					if err := os.MkdirAll(filepath.Dir(name), 0o755); err == nil {
						if err := os.WriteFile(name, []byte(fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)), 0o644); err == nil {
							t.Logf("failing input written to fuzz/%s", name)
						}
					}
				}
			}()
			differential(t, b)
		})
		if !ok {
			break
		}
	}
	t.Logf("%d random inputs (seed %d)", n, seed)
}

func rawSetterSeed(cond string, lines ...string) []byte {
	out := append([]byte{rawSetterMarker}, cond...)
	out = append(out, 0)
	return append(out, strings.Join(lines, "\n")...)
}

// dirtyRequest returns a request that held a rich document before, to be refilled: a refill must
// leave nothing of the old contents behind.
func dirtyRequest(t testing.TB) *abacc.Request {
	r := abacc.NewRequest()
	if err := r.UnmarshalJSON([]byte(fixedRequestJSON[1])); err != nil {
		t.Fatalf("fixed request: %v", err)
	}
	return r
}

// TestDifferentialGeneratorYield guards the structured decoder against silently decaying: most
// random inputs must give a condition that compiles and requests that load, and decisions must
// not be all alike.
func TestDifferentialGeneratorYield(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	const n = 1500
	compiled, reqs, loaded, trues, setter := 0, 0, 0, 0, 0
	var firstErr error
	var firstCond string
	for i := 0; i < n; i++ {
		b := make([]byte, 32+r.Intn(400))
		r.Read(b)
		if b[0] >= rawSetterMarker {
			b[0] = 1
		}
		c := decodeCase(b)
		p, err := abacc.Compile(c.cond)
		if err != nil {
			if firstErr == nil {
				firstErr, firstCond = err, c.cond
			}
			continue
		}
		compiled++
		if c.gen.Setter {
			setter++
		}
		for _, q := range c.gen.Reqs {
			reqs++
			req := abacc.NewRequest()
			if c.gen.Setter {
				if _, err := q.Apply(hooks.Vector(req)); err != nil {
					t.Fatalf("setters: %v", err)
				}
			} else if err := req.UnmarshalJSON([]byte(q.JSON())); err != nil {
				if testing.Verbose() {
					t.Logf("request rejected: %v\n%s", err, q.JSON())
				}
				continue
			}
			loaded++
			if p.Eval(req) {
				trues++
			}
		}
	}
	t.Logf("%d inputs: %d conditions compile (%d with setter-built requests), %d of %d requests load, %d decisions true",
		n, compiled, setter, loaded, reqs, trues)
	if compiled < n*80/100 {
		t.Errorf("only %d of %d generated conditions compile; first error: %v\ncondition:\n%s", compiled, n, firstErr, firstCond)
	}
	if loaded < reqs*90/100 {
		t.Errorf("only %d of %d generated requests load", loaded, reqs)
	}
	if trues < loaded/10 || trues > loaded*9/10 {
		t.Errorf("%d of %d decisions are true: the generator is lopsided", trues, loaded)
	}
}
