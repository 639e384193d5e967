package codegen

import (
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/vm"
)

// TestFoldVariants checks that every exact opcode the generator may turn into its case-folding
// form has one in the opcode table, and that it is a folding test of the same operands.
func TestFoldVariants(t *testing.T) {
	for _, op := range []vm.Opcode{vm.OpStrEq, vm.OpStrPrefix, vm.OpStrSuffix, vm.OpStrLike, vm.OpStrIn, vm.OpInAny, vm.OpInAll} {
		f := foldVariant(op)
		if !f.Folds() || op.Folds() || f.Info().A != op.Info().A || f.Info().B != op.Info().B {
			t.Errorf("%s: fold variant %s", op, f)
		}
		if !strings.HasSuffix(f.String(), "_FOLD") || strings.TrimSuffix(f.String(), "_FOLD") != op.String() {
			t.Errorf("%s: fold variant named %s", op, f)
		}
	}
}
