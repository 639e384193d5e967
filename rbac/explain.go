package rbac

import (
	"fmt"
	"strings"

	"github.com/abacc/abacc/internal/match"
)

// Explanation is a decision with everything that went into it: every role assignment of the
// principal or its groups and every deny assignment, each with why it counted or not. It is
// built off the hot path by evaluating everything (Decide stops at the first grant), and its
// decision always equals Decide's.
type Explanation struct {
	Decision Decision
	// ConditionFailed is complete: every including assignment whose conditions were false.
	ConditionFailed []string
	Assignments     []AssignmentTrace
	Denies          []DenyTrace
}

// AssignmentTrace is one role assignment of the principal (or of one of its groups).
type AssignmentTrace struct {
	ID       string
	Via      string // "principal" or "group GUID"
	Scope    string
	Covers   bool
	RoleName string
	RoleID   string
	// Includes: some permission entry of the role permits the operation.
	Includes bool
	Entries  []EntryTrace
	// Condition is the assignment's condition ("" for none) and ConditionResult its value.
	Condition       string
	ConditionResult bool
	ConditionTrace  string
	Grants          bool
}

// EntryTrace says how one permission entry met the operation.
type EntryTrace struct {
	// Matched is the allow pattern that matched ("" for none); RemovedBy the Not-pattern that
	// removed it ("" for none).
	Matched, RemovedBy string
	// OtherPlane is a pattern of the other plane that would match the operation (planes never
	// mix: `*` in actions reaches no data action), for the explanation's benefit.
	OtherPlane      string
	Permits         bool
	Condition       string
	ConditionResult bool
	ConditionTrace  string
}

// DenyTrace is one deny assignment.
type DenyTrace struct {
	ID, Name, Scope string
	Covers          bool
	// Principal says how the principal stands: "everyone", "listed", "excluded" or "not listed".
	Principal       string
	Entries         []EntryTrace
	Condition       string
	ConditionResult bool
	ConditionTrace  string
	Applies         bool
}

// Explain decides the request and records why.
func (e *Engine) Explain(p *Principal, r *Request) *Explanation {
	x := &Explanation{}
	if !r.set {
		x.Decision = Decision{Reason: NoRoleAssignment}
		return x
	}
	r.prepare(e)
	ids := append([]int32(nil), r.resolve(e, p)...)
	act := r.actionFold
	denied := ""
	for i := range e.denies {
		d := &e.denies[i]
		t := DenyTrace{ID: d.id, Name: d.def.Name, Scope: d.def.Scope, Condition: d.def.Condition}
		if d.exact {
			t.Covers = r.complete && len(r.path) > 0 && r.path[len(r.path)-1] == d.node
		} else {
			t.Covers = r.covers(e, d.node)
		}
		switch {
		case meets(d.excluded, ids):
			t.Principal = "excluded"
		case d.everyone:
			t.Principal = "everyone"
		case meets(d.principals, ids):
			t.Principal = "listed"
		default:
			t.Principal = "not listed"
		}
		entryOK := false
		for j := range d.entries {
			et := e.traceEntry(&d.entries[j], &d.def.Permissions[j], r, act)
			entryOK = entryOK || (et.Permits && (et.Condition == "" || et.ConditionResult))
			t.Entries = append(t.Entries, et)
		}
		t.ConditionResult, t.ConditionTrace = e.traceCondition(d.cond, r)
		t.Applies = t.Covers && (t.Principal == "everyone" || t.Principal == "listed") && entryOK && t.ConditionResult
		if t.Applies && denied == "" {
			denied = d.id
		}
		x.Denies = append(x.Denies, t)
	}

	granted := ""
	included := false
	for _, pi := range ids {
		via := "principal"
		if e.principals.keys[pi] != p.ID {
			via = "group " + e.principals.keys[pi].String()
		}
		for _, ai := range e.byPrincipal[pi] {
			a := &e.assignments[ai]
			rd := e.roles[a.role].def
			t := AssignmentTrace{ID: a.id, Via: via, Scope: a.def.Scope, Covers: r.covers(e, a.node), RoleName: rd.RoleName,
				RoleID: rd.ID, Condition: a.def.Condition}
			entryOK := false
			for j := range e.roles[a.role].entries {
				et := e.traceEntry(&e.roles[a.role].entries[j], &rd.Permissions[j], r, act)
				t.Includes = t.Includes || et.Permits
				entryOK = entryOK || (et.Permits && (et.Condition == "" || et.ConditionResult))
				t.Entries = append(t.Entries, et)
			}
			t.ConditionResult, t.ConditionTrace = e.traceCondition(a.cond, r)
			if t.Covers && t.Includes {
				included = true
				t.Grants = entryOK && t.ConditionResult
				if t.Grants && granted == "" {
					granted = a.id
				}
				if !t.Grants {
					x.ConditionFailed = append(x.ConditionFailed, a.id)
				}
			}
			x.Assignments = append(x.Assignments, t)
		}
	}
	switch {
	case denied != "":
		x.Decision = Decision{Reason: DeniedByDenyAssignment, DecidedBy: denied}
	case granted != "":
		x.Decision = Decision{Allowed: true, Reason: Allowed, DecidedBy: granted}
	case included:
		x.Decision = Decision{Reason: ConditionNotMet}
	default:
		x.Decision = Decision{Reason: NoRoleAssignment}
	}
	x.Decision.ConditionFailed = x.ConditionFailed
	return x
}

func (e *Engine) traceEntry(en *entry, p *Permission, r *Request, act string) EntryTrace {
	var t EntryTrace
	allow, notAllow := p.Allow(r.plane), p.NotAllow(r.plane)
	for i, pat := range en.allow[r.plane] {
		if match.ActionFolded(pat, act) {
			t.Matched = allow[i]
			break
		}
	}
	if t.Matched != "" {
		for i, pat := range en.notAllow[r.plane] {
			if match.ActionFolded(pat, act) {
				t.RemovedBy = notAllow[i]
				break
			}
		}
	}
	t.Permits = t.Matched != "" && t.RemovedBy == ""
	if t.Matched == "" {
		other := Control + Data - r.plane
		for i, pat := range en.allow[other] {
			if match.ActionFolded(pat, act) {
				t.OtherPlane = p.Allow(other)[i]
				break
			}
		}
	}
	t.Condition = p.Condition
	t.ConditionResult, t.ConditionTrace = e.traceCondition(en.cond, r)
	return t
}

func (e *Engine) traceCondition(c int32, r *Request) (bool, string) {
	if c < 0 {
		return true, ""
	}
	prog := e.conds[c]
	return prog.Eval(r.attrs), prog.Explain(r.attrs).String()
}

// String renders the explanation for people: the decision, then each assignment and deny
// assignment with why it counted.
func (x *Explanation) String() string {
	var b strings.Builder
	d := x.Decision
	b.WriteString(decisionLine(d, x.ConditionFailed))
	b.WriteString("\n")
	fmt.Fprintf(&b, "\nrole assignments of the principal and its groups: %d\n", len(x.Assignments))
	for _, t := range x.Assignments {
		verdict := "grants"
		switch {
		case !t.Covers:
			verdict = "scope does not cover the resource"
		case !t.Includes:
			verdict = "role does not include the operation"
		case !t.Grants:
			verdict = "condition not met"
		}
		fmt.Fprintf(&b, "  %s\n    via %s, role %q, scope %s\n    => %s\n", t.ID, t.Via, t.RoleName, t.Scope, verdict)
		if t.Covers {
			writeEntries(&b, t.Entries)
			if t.Condition != "" && t.Includes {
				fmt.Fprintf(&b, "    assignment condition: %v\n", t.ConditionResult)
				writeIndented(&b, t.ConditionTrace, "      ")
			}
		}
	}
	fmt.Fprintf(&b, "\ndeny assignments: %d\n", len(x.Denies))
	for _, t := range x.Denies {
		verdict := "applies"
		switch {
		case !t.Covers:
			verdict = "scope does not cover the resource"
		case t.Principal == "excluded":
			verdict = "principal is excluded"
		case t.Principal == "not listed":
			verdict = "principal is not listed"
		case !t.Applies:
			verdict = "does not block the operation"
		}
		name := ""
		if t.Name != "" {
			name = fmt.Sprintf(" (%s)", t.Name)
		}
		fmt.Fprintf(&b, "  %s%s\n    scope %s, principal %s\n    => %s\n", t.ID, name, t.Scope, t.Principal, verdict)
		if t.Covers && t.Principal != "excluded" && t.Principal != "not listed" {
			writeEntries(&b, t.Entries)
			if t.Condition != "" {
				fmt.Fprintf(&b, "    deny condition: %v\n", t.ConditionResult)
				writeIndented(&b, t.ConditionTrace, "      ")
			}
		}
	}
	return b.String()
}

func writeEntries(b *strings.Builder, entries []EntryTrace) {
	for i, et := range entries {
		switch {
		case et.Matched == "" && et.OtherPlane != "":
			fmt.Fprintf(b, "    entry %d: no pattern matches; %q matches in the other plane, and the planes never mix\n", i, et.OtherPlane)
		case et.Matched == "":
			fmt.Fprintf(b, "    entry %d: no pattern matches\n", i)
		case et.RemovedBy != "":
			fmt.Fprintf(b, "    entry %d: %q matches, removed by %q\n", i, et.Matched, et.RemovedBy)
		default:
			fmt.Fprintf(b, "    entry %d: %q matches\n", i, et.Matched)
		}
		if et.Permits && et.Condition != "" {
			fmt.Fprintf(b, "    entry %d condition: %v\n", i, et.ConditionResult)
			writeIndented(b, et.ConditionTrace, "      ")
		}
	}
}

func writeIndented(b *strings.Builder, text, indent string) {
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString(indent)
		b.WriteString(line)
		b.WriteString("\n")
	}
}

// decisionLine is the one-line summary the CLI prints first: "allow" or "deny", then why.
func decisionLine(d Decision, failed []string) string {
	switch d.Reason {
	case Allowed:
		return "allow: Allowed by role assignment " + d.DecidedBy
	case DeniedByDenyAssignment:
		return "deny: DeniedByDenyAssignment " + d.DecidedBy
	case ConditionNotMet:
		return "deny: ConditionNotMet (conditions false in " + strings.Join(failed, ", ") + ")"
	}
	return "deny: NoRoleAssignment (no role assignment of the principal or its groups includes the operation at a covering scope)"
}

// Summary is the first line the CLI prints for a decision.
func (d Decision) Summary() string { return decisionLine(d, d.ConditionFailed) }
