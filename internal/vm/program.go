package vm

import (
	"github.com/abacc/abacc/internal/attrs"
)

// FormatVersion is the newest version of the bytecode format (FORMAT.md) this package reads
// and writes; MinFormatVersion the oldest Decode reads. Version 2 added opcodes (OpInfo.Since)
// and the substring relation of descriptors; version 3 added FlagNegatedText, which a program
// built by this compiler always carries the meaning of, so it is written as version 3. A
// program decoded from version 1 or 2 (whose tests do not say how their text reads) is written
// back in the lowest of those that holds it (Program.NeedsVersion).
const (
	FormatVersion    = 3
	MinFormatVersion = 1
)

// Instr is one fixed-width instruction: 8 bytes.
type Instr struct {
	Op   Opcode
	Flag uint8
	// A is an attribute operand index (Program.Operands).
	A uint16
	// B is a constant, set or comparison index; its kind depends on Op.
	B uint16
	// Jump is the target of a branch; always greater than the instruction's own index.
	Jump uint16
}

// Operand is an attribute reference of the program: which slot of the request vector it reads
// and how its values are to be typed.
type Operand struct {
	// ID is the catalog id the operand is linked to.
	ID attrs.ID
	// Sel selects the whole value, one dictionary key, or the set of keys.
	Sel attrs.Selector
	// Key is the dictionary key for SelKey.
	Key string
	// Type is the type the comparison reads the values as.
	Type attrs.Type
	// Source and Name identify the attribute independently of catalog order, so that a program
	// loaded from a bundle links to the host's ids (Name is the dictionary's name for keys).
	Source attrs.Source
	Name   string
}

// Set is a range of one constant pool: Strs, Nums or Guids[Off:Off+N].
type Set struct {
	Off, N uint32
	// Sorted sets are searched by binary search.
	Sorted bool
}

// Side is one side of a comparison descriptor: an attribute operand or a constant set.
type Side struct {
	Attr  bool
	Index uint16 // Operands index if Attr, else Sets index
}

// Relations of comparison descriptors.
const (
	RelEq uint8 = iota
	RelPrefix
	RelLike
	RelLt
	RelLe
	RelGt
	RelGe
	RelSuffix
	// RelContains (format 2): the left string contains the right one.
	RelContains
	numRels
)

// Quantifiers of comparison descriptors.
const (
	QuantNone uint8 = iota
	QuantAnyOfAny
	QuantAllOfAny
	QuantAnyOfAll
	QuantAllOfAll
	numQuants
)

// Cmp is a general comparison: quantifier, relation and the two sides.
type Cmp struct {
	Quant uint8
	Rel   uint8
	Type  attrs.Type
	Fold  bool
	// BaseNeg complements each pair's test (Not-bases of cross products).
	BaseNeg bool
	L, R    Side
}

// Switch is a dispatch table on the request's action: Set is a sorted set of folded exact
// action names (no `*`), Targets the instruction for each member in set order, Default the one
// for any other action.
type Switch struct {
	Set     uint16
	Targets []uint16
	Default uint16
}

// Span is the source range an instruction came from.
type Span struct{ Pos, End uint32 }

// Program is verified, immutable bytecode. It is safe for concurrent use.
type Program struct {
	Code     []Instr
	Spans    []Span // one per instruction
	Operands []Operand
	Strs     []string
	Nums     []int64
	Guids    []attrs.Guid
	Sets     []Set
	Cmps     []Cmp
	Switches []Switch
	// Source is the condition text (may be empty when a bundle omits it).
	Source string
	// ops is derived by Verify (actions.go); never encoded.
	ops operationCode
	// strIndexes are hash indexes of large string sets, by set; derived by Verify (sets.go).
	strIndexes []strIndex
	// Version is the format version the program was decoded from (0 for a program built in
	// memory): the verifier rejects a program that uses what its version does not have.
	Version uint8
}

// NeedsVersion is the lowest format version that holds the program: 2 when it uses an
// opcode of version 2 or a descriptor with the substring relation, else 1.
func (p *Program) NeedsVersion() uint8 {
	if p.NegationKnown() {
		return 3
	}
	v := uint8(MinFormatVersion)
	for _, in := range p.Code {
		if in.Op.Valid() {
			v = max(v, in.Op.Info().Since)
		}
	}
	for _, c := range p.Cmps {
		if c.Rel == RelContains {
			v = max(v, 2)
		}
	}
	return v
}

// Extended reports whether the program uses an instruction of the extended dialect
// (OpInfo.Extended).
func (p *Program) Extended() bool {
	for _, in := range p.Code {
		if in.Op.Valid() && in.Op.Info().Extended {
			return true
		}
	}
	return false
}

// NegationKnown reports whether FlagNegatedText is meaningful: false for a program decoded
// from format version 1 or 2, written before the flag existed.
func (p *Program) NegationKnown() bool { return p.Version == 0 || p.Version >= 3 }

// MaxSteps is the worst-case number of instructions one evaluation executes: the longest path
// through the code. Jumps only go forward, so the code is a DAG and the longest path is found
// in one backward pass; it never exceeds len(Code). The program must be verified.
func (p *Program) MaxSteps() int {
	steps := make([]int, len(p.Code)+1)
	for pc := len(p.Code) - 1; pc >= 0; pc-- {
		in := p.Code[pc]
		var next int
		switch in.Op.Info().Flow {
		case FlowReturn:
		case FlowJump:
			next = steps[in.Jump]
		case FlowSwitch:
			sw := p.Switches[in.B]
			next = steps[sw.Default]
			for _, t := range sw.Targets {
				next = max(next, steps[t])
			}
		default:
			next = max(steps[pc+1], steps[in.Jump])
		}
		steps[pc] = 1 + next
	}
	return steps[0]
}

// Size is the program's encoded size in bytes, without the source text it may carry.
func (p *Program) Size() int {
	q := *p
	q.Source = ""
	return len(Encode(&q))
}
