// Package vm owns abacc's bytecode: the instruction set, the program format and its binary
// encoding, the verifier that checks a program before it may run, the interpreter and the
// disassembler. A program is a straight line of compare-and-branch instructions with only
// forward jumps, so every evaluation terminates within len(Code) steps. See FORMAT.md.
package vm

import "github.com/abacc/abacc/internal/attrs"

// Opcode is an instruction's operation.
type Opcode uint8

// The instruction set. Test instructions compute a boolean and branch on it: when the result
// equals the instruction's Flag bit (FlagJumpIfTrue), control goes to Jump, else to the next
// instruction. The numbers are the encoding (FORMAT.md): never renumber an opcode.
const (
	// OpRetFalse and OpRetTrue end evaluation with a decision.
	OpRetFalse Opcode = 0
	OpRetTrue  Opcode = 1
	// OpJump continues at Jump.
	OpJump Opcode = 2
	// OpAction: the request's action matches one of the folded patterns of set B.
	OpAction Opcode = 3
	// OpSubOp: the request has a suboperation equal (folded) to one of set B.
	OpSubOp Opcode = 4
	// OpExists: attribute operand A is present.
	OpExists Opcode = 5
	// Single-valued string tests of operand A against constant B. The Fold forms compare under
	// simple case folding.
	OpStrEq         Opcode = 6
	OpStrEqFold     Opcode = 7
	OpStrPrefix     Opcode = 8
	OpStrPrefixFold Opcode = 9
	OpStrSuffix     Opcode = 10
	OpStrSuffixFold Opcode = 11
	OpStrLike       Opcode = 12
	OpStrLikeFold   Opcode = 13
	OpStrIn         Opcode = 14
	OpStrInFold     Opcode = 15
	// Single-valued Integer, Boolean and DateTime tests (the operand's type says which).
	OpNumEq Opcode = 16
	OpNumLt Opcode = 17
	OpNumLe Opcode = 18
	OpNumGt Opcode = 19
	OpNumGe Opcode = 20
	OpNumIn Opcode = 21
	// Single-valued Guid tests.
	OpGuidEq Opcode = 22
	OpGuidIn Opcode = 23
	// Membership of every value of operand A (a cross product with an equality base against a
	// constant set B): OpInAny is ForAnyOfAnyValues:…Equals (some value is in the set), OpInAll
	// is ForAllOfAnyValues:…Equals (every value is, vacuously true when there is none). The
	// Fold forms compare strings under simple case folding.
	OpInAny     Opcode = 24
	OpInAnyFold Opcode = 25
	OpInAll     Opcode = 26
	OpInAllFold Opcode = 27
	// OpActionIn: the request's folded action equals one of the exact folded names of set B.
	OpActionIn Opcode = 28
	// OpSwitch dispatches on the request's folded action through switch table B: to the target
	// of the pattern equal to it, else to the table's default. It is a branch, not a test.
	OpSwitch Opcode = 29
	// OpCmp runs comparison descriptor B: cross products, attributes on both sides, sets of
	// patterns and anything without a specialised instruction.
	OpCmp Opcode = 30
	// Format 2. OpStrContains: operand A contains constant B (StringContains).
	OpStrContains Opcode = 31
	// OpIPIn: operand A (a String) reads as an IP address inside one of the ranges of address
	// range table B (the extended dialect's IP operators).
	OpIPIn Opcode = 32
	// OpTimeIn: the UTC time of day of operand A (a DateTime) lies in one of the ranges of time
	// range table B (the extended dialect's time-of-day operators).
	OpTimeIn Opcode = 33

	numOpcodes = 34
)

// NoOpcode stands for "no opcode", as the case-folding variant of an opcode that has none.
const NoOpcode Opcode = 0xff

// FlagJumpIfTrue makes a test jump when its result is true (else when false).
const FlagJumpIfTrue = 1

// FlagNegatedText says that the source text at a test's span reads as the complement of the
// test's result (a NOT outside the span, or a Not-operator computed by its positive twin).
// The interpreter never reads it: it is for explanations, which report each test's result as
// its source text reads (format version 2 and later).
const FlagNegatedText = 2

// FlagPartialText says that a test computes only part of the source text at its span (one bound
// of a NumericInRange, which compiles to two tests): explanations say so rather than report its
// result as the text's. The interpreter never reads it (format version 3 and later).
const FlagPartialText = 4

// testFlags are the flag bits a test may carry.
const testFlags = FlagJumpIfTrue | FlagNegatedText | FlagPartialText

// Kind is what an instruction's A or B field holds.
type Kind uint8

// Field kinds.
const (
	// KindNone: unused, must be zero.
	KindNone Kind = iota
	// KindOperand: an attribute operand (Program.Operands index), of any type and selector.
	KindOperand
	// KindStr, KindNum, KindGuid: a constant (Program.Strs, Nums, Guids index).
	KindStr
	KindNum
	KindGuid
	// KindStrSet, KindNumSet, KindGuidSet: a set (Program.Sets index) of that pool.
	KindStrSet
	KindNumSet
	KindGuidSet
	// KindOperandSet: a set in the pool of operand A's type.
	KindOperandSet
	// KindActionSet: a set of Strs holding folded action or suboperation names or patterns,
	// compared byte for byte with the request's folded action or suboperation.
	KindActionSet
	// KindCmp: a comparison descriptor (Program.Cmps index).
	KindCmp
	// KindSwitch: a switch table (Program.Switches index).
	KindSwitch
	// KindIPRanges: a set of Guids holding an address range table: pairs (first, last) of
	// 128-bit addresses, sorted and disjoint.
	KindIPRanges
	// KindTimeRanges: a set of Nums holding a time range table: pairs (from, to) of seconds
	// since midnight, sorted and disjoint.
	KindTimeRanges
	numKinds
)

// kindNames are the names FORMAT.md's opcode table uses.
var kindNames = [numKinds]string{
	KindNone: "–", KindOperand: "operand", KindStr: "string", KindNum: "number", KindGuid: "guid",
	KindStrSet: "string set", KindNumSet: "number set", KindGuidSet: "guid set",
	KindOperandSet: "set of the operand's type", KindActionSet: "action set", KindCmp: "descriptor",
	KindSwitch: "switch table", KindIPRanges: "address range table", KindTimeRanges: "time range table",
}

func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return "invalid kind"
}

// pool is the type of the constant pool a constant or set kind indexes (TypeInteger for Nums,
// which hold Integer, Boolean and DateTime values), or Untyped for the other kinds.
func (k Kind) pool() attrs.Type {
	switch k {
	case KindStr, KindStrSet:
		return attrs.TypeString
	case KindNum, KindNumSet, KindTimeRanges:
		return attrs.TypeInteger
	case KindGuid, KindGuidSet, KindIPRanges:
		return attrs.TypeGuid
	}
	return attrs.Untyped
}

// reads reports whether an operand of type t may be read for a test against a constant or set
// of kind k (a pool kind); Nums hold Integer, Boolean and DateTime values. A table's operand is
// what the table is about: a String holding an address, a DateTime.
func (k Kind) reads(t attrs.Type) bool {
	switch k {
	case KindIPRanges:
		return t == attrs.TypeString
	case KindTimeRanges:
		return t == attrs.TypeDateTime
	}
	switch p := k.pool(); p {
	case attrs.TypeInteger:
		return t == attrs.TypeInteger || t == attrs.TypeBoolean || t == attrs.TypeDateTime
	default:
		return t == p
	}
}

// Flow is what an instruction does to control.
type Flow uint8

// Control flows.
const (
	// FlowTest: a conditional branch to Jump on the result of a test (Flag: when true).
	FlowTest Flow = iota
	// FlowJump: an unconditional branch to Jump.
	FlowJump
	// FlowReturn: ends evaluation with a decision.
	FlowReturn
	// FlowSwitch: a branch through switch table B.
	FlowSwitch
	numFlows
)

var flowNames = [numFlows]string{FlowTest: "test", FlowJump: "jump", FlowReturn: "return", FlowSwitch: "switch"}

func (f Flow) String() string {
	if f < numFlows {
		return flowNames[f]
	}
	return "invalid flow"
}

// OpInfo describes an opcode. The table of them (Opcode.Info) is the single source of each
// opcode's meaning for the verifier, the code generator and the disassembler, and FORMAT.md's
// opcode table is tested against it.
type OpInfo struct {
	// Op is the opcode, its number in the encoding.
	Op Opcode
	// Name is the mnemonic the disassembler prints.
	Name string
	// A and B are what the instruction's A and B fields hold. A test of an operand against a
	// constant or set of one pool reads a single value of the pool's type (for numbers:
	// Integer, Boolean or DateTime).
	A, B Kind
	// Flow says whether the instruction tests and branches, jumps, returns or switches.
	Flow Flow
	// Fold is the case-folding variant of the instruction (NoOpcode when there is none):
	// the same test compared under Unicode simple case folding.
	Fold Opcode
	// Since is the first bytecode format version that has the opcode.
	Since uint8
	// Extended marks an instruction of the extended dialect: a program using it was compiled
	// with the extended dialect, and a host that does not allow it refuses the program.
	Extended bool
}

var opTable = [numOpcodes]OpInfo{
	{OpRetFalse, "RET_FALSE", KindNone, KindNone, FlowReturn, NoOpcode, 1, false},
	{OpRetTrue, "RET_TRUE", KindNone, KindNone, FlowReturn, NoOpcode, 1, false},
	{OpJump, "JUMP", KindNone, KindNone, FlowJump, NoOpcode, 1, false},
	{OpAction, "ACTION", KindNone, KindActionSet, FlowTest, NoOpcode, 1, false},
	{OpSubOp, "SUBOP", KindNone, KindActionSet, FlowTest, NoOpcode, 1, false},
	{OpExists, "EXISTS", KindOperand, KindNone, FlowTest, NoOpcode, 1, false},
	{OpStrEq, "STR_EQ", KindOperand, KindStr, FlowTest, OpStrEqFold, 1, false},
	{OpStrEqFold, "STR_EQ_FOLD", KindOperand, KindStr, FlowTest, NoOpcode, 1, false},
	{OpStrPrefix, "STR_PREFIX", KindOperand, KindStr, FlowTest, OpStrPrefixFold, 1, false},
	{OpStrPrefixFold, "STR_PREFIX_FOLD", KindOperand, KindStr, FlowTest, NoOpcode, 1, false},
	{OpStrSuffix, "STR_SUFFIX", KindOperand, KindStr, FlowTest, OpStrSuffixFold, 1, false},
	{OpStrSuffixFold, "STR_SUFFIX_FOLD", KindOperand, KindStr, FlowTest, NoOpcode, 1, false},
	{OpStrLike, "STR_LIKE", KindOperand, KindStr, FlowTest, OpStrLikeFold, 1, false},
	{OpStrLikeFold, "STR_LIKE_FOLD", KindOperand, KindStr, FlowTest, NoOpcode, 1, false},
	{OpStrIn, "STR_IN", KindOperand, KindStrSet, FlowTest, OpStrInFold, 1, false},
	{OpStrInFold, "STR_IN_FOLD", KindOperand, KindStrSet, FlowTest, NoOpcode, 1, false},
	{OpNumEq, "NUM_EQ", KindOperand, KindNum, FlowTest, NoOpcode, 1, false},
	{OpNumLt, "NUM_LT", KindOperand, KindNum, FlowTest, NoOpcode, 1, false},
	{OpNumLe, "NUM_LE", KindOperand, KindNum, FlowTest, NoOpcode, 1, false},
	{OpNumGt, "NUM_GT", KindOperand, KindNum, FlowTest, NoOpcode, 1, false},
	{OpNumGe, "NUM_GE", KindOperand, KindNum, FlowTest, NoOpcode, 1, false},
	{OpNumIn, "NUM_IN", KindOperand, KindNumSet, FlowTest, NoOpcode, 1, false},
	{OpGuidEq, "GUID_EQ", KindOperand, KindGuid, FlowTest, NoOpcode, 1, false},
	{OpGuidIn, "GUID_IN", KindOperand, KindGuidSet, FlowTest, NoOpcode, 1, false},
	{OpInAny, "IN_ANY", KindOperand, KindOperandSet, FlowTest, OpInAnyFold, 1, false},
	{OpInAnyFold, "IN_ANY_FOLD", KindOperand, KindOperandSet, FlowTest, NoOpcode, 1, false},
	{OpInAll, "IN_ALL", KindOperand, KindOperandSet, FlowTest, OpInAllFold, 1, false},
	{OpInAllFold, "IN_ALL_FOLD", KindOperand, KindOperandSet, FlowTest, NoOpcode, 1, false},
	{OpActionIn, "ACTION_IN", KindNone, KindActionSet, FlowTest, NoOpcode, 1, false},
	{OpSwitch, "SWITCH", KindNone, KindSwitch, FlowSwitch, NoOpcode, 1, false},
	{OpCmp, "CMP", KindNone, KindCmp, FlowTest, NoOpcode, 1, false},
	{OpStrContains, "STR_CONTAINS", KindOperand, KindStr, FlowTest, NoOpcode, 2, false},
	{OpIPIn, "IP_IN", KindOperand, KindIPRanges, FlowTest, NoOpcode, 2, true},
	{OpTimeIn, "TIME_IN", KindOperand, KindTimeRanges, FlowTest, NoOpcode, 2, true},
}

// invalidOp describes any number that is not an opcode.
var invalidOp = OpInfo{Op: NoOpcode, Name: "INVALID", Fold: NoOpcode}

// folded marks the case-folding variants (the Fold of another opcode), derived from the table.
var folded [numOpcodes]bool

func init() {
	for _, info := range opTable {
		if info.Fold != NoOpcode {
			folded[info.Fold] = true
		}
	}
}

// Valid reports whether op is an opcode of the instruction set.
func (op Opcode) Valid() bool { return op < numOpcodes }

// Info returns the opcode's table entry (named "INVALID", with no fields, for a number that
// is not an opcode).
func (op Opcode) Info() OpInfo {
	if op < numOpcodes {
		return opTable[op]
	}
	return invalidOp
}

// FoldVariant returns the opcode's case-folding variant, if it has one.
func (op Opcode) FoldVariant() (Opcode, bool) {
	f := op.Info().Fold
	return f, f != NoOpcode
}

// Folds reports whether the opcode compares under case folding: it is the Fold of another.
func (op Opcode) Folds() bool { return op < numOpcodes && folded[op] }

// String returns the opcode's mnemonic.
func (op Opcode) String() string {
	if op < numOpcodes {
		return opTable[op].Name
	}
	return invalidOp.Name
}
