package rbac

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/abacc/abacc"
)

// ReferenceResult is what Reference decides, with every candidate for the decision's id.
type ReferenceResult struct {
	Allowed bool
	Reason  Reason
	// Deciders lists every id that may be reported as decidedBy: every applying deny
	// assignment when the reason is DeniedByDenyAssignment, every granting role assignment when
	// it is Allowed, none otherwise (in t.Deny or t.Assignments order).
	Deciders []string
	// ConditionFailed lists every role assignment that includes the operation at a covering
	// scope but does not grant it, in t.Assignments order, whatever the decision.
	ConditionFailed []string
}

// Reference is the literal transcription of rbac.md's "The decision" and its "Rules behind the
// lines", used by the property tests as the oracle the indexed Engine must agree with. It scans
// t.Deny, t.Assignments, t.Roles and t.Parents linearly on every call, compares scopes with its
// own case folding, matches action patterns with its own glob matcher and compiles every
// condition it needs with abacc.Compile on every call: it is slow by design and shares no code
// with the engine.
//
// It reads the operation through r.Plane, r.Action and r.ResourceID and the conditions'
// attributes through r.Attributes. A request whose action or resource is not set is
// NoRoleAssignment. t must be valid input (New accepts it): Reference panics on an assignment
// whose role definition is unknown or on a condition that does not compile.
func Reference(t *Tenant, p *Principal, r *Request) ReferenceResult {
	plane, a, res := r.Plane(), r.Action(), r.ResourceID()
	if a == "" || res == "" {
		return ReferenceResult{Reason: NoRoleAssignment}
	}
	attrs := r.Attributes()

	// ids(P) = {P.id} ∪ P.groupIds, GUIDs compared as 128-bit values.
	ids := append([]GUID{p.ID}, p.GroupIDs...)

	// 1. Deny assignments.
	var denied []string
	for i := range t.Deny {
		d := &t.Deny[i]
		var scopeOK bool
		if d.DoNotApplyToChildScopes {
			scopeOK = refScopeEqual(res, d.Scope)
		} else {
			scopeOK = refCovers(t, d.Scope, res)
		}
		if !scopeOK {
			continue
		}
		if !refHolds(d.Principals, Everyone) && !refMeet(d.Principals, ids) {
			continue
		}
		if refMeet(d.ExcludePrincipals, ids) { // exclusion beats inclusion
			continue
		}
		entryOK := false
		for j := range d.Permissions {
			e := &d.Permissions[j]
			if refPermits(e, plane, a) && refCondition(e.Condition, attrs) {
				entryOK = true
				break
			}
		}
		if !entryOK {
			continue
		}
		if !refCondition(d.Condition, attrs) {
			continue
		}
		denied = append(denied, d.ID)
	}

	// 2. Role assignments.
	var granting, failed []string
	for i := range t.Assignments {
		asg := &t.Assignments[i]
		if !refHolds(ids, asg.PrincipalID) || !refCovers(t, asg.Scope, res) {
			continue
		}
		role := refRole(t, asg.RoleGUID)
		if role == nil {
			panic(fmt.Sprintf("rbac.Reference: role assignment %q: unknown role definition %s (invalid input)", asg.ID, asg.RoleGUID))
		}
		includes, entryGrants := false, false
		for j := range role.Permissions {
			e := &role.Permissions[j]
			if !refPermits(e, plane, a) {
				continue
			}
			includes = true
			if refCondition(e.Condition, attrs) {
				entryGrants = true
			}
		}
		if !includes {
			continue
		}
		if entryGrants && refCondition(asg.Condition, attrs) {
			granting = append(granting, asg.ID)
		} else {
			failed = append(failed, asg.ID)
		}
	}

	// 3. The decision.
	switch {
	case len(denied) > 0:
		return ReferenceResult{Reason: DeniedByDenyAssignment, Deciders: denied, ConditionFailed: failed}
	case len(granting) > 0:
		return ReferenceResult{Allowed: true, Reason: Allowed, Deciders: granting, ConditionFailed: failed}
	case len(failed) > 0:
		return ReferenceResult{Reason: ConditionNotMet, ConditionFailed: failed}
	}
	return ReferenceResult{Reason: NoRoleAssignment}
}

// refHolds reports whether list holds g.
func refHolds(list []GUID, g GUID) bool {
	for _, x := range list {
		if x == g {
			return true
		}
	}
	return false
}

// refMeet reports whether two GUID lists share an element.
func refMeet(a, b []GUID) bool {
	for _, x := range a {
		if refHolds(b, x) {
			return true
		}
	}
	return false
}

// refRole returns the definition whose GUID is g (nil: none).
func refRole(t *Tenant, g GUID) *RoleDefinition {
	for i := range t.Roles {
		if t.Roles[i].GUID == g {
			return &t.Roles[i]
		}
	}
	return nil
}

// refCondition is true for no condition, else the condition's value on the attributes.
func refCondition(src string, attrs *abacc.Request) bool {
	if src == "" {
		return true
	}
	prog, err := abacc.Compile(src)
	if err != nil {
		panic(fmt.Sprintf("rbac.Reference: condition %q does not compile (invalid input): %v", src, err))
	}
	return prog.Eval(attrs)
}

// refPermits: some pattern of e.Allow(plane) matches a and no pattern of e.NotAllow(plane)
// does, where Allow(control) = actions, NotAllow(control) = notActions, Allow(data) =
// dataActions, NotAllow(data) = notDataActions.
func refPermits(e *Permission, plane Plane, a string) bool {
	var allow, notAllow []string
	if plane == Control {
		allow, notAllow = e.Actions, e.NotActions
	} else {
		allow, notAllow = e.DataActions, e.NotDataActions
	}
	hit := false
	for _, pat := range allow {
		if refGlob(pat, a) {
			hit = true
		}
	}
	if !hit {
		return false
	}
	for _, pat := range notAllow {
		if refGlob(pat, a) {
			return false
		}
	}
	return true
}

// refGlob matches a whole action against a pattern: `*` matches any run of characters, "/"
// included, possibly empty; any number of `*`; nothing else is special; letters compare
// case-insensitively (Unicode simple case folding). Dynamic programming over runes:
// m[i][j] is "pattern[i:] matches action[j:]".
func refGlob(pattern, action string) bool {
	p, s := []rune(pattern), []rune(action)
	m := make([][]bool, len(p)+1)
	for i := range m {
		m[i] = make([]bool, len(s)+1)
	}
	m[len(p)][len(s)] = true
	for i := len(p) - 1; i >= 0; i-- {
		for j := len(s); j >= 0; j-- {
			if p[i] == '*' {
				m[i][j] = m[i+1][j] || (j < len(s) && m[i][j+1])
			} else {
				m[i][j] = j < len(s) && refRuneFold(p[i], s[j]) && m[i+1][j+1]
			}
		}
	}
	return m[0][0]
}

// refRuneFold reports whether a and b are equal under Unicode simple case folding: b is in a's
// folding orbit.
func refRuneFold(a, b rune) bool {
	if a == b {
		return true
	}
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}

// refTrim drops a trailing "/" ("/" itself stays).
func refTrim(s string) string {
	if len(s) > 1 && strings.HasSuffix(s, "/") {
		return s[:len(s)-1]
	}
	return s
}

// refScopeEqual: equal case-insensitively, a trailing "/" ignored.
func refScopeEqual(a, b string) bool { return strings.EqualFold(refTrim(a), refTrim(b)) }

// refHasPrefixFold reports whether s starts with prefix case-insensitively (rune by rune).
func refHasPrefixFold(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		r1, w1 := utf8.DecodeRuneInString(s)
		r2, w2 := utf8.DecodeRuneInString(prefix)
		if !refRuneFold(r1, r2) {
			return false
		}
		s, prefix = s[w1:], prefix[w2:]
	}
	return true
}

// refCovers is covers(S, R):
//
//	S is "/"
//	or R equals S, or R starts with S + "/"      case-insensitive, trailing "/" ignored
//	or S is a management group above R's subscription (or above R, an MG) in the hierarchy
//
// R's subscription is its leading /subscriptions/{id}; a resource id that starts with a
// management group (/providers/Microsoft.Management/managementGroups/{id}, the MG itself or a
// resource in it) enters the hierarchy at that management group.
func refCovers(t *Tenant, scope, res string) bool {
	s, r := refTrim(scope), refTrim(res)
	if s == "/" {
		return true
	}
	if strings.EqualFold(r, s) || refHasPrefixFold(r, s+"/") {
		return true
	}
	cur := refAnchor(r)
	if cur == "" {
		return false
	}
	// Walk up the management-group parents (at most len(t.Parents) steps: a cycle ends it).
	for steps := 0; steps <= len(t.Parents); steps++ {
		parent, ok := refParent(t, cur)
		if !ok {
			return false
		}
		if refScopeEqual(parent, s) {
			return true
		}
		cur = parent
	}
	return false
}

// refParent looks scope up among the hierarchy's children (case-insensitively, trailing "/"
// ignored) by a linear scan.
func refParent(t *Tenant, scope string) (string, bool) {
	for child, parent := range t.Parents {
		if refScopeEqual(child, scope) {
			return parent, true
		}
	}
	return "", false
}

// refAnchor returns the subscription (/subscriptions/{id}) or management group
// (/providers/Microsoft.Management/managementGroups/{id}) that the resource id starts with,
// or "" when it starts with neither.
func refAnchor(r string) string {
	seg := strings.Split(strings.TrimPrefix(r, "/"), "/")
	switch {
	case len(seg) >= 2 && strings.EqualFold(seg[0], "subscriptions"):
		return "/" + strings.Join(seg[:2], "/")
	case len(seg) >= 4 && strings.EqualFold(seg[0], "providers") && strings.EqualFold(seg[1], "Microsoft.Management") &&
		strings.EqualFold(seg[2], "managementGroups"):
		return "/" + strings.Join(seg[:4], "/")
	}
	return ""
}
