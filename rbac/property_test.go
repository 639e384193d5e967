// Property-based tests of the RBAC engine (github.com/leanovate/gopter): the indexed Engine
// must decide exactly like Reference, the literal transcription of rbac.md's "The decision".
//
// Tenants are generated over a small universe so that everything collides: two subscriptions,
// a few resource groups and resources whose scopes come in several spellings (letter case,
// trailing "/", a Kelvin sign K that folds to k), a blob path under a container, up to three
// management groups in a hierarchy that leaves a subscription out, the root scope; principals
// and groups from a pool of eight GUIDs; role definitions whose permission entries draw
// patterns with wildcards in both planes and Not-lists; role assignments and deny assignments
// (All Principals, exclusions, doNotApplyToChildScopes) with conditions from a pool whose truth
// depends on the request's attributes. Each tenant is checked with reqsPerTenant requests.
//
//   - TestRBACPropertyEngineEqualsReference: for every request, (a) Decide's Allowed and Reason
//     equal the reference's, DecidedBy is one of the reference's deciders (or "" when nothing
//     decided), Decide's ConditionFailed is among the reference's and equals it on
//     ConditionNotMet; (b) Explain's decision agrees the same way and its ConditionFailed equals
//     the reference's always; (c) one Request reused across all of a tenant's requests, and
//     across two engines of the same tenant (roles in opposite order), decides like the fresh
//     one; (d) Who agrees with the reference for each principal id it lists (allowed: allowed,
//     or denied only by a deny assignment it listed under deniedIf; blocked: denied by a deny
//     assignment, its blockedBy among them; conditional: some assignment includes the
//     operation) and for each assignment principal it does not list (no assignment includes
//     the operation).
//   - TestRBACPropertyGeneratorCoverage: the generator reaches every reason, multi-decider
//     decisions and every kind of request, so that the property does not pass vacuously.
//
// CI runs 5,000 decisions; big runs:
//
//	go test ./rbac -run TestRBACProperty -rbac.cases=500000
//	RBAC_PROP_CASES=500000 go test ./rbac -run TestRBACProperty
//
// RBAC_PROP_SEED=n fixes the seed (and runs on one worker, so that a run is reproducible). A
// failure prints the shrunk tenant, principals and requests.
package rbac_test

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/rbac"
)

var flagRBACCases = flag.Int("rbac.cases", 0,
	"number of generated decisions checked by the RBAC property test (default 5000; env RBAC_PROP_CASES)")

const (
	defaultRBACCases = 5000
	reqsPerTenant    = 8
)

func rbacCases() int {
	if *flagRBACCases > 0 {
		return *flagRBACCases
	}
	if s := os.Getenv("RBAC_PROP_CASES"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return defaultRBACCases
}

func rbacPropParameters(t *testing.T, cases int) *gopter.TestParameters {
	params := gopter.DefaultTestParameters()
	workers := runtime.GOMAXPROCS(0)
	if s := os.Getenv("RBAC_PROP_SEED"); s != "" {
		seed, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("RBAC_PROP_SEED: %v", err)
		}
		params.SetSeed(seed)
		workers = 1
	}
	params.MinSuccessfulTests = (cases + reqsPerTenant - 1) / reqsPerTenant
	params.MinSize, params.MaxSize = 0, 100
	params.Workers = workers
	params.MaxShrinkCount = 5000
	return params
}

// ---------------------------------------------------------------------------------------------
// The universe.

const (
	sub1 = "5a1e0000-0000-4000-8000-000000000001"
	sub2 = "5a1e0000-0000-4000-8000-000000000002"
	sub3 = "5a1e0000-0000-4000-8000-000000000003" // in no hierarchy, no assignment
	mgP  = "/providers/Microsoft.Management/managementGroups/"
	rg1  = "/subscriptions/" + sub1 + "/resourceGroups/RG1"
	sa1  = rg1 + "/providers/Microsoft.Storage/storageAccounts/sa1"
	cont = sa1 + "/blobServices/default/containers/"
)

// mgNames are the management groups; in a hierarchy, group i's parent is a group j < i.
var mgNames = []string{"Root", "Contoso", "Dev"}

// mgScope spells management group i (variant 1: another case, trailing "/").
func mgScope(i int, variant bool) string {
	if variant {
		return "/providers/microsoft.management/MANAGEMENTGROUPS/" + strings.ToLower(mgNames[i]) + "/"
	}
	return mgP + mgNames[i]
}

// subScope spells subscription i (0 or 1).
func subScope(i int, variant bool) string {
	s := []string{sub1, sub2}[i]
	if variant {
		return "/SUBSCRIPTIONS/" + strings.ToUpper(s) + "/"
	}
	return "/subscriptions/" + s
}

// scopePool holds the scopes of assignments and deny assignments (index 0 is the simplest).
var scopePool = []string{
	"/",
	"/subscriptions/" + sub1,
	"/SUBSCRIPTIONS/" + strings.ToUpper(sub1) + "/",
	rg1,
	"/subscriptions/" + sub1 + "/resourcegroups/rg1/",
	"/subscriptions/" + sub1 + "/resourceGroups/RG10",
	rg1 + "/providers/Microsoft.Compute/disks/disk1",
	"/subscriptions/" + sub1 + "/resourceGroups/rg1/providers/microsoft.compute/DISKS/Disk1/",
	sa1,
	cont + "scans",
	"/subscriptions/" + sub1 + "/resourceGroups/rg-\u212A", // Kelvin sign: folds to k
	"/subscriptions/" + sub2,
	"/subscriptions/" + sub2 + "/resourceGroups/RG1",
	mgP + "Root",
	mgP + "Contoso",
	"/providers/microsoft.management/managementgroups/contoso/",
	mgP + "Dev",
}

// resourcePool holds the resource ids of requests: every scope, and more.
var resourcePool = append(slices.Clone(scopePool),
	cont+"scans/blobs/dir/file.txt",
	strings.ToLower(cont)+"SCANS/blobs/a/b/c",
	cont+"other/blobs/report.txt",
	cont+"scans/",
	"/subscriptions/"+sub1+"/resourceGroups/RG-k",
	"/subscriptions/"+sub1+"/resourceGroups/rg-K/providers/Microsoft.Compute/disks/d",
	"/subscriptions/"+sub1+"/resourceGroups/RG1/providers/Microsoft.Compute/disks/disk1/snapshots/s",
	"/subscriptions/"+sub1+"/resourceGroups/RG10/providers/Microsoft.Compute/disks/disk1",
	"/subscriptions/"+strings.ToUpper(sub2)+"/resourcegroups/rg1/providers/Microsoft.Compute/disks/x",
	"/subscriptions/"+sub3+"/resourceGroups/RG1",
	"/subscriptions/"+sub3,
	mgP+"Dev/providers/Microsoft.Authorization/roleDefinitions/x",
	mgP+"Other",
	"/providers/Microsoft.Management/managementGroups",
	"/subscriptions",
	"/subscriptions/"+sub1+"/resourceGroups",
)

// patternPool holds the patterns of permission entries (index 0 is the simplest).
var patternPool = []string{
	"*",
	"*/read",
	"Microsoft.Compute/*",
	"Microsoft.Compute/disks/*",
	"Microsoft.Compute/disks/download/action",
	"microsoft.compute/DISKS/read",
	"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*",
	"x/*/read",
	"*/action",
	"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
	"*/write",
	"Microsoft.Storage/*/read",
	"Microsoft.Compute/*/read",
	"**",
	"*read",
	"x/*",
	"MICROSOFT.STORAGE/STORAGEACCOUNTS/BLOBSERVICES/CONTAINERS/BLOBS/TAGS/*",
	"Microsoft.Compute/dis\u212As/*",
	"*/disks/*",
	"Microsoft.Storage/storageAccounts/*",
}

// actionPool holds the requests' actions (either plane).
var actionPool = []string{
	"Microsoft.Compute/disks/read",
	"microsoft.compute/DISKS/READ",
	"Microsoft.Compute/disks/write",
	"Microsoft.Compute/disks/download/action",
	"Microsoft.Compute/virtualMachines/start/action",
	"Microsoft.Compute/disks/beginGetAccess/action",
	"Microsoft.Storage/storageAccounts/read",
	"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
	"microsoft.storage/storageaccounts/blobservices/containers/blobs/READ",
	"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
	"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/read",
	"Microsoft.Authorization/roleAssignments/write",
	"x/read",
	"x/y/read",
	"X/Y/Z/READ",
	"Microsoft.Compute/dis\u212As/read",
	"Micro\u017Ft.Compute/disks/read", // long s: folds to s
	"read",
	"x/action",
}

const (
	attrContainer = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]"
	attrLink      = "@Environment[isPrivateLink]"
	blobRead      = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
)

// condPool holds the conditions; a condition index c > 0 means condPool[c-1], 0 none.
var condPool = []string{
	attrContainer + " StringEquals 'scans'",
	"(!(ActionMatches{'" + blobRead + "'})) OR (" + attrContainer + " StringEquals 'scans')",
	attrLink + " BoolEquals true",
	"ActionMatches{'Microsoft.Compute/*'}",
	attrContainer + " StringNotEquals 'scans'",
	"Exists " + attrContainer,
	"!(ActionMatches{'*/write'}) AND " + attrLink + " BoolNotEquals false",
	attrContainer + " StringEqualsIgnoreCase 'SCANS' OR " + attrLink + " BoolEquals true",
}

// principalGUID is the object id of principal i of the pool, spelled as variant v (0 canonical,
// 1 upper case, 2 without hyphens).
func principalGUID(i, v int) string {
	s := fmt.Sprintf("%08x-0000-4000-8000-%012x", 0xa0+i, 0xa0+i)
	switch v % 3 {
	case 1:
		s = strings.ToUpper(s)
	case 2:
		s = strings.ReplaceAll(s, "-", "")
	}
	return s
}

const principalPool = 8

func roleGUID(i int) string { return fmt.Sprintf("0000000%d-7e1e-4000-8000-00000000000%d", i, i) }

// ---------------------------------------------------------------------------------------------
// Generated cases: small integers into the pools, so that shrinking gives small tenants.

type entrySpec struct {
	Lists [4][]int // actions, notActions, dataActions, notDataActions: patternPool indices
	Cond  int      // 0 none, else condPool[Cond-1]
}

type roleSpec struct {
	Entries []entrySpec
	QualID  bool // subscription-qualified roleDefinitionId
}

type assignSpec struct {
	Principal int // principal pool index
	Role      int // index into the case's roles
	Scope     int // scopePool index
	Cond      int
	Variant   int // GUID spelling
}

type denySpec struct {
	Scope      int
	Exact      bool  // doNotApplyToChildScopes
	Principals []int // 0 Everyone, else principal pool index + 1
	Excludes   []int // likewise
	Entries    []entrySpec
	Cond       int
}

type principalSpec struct {
	ID      int
	Groups  []int
	Variant int
}

type reqSpec struct {
	Principal principalSpec
	Plane     rbac.Plane
	Action    int // actionPool index
	Resource  int // resourcePool index
	Container int // 0 absent, 1 'scans', 2 'other', 3 'Scans'
	Link      int // 0 absent, 1 true, 2 false
	JSON      bool
	Partial   int // 0 complete, 1 no resource, 2 no action
}

type rbacCase struct {
	MGs       int    // management groups in the hierarchy (0..3)
	MGParent  [3]int // parent of group i: -1 none, else a group j < i
	SubParent [2]int // -1 absent from the hierarchy, else a group < MGs
	Variants  uint32 // spellings of the hierarchy's scopes (bit per occurrence)
	Roles     []roleSpec
	Assigns   []assignSpec
	Denies    []denySpec
	Reqs      []reqSpec
}

func (c *rbacCase) clone() *rbacCase {
	d := *c
	d.Roles = make([]roleSpec, len(c.Roles))
	for i, r := range c.Roles {
		d.Roles[i] = roleSpec{Entries: cloneEntries(r.Entries), QualID: r.QualID}
	}
	d.Assigns = slices.Clone(c.Assigns)
	d.Denies = make([]denySpec, len(c.Denies))
	for i, x := range c.Denies {
		x.Principals, x.Excludes = slices.Clone(x.Principals), slices.Clone(x.Excludes)
		x.Entries = cloneEntries(x.Entries)
		d.Denies[i] = x
	}
	d.Reqs = make([]reqSpec, len(c.Reqs))
	for i, q := range c.Reqs {
		q.Principal.Groups = slices.Clone(q.Principal.Groups)
		d.Reqs[i] = q
	}
	return &d
}

func cloneEntries(es []entrySpec) []entrySpec {
	out := make([]entrySpec, len(es))
	for i, e := range es {
		for k := range e.Lists {
			e.Lists[k] = slices.Clone(e.Lists[k])
		}
		out[i] = e
	}
	return out
}

func mustGUID(s string) rbac.GUID {
	g, err := rbac.ParseGUID(s)
	if err != nil {
		panic(err)
	}
	return g
}

func (e entrySpec) permission() rbac.Permission {
	var p rbac.Permission
	lists := [4]*[]string{&p.Actions, &p.NotActions, &p.DataActions, &p.NotDataActions}
	for k, l := range e.Lists {
		for _, i := range l {
			*lists[k] = append(*lists[k], patternPool[i])
		}
	}
	if e.Cond > 0 {
		p.Condition = condPool[e.Cond-1]
	}
	return p
}

func principalOf(i int) rbac.GUID {
	if i == 0 {
		return rbac.Everyone
	}
	return mustGUID(principalGUID(i-1, i))
}

// tenant builds the case's tenant.
func (c *rbacCase) tenant() *rbac.Tenant {
	t := &rbac.Tenant{}
	bit := 0
	variant := func() bool { bit++; return c.Variants>>(bit-1)&1 != 0 }
	if c.MGs > 0 || c.SubParent != [2]int{-1, -1} {
		t.Parents = map[string]string{}
	}
	for i := 0; i < c.MGs; i++ {
		if j := c.MGParent[i]; j >= 0 {
			t.Parents[mgScope(i, variant())] = mgScope(j, variant())
		}
	}
	for i, j := range c.SubParent {
		if j >= 0 {
			t.Parents[subScope(i, variant())] = mgScope(j, variant())
		}
	}
	if len(t.Parents) == 0 {
		t.Parents = nil
	}
	for i, r := range c.Roles {
		g := roleGUID(i)
		id := "/providers/Microsoft.Authorization/roleDefinitions/" + g
		if r.QualID {
			id = "/subscriptions/" + sub1 + id
		}
		rd := rbac.RoleDefinition{ID: id, GUID: mustGUID(g), RoleName: fmt.Sprintf("role%d", i), Custom: true,
			AssignableScopes: []string{"/"}}
		for _, e := range r.Entries {
			rd.Permissions = append(rd.Permissions, e.permission())
		}
		t.Roles = append(t.Roles, rd)
	}
	for i, a := range c.Assigns {
		ra := rbac.RoleAssignment{
			ID:               fmt.Sprintf("ra%d", i),
			PrincipalID:      mustGUID(principalGUID(a.Principal, a.Variant)),
			RoleDefinitionID: t.Roles[a.Role].ID,
			RoleGUID:         t.Roles[a.Role].GUID,
			Scope:            scopePool[a.Scope],
		}
		if a.Cond > 0 {
			ra.Condition = condPool[a.Cond-1]
		}
		t.Assignments = append(t.Assignments, ra)
	}
	for i, d := range c.Denies {
		da := rbac.DenyAssignment{ID: fmt.Sprintf("da%d", i), Name: fmt.Sprintf("deny %d", i), Scope: scopePool[d.Scope],
			DoNotApplyToChildScopes: d.Exact}
		for _, p := range d.Principals {
			da.Principals = append(da.Principals, principalOf(p))
		}
		for _, p := range d.Excludes {
			da.ExcludePrincipals = append(da.ExcludePrincipals, principalOf(p))
		}
		for _, e := range d.Entries {
			da.Permissions = append(da.Permissions, e.permission())
		}
		if d.Cond > 0 {
			da.Condition = condPool[d.Cond-1]
		}
		t.Deny = append(t.Deny, da)
	}
	return t
}

func (p principalSpec) principal() *rbac.Principal {
	pr := &rbac.Principal{ID: mustGUID(principalGUID(p.ID, p.Variant))}
	for k, g := range p.Groups {
		pr.GroupIDs = append(pr.GroupIDs, mustGUID(principalGUID(g, p.Variant+k)))
	}
	return pr
}

var (
	handleContainer, handleLink abacc.Attr
)

func init() {
	var err error
	if handleContainer, err = abacc.LookupAttr(attrContainer); err != nil {
		panic(err)
	}
	if handleLink, err = abacc.LookupAttr(attrLink); err != nil {
		panic(err)
	}
}

var containerNames = []string{"", "scans", "other", "Scans"}

func (q *reqSpec) action() string { return actionPool[q.Action] }

func (q *reqSpec) attributesJSON() string {
	var parts []string
	if q.Container > 0 {
		parts = append(parts, fmt.Sprintf(`"resource":{%q:%q}`, strings.TrimSuffix(strings.TrimPrefix(attrContainer, "@Resource["), "]"), containerNames[q.Container]))
	}
	if q.Link > 0 {
		parts = append(parts, fmt.Sprintf(`"environment":{"isPrivateLink":%v}`, q.Link == 1))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// load sets the request (fresh or reused) to q: attributes first (typed setters or JSON), then
// the operation and the resource.
func (q *reqSpec) load(r *rbac.Request) error {
	act := q.action()
	attrs := r.Attributes()
	if q.JSON {
		if err := attrs.UnmarshalJSONWithAction([]byte(q.attributesJSON()), act); err != nil {
			return err
		}
	} else {
		attrs.Reset()
		if q.Container > 0 {
			if err := attrs.SetString(handleContainer, containerNames[q.Container]); err != nil {
				return err
			}
		}
		if q.Link > 0 {
			if err := attrs.SetBool(handleLink, q.Link == 1); err != nil {
				return err
			}
		}
	}
	if q.Partial == 2 {
		act = ""
	}
	r.SetOperation(q.Plane, act)
	if q.Partial != 1 {
		if err := r.SetResource(resourcePool[q.Resource]); err != nil {
			return err
		}
	}
	return nil
}

// ---------------------------------------------------------------------------------------------
// Generation.

func genEntry(r *rand.Rand, forDeny bool) entrySpec {
	var e entrySpec
	pat := func() int {
		// Favour the first patterns a little (the common shapes), reach all of them.
		if r.Intn(3) == 0 {
			return r.Intn(6)
		}
		return r.Intn(len(patternPool))
	}
	// Mostly one plane per entry, sometimes both.
	planes := r.Intn(5) // 0,1: control; 2,3: data; 4: both
	for k := 0; k < 4; k++ {
		data := k >= 2
		if planes != 4 && data != (planes >= 2) {
			continue
		}
		n := 0
		if k%2 == 0 {
			n = 1 + r.Intn(3)
		} else if r.Intn(3) == 0 {
			n = 1 + r.Intn(2)
		}
		for i := 0; i < n; i++ {
			e.Lists[k] = append(e.Lists[k], pat())
		}
	}
	p := 4
	if forDeny {
		p = 5
	}
	if r.Intn(p) == 0 {
		e.Cond = 1 + r.Intn(len(condPool))
	}
	return e
}

func genSubset(r *rand.Rand, n, max int) []int {
	var out []int
	for i := 0; i < n; i++ {
		out = append(out, r.Intn(max))
	}
	return out
}

func genRBACCase(nreqs int) gopter.Gen {
	return func(p *gopter.GenParameters) *gopter.GenResult {
		r := p.Rng
		c := &rbacCase{MGs: 1 + r.Intn(3), MGParent: [3]int{-1, -1, -1}, SubParent: [2]int{-1, -1}, Variants: r.Uint32()}
		if r.Intn(5) == 0 {
			c.MGs = 0
		}
		for i := 1; i < c.MGs; i++ {
			if r.Intn(4) != 0 {
				c.MGParent[i] = r.Intn(i)
			}
		}
		if c.MGs > 0 {
			// Usually one subscription in the hierarchy and one absent from it.
			for i := range c.SubParent {
				if r.Intn(3) != 0 {
					c.SubParent[i] = r.Intn(c.MGs)
				}
			}
		}
		if r.Intn(4) != 0 {
			// A management group is in the hierarchy only as a child or a parent: make sure
			// the groups appear in it.
			for i := 1; i < c.MGs; i++ {
				if c.MGParent[i] < 0 {
					c.MGParent[i] = r.Intn(i)
				}
			}
		}
		nPrincipals := 4 + r.Intn(principalPool-3) // principals and groups in play: 4..8
		nRoles := 3 + r.Intn(6)
		for i := 0; i < nRoles; i++ {
			rs := roleSpec{QualID: r.Intn(4) == 0}
			for n := 1 + r.Intn(3); n > 0; n-- {
				rs.Entries = append(rs.Entries, genEntry(r, false))
			}
			c.Roles = append(c.Roles, rs)
		}
		scope := func() int {
			// Broad scopes (root, subscription, resource group) half of the time.
			if r.Intn(2) == 0 {
				return r.Intn(5)
			}
			return r.Intn(len(scopePool))
		}
		for n := r.Intn(13); n > 0; n-- {
			a := assignSpec{Principal: r.Intn(nPrincipals), Role: r.Intn(nRoles), Scope: scope(), Variant: r.Intn(3)}
			if r.Intn(3) == 0 {
				a.Cond = 1 + r.Intn(len(condPool))
			}
			c.Assigns = append(c.Assigns, a)
		}
		for n := r.Intn(4); n > 0; n-- {
			d := denySpec{Scope: scope(), Exact: r.Intn(5) == 0}
			if r.Intn(2) == 0 {
				d.Principals = append(d.Principals, 0)
			}
			for m := r.Intn(3); m > 0; m-- {
				d.Principals = append(d.Principals, 1+r.Intn(nPrincipals))
			}
			for m := r.Intn(3) - 1; m > 0; m-- {
				d.Excludes = append(d.Excludes, r.Intn(nPrincipals+1))
			}
			for m := 1 + r.Intn(2); m > 0; m-- {
				d.Entries = append(d.Entries, genEntry(r, true))
			}
			if r.Intn(4) == 0 {
				d.Cond = 1 + r.Intn(len(condPool))
			}
			c.Denies = append(c.Denies, d)
		}
		for i := 0; i < nreqs; i++ {
			q := reqSpec{
				Principal: principalSpec{ID: r.Intn(nPrincipals), Variant: r.Intn(3)},
				Plane:     rbac.Plane(r.Intn(2)),
				Action:    r.Intn(len(actionPool)),
				Resource:  r.Intn(len(resourcePool)),
				Container: r.Intn(len(containerNames)),
				Link:      r.Intn(3),
				JSON:      r.Intn(2) == 0,
			}
			if len(c.Assigns) > 0 && r.Intn(3) != 0 {
				// Mostly a principal holding an assignment.
				q.Principal.ID = c.Assigns[r.Intn(len(c.Assigns))].Principal
			}
			q.Principal.Groups = genSubset(r, r.Intn(4), nPrincipals)
			if r.Intn(40) == 0 {
				q.Partial = 1 + r.Intn(2)
			}
			c.Reqs = append(c.Reqs, q)
		}
		return gopter.NewGenResult(c, shrinkRBACCase)
	}
}

// ---------------------------------------------------------------------------------------------
// Shrinking: drop elements, clear conditions and attributes, simplify indices; every candidate
// is a valid tenant.

func shrinkRBACCase(v interface{}) gopter.Shrink {
	c := v.(*rbacCase)
	var cands []*rbacCase
	add := func(f func(d *rbacCase) bool) {
		d := c.clone()
		if f(d) {
			cands = append(cands, d)
		}
	}
	for i := range c.Reqs {
		if len(c.Reqs) > 1 {
			add(func(d *rbacCase) bool { d.Reqs = slices.Delete(d.Reqs, i, i+1); return true })
		}
	}
	for i := range c.Assigns {
		add(func(d *rbacCase) bool { d.Assigns = slices.Delete(d.Assigns, i, i+1); return true })
	}
	for i := range c.Denies {
		add(func(d *rbacCase) bool { d.Denies = slices.Delete(d.Denies, i, i+1); return true })
	}
	for i := range c.Roles {
		if len(c.Roles) == 1 {
			break
		}
		add(func(d *rbacCase) bool {
			d.Roles = slices.Delete(d.Roles, i, i+1)
			var as []assignSpec
			for _, a := range d.Assigns {
				if a.Role == i {
					continue
				}
				if a.Role > i {
					a.Role--
				}
				as = append(as, a)
			}
			d.Assigns = as
			return true
		})
	}
	if c.MGs > 0 {
		add(func(d *rbacCase) bool {
			d.MGs--
			for i := range d.MGParent {
				if i >= d.MGs || d.MGParent[i] >= d.MGs {
					d.MGParent[i] = -1
				}
			}
			for i := range d.SubParent {
				if d.SubParent[i] >= d.MGs {
					d.SubParent[i] = -1
				}
			}
			return true
		})
	}
	for i := range c.MGParent {
		add(func(d *rbacCase) bool { ok := d.MGParent[i] >= 0; d.MGParent[i] = -1; return ok })
	}
	for i := range c.SubParent {
		add(func(d *rbacCase) bool { ok := d.SubParent[i] >= 0; d.SubParent[i] = -1; return ok })
	}
	add(func(d *rbacCase) bool { ok := d.Variants != 0; d.Variants = 0; return ok })
	for i := range c.Assigns {
		add(func(d *rbacCase) bool { ok := d.Assigns[i].Cond != 0; d.Assigns[i].Cond = 0; return ok })
		add(func(d *rbacCase) bool { ok := d.Assigns[i].Scope != 0; d.Assigns[i].Scope = 0; return ok })
		add(func(d *rbacCase) bool { ok := d.Assigns[i].Variant != 0; d.Assigns[i].Variant = 0; return ok })
		add(func(d *rbacCase) bool { ok := d.Assigns[i].Principal != 0; d.Assigns[i].Principal = 0; return ok })
	}
	for i := range c.Roles {
		add(func(d *rbacCase) bool { ok := d.Roles[i].QualID; d.Roles[i].QualID = false; return ok })
		shrinkEntries(c.Roles[i].Entries, func(f func(es *[]entrySpec) bool) {
			add(func(d *rbacCase) bool { return f(&d.Roles[i].Entries) })
		})
	}
	for i := range c.Denies {
		add(func(d *rbacCase) bool { ok := d.Denies[i].Cond != 0; d.Denies[i].Cond = 0; return ok })
		add(func(d *rbacCase) bool { ok := d.Denies[i].Exact; d.Denies[i].Exact = false; return ok })
		add(func(d *rbacCase) bool { ok := d.Denies[i].Scope != 0; d.Denies[i].Scope = 0; return ok })
		for j := range c.Denies[i].Principals {
			add(func(d *rbacCase) bool {
				d.Denies[i].Principals = slices.Delete(d.Denies[i].Principals, j, j+1)
				return true
			})
		}
		for j := range c.Denies[i].Excludes {
			add(func(d *rbacCase) bool {
				d.Denies[i].Excludes = slices.Delete(d.Denies[i].Excludes, j, j+1)
				return true
			})
		}
		shrinkEntries(c.Denies[i].Entries, func(f func(es *[]entrySpec) bool) {
			add(func(d *rbacCase) bool { return f(&d.Denies[i].Entries) })
		})
	}
	for i := range c.Reqs {
		q := &c.Reqs[i]
		add(func(d *rbacCase) bool { ok := d.Reqs[i].Container != 0; d.Reqs[i].Container = 0; return ok })
		add(func(d *rbacCase) bool { ok := d.Reqs[i].Link != 0; d.Reqs[i].Link = 0; return ok })
		add(func(d *rbacCase) bool { ok := d.Reqs[i].JSON; d.Reqs[i].JSON = false; return ok })
		add(func(d *rbacCase) bool {
			ok := d.Reqs[i].Principal.Variant != 0
			d.Reqs[i].Principal.Variant = 0
			return ok
		})
		add(func(d *rbacCase) bool { ok := d.Reqs[i].Principal.ID != 0; d.Reqs[i].Principal.ID = 0; return ok })
		add(func(d *rbacCase) bool { ok := d.Reqs[i].Resource != 0; d.Reqs[i].Resource = 0; return ok })
		add(func(d *rbacCase) bool { ok := d.Reqs[i].Action != 0; d.Reqs[i].Action = 0; return ok })
		add(func(d *rbacCase) bool { ok := d.Reqs[i].Plane != 0; d.Reqs[i].Plane = 0; return ok })
		add(func(d *rbacCase) bool { ok := d.Reqs[i].Partial != 0; d.Reqs[i].Partial = 0; return ok })
		for j := range q.Principal.Groups {
			add(func(d *rbacCase) bool {
				d.Reqs[i].Principal.Groups = slices.Delete(d.Reqs[i].Principal.Groups, j, j+1)
				return true
			})
		}
	}
	return sliceShrinkRBAC(cands)
}

func shrinkEntries(es []entrySpec, add func(func(es *[]entrySpec) bool)) {
	for j := range es {
		add(func(p *[]entrySpec) bool { *p = slices.Delete(*p, j, j+1); return true })
		add(func(p *[]entrySpec) bool { ok := (*p)[j].Cond != 0; (*p)[j].Cond = 0; return ok })
		for k := range es[j].Lists {
			for m := range es[j].Lists[k] {
				add(func(p *[]entrySpec) bool {
					(*p)[j].Lists[k] = slices.Delete((*p)[j].Lists[k], m, m+1)
					return true
				})
				add(func(p *[]entrySpec) bool { ok := (*p)[j].Lists[k][m] != 0; (*p)[j].Lists[k][m] = 0; return ok })
			}
		}
	}
}

func sliceShrinkRBAC(cands []*rbacCase) gopter.Shrink {
	i := 0
	return func() (interface{}, bool) {
		if i >= len(cands) {
			return nil, false
		}
		i++
		return cands[i-1], true
	}
}

// ---------------------------------------------------------------------------------------------
// Printing: the tenant, principals and requests, readably.

// show prints a scope as is, or quoted with escapes when it is not ASCII (a Kelvin sign K
// must not pass for a K).
func show(s string) string {
	if q := strconv.QuoteToASCII(s); q != strconv.Quote(s) {
		return q
	}
	return s
}

func principalName(i int) string { return fmt.Sprintf("p%d", i) }

func entryString(e entrySpec) string {
	names := [4]string{"actions", "notActions", "dataActions", "notDataActions"}
	var parts []string
	for k, l := range e.Lists {
		if len(l) == 0 {
			continue
		}
		var ps []string
		for _, i := range l {
			ps = append(ps, strconv.QuoteToASCII(patternPool[i]))
		}
		parts = append(parts, names[k]+" ["+strings.Join(ps, ", ")+"]")
	}
	if len(parts) == 0 {
		parts = append(parts, "(no patterns)")
	}
	s := strings.Join(parts, " ")
	if e.Cond > 0 {
		s += "\n          if " + condPool[e.Cond-1]
	}
	return s
}

func (c *rbacCase) String() string {
	var b strings.Builder
	t := c.tenant()
	b.WriteString("\nprincipals:")
	for i := 0; i < principalPool; i++ {
		fmt.Fprintf(&b, " %s=%s", principalName(i), principalGUID(i, 0))
	}
	b.WriteString("\nhierarchy:\n")
	keys := make([]string, 0, len(t.Parents))
	for k := range t.Parents {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "  %s -> %s\n", show(k), show(t.Parents[k]))
	}
	b.WriteString("roles:\n")
	for i, r := range c.Roles {
		fmt.Fprintf(&b, "  role%d %s\n", i, t.Roles[i].ID)
		for j, e := range r.Entries {
			fmt.Fprintf(&b, "    entry %d: %s\n", j, entryString(e))
		}
	}
	b.WriteString("assignments:\n")
	for i, a := range c.Assigns {
		fmt.Fprintf(&b, "  ra%d: %s (%s) role%d at %s\n", i, principalName(a.Principal), principalGUID(a.Principal, a.Variant), a.Role, show(scopePool[a.Scope]))
		if a.Cond > 0 {
			fmt.Fprintf(&b, "      if %s\n", condPool[a.Cond-1])
		}
	}
	b.WriteString("deny assignments:\n")
	for i, d := range c.Denies {
		who := func(l []int) string {
			var s []string
			for _, p := range l {
				if p == 0 {
					s = append(s, "Everyone")
				} else {
					s = append(s, principalName(p-1))
				}
			}
			return "[" + strings.Join(s, " ") + "]"
		}
		fmt.Fprintf(&b, "  da%d: at %s doNotApplyToChildScopes=%v principals %s exclude %s\n", i, show(scopePool[d.Scope]), d.Exact, who(d.Principals), who(d.Excludes))
		for j, e := range d.Entries {
			fmt.Fprintf(&b, "    entry %d: %s\n", j, entryString(e))
		}
		if d.Cond > 0 {
			fmt.Fprintf(&b, "      if %s\n", condPool[d.Cond-1])
		}
	}
	b.WriteString("requests:\n")
	for i := range c.Reqs {
		fmt.Fprintf(&b, "  %d: %s\n", i, c.Reqs[i].String())
	}
	return b.String()
}

func (q *reqSpec) String() string {
	var groups []string
	for _, g := range q.Principal.Groups {
		groups = append(groups, principalName(g))
	}
	how := "setters"
	if q.JSON {
		how = "json"
	}
	s := fmt.Sprintf("%s groups [%s] %s %s on %s attributes %s (%s)", principalName(q.Principal.ID), strings.Join(groups, " "),
		q.Plane, strconv.QuoteToASCII(q.action()), show(resourcePool[q.Resource]), q.attributesJSON(), how)
	switch q.Partial {
	case 1:
		s += " [resource not set]"
	case 2:
		s += " [action not set]"
	}
	return s
}

// ---------------------------------------------------------------------------------------------
// The property.

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func sameSet(a, b []string) bool { return slices.Equal(sortedCopy(a), sortedCopy(b)) }

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// agree checks a decision against the reference: Allowed and Reason equal, DecidedBy among the
// deciders when something decided, else "".
func agree(what string, d rbac.Decision, ref rbac.ReferenceResult) string {
	if d.Allowed != ref.Allowed || d.Reason != ref.Reason {
		return fmt.Sprintf("%s: allowed=%v reason=%v decidedBy=%q, reference: allowed=%v reason=%v deciders=%q",
			what, d.Allowed, d.Reason, d.DecidedBy, ref.Allowed, ref.Reason, ref.Deciders)
	}
	if ref.Reason == rbac.Allowed || ref.Reason == rbac.DeniedByDenyAssignment {
		if !slices.Contains(ref.Deciders, d.DecidedBy) {
			return fmt.Sprintf("%s: decidedBy=%q, reference deciders %q", what, d.DecidedBy, ref.Deciders)
		}
	} else if d.DecidedBy != "" {
		return fmt.Sprintf("%s: %v decided by %q, want none", what, d.Reason, d.DecidedBy)
	}
	return ""
}

// checkDecide is property (a) for one decision (ConditionFailed copied by the caller).
func checkDecide(what string, d rbac.Decision, ref rbac.ReferenceResult) string {
	if msg := agree(what, d, ref); msg != "" {
		return msg
	}
	if !subset(d.ConditionFailed, ref.ConditionFailed) || len(d.ConditionFailed) > len(ref.ConditionFailed) {
		return fmt.Sprintf("%s: conditionFailed %q not among the reference's %q", what, d.ConditionFailed, ref.ConditionFailed)
	}
	if ref.Reason == rbac.ConditionNotMet && !sameSet(d.ConditionFailed, ref.ConditionFailed) {
		return fmt.Sprintf("%s: conditionFailed %q, reference %q", what, d.ConditionFailed, ref.ConditionFailed)
	}
	return ""
}

// reversedRoles is the tenant with its role definitions in the opposite order (the same
// decisions, other role indices: a request reused across the two engines must not mix up their
// per-request role caches).
func reversedRoles(t *rbac.Tenant) *rbac.Tenant {
	u := *t
	u.Roles = slices.Clone(t.Roles)
	slices.Reverse(u.Roles)
	return &u
}

// checkRBACCase checks every property for every request of the case; "" when all hold.
func checkRBACCase(c *rbacCase) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("panic: %v", r)
		}
	}()
	t := c.tenant()
	eng, err := rbac.New(t)
	if err != nil {
		return "New: " + err.Error()
	}
	eng2, err := rbac.New(reversedRoles(t))
	if err != nil {
		return "New (roles reversed): " + err.Error()
	}
	reused := rbac.NewRequest()
	for i := range c.Reqs {
		q := &c.Reqs[i]
		where := fmt.Sprintf("request %d", i)
		p := q.Principal.principal()
		fresh := rbac.NewRequest()
		if err := q.load(fresh); err != nil {
			return where + ": load: " + err.Error()
		}
		ref := rbac.Reference(t, p, fresh)

		// (a) Decide equals the reference.
		d := eng.Decide(p, fresh)
		d.ConditionFailed = slices.Clone(d.ConditionFailed)
		if msg := checkDecide(where+": Decide", d, ref); msg != "" {
			return msg
		}

		// (b) Explain equals the reference, and its ConditionFailed is complete.
		x := eng.Explain(p, fresh)
		if msg := agree(where+": Explain", x.Decision, ref); msg != "" {
			return msg
		}
		if !sameSet(x.ConditionFailed, ref.ConditionFailed) {
			return fmt.Sprintf("%s: Explain conditionFailed %q, reference %q", where, x.ConditionFailed, ref.ConditionFailed)
		}
		// Deciding again after Explain on the same (warm) request.
		d2 := eng.Decide(p, fresh)
		if msg := checkDecide(where+": Decide again after Explain", d2, ref); msg != "" {
			return msg
		}

		// (c) The reused request (alternating between the two engines) decides alike.
		if q.Partial != 1 {
			if err := q.load(reused); err != nil {
				return where + ": load (reused): " + err.Error()
			}
			e, name := eng, "engine"
			if i%2 == 1 {
				e, name = eng2, "engine with roles reversed"
			}
			dr := e.Decide(p, reused)
			dr.ConditionFailed = slices.Clone(dr.ConditionFailed)
			if msg := checkDecide(where+": Decide ("+name+", reused request)", dr, ref); msg != "" {
				return msg
			}
			if dr.Allowed != d.Allowed || dr.Reason != d.Reason {
				return fmt.Sprintf("%s: reused request: %v, fresh: %v", where, dr.Reason, d.Reason)
			}
			xr := e.Explain(p, reused)
			if msg := agree(where+": Explain ("+name+", reused request)", xr.Decision, ref); msg != "" {
				return msg
			}
			if !sameSet(xr.ConditionFailed, ref.ConditionFailed) {
				return fmt.Sprintf("%s: Explain (%s, reused request) conditionFailed %q, reference %q", where, name, xr.ConditionFailed, ref.ConditionFailed)
			}
		}

		// (d) Who agrees with the reference.
		if q.Partial == 0 {
			if msg := checkWho(t, eng, q, fresh); msg != "" {
				return where + ": " + msg
			}
		}
	}
	return ""
}

// checkWho is property (d): Who's answer for the request's operation and resource against the
// reference for each principal id on its own (no groups), under the request's attributes.
func checkWho(t *rbac.Tenant, eng *rbac.Engine, q *reqSpec, r *rbac.Request) string {
	ans, err := eng.Who(q.Plane, q.action(), resourcePool[q.Resource])
	if err != nil {
		return "Who: " + err.Error()
	}
	listed := map[rbac.GUID]bool{}
	refOf := func(id string) (rbac.GUID, rbac.ReferenceResult, string) {
		g, err := rbac.ParseGUID(id)
		if err != nil {
			return g, rbac.ReferenceResult{}, fmt.Sprintf("Who lists %q: %v", id, err)
		}
		if listed[g] {
			return g, rbac.ReferenceResult{}, fmt.Sprintf("Who lists %s twice", id)
		}
		listed[g] = true
		return g, rbac.Reference(t, &rbac.Principal{ID: g}, r), ""
	}
	for _, w := range ans.Allowed {
		_, ref, msg := refOf(w.PrincipalID)
		if msg != "" {
			return msg
		}
		switch {
		case ref.Allowed:
		case ref.Reason == rbac.DeniedByDenyAssignment && len(w.DeniedIf) > 0 && subset(ref.Deciders, w.DeniedIf):
			// Denied by a deny assignment whose conditions hold: Who said so.
		default:
			return fmt.Sprintf("Who lists %s as allowed (deniedIf %q), reference: %v deciders %q", w.PrincipalID, w.DeniedIf, ref.Reason, ref.Deciders)
		}
	}
	for _, w := range ans.Blocked {
		_, ref, msg := refOf(w.PrincipalID)
		if msg != "" {
			return msg
		}
		if ref.Reason != rbac.DeniedByDenyAssignment || !slices.Contains(ref.Deciders, w.BlockedBy) {
			return fmt.Sprintf("Who lists %s as blocked by %q, reference: %v deciders %q", w.PrincipalID, w.BlockedBy, ref.Reason, ref.Deciders)
		}
	}
	for _, w := range ans.Conditional {
		_, ref, msg := refOf(w.PrincipalID)
		if msg != "" {
			return msg
		}
		if ref.Reason == rbac.NoRoleAssignment || (ref.Reason == rbac.DeniedByDenyAssignment && !subset(ref.Deciders, w.DeniedIf)) {
			return fmt.Sprintf("Who lists %s as conditional (deniedIf %q), reference: %v deciders %q", w.PrincipalID, w.DeniedIf, ref.Reason, ref.Deciders)
		}
	}
	// Every other principal holding assignments: none of them includes the operation here.
	for _, a := range t.Assignments {
		if listed[a.PrincipalID] {
			continue
		}
		ref := rbac.Reference(t, &rbac.Principal{ID: a.PrincipalID}, r)
		if ref.Reason != rbac.NoRoleAssignment && ref.Reason != rbac.DeniedByDenyAssignment {
			return fmt.Sprintf("Who does not list %s, reference: %v deciders %q conditionFailed %q", a.PrincipalID, ref.Reason, ref.Deciders, ref.ConditionFailed)
		}
		listed[a.PrincipalID] = true
	}
	return ""
}

func TestRBACPropertyEngineEqualsReference(t *testing.T) {
	cases := rbacCases()
	params := rbacPropParameters(t, cases)
	props := gopter.NewProperties(params)
	props.Property("Engine (Decide, Explain, Who, reused requests) == Reference",
		prop.ForAll(checkRBACCase, genRBACCase(reqsPerTenant)))
	var out bytes.Buffer
	start := time.Now()
	ok := props.Run(gopter.NewFormatedReporter(true, 1<<30, &out))
	t.Logf("%d tenants × %d requests = %d decisions in %v (seed %d, %d workers)", params.MinSuccessfulTests, reqsPerTenant,
		params.MinSuccessfulTests*reqsPerTenant, time.Since(start).Round(time.Millisecond), params.Seed(), params.Workers)
	if !ok {
		t.Errorf("RBAC property failed (seed %d):\n%s", params.Seed(), out.String())
	} else if testing.Verbose() {
		t.Log(strings.TrimSpace(out.String()))
	}
}

// TestRBACPropertyGeneratorCoverage checks that generated cases reach every reason (and
// decisions with several deciders, conditions both ways, each plane, partial requests), so
// that the property above does not pass vacuously.
func TestRBACPropertyGeneratorCoverage(t *testing.T) {
	params := gopter.DefaultGenParameters().CloneWithSeed(1)
	gen := genRBACCase(reqsPerTenant)
	seen := map[string]int{}
	total := 0
	for i := 0; i < 300; i++ {
		c := gen(params).Result.(*rbacCase)
		tn := c.tenant()
		if _, err := rbac.New(tn); err != nil {
			t.Fatalf("generated an invalid tenant: %v\n%s", err, c)
		}
		for j := range c.Reqs {
			q := &c.Reqs[j]
			r := rbac.NewRequest()
			if err := q.load(r); err != nil {
				t.Fatal(err)
			}
			ref := rbac.Reference(tn, q.Principal.principal(), r)
			total++
			seen[ref.Reason.String()+"/"+q.Plane.String()]++
			if len(ref.Deciders) > 1 {
				seen["several deciders "+ref.Reason.String()]++
			}
			if len(ref.ConditionFailed) > 0 {
				seen["conditionFailed with "+ref.Reason.String()]++
			}
			if q.Partial != 0 {
				seen["partial"]++
			}
		}
	}
	want := map[string]float64{
		"Allowed/action": 0.03, "Allowed/dataAction": 0.02,
		"DeniedByDenyAssignment/action": 0.03, "DeniedByDenyAssignment/dataAction": 0.02,
		"NoRoleAssignment/action": 0.03, "NoRoleAssignment/dataAction": 0.03,
		"ConditionNotMet/action": 0.005, "ConditionNotMet/dataAction": 0.005,
		"several deciders Allowed": 0.005, "several deciders DeniedByDenyAssignment": 0.002,
		"conditionFailed with Allowed": 0.002, "conditionFailed with DeniedByDenyAssignment": 0.002,
		"partial": 0.005,
	}
	for k, share := range want {
		if got := float64(seen[k]) / float64(total); got < share {
			t.Errorf("%s: %.2f%% of %d decisions, want at least %.2f%%", k, 100*got, total, 100*share)
		}
	}
	if testing.Verbose() {
		keys := make([]string, 0, len(seen))
		for k := range seen {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			t.Logf("%-45s %5.2f%%", k, 100*float64(seen[k])/float64(total))
		}
	}
}
