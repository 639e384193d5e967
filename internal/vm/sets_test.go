package vm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
)

// TestStringIndexes: a program's hashed string sets answer membership as a scan of the set
// does, for sets with duplicates, empty strings and values sharing prefixes, sorted or not, read
// by STR_IN, IN_ANY and the keys of a dictionary; and only sets a membership test reads (larger
// than a scan's reach, and for a folding test only sorted, hence folded, sets) are indexed.
func TestStringIndexes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{linearMax + 1, 17, 64, 200, 1000} {
		var vals []string
		for i := range n {
			vals = append(vals, fmt.Sprintf("value-%d", rng.IntN(2*n)), "")
			if i%7 == 0 {
				vals = append(vals, vals[rng.IntN(len(vals))]) // a duplicate
			}
		}
		p := &Program{
			Code:     []Instr{{Op: OpStrIn, A: 0, B: 0}, {Op: OpInAny, A: 0, B: 1}, {Op: OpStrInFold, A: 0, B: 2}, {Op: OpRetFalse}},
			Operands: []Operand{{ID: 0, Type: attrs.TypeString}},
			Strs:     vals,
			Sets:     []Set{{Off: 0, N: uint32(len(vals))}, {Off: 1, N: uint32(len(vals) - 1)}, {Off: 0, N: uint32(len(vals))}},
		}
		idx := indexStringSets(p)
		if len(idx) != 3 || idx[0].slots == nil || idx[1].slots == nil || idx[2].slots != nil {
			t.Fatalf("n=%d: indexes %v", n, idx)
		}
		for b := range uint16(2) {
			set := p.Sets[b]
			members := map[string]bool{}
			for _, v := range vals[set.Off : set.Off+set.N] {
				members[v] = true
			}
			for i := range 4 * n {
				s := fmt.Sprintf("value-%d", i)
				if got := idx[b].has(vals[set.Off:set.Off+set.N], s); got != members[s] {
					t.Fatalf("n=%d set %d: has(%q) = %v, want %v", n, b, s, got, members[s])
				}
			}
			if !idx[b].has(vals[set.Off:set.Off+set.N], "") {
				t.Fatalf("n=%d set %d: the empty string is missing", n, b)
			}
		}
	}
	small := &Program{
		Code:     []Instr{{Op: OpStrIn, A: 0, B: 0}, {Op: OpRetFalse}},
		Operands: []Operand{{ID: 0, Type: attrs.TypeString}},
		Strs:     []string{"a", "b"},
		Sets:     []Set{{Off: 0, N: 2}},
	}
	if idx := indexStringSets(small); idx != nil {
		t.Fatalf("a set within a scan's reach was indexed: %v", idx)
	}
}
