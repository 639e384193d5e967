package vm

import (
	"sort"
	"strings"
	"unsafe"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ipaddr"
	"github.com/abacc/abacc/internal/match"
)

// Tracer receives, for each executed test or switch instruction, its index and its raw result
// (for a switch: whether a case matched).
type Tracer interface {
	Step(pc int, result bool)
}

// run is the interpreter. runTrace (exec_trace.go) is generated from it by TestTraceLoop: the
// same loop with each "//trace:" comment made a statement and each "//untraced:" region left
// out, so that tracing costs the plain loop nothing and the two can never disagree. Edit run,
// then `go test ./internal/vm -update`.
func (p *Program) run(r *attrs.Vector) bool {
	//untraced:begin
	// Start where the request's operation says, in the code specialised to it (actions.go).
	code, pc := p.ops.code, 0
	if key := r.OperationKey(); uint(key) < uint(len(p.ops.entry)) {
		if pc = int(p.ops.entry[key]); pc >= entryTrue {
			return pc == entryTrue
		}
	}
	//untraced:end
	// (The traced loop runs the code as written, which reports every test.)
	//trace: code, pc := p.ops.code[:len(p.Code)], 0
	for {
		in := &code[pc]
		var res bool
		switch in.Op {
		case OpRetTrue:
			return true
		case OpRetFalse:
			return false
		case OpJump:
			pc = int(in.Jump)
			continue
		case OpSwitch:
			sw := &p.Switches[in.B]
			next := int(sw.Default)
			if i := p.find(r.ActionFolded(), p.Sets[sw.Set]); i >= 0 {
				next = int(sw.Targets[i])
			}
			//trace: t.Step(pc, next != int(sw.Default))
			pc = next
			continue
		case OpAction:
			// Action and suboperation tests run here only for what the catalog does not
			// know: specialisation (actions.go) decided them for every catalog operation.
			res = p.action(r.ActionFolded(), in.B)
		case OpActionIn:
			res = p.strIn(r.ActionFolded(), in.B)
		case OpSubOp:
			res = r.HasSubOp() && p.strIn(r.SubOpFolded(), in.B)
		case OpExists:
			res = p.exists(r, &p.Operands[in.A])
		case OpStrEq:
			// The commonest tests read their operand inline (the readers, str and num, are
			// too large for the compiler to inline, and a call per test is most of its cost),
			// from what the derived instruction carries (xinstr).
			s := r.Slot(in.id)
			if in.sel != attrs.SelValue {
				s = keySlot(r, &p.Operands[in.A])
			}
			res = s.N == 1 && s.Kind == attrs.TypeString && r.Str(s.Off) == in.str
		case OpStrEqFold:
			s, ok := p.strOf(r, in)
			res = ok && match.EqualFold(s, in.str)
		case OpStrPrefix:
			s := r.Slot(in.id)
			if in.sel != attrs.SelValue {
				s = keySlot(r, &p.Operands[in.A])
			}
			if s.N == 1 && s.Kind == attrs.TypeString {
				v, k := r.Str(s.Off), in.str
				res = len(v) >= len(k) && v[:len(k)] == k
			}
		case OpStrPrefixFold:
			s, ok := p.strOf(r, in)
			res = ok && match.HasPrefixFold(s, in.str)
		case OpStrSuffix:
			s, ok := p.strOf(r, in)
			k := in.str
			res = ok && len(s) >= len(k) && s[len(s)-len(k):] == k
		case OpStrSuffixFold:
			s, ok := p.strOf(r, in)
			res = ok && match.HasSuffixFold(s, in.str)
		case OpStrLike:
			s, ok := p.strOf(r, in)
			res = ok && match.Like(in.str, s, false)
		case OpStrLikeFold:
			s, ok := p.strOf(r, in)
			res = ok && match.LikeFolded(in.str, s)
		case OpStrIn:
			s, ok := p.strOf(r, in)
			res = ok && p.strIn(s, in.B)
		case OpStrInFold:
			s, ok := p.strOf(r, in)
			res = ok && p.strInFold(s, in.B)
		case OpNumEq, OpNumLt, OpNumLe, OpNumGt, OpNumGe:
			s := r.Slot(in.id)
			if in.sel != attrs.SelValue {
				s = keySlot(r, &p.Operands[in.A])
			}
			var v int64
			ok := s.N == 1
			if ok && s.Kind == in.typ {
				v = r.Num(s.Off)
			} else if ok {
				v, ok = convertNum(r, s, 0, in.typ)
			}
			res = ok && numRelations[(in.Op-OpNumEq)&7]&order(v, in.num) != 0
		case OpNumIn:
			v, ok := p.num(r, &p.Operands[in.A])
			res = ok && p.numIn(v, p.Sets[in.B])
		case OpGuidEq:
			g, ok := p.guid(r, &p.Operands[in.A])
			res = ok && g == p.Guids[in.B]
		case OpGuidIn:
			g, ok := p.guid(r, &p.Operands[in.A])
			res = ok && p.guidIn(g, p.Sets[in.B])
		case OpInAny, OpInAnyFold, OpInAll, OpInAllFold:
			fold := in.Op == OpInAnyFold || in.Op == OpInAllFold
			if s := r.Slot(in.id); s.N == 1 && s.Kind == in.typ && in.sel == attrs.SelValue {
				// The commonest case, one value of the operand's type: "any" and "all" agree
				// on a single value.
				switch {
				case in.typ == attrs.TypeGuid:
					res = p.guidIn(r.GuidAt(s.Off), p.Sets[in.B])
				case in.typ != attrs.TypeString:
					res = p.numIn(r.Num(s.Off), p.Sets[in.B])
				case fold:
					res = p.strInFold(r.Str(s.Off), in.B)
				default:
					res = p.strIn(r.Str(s.Off), in.B)
				}
			} else {
				res = p.inSet(r, &p.Operands[in.A], in.B, fold, in.Op == OpInAll || in.Op == OpInAllFold)
			}
		case OpCmp:
			res = p.cmp(r, &p.Cmps[in.B])
		case OpStrContains:
			s, ok := p.strOf(r, in)
			res = ok && strings.Contains(s, in.str)
		case OpIPIn:
			if s, ok := p.strOf(r, in); ok {
				a, ok := ipaddr.Parse(s)
				res = ok && p.ipIn(a, p.Sets[in.B])
			}
		case OpTimeIn:
			v, ok := p.num(r, &p.Operands[in.A])
			res = ok && p.timeIn(attrs.TimeOfDay(attrs.Instant(v)), p.Sets[in.B])
		}
		//trace: t.Step(pc, res)
		if res == (in.Flag&FlagJumpIfTrue != 0) {
			pc = int(in.Jump)
		} else {
			pc++
		}
	}
}

// numRelations holds, for OpNumEq, OpNumLt, OpNumLe, OpNumGt and OpNumGe (in that order), the
// orderings (order's bits) in which the relation holds.
var numRelations = [8]uint8{orderEqual, orderLess, orderLess | orderEqual, orderGreater, orderGreater | orderEqual}

// The orderings of two numbers, as bits.
const (
	orderLess = 1 << iota
	orderEqual
	orderGreater
)

// order compares a with b.
func order(a, b int64) uint8 {
	switch {
	case a < b:
		return orderLess
	case a == b:
		return orderEqual
	}
	return orderGreater
}

// slot returns the values an operand reads (not Present if missing). Keys selectors are
// handled by their callers. It and the readers below are kept small enough for the compiler to
// inline into run (the common case, a whole value of the expected type, costs no call); the
// dictionary lookup and the parsing of untyped strings stay out of line.
func slot(r *attrs.Vector, o *Operand) attrs.Slot {
	if o.Sel == attrs.SelKey {
		return keySlot(r, o)
	}
	return r.Slot(o.ID)
}

// keySlot reads one key of a dictionary attribute (out of line: see slot).
//
//go:noinline
func keySlot(r *attrs.Vector, o *Operand) attrs.Slot {
	if !r.Slot(o.ID).Present {
		return attrs.Slot{}
	}
	return r.Entry(o.ID, o.Key)
}

func (p *Program) exists(r *attrs.Vector, o *Operand) bool {
	if o.Sel == attrs.SelKeys {
		return r.Slot(o.ID).Present
	}
	return slot(r, o).Present
}

// str reads a single-valued string: ok is false when the attribute is missing, holds other than
// exactly one value, or holds a non-string (an untyped attribute of another kind).
func (p *Program) str(r *attrs.Vector, o *Operand) (string, bool) {
	s := slot(r, o)
	if s.N != 1 || s.Kind != attrs.TypeString {
		return "", false
	}
	return r.Str(s.Off), true
}

// strOf is str for the operand of a derived instruction, read from what it carries; small
// enough to be inlined, with the rarer cases (a dictionary key, no single string) out of line.
func (p *Program) strOf(r *attrs.Vector, in *xinstr) (string, bool) {
	if s := r.Slot(in.id); s.N == 1 && s.Kind == attrs.TypeString && in.sel == attrs.SelValue {
		return r.Str(s.Off), true
	}
	return p.str(r, &p.Operands[in.A])
}

// num reads a single Integer, Boolean or DateTime value; an untyped string is parsed when the
// operand is read as DateTime.
func (p *Program) num(r *attrs.Vector, o *Operand) (int64, bool) {
	s := slot(r, o)
	if s.N != 1 {
		return 0, false
	}
	if s.Kind == o.Type {
		return r.Num(s.Off), true
	}
	return convertNum(r, s, 0, o.Type)
}

func numAt(r *attrs.Vector, s attrs.Slot, i uint32, want attrs.Type) (int64, bool) {
	if s.Kind == want {
		return r.Num(s.Off + i), true
	}
	return convertNum(r, s, i, want)
}

// convertNum reads value i of a slot not stored as want: an untyped string read as DateTime is
// parsed; nothing else converts.
func convertNum(r *attrs.Vector, s attrs.Slot, i uint32, want attrs.Type) (int64, bool) {
	if s.Kind == attrs.TypeString && want == attrs.TypeDateTime {
		t, err := attrs.ParseDateTime(r.Str(s.Off + i))
		return int64(t), err == nil
	}
	return 0, false
}

func (p *Program) guid(r *attrs.Vector, o *Operand) (attrs.Guid, bool) {
	s := slot(r, o)
	if s.N != 1 {
		return attrs.Guid{}, false
	}
	return guidAt(r, s, 0)
}

func guidAt(r *attrs.Vector, s attrs.Slot, i uint32) (attrs.Guid, bool) {
	switch s.Kind {
	case attrs.TypeGuid:
		return r.GuidAt(s.Off + i), true
	case attrs.TypeString:
		g, err := attrs.ParseGuid(r.Str(s.Off + i))
		return g, err == nil
	}
	return attrs.Guid{}, false
}

// action matches the folded action against set b of folded patterns (verified folded), split
// at their stars by Verify.
func (p *Program) action(action string, b uint16) bool {
	if int(b) < len(p.ops.patterns) && p.ops.patterns[b] != nil {
		for i := range p.ops.patterns[b] {
			if p.ops.patterns[b][i].Match(action) {
				return true
			}
		}
		return false
	}
	set := p.Sets[b]
	for _, pat := range p.Strs[set.Off : set.Off+set.N] {
		if match.ActionFolded(pat, action) {
			return true
		}
	}
	return false
}

// linearMax is the set size up to which a linear scan beats binary search.
const linearMax = 8

// strIn reports whether s is a member of string set b.
func (p *Program) strIn(s string, b uint16) bool {
	set := p.Sets[b]
	vals := p.Strs[set.Off : set.Off+set.N]
	if len(vals) > linearMax {
		if int(b) < len(p.strIndexes) && p.strIndexes[b].slots != nil {
			return p.strIndexes[b].has(vals, s)
		}
		if set.Sorted {
			i := sort.SearchStrings(vals, s)
			return i < len(vals) && vals[i] == s
		}
	}
	for _, v := range vals {
		if v == s {
			return true
		}
	}
	return false
}

// find returns the index of s in a string set, or -1.
func (p *Program) find(s string, set Set) int {
	vals := p.Strs[set.Off : set.Off+set.N]
	if !set.Sorted || len(vals) <= linearMax {
		for i, v := range vals {
			if v == s {
				return i
			}
		}
		return -1
	}
	i := sort.SearchStrings(vals, s)
	if i < len(vals) && vals[i] == s {
		return i
	}
	return -1
}

// foldBufLen bounds the value folded on the stack for binary search in folded sets; longer
// values fall back to a linear scan.
const foldBufLen = 256

// strInFold reports whether s is a member of string set b (of folded values) under simple
// case folding.
func (p *Program) strInFold(s string, b uint16) bool {
	set := p.Sets[b]
	vals := p.Strs[set.Off : set.Off+set.N]
	// Only a sorted set is verified to hold folded values, which a folded key can be
	// searched for.
	if set.Sorted && len(vals) > linearMax && len(s) <= foldBufLen/2 {
		var buf [foldBufLen]byte
		if f, ok := foldInto(buf[:0], s); ok {
			// The folded bytes live on the stack only for this search: no allocation.
			key := unsafe.String(unsafe.SliceData(f), len(f))
			if int(b) < len(p.strIndexes) && p.strIndexes[b].slots != nil {
				return p.strIndexes[b].has(vals, key)
			}
			i := sort.SearchStrings(vals, key)
			return i < len(vals) && vals[i] == key
		}
	}
	for _, v := range vals {
		if match.EqualFold(s, v) {
			return true
		}
	}
	return false
}

// foldInto appends the folded form of s to buf, if it fits without growing.
func foldInto(buf []byte, s string) ([]byte, bool) {
	for _, r := range s {
		f := match.FoldRune(r)
		if f < 0x80 {
			if len(buf) == cap(buf) {
				return nil, false
			}
			buf = append(buf, byte(f))
			continue
		}
		if cap(buf)-len(buf) < 4 {
			return nil, false
		}
		buf = appendRune(buf, f)
	}
	return buf, true
}

func appendRune(b []byte, r rune) []byte {
	switch {
	case r < 0x800:
		return append(b, byte(0xC0|r>>6), byte(0x80|r&0x3F))
	case r < 0x10000:
		return append(b, byte(0xE0|r>>12), byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return append(b, byte(0xF0|r>>18), byte(0x80|(r>>12)&0x3F), byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
}

func (p *Program) numIn(v int64, set Set) bool {
	vals := p.Nums[set.Off : set.Off+set.N]
	if !set.Sorted || len(vals) <= linearMax {
		for _, x := range vals {
			if x == v {
				return true
			}
		}
		return false
	}
	lo, hi := 0, len(vals)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if vals[m] < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(vals) && vals[lo] == v
}

func (p *Program) guidIn(g attrs.Guid, set Set) bool {
	vals := p.Guids[set.Off : set.Off+set.N]
	if !set.Sorted || len(vals) <= linearMax {
		for _, x := range vals {
			if x == g {
				return true
			}
		}
		return false
	}
	lo, hi := 0, len(vals)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if vals[m].Compare(g) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(vals) && vals[lo] == g
}

// inSet tests the values of an operand against a constant set: whether any (or, with all, every)
// value is a member. Values that cannot be read as the operand's type are members of nothing.
func (p *Program) inSet(r *attrs.Vector, o *Operand, b uint16, fold, all bool) bool {
	set := p.Sets[b]
	if o.Sel == attrs.SelKeys {
		if !r.Slot(o.ID).Present {
			return all
		}
		for _, e := range r.Entries(o.ID) {
			var in bool
			if fold {
				in = p.strInFold(e.Key, b)
			} else {
				in = p.strIn(e.Key, b)
			}
			if in != all {
				return in
			}
		}
		return all
	}
	s := slot(r, o)
	for i := uint32(0); i < s.N; i++ {
		var in bool
		switch o.Type {
		case attrs.TypeString:
			if s.Kind == attrs.TypeString {
				v := r.Str(s.Off + i)
				if fold {
					in = p.strInFold(v, b)
				} else {
					in = p.strIn(v, b)
				}
			}
		case attrs.TypeGuid:
			if g, ok := guidAt(r, s, i); ok {
				in = p.guidIn(g, set)
			}
		default:
			if v, ok := numAt(r, s, i, o.Type); ok {
				in = p.numIn(v, set)
			}
		}
		if in != all {
			return in
		}
	}
	return all
}

// ipIn reports whether address a lies in a range of an address range table: binary search for
// the first range whose last address is not below a, then a check of its first address.
func (p *Program) ipIn(a ipaddr.Addr, set Set) bool {
	t := p.Guids[set.Off : set.Off+set.N]
	g := attrs.Guid{Hi: a.Hi, Lo: a.Lo}
	lo, hi := 0, len(t)/2
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t[2*m+1].Compare(g) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(t)/2 && t[2*lo].Compare(g) <= 0
}

// timeIn reports whether a time of day lies in a range of a time range table (binary search,
// as ipIn).
func (p *Program) timeIn(sec int32, set Set) bool {
	t := p.Nums[set.Off : set.Off+set.N]
	v := int64(sec)
	lo, hi := 0, len(t)/2
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t[2*m+1] < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(t)/2 && t[2*lo] <= v
}
