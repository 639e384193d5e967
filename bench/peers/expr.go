package peers

import (
	"fmt"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// expr (github.com/expr-lang/expr)
//
// The environment is a map[string]any: with expr.Env(map[string]any{...}) at compile time,
// expr compiles every variable to OpLoadFast, a plain map index, which is its fast path (a
// struct environment goes through reflection, OpLoadField, and boxes every field it reads).
// The schema below gives every variable its type for the checker; a request's map holds only
// the attributes the request carries, so a missing attribute reads as nil (Req.Flat), the
// three dictionaries and the custom security attributes are always present (maybe empty).
// DateTimes are int Unix nanoseconds and GUIDs canonical lower-case strings (see Req).
// Programs are compiled with expr.AsBool() and run with expr.Run.

func exprSchema() map[string]any {
	m := map[string]any{}
	for _, f := range fields {
		switch f.kind {
		case kString, kGuid:
			m[f.short] = ""
		case kBool:
			m[f.short] = false
		case kTime:
			m[f.short] = 0
		case kDict:
			m[f.short] = map[string]string{}
		}
	}
	m["action"], m["subOp"] = "", ""
	m["csa"] = map[string][]string{}
	m["csaInt"] = map[string][]int{}
	return m
}

var exprEnvSchema = exprSchema()

type exprProgram struct{ p *vm.Program }

func compileExpr(c *Condition) (Program, error) {
	t, ok := Translations[c.ID]
	if !ok || t.Expr == "" {
		return nil, fmt.Errorf("%s: no expr translation", c.ID)
	}
	p, err := expr.Compile(t.ExprSource(), expr.Env(exprEnvSchema), expr.AsBool())
	if err != nil {
		return nil, err
	}
	return exprProgram{p}, nil
}

// ExprEnv converts a request into expr's environment.
func ExprEnv(r *Req) map[string]any {
	m := r.Flat()
	for _, f := range fields {
		if f.kind == kTime {
			if v, ok := m[f.short]; ok {
				m[f.short] = int(v.(int64))
			}
		}
	}
	csaInt := map[string][]int{}
	for k, vs := range r.CSAInt {
		l := make([]int, len(vs))
		for i, v := range vs {
			l[i] = int(v)
		}
		csaInt[k] = l
	}
	m["csaInt"] = csaInt
	return m
}

func (p exprProgram) Prepare(c *Case) (any, error) { return ExprEnv(c.Req), nil }

func (p exprProgram) Decide(in any) (bool, error) {
	out, err := expr.Run(p.p, in)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("expr returned %T", out)
	}
	return b, nil
}

func (p exprProgram) Loop(inputs []any) func(*testing.B) {
	prog := p.p
	return loop(inputs, func(env map[string]any) (bool, error) {
		out, err := expr.Run(prog, env)
		if err != nil {
			return false, err
		}
		return out.(bool), nil
	})
}
