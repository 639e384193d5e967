// Package hooks lets the command, the benchmarks and the fuzz targets of this module reach what
// the public API does not offer (a program's bytecode, a request's vector, compilation without
// the optimizer) without making it API: package abacc fills these in at initialization, and
// only packages inside the module can import this one.
package hooks

import (
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/vm"
)

// Options are the compiler's internal knobs.
type Options struct {
	Name          string
	Strict        bool
	NoOptimize    bool
	DisablePasses []string
	// Dialect is an abacc.Dialect (0 standard, 1 extended).
	Dialect uint8
}

var (
	// Bytecode returns the verified bytecode of an *abacc.Program.
	Bytecode func(prog any) *vm.Verified
	// Vector returns the attribute vector of an *abacc.Request.
	Vector func(req any) *attrs.Vector
	// Compile compiles with internal options; the result is an *abacc.Program.
	Compile func(src string, opts Options) (any, error)
)
