package vm

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/match"
)

// VerifyError names the first problem the verifier found.
type VerifyError struct {
	PC  int // instruction index, or -1 for tables
	Msg string
}

func (e *VerifyError) Error() string {
	if e.PC >= 0 {
		return fmt.Sprintf("bytecode verification failed at instruction %d: %s", e.PC, e.Msg)
	}
	return "bytecode verification failed: " + e.Msg
}

// Verify checks everything the interpreter relies on: every opcode, flag, operand, constant,
// set and comparison index, every type, that jumps only go forward and stay inside the code,
// that the code ends with a return, that sorted sets are sorted (binary search depends on it)
// and that operands name attributes of cat. A program that passes cannot make Eval panic,
// loop or read out of bounds, whatever request it is given. It returns the sealed form that
// alone can run (Verified), built from a private copy of p.
func Verify(p *Program, cat *attrs.Catalog) (*Verified, error) {
	if err := check(p, cat); err != nil {
		return nil, err
	}
	q := p.clone()
	q.ops = specialise(q, cat)
	q.strIndexes = indexStringSets(q)
	return &Verified{p: q}, nil
}

// VerifyOwned is Verify for a program its caller gives up: it seals p itself rather than a
// copy, sparing a copy of every table. The caller must neither keep p nor change it afterwards;
// the compiler calls it on the program code generation has just built for it alone.
func VerifyOwned(p *Program, cat *attrs.Catalog) (*Verified, error) {
	if err := check(p, cat); err != nil {
		return nil, err
	}
	p.ops = specialise(p, cat)
	p.strIndexes = indexStringSets(p)
	return &Verified{p: p}, nil
}

// check is the verifier proper.
func check(p *Program, cat *attrs.Catalog) error {
	v := &verifier{p: p, cat: cat}
	if p.Version > FormatVersion {
		return &VerifyError{-1, fmt.Sprintf("format version %d is newer than this abacc's %d", p.Version, FormatVersion)}
	}
	if need := p.NeedsVersion(); p.Version != 0 && need > p.Version {
		return &VerifyError{-1, fmt.Sprintf("a format %d program uses instructions or relations of format %d", p.Version, need)}
	}
	v.tables()
	if v.err != nil {
		return v.err
	}
	n := len(p.Code)
	if n == 0 || n > 65535 {
		return &VerifyError{-1, fmt.Sprintf("program has %d instructions (1 to 65535 allowed)", n)}
	}
	if len(p.Spans) != n {
		return &VerifyError{-1, "span table length differs from the code length"}
	}
	if last := p.Code[n-1].Op; last.Info().Flow != FlowReturn {
		return &VerifyError{n - 1, "the last instruction must return"}
	}
	for pc, in := range p.Code {
		if msg := v.instr(pc, in); msg != "" {
			return &VerifyError{pc, msg}
		}
		sp := p.Spans[pc]
		if sp.Pos > sp.End || (p.Source != "" && int(sp.End) > len(p.Source)) {
			return &VerifyError{pc, "source span out of range"}
		}
	}
	return nil
}

type verifier struct {
	p   *Program
	cat *attrs.Catalog
	err error
}

func (v *verifier) failf(format string, args ...any) {
	if v.err == nil {
		v.err = &VerifyError{-1, fmt.Sprintf(format, args...)}
	}
}

func validType(t attrs.Type) bool { return t >= attrs.TypeString && t <= attrs.TypeGuid }

// tables checks the operand, set and comparison tables.
func (v *verifier) tables() {
	p := v.p
	for i, o := range p.Operands {
		if int(o.ID) >= v.cat.Len() {
			v.failf("operand %d: attribute id %d out of range", i, o.ID)
			return
		}
		a := v.cat.Attr(o.ID)
		if a.Source != o.Source || a.Name != o.Name {
			v.failf("operand %d: linked to @%s[%s], names @%s[%s]", i, a.Source, a.Name, o.Source, o.Name)
			return
		}
		if !validType(o.Type) {
			v.failf("operand %d: bad type %d", i, o.Type)
			return
		}
		switch o.Sel {
		case attrs.SelValue:
			if a.Dict != attrs.NotDict || o.Key != "" {
				v.failf("operand %d: a plain read of dictionary @%s[%s]", i, a.Source, a.Name)
				return
			}
		case attrs.SelKey:
			if a.Dict == attrs.NotDict {
				v.failf("operand %d: a key of non-dictionary @%s[%s]", i, a.Source, a.Name)
				return
			}
		case attrs.SelKeys:
			if a.Dict != attrs.DictTagged || o.Key != "" || o.Type != attrs.TypeString {
				v.failf("operand %d: a key set of @%s[%s] that has none", i, a.Source, a.Name)
				return
			}
		default:
			v.failf("operand %d: bad selector %d", i, o.Sel)
			return
		}
		if a.Type != attrs.Untyped && o.Sel != attrs.SelKeys && a.Type != o.Type {
			v.failf("operand %d: reads %s attribute @%s[%s] as %s", i, a.Type, a.Source, a.Name, o.Type)
			return
		}
	}
	for i, c := range p.Cmps {
		if msg := v.cmp(c); msg != "" {
			v.failf("comparison %d: %s", i, msg)
			return
		}
	}
}

// poolLen is the length of the constant pool a type's values live in.
func (v *verifier) poolLen(t attrs.Type) int {
	switch t {
	case attrs.TypeString:
		return len(v.p.Strs)
	case attrs.TypeGuid:
		return len(v.p.Guids)
	}
	return len(v.p.Nums)
}

// set checks set index i as a range of the pool of type t, sorted if it says so.
func (v *verifier) set(i uint16, t attrs.Type, folded bool) string {
	if int(i) >= len(v.p.Sets) {
		return fmt.Sprintf("set %d out of range", i)
	}
	s := v.p.Sets[i]
	if uint64(s.Off)+uint64(s.N) > uint64(v.poolLen(t)) {
		return fmt.Sprintf("set %d range out of its pool", i)
	}
	if !s.Sorted {
		return ""
	}
	switch t {
	case attrs.TypeString:
		strs := v.p.Strs[s.Off : s.Off+s.N]
		if !slices.IsSorted(strs) {
			return fmt.Sprintf("set %d claims to be sorted but is not", i)
		}
		if folded {
			for _, x := range strs {
				if !isFolded(x) {
					return fmt.Sprintf("set %d of a folded search holds an unfolded string", i)
				}
			}
		}
	case attrs.TypeGuid:
		if !slices.IsSortedFunc(v.p.Guids[s.Off:s.Off+s.N], attrs.Guid.Compare) {
			return fmt.Sprintf("set %d claims to be sorted but is not", i)
		}
	default:
		if !slices.IsSorted(v.p.Nums[s.Off : s.Off+s.N]) {
			return fmt.Sprintf("set %d claims to be sorted but is not", i)
		}
	}
	return ""
}

func (v *verifier) cmp(c Cmp) string {
	if c.Quant >= numQuants || c.Rel >= numRels || !validType(c.Type) {
		return "bad quantifier, relation or type"
	}
	switch c.Type {
	case attrs.TypeString:
		if c.Rel != RelEq && c.Rel != RelPrefix && c.Rel != RelLike && c.Rel != RelSuffix && c.Rel != RelContains {
			return "relation does not apply to strings"
		}
	case attrs.TypeBoolean, attrs.TypeGuid:
		if c.Rel != RelEq {
			return "relation does not apply to the type"
		}
	default:
		if c.Rel != RelEq && c.Rel != RelLt && c.Rel != RelLe && c.Rel != RelGt && c.Rel != RelGe {
			return "relation does not apply to numbers"
		}
	}
	if c.Fold && (c.Type != attrs.TypeString || c.Rel == RelContains) {
		return "case folding of a comparison that has none"
	}
	for _, s := range []Side{c.L, c.R} {
		if s.Attr {
			if int(s.Index) >= len(v.p.Operands) {
				return "operand out of range"
			}
			if v.p.Operands[s.Index].Type != c.Type {
				return "operand type differs from the comparison's"
			}
		} else if msg := v.set(s.Index, c.Type, false); msg != "" {
			return msg
		}
	}
	return ""
}

// instr checks one instruction against its opcode's table entry: its flow says which of Flag
// and Jump it uses, its kinds what A and B must hold.
func (v *verifier) instr(pc int, in Instr) string {
	p := v.p
	if !in.Op.Valid() {
		return fmt.Sprintf("unknown opcode %d", in.Op)
	}
	info := in.Op.Info()
	if info.Flow == FlowTest {
		if in.Flag&^testFlags != 0 || (!p.NegationKnown() && in.Flag&(FlagNegatedText|FlagPartialText) != 0) {
			return "unknown flags"
		}
	} else if in.Flag != 0 || (info.A == KindNone && in.A != 0) || (info.B == KindNone && in.B != 0) ||
		(info.Flow != FlowJump && in.Jump != 0) {
		// Only tests have flags, and only tests and jumps a target.
		return "unused fields must be zero"
	}
	if info.Flow == FlowTest || info.Flow == FlowJump {
		if int(in.Jump) <= pc || int(in.Jump) >= len(p.Code) {
			return fmt.Sprintf("jump target %d is not forward inside the code", in.Jump)
		}
	}
	switch info.A {
	case KindNone:
		if in.A != 0 {
			return "unused operand field must be zero"
		}
	case KindOperand:
		if int(in.A) >= len(p.Operands) {
			return fmt.Sprintf("operand %d out of range", in.A)
		}
		// A test against a constant or set of one pool reads one value of the pool's type.
		if o := p.Operands[in.A]; info.B.pool() != attrs.Untyped {
			if o.Sel == attrs.SelKeys {
				return "a single-valued test of a key set"
			}
			if !info.B.reads(o.Type) {
				return fmt.Sprintf("%s reads a %s operand", in.Op, o.Type)
			}
		}
	}
	switch info.B {
	case KindNone:
		if in.B != 0 {
			return "unused constant field must be zero"
		}
	case KindStr:
		if int(in.B) >= len(p.Strs) {
			return fmt.Sprintf("string constant %d out of range", in.B)
		}
	case KindNum:
		if int(in.B) >= len(p.Nums) {
			return fmt.Sprintf("numeric constant %d out of range", in.B)
		}
	case KindGuid:
		if int(in.B) >= len(p.Guids) {
			return fmt.Sprintf("guid constant %d out of range", in.B)
		}
	case KindStrSet:
		return v.set(in.B, attrs.TypeString, in.Op.Folds())
	case KindNumSet:
		return v.set(in.B, attrs.TypeInteger, false)
	case KindGuidSet:
		return v.set(in.B, attrs.TypeGuid, false)
	case KindOperandSet:
		o := p.Operands[in.A]
		if in.Op.Folds() && o.Type != attrs.TypeString {
			return "case folding of a non-string operand"
		}
		return v.set(in.B, o.Type, in.Op.Folds())
	case KindActionSet:
		// Compared byte for byte with the request's folded action or suboperation.
		if msg := v.set(in.B, attrs.TypeString, false); msg != "" {
			return msg
		}
		s := p.Sets[in.B]
		for _, x := range p.Strs[s.Off : s.Off+s.N] {
			if !isFolded(x) {
				return "an action or suboperation pattern is not folded"
			}
		}
	case KindCmp:
		if int(in.B) >= len(p.Cmps) {
			return fmt.Sprintf("comparison %d out of range", in.B)
		}
	case KindSwitch:
		return v.switchTable(pc, in.B)
	case KindIPRanges:
		return v.ipTable(in.B)
	case KindTimeRanges:
		return v.timeTable(in.B)
	}
	return ""
}

// ipTable checks an address range table: a set of Guids of (first, last) pairs, first ≤ last,
// each range above the one before (what binary search needs).
func (v *verifier) ipTable(i uint16) string {
	if msg := v.set(i, attrs.TypeGuid, false); msg != "" {
		return msg
	}
	s := v.p.Sets[i]
	if !s.Sorted || s.N%2 != 0 {
		return fmt.Sprintf("set %d is not a sorted table of ranges", i)
	}
	t := v.p.Guids[s.Off : s.Off+s.N]
	for k := 0; k < len(t); k += 2 {
		if t[k].Compare(t[k+1]) > 0 || k > 0 && t[k-1].Compare(t[k]) >= 0 {
			return fmt.Sprintf("set %d: address range %d is reversed or overlaps the one before", i, k/2)
		}
	}
	return ""
}

// timeTable checks a time range table: a set of Nums of (from, to) pairs of seconds in
// [0, 86399], from ≤ to, each range above the one before.
func (v *verifier) timeTable(i uint16) string {
	if int(i) >= len(v.p.Sets) {
		return fmt.Sprintf("set %d out of range", i)
	}
	s := v.p.Sets[i]
	if uint64(s.Off)+uint64(s.N) > uint64(len(v.p.Nums)) {
		return fmt.Sprintf("set %d range out of its pool", i)
	}
	if !s.Sorted || s.N%2 != 0 {
		return fmt.Sprintf("set %d is not a sorted table of ranges", i)
	}
	t := v.p.Nums[s.Off : s.Off+s.N]
	for k := 0; k < len(t); k += 2 {
		if t[k] < 0 || t[k+1] >= attrs.SecondsPerDay || t[k] > t[k+1] || k > 0 && t[k-1] >= t[k] {
			return fmt.Sprintf("set %d: time range %d is out of the day, reversed or overlaps the one before", i, k/2)
		}
	}
	return ""
}

// switchTable checks switch table i as used by the instruction at pc.
func (v *verifier) switchTable(pc int, i uint16) string {
	p := v.p
	if int(i) >= len(p.Switches) {
		return fmt.Sprintf("switch table %d out of range", i)
	}
	sw := p.Switches[i]
	if msg := v.set(sw.Set, attrs.TypeString, true); msg != "" {
		return msg
	}
	s := p.Sets[sw.Set]
	if !s.Sorted {
		return "a switch's action set must be sorted"
	}
	for _, x := range p.Strs[s.Off : s.Off+s.N] {
		if strings.Contains(x, "*") {
			return "a switch's action names must be exact"
		}
	}
	if len(sw.Targets) != int(s.N) {
		return "a switch needs one target per action name"
	}
	for i := 0; i <= len(sw.Targets); i++ {
		t := sw.Default
		if i < len(sw.Targets) {
			t = sw.Targets[i]
		}
		if int(t) <= pc || int(t) >= len(p.Code) {
			return fmt.Sprintf("switch target %d is not forward inside the code", t)
		}
	}
	return ""
}

// isFolded reports whether x is valid UTF-8 that folding leaves unchanged (FoldString(x) == x):
// every rune is the one it folds to. It allocates nothing.
func isFolded(x string) bool {
	for i := 0; i < len(x); {
		if c := x[i]; c < utf8.RuneSelf {
			if match.FoldRune(rune(c)) != rune(c) {
				return false
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(x[i:])
		if r == utf8.RuneError && w == 1 || match.FoldRune(r) != r {
			return false
		}
		i += w
	}
	return true
}
