package vm

import (
	"github.com/abacc/abacc/internal/attrs"
)

// actionTables are derived from a verified program at Verify time and never encoded: for every
// action test and dispatch, its answer for each action of the catalog, indexed by the action's
// key (attrs.Catalog.ActionKey). A request resolves its action to that key once, when it is
// set, so the interpreter tests a catalog action with one bit or one table load instead of
// comparing folded strings; an action the catalog does not list (key 0) takes the string path.
type actionTables struct {
	// patterns[set] and names[set] hold one bit per action key: whether the action matches a
	// pattern of the set (OpAction) or equals one of its names (OpActionIn). Nil for sets no
	// such instruction uses.
	patterns, names [][]uint64
	// switches[i][key] is switch i's target for the action with that key.
	switches [][]uint16
}

// buildActionTables answers every action test and dispatch of the verified program p for each
// action of cat, with the same matchers the interpreter's string path uses.
func buildActionTables(p *Program, cat *attrs.Catalog) actionTables {
	folded := cat.FoldedActionNames() // by key; key 0 is no action
	words := (len(folded) + 63) / 64
	// Tables are made only for what the program uses: most programs have an action set or
	// two and no switch, and compiling pays for these tables.
	var t actionTables
	for _, in := range p.Code {
		var table *[][]uint64
		var test func(action string, set Set) bool
		switch in.Op {
		case OpAction:
			table, test = &t.patterns, p.action
		case OpActionIn:
			table, test = &t.names, p.strIn
		default:
			continue
		}
		if *table == nil {
			*table = make([][]uint64, len(p.Sets))
		}
		if (*table)[in.B] != nil {
			continue
		}
		bits := make([]uint64, words)
		for key := 1; key < len(folded); key++ {
			if test(folded[key], p.Sets[in.B]) {
				bits[key>>6] |= 1 << (key & 63)
			}
		}
		(*table)[in.B] = bits
	}
	if len(p.Switches) > 0 {
		t.switches = make([][]uint16, len(p.Switches))
	}
	for i, sw := range p.Switches {
		targets := make([]uint16, len(folded))
		for key := range targets {
			targets[key] = sw.Default
			if j := p.find(folded[key], p.Sets[sw.Set]); key > 0 && j >= 0 {
				targets[key] = sw.Targets[j]
			}
		}
		t.switches[i] = targets
	}
	return t
}

// hasBit reports whether bit key of bits is set. A request must come from the catalog the
// program was verified against, as its attribute ids must; should a key still fall past the
// table, ok is false and the caller takes the string path rather than read out of range.
func hasBit(bits []uint64, key int32) (set, ok bool) {
	w := int(key >> 6)
	if w >= len(bits) {
		return false, false
	}
	return bits[w]&(1<<(key&63)) != 0, true
}
