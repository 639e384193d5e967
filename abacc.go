// Package abacc compiles Azure role-assignment conditions (condition version 2.0) and decides
// them against requests.
//
//	prog, err := abacc.Compile(src)
//	req := abacc.NewRequest()
//	err = req.UnmarshalJSON(data)
//	ok := prog.Eval(req)
//
// A *Program is immutable and may be shared by any number of goroutines; a *Request is a
// reusable vector of attribute values that belongs to one goroutine at a time.
package abacc

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/check"
	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/hooks"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/refeval"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/syntax/printer"
	"github.com/abacc/abacc/internal/vm"
)

// Version is abacc's release version.
const Version = "0.1.0"

// Options configure compilation.
type Options struct {
	// Name labels the condition in diagnostics (default "condition").
	Name string
	// Strict turns warnings into errors.
	Strict bool
	// Dialect is the language accepted: DialectStandard (the zero value, Azure's documented
	// language) or DialectExtended, which adds the IP, time-of-day, numeric-range and list
	// operators and the pair literal [a, b] (RATIONALE.md, "The extended dialect").
	Dialect Dialect
}

// Dialect is a version of the condition language.
type Dialect uint8

// The dialects. The standard one is the default everywhere: the extended one is an opt-in, so
// that a condition that passes abacc's standard checks is one Azure itself accepts.
const (
	// DialectStandard is condition version 2.0 as Azure documents it, with StringEndsWith,
	// StringContains and their Not-forms.
	DialectStandard Dialect = Dialect(ast.Standard)
	// DialectExtended adds IpMatch, IpNotMatch, IpInRange, IpNotInRange, the TimeOfDay
	// operators, NumericInRange, ListContains and ListNotContains. Programs compiled with it
	// are marked so in bundles, and loaders refuse them unless they allow it.
	DialectExtended Dialect = Dialect(ast.Extended)
)

// String returns the dialect's name ("standard" or "extended"), as -dialect takes it.
func (d Dialect) String() string { return ast.Dialect(d).String() }

// ParseDialect reads a dialect name, "standard" or "extended" in any case.
func ParseDialect(s string) (Dialect, error) {
	d, ok := ast.ParseDialect(s)
	if !ok {
		return DialectStandard, fmt.Errorf("abacc: unknown dialect %q (standard or extended)", s)
	}
	return Dialect(d), nil
}

// Program is a compiled condition.
type Program struct {
	src  string
	code *vm.Verified
	// compiled is set for a program compiled here (not loaded from a bundle); opts are the
	// options it was compiled with, to rebuild its IR for DumpIR.
	compiled bool
	opts     hooks.Options
	// The syntax tree (for the reference interpreter, explanations and Format) is not kept
	// from compilation, which builds it in reused scratch memory: it is parsed again from src
	// when first asked for, and most programs never are.
	treeOnce sync.Once
	tree     ast.Expr
	// The compiler's warnings are rendered into Diagnostics (with their Text) when first asked
	// for: most callers never ask, and rendering is the largest cost of compiling a condition
	// that draws one. pending holds them until then.
	warnOnce sync.Once
	pending  *pendingWarnings
	warnings []Diagnostic
	dialect  Dialect
}

// syntax returns the program's checked syntax tree, parsing its source the first time; nil
// when it has no source (a bundle written without sources) or the source does not check.
func (p *Program) syntax() ast.Expr {
	p.treeOnce.Do(func() {
		if p.src == "" {
			return
		}
		if u := compiler.Frontend("condition", p.src, compiler.Options{Dialect: ast.Dialect(p.dialect)}); u.OK() {
			p.tree = u.Expr
		}
	})
	return p.tree
}

// pendingWarnings are a compilation's diagnostics not yet rendered, with their file.
type pendingWarnings struct {
	file  diag.File
	items []diag.Diagnostic
}

// Diagnostic is one finding of the compiler, with its position resolved.
type Diagnostic struct {
	Code     string
	Severity string // "error" or "warning"
	Line     int
	Column   int
	Message  string
	Hint     string
	// Text is the full rendering: FILE:LINE:COL: severity: message, snippet, caret and hint.
	Text string
}

// Error is returned by Compile for an invalid condition; it holds every diagnostic.
type Error struct {
	Diagnostics []Diagnostic
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, d := range e.Diagnostics {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(strings.TrimRight(d.Text, "\n"))
	}
	return b.String()
}

// Compile parses, checks and compiles one condition.
func Compile(src string) (*Program, error) { return CompileWith(src, Options{}) }

// CompileWith compiles with options.
func CompileWith(src string, opts Options) (*Program, error) {
	return compile(src, hooks.Options{Name: opts.Name, Strict: opts.Strict, Dialect: uint8(opts.Dialect)})
}

// compile runs the compiler with its internal options (the optimizer's switches are for the
// module's own tests, benchmarks and `abacc compile -O0`, through hooks.Compile).
func compile(src string, opts hooks.Options) (*Program, error) {
	name := opts.Name
	if name == "" {
		name = "condition"
	}
	u := compiler.Code(name, src, compilerOptions(opts))
	if u.Internal != nil {
		return nil, u.Internal
	}
	if u.OK() {
		opts.DisablePasses = slices.Clone(opts.DisablePasses)
		p := &Program{src: src, code: u.Code, compiled: true, opts: opts, warnings: []Diagnostic{}, dialect: Dialect(opts.Dialect)}
		if len(u.Diags.Items) > 0 {
			p.pending = &pendingWarnings{file: *u.File, items: u.Diags.Items}
		}
		return p, nil
	}
	diags := convert(u.File, u.Diags.Items)
	var errs []Diagnostic
	for _, d := range diags {
		if d.Severity == "error" {
			errs = append(errs, d)
		}
	}
	if len(errs) == 0 { // a parse that produced no tree always reported an error; be safe
		errs = diags
	}
	return nil, &Error{Diagnostics: errs}
}

// compilerOptions are the compiler's options for the internal ones.
func compilerOptions(opts hooks.Options) compiler.Options {
	return compiler.Options{Strict: opts.Strict, NoOptimize: opts.NoOptimize, DisablePasses: opts.DisablePasses,
		Dialect: ast.Dialect(opts.Dialect)}
}

func convert(f *diag.File, items []diag.Diagnostic) []Diagnostic {
	out := make([]Diagnostic, 0, len(items))
	for _, d := range items {
		line, col := f.Position(d.Pos)
		out = append(out, Diagnostic{Code: string(d.Code), Severity: d.Severity.String(), Line: line, Column: col,
			Message: d.Msg, Hint: d.Hint, Text: f.Format(d)})
	}
	return out
}

// Warnings returns the compiler's warnings for the program.
func (p *Program) Warnings() []Diagnostic {
	p.warnOnce.Do(func() {
		if w := p.pending; w != nil {
			p.warnings, p.pending = convert(&w.file, w.items), nil
		}
	})
	return p.warnings
}

// Dialect returns the dialect the program was compiled with (for a program of a bundle, the
// one the bundle records).
func (p *Program) Dialect() Dialect { return p.dialect }

// Source returns the condition text the program was compiled from.
func (p *Program) Source() string { return p.src }

// Format returns the canonical text of the program's condition.
func (p *Program) Format() string {
	return printer.Print(p.syntax(), printer.Options{AttrName: func(a *ast.AttrRef) string { return check.CanonicalName(attrs.Default, a) }})
}

// Eval decides the condition for request r with the bytecode VM. It is total (any request
// gives true or false), allocates nothing, and may run concurrently on one program.
func (p *Program) Eval(r *Request) bool { return p.code.Eval(r.v) }

// EvalReference decides with the reference interpreter, the tree-walking oracle the VM is
// tested against (slow; for cross-checking). A program loaded from a bundle written without
// source text has no tree to walk (HasSource is false) and decides with the VM instead.
func (p *Program) EvalReference(r *Request) bool {
	x := p.syntax()
	if x == nil {
		return p.Eval(r)
	}
	return refeval.Eval(x, r.v)
}

// HasSource reports whether the program carries its condition text (and so its syntax tree,
// for the reference interpreter and explanations).
func (p *Program) HasSource() bool { return p.syntax() != nil }

// DumpIR renders the (optimized) intermediate form, for `abacc compile -dump=ir`: the IR the
// program's bytecode was generated from, built again from its source ("" for a program of a
// bundle, whose bytecode need not come from its text).
func (p *Program) DumpIR() string {
	if !p.compiled {
		return ""
	}
	u := compiler.Compile("condition", p.src, compilerOptions(p.opts))
	if !u.OK() || u.IR == nil {
		return ""
	}
	return ir.Print(u.IR)
}

// Disassemble lists the bytecode, one instruction a line with its source text.
func (p *Program) Disassemble() string { return p.code.Disassemble() }

// Request is a reusable vector of attribute values, filled from JSON or typed setters.
type Request struct {
	v *attrs.Vector
}

// NewRequest returns an empty request over Azure's attribute catalog.
func NewRequest() *Request { return &Request{v: attrs.NewVector(attrs.Default)} }

// UnmarshalJSON replaces the request's contents with the JSON request document of the spec
// (request.md). Unknown keys, unknown attributes and values of the wrong type are errors.
func (r *Request) UnmarshalJSON(data []byte) error { return r.v.UnmarshalJSON(data) }

// UnmarshalJSONWithAction is UnmarshalJSON for a document that may omit "action": it then
// has action. A document that names an action keeps its own (Action reports it).
func (r *Request) UnmarshalJSONWithAction(data []byte, action string) error {
	return r.v.DecodeJSON(data, action)
}

// Action returns the request's action.
func (r *Request) Action() string { return r.v.Action() }

// Limits bound a request document's size and key count (see attrs.DefaultLimits).
type Limits = attrs.Limits

// SetLimits replaces the limits UnmarshalJSON enforces (zero fields: unlimited).
func (r *Request) SetLimits(l Limits) { r.v.SetLimits(l) }

// Reset empties the request, keeping its storage for reuse.
func (r *Request) Reset() { r.v.Reset() }

// The module's own command, benchmarks and fuzz targets reach the internals through hooks,
// which only packages of this module can import.
func init() {
	hooks.Bytecode = func(p any) *vm.Verified { return p.(*Program).code }
	hooks.Vector = func(r any) *attrs.Vector { return r.(*Request).v }
	hooks.Compile = func(src string, o hooks.Options) (any, error) {
		p, err := compile(src, o)
		if p == nil {
			return nil, err // not a typed nil in the interface
		}
		return p, err
	}
}
