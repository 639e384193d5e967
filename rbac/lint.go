package rbac

import (
	"fmt"
	"strings"

	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/match"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// Finding codes of `abacc authorize check`: Azure footguns in a tenant's RBAC data.
const (
	// OutsideAssignableScopes: an assignment's scope is not within its role's assignableScopes
	// (Azure refuses to create it; an exported one means the role was narrowed afterwards).
	OutsideAssignableScopes = "RBAC4001"
	// MultipleWildcards: a custom role's permission string holds more than one `*` (Azure
	// rejects such custom roles).
	MultipleWildcards = "RBAC4002"
	// ConditionTargetsOtherActions: a condition's ActionMatches names an action its role does
	// not include, so that clause can never matter.
	ConditionTargetsOtherActions = "RBAC4003"
	// GuidOperatorOnStorage: a condition uses GUID operators on a role with Microsoft.Storage
	// data actions (Azure rejects it).
	GuidOperatorOnStorage = "RBAC4004"
	// ShadowedConditional: an unconditional assignment of the same principal at a covering
	// scope includes everything a conditional assignment includes, so its condition restricts
	// nothing.
	ShadowedConditional = "RBAC4005"
)

// Finding is one lint of a tenant.
type Finding struct {
	Code    string
	Element string // e.g. `role assignment "…/roleAssignments/…"`
	Message string
}

func (f Finding) String() string {
	return fmt.Sprintf("warning: %s: %s [%s]", f.Element, f.Message, f.Code)
}

// Lint reports the tenant's footguns, in input order.
func (e *Engine) Lint() []Finding {
	var out []Finding
	t := e.tenant
	for i := range t.Roles {
		rd := &t.Roles[i]
		if !rd.Custom {
			continue
		}
		for j := range rd.Permissions {
			p := &rd.Permissions[j]
			for _, list := range [][]string{p.Actions, p.NotActions, p.DataActions, p.NotDataActions} {
				for _, s := range list {
					if strings.Count(s, "*") > 1 {
						out = append(out, Finding{MultipleWildcards, fmt.Sprintf("role definition %q", rd.RoleName),
							fmt.Sprintf("permission %q holds more than one wildcard; Azure accepts at most one `*` in a custom role's permission string", s)})
					}
				}
			}
		}
	}
	for i := range e.assignments {
		a := &e.assignments[i]
		ro := &e.roles[a.role]
		el := fmt.Sprintf("role assignment %q", a.id)
		if len(ro.def.AssignableScopes) > 0 && !e.withinAny(a.def.Scope, ro.def.AssignableScopes) {
			out = append(out, Finding{OutsideAssignableScopes, el,
				fmt.Sprintf("scope %s is outside the assignable scopes of role %q (%s)", a.def.Scope, ro.def.RoleName, strings.Join(ro.def.AssignableScopes, ", "))})
		}
		if a.cond >= 0 {
			out = append(out, e.lintCondition(el, a.def.Condition, ro)...)
			for k := range e.byPrincipal[a.principal] {
				u := &e.assignments[e.byPrincipal[a.principal][k]]
				if u.cond < 0 && e.covers(u.node, a.node) && e.subsumes(u.role, a.role) {
					out = append(out, Finding{ShadowedConditional, el,
						fmt.Sprintf("unconditional assignment %s of role %q at %s already includes everything role %q includes here, so this condition restricts nothing",
							u.id, e.roles[u.role].def.RoleName, u.def.Scope, ro.def.RoleName)})
					break
				}
			}
		}
	}
	return out
}

// covers reports whether the scope at node s covers the scope at node n (itself, an ancestor,
// or a management group above n's subscription or management group).
func (e *Engine) covers(s, n int32) bool {
	for m := n; m >= 0; m = e.nodes[m].parent {
		if m == s {
			return true
		}
		for up := e.nodes[m].up; up >= 0; up = e.nodes[up].up {
			if up == s {
				return true
			}
		}
	}
	return false
}

// withinAny reports whether scope lies within one of the assignable scopes.
func (e *Engine) withinAny(scope string, assignable []string) bool {
	r := NewRequest()
	r.resourceID, r.set = scope, true
	r.resolvePath(e)
	for _, s := range assignable {
		if s == "/" {
			return true
		}
		if validScope(s) != nil {
			continue
		}
		key := foldScope(s)
		// Assignable scopes need not be trie nodes: compare folded prefixes, then the hierarchy.
		fs := foldScope(scope)
		if fs == key || strings.HasPrefix(fs, key+"/") {
			return true
		}
		for _, m := range r.above {
			if foldScope(e.scopeText(m)) == key {
				return true
			}
		}
	}
	return false
}

// subsumes reports whether every pattern role c includes (either plane) is permitted by an
// unconditional entry of role u, reading c's patterns as actions: a sound test for literal
// patterns and for wildcards that u's wildcards cover textually.
func (e *Engine) subsumes(u, c int32) bool {
	any := false
	for _, ce := range e.roles[c].entries {
		for p := Control; p <= Data; p++ {
			for _, pat := range ce.allow[p] {
				any = true
				ok := false
				for _, ue := range e.roles[u].entries {
					if ue.cond < 0 && ue.permits(p, pat) && !overlapsAny(ue.notAllow[p], pat) {
						ok = true
						break
					}
				}
				if !ok {
					return false
				}
			}
		}
	}
	return any
}

// overlapsAny reports whether a Not-pattern may remove part of what pattern pat matches.
func overlapsAny(notAllow []string, pat string) bool {
	for _, q := range notAllow {
		if match.ActionFolded(q, pat) || match.ActionFolded(pat, q) || strings.Contains(q, "*") || strings.Contains(pat, "*") {
			return true
		}
	}
	return false
}

func (e *Engine) lintCondition(el, src string, ro *role) []Finding {
	u := compiler.Frontend("condition", src, compiler.Options{})
	if !u.OK() {
		return nil
	}
	var out []Finding
	storageData := false
	for _, en := range ro.def.Permissions {
		for _, s := range en.DataActions {
			if strings.HasPrefix(strings.ToLower(s), "microsoft.storage/") {
				storageData = true
			}
		}
	}
	guidReported := false
	ast.Inspect(u.Expr, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.MatchesExpr:
			if x.Func != ast.ActionMatches {
				return true
			}
			for _, lit := range x.Patterns {
				if !e.roleMayInclude(ro, lit.Str) {
					line, col := u.File.Position(lit.Pos())
					out = append(out, Finding{ConditionTargetsOtherActions, el,
						fmt.Sprintf("condition %d:%d: ActionMatches '%s' names an action role %q does not include, so this clause never applies", line, col, lit.Str, ro.def.RoleName)})
				}
			}
		case *ast.Comparison:
			if info := x.Op.Info(); info != nil && info.Positive == ast.GuidEquals && storageData && !guidReported {
				guidReported = true
				line, col := u.File.Position(x.Op.Pos())
				out = append(out, Finding{GuidOperatorOnStorage, el,
					fmt.Sprintf("condition %d:%d: %s on role %q, which has Microsoft.Storage data actions: Azure rejects GUID operators in storage conditions", line, col, x.Op.String(), ro.def.RoleName)})
			}
		}
		return true
	})
	return out
}

// roleMayInclude reports whether some entry of the role permits an action the ActionMatches
// pattern matches: exactly for a literal action; for a wildcard pattern, whether some allow
// pattern could overlap it (conservatively yes when both hold wildcards).
func (e *Engine) roleMayInclude(ro *role, pattern string) bool {
	fp := match.FoldString(pattern)
	for _, en := range ro.entries {
		for p := Control; p <= Data; p++ {
			if !strings.Contains(fp, "*") {
				if en.permits(p, fp) {
					return true
				}
				continue
			}
			for _, a := range en.allow[p] {
				if strings.Contains(a, "*") || match.ActionFolded(fp, a) {
					return true
				}
			}
		}
	}
	return false
}
