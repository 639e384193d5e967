package vm

import (
	"bytes"
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
)

func TestOpTable(t *testing.T) {
	seen := map[string]bool{}
	for i, info := range opTable {
		op := Opcode(i)
		if info.Op != op {
			t.Errorf("opTable[%d] describes opcode %d", i, info.Op)
		}
		if info.Name == "" || seen[info.Name] {
			t.Errorf("opcode %d: missing or duplicate name %q", op, info.Name)
		}
		seen[info.Name] = true
		if op.String() != info.Name || !op.Valid() {
			t.Errorf("opcode %d: String %q, table %q", op, op, info.Name)
		}
		// The verifier and the disassembler read A's operand for these kinds of B.
		if (info.B == KindOperandSet || info.B.pool() != attrs.Untyped) && info.A != KindOperand {
			t.Errorf("%s: B %s needs an operand in A", op, info.B)
		}
		if info.A != KindNone && info.A != KindOperand {
			t.Errorf("%s: A holds %s", op, info.A)
		}
		if (info.Flow == FlowSwitch) != (info.B == KindSwitch) {
			t.Errorf("%s: flow %s with B %s", op, info.Flow, info.B)
		}
		if info.Flow != FlowTest && info.Flow != FlowSwitch && (info.A != KindNone || info.B != KindNone) {
			t.Errorf("%s: a %s with fields", op, info.Flow)
		}
		if f, ok := op.FoldVariant(); ok {
			if !f.Valid() || f == op {
				t.Errorf("%s: fold variant %d", op, f)
				continue
			}
			fi := f.Info()
			if fi.A != info.A || fi.B != info.B || fi.Flow != info.Flow || fi.Fold != NoOpcode || !f.Folds() || op.Folds() {
				t.Errorf("%s: fold variant %s is not the same test under folding", op, f)
			}
			if info.B != KindStr && info.B != KindStrSet && info.B != KindOperandSet {
				t.Errorf("%s: a fold variant of a test of %s", op, info.B)
			}
		}
	}
	if Opcode(numOpcodes).Valid() || Opcode(numOpcodes).String() != "INVALID" || NoOpcode.Valid() {
		t.Errorf("numbers past the table are opcodes")
	}
	if len(relNames) != int(numRels) || len(quantNames) != int(numQuants) {
		t.Errorf("relation or quantifier names out of step")
	}
}

// small builds a valid program: `@Environment[isPrivateLink] BoolEquals true`.
func small(t *testing.T) *Program {
	id, ok := attrs.Default.Lookup(attrs.Environment, "isPrivateLink")
	if !ok {
		t.Fatal("isPrivateLink not in catalog")
	}
	return &Program{
		Code:     []Instr{{Op: OpNumEq, Flag: FlagJumpIfTrue, A: 0, B: 0, Jump: 2}, {Op: OpRetFalse}, {Op: OpRetTrue}},
		Spans:    make([]Span, 3),
		Operands: []Operand{{ID: id, Type: attrs.TypeBoolean, Source: attrs.Environment, Name: "isPrivateLink"}},
		Nums:     []int64{1},
	}
}

func TestVerifyAcceptsAndEvaluates(t *testing.T) {
	src := small(t)
	p, err := Verify(src, attrs.Default)
	if err != nil {
		t.Fatal(err)
	}
	r := attrs.NewVector(attrs.Default)
	if p.Eval(r) {
		t.Error("missing attribute: want false")
	}
	id, _ := attrs.Default.Lookup(attrs.Environment, "isPrivateLink")
	if err := r.SetBool(id, true); err != nil {
		t.Fatal(err)
	}
	if !p.Eval(r) {
		t.Error("isPrivateLink true: want true")
	}
	q, err := Decode(p.Encode(), attrs.Default)
	if err != nil {
		t.Fatal(err)
	}
	if !q.Eval(r) || string(q.Encode()) != string(p.Encode()) {
		t.Error("decode round trip changed the program")
	}
	// The verified program is a private copy: changing the builder afterwards changes nothing.
	src.Code[0].Jump = 0
	if !p.Eval(r) {
		t.Error("mutating the program after Verify reached the verified copy")
	}
	var zero Verified
	if zero.Eval(r) {
		t.Error("the zero Verified holds no program and decides false")
	}
}

func TestVerifyRejects(t *testing.T) {
	cases := map[string]func(p *Program){
		"backward jump":             func(p *Program) { p.Code[0].Jump = 0 },
		"jump past end":             func(p *Program) { p.Code[0].Jump = 3 },
		"unknown opcode":            func(p *Program) { p.Code[0].Op = numOpcodes },
		"unknown flag":              func(p *Program) { p.Code[0].Flag = 8 },
		"negated flag on a jump":    func(p *Program) { p.Code[1].Flag = FlagNegatedText },
		"operand out of range":      func(p *Program) { p.Code[0].A = 1 },
		"constant out of range":     func(p *Program) { p.Code[0].B = 1 },
		"no final return":           func(p *Program) { p.Code = p.Code[:2]; p.Spans = p.Spans[:2] },
		"wrong operand type":        func(p *Program) { p.Code[0].Op = OpStrEq; p.Strs = []string{"x"} },
		"operand type vs catalog":   func(p *Program) { p.Operands[0].Type = attrs.TypeInteger },
		"attribute id out of range": func(p *Program) { p.Operands[0].ID = attrs.ID(attrs.Default.Len()) },
		"name mismatch":             func(p *Program) { p.Operands[0].Name = "UtcNow" },
		"spans missing":             func(p *Program) { p.Spans = nil },
		"span out of source":        func(p *Program) { p.Source = "x"; p.Spans[0] = Span{0, 5} },
		"unused field set":          func(p *Program) { p.Code[1].A = 7 },
		"unsorted sorted set": func(p *Program) {
			p.Code[0].Op = OpNumIn
			p.Nums = []int64{3, 1, 2, 4, 5, 6, 7, 8, 9, 10}
			p.Sets = []Set{{Off: 0, N: 10, Sorted: true}}
		},
		"set out of pool": func(p *Program) {
			p.Code[0].Op = OpNumIn
			p.Sets = []Set{{Off: 0, N: 2}}
		},
		"empty program": func(p *Program) { p.Code, p.Spans = nil, nil },
	}
	for name, mutate := range cases {
		p := small(t)
		mutate(p)
		if _, err := Verify(p, attrs.Default); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !strings.Contains(err.Error(), "verification failed") {
			t.Errorf("%s: unexpected error %v", name, err)
		}
	}
}

func TestDecodeRejectsGarbage(t *testing.T) {
	good := Encode(small(t))
	for i := 0; i < len(good); i++ {
		if _, err := Decode(good[:i], attrs.Default); err == nil {
			t.Errorf("truncation at %d accepted", i)
		}
	}
	if _, err := Decode(append(append([]byte{}, good...), 0), attrs.Default); err == nil {
		t.Error("trailing byte accepted")
	}
	bad := append([]byte{}, good...)
	bad[0] = 99
	if _, err := Decode(bad, attrs.Default); err == nil || !strings.Contains(err.Error(), "version") {
		t.Errorf("unknown version: %v", err)
	}
	// A count claiming more elements than bytes remain must fail without a huge allocation.
	if _, err := Decode([]byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f}, attrs.Default); err == nil {
		t.Error("hostile count accepted")
	}
}

// TestFormatVersions: programs built now are written as version 3 (their tests say how their
// text reads); version-1 and -2 bytecode (written before FlagNegatedText) still decodes and
// runs, says its negations are unknown, is written back in the lowest old version that holds
// it, and may not carry the
// flags; versions outside the range are refused.
func TestFormatVersions(t *testing.T) {
	p := small(t)
	p.Code[0].Flag |= FlagNegatedText
	v3 := Encode(p)
	if v3[0] != 3 || FormatVersion != 3 {
		t.Fatalf("encoded as version %d", v3[0])
	}
	q, err := Decode(v3, attrs.Default)
	if err != nil || !q.NegationKnown() || !q.Step(0).NegatedText {
		t.Fatalf("version 3: %v, known %v", err, q != nil && q.NegationKnown())
	}
	r := attrs.NewVector(attrs.Default)
	id, _ := attrs.Default.Lookup(attrs.Environment, "isPrivateLink")
	if err := r.SetBool(id, true); err != nil {
		t.Fatal(err)
	}
	for _, old := range []byte{1, 2} {
		for _, f := range []uint8{FlagNegatedText, FlagPartialText} {
			p.Code[0].Flag = FlagJumpIfTrue | f
			if _, err := Decode(append([]byte{old}, Encode(p)[1:]...), attrs.Default); err == nil || !strings.Contains(err.Error(), "unknown flags") {
				t.Errorf("version %d with flag %d: %v", old, f, err)
			}
		}
		p.Code[0].Flag = FlagJumpIfTrue
		enc := append([]byte{old}, Encode(p)[1:]...)
		dec, err := Decode(enc, attrs.Default)
		if err != nil {
			t.Fatalf("version %d: %v", old, err)
		}
		// Written back in the lowest old version that holds it (nothing of version 2 here).
		if dec.NegationKnown() || !dec.Eval(r) || !bytes.Equal(dec.Encode(), append([]byte{1}, enc[1:]...)) {
			t.Errorf("version %d: known %v, eval %v, re-encoded as %d", old, dec.NegationKnown(), dec.Eval(r), dec.Encode()[0])
		}
	}
	for _, v := range []byte{0, 4, 255} {
		if _, err := Decode(append([]byte{v}, v3[1:]...), attrs.Default); err == nil || !strings.Contains(err.Error(), "format version") {
			t.Errorf("version %d: %v", v, err)
		}
	}
}
