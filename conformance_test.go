package abacc_test

import (
	"encoding/json"
	"github.com/abacc/abacc/internal/hooks"
	"os"
	"path/filepath"
	"testing"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/optimize"
)

// caseFile is the shape shared by testdata/conformance/*.json (one condition, many cases) and
// testdata/operators/*.json (rows of condition, request, expectation).
type caseFile struct {
	Name      string `json:"name"`
	Condition string `json:"condition"`
	// Dialect is "extended" for files of the extended dialect (testdata/conformance/extended,
	// testdata/operators/extended-*.json); empty for the standard language.
	Dialect string    `json:"dialect"`
	Cases   []tcase   `json:"cases"`
	Rows    []rowCase `json:"rows"`
}

type tcase struct {
	Name    string          `json:"name"`
	Request json.RawMessage `json:"request"`
	Expect  bool            `json:"expect"`
}

type rowCase struct {
	Name      string          `json:"name"`
	Condition string          `json:"condition"`
	Request   json.RawMessage `json:"request"`
	Expect    bool            `json:"expect"`
}

// decision is one (condition, request, expected result) triple from the corpora.
type decision struct {
	file, name, condition string
	request               json.RawMessage
	expect                bool
	dialect               abacc.Dialect
}

// loadDecisions reads every case of the conformance and operator corpora.
func loadDecisions(t testing.TB) []decision {
	t.Helper()
	var out []decision
	for _, dir := range []string{"testdata/conformance", "testdata/conformance/extended", "testdata/operators"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatalf("no test files in %s", dir)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var cf caseFile
			if err := json.Unmarshal(data, &cf); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			dialect := abacc.DialectStandard
			if cf.Dialect != "" {
				if dialect, err = abacc.ParseDialect(cf.Dialect); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
			}
			for _, c := range cf.Cases {
				out = append(out, decision{f, cf.Name + "/" + c.Name, cf.Condition, c.Request, c.Expect, dialect})
			}
			for _, r := range cf.Rows {
				out = append(out, decision{f, r.Name, r.Condition, r.Request, r.Expect, dialect})
			}
		}
	}
	return out
}

// TestCorpora decides every case of the conformance and operator corpora with the optimized
// VM, the unoptimized VM and the reference interpreter, and checks that the explanation
// reaches the same result.
func TestCorpora(t *testing.T) {
	for _, opt := range []bool{true, false} {
		testCorpora(t, hooks.Options{NoOptimize: !opt})
	}
}

// TestCorporaPerPass runs the corpora with each optimizer pass switched off in turn, and with
// each pass alone, so that every pass is proven sound on its own and in combination.
func TestCorporaPerPass(t *testing.T) {
	all := optimize.All()
	for _, p := range all {
		testCorpora(t, hooks.Options{DisablePasses: []string{p.Name}})
		var others []string
		for _, q := range all {
			if q.Name != p.Name {
				others = append(others, q.Name)
			}
		}
		testCorpora(t, hooks.Options{DisablePasses: others})
	}
}

func testCorpora(t *testing.T, opts hooks.Options) {
	decisions := loadDecisions(t)
	progs := map[string]*abacc.Program{}
	for _, d := range decisions {
		key := d.dialect.String() + "\x00" + d.condition
		prog, ok := progs[key]
		if !ok {
			var err error
			o := opts
			o.Dialect = uint8(d.dialect)
			prog, err = compileOpts(d.condition, o)
			if err != nil {
				t.Errorf("%s: %s: compile: %v", filepath.Base(d.file), d.name, err)
				progs[key] = nil
				continue
			}
			progs[key] = prog
		}
		if prog == nil {
			continue
		}
		req := abacc.NewRequest()
		if err := req.UnmarshalJSON(d.request); err != nil {
			t.Errorf("%s: %s: request: %v", filepath.Base(d.file), d.name, err)
			continue
		}
		if got := prog.EvalReference(req); got != d.expect {
			t.Errorf("%s: %s: reference interpreter got %v, want %v", filepath.Base(d.file), d.name, got, d.expect)
		}
		if got := prog.Eval(req); got != d.expect {
			t.Errorf("%s: %s (%+v): VM got %v, want %v\ncondition: %s\nrequest: %s\n%s", filepath.Base(d.file), d.name, opts, got, d.expect, d.condition, d.request, prog.Explain(req))
		}
		if ex := prog.Explain(req); ex.Result != d.expect {
			t.Errorf("%s: %s: Explain gave %v, want %v", filepath.Base(d.file), d.name, ex.Result, d.expect)
		}
	}
	t.Logf("%d decisions over %d conditions", len(decisions), len(progs))
}
