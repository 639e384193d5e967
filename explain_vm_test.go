package abacc_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/hooks"
)

// checkExplanation holds an explanation to the run it explains: its result is Eval's, and
// every executed test reads as its source text does — the step's text, compiled on its own and
// decided by the reference interpreter against the same request, gives the step's result. That
// pins the negation flags codegen records (a NOT outside a span, a Not-operator computed by its
// positive twin, De Morgan) to the language's reading.
func checkExplanation(prog *abacc.Program, req *abacc.Request, texts map[string]*abacc.Program, dialect abacc.Dialect) error {
	ex := prog.Explain(req)
	if got := prog.Eval(req); ex.Result != got {
		return fmt.Errorf("Explain gave %v, Eval %v", ex.Result, got)
	}
	if ex.Note != "" {
		return fmt.Errorf("unexpected note %q", ex.Note)
	}
	for _, st := range ex.Steps {
		if st.Skipped || st.Dispatch || st.Partial {
			continue
		}
		leaf, ok := texts[st.Source]
		if !ok {
			leaf, _ = abacc.CompileWith(st.Source, abacc.Options{Dialect: dialect})
			texts[st.Source] = leaf
		}
		if leaf == nil {
			return fmt.Errorf("step %d:%d: its text does not compile on its own: %s", st.Line, st.Column, st.Source)
		}
		if want := leaf.EvalReference(req); st.Result != want {
			return fmt.Errorf("step %d:%d reports %v, its text reads %v: %s\n%s", st.Line, st.Column, st.Result, want, st.Source, ex)
		}
	}
	return nil
}

// TestExplainReadsLikeSource checks every explanation of the corpora, optimized, unoptimized
// and with each optimizer pass off.
func TestExplainReadsLikeSource(t *testing.T) {
	decisions := loadDecisions(t)
	variants := []hooks.Options{{}, {NoOptimize: true}}
	for _, pass := range []string{"lower", "fold", "simplify", "order", "dispatch"} {
		variants = append(variants, hooks.Options{DisablePasses: []string{pass}})
	}
	texts := map[string]*abacc.Program{}
	steps := 0
	for _, opts := range variants {
		progs := map[string]*abacc.Program{}
		for _, d := range decisions {
			prog, ok := progs[d.condition]
			if !ok {
				o := opts
				o.Dialect = uint8(d.dialect)
				prog, _ = compileOpts(d.condition, o)
				progs[d.condition] = prog
			}
			if prog == nil {
				continue // TestCorpora reports it
			}
			req := abacc.NewRequest()
			if err := req.UnmarshalJSON(d.request); err != nil {
				continue
			}
			if err := checkExplanation(prog, req, texts, d.dialect); err != nil {
				t.Errorf("%s: %s (%+v): %v", filepath.Base(d.file), d.name, opts, err)
			}
			steps += len(prog.Explain(req).Steps)
		}
	}
	if steps == 0 {
		t.Fatal("no steps explained")
	}
}

// TestExplainOrderAndSkips pins the shape of one explanation: the tests in the order the
// bytecode ran them (the optimizer puts the cheap Exists first), the dispatch, and the leaf that
// short-circuiting passed.
func TestExplainOrderAndSkips(t *testing.T) {
	prog, err := abacc.Compile(`(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR
		(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringNotEquals 'Baker'
		 AND Exists @Environment[isPrivateLink])`)
	if err != nil {
		t.Fatal(err)
	}
	req := abacc.NewRequest()
	if err := req.UnmarshalJSON([]byte(`{"action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
		"resource": {"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {"Project": "Baker"}},
		"environment": {"isPrivateLink": true}}`)); err != nil {
		t.Fatal(err)
	}
	ex := prog.Explain(req)
	if ex.Result {
		t.Fatalf("result true:\n%s", ex)
	}
	var ran, skipped []string
	for _, st := range ex.Steps {
		if st.Skipped {
			skipped = append(skipped, st.Source)
		} else {
			ran = append(ran, fmt.Sprintf("%v %s", st.Result, st.Source))
		}
	}
	// The Not-operator reads false (the tag is Baker) although its instruction tests equality
	// and found it true.
	want := []string{
		"false !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})",
		"true Exists @Environment[isPrivateLink]",
		"false @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringNotEquals 'Baker'",
	}
	if fmt.Sprint(ran) != fmt.Sprint(want) || len(skipped) != 0 {
		t.Errorf("ran %q, skipped %q, want %q\n%s", ran, skipped, want, ex)
	}
	if !ex.Blocks[0].Decided {
		t.Errorf("the only block did not decide: %+v", ex.Blocks)
	}
}
