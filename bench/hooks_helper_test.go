package bench

import (
	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/hooks"
)

// compileOpts compiles with the compiler's internal options (no optimizer, passes off).
func compileOpts(src string, o hooks.Options) (*abacc.Program, error) {
	p, err := hooks.Compile(src, o)
	if err != nil {
		return nil, err
	}
	return p.(*abacc.Program), nil
}
