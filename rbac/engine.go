package rbac

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/cache"
	"github.com/abacc/abacc/internal/match"
)

// Engine decides requests against one tenant. It is immutable once built and safe for any
// number of goroutines.
//
// Layout, chosen for the decision path: scopes are interned into a segment trie whose nodes
// know their depth, so "scope S covers resource R" is one comparison against R's resolved path;
// principals are interned to dense indices, each with the list of its assignments; deny
// assignments hang off the trie node of their scope; role permission patterns are folded once;
// every distinct condition is compiled once and shared.
type Engine struct {
	tenant *Tenant

	nodes    []node
	children childTable

	principals  guidTable
	byPrincipal [][]int32 // principal index → assignment indices

	// scan holds every assignment's decision fields grouped by principal: principal i's are
	// scan[scanOff[i]:scanOff[i+1]].
	scan    []scanEntry
	scanOff []int32

	roles       []role
	assignments []assignment
	denies      []deny
	conds       []*abacc.Program
}

// node is one scope of the trie: the root "/" is node 0.
type node struct {
	parent int32
	depth  int32  // number of segments
	key    string // the folded segment
	seg    string // the segment as first seen (for explanations; scopeText joins them)
	// up is the management group directly above this subscription or management group in the
	// hierarchy (-1: none). A chain is walked per decision rather than stored per node, so a
	// deep hierarchy costs memory linear in its depth.
	up int32
	// denies lists the deny assignments whose scope is this node.
	denies []int32
}

// scopeText rebuilds a node's scope as first written (off the hot path).
func (e *Engine) scopeText(n int32) string {
	if n == 0 {
		return "/"
	}
	var segs []string
	for ; n > 0; n = e.nodes[n].parent {
		segs = append(segs, e.nodes[n].seg)
	}
	slices.Reverse(segs)
	return "/" + strings.Join(segs, "/")
}

// entry is a compiled permission entry: folded patterns by plane, and its condition (-1: none).
type entry struct {
	allow, notAllow [2][]string
	cond            int32
}

type role struct {
	def     *RoleDefinition
	entries []entry
}

// scanEntry is what a decision reads of an assignment. mg marks a management-group scope, the
// only kind that can cover a resource from outside its path.
type scanEntry struct {
	node, depth, role, cond, ai int32
	mg                          bool
}

// lazyName formats an element's name only when an error needs it.
type lazyName struct {
	kind string
	i    int
	id   string
}

func (l lazyName) String() string { return elementName(l.kind, l.i, l.id) }

type assignment struct {
	id        string
	node      int32
	role      int32
	principal int32
	cond      int32
	def       *RoleAssignment
}

type deny struct {
	id       string
	node     int32
	exact    bool
	everyone bool
	// principals and excluded are sorted principal indices.
	principals, excluded []int32
	entries              []entry
	cond                 int32
	def                  *DenyAssignment
}

// Inputs are the documents a tenant is loaded from. Roles may be left empty: the built-in
// snapshot is then used. Deny and Hierarchy are optional.
type Inputs struct {
	Roles       Document
	Assignments Document
	Deny        Document
	Hierarchy   Document
	// Cache, if set, compiles the conditions (shared with other engines of the same process).
	Cache *cache.Cache
}

// Load parses the inputs and builds the engine. Every error is an *InputError naming the
// document, the element and the field.
func Load(in Inputs) (*Engine, error) {
	t, err := Parse(in)
	if err != nil {
		return nil, err
	}
	return build(t, in.Cache, names{roles: in.Roles.Name, assignments: in.Assignments.Name, deny: in.Deny.Name})
}

// Parse reads the inputs into a Tenant without building an engine.
func Parse(in Inputs) (*Tenant, error) {
	t := &Tenant{}
	var err error
	if len(in.Roles.Data) == 0 {
		t.Roles, err = BuiltinRoles()
	} else {
		t.Roles, err = ParseRoleDefinitions(in.Roles)
	}
	if err != nil {
		return nil, err
	}
	if len(t.Roles) == 0 {
		// A roles document that defines nothing supplies no definitions: the snapshot applies.
		if t.Roles, err = BuiltinRoles(); err != nil {
			return nil, err
		}
	}
	if len(in.Assignments.Data) > 0 {
		if t.Assignments, err = ParseRoleAssignments(in.Assignments); err != nil {
			return nil, err
		}
	}
	if len(in.Deny.Data) > 0 {
		if t.Deny, err = ParseDenyAssignments(in.Deny); err != nil {
			return nil, err
		}
	}
	if len(in.Hierarchy.Data) > 0 {
		if t.Parents, err = ParseHierarchy(in.Hierarchy); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// New builds an engine over a tenant made in Go (conditions compiled with abacc.Compile).
func New(t *Tenant) (*Engine, error) { return build(t, nil, names{}) }

type names struct{ roles, assignments, deny string }

type builder struct {
	e      *Engine
	cache  *cache.Cache
	names  names
	byText map[string]int32
}

func build(t *Tenant, cc *cache.Cache, nm names) (*Engine, error) {
	e := &Engine{tenant: t}
	e.nodes = append(e.nodes, node{parent: -1, up: -1})
	e.children.init(len(t.Assignments) + len(t.Deny) + 2*len(t.Parents) + 16)
	b := &builder{e: e, cache: cc, names: nm, byText: map[string]int32{}}

	// Hierarchy: every child and parent is a trie node linked to its parent management group.
	children := slices.Sorted(maps.Keys(t.Parents))
	for _, child := range children {
		c, p := e.intern(child), e.intern(t.Parents[child])
		if e.nodes[c].up >= 0 && e.nodes[c].up != p {
			return nil, &InputError{Element: fmt.Sprintf("hierarchy entry %q", clip(child)), Msg: "the scope has two parents (scopes are case-insensitive)"}
		}
		e.nodes[c].up = p
	}
	// ParseHierarchy rejects cycles; a Go-made tenant may not have: walk each chain once,
	// colouring nodes so the whole check is linear.
	state := make([]uint8, len(e.nodes)) // 0 unseen, 1 on the current chain, 2 done
	for _, child := range children {
		c := e.intern(child)
		var chain []int32
		for n := c; n >= 0 && state[n] != 2; n = e.nodes[n].up {
			if state[n] == 1 {
				return nil, &InputError{Element: fmt.Sprintf("hierarchy entry %q", clip(child)), Msg: "the management-group parents form a cycle"}
			}
			state[n] = 1
			chain = append(chain, n)
		}
		for _, n := range chain {
			state[n] = 2
		}
	}

	roleIndex := make(map[GUID]int32, len(t.Roles))
	e.roles = make([]role, len(t.Roles))
	for i := range t.Roles {
		rd := &t.Roles[i]
		if _, dup := roleIndex[rd.GUID]; dup {
			return nil, &InputError{File: nm.roles, Element: elementName("role definition", i, rd.ID), Field: "id", Msg: "defined twice"}
		}
		roleIndex[rd.GUID] = int32(i)
		el := elementName("role definition", i, rd.ID)
		e.roles[i].def = rd
		for j := range rd.Permissions {
			en, err := b.entry(&rd.Permissions[j], nm.roles, el, fmt.Sprintf("permissions[%d].condition", j))
			if err != nil {
				return nil, err
			}
			e.roles[i].entries = append(e.roles[i].entries, en)
		}
	}

	seenAssignment := make(map[string]int, len(t.Assignments))
	e.assignments = make([]assignment, len(t.Assignments))
	for i := range t.Assignments {
		a := &t.Assignments[i]
		// Element names are built only for errors: formatting one per assignment is a tenth of
		// a large tenant's load time.
		el := lazyName{"role assignment", i, a.ID}
		if a.ID == "" {
			return nil, &InputError{File: nm.assignments, Element: el.String(), Field: "id", Msg: "is required"}
		}
		key := foldScope(a.ID)
		if j, dup := seenAssignment[key]; dup {
			return nil, &InputError{File: nm.assignments, Element: el.String(), Field: "id", Msg: fmt.Sprintf("role assignment id appears twice (also element %d)", j)}
		}
		seenAssignment[key] = i
		ri, ok := roleIndex[a.RoleGUID]
		if !ok {
			return nil, &InputError{File: nm.assignments, Element: el.String(), Field: "roleDefinitionId",
				Msg: fmt.Sprintf("unknown role definition %s (%s)", a.RoleGUID, knownRolesHint(nm.roles))}
		}
		if err := validScope(a.Scope); err != nil {
			return nil, &InputError{File: nm.assignments, Element: el.String(), Field: "scope", Msg: fmt.Sprintf("%q %v", clip(a.Scope), err)}
		}
		var cond int32 = -1
		var err error
		if a.Condition != "" {
			cond, err = b.condition(a.Condition, nm.assignments, el.String(), "condition")
		}
		if err != nil {
			return nil, err
		}
		p := e.principals.intern(a.PrincipalID)
		e.assignments[i] = assignment{id: a.ID, node: e.intern(a.Scope), role: ri, principal: p, cond: cond, def: a}
	}
	e.byPrincipal = make([][]int32, e.principals.len())
	for i := range e.assignments {
		p := e.assignments[i].principal
		e.byPrincipal[p] = append(e.byPrincipal[p], int32(i))
	}

	seenDeny := make(map[string]int, len(t.Deny))
	e.denies = make([]deny, len(t.Deny))
	for i := range t.Deny {
		d := &t.Deny[i]
		el := elementName("deny assignment", i, d.ID)
		if j, dup := seenDeny[foldScope(d.ID)]; dup {
			return nil, &InputError{File: nm.deny, Element: el, Field: "id", Msg: fmt.Sprintf("deny assignment id appears twice (also element %d)", j)}
		}
		seenDeny[foldScope(d.ID)] = i
		if err := validScope(d.Scope); err != nil {
			return nil, &InputError{File: nm.deny, Element: el, Field: "scope", Msg: fmt.Sprintf("%q %v", clip(d.Scope), err)}
		}
		cd := deny{id: d.ID, node: e.intern(d.Scope), exact: d.DoNotApplyToChildScopes, def: d}
		for _, g := range d.Principals {
			if g == Everyone {
				cd.everyone = true
			} else {
				cd.principals = append(cd.principals, e.principals.intern(g))
			}
		}
		for _, g := range d.ExcludePrincipals {
			cd.excluded = append(cd.excluded, e.principals.intern(g))
		}
		slices.Sort(cd.principals)
		slices.Sort(cd.excluded)
		for j := range d.Permissions {
			en, err := b.entry(&d.Permissions[j], nm.deny, el, fmt.Sprintf("permissions[%d].condition", j))
			if err != nil {
				return nil, err
			}
			cd.entries = append(cd.entries, en)
		}
		var err error
		if cd.cond, err = b.condition(d.Condition, nm.deny, el, "condition"); err != nil {
			return nil, err
		}
		e.denies[i] = cd
		e.nodes[cd.node].denies = append(e.nodes[cd.node].denies, int32(i))
	}
	// Principals interned by deny assignments only have no assignments.
	for len(e.byPrincipal) < e.principals.len() {
		e.byPrincipal = append(e.byPrincipal, nil)
	}
	// The decision's scan reads one contiguous run of records per principal, not the
	// assignments and the trie (measured: a third of Decide was cache misses there).
	e.scanOff = make([]int32, len(e.byPrincipal)+1)
	e.scan = make([]scanEntry, 0, len(e.assignments))
	for pi, list := range e.byPrincipal {
		for _, ai := range list {
			a := &e.assignments[ai]
			k, _ := scopeKind(e.scopeText(a.node))
			e.scan = append(e.scan, scanEntry{node: a.node, depth: e.nodes[a.node].depth, role: a.role, cond: a.cond, ai: ai,
				mg: k == kindManagementGroup})
		}
		e.scanOff[pi+1] = int32(len(e.scan))
	}
	return e, nil
}

func knownRolesHint(rolesFile string) string {
	if rolesFile == "" {
		return "not among the built-in roles abacc ships; pass the definitions with --roles"
	}
	return "not defined in " + rolesFile
}

func (b *builder) entry(p *Permission, file, el, field string) (entry, error) {
	var en entry
	fold := func(list []string) []string {
		out := make([]string, len(list))
		for i, s := range list {
			out[i] = match.FoldString(s)
		}
		return out
	}
	en.allow[Control], en.notAllow[Control] = fold(p.Actions), fold(p.NotActions)
	en.allow[Data], en.notAllow[Data] = fold(p.DataActions), fold(p.NotDataActions)
	var err error
	en.cond, err = b.condition(p.Condition, file, el, field)
	return en, err
}

// condition compiles a condition once per distinct text; -1 means none.
func (b *builder) condition(src, file, el, field string) (int32, error) {
	if strings.TrimSpace(src) == "" {
		return -1, nil
	}
	if i, ok := b.byText[src]; ok {
		return i, nil
	}
	var prog *abacc.Program
	var err error
	if b.cache != nil {
		prog, err = b.cache.Compile(src)
	} else {
		prog, err = abacc.Compile(src)
	}
	if err != nil {
		msg := err.Error()
		if ce, ok := err.(*abacc.Error); ok && len(ce.Diagnostics) > 0 {
			d := ce.Diagnostics[0]
			msg = fmt.Sprintf("%d:%d: %s [%s]", d.Line, d.Column, d.Message, d.Code)
			if d.Hint != "" {
				msg += " (hint: " + d.Hint + ")"
			}
			if n := len(ce.Diagnostics); n > 1 {
				msg += fmt.Sprintf(" and %d more error(s)", n-1)
			}
		}
		return 0, &InputError{File: file, Element: el, Field: field, Msg: "does not compile: " + msg}
	}
	i := int32(len(b.e.conds))
	b.e.conds = append(b.e.conds, prog)
	b.byText[src] = i
	return i, nil
}

// intern returns the trie node of a valid scope, creating the path.
func (e *Engine) intern(scope string) int32 {
	n := int32(0)
	for _, seg := range segments(scope) {
		c := e.children.find(e.nodes, n, seg)
		if c < 0 {
			c = int32(len(e.nodes))
			e.nodes = append(e.nodes, node{parent: n, depth: e.nodes[n].depth + 1, key: match.FoldString(seg), seg: seg, up: -1})
			e.children.insert(e.nodes, n, c)
		}
		n = c
	}
	return n
}

// Tenant returns the tenant the engine was built from (read it, never modify it).
func (e *Engine) Tenant() *Tenant { return e.tenant }

// Decide answers one request for principal p. It allocates nothing once r has warmed up, and
// stops at the first granting assignment; a request whose resource or operation is not set
// is denied with NoRoleAssignment.
func (e *Engine) Decide(p *Principal, r *Request) Decision {
	r.failed = r.failed[:0]
	if !r.set {
		return Decision{Reason: NoRoleAssignment}
	}
	r.prepare(e)
	ids := r.resolveMarked(e, p)
	act := r.actionFold

	// 1. Deny assignments, at every covering scope.
	for k := len(r.path) - 1; k >= -len(r.above); k-- {
		n := r.nodeAt(k)
		for _, di := range e.nodes[n].denies {
			d := &e.denies[di]
			if d.exact && (k < 0 || k != len(r.path)-1 || !r.complete) {
				continue
			}
			if e.denyApplies(d, r, act) {
				return Decision{Reason: DeniedByDenyAssignment, DecidedBy: d.id, ConditionFailed: r.failed}
			}
		}
	}

	// 2. Role assignments of the principal and its groups whose scope covers the resource.
	// Unconditional grants are looked for first, so conditions run only when none exists.
	r.deferred = r.deferred[:0]
	path := r.path
	for _, pi := range ids {
		for i := e.scanOff[pi]; i < e.scanOff[pi+1]; i++ {
			s := &e.scan[i]
			if !(int(s.depth) < len(path) && path[s.depth] == s.node) && !(s.mg && r.marks[s.node] == r.markEpoch) {
				continue
			}
			st := r.roleState(e, s.role, act)
			if st == roleExcludes {
				continue
			}
			if st == roleIncludes && s.cond < 0 {
				return Decision{Allowed: true, Reason: Allowed, DecidedBy: e.assignments[s.ai].id, ConditionFailed: r.failed}
			}
			r.deferred = append(r.deferred, s.ai)
		}
	}
	for _, ai := range r.deferred {
		a := &e.assignments[ai]
		if e.grants(a, r, act) {
			return Decision{Allowed: true, Reason: Allowed, DecidedBy: a.id, ConditionFailed: r.failed}
		}
		r.failed = append(r.failed, a.id)
	}
	if len(r.deferred) > 0 {
		return Decision{Reason: ConditionNotMet, ConditionFailed: r.failed}
	}
	return Decision{Reason: NoRoleAssignment, ConditionFailed: r.failed}
}

// grants evaluates an including assignment's conditions: some including entry's condition (or
// none) and the assignment's own.
func (e *Engine) grants(a *assignment, r *Request, act string) bool {
	entryOK := false
	for i := range e.roles[a.role].entries {
		en := &e.roles[a.role].entries[i]
		if en.permits(r.plane, act) && (en.cond < 0 || e.conds[en.cond].Eval(r.attrs)) {
			entryOK = true
			break
		}
	}
	return entryOK && (a.cond < 0 || e.conds[a.cond].Eval(r.attrs))
}

func (e *Engine) denyApplies(d *deny, r *Request, act string) bool {
	if !d.everyone && !r.marked(d.principals) {
		return false
	}
	if r.marked(d.excluded) {
		return false
	}
	entryOK := false
	for i := range d.entries {
		en := &d.entries[i]
		if en.permits(r.plane, act) && (en.cond < 0 || e.conds[en.cond].Eval(r.attrs)) {
			entryOK = true
			break
		}
	}
	return entryOK && (d.cond < 0 || e.conds[d.cond].Eval(r.attrs))
}

// meets reports whether two sorted index lists share an element.
func meets(a, b []int32) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			return true
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return false
}

// permits: some allow pattern of the plane matches the folded action and no Not-pattern does.
func (en *entry) permits(p Plane, act string) bool {
	hit := false
	for _, pat := range en.allow[p] {
		if match.ActionFolded(pat, act) {
			hit = true
			break
		}
	}
	if !hit {
		return false
	}
	for _, pat := range en.notAllow[p] {
		if match.ActionFolded(pat, act) {
			return false
		}
	}
	return true
}

// Role states for one operation, cached per request.
const (
	roleUnknown uint8 = iota
	roleExcludes
	roleIncludes            // an entry without a condition permits the operation
	roleIncludesConditional // only entries with conditions permit it
)

func (e *Engine) roleStateOf(ri int32, p Plane, act string) uint8 {
	st := roleExcludes
	for i := range e.roles[ri].entries {
		en := &e.roles[ri].entries[i]
		if en.permits(p, act) {
			if en.cond < 0 {
				return roleIncludes
			}
			st = roleIncludesConditional
		}
	}
	return st
}

// childTable maps (parent node, folded segment) to a child node: open addressing over a
// power-of-two array, so that resolving a resource id hashes its segments without allocating.
type childTable struct {
	slots []int32 // node index + 1; 0 is empty
	used  int
}

func (t *childTable) init(hint int) {
	n := 16
	for n < 2*hint {
		n <<= 1
	}
	t.slots = make([]int32, n)
}

// segHash hashes a segment under case folding, combined with the parent's index. Equal-fold
// segments must hash alike: bytes are packed eight to a word with 0x20 set in each (which maps
// ASCII letters of both cases together; the lookup compares the candidates exactly), and a
// segment with non-ASCII bytes is hashed as its simple case folding, so the Kelvin sign hashes
// as K. Eight bytes a multiply, instead of one, made resolving a resource id twice as fast.
func segHash(parent int32, seg string) uint64 {
	h := wordHasher{h: uint64(parent+1) * 0x9E3779B97F4A7C15}
	for i := 0; i < len(seg); i++ {
		if seg[i] >= utf8.RuneSelf {
			for _, r := range seg {
				var buf [utf8.UTFMax]byte
				for _, b := range utf8.AppendRune(buf[:0], match.FoldRune(r)) {
					h.add(b)
				}
			}
			return h.sum()
		}
	}
	for len(seg) >= 8 {
		h.word(binary.LittleEndian.Uint64([]byte(seg[:8])))
		seg = seg[8:]
	}
	for i := 0; i < len(seg); i++ {
		h.add(seg[i])
	}
	return h.sum()
}

// wordHasher mixes eight bytes at a time; add packs single bytes in the same little-endian
// order as word reads them, so both paths agree.
type wordHasher struct {
	h, w uint64
	n    uint
}

func (x *wordHasher) word(w uint64) {
	w |= 0x2020202020202020
	x.h = (x.h ^ w) * 0xBF58476D1CE4E5B9
	x.h ^= x.h >> 31
}

func (x *wordHasher) add(b byte) {
	x.w |= uint64(b) << (8 * x.n)
	if x.n++; x.n == 8 {
		x.word(x.w)
		x.w, x.n = 0, 0
	}
}

func (x *wordHasher) sum() uint64 {
	if x.n > 0 {
		// Pad with 0x20 bytes explicitly so a short tail differs from a longer one.
		x.word(x.w | uint64(x.n)<<56)
	}
	return x.h ^ x.h>>29
}

func (t *childTable) find(nodes []node, parent int32, seg string) int32 {
	mask := uint64(len(t.slots) - 1)
	for i := segHash(parent, seg) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1
		}
		n := &nodes[s-1]
		if n.parent == parent && match.EqualFold(seg, n.key) {
			return s - 1
		}
	}
}

func (t *childTable) insert(nodes []node, parent, child int32) {
	if 2*(t.used+1) > len(t.slots) {
		old := t.slots
		t.slots = make([]int32, 2*len(old))
		t.used = 0
		for _, s := range old {
			if s != 0 {
				t.insert(nodes, nodes[s-1].parent, s-1)
			}
		}
	}
	mask := uint64(len(t.slots) - 1)
	i := segHash(parent, nodes[child].key) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = child + 1
	t.used++
}

// guidTable interns GUIDs to dense indices (open addressing; GUIDs are random, so their bits
// are the hash).
type guidTable struct {
	keys  []GUID
	slots []int32 // index + 1
}

func (t *guidTable) len() int { return len(t.keys) }

func guidHash(g GUID) uint64 { return (g.Hi ^ g.Lo*0x9E3779B97F4A7C15) * 0xBF58476D1CE4E5B9 >> 7 }

func (t *guidTable) lookup(g GUID) int32 {
	if len(t.slots) == 0 {
		return -1
	}
	mask := uint64(len(t.slots) - 1)
	for i := guidHash(g) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1
		}
		if t.keys[s-1] == g {
			return s - 1
		}
	}
}

func (t *guidTable) intern(g GUID) int32 {
	if i := t.lookup(g); i >= 0 {
		return i
	}
	if 2*(len(t.keys)+1) > len(t.slots) {
		n := max(16, 2*len(t.slots))
		t.slots = make([]int32, n)
		for i, k := range t.keys {
			t.place(k, int32(i))
		}
	}
	t.keys = append(t.keys, g)
	t.place(g, int32(len(t.keys)-1))
	return int32(len(t.keys) - 1)
}

func (t *guidTable) place(g GUID, i int32) {
	mask := uint64(len(t.slots) - 1)
	j := guidHash(g) & mask
	for t.slots[j] != 0 {
		j = (j + 1) & mask
	}
	t.slots[j] = i + 1
}
