package vm

import (
	"strings"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/match"
)

// values is a read-only view of one side of a comparison: constant values of the program or
// an attribute's values in the request, read as the comparison's type.
type values struct {
	n    int
	kind attrs.Type // storage kind of the values
	want attrs.Type // type the comparison reads them as
	strs []string
	nums []int64
	gds  []attrs.Guid
	keys []attrs.Entry // the key set of a dictionary
}

func (p *Program) side(r *attrs.Vector, s Side, want attrs.Type) values {
	if !s.Attr {
		set := p.Sets[s.Index]
		v := values{n: int(set.N), kind: want, want: want}
		switch want {
		case attrs.TypeString:
			v.strs = p.Strs[set.Off : set.Off+set.N]
		case attrs.TypeGuid:
			v.gds = p.Guids[set.Off : set.Off+set.N]
		default:
			v.nums = p.Nums[set.Off : set.Off+set.N]
		}
		return v
	}
	o := &p.Operands[s.Index]
	if o.Sel == attrs.SelKeys {
		if !r.Slot(o.ID).Present {
			return values{}
		}
		keys := r.Entries(o.ID)
		return values{n: len(keys), kind: attrs.TypeString, want: want, keys: keys}
	}
	sl := slot(r, o)
	if !sl.Present {
		return values{}
	}
	v := values{n: int(sl.N), kind: sl.Kind, want: want}
	switch sl.Kind {
	case attrs.TypeString:
		v.strs = r.StrsOf(sl)
	case attrs.TypeGuid:
		v.gds = r.GuidsOf(sl)
	default:
		v.nums = r.NumsOf(sl)
	}
	return v
}

func (v *values) str(i int) (string, bool) {
	if v.keys != nil {
		return v.keys[i].Key, true
	}
	if v.kind != attrs.TypeString {
		return "", false
	}
	return v.strs[i], true
}

func (v *values) num(i int) (int64, bool) {
	if v.kind == v.want {
		return v.nums[i], true
	}
	if v.kind == attrs.TypeString && v.want == attrs.TypeDateTime && v.keys == nil {
		t, err := attrs.ParseDateTime(v.strs[i])
		return int64(t), err == nil
	}
	return 0, false
}

func (v *values) guid(i int) (attrs.Guid, bool) {
	switch {
	case v.keys != nil:
		g, err := attrs.ParseGuid(v.keys[i].Key)
		return g, err == nil
	case v.kind == attrs.TypeGuid:
		return v.gds[i], true
	case v.kind == attrs.TypeString:
		g, err := attrs.ParseGuid(v.strs[i])
		return g, err == nil
	}
	return attrs.Guid{}, false
}

// pair tests the comparison's positive relation between left value i and right value j. A
// value that cannot be read as the comparison's type satisfies no relation.
func pair(c *Cmp, l *values, i int, r *values, j int) bool {
	switch c.Type {
	case attrs.TypeString:
		a, ok1 := l.str(i)
		b, ok2 := r.str(j)
		if !ok1 || !ok2 {
			return false
		}
		switch c.Rel {
		case RelEq:
			if c.Fold {
				return match.EqualFold(a, b)
			}
			return a == b
		case RelPrefix:
			if c.Fold {
				return match.HasPrefixFold(a, b)
			}
			return len(a) >= len(b) && a[:len(b)] == b
		case RelSuffix:
			if c.Fold {
				return match.HasSuffixFold(a, b)
			}
			return len(a) >= len(b) && a[len(a)-len(b):] == b
		case RelContains:
			return strings.Contains(a, b) // verified unfolded
		case RelLike:
			return match.Like(b, a, c.Fold)
		}
	case attrs.TypeGuid:
		a, ok1 := l.guid(i)
		b, ok2 := r.guid(j)
		return ok1 && ok2 && a == b
	default:
		a, ok1 := l.num(i)
		b, ok2 := r.num(j)
		if !ok1 || !ok2 {
			return false
		}
		switch c.Rel {
		case RelEq:
			return a == b
		case RelLt:
			return a < b
		case RelLe:
			return a <= b
		case RelGt:
			return a > b
		case RelGe:
			return a >= b
		}
	}
	return false
}

// cmp evaluates a comparison descriptor.
func (p *Program) cmp(r *attrs.Vector, c *Cmp) bool {
	if c.Type == attrs.TypeString && c.Rel == RelEq && !c.Fold {
		// The commonest cross product, Azure's own example (a principal's attribute against
		// a resource tag, ForAnyOfAnyValues:StringEquals), compares strings directly when both
		// sides hold only strings.
		if ls, ok := p.strSide(r, c.L); ok {
			if rs, ok := p.strSide(r, c.R); ok {
				return strEqCross(c, ls, rs)
			}
		}
	}
	l := p.side(r, c.L, c.Type)
	rv := p.side(r, c.R, c.Type)
	if c.Quant == QuantNone {
		if l.n != 1 {
			return false
		}
		for j := 0; j < rv.n; j++ {
			if pair(c, &l, 0, &rv, j) {
				return true
			}
		}
		return false
	}
	allL := c.Quant == QuantAllOfAny || c.Quant == QuantAllOfAll
	allR := c.Quant == QuantAnyOfAll || c.Quant == QuantAllOfAll
	for i := 0; i < l.n; i++ {
		// inner: does left value i satisfy the right quantifier?
		inner := allR
		for j := 0; j < rv.n; j++ {
			if pair(c, &l, i, &rv, j) != c.BaseNeg != allR {
				inner = !allR
				break
			}
		}
		if inner != allL {
			return !allL
		}
	}
	return allL
}

// strSide returns the values of one side of a string comparison when they are all plain
// strings: a constant set, or an attribute holding strings (none when it is missing). ok is
// false for dictionary keys and for attributes of another kind, which take the general path.
func (p *Program) strSide(r *attrs.Vector, s Side) (vals []string, ok bool) {
	if !s.Attr {
		set := p.Sets[s.Index]
		return p.Strs[set.Off : set.Off+set.N], true
	}
	o := &p.Operands[s.Index]
	if o.Sel == attrs.SelKeys {
		return nil, false
	}
	sl := slot(r, o)
	switch {
	case !sl.Present:
		return nil, true
	case sl.Kind != attrs.TypeString:
		return nil, false
	}
	return r.StrsOf(sl), true
}

// strEqCross is cmp for a case-sensitive string equality over plain strings: the same
// quantifiers over the same pairs, without reading each value through its side.
func strEqCross(c *Cmp, ls, rs []string) bool {
	if c.Quant == QuantNone {
		if len(ls) != 1 {
			return false
		}
		for _, b := range rs {
			if ls[0] == b {
				return true
			}
		}
		return false
	}
	allL := c.Quant == QuantAllOfAny || c.Quant == QuantAllOfAll
	allR := c.Quant == QuantAnyOfAll || c.Quant == QuantAllOfAll
	for _, a := range ls {
		inner := allR
		for _, b := range rs {
			if (a == b) != c.BaseNeg != allR {
				inner = !allR
				break
			}
		}
		if inner != allL {
			return !allL
		}
	}
	return allL
}
