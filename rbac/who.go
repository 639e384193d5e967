package rbac

import (
	"fmt"
	"sort"
	"strings"
)

// WhoStatus classifies a principal's access in Who.
type WhoStatus string

const (
	// WhoAllowed: an unconditional assignment includes the operation and no deny assignment
	// blocks the principal.
	WhoAllowed WhoStatus = "allowed"
	// WhoConditional: the assignments that include the operation all carry conditions; access
	// depends on the request's attributes.
	WhoConditional WhoStatus = "conditional"
	// WhoBlocked: a deny assignment without conditions blocks the principal's own id.
	WhoBlocked WhoStatus = "blocked"
)

// WhoGrant is one assignment that includes the operation at the resource.
type WhoGrant struct {
	Assignment string `json:"assignment"`
	Scope      string `json:"scope"`
	Role       string `json:"role"`
	// Conditions are the assignment's and the including role entries' conditions (none:
	// unconditional).
	Conditions []string `json:"conditions,omitempty"`
}

// WhoEntry is one principal (a user, group or service principal id) and how it may perform the
// operation.
type WhoEntry struct {
	PrincipalID string     `json:"principalId"`
	Status      WhoStatus  `json:"status"`
	Grants      []WhoGrant `json:"grants"`
	// BlockedBy is the deny assignment blocking the principal (status blocked).
	BlockedBy string `json:"blockedBy,omitempty"`
	// DeniedIf lists deny assignments that cover the principal but carry conditions: they block
	// it when their conditions hold.
	DeniedIf []string `json:"deniedIf,omitempty"`
}

// WhoAnswer answers "who can perform this operation on this resource?".
type WhoAnswer struct {
	Plane    string     `json:"plane"`
	Action   string     `json:"action"`
	Resource string     `json:"resource"`
	Allowed  []WhoEntry `json:"allowed"`
	// Conditional principals are allowed only if a condition holds.
	Conditional []WhoEntry `json:"conditional"`
	Blocked     []WhoEntry `json:"blocked"`
}

// Who lists every principal id holding an assignment that includes the operation at the
// resource, split into allowed, allowed only if a condition holds, and blocked by a deny
// assignment. Principal ids are taken as they appear in assignments: a group is listed as the
// group (its members inherit it), and deny assignments are matched against that id alone, since
// group memberships are not part of a tenant's export.
func (e *Engine) Who(p Plane, action, resource string) (*WhoAnswer, error) {
	if strings.TrimSpace(action) == "" {
		return nil, &InputError{Field: p.String(), Msg: "must not be empty"}
	}
	r := NewRequest()
	if err := r.SetResource(resource); err != nil {
		return nil, err
	}
	r.SetOperation(p, action)
	r.prepare(e)
	act := r.actionFold
	ans := &WhoAnswer{Plane: p.String(), Action: action, Resource: resource,
		Allowed: []WhoEntry{}, Conditional: []WhoEntry{}, Blocked: []WhoEntry{}}
	for pi := range e.byPrincipal {
		var entry WhoEntry
		unconditional := false
		for _, ai := range e.byPrincipal[pi] {
			a := &e.assignments[ai]
			if !r.covers(e, a.node) {
				continue
			}
			ro := &e.roles[a.role]
			g := WhoGrant{Assignment: a.id, Scope: a.def.Scope, Role: ro.def.RoleName}
			includes, plain := false, false
			var entryConds []string
			for j := range ro.entries {
				if ro.entries[j].permits(p, act) {
					includes = true
					if ro.entries[j].cond < 0 {
						plain = true
					} else {
						entryConds = append(entryConds, ro.def.Permissions[j].Condition)
					}
				}
			}
			if !includes {
				continue
			}
			if !plain {
				g.Conditions = append(g.Conditions, entryConds...)
			}
			if a.cond >= 0 {
				g.Conditions = append(g.Conditions, a.def.Condition)
			}
			unconditional = unconditional || len(g.Conditions) == 0
			entry.Grants = append(entry.Grants, g)
		}
		if len(entry.Grants) == 0 {
			continue
		}
		id := e.principals.keys[pi]
		entry.PrincipalID = id.String()
		ids := []int32{int32(pi)}
		for k := len(r.path) - 1; k >= -len(r.above); k-- {
			n := r.nodeAt(k)
			for _, di := range e.nodes[n].denies {
				d := &e.denies[di]
				if d.exact && (k < 0 || k != len(r.path)-1 || !r.complete) {
					continue
				}
				if (!d.everyone && !meets(d.principals, ids)) || meets(d.excluded, ids) {
					continue
				}
				plain, cond := false, false
				for j := range d.entries {
					if d.entries[j].permits(p, act) {
						if d.entries[j].cond < 0 {
							plain = true
						} else {
							cond = true
						}
					}
				}
				switch {
				case plain && d.cond < 0 && entry.BlockedBy == "":
					entry.BlockedBy = d.id
				case plain || cond:
					entry.DeniedIf = append(entry.DeniedIf, d.id)
				}
			}
		}
		switch {
		case entry.BlockedBy != "":
			entry.Status = WhoBlocked
			ans.Blocked = append(ans.Blocked, entry)
		case unconditional:
			entry.Status = WhoAllowed
			ans.Allowed = append(ans.Allowed, entry)
		default:
			entry.Status = WhoConditional
			ans.Conditional = append(ans.Conditional, entry)
		}
	}
	for _, list := range [][]WhoEntry{ans.Allowed, ans.Conditional, ans.Blocked} {
		sort.Slice(list, func(i, j int) bool { return list[i].PrincipalID < list[j].PrincipalID })
	}
	return ans, nil
}

// nodeAt returns the k-th covering node: path[k] for k ≥ 0, else the management groups above.
func (r *Request) nodeAt(k int) int32 {
	if k >= 0 {
		return r.path[k]
	}
	return r.above[-k-1]
}

// String renders the answer for people.
func (w *WhoAnswer) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "who may perform %s %s on %s\n", w.Plane, w.Action, w.Resource)
	section := func(title string, list []WhoEntry) {
		fmt.Fprintf(&b, "\n%s: %d\n", title, len(list))
		for _, e := range list {
			fmt.Fprintf(&b, "  %s\n", e.PrincipalID)
			for _, g := range e.Grants {
				fmt.Fprintf(&b, "    %q at %s (%s)\n", g.Role, g.Scope, g.Assignment)
				for _, c := range g.Conditions {
					fmt.Fprintf(&b, "      if %s\n", strings.Join(strings.Fields(c), " "))
				}
			}
			if e.BlockedBy != "" {
				fmt.Fprintf(&b, "    blocked by deny assignment %s\n", e.BlockedBy)
			}
			for _, d := range e.DeniedIf {
				fmt.Fprintf(&b, "    denied if the conditions of deny assignment %s hold\n", d)
			}
		}
	}
	section("allowed", w.Allowed)
	section("allowed only if a condition holds", w.Conditional)
	section("blocked by a deny assignment", w.Blocked)
	return b.String()
}
