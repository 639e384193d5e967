package peers

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	cedar "github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

// cedar-go (github.com/cedar-policy/cedar-go)
//
// Each translation is the body of one Cedar policy,
//
//	permit(principal, action, resource) when { <body> };
//
// parsed and compiled with cedar.NewPolicySetFromBytes (cedar-go folds constants, e.g. set
// literals, and builds its evaluator tree when it parses) and decided with cedar.Authorize
// against an empty entity store: allowed iff the permit policy is satisfied. An evaluation error
// (a missing attribute read without a `has` test, a type error) would make Cedar skip the policy
// and deny; Decide reports it as an error instead, so TestAgreement catches a translation that
// relies on it.
//
// The request's attributes are the Cedar context, a record built once per request (CedarContext):
//
//	action, subOp                   String (lower-cased; subOp "" when absent)
//	<short name>                    every single-valued attribute the request carries: String
//	                                (GUIDs as canonical lower-case text), Boolean, Long (DateTimes
//	                                as Unix nanoseconds); absent when missing, tested with `has`
//	resTags, reqTags, meta          Record of String (empty when missing)
//	resTagKeys, reqTagKeys, metaKeys Set of String: the dictionary's keys (Cedar cannot enumerate
//	                                a record's keys)
//	csa, csaInt                     Record of Set<String> / Set<Long>: custom security attributes
//	csaOne, csaIntOne               Record of String / Long: the value of each custom security
//	                                attribute that has exactly one value (Cedar sets have no size
//	                                or element access; Azure's single-valued operators need it)
//	fold                            Record: the case-folded copies (Fold) of every single-valued
//	                                String attribute, of the three dictionaries (values folded,
//	                                keys as they are) and of the three key sets (keys folded)
//
// The principal, action and resource entities are placeholders (the Azure action is also the
// Action entity's ID, but the policies read context.action, as the other peers read theirs).

// Fold maps s to a canonical member of its class under Unicode simple case folding: each rune
// becomes the lower-case member of its fold orbit (unicode.SimpleFold) when it has one, else the
// orbit's smallest rune. Fold(x) == Fold(y) exactly when strings.EqualFold(x, y), the comparison
// abacc's IgnoreCase operators use; on ASCII it is lower-casing. Cedar has no case-insensitive
// comparison, so the context carries folded copies and the policies compare them with folded
// literals (the corpus's IgnoreCase literals are ASCII, written in lower case).
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

func foldRune(r rune) rune {
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < m {
			m = f
		}
	}
	if l := unicode.ToLower(m); l != m {
		for f := unicode.SimpleFold(m); f != m; f = unicode.SimpleFold(f) {
			if f == l {
				return l
			}
		}
	}
	return m
}

type cedarProgram struct{ ps *cedar.PolicySet }

var cedarEntities = cedar.EntityMap{}

func compileCedar(c *Condition) (Program, error) {
	t, ok := Translations[c.ID]
	if !ok || t.Cedar == "" {
		return nil, fmt.Errorf("%s: no Cedar translation", c.ID)
	}
	ps, err := cedar.NewPolicySetFromBytes(c.ID+".cedar", []byte(t.CedarPolicy()))
	if err != nil {
		return nil, err
	}
	n := 0
	for range ps.All() {
		n++
	}
	if n != 1 {
		return nil, fmt.Errorf("%s: %d Cedar policies, want 1", c.ID, n)
	}
	return cedarProgram{ps}, nil
}

func cedarDict(d map[string]string, f func(string) string) (types.Record, types.Set) {
	m := make(types.RecordMap, len(d))
	keys := make([]types.Value, 0, len(d))
	for k, v := range d {
		m[types.String(k)] = types.String(f(v))
		keys = append(keys, types.String(f(k)))
	}
	return types.NewRecord(m), types.NewSet(keys...)
}

func same(s string) string { return s }

// CedarContext converts a request into the Cedar context record (see above).
func CedarContext(r *Req) types.Record {
	ctx := types.RecordMap{"action": types.String(r.Action), "subOp": types.String(r.SubOp)}
	fold := types.RecordMap{}
	for i := range fields {
		f := &fields[i]
		name := types.String(f.short)
		switch f.kind {
		case kString:
			if o := f.str(r); o.OK {
				ctx[name] = types.String(o.V)
				fold[name] = types.String(Fold(o.V))
			}
		case kGuid:
			if o := f.guid(r); o.OK {
				ctx[name] = types.String(o.V.String())
			}
		case kBool:
			if o := f.boolean(r); o.OK {
				ctx[name] = types.Boolean(o.V)
			}
		case kTime:
			if o := f.instant(r); o.OK {
				ctx[name] = types.Long(o.V)
			}
		case kDict:
			d := *f.dict(r)
			keys := types.String(strings.TrimSuffix(f.short, "s") + "Keys") // resTagKeys, reqTagKeys, metaKeys
			ctx[name], ctx[keys] = cedarDict(d, same)
			fold[name], fold[keys] = cedarDict(d, Fold)
		}
	}
	csa, csaOne := types.RecordMap{}, types.RecordMap{}
	for k, vs := range r.CSA {
		set := make([]types.Value, len(vs))
		for i, v := range vs {
			set[i] = types.String(v)
		}
		csa[types.String(k)] = types.NewSet(set...)
		if len(vs) == 1 {
			csaOne[types.String(k)] = types.String(vs[0])
		}
	}
	csaInt, csaIntOne := types.RecordMap{}, types.RecordMap{}
	for k, vs := range r.CSAInt {
		set := make([]types.Value, len(vs))
		for i, v := range vs {
			set[i] = types.Long(v)
		}
		csaInt[types.String(k)] = types.NewSet(set...)
		if len(vs) == 1 {
			csaIntOne[types.String(k)] = types.Long(vs[0])
		}
	}
	ctx["csa"], ctx["csaOne"] = types.NewRecord(csa), types.NewRecord(csaOne)
	ctx["csaInt"], ctx["csaIntOne"] = types.NewRecord(csaInt), types.NewRecord(csaIntOne)
	ctx["fold"] = types.NewRecord(fold)
	return types.NewRecord(ctx)
}

// CedarRequest converts a request into a Cedar request (placeholder entities, CedarContext).
func CedarRequest(r *Req) cedar.Request {
	return cedar.Request{
		Principal: cedar.NewEntityUID("Principal", "p"),
		Action:    cedar.NewEntityUID("Action", types.String(r.Action)),
		Resource:  cedar.NewEntityUID("Resource", "r"),
		Context:   CedarContext(r),
	}
}

func (p cedarProgram) Prepare(c *Case) (any, error) { return CedarRequest(c.Req), nil }

func decideCedar(ps *cedar.PolicySet, req cedar.Request) (bool, error) {
	d, diag := cedar.Authorize(ps, cedarEntities, req)
	if len(diag.Errors) != 0 {
		return false, fmt.Errorf("cedar: %s", diag.Errors[0].Message)
	}
	return d == cedar.Allow, nil
}

func (p cedarProgram) Decide(in any) (bool, error) { return decideCedar(p.ps, in.(cedar.Request)) }

func (p cedarProgram) Loop(inputs []any) func(*testing.B) {
	ps := p.ps
	return loop(inputs, func(req cedar.Request) (bool, error) { return decideCedar(ps, req) })
}
