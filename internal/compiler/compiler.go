// Package compiler is abacc's front end: it parses a condition, checks it against the attribute
// catalog and returns the checked tree with every diagnostic. Later stages (ir, optimize, vm)
// start from its Unit.
package compiler

import (
	"github.com/abacc/abacc/attrs"
	"github.com/abacc/abacc/internal/check"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/syntax/parser"
)

// Options configure the front end.
type Options struct {
	// Catalog resolves attributes; nil means attrs.Default.
	Catalog *attrs.Catalog
	// Strict turns warnings into errors.
	Strict bool
}

// Unit is one checked condition.
type Unit struct {
	File  *diag.File
	Expr  ast.Expr
	Diags diag.List
}

// OK reports whether the unit has no errors and may be evaluated.
func (u *Unit) OK() bool { return u.Expr != nil && !u.Diags.HasErrors() }

// Frontend parses and checks src, named name in diagnostics.
func Frontend(name, src string, opts Options) *Unit {
	cat := opts.Catalog
	if cat == nil {
		cat = attrs.Default
	}
	u := &Unit{File: diag.NewFile(name, src)}
	u.Expr = parser.Parse(src, &u.Diags)
	// Type errors are reported even after syntax errors, on the parts that did parse.
	if u.Expr != nil {
		check.Check(u.Expr, src, cat, &u.Diags)
	}
	if opts.Strict {
		for i := range u.Diags.Items {
			u.Diags.Items[i].Severity = diag.Error
		}
	}
	u.Diags.Sort()
	return u
}
