// Package vm owns abacc's bytecode: the instruction set, the program format and its binary
// encoding, the verifier that checks a program before it may run, the interpreter and the
// disassembler. A program is a straight line of compare-and-branch instructions with only
// forward jumps, so every evaluation terminates within len(Code) steps. See FORMAT.md.
package vm

// Opcode is an instruction's operation.
type Opcode uint8

// Operand kinds of an instruction's B field.
const (
	bNone    = iota
	bStr     // index into Program.Strs
	bNum     // index into Program.Nums
	bGuid    // index into Program.Guids
	bStrSet  // index into Program.Sets, a range of Strs
	bNumSet  // index into Program.Sets, a range of Nums
	bGuidSet // index into Program.Sets, a range of Guids
	bCmp     // index into Program.Cmps
	bSet     // index into Program.Sets, in the pool of the operand's type
	bSwitch  // index into Program.Switches
)

// The instruction set. Test instructions compute a boolean and branch on it: when the result
// equals the instruction's Flag bit (FlagJumpIfTrue), control goes to Jump, else to the next
// instruction.
const (
	// OpRetFalse and OpRetTrue end evaluation with a decision.
	OpRetFalse Opcode = iota
	OpRetTrue
	// OpJump continues at Jump.
	OpJump
	// OpAction: the request's action matches one of the folded patterns of set B.
	OpAction
	// OpSubOp: the request has a suboperation equal (folded) to one of set B.
	OpSubOp
	// OpExists: attribute operand A is present.
	OpExists
	// Single-valued string tests of operand A against constant B. The Fold forms compare under
	// simple case folding.
	OpStrEq
	OpStrEqFold
	OpStrPrefix
	OpStrPrefixFold
	OpStrSuffix
	OpStrSuffixFold
	OpStrLike
	OpStrLikeFold
	OpStrIn
	OpStrInFold
	// Single-valued Integer, Boolean and DateTime tests (the operand's type says which).
	OpNumEq
	OpNumLt
	OpNumLe
	OpNumGt
	OpNumGe
	OpNumIn
	// Single-valued Guid tests.
	OpGuidEq
	OpGuidIn
	// Membership of every value of operand A (a cross product with an equality base against a
	// constant set B): OpInAny is ForAnyOfAnyValues:…Equals (some value is in the set), OpInAll
	// is ForAllOfAnyValues:…Equals (every value is, vacuously true when there is none). The
	// Fold forms compare strings under simple case folding.
	OpInAny
	OpInAnyFold
	OpInAll
	OpInAllFold
	// OpActionIn: the request's folded action equals one of the exact folded names of set B.
	OpActionIn
	// OpSwitch dispatches on the request's folded action through switch table B: to the target
	// of the pattern equal to it, else to the table's default. It is a branch, not a test.
	OpSwitch
	// OpCmp runs comparison descriptor B: cross products, attributes on both sides, sets of
	// patterns and anything without a specialised instruction.
	OpCmp
	numOpcodes
)

// FlagJumpIfTrue makes a test jump when its result is true (else when false).
const FlagJumpIfTrue = 1

// opInfo describes an opcode for the verifier and the disassembler. The table is indexed by
// Opcode; a test keeps its length equal to numOpcodes.
type opInfo struct {
	name string
	// attr is true when A is an attribute operand.
	attr bool
	// b is the kind of B.
	b uint8
	// test is true for instructions that branch on a result.
	test bool
}

var opTable = [...]opInfo{
	OpRetFalse:      {"RET_FALSE", false, bNone, false},
	OpRetTrue:       {"RET_TRUE", false, bNone, false},
	OpJump:          {"JUMP", false, bNone, false},
	OpAction:        {"ACTION", false, bStrSet, true},
	OpSubOp:         {"SUBOP", false, bStrSet, true},
	OpExists:        {"EXISTS", true, bNone, true},
	OpStrEq:         {"STR_EQ", true, bStr, true},
	OpStrEqFold:     {"STR_EQ_FOLD", true, bStr, true},
	OpStrPrefix:     {"STR_PREFIX", true, bStr, true},
	OpStrPrefixFold: {"STR_PREFIX_FOLD", true, bStr, true},
	OpStrSuffix:     {"STR_SUFFIX", true, bStr, true},
	OpStrSuffixFold: {"STR_SUFFIX_FOLD", true, bStr, true},
	OpStrLike:       {"STR_LIKE", true, bStr, true},
	OpStrLikeFold:   {"STR_LIKE_FOLD", true, bStr, true},
	OpStrIn:         {"STR_IN", true, bStrSet, true},
	OpStrInFold:     {"STR_IN_FOLD", true, bStrSet, true},
	OpNumEq:         {"NUM_EQ", true, bNum, true},
	OpNumLt:         {"NUM_LT", true, bNum, true},
	OpNumLe:         {"NUM_LE", true, bNum, true},
	OpNumGt:         {"NUM_GT", true, bNum, true},
	OpNumGe:         {"NUM_GE", true, bNum, true},
	OpNumIn:         {"NUM_IN", true, bNumSet, true},
	OpGuidEq:        {"GUID_EQ", true, bGuid, true},
	OpGuidIn:        {"GUID_IN", true, bGuidSet, true},
	OpInAny:         {"IN_ANY", true, bSet, true},
	OpInAnyFold:     {"IN_ANY_FOLD", true, bSet, true},
	OpInAll:         {"IN_ALL", true, bSet, true},
	OpInAllFold:     {"IN_ALL_FOLD", true, bSet, true},
	OpActionIn:      {"ACTION_IN", false, bStrSet, true},
	OpSwitch:        {"SWITCH", false, bSwitch, false},
	OpCmp:           {"CMP", false, bCmp, true},
}

// String returns the opcode's mnemonic.
func (op Opcode) String() string {
	if op < numOpcodes {
		return opTable[op].name
	}
	return "INVALID"
}
