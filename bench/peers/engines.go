package peers

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/abacc/abacc"
)

// Engine decides corpus conditions one way.
type Engine struct {
	// Name labels the engine in benchmark names and tables.
	Name string
	// Compile compiles one condition: abacc its source, a peer its translation.
	Compile func(c *Condition) (Program, error)
}

// Program is one condition compiled by one engine.
type Program interface {
	// Prepare converts a corpus request into the engine's input. It runs before timing,
	// as abacc's request vector is filled before timing.
	Prepare(c *Case) (any, error)
	// Decide decides one prepared input.
	Decide(in any) (bool, error)
	// Loop returns the timed loop over prepared inputs: each op decides the next input,
	// round-robin.
	Loop(inputs []any) func(b *testing.B)
}

// Engines lists the engines in table order. "abacc" is the baseline; "abacc+fill" is abacc
// timed with the cost of filling its request vector from the request JSON
// (Request.UnmarshalJSON into a reused request, then Eval).
var Engines = []Engine{
	{Name: "abacc", Compile: compileAbacc},
	{Name: "abacc+fill", Compile: compileAbaccFill},
	{Name: "expr", Compile: compileExpr},
	{Name: "cel-go", Compile: compileCEL},
	{Name: "opa", Compile: compileOPA},
	{Name: "cedar-go", Compile: compileCedar},
	{Name: "go", Compile: compileGo},
}

// EngineByName returns the engine called name.
func EngineByName(name string) (Engine, bool) {
	for _, e := range Engines {
		if e.Name == name {
			return e, true
		}
	}
	return Engine{}, false
}

// Sink keeps benchmark results observable.
var Sink int

// loop is the timed loop every engine shares: the same round-robin and bookkeeping, with the
// engine's decision as a function of its concrete input type.
func loop[T any](inputs []any, decide func(T) (bool, error)) func(*testing.B) {
	ins := make([]T, len(inputs))
	for i, in := range inputs {
		ins[i] = in.(T)
	}
	return func(b *testing.B) {
		// Pinned to one OS thread so that the thread's CPU time is the loop's: reported as
		// cpu-ns/op next to the wall-clock ns/op, it is far less disturbed by other load on the
		// machine (time spent descheduled is not counted).
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		b.ReportAllocs()
		n, i := 0, 0
		c0 := threadCPU()
		for b.Loop() {
			ok, err := decide(ins[i])
			if err != nil {
				b.Fatal(err)
			}
			if ok {
				n++
			}
			if i++; i == len(ins) {
				i = 0
			}
		}
		if c1 := threadCPU(); c0 >= 0 && c1 >= 0 && b.N > 0 {
			b.ReportMetric(float64(c1-c0)/float64(b.N), CPUMetric)
		}
		Sink += n
	}
}

// CPUMetric is the unit of the per-op CPU time of the calling thread that the timed loops
// report (testing.BenchmarkResult.Extra).
const CPUMetric = "cpu-ns/op"

// PrepareAll prepares every case of c for program p.
func PrepareAll(p Program, c *Condition) ([]any, error) {
	ins := make([]any, len(c.Cases))
	for i := range c.Cases {
		in, err := p.Prepare(&c.Cases[i])
		if err != nil {
			return nil, fmt.Errorf("%s: case %q: %v", c.ID, c.Cases[i].Name, err)
		}
		ins[i] = in
	}
	return ins, nil
}

// abacc ------------------------------------------------------------------------------------

type abaccProgram struct{ p *abacc.Program }

func compileAbacc(c *Condition) (Program, error) {
	p, err := abacc.Compile(c.Condition)
	if err != nil {
		return nil, err
	}
	return abaccProgram{p}, nil
}

// Abacc returns the compiled abacc program (for cross-checks with the reference interpreter).
func (p abaccProgram) Abacc() *abacc.Program { return p.p }

func (p abaccProgram) Prepare(c *Case) (any, error) {
	r := abacc.NewRequest()
	if err := r.UnmarshalJSON(c.Request); err != nil {
		return nil, err
	}
	return r, nil
}

func (p abaccProgram) Decide(in any) (bool, error) { return p.p.Eval(in.(*abacc.Request)), nil }

func (p abaccProgram) Loop(inputs []any) func(*testing.B) {
	prog := p.p
	return loop(inputs, func(r *abacc.Request) (bool, error) { return prog.Eval(r), nil })
}

// abacc+fill -------------------------------------------------------------------------------

type abaccFillProgram struct {
	p *abacc.Program
	r *abacc.Request // reused, as a server would reuse one per goroutine
}

func compileAbaccFill(c *Condition) (Program, error) {
	p, err := abacc.Compile(c.Condition)
	if err != nil {
		return nil, err
	}
	return &abaccFillProgram{p: p, r: abacc.NewRequest()}, nil
}

func (p *abaccFillProgram) Prepare(c *Case) (any, error) {
	// The input is the request JSON itself; fill once to warm the request's storage.
	if err := p.r.UnmarshalJSON(c.Request); err != nil {
		return nil, err
	}
	return []byte(c.Request), nil
}

func (p *abaccFillProgram) Decide(in any) (bool, error) {
	if err := p.r.UnmarshalJSON(in.([]byte)); err != nil {
		return false, err
	}
	return p.p.Eval(p.r), nil
}

func (p *abaccFillProgram) Loop(inputs []any) func(*testing.B) {
	prog, r := p.p, p.r
	return loop(inputs, func(data []byte) (bool, error) {
		if err := r.UnmarshalJSON(data); err != nil {
			return false, err
		}
		return prog.Eval(r), nil
	})
}

// hand-written Go -----------------------------------------------------------------------------

type goProgram struct{ f func(*Req) bool }

func compileGo(c *Condition) (Program, error) {
	t, ok := Translations[c.ID]
	if !ok || t.Go == nil {
		return nil, fmt.Errorf("%s: no Go translation", c.ID)
	}
	return goProgram{t.Go}, nil
}

func (p goProgram) Prepare(c *Case) (any, error) { return c.Req, nil }

func (p goProgram) Decide(in any) (bool, error) { return p.f(in.(*Req)), nil }

func (p goProgram) Loop(inputs []any) func(*testing.B) {
	f := p.f
	return loop(inputs, func(r *Req) (bool, error) { return f(r), nil })
}
