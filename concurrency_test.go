package abacc_test

import (
	"sync"
	"testing"

	"github.com/abacc/abacc"
)

// TestConcurrentEval shares one program among goroutines, each with its own request (run
// under -race by make test): a Program is immutable.
func TestConcurrentEval(t *testing.T) {
	decisions := loadDecisions(t)
	progs := map[string]*abacc.Program{}
	for _, d := range decisions {
		if _, ok := progs[d.condition]; !ok {
			p, err := abacc.CompileWith(d.condition, abacc.Options{Dialect: d.dialect})
			if err != nil {
				t.Fatal(err)
			}
			progs[d.condition] = p
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			req := abacc.NewRequest()
			for i := g; i < len(decisions); i += 2 {
				d := decisions[i]
				if err := req.UnmarshalJSON(d.request); err != nil {
					t.Error(err)
					return
				}
				if got := progs[d.condition].Eval(req); got != d.expect {
					t.Errorf("%s: got %v", d.name, got)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}
