package abacc_test

import (
	"fmt"
	"testing"

	"github.com/leanovate/gopter/prop"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/hooks"
	"github.com/abacc/abacc/internal/testgen"
	"github.com/abacc/abacc/internal/vm"
)

// checkExtended: for a condition over the newer operators (testgen.ExtendedCase) and each of
// its requests, the optimized VM, the unoptimized VM, the VM after an Encode/Decode round trip
// and the reference interpreter decide alike, and the explanation of the optimized and the
// unoptimized program decides as Eval does and reads each executed test as its source text
// does (checkExplanation).
func checkExtended(c *testgen.ExtendedCase) string {
	src := c.Text()
	ext := uint8(abacc.DialectExtended)
	opt, err := compileOpts(src, hooks.Options{Dialect: ext})
	if err != nil {
		return fmt.Sprintf("generated condition does not compile: %v\ncondition: %s", err, src)
	}
	noopt, err := compileOpts(src, hooks.Options{Dialect: ext, NoOptimize: true})
	if err != nil {
		return fmt.Sprintf("compiles optimized but not unoptimized: %v\ncondition: %s", err, src)
	}
	dec, err := vm.Decode(hooks.Bytecode(opt).Encode(), attrs.Default)
	if err != nil {
		return fmt.Sprintf("Decode(Encode): %v\ncondition: %s", err, src)
	}
	texts := map[string]*abacc.Program{}
	for _, q := range c.Reqs {
		js := q.JSON()
		req := abacc.NewRequest()
		if err := req.UnmarshalJSON([]byte(js)); err != nil {
			return fmt.Sprintf("generated request rejected: %v\nrequest: %s", err, js)
		}
		ref := opt.EvalReference(req)
		a, b, d := opt.Eval(req), noopt.Eval(req), dec.Eval(hooks.Vector(req))
		if a != ref || b != ref || d != ref {
			return fmt.Sprintf("reference %v, VM %v, unoptimized VM %v, decoded VM %v\ncondition: %s\nrequest: %s\nbytecode:\n%s",
				ref, a, b, d, src, js, opt.Disassemble())
		}
		for _, p := range []*abacc.Program{opt, noopt} {
			if err := checkExplanation(p, req, texts, abacc.DialectExtended); err != nil {
				return fmt.Sprintf("%v\ncondition: %s\nrequest: %s\nbytecode:\n%s", err, src, js, hooks.Bytecode(p).Disassemble())
			}
		}
	}
	return ""
}

// guardedExtended runs checkExtended, turning a panic into a failure message (so that gopter
// shrinks it), as guarded does for testgen.Case.
func guardedExtended(c *testgen.ExtendedCase) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("panic: %v\ncondition: %s", r, c.Text())
		}
	}()
	return checkExtended(c)
}

// TestPropertyExtendedOperators checks checkExtended on conditions over StringEndsWith,
// StringContains and every operator of the extended dialect (testgen.ExtendedCaseGen: the
// operators and their operands follow the operator table, ast.ExtendedOps and each
// operator's Right form) with edge-heavy literals, and requests with edge-heavy values. It
// runs the property tests' count of (condition, request) pairs: -abacc.cases=N or
// ABACC_PROP_CASES (make prop: a million).
func TestPropertyExtendedOperators(t *testing.T) {
	runProperty(t, "extended operators: VM == unoptimized == decoded == reference, Explain == Eval",
		reqsPerCase, prop.ForAll(guardedExtended, testgen.ExtendedCaseGen(reqsPerCase)))
}
