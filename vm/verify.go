package vm

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/abacc/abacc/attrs"
	"github.com/abacc/abacc/match"
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
// loop or read out of bounds, whatever request it is given.
func Verify(p *Program, cat *attrs.Catalog) error {
	v := &verifier{p: p, cat: cat}
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
	if last := p.Code[n-1].Op; last != OpRetTrue && last != OpRetFalse {
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
				if !utf8.ValidString(x) || match.FoldString(x) != x {
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
		if c.Rel != RelEq && c.Rel != RelPrefix && c.Rel != RelLike && c.Rel != RelSuffix {
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
	if c.Fold && c.Type != attrs.TypeString {
		return "case folding of a non-string comparison"
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

// opType is the operand type each attribute-reading opcode needs (0: any numeric kind).
func opType(op Opcode) attrs.Type {
	switch {
	case op >= OpStrEq && op <= OpStrInFold:
		return attrs.TypeString
	case op >= OpNumEq && op <= OpNumIn:
		return attrs.Untyped
	case op == OpGuidEq || op == OpGuidIn:
		return attrs.TypeGuid
	}
	return attrs.Untyped
}

func (v *verifier) instr(pc int, in Instr) string {
	p := v.p
	if in.Op >= numOpcodes {
		return fmt.Sprintf("unknown opcode %d", in.Op)
	}
	info := opTable[in.Op]
	if in.Op == OpSwitch {
		if in.Flag != 0 || in.A != 0 || in.Jump != 0 {
			return "unused fields must be zero"
		}
		return v.switchTable(pc, in.B)
	}
	if !info.test {
		if in.Flag != 0 || in.A != 0 || in.B != 0 || (in.Op != OpJump && in.Jump != 0) {
			return "unused fields must be zero"
		}
		if in.Op == OpJump && (int(in.Jump) <= pc || int(in.Jump) >= len(p.Code)) {
			return fmt.Sprintf("jump target %d is not forward inside the code", in.Jump)
		}
		return ""
	}
	if in.Flag&^FlagJumpIfTrue != 0 {
		return "unknown flags"
	}
	if int(in.Jump) <= pc || int(in.Jump) >= len(p.Code) {
		return fmt.Sprintf("jump target %d is not forward inside the code", in.Jump)
	}
	if info.attr {
		if int(in.A) >= len(p.Operands) {
			return fmt.Sprintf("operand %d out of range", in.A)
		}
		o := p.Operands[in.A]
		want := opType(in.Op)
		if in.Op != OpExists && info.b != bSet {
			if o.Sel == attrs.SelKeys {
				return "a single-valued test of a key set"
			}
			switch {
			case want == attrs.Untyped && !(o.Type == attrs.TypeInteger || o.Type == attrs.TypeBoolean || o.Type == attrs.TypeDateTime):
				return fmt.Sprintf("%s reads a %s operand", in.Op, o.Type)
			case want != attrs.Untyped && o.Type != want:
				return fmt.Sprintf("%s reads a %s operand", in.Op, o.Type)
			}
		}
	} else if in.A != 0 {
		return "unused operand field must be zero"
	}
	switch info.b {
	case bNone:
		if in.B != 0 {
			return "unused constant field must be zero"
		}
	case bStr:
		if int(in.B) >= len(p.Strs) {
			return fmt.Sprintf("string constant %d out of range", in.B)
		}
	case bNum:
		if int(in.B) >= len(p.Nums) {
			return fmt.Sprintf("numeric constant %d out of range", in.B)
		}
	case bGuid:
		if int(in.B) >= len(p.Guids) {
			return fmt.Sprintf("guid constant %d out of range", in.B)
		}
	case bStrSet:
		if in.Op == OpAction || in.Op == OpSubOp || in.Op == OpActionIn {
			// These compare the request's folded action or suboperation byte for byte.
			if msg := v.set(in.B, attrs.TypeString, false); msg != "" {
				return msg
			}
			s := p.Sets[in.B]
			for _, x := range p.Strs[s.Off : s.Off+s.N] {
				if !utf8.ValidString(x) || match.FoldString(x) != x {
					return "an action or suboperation pattern is not folded"
				}
			}
			return ""
		}
		return v.set(in.B, attrs.TypeString, in.Op == OpStrInFold)
	case bNumSet:
		return v.set(in.B, attrs.TypeInteger, false)
	case bGuidSet:
		return v.set(in.B, attrs.TypeGuid, false)
	case bSet:
		o := p.Operands[in.A]
		if (in.Op == OpInAnyFold || in.Op == OpInAllFold) && o.Type != attrs.TypeString {
			return "case folding of a non-string operand"
		}
		return v.set(in.B, o.Type, in.Op == OpInAnyFold || in.Op == OpInAllFold)
	case bCmp:
		if int(in.B) >= len(p.Cmps) {
			return fmt.Sprintf("comparison %d out of range", in.B)
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
	for _, t := range append(sw.Targets, sw.Default) {
		if int(t) <= pc || int(t) >= len(p.Code) {
			return fmt.Sprintf("switch target %d is not forward inside the code", t)
		}
	}
	return ""
}
