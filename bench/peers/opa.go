package peers

import (
	"context"
	"fmt"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// OPA (github.com/open-policy-agent/opa/v1/rego)
//
// Each translation is a Rego v1 module of package abacc defining allow (the module text after
// the package line); the query data.abacc.allow is prepared once with
// rego.New(...).PrepareForEval. The input is Req.Flat converted once to an ast.Value
// (ast.InterfaceToValue) and passed with rego.EvalParsedInput, which skips the per-call
// conversion of a Go value: OPA's documented fast path for repeated evaluation. A missing
// attribute is an absent key (undefined in Rego). Rule indexing and early exit are on
// (OPA's defaults).

const opaQuery = "data.abacc.allow"

type opaProgram struct{ pq rego.PreparedEvalQuery }

func compileOPA(c *Condition) (Program, error) {
	t, ok := Translations[c.ID]
	if !ok || t.Rego == "" {
		return nil, fmt.Errorf("%s: no Rego translation", c.ID)
	}
	pq, err := rego.New(
		rego.Query(opaQuery),
		rego.Module(c.ID+".rego", t.RegoModule()),
	).PrepareForEval(context.Background())
	if err != nil {
		return nil, err
	}
	return opaProgram{pq}, nil
}

// OPAInput converts a request into OPA's parsed input.
func OPAInput(r *Req) (ast.Value, error) { return ast.InterfaceToValue(r.Flat()) }

func (p opaProgram) Prepare(c *Case) (any, error) { return OPAInput(c.Req) }

func decideOPA(pq *rego.PreparedEvalQuery, in ast.Value) (bool, error) {
	rs, err := pq.Eval(context.Background(), rego.EvalParsedInput(in))
	if err != nil {
		return false, err
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return false, fmt.Errorf("OPA: %d results (allow must always be defined)", len(rs))
	}
	v, ok := rs[0].Expressions[0].Value.(bool)
	if !ok {
		return false, fmt.Errorf("OPA returned %T", rs[0].Expressions[0].Value)
	}
	return v, nil
}

func (p opaProgram) Decide(in any) (bool, error) { return decideOPA(&p.pq, in.(ast.Value)) }

func (p opaProgram) Loop(inputs []any) func(*testing.B) {
	pq := p.pq
	return loop(inputs, func(in ast.Value) (bool, error) { return decideOPA(&pq, in) })
}
