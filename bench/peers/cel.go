package peers

import (
	"fmt"
	"sync"
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/ext"
)

// cel-go (cel.dev/cel-go, the module formerly published as github.com/google/cel-go)
//
// Variables are declared with types, so the checker resolves every overload at compile time:
//
//	action, subOp            string (lower-cased; subOp "" when absent)
//	s                        map(string, string)  single-valued String attributes and GUIDs
//	b                        map(string, bool)    Boolean attributes
//	t                        map(string, int)     DateTimes as Unix nanoseconds
//	resTags, reqTags, meta   map(string, string)  the dictionaries (empty when missing)
//	csa                      map(string, list(string))  custom security attributes
//	csaInt                   map(string, list(int))
//
// A missing attribute is an absent key, tested with has(s.path) (or `'k' in m`), the CEL
// idiom. ext.Strings() adds lowerAscii. Programs are planned once with
// cel.EvalOptions(cel.OptOptimize), which folds constants, precompiles constant regular
// expressions and turns `x in [constant list]` into a hash-set lookup. Each request's
// variables are bound once into an activation (cel.NewActivation) before timing.

var (
	celEnvOnce sync.Once
	celEnv     *cel.Env
	celEnvErr  error
)

// CELEnv returns the shared declarations (created once; not counted in compile times).
func CELEnv() (*cel.Env, error) {
	celEnvOnce.Do(func() {
		celEnv, celEnvErr = cel.NewEnv(
			cel.Variable("action", cel.StringType),
			cel.Variable("subOp", cel.StringType),
			cel.Variable("s", cel.MapType(cel.StringType, cel.StringType)),
			cel.Variable("b", cel.MapType(cel.StringType, cel.BoolType)),
			cel.Variable("t", cel.MapType(cel.StringType, cel.IntType)),
			cel.Variable("resTags", cel.MapType(cel.StringType, cel.StringType)),
			cel.Variable("reqTags", cel.MapType(cel.StringType, cel.StringType)),
			cel.Variable("meta", cel.MapType(cel.StringType, cel.StringType)),
			cel.Variable("csa", cel.MapType(cel.StringType, cel.ListType(cel.StringType))),
			cel.Variable("csaInt", cel.MapType(cel.StringType, cel.ListType(cel.IntType))),
			ext.Strings(),
		)
	})
	return celEnv, celEnvErr
}

type celProgram struct{ p cel.Program }

func compileCEL(c *Condition) (Program, error) {
	t, ok := Translations[c.ID]
	if !ok || t.CEL == "" {
		return nil, fmt.Errorf("%s: no CEL translation", c.ID)
	}
	env, err := CELEnv()
	if err != nil {
		return nil, err
	}
	ast, iss := env.Compile(t.CELSource())
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	if ast.OutputType() != cel.BoolType {
		return nil, fmt.Errorf("%s: CEL expression has type %v, want bool", c.ID, ast.OutputType())
	}
	p, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, err
	}
	return celProgram{p}, nil
}

// CELVars converts a request into the CEL variables (see above).
func CELVars(r *Req) map[string]any {
	s := map[string]string{}
	b := map[string]bool{}
	t := map[string]int64{}
	for i := range fields {
		f := &fields[i]
		switch f.kind {
		case kString:
			if o := f.str(r); o.OK {
				s[f.short] = o.V
			}
		case kGuid:
			if o := f.guid(r); o.OK {
				s[f.short] = o.V.String()
			}
		case kBool:
			if o := f.boolean(r); o.OK {
				b[f.short] = o.V
			}
		case kTime:
			if o := f.instant(r); o.OK {
				t[f.short] = o.V
			}
		}
	}
	dict := func(d map[string]string) map[string]string {
		if d == nil {
			return map[string]string{}
		}
		return d
	}
	csa := map[string][]string{}
	for k, v := range r.CSA {
		csa[k] = v
	}
	csaInt := map[string][]int64{}
	for k, v := range r.CSAInt {
		csaInt[k] = v
	}
	return map[string]any{
		"action": r.Action, "subOp": r.SubOp, "s": s, "b": b, "t": t,
		"resTags": dict(r.ResTags), "reqTags": dict(r.ReqTags), "meta": dict(r.Meta),
		"csa": csa, "csaInt": csaInt,
	}
}

func (p celProgram) Prepare(c *Case) (any, error) {
	return cel.NewActivation(CELVars(c.Req))
}

func (p celProgram) Decide(in any) (bool, error) {
	out, _, err := p.p.Eval(in)
	if err != nil {
		return false, err
	}
	v, ok := out.Value().(bool)
	if !ok {
		return false, fmt.Errorf("CEL returned %T", out.Value())
	}
	return v, nil
}

func (p celProgram) Loop(inputs []any) func(*testing.B) {
	prog := p.p
	return loop(inputs, func(act cel.Activation) (bool, error) {
		out, _, err := prog.Eval(act)
		if err != nil {
			return false, err
		}
		return out.Value().(bool), nil
	})
}
