package abacc_test

import (
	"sync"
	"testing"

	"github.com/abacc/abacc"
)

// TestProgramsOutliveScratch: Compile builds syntax trees and IR in scratch memory that the
// next compilation reuses, so nothing a program keeps may point into it. Every corpus
// condition is compiled first, from several goroutines at once (each scratch serves one
// compilation at a time), and only then are the programs read: each still disassembles as it
// did right after its compilation, and decides every case of the corpora as expected.
func TestProgramsOutliveScratch(t *testing.T) {
	decisions := loadDecisions(t)
	type compiled struct {
		prog   *abacc.Program
		disasm string
	}
	progs := map[string]*compiled{}
	var keys []string
	for _, d := range decisions {
		key := d.dialect.String() + "\x00" + d.condition
		if _, ok := progs[key]; !ok {
			progs[key] = nil
			keys = append(keys, key)
		}
	}
	byKey := map[string]decision{}
	for _, d := range decisions {
		byKey[d.dialect.String()+"\x00"+d.condition] = d
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(keys); i += 4 {
				d := byKey[keys[i]]
				p, err := abacc.CompileWith(d.condition, abacc.Options{Dialect: d.dialect})
				if err != nil {
					t.Errorf("%s: %v", d.name, err)
					continue
				}
				mu.Lock()
				progs[keys[i]] = &compiled{p, p.Disassemble()}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, key := range keys {
		c := progs[key]
		if c == nil {
			continue
		}
		if got := c.prog.Disassemble(); got != c.disasm {
			t.Fatalf("%s: program changed after later compilations:\nnow\n%s\nthen\n%s", byKey[key].name, got, c.disasm)
		}
	}
	for _, d := range decisions {
		c := progs[d.dialect.String()+"\x00"+d.condition]
		if c == nil {
			continue
		}
		req := abacc.NewRequest()
		if err := req.UnmarshalJSON(d.request); err != nil {
			t.Fatal(err)
		}
		if got := c.prog.Eval(req); got != d.expect {
			t.Errorf("%s: got %v after later compilations, want %v", d.name, got, d.expect)
		}
	}
	t.Logf("%d programs", len(keys))
}
