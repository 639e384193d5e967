package vm

import (
	"slices"
	"sync"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/match"
)

// operationCode is derived from a verified program by Verify and never encoded: the program
// specialised to each operation of the catalog (attrs.Operation). Every action test, action
// dispatch and suboperation test depends on the request's operation alone, so for a catalog
// operation they can all be decided ahead of time. A request resolves its operation to a key
// when its action and suboperation are set; evaluation starts at that key's entry in a copy
// of the code where those instructions are already decided (replaced by jumps, and jumps to
// jumps threaded), so the commonest prologue of a condition, `!(ActionMatches{…} AND NOT
// SubOperationMatches{…}) OR …`, costs one table load instead of two or three tests, and a
// request for an operation the condition does not target is decided without running any.
//
// The copies are shared between operations that decide every such instruction alike (a
// class); most programs have two to four classes, and a class copies only what it reaches. An
// action the catalog does not list (key 0), a suboperation it does not list for the action,
// and classes past the size budget run the code as written, whose instructions test strings.
type operationCode struct {
	// code is the program's code (the first len(Program.Code) instructions, which run as
	// written) followed, for each class, by the part of it the class can reach, with the
	// class's operation tests decided and its jumps moved with it; each instruction carries
	// what its test reads (see xinstr).
	code []xinstr
	// entry[key] is where the evaluation of a request with that operation key starts in
	// code, or entryTrue/entryFalse when the operation alone decides. Nil when the program
	// tests nothing about the operation.
	entry []uint16
	// patterns[b] holds the patterns of action set b split at their stars, for the code as
	// written (an action the catalog does not list); nil for sets no ACTION test reads.
	patterns [][]match.StarPattern
}

// splitActionPatterns splits the patterns of every set an ACTION test reads.
func splitActionPatterns(p *Program) [][]match.StarPattern {
	var out [][]match.StarPattern
	for _, in := range p.Code {
		if in.Op != OpAction || (out != nil && out[in.B] != nil) {
			continue
		}
		if out == nil {
			out = make([][]match.StarPattern, len(p.Sets))
		}
		set := p.Sets[in.B]
		pats := make([]match.StarPattern, set.N)
		for i, pat := range p.Strs[set.Off : set.Off+set.N] {
			pats[i] = match.SplitStars(pat)
		}
		out[in.B] = pats
	}
	return out
}

// Entries that decide without running code (the two largest, so that one comparison tells
// them from instruction indexes); code never reaches their length (see maxSpecialisedCode).
const (
	entryTrue  = 0xFFFE
	entryFalse = 0xFFFF
)

// maxSpecialisedCode bounds the specialised copies of one program, in instructions (40 bytes
// each once derived): past it, the remaining classes run the code as written. Jump targets are uint16, so
// the whole derived code must also stay below entryTrue.
const maxSpecialisedCode = 1 << 14

// specialise builds the operation code of the verified program p for the operations of cat.
func specialise(p *Program, cat *attrs.Catalog) operationCode {
	var testsBuf [32]int
	tests := testsBuf[:0] // the instructions decided by the operation alone
	subOpTests := false
	for pc, in := range p.Code {
		switch in.Op {
		case OpSubOp:
			subOpTests = true
			fallthrough
		case OpAction, OpActionIn, OpSwitch:
			tests = append(tests, pc)
		}
	}
	patterns := splitActionPatterns(p)
	ops := cat.Operations()
	if len(tests) == 0 || len(ops) <= 1 {
		return operationCode{code: expand(p, p.Code), patterns: patterns}
	}
	folded := cat.FoldedActionNames()

	// Operations are visited in key order, which groups them by action. The row of an
	// operation holds each test's outcome: 0 or 1 for a test, the target for a switch. The
	// action part is computed once per action; an action's operations differ only in their
	// suboperation tests, so without any they share the action's entry. Each distinct row is a
	// class with its own copy of the code, while the budget lasts.
	n := len(tests)
	var rowBuf [32]uint16
	row := rowBuf[:0]
	if n > len(rowBuf) {
		row = make([]uint16, n)
	}
	row = row[:n]
	size := len(p.Code)
	budget := min(size+maxSpecialisedCode, entryTrue) - size // for the copies
	oc := operationCode{entry: make([]uint16, len(ops)), patterns: patterns}
	// The copies are built in pooled buffers: only their derived form (expand) is kept.
	buf := specialisePool.Get().(*specialiseBuffers)
	defer specialisePool.Put(buf)
	code := append(slices.Grow(buf.code[:0], 2*size), p.Code...)
	buf.work, buf.newPC = slices.Grow(buf.work[:0], size)[:size], slices.Grow(buf.newPC[:0], size)[:size]
	work, newPC := buf.work, buf.newPC
	defer func() { buf.code = code[:0] }()
	var classRowsBuf [128]uint16
	var startsBuf [16]uint16
	classRows := classRowsBuf[:0] // the rows of the classes, n each
	starts := startsBuf[:0]       // the entries of the classes
	for key := 1; key < len(ops); key++ {
		op := ops[key]
		newAction := ops[key-1].Action != op.Action
		if !newAction && !subOpTests {
			oc.entry[key] = oc.entry[key-1]
			continue
		}
		if op.SubOp == attrs.OtherSubOp {
			// A suboperation the catalog does not list for the action (rare): the code as
			// written, rather than a copy that would keep the SUBOP tests.
			continue
		}
		for i, pc := range tests {
			switch in := p.Code[pc]; {
			case in.Op == OpSubOp:
				switch op.SubOp {
				case attrs.NoSubOp:
					row[i] = 0
				default:
					row[i] = outcome(p.strIn(op.SubOpFolded, in.B))
				}
			case !newAction:
			case in.Op == OpAction:
				row[i] = outcome(p.action(folded[op.Action], in.B))
			case in.Op == OpActionIn:
				row[i] = outcome(p.strIn(folded[op.Action], in.B))
			case in.Op == OpSwitch:
				sw := &p.Switches[in.B]
				row[i] = sw.Default
				if j := p.find(folded[op.Action], p.Sets[sw.Set]); j >= 0 {
					row[i] = sw.Targets[j]
				}
			}
		}
		class := -1
		for c := range starts {
			if slices.Equal(row, classRows[c*n:(c+1)*n]) {
				class = c
				break
			}
		}
		if class < 0 {
			if len(code)+size > size+budget {
				continue // entry 0: the code as written
			}
			class = len(starts)
			classRows = append(classRows, row...)
			base := len(code)
			var start uint16
			code, start = specialiseClass(code, p.Code, tests, row, work, newPC)
			// Rows that differ only in tests their operations never reach give the same
			// copy: keep one.
			for c, other := range starts {
				if start < entryTrue && other < entryTrue && sameSegment(code, int(other), base, len(code)) {
					code, start = code[:base], starts[c]
					break
				}
			}
			starts = append(starts, start)
		}
		oc.entry[key] = starts[class]
	}
	oc.code = expand(p, code)
	return oc
}

// specialiseBuffers are specialise's working copies, reused between programs.
type specialiseBuffers struct {
	code, work []Instr
	newPC      []uint16
}

var specialisePool = sync.Pool{New: func() any { return new(specialiseBuffers) }}

// sameSegment reports whether the copy at code[b:end] equals the one starting at a (which ends
// at or before b), jumps compared relative to each copy's start.
func sameSegment(code []Instr, a, b, end int) bool {
	if a+(end-b) > b {
		return false
	}
	for i := 0; i < end-b; i++ {
		x, y := code[a+i], code[b+i]
		if hasJump(x.Op) {
			x.Jump -= uint16(a)
			y.Jump -= uint16(b)
		}
		if x != y {
			return false
		}
	}
	return true
}

func outcome(b bool) uint16 {
	if b {
		return 1
	}
	return 0
}

// specialiseClass appends to out the part of code that a request of the class can reach, with
// its operation tests decided as row says, and returns it with the part's entry (entryTrue or
// entryFalse, appending nothing, when the operation alone decides). work and newPC are scratch
// of len(code).
func specialiseClass(out, code []Instr, tests []int, row []uint16, work []Instr, newPC []uint16) ([]Instr, uint16) {
	copy(work, code)
	for i, pc := range tests {
		in := code[pc]
		switch {
		case in.Op == OpSwitch:
			work[pc] = Instr{Op: OpJump, Jump: row[i]}
		default:
			next := uint16(pc + 1)
			if (row[i] == 1) == (in.Flag&FlagJumpIfTrue != 0) {
				next = in.Jump
			}
			work[pc] = Instr{Op: OpJump, Jump: next}
		}
	}
	// Thread jumps to jumps. Jumps go forward, so walking backwards finds every target
	// already threaded.
	for pc := len(work) - 1; pc >= 0; pc-- {
		if hasJump(work[pc].Op) {
			if t := work[pc].Jump; work[t].Op == OpJump {
				work[pc].Jump = work[t].Jump
			}
		}
	}
	entry := 0
	if work[0].Op == OpJump {
		entry = int(work[0].Jump)
	}
	switch work[entry].Op {
	case OpRetTrue:
		return out, entryTrue
	case OpRetFalse:
		return out, entryFalse
	}
	// Copy what the entry reaches, in order (a test's next instruction is reachable when the
	// test is, so falling through still lands where it should), then move the jumps.
	const unreached = 0xFFFF
	for pc := range newPC {
		newPC[pc] = unreached
	}
	base := len(out)
	newPC[entry] = 0
	for pc := entry; pc < len(work); pc++ {
		if newPC[pc] == unreached {
			continue
		}
		newPC[pc] = uint16(len(out) - base)
		out = append(out, work[pc])
		in := work[pc]
		if opTable[in.Op].Flow == FlowTest {
			newPC[pc+1] = 0
		}
		if hasJump(in.Op) {
			newPC[in.Jump] = 0
		}
	}
	for i := base; i < len(out); i++ {
		if hasJump(out[i].Op) {
			out[i].Jump = uint16(base) + newPC[out[i].Jump]
		}
	}
	return out, uint16(base)
}

// hasJump reports whether op's instructions branch to their Jump.
func hasJump(op Opcode) bool {
	f := opTable[op].Flow // (verified: op is an opcode)
	return f == FlowTest || f == FlowJump
}

// xinstr is an instruction of derived code with what the commonest tests read copied in, so
// that they load neither the operand nor the constant through the program's tables: the
// attribute id, selector and type of operand A, and constant B of a string or numeric test.
type xinstr struct {
	Instr
	id  attrs.ID
	sel attrs.Selector
	typ attrs.Type
	str string // Strs[B] for a test against a constant string
	num int64  // Nums[B] for a test against a constant number
}

// expand copies code into derived instructions.
func expand(p *Program, code []Instr) []xinstr {
	out := make([]xinstr, len(code))
	for i, in := range code {
		x := xinstr{Instr: in}
		info := &opTable[in.Op] // (verified: an opcode)
		if info.A == KindOperand {
			o := &p.Operands[in.A]
			x.id, x.sel, x.typ = o.ID, o.Sel, o.Type
		}
		switch info.B {
		case KindStr:
			x.str = p.Strs[in.B]
		case KindNum:
			x.num = p.Nums[in.B]
		}
		out[i] = x
	}
	return out
}
