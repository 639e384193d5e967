package rbac_test

// Benchmarks of whole RBAC decisions on generated tenants (internal/tenantgen): Decide on the
// four kinds of decision, the naive Reference on the same requests, Load of the tenant's JSON,
// and Decide as the tenant grows. `make bench-rbac` runs them; bench/RESULTS.md has the figures.
//
// The 10,000-assignment tenant is generated on first use (the zero-allocation test uses it
// too); the 1,000- and 100,000-assignment tenants only by BenchmarkDecideScaling.

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/rbac"
	"github.com/abacc/abacc/rbac/internal/tenantgen"
)

// benchConfig is the tenant of the issue: 10,000 assignments, 300 role definitions, 50 deny
// assignments, 2,000 scopes, a principal in 20 groups. Other sizes scale the scopes and the
// principals with the assignments, so that the principal's share of the tenant stays alike.
func benchConfig(assignments int) tenantgen.Config {
	return tenantgen.Config{
		Assignments:         assignments,
		Roles:               300,
		Deny:                50,
		Scopes:              assignments / 5,
		GroupsPerPrincipal:  20,
		Principals:          assignments / 5,
		ConditionalFraction: 0.05,
		Seed:                20240601,
	}
}

// benchCase is a planted kind of decision with its expected reason.
type benchCase struct {
	name   string
	kind   tenantgen.Case
	reason rbac.Reason
}

var benchCases = []benchCase{
	{"allow", tenantgen.Allowed, rbac.Allowed},
	{"no-assignment", tenantgen.NoAssignment, rbac.NoRoleAssignment},
	{"deny", tenantgen.Denied, rbac.DeniedByDenyAssignment},
	{"allow-condition", tenantgen.Conditional, rbac.Allowed},
}

// operation is one planted request in the form a service keeps it: plane, action, resource,
// and pre-resolved attribute handles with their values.
type operation struct {
	q      tenantgen.Request
	plane  rbac.Plane
	attrs  []abacc.Attr
	values []string
}

// set makes r this operation (SetOperation, SetResource, the attributes). The attributes are
// reset first, as for any new request: the typed setters append their values to the
// attribute vector, which only Reset empties.
func (o *operation) set(r *rbac.Request) {
	if len(o.attrs) > 0 {
		r.Attributes().Reset()
	}
	r.SetOperation(o.plane, o.q.Action)
	if err := r.SetResource(o.q.ResourceID); err != nil {
		panic(err)
	}
	for i, a := range o.attrs {
		if err := r.Attributes().SetString(a, o.values[i]); err != nil {
			panic(err)
		}
	}
}

type benchTenant struct {
	docs   *tenantgen.Docs
	eng    *rbac.Engine
	p      rbac.Principal
	ops    map[tenantgen.Case][2]*operation
	inputs rbac.Inputs
}

var (
	benchMu      sync.Mutex
	benchTenants = map[int]*benchTenant{}
)

// tenantOf generates and loads the tenant of the given size once per process, and checks
// that Decide reaches every planted outcome.
func tenantOf(tb testing.TB, assignments int) *benchTenant {
	tb.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if bt, ok := benchTenants[assignments]; ok {
		return bt
	}
	docs := tenantgen.Generate(benchConfig(assignments))
	bt := &benchTenant{docs: docs, ops: map[tenantgen.Case][2]*operation{}}
	bt.inputs = rbac.Inputs{
		Roles:       rbac.Document{Name: "roles.json", Data: docs.Roles},
		Assignments: rbac.Document{Name: "assignments.json", Data: docs.Assignments},
		Deny:        rbac.Document{Name: "deny.json", Data: docs.Deny},
		Hierarchy:   rbac.Document{Name: "hierarchy.json", Data: docs.Hierarchy},
	}
	var err error
	if bt.eng, err = rbac.Load(bt.inputs); err != nil {
		tb.Fatal(err)
	}
	if bt.p, err = rbac.ParsePrincipal(rbac.Document{Name: "principal.json", Data: docs.Principal().JSON()}); err != nil {
		tb.Fatal(err)
	}
	for _, c := range benchCases {
		var pair [2]*operation
		for k, q := range docs.Requests(c.kind) {
			o := &operation{q: q}
			if q.DataPlane {
				o.plane = rbac.Data
			}
			for _, a := range q.Attributes {
				h, err := abacc.LookupAttr(a.Ref())
				if err != nil {
					tb.Fatal(err)
				}
				o.attrs, o.values = append(o.attrs, h), append(o.values, a.Value)
			}
			r := rbac.NewRequest()
			o.set(r)
			d := bt.eng.Decide(&bt.p, r)
			if d.Reason != c.reason || d.Allowed != (c.reason == rbac.Allowed) ||
				(d.DecidedBy != "" || len(q.Deciders) > 0) && !slices.Contains(q.Deciders, d.DecidedBy) {
				tb.Fatalf("%d assignments, %s request %d (%s %s on %s): Decide = %+v, want %v decided by one of %q",
					assignments, c.name, k, o.plane, q.Action, q.ResourceID, d, c.reason, q.Deciders)
			}
			pair[k] = o
		}
		bt.ops[c.kind] = pair
	}
	benchTenants[assignments] = bt
	return bt
}

// requestFor returns a request set to the case's first operation, warmed up.
func (bt *benchTenant) requestFor(c benchCase) *rbac.Request {
	r := rbac.NewRequest()
	bt.ops[c.kind][0].set(r)
	bt.eng.Decide(&bt.p, r)
	return r
}

// cpuStart locks the benchmark to its thread and reads the thread's CPU time; cpuStop reports
// cpu-ns/op (the thread's CPU time per iteration, which a loaded machine inflates far less than
// wall-clock ns/op).
func cpuStart(b *testing.B) int64 {
	runtime.LockOSThread()
	b.ReportAllocs()
	return benchThreadCPU()
}

func cpuStop(b *testing.B, c0 int64) {
	if c1 := benchThreadCPU(); c0 >= 0 && c1 >= 0 && b.N > 0 {
		b.ReportMetric(float64(c1-c0)/float64(b.N), "cpu-ns/op")
	}
	runtime.UnlockOSThread()
}

func benchSameOp(b *testing.B, bt *benchTenant, c benchCase) {
	r := bt.requestFor(c)
	c0 := cpuStart(b)
	for b.Loop() {
		if d := bt.eng.Decide(&bt.p, r); d.Reason != c.reason {
			b.Fatal(d)
		}
	}
	cpuStop(b, c0)
}

// benchFreshOp sets the operation, the resource (and attributes) every iteration, alternating
// between the case's two requests, so that the request's per-operation caches never hit.
func benchFreshOp(b *testing.B, bt *benchTenant, c benchCase) {
	ops := bt.ops[c.kind]
	r := bt.requestFor(c)
	ops[1].set(r)
	bt.eng.Decide(&bt.p, r)
	i := 0
	c0 := cpuStart(b)
	for b.Loop() {
		ops[i&1].set(r)
		i++
		if d := bt.eng.Decide(&bt.p, r); d.Reason != c.reason {
			b.Fatal(d)
		}
	}
	cpuStop(b, c0)
}

// BenchmarkDecide: one decision on the 10,000-assignment tenant. same-op reuses a request set
// once (a service repeating an operation); fresh-op alternates two operations on two resources.
func BenchmarkDecide(b *testing.B) {
	bt := tenantOf(b, 10_000)
	for _, c := range benchCases {
		b.Run(c.name+"/same-op", func(b *testing.B) { benchSameOp(b, bt, c) })
		b.Run(c.name+"/fresh-op", func(b *testing.B) { benchFreshOp(b, bt, c) })
	}
}

// BenchmarkReference: the same requests through the naive Reference (linear scans, conditions
// compiled per call), for the engine/reference ratio.
func BenchmarkReference(b *testing.B) {
	bt := tenantOf(b, 10_000)
	t := bt.eng.Tenant()
	for _, c := range benchCases {
		b.Run(c.name+"/same-op", func(b *testing.B) {
			r := bt.requestFor(c)
			if res := rbac.Reference(t, &bt.p, r); res.Reason != c.reason {
				b.Fatalf("Reference = %+v, want %v", res, c.reason)
			}
			c0 := cpuStart(b)
			for b.Loop() {
				rbac.Reference(t, &bt.p, r)
			}
			cpuStop(b, c0)
		})
	}
}

// BenchmarkLoad: rbac.Load of the 10,000-assignment tenant's four JSON documents (MB/s over
// their total size). Its cpu-ns/op misses the garbage collector's work on other threads;
// proc-cpu-ns/op is the whole process's CPU time per load, collector included.
func BenchmarkLoad(b *testing.B) {
	bt := tenantOf(b, 10_000)
	b.SetBytes(int64(bt.docs.Size()))
	c0 := cpuStart(b)
	p0 := benchProcCPU()
	for b.Loop() {
		if _, err := rbac.Load(bt.inputs); err != nil {
			b.Fatal(err)
		}
	}
	if p1 := benchProcCPU(); p0 >= 0 && p1 >= 0 && b.N > 0 {
		b.ReportMetric(float64(p1-p0)/float64(b.N), "proc-cpu-ns/op")
	}
	cpuStop(b, c0)
}

// BenchmarkDecideScaling: the allowed decision (no condition) and the no-assignment decision
// (which looks at every assignment of the principal) on tenants of 1,000, 10,000 and 100,000
// assignments, scopes and principals scaled alike, the principal in 20 groups.
func BenchmarkDecideScaling(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		for _, c := range benchCases[:2] {
			b.Run(fmt.Sprintf("%s/assignments=%d", c.name, n), func(b *testing.B) {
				bt := tenantOf(b, n)
				b.ReportMetric(float64(bt.docs.Stats().PrincipalAssignments), "principal-assignments")
				benchSameOp(b, bt, c)
			})
		}
	}
}

// Decide allocates nothing once a request has warmed up, whether the operation is repeated or
// changes every time.
func TestDecideZeroAllocs(t *testing.T) {
	bt := tenantOf(t, 10_000)
	for _, c := range benchCases {
		r := bt.requestFor(c)
		if n := testing.AllocsPerRun(100, func() { bt.eng.Decide(&bt.p, r) }); n != 0 {
			t.Errorf("%s/same-op: %v allocs per Decide, want 0", c.name, n)
		}
		ops := bt.ops[c.kind]
		ops[1].set(r)
		bt.eng.Decide(&bt.p, r)
		i := 0
		if n := testing.AllocsPerRun(100, func() {
			ops[i&1].set(r)
			i++
			bt.eng.Decide(&bt.p, r)
		}); n != 0 {
			t.Errorf("%s/fresh-op: %v allocs per SetOperation+SetResource+Decide, want 0", c.name, n)
		}
	}
}

// The naive Reference agrees with Decide on the planted requests of the generated tenant.
func TestGeneratedTenantReference(t *testing.T) {
	bt := tenantOf(t, 10_000)
	for _, c := range benchCases {
		for k, o := range bt.ops[c.kind] {
			r := rbac.NewRequest()
			o.set(r)
			res := rbac.Reference(bt.eng.Tenant(), &bt.p, r)
			got, want := slices.Sorted(slices.Values(res.Deciders)), slices.Sorted(slices.Values(o.q.Deciders))
			if res.Reason != c.reason || !slices.Equal(got, want) {
				t.Errorf("%s request %d: Reference = %+v, want %v decided by one of %q", c.name, k, res, c.reason, want)
			}
		}
	}
}
