package rbac

import (
	"slices"
	"unsafe"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/match"
)

// Request is one operation on one resource, with the attributes its conditions read. It is
// reusable and belongs to one goroutine at a time; it also keeps the per-engine work of its
// decisions (the resource's resolved scope path, which roles include its operation), so that
// deciding the same operation again costs only the lookups that change.
type Request struct {
	plane      Plane
	action     string
	resourceID string
	set        bool // action and resource given
	attrs      *abacc.Request

	actionFold string
	actionBuf  []byte

	// Resolved against engine eng: the trie nodes of the resource's path that exist (path[0] is
	// the root), whether the whole id was matched, and the management groups above its
	// subscription or management group.
	eng      *Engine
	resolved bool
	path     []int32
	complete bool
	above    []int32

	// roleEpoch[i] == epoch means roleSt[i] holds role i's state for the current operation.
	epoch    uint32
	roleEp   []uint32
	roleSt   []uint8
	ids      []int32
	deferred []int32
	failed   []string
}

// NewRequest returns an empty request.
func NewRequest() *Request { return &Request{attrs: abacc.NewRequest()} }

// SetOperation sets the plane and the action (or data action) and makes it the attributes'
// action too. The attributes are otherwise kept: set them through Attributes.
func (r *Request) SetOperation(p Plane, action string) {
	if p != r.plane || action != r.action {
		r.plane, r.action = p, action
		r.actionBuf = match.AppendFold(r.actionBuf[:0], action)
		r.actionFold = unsafe.String(unsafe.SliceData(r.actionBuf), len(r.actionBuf))
		r.epoch++
		if r.epoch == 0 { // wrapped: forget every cached state
			clear(r.roleEp)
			r.epoch = 1
		}
	}
	r.attrs.SetAction(action)
	r.set = r.resourceID != "" && action != ""
}

// SetResource sets the resource id the operation acts on (a scope: "/subscriptions/…").
func (r *Request) SetResource(id string) error {
	if err := validScope(id); err != nil {
		return &InputError{Field: "resourceId", Msg: err.Error()}
	}
	if id != r.resourceID {
		r.resourceID = id
		r.resolved = false
	}
	r.set = r.action != ""
	return nil
}

// Attributes returns the attribute vector the conditions read (request.md); its action is the
// request's.
func (r *Request) Attributes() *abacc.Request { return r.attrs }

// Plane returns the request's plane.
func (r *Request) Plane() Plane { return r.plane }

// Action returns the request's action or data action.
func (r *Request) Action() string { return r.action }

// ResourceID returns the resource id.
func (r *Request) ResourceID() string { return r.resourceID }

// prepare makes the request's cached state refer to engine e and resolves the resource.
func (r *Request) prepare(e *Engine) {
	if r.eng != e {
		r.eng = e
		r.resolved = false
		n := len(e.roles)
		r.roleEp = slices.Grow(r.roleEp[:0], n)[:n]
		clear(r.roleEp)
		r.roleSt = slices.Grow(r.roleSt[:0], n)[:n]
		r.epoch++
		if r.epoch == 0 {
			r.epoch = 1
		}
	}
	if !r.resolved {
		r.resolvePath(e)
		r.resolved = true
	}
}

// resolvePath walks the trie along the resource id's segments without allocating.
func (r *Request) resolvePath(e *Engine) {
	r.path = append(r.path[:0], 0)
	r.above = r.above[:0]
	r.complete = false
	s := trimScope(r.resourceID)
	n := int32(0)
	var seg [4]string // the first segments, to find the subscription or management group
	depth := 0
	complete := true
	for i := 1; i < len(s); {
		j := i
		for j < len(s) && s[j] != '/' {
			j++
		}
		part := s[i:j]
		if depth < len(seg) {
			seg[depth] = part
		}
		depth++
		c := e.children.find(e.nodes, n, part)
		if c < 0 {
			complete = false
			break
		}
		r.path = append(r.path, c)
		n = c
		i = j + 1
	}
	r.complete = complete
	// The hierarchy is entered at the subscription (or management group) holding the resource.
	if k := anchorLen(seg[:min(depth, len(seg))]); k > 0 && k < len(r.path) {
		r.above = append(r.above, e.nodes[r.path[k]].above...)
	}
}

// covers reports whether the scope at node n covers the resolved resource.
func (r *Request) covers(e *Engine, n int32) bool {
	d := e.nodes[n].depth
	if int(d) < len(r.path) && r.path[d] == n {
		return true
	}
	for _, m := range r.above {
		if m == n {
			return true
		}
	}
	return false
}

// resolve maps the principal's ids to the engine's principal indices (sorted, without
// duplicates; ids the tenant never mentions are dropped).
func (r *Request) resolve(e *Engine, p *Principal) []int32 {
	r.ids = r.ids[:0]
	if i := e.principals.lookup(p.ID); i >= 0 {
		r.ids = append(r.ids, i)
	}
	for _, g := range p.GroupIDs {
		if i := e.principals.lookup(g); i >= 0 {
			r.ids = append(r.ids, i)
		}
	}
	if len(r.ids) > 1 {
		slices.Sort(r.ids)
		r.ids = slices.Compact(r.ids)
	}
	return r.ids
}

// roleState returns (and caches for the request's operation) whether role ri includes it.
func (r *Request) roleState(e *Engine, ri int32, act string) uint8 {
	if r.roleEp[ri] == r.epoch {
		return r.roleSt[ri]
	}
	st := e.roleStateOf(ri, r.plane, act)
	r.roleEp[ri], r.roleSt[ri] = r.epoch, st
	return st
}
