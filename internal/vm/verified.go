package vm

import (
	"slices"

	"github.com/abacc/abacc/internal/attrs"
)

// Verified is a program that passed Verify: the only form the interpreter runs. Only Verify
// (and Decode, which calls it) makes one, from a private copy of the program it checked, and
// none of its methods changes it, so "verified" is a property the type carries rather than a
// promise in a comment. The zero value holds no program; its Eval is false.
type Verified struct {
	p *Program
}

// Eval decides the program against a request vector. It allocates nothing and is safe to call
// from any number of goroutines on one program (each with its own vector).
func (v *Verified) Eval(r *attrs.Vector) bool {
	if v == nil || v.p == nil {
		return false
	}
	return v.p.run(r)
}

// EvalTrace evaluates like Eval and reports each executed test and switch to t, in the order
// they ran. It runs a copy of Eval's loop generated from it (exec_trace.go), so the plain loop
// pays nothing for tracing.
func (v *Verified) EvalTrace(r *attrs.Vector, t Tracer) bool {
	if v == nil || v.p == nil {
		return false
	}
	return v.p.runTrace(r, t)
}

// Extended reports whether the program uses an instruction of the extended dialect, which a
// host that does not allow that dialect must refuse (bundles record the dialect too).
func (v *Verified) Extended() bool { return v.p.Extended() }

// Version is the bytecode format version the program is written in (the lowest that holds it).
func (v *Verified) Version() uint8 { return v.p.NeedsVersion() }

// Len is the number of instructions.
func (v *Verified) Len() int { return len(v.p.Code) }

// MaxSteps is the worst-case number of instructions one evaluation executes.
func (v *Verified) MaxSteps() int { return v.p.MaxSteps() }

// Size is the encoded size in bytes, without the source text.
func (v *Verified) Size() int { return v.p.Size() }

// Source is the condition text the program carries ("" when none).
func (v *Verified) Source() string { return v.p.Source }

// Encode serializes the program with its source text (FORMAT.md).
func (v *Verified) Encode() []byte { return Encode(v.p) }

// EncodeCode serializes the program without its source text (bundles carry it beside).
func (v *Verified) EncodeCode() []byte {
	q := *v.p
	q.Source = ""
	return Encode(&q)
}

// WithSource returns the program carrying src as its source text, verified again (the
// verifier checks the spans against the text).
func (v *Verified) WithSource(src string, cat *attrs.Catalog) (*Verified, error) {
	q := v.p.clone()
	q.Source = src
	return Verify(q, cat)
}

// clone copies every table, so that a verified program shares no memory with its builder.
func (p *Program) clone() *Program {
	q := &Program{Code: slices.Clone(p.Code), Spans: slices.Clone(p.Spans), Operands: slices.Clone(p.Operands),
		Strs: slices.Clone(p.Strs), Nums: slices.Clone(p.Nums), Guids: slices.Clone(p.Guids), Sets: slices.Clone(p.Sets),
		Cmps: slices.Clone(p.Cmps), Switches: slices.Clone(p.Switches), Source: p.Source, Version: p.Version}
	for i := range q.Switches {
		q.Switches[i].Targets = slices.Clone(q.Switches[i].Targets)
	}
	return q
}

// Copy returns a copy of the program's tables (for tests that mutate bytecode and must verify
// it again): changing the copy never changes the verified program.
func (v *Verified) Copy() *Program { return v.p.clone() }

// Step describes instruction pc for explanations: its source span, whether it is the action
// dispatch (a SWITCH) rather than a test, and whether its source text reads as the complement
// of its result (FlagNegatedText; always false when NegationKnown is false).
func (v *Verified) Step(pc int) StepInfo {
	in := v.p.Code[pc]
	info := StepInfo{Span: v.p.Spans[pc], Switch: in.Op == OpSwitch, NegatedText: in.Flag&FlagNegatedText != 0,
		PartialText: in.Flag&FlagPartialText != 0}
	switch in.Op {
	case OpAction, OpActionIn:
		info.Matches = MatchesAction
	case OpSubOp:
		info.Matches = MatchesSubOperation
	}
	return info
}

// StepInfo is what Step reports about one instruction.
type StepInfo struct {
	Span        Span
	Switch      bool
	NegatedText bool
	PartialText bool
	// Matches says which Matches function the test computes (MatchesNone for others).
	Matches MatchesKind
}

// MatchesKind names the function an action or suboperation test computes.
type MatchesKind uint8

// The kinds of StepInfo.Matches.
const (
	MatchesNone MatchesKind = iota
	MatchesAction
	MatchesSubOperation
)

// NegationKnown reports whether the program's tests say how their source text reads
// (FlagNegatedText): false for a program decoded from bytecode format 1.
func (v *Verified) NegationKnown() bool { return v.p.NegationKnown() }
