package vm

import (
	"hash/maphash"

	"github.com/abacc/abacc/internal/attrs"
)

// strIndex is a hash index of a large string set, derived from a verified program by Verify
// and never encoded: a membership test hashes the value once and compares one or two strings,
// where binary search compares about log2(N). Open addressing with linear probing over a table
// at most half full, so every probe sequence ends at an empty slot.
type strIndex struct {
	// slots holds a value's index in the set plus one, 0 for an empty slot; its length is a
	// power of two.
	slots []uint32
}

// setSeed seeds the hash of every index of the process (indexes are never encoded).
var setSeed = maphash.MakeSeed()

// has reports whether s is one of vals, the set the index was built over.
func (x *strIndex) has(vals []string, s string) bool {
	mask := uint64(len(x.slots) - 1)
	for i := maphash.String(setSeed, s) & mask; ; i = (i + 1) & mask {
		j := x.slots[i]
		if j == 0 {
			return false
		}
		if vals[j-1] == s {
			return true
		}
	}
}

// indexStringSets builds an index for every string set of p larger than linearMax that a
// membership test reads (STR_IN, IN_ANY and IN_ALL on strings or dictionary keys, and their
// folding forms when the set is sorted and so holds folded values). The result is indexed by set; nil when there
// is none.
func indexStringSets(p *Program) []strIndex {
	var out []strIndex
	for _, in := range p.Code {
		switch in.Op {
		case OpStrIn, OpStrInFold:
		case OpInAny, OpInAnyFold, OpInAll, OpInAllFold:
			if o := p.Operands[in.A]; o.Type != attrs.TypeString && o.Sel != attrs.SelKeys {
				continue
			}
		default:
			continue
		}
		set := p.Sets[in.B]
		if set.N <= linearMax || (out != nil && out[in.B].slots != nil) || (in.Op.Folds() && !set.Sorted) {
			// (A folding test searches its set by folded key only when the set is sorted,
			// the verifier's promise that its values are folded.)
			continue
		}
		if out == nil {
			out = make([]strIndex, len(p.Sets))
		}
		vals := p.Strs[set.Off : set.Off+set.N]
		size := 1
		for size < 2*len(vals) {
			size *= 2
		}
		slots := make([]uint32, size)
		mask := uint64(size - 1)
	values:
		for j, v := range vals {
			i := maphash.String(setSeed, v) & mask
			for ; slots[i] != 0; i = (i + 1) & mask {
				if vals[slots[i]-1] == v {
					continue values
				}
			}
			slots[i] = uint32(j + 1)
		}
		out[in.B] = strIndex{slots: slots}
	}
	return out
}
