// Package tenantgen generates realistic Azure tenants, deterministically from a seed, as the JSON
// documents Azure exports them in (../../shared/spec/rbac.md): role definitions as
// `az role definition list` prints them, role assignments as
// `az role assignment list --all --include-inherited` prints them, deny assignments as the REST
// list returns them ({"value": [...]}, properties-wrapped), and the management-group hierarchy
// as {child: parentManagementGroup}. Benchmarks load these documents, so parsing is measured too.
//
// A tenant has a management-group tree two to three levels below the tenant root group,
// subscriptions under its leaves, resource groups, and resources (disks, snapshots, virtual
// machines, storage accounts with blob containers, key vaults, virtual networks, web sites, SQL
// servers). Role definitions are the built-in snapshot abacc ships plus a long tail of generated
// built-in-like and custom roles with wildcards and NotActions in both planes. Assignments are
// spread over users, groups and service principals (a few of each receive many) and over scopes at
// every level; a fraction carry conditions taken from Azure's storage and delegation examples.
// Deny assignments are shaped like those of managed applications and deployment stacks (everyone
// but excluded principals, some not applying to child scopes) plus a few for named principals.
//
// Besides the random tenant, Generate plants one principal (a user in GroupsPerPrincipal groups)
// and, for each Case, two requests whose outcome is known; it checks every planted outcome
// against the whole tenant with a naive evaluator of its own, and panics if one does not hold.
package tenantgen

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/abacc/abacc"
)

// Config sizes a tenant. Zero fields take the defaults noted.
type Config struct {
	// Assignments is the number of role assignments (default 10,000).
	Assignments int
	// Roles is the number of role definitions, the built-in snapshot included (default 300).
	Roles int
	// Deny is the number of deny assignments (default 50).
	Deny int
	// Scopes is the number of distinct scopes: management groups, subscriptions, resource
	// groups, resources and blob containers (default Assignments/5).
	Scopes int
	// GroupsPerPrincipal is the number of groups of the planted principal (default 20).
	GroupsPerPrincipal int
	// Principals is the number of distinct principals that hold assignments: users, groups and
	// service principals (default Assignments/5, at least 4×GroupsPerPrincipal).
	Principals int
	// ConditionalFraction is the share of assignments with a condition (default 0.05; negative:
	// none).
	ConditionalFraction float64
	// Seed makes the tenant; the same Config always yields the same documents.
	Seed uint64
}

func (c Config) withDefaults() Config {
	if c.Assignments <= 0 {
		c.Assignments = 10_000
	}
	if c.Roles <= 0 {
		c.Roles = 300
	}
	if c.Deny < 0 {
		c.Deny = 0
	} else if c.Deny == 0 {
		c.Deny = 50
	}
	if c.Scopes <= 0 {
		c.Scopes = c.Assignments / 5
	}
	c.Scopes = max(c.Scopes, 60)
	if c.GroupsPerPrincipal <= 0 {
		c.GroupsPerPrincipal = 20
	}
	if c.Principals <= 0 {
		c.Principals = c.Assignments / 5
	}
	c.Principals = max(c.Principals, 4*c.GroupsPerPrincipal, 40)
	if c.ConditionalFraction == 0 {
		c.ConditionalFraction = 0.05
	} else if c.ConditionalFraction < 0 {
		c.ConditionalFraction = 0
	}
	return c
}

// Docs are a generated tenant's documents, and what was planted in it.
type Docs struct {
	Roles, Assignments, Deny, Hierarchy []byte
	t                                   *tenant
}

// Size is the total length of the four documents in bytes.
func (d *Docs) Size() int {
	return len(d.Roles) + len(d.Assignments) + len(d.Deny) + len(d.Hierarchy)
}

// Principal is the planted principal: a user and the object ids of its GroupsPerPrincipal groups
// (some of them hold the planted assignments).
type Principal struct {
	ID       string
	GroupIDs []string
}

// JSON is the principal document of rbac.md: {"id": …, "groupIds": […]}.
func (p Principal) JSON() []byte {
	b, _ := json.Marshal(struct {
		ID       string   `json:"id"`
		GroupIDs []string `json:"groupIds"`
	}{p.ID, p.GroupIDs})
	return b
}

// Principal returns the planted principal.
func (d *Docs) Principal() Principal {
	p := Principal{ID: d.t.principals[d.t.me].id}
	for _, g := range d.t.myGroups {
		p.GroupIDs = append(p.GroupIDs, d.t.principals[g].id)
	}
	return p
}

// Case is the kind of decision a planted request exercises.
type Case int

const (
	// Allowed: Contributor for one of the principal's groups at a resource group grants writing
	// (deleting) a resource in it, with no condition. In tenants of a few thousand assignments
	// or more it is the only assignment of the principal that includes the operation.
	Allowed Case = iota
	// Denied: a deny assignment for everyone (the principal not excluded) applies, though a
	// group of the principal holds Contributor there; the engine decides at the deny step.
	Denied
	// NoAssignment: no assignment of the principal or its groups includes the operation at a
	// covering scope (though some cover the resource), and no deny assignment applies: a
	// decision looks at every assignment of the principal.
	NoAssignment
	// Conditional: no unconditional grant; a group of the principal holds Storage Blob Data
	// Contributor on the storage account with a container-name condition that holds. In tenants
	// of a few thousand assignments or more no other assignment of the principal includes the
	// operation.
	Conditional
)

var caseNames = [...]string{"Allowed", "Denied", "NoAssignment", "Conditional"}

func (c Case) String() string { return caseNames[c] }

// Cases lists every Case.
var Cases = []Case{Allowed, Denied, NoAssignment, Conditional}

// Attribute is one request attribute a condition may read (request.md), a string value.
type Attribute struct {
	Source string // "resource", "request", "principal" or "environment"
	Name   string // as between the brackets of @Resource[…]
	Value  string
}

// Ref is the attribute reference as a condition writes it: @Resource[Name].
func (a Attribute) Ref() string {
	return "@" + strings.ToUpper(a.Source[:1]) + a.Source[1:] + "[" + a.Name + "]"
}

// Request is one planted operation on one resource with its expected outcome.
type Request struct {
	Case       Case
	ResourceID string
	DataPlane  bool // the action is a dataAction
	Action     string
	Attributes []Attribute
	// DecidedBy is the id of the planted granting (Allowed, Conditional) or applying (Denied)
	// assignment; "" for NoAssignment.
	DecidedBy string
	// Deciders are the ids a decision may name: every granting assignment of the principal
	// (Allowed, Conditional: conditions evaluated on Attributes), every applying deny assignment
	// (Denied); none for NoAssignment. DecidedBy is among them, and in tenants of a few thousand
	// assignments or more it is the only one. In small tenants, where a principal in 20 groups
	// holds broad roles at high scopes, others may grant the planted request too.
	Deciders []string
}

// JSON is the request document of rbac.md.
func (r Request) JSON() []byte {
	doc := map[string]any{"resourceId": r.ResourceID}
	if r.DataPlane {
		doc["dataAction"] = r.Action
	} else {
		doc["action"] = r.Action
	}
	if len(r.Attributes) > 0 {
		at := map[string]map[string]string{}
		for _, a := range r.Attributes {
			if at[a.Source] == nil {
				at[a.Source] = map[string]string{}
			}
			at[a.Source][a.Name] = a.Value
		}
		doc["attributes"] = at
	}
	b, _ := json.Marshal(doc)
	return b
}

// Requests returns the two planted requests of case c: different resources and different
// actions with the same outcome, so that alternating them defeats per-operation caches.
func (d *Docs) Requests(c Case) [2]Request { return d.t.requests[c] }

// Stats describe a generated tenant.
type Stats struct {
	ManagementGroups, Subscriptions, ResourceGroups, Resources, Containers int
	Users, Groups, ServicePrincipals                                       int
	Roles, Assignments, ConditionalAssignments, Deny                       int
	// PrincipalAssignments is the number of assignments held by the planted principal or its
	// groups: what a decision for it looks through.
	PrincipalAssignments int
}

// Stats returns the tenant's counts.
func (d *Docs) Stats() Stats {
	t := d.t
	var s Stats
	for i := range t.scopes {
		switch t.scopes[i].kind {
		case kindMG:
			s.ManagementGroups++
		case kindSub:
			s.Subscriptions++
		case kindRG:
			s.ResourceGroups++
		case kindResource:
			s.Resources++
		case kindContainer:
			s.Containers++
		}
	}
	for _, p := range t.principals {
		switch p.typ {
		case "User":
			s.Users++
		case "Group":
			s.Groups++
		default:
			s.ServicePrincipals++
		}
	}
	s.Roles, s.Assignments, s.Deny = len(t.roles), len(t.assignments), len(t.denies)
	ids := t.ids()
	for _, a := range t.assignments {
		if a.cond != "" {
			s.ConditionalAssignments++
		}
		if slices.Contains(ids, a.principal) {
			s.PrincipalAssignments++
		}
	}
	return s
}

// ---- the model ----

type kind uint8

const (
	kindRoot kind = iota // "/" (scope index 0)
	kindMG
	kindSub
	kindRG
	kindResource
	kindContainer
)

type scope struct {
	id     string
	kind   kind
	parent int    // parent scope (for a subscription or management group: its parent management group)
	sub    int    // the subscription it is in (-1: none)
	rtype  string // resource type, e.g. Microsoft.Compute/disks
	name   string
	kids   []int // resources of a resource group, containers of a storage account
}

type perm struct {
	Actions        []string `json:"actions"`
	NotActions     []string `json:"notActions"`
	DataActions    []string `json:"dataActions"`
	NotDataActions []string `json:"notDataActions"`
	Condition      string   `json:"condition,omitempty"`
	ConditionVer   string   `json:"conditionVersion,omitempty"`
}

type roleDef struct {
	AssignableScopes []string `json:"assignableScopes"`
	Description      string   `json:"description"`
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Permissions      []perm   `json:"permissions"`
	RoleName         string   `json:"roleName"`
	RoleType         string   `json:"roleType"`
	Type             string   `json:"type"`
}

type principal struct {
	id, typ, name string
}

type assignment struct {
	guid      string
	principal int
	role      int
	scope     int
	cond      string
	created   string
}

type denyAssignment struct {
	guid, name, desc string
	scope            int
	childless        bool
	everyone         bool
	principals       []int
	excluded         []int
	perms            []perm
}

type tenant struct {
	cfg        Config
	rng        *rand.Rand
	tenantID   string
	scopes     []scope
	bySub      map[string]int // folded subscription id → scope index
	mgs, subs  []int
	rgs        []int
	resources  []int
	containers []int
	byType     map[string][]int

	principals              []principal
	users, groups, sps      []int
	roles                   []roleDef
	roleIndex               map[string]int // role name → index (built-ins)
	assignments             []assignment
	denies                  []denyAssignment
	me                      int
	myGroups                []int
	requests                [4][2]Request
	compiled                map[string]*abacc.Program
	mine                    []int // indices of the planted principal's assignments (ids())
	plantedA, plantedC      string
	plantedD, plantedDGrant string
}

// builtinJSON is a copy of ../../builtin/roles.json (the snapshot package rbac ships), so that
// this package does not import rbac and rbac's own tests may use it.
//
//go:embed builtin_roles.json
var builtinJSON []byte

// Generate makes a tenant. It is deterministic in cfg.
func Generate(cfg Config) *Docs {
	cfg = cfg.withDefaults()
	t := &tenant{
		cfg:      cfg,
		rng:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5DEECE66D)),
		bySub:    map[string]int{},
		byType:   map[string][]int{},
		compiled: map[string]*abacc.Program{},
	}
	t.tenantID = t.guid()
	t.genScopes()
	t.genPrincipals()
	t.genRoles()
	t.genAssignments()
	t.genDenies()
	t.plant()
	t.rng.Shuffle(len(t.assignments), func(i, j int) {
		t.assignments[i], t.assignments[j] = t.assignments[j], t.assignments[i]
	})
	t.rng.Shuffle(len(t.denies), func(i, j int) { t.denies[i], t.denies[j] = t.denies[j], t.denies[i] })
	return &Docs{
		Roles:       t.rolesJSON(),
		Assignments: t.assignmentsJSON(),
		Deny:        t.denyJSON(),
		Hierarchy:   t.hierarchyJSON(),
		t:           t,
	}
}

func (t *tenant) guid() string {
	hi, lo := t.rng.Uint64(), t.rng.Uint64()
	hi = hi&^0xF000 | 0x4000     // version 4
	lo = lo&^(0xC<<60) | 0x8<<60 // variant 10
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, hi>>16&0xFFFF, hi&0xFFFF, lo>>48, lo&0xFFFFFFFFFFFF)
}

// skewed returns an index in [0, n) favouring small indices: a few principals, roles and
// resource groups receive many assignments, most receive a few.
func (t *tenant) skewed(n int) int {
	return min(n-1, int(float64(n)*math.Pow(t.rng.Float64(), 1.6)))
}

func (t *tenant) pick(list []int) int { return list[t.rng.IntN(len(list))] }

// weighted picks an index of weights.
func (t *tenant) weighted(weights []float64) int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	x := t.rng.Float64() * sum
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// ---- scopes ----

var (
	apps  = []string{"payments", "billing", "crm", "web", "api", "data", "ml", "iot", "hr", "erp", "search", "identity", "logs", "backup", "imaging", "media", "mobile", "portal", "edge", "analytics"}
	envs  = []string{"prod", "dev", "test", "uat", "stage", "dr"}
	regs  = []string{"eastus", "westeurope", "northeurope", "westus2", "uksouth", "japaneast"}
	conts = []string{"logs", "backups", "images", "reports", "raw", "curated", "exports", "uploads", "blobs-example-container", "sensitive", "public", "archive"}
)

type resType struct {
	typ    string // provider namespace and type
	prefix string // name prefix
	weight float64
}

var resourceTypes = []resType{
	{"Microsoft.Compute/disks", "disk-", 24},
	{"Microsoft.Compute/virtualMachines", "vm-", 14},
	{"Microsoft.Compute/snapshots", "snap-", 5},
	{"Microsoft.Storage/storageAccounts", "st", 13},
	{"Microsoft.KeyVault/vaults", "kv-", 9},
	{"Microsoft.Network/virtualNetworks", "vnet-", 6},
	{"Microsoft.Network/networkInterfaces", "nic-", 8},
	{"Microsoft.Web/sites", "app-", 8},
	{"Microsoft.Sql/servers", "sql-", 5},
	{"Microsoft.ContainerService/managedClusters", "aks-", 3},
}

func (t *tenant) add(s scope) int {
	t.scopes = append(t.scopes, s)
	i := len(t.scopes) - 1
	switch s.kind {
	case kindMG:
		t.mgs = append(t.mgs, i)
	case kindSub:
		t.subs = append(t.subs, i)
		t.bySub[strings.ToLower(s.name)] = i
	case kindRG:
		t.rgs = append(t.rgs, i)
		t.scopes[s.sub].kids = append(t.scopes[s.sub].kids, i)
	case kindResource:
		t.resources = append(t.resources, i)
		t.byType[s.rtype] = append(t.byType[s.rtype], i)
		t.scopes[s.parent].kids = append(t.scopes[s.parent].kids, i)
	case kindContainer:
		t.containers = append(t.containers, i)
		t.scopes[s.parent].kids = append(t.scopes[s.parent].kids, i)
	}
	return i
}

func (t *tenant) genScopes() {
	n := t.cfg.Scopes
	t.add(scope{id: "/", kind: kindRoot, parent: -1, sub: -1})
	mg := func(name string, parent int) int {
		return t.add(scope{id: "/providers/Microsoft.Management/managementGroups/" + name, kind: kindMG, parent: parent, sub: -1, name: name})
	}
	// The tenant root group, then a Cloud Adoption Framework tree: two to three levels below it.
	root := mg(t.tenantID, -1)
	nMG := min(max(n/150, 6), 60)
	platform := mg("contoso-platform", root)
	lz := mg("contoso-landingzones", root)
	sandbox := mg("contoso-sandbox", root)
	leaves := []int{sandbox}
	for _, name := range []string{"contoso-management", "contoso-connectivity", "contoso-identity"} {
		if len(t.mgs) < nMG {
			leaves = append(leaves, mg(name, platform))
		}
	}
	var lz2 []int
	for _, name := range []string{"contoso-corp", "contoso-online"} {
		if len(t.mgs) < nMG {
			c := mg(name, lz)
			lz2 = append(lz2, c)
			leaves = append(leaves, c)
		}
	}
	if len(lz2) == 0 {
		lz2 = []int{lz}
		leaves = append(leaves, lz)
	}
	if len(t.mgs) < nMG {
		mg("contoso-decommissioned", root)
	}
	for i := 0; len(t.mgs) < nMG; i++ {
		p := lz2[i%len(lz2)]
		leaves = append(leaves, mg(fmt.Sprintf("%s-%s-%02d", t.scopes[p].name, apps[i%len(apps)], i), p))
	}

	nSub := max(n/50, 2)
	for i := 0; i < nSub; i++ {
		id := t.guid()
		parent := leaves[t.skewed(len(leaves))]
		t.add(scope{id: "/subscriptions/" + id, kind: kindSub, parent: parent, name: id, sub: len(t.scopes)})
	}
	nRG := max(n/6, nSub)
	for i := 0; i < nRG; i++ {
		sub := t.subs[i%len(t.subs)]
		if i >= len(t.subs) {
			sub = t.subs[t.skewed(len(t.subs))]
		}
		name := fmt.Sprintf("rg-%s-%s-%s-%02d", apps[t.rng.IntN(len(apps))], envs[t.rng.IntN(len(envs))], regs[t.rng.IntN(len(regs))], i%100)
		t.add(scope{id: t.scopes[sub].id + "/resourceGroups/" + name, kind: kindRG, parent: sub, sub: sub, name: name})
	}
	weights := make([]float64, len(resourceTypes))
	for i, rt := range resourceTypes {
		weights[i] = rt.weight
	}
	for i := 0; len(t.scopes) < n || len(t.byType["Microsoft.Storage/storageAccounts"]) < 2; i++ {
		rg := t.rgs[t.skewed(len(t.rgs))]
		// the first resources go to distinct resource groups: every group has something in it
		if i < len(t.rgs) {
			rg = t.rgs[i]
		}
		rt := resourceTypes[t.weighted(weights)]
		if i < 2 {
			rt = resourceTypes[3] // storage accounts exist whatever the size
		}
		app := apps[t.rng.IntN(len(apps))]
		name := fmt.Sprintf("%s%s-%s-%04d", rt.prefix, app, envs[t.rng.IntN(len(envs))], i)
		if rt.prefix == "st" { // storage account names are lower-case letters and digits
			name = fmt.Sprintf("st%s%s%04d", app, envs[t.rng.IntN(len(envs))], i)
		}
		rgs := &t.scopes[rg]
		res := t.add(scope{id: rgs.id + "/providers/" + rt.typ + "/" + name, kind: kindResource, parent: rg, sub: rgs.sub, rtype: rt.typ, name: name})
		if rt.typ == "Microsoft.Storage/storageAccounts" {
			k := 1 + t.rng.IntN(4)
			first := t.rng.IntN(len(conts))
			for j := 0; j < k; j++ {
				c := conts[(first+j)%len(conts)]
				t.add(scope{id: t.scopes[res].id + "/blobServices/default/containers/" + c, kind: kindContainer, parent: res, sub: rgs.sub,
					rtype: "Microsoft.Storage/storageAccounts/blobServices/containers", name: c})
			}
		}
	}
}

// ---- principals ----

var (
	first = []string{"alex", "sam", "kim", "lee", "maria", "jose", "wei", "yuki", "olga", "omar", "anna", "raj", "chen", "fatima", "lars", "nina"}
	last  = []string{"smith", "garcia", "mueller", "rossi", "tanaka", "kowalski", "nguyen", "dubois", "silva", "khan", "berg", "li"}
	teams = []string{"readers", "contributors", "owners", "operators", "admins", "devs", "auditors", "oncall", "support", "dataeng"}
)

func (t *tenant) genPrincipals() {
	n := t.cfg.Principals
	nGroups := max(n/4, 2*t.cfg.GroupsPerPrincipal)
	nSPs := n * 15 / 100
	nUsers := max(n-nGroups-nSPs, 1)
	for i := 0; i < nUsers; i++ {
		name := fmt.Sprintf("%s.%s%d@contoso.com", first[t.rng.IntN(len(first))], last[t.rng.IntN(len(last))], i)
		t.users = append(t.users, len(t.principals))
		t.principals = append(t.principals, principal{id: t.guid(), typ: "User", name: name})
	}
	for i := 0; i < nGroups; i++ {
		name := fmt.Sprintf("sg-%s-%s-%s-%d", apps[t.rng.IntN(len(apps))], envs[t.rng.IntN(len(envs))], teams[t.rng.IntN(len(teams))], i)
		t.groups = append(t.groups, len(t.principals))
		t.principals = append(t.principals, principal{id: t.guid(), typ: "Group", name: name})
	}
	for i := 0; i < nSPs; i++ {
		name := fmt.Sprintf("sp-%s-%s-%d", apps[t.rng.IntN(len(apps))], envs[t.rng.IntN(len(envs))], i)
		t.sps = append(t.sps, len(t.principals))
		t.principals = append(t.principals, principal{id: t.guid(), typ: "ServicePrincipal", name: name})
	}
}

// pickPrincipal chooses the planted principal once the assignments exist: a user, in groups
// chosen at random among all groups but typical as a whole: together they hold
// GroupsPerPrincipal × the mean number of assignments per group, within 5% (the closest of many
// draws), so that tenants of different sizes give principals of the same shape.
func (t *tenant) pickPrincipal() {
	t.me = t.pick(t.users)
	per := make([]int, len(t.principals))
	total := 0
	for _, a := range t.assignments {
		if t.principals[a.principal].typ == "Group" {
			per[a.principal]++
			total++
		}
	}
	k := t.cfg.GroupsPerPrincipal
	target := float64(total) * float64(k) / float64(len(t.groups))
	best, bestDev := []int(nil), math.Inf(1)
	for try := 0; try < 2000 && bestDev > 0.05*target; try++ {
		perm := t.rng.Perm(len(t.groups))[:k]
		sum := 0
		for _, g := range perm {
			sum += per[t.groups[g]]
		}
		if dev := math.Abs(float64(sum) - target); dev < bestDev {
			best, bestDev = perm, dev
		}
	}
	t.myGroups = t.myGroups[:0]
	for _, g := range best {
		t.myGroups = append(t.myGroups, t.groups[g])
	}
}

// ids are the planted principal's id and groups.
func (t *tenant) ids() []int { return append([]int{t.me}, t.myGroups...) }

// ---- roles ----

type provider struct {
	ns      string
	types   []string // resource types (below the namespace)
	actions []string // extra control actions (below the namespace)
	data    []string // data actions (below the namespace)
}

var providers = []provider{
	{"Microsoft.Compute", []string{"virtualMachines", "disks", "snapshots", "images", "galleries", "availabilitySets", "virtualMachineScaleSets", "virtualMachines/extensions"},
		[]string{"virtualMachines/start/action", "virtualMachines/restart/action", "virtualMachines/deallocate/action", "disks/beginGetAccess/action", "snapshots/beginGetAccess/action", "virtualMachines/runCommand/action"},
		[]string{"disks/download/action", "disks/upload/action", "snapshots/download/action", "virtualMachines/login/action", "virtualMachines/loginAsAdmin/action"}},
	{"Microsoft.Storage", []string{"storageAccounts", "storageAccounts/blobServices/containers", "storageAccounts/fileServices/shares", "storageAccounts/queueServices/queues", "storageAccounts/managementPolicies"},
		[]string{"storageAccounts/listKeys/action", "storageAccounts/regenerateKey/action", "storageAccounts/blobServices/generateUserDelegationKey/action"},
		[]string{"storageAccounts/blobServices/containers/blobs/read", "storageAccounts/blobServices/containers/blobs/write", "storageAccounts/blobServices/containers/blobs/delete",
			"storageAccounts/blobServices/containers/blobs/add/action", "storageAccounts/blobServices/containers/blobs/tags/read", "storageAccounts/blobServices/containers/blobs/tags/write",
			"storageAccounts/blobServices/containers/blobs/move/action", "storageAccounts/queueServices/queues/messages/read", "storageAccounts/queueServices/queues/messages/write",
			"storageAccounts/fileServices/fileshares/files/read"}},
	{"Microsoft.KeyVault", []string{"vaults", "vaults/secrets", "vaults/keys", "vaults/accessPolicies"}, []string{"vaults/deploy/action"},
		[]string{"vaults/secrets/getSecret/action", "vaults/secrets/readMetadata/action", "vaults/secrets/setSecret/action", "vaults/keys/encrypt/action", "vaults/keys/decrypt/action", "vaults/certificates/read"}},
	{"Microsoft.Network", []string{"virtualNetworks", "virtualNetworks/subnets", "networkInterfaces", "publicIPAddresses", "networkSecurityGroups", "loadBalancers", "privateEndpoints", "dnsZones"},
		[]string{"virtualNetworks/subnets/join/action", "networkInterfaces/join/action", "publicIPAddresses/join/action", "networkSecurityGroups/join/action"}, nil},
	{"Microsoft.Web", []string{"sites", "serverFarms", "sites/slots", "sites/config"}, []string{"sites/restart/action", "sites/publishxml/action"}, nil},
	{"Microsoft.Sql", []string{"servers", "servers/databases", "servers/firewallRules"}, []string{"servers/databases/export/action"}, nil},
	{"Microsoft.Insights", []string{"alertRules", "diagnosticSettings", "metricAlerts", "components", "actionGroups"}, nil, nil},
	{"Microsoft.Resources", []string{"subscriptions/resourceGroups", "deployments", "tags", "deploymentStacks"}, []string{"deployments/validate/action"}, nil},
	{"Microsoft.ContainerService", []string{"managedClusters", "managedClusters/agentPools"}, []string{"managedClusters/listClusterUserCredential/action"},
		[]string{"managedClusters/pods/read", "managedClusters/pods/exec/action", "managedClusters/secrets/read", "managedClusters/deployments/write"}},
	{"Microsoft.Authorization", []string{"roleAssignments", "roleDefinitions", "locks", "policyAssignments"}, nil, nil},
}

var verbs = []string{"read", "write", "delete"}

func (t *tenant) genRoles() {
	var doc struct {
		Value []roleDef `json:"value"`
	}
	if err := json.Unmarshal(builtinJSON, &doc); err != nil {
		panic(err)
	}
	t.roleIndex = map[string]int{}
	for _, r := range doc.Value {
		if len(t.roles) == t.cfg.Roles {
			break
		}
		for i := range r.Permissions { // az prints empty lists as []
			p := &r.Permissions[i]
			p.Actions, p.NotActions = nonNil(p.Actions), nonNil(p.NotActions)
			p.DataActions, p.NotDataActions = nonNil(p.DataActions), nonNil(p.NotDataActions)
		}
		t.roleIndex[r.RoleName] = len(t.roles)
		t.roles = append(t.roles, r)
	}
	for _, need := range []string{"Owner", "Contributor", "Reader", "Storage Blob Data Contributor", "Storage Blob Data Reader"} {
		if _, ok := t.roleIndex[need]; !ok {
			panic("tenantgen: Config.Roles too small for the built-in roles the planted cases use")
		}
	}
	for i := 0; len(t.roles) < t.cfg.Roles; i++ {
		t.roles = append(t.roles, t.genRole(i))
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// genRole makes one role of the long tail: a focus on one to three providers, control patterns
// from exact actions to provider and global wildcards, NotActions on some, data actions (with
// wildcards, and NotDataActions on some) on others.
func (t *tenant) genRole(i int) roleDef {
	r := t.rng
	nFocus := 1 + r.IntN(3)
	var p perm
	p.Actions, p.NotActions, p.DataActions, p.NotDataActions = []string{}, []string{}, []string{}, []string{}
	var focus []provider
	for range nFocus {
		focus = append(focus, providers[r.IntN(len(providers))])
	}
	if r.IntN(10) < 7 { // the usual preamble of built-in roles
		p.Actions = append(p.Actions, "Microsoft.Authorization/*/read", "Microsoft.Resources/subscriptions/resourceGroups/read")
	}
	if r.IntN(10) == 0 {
		p.Actions = append(p.Actions, "*/read")
	}
	for _, f := range focus {
		switch r.IntN(6) {
		case 0:
			p.Actions = append(p.Actions, f.ns+"/*")
		case 1:
			p.Actions = append(p.Actions, f.ns+"/*/read")
		}
		for range 1 + r.IntN(5) {
			typ := f.types[r.IntN(len(f.types))]
			switch r.IntN(4) {
			case 0:
				p.Actions = append(p.Actions, f.ns+"/"+typ+"/*")
			case 1:
				p.Actions = append(p.Actions, f.ns+"/"+typ+"/*/read")
			default:
				p.Actions = append(p.Actions, f.ns+"/"+typ+"/"+verbs[r.IntN(len(verbs))])
			}
		}
		if len(f.actions) > 0 && r.IntN(2) == 0 {
			p.Actions = append(p.Actions, f.ns+"/"+f.actions[r.IntN(len(f.actions))])
		}
		if r.IntN(10) < 3 {
			typ := f.types[r.IntN(len(f.types))]
			p.NotActions = append(p.NotActions, f.ns+"/"+typ+"/delete")
			if r.IntN(2) == 0 {
				p.NotActions = append(p.NotActions, f.ns+"/*/write")
			}
		}
		if len(f.data) > 0 && r.IntN(10) < 4 {
			for range 1 + r.IntN(3) {
				d := f.data[r.IntN(len(f.data))]
				if r.IntN(4) == 0 {
					d = d[:strings.LastIndexByte(d, '/')] + "/*"
					if strings.HasSuffix(d, "/action/*") {
						d = strings.TrimSuffix(d, "/action/*") + "/*"
					}
				}
				p.DataActions = append(p.DataActions, f.ns+"/"+d)
			}
			if r.IntN(10) < 3 {
				p.NotDataActions = append(p.NotDataActions, f.ns+"/"+f.data[r.IntN(len(f.data))])
			}
		}
	}
	if r.IntN(8) == 0 {
		p.Actions = append(p.Actions, "Microsoft.Support/*", "Microsoft.Insights/alertRules/*")
	}
	if r.IntN(15) == 0 { // Contributor-like: everything but a few
		p.Actions = []string{"*"}
		p.NotActions = append(p.NotActions, "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action")
	}
	p.Actions, p.NotActions = dedupe(p.Actions), dedupe(p.NotActions)
	p.DataActions, p.NotDataActions = dedupe(p.DataActions), dedupe(p.NotDataActions)
	perms := []perm{p}
	if r.IntN(20) == 0 { // a second entry
		f := providers[r.IntN(len(providers))]
		perms = append(perms, perm{Actions: []string{f.ns + "/*/read"}, NotActions: []string{}, DataActions: []string{}, NotDataActions: []string{}})
	}

	g := t.guid()
	name := fmt.Sprintf("%s %s %s %d", strings.TrimPrefix(focus[0].ns, "Microsoft."), []string{"Operator", "Contributor", "Reader", "Administrator", "Data Reader", "Data Owner", "Auditor"}[r.IntN(7)], []string{"", "(preview)", "Plus", "Lite"}[r.IntN(4)], i)
	rd := roleDef{ID: "/providers/Microsoft.Authorization/roleDefinitions/" + g, Name: g, Permissions: perms, RoleName: strings.Join(strings.Fields(name), " "),
		Type: "Microsoft.Authorization/roleDefinitions", Description: "Generated role " + fmt.Sprint(i) + " of the long tail."}
	if r.IntN(10) < 6 {
		rd.RoleType, rd.AssignableScopes = "BuiltInRole", []string{"/"}
	} else {
		rd.RoleType = "CustomRole"
		if r.IntN(3) == 0 {
			rd.AssignableScopes = []string{t.scopes[t.pick(t.mgs)].id}
		} else {
			rd.AssignableScopes = []string{t.scopes[t.pick(t.subs)].id, t.scopes[t.pick(t.subs)].id}
		}
	}
	return rd
}

func dedupe(s []string) []string {
	out := s[:0:0]
	for _, x := range s {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return nonNil(out)
}

// ---- conditions (Azure's storage and delegation examples) ----

const (
	condContainer = `(
 (
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'})
  AND
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})
  AND
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})
  AND
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'})
 )
 OR 
 (
  @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '%s'
 )
)`
	condTagRead = `(
 (
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})
 )
 OR 
 (
  @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals '%s'
 )
)`
	condPath = `(
 (
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})
 )
 OR 
 (
  @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '%s'
  AND
  @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'readonly/*'
 )
)`
	condNewBlobTag = `(
 (
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'} AND SubOperationMatches{'Blob.Write.WithTagHeaders'})
  AND
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'} AND SubOperationMatches{'Blob.Write.WithTagHeaders'})
 )
 OR 
 (
  @Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals '%s'
 )
)`
	condPrincipalTag = `(
 (
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})
 )
 OR 
 (
  @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals @Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project]
 )
)`
	condDelegate = `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {2a2b9908-6ea1-4ae2-8e65-a410df84e7d1, ba92f5b4-2d11-453d-a403-e96b0029c9fe})) AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {2a2b9908-6ea1-4ae2-8e65-a410df84e7d1, ba92f5b4-2d11-453d-a403-e96b0029c9fe}))`
)

var projects = []string{"Cascade", "Baker", "Alpine"}

// ConditionTexts lists every distinct condition the generator may attach (for compile tests).
func ConditionTexts() []string {
	var out []string
	for _, c := range conts[:4] {
		out = append(out, fmt.Sprintf(condContainer, c), fmt.Sprintf(condPath, c))
	}
	for _, p := range projects {
		out = append(out, fmt.Sprintf(condTagRead, p), fmt.Sprintf(condNewBlobTag, p))
	}
	return append(out, condPrincipalTag, condDelegate)
}

// condition returns a random storage condition (a handful of distinct texts).
func (t *tenant) condition() string {
	switch t.rng.IntN(6) {
	case 0, 1:
		return fmt.Sprintf(condContainer, conts[t.rng.IntN(4)])
	case 2:
		return fmt.Sprintf(condTagRead, projects[t.rng.IntN(len(projects))])
	case 3:
		return fmt.Sprintf(condPath, conts[t.rng.IntN(4)])
	case 4:
		return fmt.Sprintf(condNewBlobTag, projects[t.rng.IntN(len(projects))])
	default:
		return condPrincipalTag
	}
}

// ---- assignments ----

func (t *tenant) date() string {
	return fmt.Sprintf("20%02d-%02d-%02dT%02d:%02d:%02d.%06d+00:00", 19+t.rng.IntN(6), 1+t.rng.IntN(12), 1+t.rng.IntN(28), t.rng.IntN(24), t.rng.IntN(60), t.rng.IntN(60), t.rng.IntN(1_000_000))
}

// scopeOfLevel picks a scope for an assignment: the root, a management group, a subscription, a
// resource group, a resource or a blob container, in Azure-like proportions.
func (t *tenant) scopeOfLevel() int {
	switch t.weighted([]float64{0.05, 3, 20, 52, 20, 5}) {
	case 0:
		return 0
	case 1:
		if t.rng.IntN(5) == 0 {
			return t.mgs[0] // the tenant root group
		}
		return t.mgs[1+t.rng.IntN(len(t.mgs)-1)]
	case 2:
		return t.subs[t.skewed(len(t.subs))]
	case 3:
		return t.rgs[t.skewed(len(t.rgs))]
	case 4:
		return t.pick(t.resources)
	default:
		return t.pick(t.containers)
	}
}

// popular built-ins and their share of the assignments that pick a popular role.
var popular = []struct {
	name   string
	weight float64
}{
	{"Reader", 25}, {"Contributor", 18}, {"Owner", 6}, {"Storage Blob Data Reader", 8}, {"Storage Blob Data Contributor", 7},
	{"Virtual Machine Contributor", 5}, {"Key Vault Secrets User", 6}, {"User Access Administrator", 2}, {"Data Operator for Managed Disks", 2},
	{"Storage Queue Data Contributor", 3}, {"Virtual Machine User Login", 4}, {"Key Vault Administrator", 2}, {"Disk Snapshot Contributor", 2},
}

func (t *tenant) principalForAssignment() int {
	switch t.weighted([]float64{55, 30, 15}) {
	case 0:
		return t.groups[t.skewed(len(t.groups))]
	case 1:
		return t.users[t.skewed(len(t.users))]
	default:
		return t.sps[t.skewed(len(t.sps))]
	}
}

const (
	planted        = 3 // assignments Generate plants: the Allowed grant, the Conditional grant, the grant under the deny
	ownAssignments = 3 // the planted principal's own random assignments
)

func (t *tenant) genAssignments() {
	n := max(t.cfg.Assignments-planted-ownAssignments, 0)
	pw := make([]float64, len(popular))
	for i, p := range popular {
		pw[i] = p.weight
	}
	blobRoles := []string{"Storage Blob Data Reader", "Storage Blob Data Contributor", "Storage Blob Data Owner"}
	for range n {
		a := assignment{guid: t.guid(), principal: t.principalForAssignment(), created: t.date()}
		if t.rng.Float64() < t.cfg.ConditionalFraction {
			if t.rng.IntN(8) == 0 {
				if ri, ok := t.roleIndex["Role Based Access Control Administrator"]; ok {
					a.role, a.cond, a.scope = ri, condDelegate, t.subs[t.skewed(len(t.subs))]
					t.assignments = append(t.assignments, a)
					continue
				}
			}
			a.role = t.roleIndex[blobRoles[t.rng.IntN(len(blobRoles))]]
			if _, ok := t.roleIndex["Storage Blob Data Owner"]; !ok {
				a.role = t.roleIndex["Storage Blob Data Reader"]
			}
			a.cond = t.condition()
			switch t.rng.IntN(4) {
			case 0:
				a.scope = t.subs[t.skewed(len(t.subs))]
			case 1:
				a.scope = t.rgs[t.skewed(len(t.rgs))]
			default:
				a.scope = t.pick(t.byType["Microsoft.Storage/storageAccounts"])
			}
			t.assignments = append(t.assignments, a)
			continue
		}
		a.scope = t.scopeOfLevel()
		if t.scopes[a.scope].kind <= kindMG {
			// Above subscriptions: governance roles (reader, owner, access administration).
			a.role = t.roleIndex[[]string{"Reader", "Reader", "Reader", "Contributor", "Owner", "User Access Administrator"}[t.rng.IntN(6)]]
		} else if t.rng.IntN(2) == 0 {
			p := popular[t.weighted(pw)]
			ri, ok := t.roleIndex[p.name]
			if !ok {
				ri = t.roleIndex["Reader"]
			}
			a.role = ri
		} else {
			a.role = t.rng.IntN(len(t.roles))
		}
		t.assignments = append(t.assignments, a)
	}
	// The planted principal holds a few assignments of its own, like any user.
	t.pickPrincipal()
	for range ownAssignments {
		a := assignment{guid: t.guid(), principal: t.me, created: t.date(), scope: t.scopeOfLevel(), role: t.rng.IntN(len(t.roles))}
		if t.scopes[a.scope].kind < kindRG { // not above whole subscriptions: keep the cases' outcomes findable
			a.scope = t.pick(t.rgs)
		}
		t.assignments = append(t.assignments, a)
	}
}

// ---- deny assignments ----

const everyoneID = "00000000-0000-0000-0000-000000000000"

func (t *tenant) genDenies() {
	n := max(t.cfg.Deny-1, 0) // one is planted
	for i := range n {
		d := denyAssignment{guid: t.guid()}
		all := func() perm {
			return perm{Actions: []string{}, NotActions: []string{}, DataActions: []string{}, NotDataActions: []string{}}
		}
		p := all()
		switch k := t.weighted([]float64{35, 35, 15, 15}); k {
		case 0: // managed application: everything but reads, on the managed resource group
			d.scope = t.rgs[t.rng.IntN(len(t.rgs))]
			d.everyone = true
			d.excluded = []int{t.pick(t.sps)}
			p.Actions = []string{"*"}
			p.NotActions = []string{"*/read", "Microsoft.Network/networkInterfaces/effectiveNetworkSecurityGroups/action", "Microsoft.Network/networkWatchers/*/action"}
			d.name = fmt.Sprintf("Deny assignment '%s' created by managed application '/subscriptions/%s/resourceGroups/rg-apps/providers/Microsoft.Solutions/applications/managedapp-%d'", d.guid, t.scopes[t.scopes[d.scope].sub].name, i)
			d.desc = "Created by managed application"
		case 1, 2: // deployment stack: deny delete (or write and delete) of the stack's resources
			if t.rng.IntN(3) == 0 {
				d.scope = t.subs[t.rng.IntN(len(t.subs))]
			} else if t.rng.IntN(2) == 0 {
				d.scope = t.rgs[t.rng.IntN(len(t.rgs))]
			} else {
				d.scope = t.pick(t.resources)
			}
			d.everyone = true
			for range 1 + t.rng.IntN(3) {
				d.excluded = append(d.excluded, t.principalForAssignment())
			}
			d.childless = t.rng.IntN(10) < 3
			if k == 1 {
				p.Actions = []string{"*/delete"}
			} else {
				p.Actions = []string{"*/write", "*/delete"}
				p.NotActions = []string{"Microsoft.Storage/storageAccounts/listKeys/action", "Microsoft.Compute/virtualMachines/*/action"}
			}
			d.name = fmt.Sprintf("Deny assignment '%s' created by Deployment Stack 'stack-%s-%d'", d.guid, apps[t.rng.IntN(len(apps))], i)
			d.desc = "Created by Deployment Stack"
		default: // named principals, data plane: no blob deletes on a storage account
			d.scope = t.pick(t.byType["Microsoft.Storage/storageAccounts"])
			for range 1 + t.rng.IntN(4) {
				d.principals = append(d.principals, t.principalForAssignment())
			}
			p.DataActions = []string{"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete"}
			if t.rng.IntN(2) == 0 {
				p.Actions = []string{"Microsoft.Storage/storageAccounts/delete"}
			}
			d.name = fmt.Sprintf("Deny blob deletion %d", i)
			d.desc = "Protects retained data"
		}
		d.perms = []perm{p}
		t.denies = append(t.denies, d)
	}
}

// ---- planting the cases ----

// search calls try with random choices until it reports success, first asking for the strict
// shape of a case (tries with strict true), then settling for the loose one.
func search(what string, strict, loose int, try func(strict bool) bool) {
	for k := 0; k < strict+loose; k++ {
		if try(k < strict) {
			return
		}
	}
	panic("tenantgen: found no " + what)
}

// resourcesOf lists the resources of a resource group.
func (t *tenant) resourcesOf(rg int) []int {
	var res []int
	for _, k := range t.scopes[rg].kids {
		if t.scopes[k].kind == kindResource {
			res = append(res, k)
		}
	}
	return res
}

func (t *tenant) plant() {
	ids := t.ids()
	for i, a := range t.assignments {
		if slices.Contains(ids, a.principal) {
			t.mine = append(t.mine, i)
		}
	}
	contributor := t.roleIndex["Contributor"]
	blobContributor := t.roleIndex["Storage Blob Data Contributor"]
	group := func() int { return t.myGroups[t.rng.IntN(len(t.myGroups))] }
	typeAction := func(res int, verb string) string { return t.scopes[res].rtype + "/" + verb }

	// Allowed: Contributor for a group of the principal at a resource group with two
	// resources; strictly, nothing else of the principal grants writing or deleting them.
	allowedRG := -1
	search("resource group for the Allowed case", 500, 2000, func(strict bool) bool {
		rg := t.pick(t.rgs)
		res := t.resourcesOf(rg)
		if len(res) < 2 {
			return false
		}
		r0, r1 := res[0], res[1+t.rng.IntN(len(res)-1)]
		reqs := [2]Request{
			{Case: Allowed, ResourceID: t.scopes[r0].id, Action: typeAction(r0, "write")},
			{Case: Allowed, ResourceID: t.scopes[r1].id, Action: typeAction(r1, "delete")},
		}
		for _, q := range reqs {
			o := t.outcome(ids, q)
			if len(o.denies) != 0 || strict && (len(o.grants) != 0 || len(o.conditional) != 0) {
				return false
			}
		}
		a := assignment{guid: t.guid(), principal: group(), role: contributor, scope: rg, created: t.date()}
		t.mine = append(t.mine, len(t.assignments))
		t.assignments = append(t.assignments, a)
		t.plantedA, allowedRG = t.assignmentID(&a), rg
		for k := range reqs {
			reqs[k].DecidedBy = t.plantedA
		}
		t.requests[Allowed] = reqs
		return true
	})

	// Conditional: Storage Blob Data Contributor on a storage account for a group of the
	// principal, with the named-container condition; read one blob, write another. Nothing of
	// the principal grants them unconditionally; strictly, nothing else includes them at all.
	search("storage account for the Conditional case", 500, 2000, func(strict bool) bool {
		sa := t.pick(t.byType["Microsoft.Storage/storageAccounts"])
		if len(t.scopes[sa].kids) == 0 {
			return false
		}
		c := t.scopes[t.pick(t.scopes[sa].kids)]
		base := c.id + "/blobs/"
		attrs := func(path string) []Attribute {
			return []Attribute{
				{"resource", "Microsoft.Storage/storageAccounts/blobServices/containers:name", c.name},
				{"resource", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path", path},
			}
		}
		reqs := [2]Request{
			{Case: Conditional, ResourceID: base + "reports/2024/q1-summary.csv", DataPlane: true, Action: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", Attributes: attrs("reports/2024/q1-summary.csv")},
			{Case: Conditional, ResourceID: base + "uploads/batch-0193.json", DataPlane: true, Action: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write", Attributes: attrs("uploads/batch-0193.json")},
		}
		for _, q := range reqs {
			o := t.outcome(ids, q)
			if len(o.denies) != 0 || len(o.uncond) != 0 || strict && len(o.grants)+len(o.conditional) != 0 {
				return false
			}
		}
		a := assignment{guid: t.guid(), principal: group(), role: blobContributor, scope: sa, created: t.date(), cond: fmt.Sprintf(condContainer, c.name)}
		t.mine = append(t.mine, len(t.assignments))
		t.assignments = append(t.assignments, a)
		t.plantedC = t.assignmentID(&a)
		for k := range reqs {
			reqs[k].DecidedBy = t.plantedC
		}
		t.requests[Conditional] = reqs
		return true
	})

	// Denied: a deployment stack's deny-delete at a resource group (everyone but a service
	// principal), where a group of the principal holds Contributor; strictly, no other deny
	// assignment applies.
	search("resource group for the Denied case", 500, 2000, func(strict bool) bool {
		rg := t.pick(t.rgs)
		res := t.resourcesOf(rg)
		if rg == allowedRG || len(res) < 2 {
			return false
		}
		r0, r1 := res[0], res[1]
		reqs := [2]Request{
			// the second in other letter case and with a trailing "/", as requests may come
			{Case: Denied, ResourceID: t.scopes[r0].id, Action: typeAction(r0, "delete")},
			{Case: Denied, ResourceID: strings.ToLower(t.scopes[r1].id) + "/", Action: strings.ToUpper(typeAction(r1, "delete"))},
		}
		if t.scopes[r0].rtype == t.scopes[r1].rtype {
			reqs[1].Action = "Microsoft.Resources/tags/delete"
		}
		for _, q := range reqs {
			if strict && len(t.outcome(ids, q).denies) != 0 {
				return false
			}
		}
		d := denyAssignment{guid: t.guid(), scope: rg, everyone: true, excluded: []int{t.pick(t.sps)},
			perms: []perm{{Actions: []string{"*/delete"}, NotActions: []string{}, DataActions: []string{}, NotDataActions: []string{}}},
			desc:  "Created by Deployment Stack"}
		d.name = fmt.Sprintf("Deny assignment '%s' created by Deployment Stack 'stack-protected'", d.guid)
		t.denies = append(t.denies, d)
		t.plantedD = t.denyID(&d)
		a := assignment{guid: t.guid(), principal: group(), role: contributor, scope: rg, created: t.date()}
		t.mine = append(t.mine, len(t.assignments))
		t.assignments = append(t.assignments, a)
		t.plantedDGrant = t.assignmentID(&a)
		for k := range reqs {
			reqs[k].DecidedBy = t.plantedD
		}
		t.requests[Denied] = reqs
		return true
	})

	// NoAssignment: operations on resources that some assignment of the principal covers
	// (so that the role check runs) but no role of the principal includes, and no deny applies.
	// Control-plane operations first; data-plane ones where the principal's roles leave none.
	mine := map[int]bool{}
	for _, a := range t.assignments {
		if slices.Contains(ids, a.principal) {
			mine[a.scope] = true
		}
	}
	covered := []int{}
	for _, r := range t.resources {
		for k := r; k >= 0; k = t.scopes[k].parent {
			if mine[k] || mine[0] {
				covered = append(covered, r)
				break
			}
		}
	}
	if len(covered) == 0 {
		covered = t.resources
	}
	control := []string{"Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/locks/delete", "Microsoft.Network/virtualNetworks/subnets/join/action",
		"Microsoft.Compute/virtualMachines/runCommand/action", "Microsoft.Storage/storageAccounts/regenerateKey/action", "Microsoft.KeyVault/vaults/deploy/action",
		"Microsoft.Sql/servers/databases/export/action", "Microsoft.Web/sites/publishxml/action"}
	data := []string{"Microsoft.KeyVault/vaults/keys/decrypt/action", "Microsoft.ContainerService/managedClusters/pods/exec/action",
		"Microsoft.Compute/virtualMachines/loginAsAdmin/action", "Microsoft.KeyVault/vaults/secrets/setSecret/action"}
	var noa []Request
	search("operations for the NoAssignment case", 1000, 5000, func(strict bool) bool {
		q := Request{Case: NoAssignment, ResourceID: t.scopes[t.pick(covered)].id, Action: control[t.rng.IntN(len(control))]}
		if !strict {
			q.DataPlane, q.Action = true, data[t.rng.IntN(len(data))]
		}
		if len(noa) == 1 && (noa[0].ResourceID == q.ResourceID || noa[0].Action == q.Action) {
			return false
		}
		o := t.outcome(ids, q)
		if len(o.denies) == 0 && len(o.grants) == 0 && len(o.conditional) == 0 {
			noa = append(noa, q)
		}
		return len(noa) == 2
	})
	t.requests[NoAssignment] = [2]Request{noa[0], noa[1]}

	// Every planted outcome, against the final tenant.
	for _, c := range Cases {
		for k := range t.requests[c] {
			q := &t.requests[c][k]
			o := t.outcome(ids, *q)
			var bad bool
			switch c {
			case Allowed:
				bad = len(o.denies) != 0 || !slices.Contains(o.grants, q.DecidedBy)
				q.Deciders = o.grants
			case Denied:
				bad = !slices.Contains(o.denies, q.DecidedBy) || !slices.Contains(o.uncond, t.plantedDGrant)
				q.Deciders = o.denies
			case NoAssignment:
				bad = len(o.denies) != 0 || len(o.grants) != 0 || len(o.conditional) != 0
			case Conditional:
				bad = len(o.denies) != 0 || len(o.uncond) != 0 || !slices.Contains(o.grants, q.DecidedBy)
				q.Deciders = o.grants
			}
			if bad {
				panic(fmt.Sprintf("tenantgen: planted %v request %+v: outcome %+v", c, *q, o))
			}
		}
	}
}

// ---- the naive evaluator the planted cases are checked with ----

type outcome struct {
	denies      []string // applying deny assignments
	grants      []string // granting assignments (with their conditions true, or none)
	uncond      []string // assignments that grant without any condition
	conditional []string // including assignments with a condition (true or not)
}

// outcome decides q for the principals ids the slow way, evaluating the conditions with abacc.
func (t *tenant) outcome(ids []int, q Request) outcome {
	var o outcome
	var attrs *abacc.Request
	holds := func(cond string) bool {
		if cond == "" {
			return true
		}
		if attrs == nil {
			attrs = abacc.NewRequest()
			attrs.SetAction(q.Action)
			for _, a := range q.Attributes {
				h, err := abacc.LookupAttr(a.Ref())
				if err != nil {
					panic(err)
				}
				if err := attrs.SetString(h, a.Value); err != nil {
					panic(err)
				}
			}
		}
		prog, ok := t.compiled[cond]
		if !ok {
			var err error
			if prog, err = abacc.Compile(cond); err != nil {
				panic(err)
			}
			t.compiled[cond] = prog
		}
		return prog.Eval(attrs)
	}
	rid := strings.ToLower(strings.TrimSuffix(q.ResourceID, "/"))
	for i := range t.denies {
		d := &t.denies[i]
		sid := strings.ToLower(t.scopes[d.scope].id)
		if d.childless && rid != sid || !d.childless && !t.covers(d.scope, rid) {
			continue
		}
		if !d.everyone && !meets(d.principals, ids) || meets(d.excluded, ids) {
			continue
		}
		for _, p := range d.perms {
			if permits(p, q) && holds(p.Condition) {
				o.denies = append(o.denies, t.denyID(d))
				break
			}
		}
	}
	for _, i := range t.mine {
		a := &t.assignments[i]
		if !slices.Contains(ids, a.principal) || !t.covers(a.scope, rid) {
			continue
		}
		incl, uncond, entryHolds := false, false, false
		for _, p := range t.roles[a.role].Permissions {
			if permits(p, q) {
				incl = true
				uncond = uncond || p.Condition == ""
				entryHolds = entryHolds || holds(p.Condition)
			}
		}
		if !incl {
			continue
		}
		id := t.assignmentID(a)
		if uncond && a.cond == "" {
			o.uncond = append(o.uncond, id)
		} else {
			o.conditional = append(o.conditional, id)
		}
		if entryHolds && holds(a.cond) {
			o.grants = append(o.grants, id)
		}
	}
	return o
}

func meets(a, b []int) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func permits(p perm, q Request) bool {
	allow, not := p.Actions, p.NotActions
	if q.DataPlane {
		allow, not = p.DataActions, p.NotDataActions
	}
	act := strings.ToLower(q.Action)
	hit := false
	for _, pat := range allow {
		hit = hit || glob(strings.ToLower(pat), act)
	}
	for _, pat := range not {
		if glob(strings.ToLower(pat), act) {
			return false
		}
	}
	return hit
}

// glob matches a whole-string pattern where "*" is any run of characters.
func glob(pat, s string) bool {
	px, sx, star, mark := 0, 0, -1, 0
	for sx < len(s) {
		switch {
		case px < len(pat) && pat[px] == '*':
			star, mark = px, sx
			px++
		case px < len(pat) && pat[px] == s[sx]:
			px++
			sx++
		case star >= 0:
			px, mark = star+1, mark+1
			sx = mark
		default:
			return false
		}
	}
	for px < len(pat) && pat[px] == '*' {
		px++
	}
	return px == len(pat)
}

// covers reports whether scope i covers the (folded) resource id rid.
func (t *tenant) covers(i int, rid string) bool {
	rid = strings.ToLower(strings.TrimSuffix(rid, "/"))
	s := &t.scopes[i]
	if s.kind == kindRoot {
		return true
	}
	sid := strings.ToLower(s.id)
	if rid == sid || strings.HasPrefix(rid, sid+"/") {
		return true
	}
	if s.kind != kindMG {
		return false
	}
	// a management group above the resource's subscription (or above a management group)
	var at int = -1
	if rest, ok := strings.CutPrefix(rid, "/subscriptions/"); ok {
		sub, _, _ := strings.Cut(rest, "/")
		if k, ok := t.bySub[sub]; ok {
			at = k
		}
	} else if rest, ok := strings.CutPrefix(rid, "/providers/microsoft.management/managementgroups/"); ok {
		name, _, _ := strings.Cut(rest, "/")
		for _, m := range t.mgs {
			if strings.ToLower(t.scopes[m].name) == name {
				at = m
			}
		}
	}
	for at >= 0 {
		if at == i {
			return true
		}
		at = t.scopes[at].parent
	}
	return false
}

// ---- the documents ----

func (t *tenant) assignmentID(a *assignment) string {
	s := t.scopes[a.scope].id
	if s == "/" {
		s = ""
	}
	return s + "/providers/Microsoft.Authorization/roleAssignments/" + a.guid
}

func (t *tenant) denyID(d *denyAssignment) string {
	return t.scopes[d.scope].id + "/providers/Microsoft.Authorization/denyAssignments/" + d.guid
}

func marshal(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

func (t *tenant) rolesJSON() []byte {
	// az role definition list prints subscription-qualified ids (the current subscription).
	cur := t.scopes[t.subs[0]].id
	out := make([]roleDef, len(t.roles))
	for i, r := range t.roles {
		r.ID = cur + "/providers/Microsoft.Authorization/roleDefinitions/" + r.Name
		out[i] = r
	}
	return marshal(out)
}

type assignmentJSON struct {
	CanDelegate        *bool   `json:"canDelegate"`
	Condition          *string `json:"condition"`
	ConditionVersion   *string `json:"conditionVersion"`
	CreatedBy          string  `json:"createdBy"`
	CreatedOn          string  `json:"createdOn"`
	DelegatedMI        *string `json:"delegatedManagedIdentityResourceId"`
	Description        string  `json:"description"`
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	PrincipalID        string  `json:"principalId"`
	PrincipalName      string  `json:"principalName"`
	PrincipalType      string  `json:"principalType"`
	ResourceGroup      string  `json:"resourceGroup,omitempty"`
	RoleDefinitionID   string  `json:"roleDefinitionId"`
	RoleDefinitionName string  `json:"roleDefinitionName"`
	Scope              string  `json:"scope"`
	Type               string  `json:"type"`
	UpdatedBy          string  `json:"updatedBy"`
	UpdatedOn          string  `json:"updatedOn"`
}

func (t *tenant) assignmentsJSON() []byte {
	cur := t.scopes[t.subs[0]].id
	creator := t.principals[t.users[0]].id
	out := make([]assignmentJSON, len(t.assignments))
	for i := range t.assignments {
		a := &t.assignments[i]
		s := &t.scopes[a.scope]
		p := &t.principals[a.principal]
		r := &t.roles[a.role]
		sub := cur
		if s.sub >= 0 {
			sub = t.scopes[s.sub].id
		}
		j := assignmentJSON{
			CreatedBy: creator, CreatedOn: a.created, ID: t.assignmentID(a), Name: a.guid,
			PrincipalID: p.id, PrincipalName: p.name, PrincipalType: p.typ,
			RoleDefinitionID:   sub + "/providers/Microsoft.Authorization/roleDefinitions/" + r.Name,
			RoleDefinitionName: r.RoleName, Scope: s.id, Type: "Microsoft.Authorization/roleAssignments",
			UpdatedBy: creator, UpdatedOn: a.created,
		}
		if a.cond != "" {
			c, v := a.cond, "2.0"
			j.Condition, j.ConditionVersion = &c, &v
		}
		for k := a.scope; k >= 0; k = t.scopes[k].parent {
			if t.scopes[k].kind == kindRG {
				j.ResourceGroup = t.scopes[k].name
				break
			}
			if t.scopes[k].kind <= kindSub {
				break
			}
		}
		out[i] = j
	}
	return marshal(out)
}

type principalRef struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type denyJSON struct {
	Properties struct {
		DenyAssignmentName      string         `json:"denyAssignmentName"`
		Description             string         `json:"description"`
		Permissions             []perm         `json:"permissions"`
		Scope                   string         `json:"scope"`
		DoNotApplyToChildScopes bool           `json:"doNotApplyToChildScopes"`
		Principals              []principalRef `json:"principals"`
		ExcludePrincipals       []principalRef `json:"excludePrincipals"`
		IsSystemProtected       bool           `json:"isSystemProtected"`
	} `json:"properties"`
	ID   string `json:"id"`
	Type string `json:"type"`
	Name string `json:"name"`
}

func (t *tenant) denyJSON() []byte {
	out := make([]denyJSON, len(t.denies))
	ref := func(i int) principalRef { return principalRef{t.principals[i].id, t.principals[i].typ} }
	for i := range t.denies {
		d := &t.denies[i]
		var j denyJSON
		j.ID, j.Name, j.Type = t.denyID(d), d.guid, "Microsoft.Authorization/denyAssignments"
		pr := &j.Properties
		pr.DenyAssignmentName, pr.Description, pr.Permissions = d.name, d.desc, d.perms
		pr.Scope, pr.DoNotApplyToChildScopes, pr.IsSystemProtected = t.scopes[d.scope].id, d.childless, true
		pr.Principals, pr.ExcludePrincipals = []principalRef{}, []principalRef{}
		if d.everyone {
			pr.Principals = append(pr.Principals, principalRef{everyoneID, "SystemDefined"})
		}
		for _, p := range d.principals {
			pr.Principals = append(pr.Principals, ref(p))
		}
		for _, p := range d.excluded {
			pr.ExcludePrincipals = append(pr.ExcludePrincipals, ref(p))
		}
		out[i] = j
	}
	return marshal(map[string]any{"value": out})
}

func (t *tenant) hierarchyJSON() []byte {
	h := map[string]string{}
	for _, i := range append(slices.Clone(t.mgs), t.subs...) {
		if p := t.scopes[i].parent; p >= 0 {
			h[t.scopes[i].id] = t.scopes[p].id
		}
	}
	return marshal(h)
}
