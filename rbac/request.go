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

	// Resolved against engine eng: the trie nodes of the resource's path that exist (path[0] is
	// the root), whether the whole id was matched, and the management groups above its
	// subscription or management group.
	eng      *Engine
	resolved bool
	path     []int32
	complete bool
	above    []int32
	// marks[n] == markEpoch for the nodes of above.
	marks     []uint32
	markEpoch uint32

	// ops remembers which roles include each of the last few operations (a service cycles
	// through a handful), so returning to one costs no pattern matching; cur is the current.
	ops    [opSlots]opSlot
	cur    int
	victim int
	ids    []int32
	// pmark[i] == pmarkEpoch: principal i is among the ids of the current decision.
	pmark      []uint32
	pmarkEpoch uint32
	deferred   []int32
	failed     []string
}

// opSlots is how many operations a request remembers role inclusion for.
const opSlots = 4

// opSlot caches, for one operation, each role's inclusion state: st[i] is valid when
// ep[i] == epoch (bumping epoch forgets them all at once).
type opSlot struct {
	plane  Plane
	action string
	used   bool
	fold   []byte
	epoch  uint32
	ep     []uint32
	st     []uint8
}

// NewRequest returns an empty request.
func NewRequest() *Request { return &Request{attrs: abacc.NewRequest()} }

// SetOperation sets the plane and the action (or data action) and makes it the attributes'
// action too. The attributes are otherwise kept: set them through Attributes.
func (r *Request) SetOperation(p Plane, action string) {
	if !r.ops[r.cur].used || p != r.plane || action != r.action {
		r.plane, r.action = p, action
		r.cur = r.findOp(p, action)
		o := &r.ops[r.cur]
		r.actionFold = unsafe.String(unsafe.SliceData(o.fold), len(o.fold))
	}
	r.attrs.SetAction(action)
	r.set = r.resourceID != "" && action != ""
}

// findOp returns the slot remembering operation (p, action), taking over the oldest when none
// does.
func (r *Request) findOp(p Plane, action string) int {
	for i := range r.ops {
		if o := &r.ops[i]; o.used && o.plane == p && o.action == action {
			return i
		}
	}
	i := r.victim
	r.victim = (r.victim + 1) % opSlots
	o := &r.ops[i]
	o.plane, o.action, o.used = p, action, true
	o.fold = match.AppendFold(o.fold[:0], action)
	o.forget()
	return i
}

// forget invalidates every cached role state of the slot.
func (o *opSlot) forget() {
	o.epoch++
	if o.epoch == 0 { // wrapped
		clear(o.ep)
		o.epoch = 1
	}
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
		for i := range r.ops {
			o := &r.ops[i]
			o.ep = slices.Grow(o.ep[:0], n)[:n]
			clear(o.ep)
			o.st = slices.Grow(o.st[:0], n)[:n]
			o.forget()
		}
		r.marks = slices.Grow(r.marks[:0], len(e.nodes))[:len(e.nodes)]
		clear(r.marks)
		np := e.principals.len()
		r.pmark = slices.Grow(r.pmark[:0], np)[:np]
		clear(r.pmark)
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
	// The hierarchy is entered at the subscription (or management group) holding the resource;
	// the management groups above it are listed and stamped, so covers is one comparison.
	r.markEpoch++
	if r.markEpoch == 0 {
		clear(r.marks)
		r.markEpoch = 1
	}
	if k := anchorLen(seg[:min(depth, len(seg))]); k > 0 && k < len(r.path) {
		for m := e.nodes[r.path[k]].up; m >= 0; m = e.nodes[m].up {
			r.above = append(r.above, m)
			r.marks[m] = r.markEpoch
		}
	}
}

// covers reports whether the scope at node n covers the resolved resource.
func (r *Request) covers(e *Engine, n int32) bool {
	d := e.nodes[n].depth
	if int(d) < len(r.path) && r.path[d] == n {
		return true
	}
	return r.marks[n] == r.markEpoch
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

// resolveMarked is resolve for Decide: the ids in the principal's order, duplicates dropped by
// marking them rather than sorting; marked then tells whether a list meets them.
func (r *Request) resolveMarked(e *Engine, p *Principal) []int32 {
	r.pmarkEpoch++
	if r.pmarkEpoch == 0 {
		clear(r.pmark)
		r.pmarkEpoch = 1
	}
	r.ids = r.ids[:0]
	if i := e.principals.lookup(p.ID); i >= 0 {
		r.pmark[i] = r.pmarkEpoch
		r.ids = append(r.ids, i)
	}
	for _, g := range p.GroupIDs {
		if i := e.principals.lookup(g); i >= 0 && r.pmark[i] != r.pmarkEpoch {
			r.pmark[i] = r.pmarkEpoch
			r.ids = append(r.ids, i)
		}
	}
	return r.ids
}

// marked reports whether list holds a principal of the last resolveMarked.
func (r *Request) marked(list []int32) bool {
	for _, i := range list {
		if r.pmark[i] == r.pmarkEpoch {
			return true
		}
	}
	return false
}

// roleState returns (and caches for the request's operation) whether role ri includes it.
func (r *Request) roleState(e *Engine, ri int32, act string) uint8 {
	o := &r.ops[r.cur]
	if o.ep[ri] == o.epoch {
		return o.st[ri]
	}
	st := e.roleStateOf(ri, r.plane, act)
	o.ep[ri], o.st[ri] = o.epoch, st
	return st
}
