package vm

import (
	"slices"

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
// class); most programs have two to four classes. An operation the catalog does not list
// (key 0), a suboperation it does not list for the action (its SUBOP tests stay), and classes
// past the size budget run the code as written, whose instructions test strings.
type operationCode struct {
	// code is the program's code (the first len(Program.Code) instructions, which run as
	// written) followed by one specialised copy per class, its jumps moved with it.
	code []Instr
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

// Entries that decide without running code; code never reaches their length (see
// maxSpecialisedCode).
const (
	entryFalse = 0xFFFF
	entryTrue  = 0xFFFE
)

// maxSpecialisedCode bounds the specialised copies of one program, in instructions (8 bytes
// each): past it, the remaining classes run the code as written. Jump targets are uint16, so
// the whole derived code must also stay below entryTrue.
const maxSpecialisedCode = 1 << 14

// undecided marks, in a class's row, a suboperation test that the operation does not decide (a
// suboperation the catalog does not list for the action).
const undecided = 0xFFFF

// specialise builds the operation code of the verified program p for the operations of cat.
func specialise(p *Program, cat *attrs.Catalog) operationCode {
	var tests []int // the instructions decided by the operation alone
	for pc, in := range p.Code {
		switch in.Op {
		case OpAction, OpActionIn, OpSwitch, OpSubOp:
			tests = append(tests, pc)
		}
	}
	patterns := splitActionPatterns(p)
	ops := cat.Operations()
	if len(tests) == 0 || len(ops) <= 1 {
		return operationCode{code: p.Code, patterns: patterns}
	}
	folded := cat.FoldedActionNames()

	// rows[key] holds, for each test, the operation's outcome: 0 or 1 for a test, the target
	// for a switch, undecided for a suboperation test it does not decide. The action part is
	// the same for every operation of an action, so it is computed once per action.
	n := len(tests)
	rows := make([]uint16, len(ops)*n)
	for key := 1; key < len(ops); key++ {
		op := ops[key]
		row := rows[key*n : (key+1)*n]
		if prev := ops[key-1]; key > 1 && prev.Action == op.Action {
			copy(row, rows[(key-1)*n:key*n])
		} else {
			action := folded[op.Action]
			for i, pc := range tests {
				in := p.Code[pc]
				switch in.Op {
				case OpAction:
					row[i] = outcome(p.action(action, in.B))
				case OpActionIn:
					row[i] = outcome(p.strIn(action, in.B))
				case OpSwitch:
					sw := &p.Switches[in.B]
					row[i] = sw.Default
					if j := p.find(action, p.Sets[sw.Set]); j >= 0 {
						row[i] = sw.Targets[j]
					}
				}
			}
		}
		for i, pc := range tests {
			if in := p.Code[pc]; in.Op == OpSubOp {
				switch op.SubOp {
				case attrs.NoSubOp:
					row[i] = 0
				case attrs.KnownSubOp:
					row[i] = outcome(p.strIn(op.SubOpFolded, in.B))
				default:
					row[i] = undecided
				}
			}
		}
	}

	// One specialised copy per distinct row, while the budget lasts.
	size := len(p.Code)
	budget := min(len(p.Code)+maxSpecialisedCode, entryTrue) - size
	var classes []int // a key of each class, whose row is the class's
	classOf := make([]int, len(ops))
	for key := 1; key < len(ops); key++ {
		row := rows[key*n : (key+1)*n]
		classOf[key] = -1
		for c, k := range classes {
			if slices.Equal(row, rows[k*n:(k+1)*n]) {
				classOf[key] = c
				break
			}
		}
		if classOf[key] < 0 && budget >= size {
			budget -= size
			classOf[key] = len(classes)
			classes = append(classes, key)
		}
	}
	oc := operationCode{code: make([]Instr, size, size*(1+len(classes))), entry: make([]uint16, len(ops)), patterns: patterns}
	copy(oc.code, p.Code)
	starts := make([]uint16, len(classes))
	for c, key := range classes {
		starts[c] = oc.specialiseClass(p.Code, tests, rows[key*n:(key+1)*n])
	}
	for key := 1; key < len(ops); key++ {
		if c := classOf[key]; c >= 0 {
			oc.entry[key] = starts[c]
		}
	}
	return oc
}

func outcome(b bool) uint16 {
	if b {
		return 1
	}
	return 0
}

// specialiseClass appends a copy of code with the tests decided as row says, and returns its
// entry.
func (oc *operationCode) specialiseClass(code []Instr, tests []int, row []uint16) uint16 {
	base := len(oc.code)
	oc.code = append(oc.code, code...)
	seg := oc.code[base:]
	for i, pc := range tests {
		in := code[pc]
		switch {
		case in.Op == OpSwitch:
			seg[pc] = Instr{Op: OpJump, Jump: row[i]}
		case row[i] != undecided:
			next := uint16(pc + 1)
			if (row[i] == 1) == (in.Flag&FlagJumpIfTrue != 0) {
				next = in.Jump
			}
			seg[pc] = Instr{Op: OpJump, Jump: next}
		}
	}
	// Thread jumps to jumps. Jumps go forward, so walking backwards finds every target
	// already threaded; then move the segment's jumps to where it lies.
	for pc := len(seg) - 1; pc >= 0; pc-- {
		if f := seg[pc].Op.Info().Flow; f == FlowTest || f == FlowJump {
			if t := seg[pc].Jump; seg[t].Op == OpJump {
				seg[pc].Jump = seg[t].Jump
			}
		}
	}
	entry := 0
	if seg[0].Op == OpJump {
		entry = int(seg[0].Jump)
	}
	for pc := range seg {
		if f := seg[pc].Op.Info().Flow; f == FlowTest || f == FlowJump {
			seg[pc].Jump += uint16(base)
		}
	}
	switch seg[entry].Op {
	case OpRetTrue:
		return entryTrue
	case OpRetFalse:
		return entryFalse
	}
	return uint16(base + entry)
}
