// Package lint finds the footguns Azure users hit in conditions that are valid but probably
// not what was meant: guards that cover one of a pair of actions, read guards that also catch
// listing, "none of" written as ForAnyOfAnyValues:…NotEquals, and conditions that fold to a
// constant. It reports warnings (ABAC31xx) beside the checker's own (ABAC30xx).
package lint

import (
	"strings"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// Codes of the lint warnings.
const (
	HalfWriteGuard  diag.Code = "ABAC3101" // guards blobs/write but not blobs/add/action, or the reverse
	ListUnguarded   diag.Code = "ABAC3102" // guards blobs/read without excluding Blob.List
	NotEqualsAsNone diag.Code = "ABAC3103" // ForAnyOfAnyValues:…NotEquals (…NotContains, …) against several values
	AlwaysTrue      diag.Code = "ABAC3104" // folds to true
	AlwaysFalse     diag.Code = "ABAC3105" // folds to false
)

// Descriptions documents the codes.
var Descriptions = map[diag.Code]string{
	HalfWriteGuard:  "a condition that guards blobs/write but not blobs/add/action, or the reverse",
	ListUnguarded:   "a Read-a-blob guard without NOT SubOperationMatches{'Blob.List'}",
	NotEqualsAsNone: "ForAnyOfAnyValues:…NotEquals (or another Not-base, such as …NotContains) against several values, which is not \"none of\"",
	AlwaysTrue:      "a condition that is always true after constant folding",
	AlwaysFalse:     "a condition that is always false after constant folding",
}

const (
	blobs    = "microsoft.storage/storageaccounts/blobservices/containers/blobs"
	write    = blobs + "/write"
	add      = blobs + "/add/action"
	read     = blobs + "/read"
	blobList = "blob.list"
)

// Run lints a checked tree x; folded is its optimized IR (for constant conditions).
func Run(x ast.Expr, folded *ir.Unit, cat *attrs.Catalog, errs *diag.List) {
	w := walker{errs: errs}
	w.expr(x)
	guards(w.matches, cat, w.listExcluded, errs)
	if folded != nil && folded.Root.Kind == ir.Const {
		if folded.Root.Value {
			errs.Warnf(AlwaysTrue, x.Pos(), x.Pos(), "it grants access whatever the request; check the literals and negations",
				"the condition is always true")
		} else {
			errs.Warnf(AlwaysFalse, x.Pos(), x.Pos(), "it denies every request the role assignment covers; check the literals and negations",
				"the condition is always false")
		}
	}
}

// walker visits the expressions of a tree in order (matchers and comparisons are
// expressions; operands hold neither, so it does not descend into them).
type walker struct {
	errs         *diag.List
	matches      []*ast.MatchesExpr // the ActionMatches
	listExcluded bool               // some SubOperationMatches names Blob.List
}

func (w *walker) expr(x ast.Expr) {
	switch n := x.(type) {
	case *ast.BinaryExpr:
		w.expr(n.X)
		w.expr(n.Y)
	case *ast.NotExpr:
		w.expr(n.X)
	case *ast.ParenExpr:
		w.expr(n.X)
	case *ast.MatchesExpr:
		if n.Func == ast.ActionMatches {
			w.matches = append(w.matches, n)
		} else {
			for _, p := range n.Patterns {
				if strings.EqualFold(p.Str, blobList) {
					w.listExcluded = true
				}
			}
		}
	case *ast.Comparison:
		notEqualsAsNone(n, w.errs)
	}
}

// guards reports write/add asymmetries and read guards that also catch listing.
func guards(matches []*ast.MatchesExpr, cat *attrs.Catalog, listExcluded bool, errs *diag.List) {
	covers := func(action string) *ast.MatchesExpr {
		for _, m := range matches {
			for _, p := range m.Patterns {
				if attrs.ActionPatternMatch(p.Str, action) {
					return m
				}
			}
		}
		return nil
	}
	w, a := covers(write), covers(add)
	switch {
	case w != nil && a == nil:
		errs.Warnf(HalfWriteGuard, w.Pos(), w.End(), "add 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action' to the ActionMatches",
			"the condition guards blobs/write but not blobs/add/action, which also creates blobs (Put Block, Append Block)")
	case a != nil && w == nil:
		errs.Warnf(HalfWriteGuard, a.Pos(), a.End(), "add 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write' to the ActionMatches",
			"the condition guards blobs/add/action but not blobs/write, which also writes blobs")
	}
	if r := covers(read); r != nil && !listExcluded {
		errs.Warnf(ListUnguarded, r.Pos(), r.End(), "write !(ActionMatches{'…/blobs/read'} AND NOT SubOperationMatches{'Blob.List'}) unless listing must satisfy the condition too",
			"Read-a-blob also covers listing blobs (suboperation Blob.List), whose requests carry no blob path or tags")
	}
}

// notEqualsAsNone reports ForAnyOfAnyValues with a Not-base against several values: it is true
// as soon as one value differs from one member, which is nearly always.
func notEqualsAsNone(c *ast.Comparison, errs *diag.List) {
	if c.Op.Quant != ast.ForAnyOfAnyValues || c.Op.Base == ast.OpInvalid || !c.Op.Info().Negated {
		return
	}
	if s, ok := c.Right.(*ast.SetLit); !ok || len(s.Elems) < 2 {
		return
	}
	base := c.Op.Base.String()
	what := "differs from any member"
	switch c.Op.Info().Rel {
	case ast.RelContains:
		what = "does not contain any one member"
	case ast.RelSuffix:
		what = "does not end with any one member"
	}
	errs.Warnf(NotEqualsAsNone, c.Op.Pos(), c.Op.EndPos, "for \"none of\", write ForAllOfAllValues:"+base,
		"ForAnyOfAnyValues:%s is true when any value %s: that is not \"none of\"", base, what)
}
