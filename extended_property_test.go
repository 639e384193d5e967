package abacc_test

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/hooks"
	"github.com/abacc/abacc/internal/ipaddr"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/vm"
)

// TestPropertyExtendedOperators generates conditions over StringEndsWith, StringContains and
// every operator of the extended dialect (driven by the operator table: ast.ExtendedOps and
// each operator's Type and Right form) with edge-heavy literals, and requests with
// edge-heavy values, and checks that the optimized VM, the unoptimized VM, the VM after an
// Encode/Decode round trip and the reference interpreter decide every request alike. It runs
// the property tests' count: -abacc.cases=N or ABACC_PROP_CASES (make prop: a million).
func TestPropertyExtendedOperators(t *testing.T) {
	n := extendedCases()
	r := rand.New(rand.NewSource(20260114))
	ops := append([]ast.Operator{ast.StringEndsWith, ast.StringNotEndsWith, ast.StringContains, ast.StringNotContains}, ast.ExtendedOps()...)
	checked := 0
	for i := 0; i < n; i++ {
		src := genExtCondition(r, ops)
		opt, err := compileOpts(src, hooks.Options{Dialect: uint8(abacc.DialectExtended)})
		if err != nil {
			t.Fatalf("generated condition does not compile: %v\n%s", err, src)
		}
		noopt, err := compileOpts(src, hooks.Options{Dialect: uint8(abacc.DialectExtended), NoOptimize: true})
		if err != nil {
			t.Fatalf("compiles optimized but not unoptimized: %v\n%s", err, src)
		}
		dec, err := vm.Decode(hooks.Bytecode(opt).Encode(), attrs.Default)
		if err != nil {
			t.Fatalf("Decode(Encode): %v\n%s", err, src)
		}
		for k := 0; k < 4; k++ {
			js := genExtRequest(r)
			req := abacc.NewRequest()
			if err := req.UnmarshalJSON([]byte(js)); err != nil {
				t.Fatalf("generated request rejected: %v\n%s", err, js)
			}
			ref := opt.EvalReference(req)
			a, b, c := opt.Eval(req), noopt.Eval(req), dec.Eval(hooks.Vector(req))
			if a != ref || b != ref || c != ref {
				t.Fatalf("reference %v, VM %v, unoptimized VM %v, decoded VM %v\ncondition: %s\nrequest: %s\nbytecode:\n%s",
					ref, a, b, c, src, js, opt.Disassemble())
			}
			checked++
		}
	}
	t.Logf("%d conditions, %d decisions", n, checked)
}

// extendedCases is the property tests' case count (-abacc.cases, ABACC_PROP_CASES), 12,000 by
// default. The flag is looked up by name, so this file does not depend on where it is defined.
func extendedCases() int {
	if f := flag.Lookup("abacc.cases"); f != nil {
		if n, err := strconv.Atoi(f.Value.String()); err == nil && n > 0 {
			return n
		}
	}
	if s := os.Getenv("ABACC_PROP_CASES"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	if testing.Short() {
		return 1000
	}
	return 12000
}

const (
	extCSA   = "Microsoft.Directory/CustomSecurityAttributes/Id:"
	extIP    = "@Principal[" + extCSA + "Net_Ip]"
	extWhen  = "@Principal[" + extCSA + "Shift_When]"
	extLevel = "@Principal[" + extCSA + "Eng_Level]"
	extTags  = "@Principal[" + extCSA + "Deploy_Tags]"
	extIDs   = "@Principal[" + extCSA + "Team_Ids]"
	extName  = "@Resource[Microsoft.KeyVault/vaults/secrets:name]"
	extNow   = "@Environment[UtcNow]"
	extInc   = "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:include]"
	extKeys  = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&]"
)

// Literal pools: the edges of each operator family.
var (
	extAddrs = []string{"10.0.0.0", "10.0.0.1", "10.0.0.9", "10.0.0.10", "10.0.0.255", "10.0.1.0", "10.255.255.255", "11.0.0.0",
		"0.0.0.0", "255.255.255.255", "192.168.1.1", "::", "::1", "::ffff:10.0.0.1", "::10.0.0.1", "2001:db8::", "2001:db8::1",
		"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::", "fe80::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}
	extCIDRs = []string{"10.0.0.0/8", "10.0.0.0/24", "10.0.0.0/31", "10.0.0.1/32", "10.0.1.0/24", "0.0.0.0/0", "::/0",
		"::ffff:10.0.0.0/104", "::ffff:0.0.0.0/96", "2001:db8::/32", "2001:db8::1/128", "fe80::/10", "192.168.0.0/16", "::/127"}
	extBadAddrs = []string{"", "10.0.0.256", "010.0.0.1", "10.0.0", "fe80::1%eth0", "10.0.0.0/8", "1.2.3.4:80", "[::1]", "::ffff:1.2.3", "x"}
	extTimes    = []string{"00:00", "00:00:00", "00:00:01", "06:00", "08:00", "12:00", "12:30:15", "18:00", "22:00", "23:59", "23:59:59"}
	extInts     = []string{"-9223372036854775808", "-9223372036854775807", "-5", "-1", "0", "1", "5", "10", "9223372036854775806", "9223372036854775807"}
	extStrs     = []string{"", "a", "A", "ab", "ba", "abc", "prod", "-prod", "db-prod", "ä", "é", "cafe\u0301", "aab", "aaab"}
)

func extPick[T any](r *rand.Rand, xs []T) T { return xs[r.Intn(len(xs))] }

func extQuote(s string) string { return "'" + s + "'" }

// genExtCondition builds one to three comparisons of the given operators, some negated, joined
// by AND or OR.
func genExtCondition(r *rand.Rand, ops []ast.Operator) string {
	var parts []string
	for k := 1 + r.Intn(3); k > 0; k-- {
		c := genExtComparison(r, extPick(r, ops))
		if r.Intn(4) == 0 {
			c = "NOT " + c
		}
		parts = append(parts, "("+c+")")
	}
	join := " AND "
	if r.Intn(2) == 0 {
		join = " OR "
	}
	return strings.Join(parts, join)
}

func genExtComparison(r *rand.Rand, op ast.Operator) string {
	info := op.Info()
	set := func(n int, f func() string) string {
		if r.Intn(3) > 0 {
			return f()
		}
		var m []string
		for j := 1 + r.Intn(n); j > 0; j-- {
			m = append(m, f())
		}
		return "{" + strings.Join(m, ", ") + "}"
	}
	addrOrCIDR := func() string {
		if r.Intn(2) == 0 {
			return extQuote(extPick(r, extAddrs))
		}
		return extQuote(extPick(r, extCIDRs))
	}
	switch info.Right {
	case ast.RightAddresses:
		return extIP + " " + op.String() + " " + set(12, addrOrCIDR)
	case ast.RightAddressRange:
		if r.Intn(2) == 0 {
			// A pair of one family, in order.
			for {
				a, b := extPick(r, extAddrs), extPick(r, extAddrs)
				ra, _ := parseAddrForTest(a)
				rb, _ := parseAddrForTest(b)
				if ra.Is4() == rb.Is4() && ra.Compare(rb) <= 0 {
					return extIP + " " + op.String() + " [" + extQuote(a) + ", " + extQuote(b) + "]"
				}
			}
		}
		return extIP + " " + op.String() + " " + set(12, addrOrCIDR)
	case ast.RightTimes:
		left := extNow
		if r.Intn(4) == 0 {
			left = extWhen
		}
		return left + " " + op.String() + " " + set(4, func() string { return extQuote(extPick(r, extTimes)) })
	case ast.RightTimeRange:
		return extNow + " " + op.String() + " [" + extQuote(extPick(r, extTimes)) + ", " + extQuote(extPick(r, extTimes)) + "]"
	case ast.RightIntRange:
		a, b := extPick(r, extInts), extPick(r, extInts)
		x, _ := strconv.ParseInt(a, 10, 64)
		y, _ := strconv.ParseInt(b, 10, 64)
		if x > y {
			a, b = b, a
		}
		return extLevel + " " + op.String() + " [" + a + ", " + b + "]"
	case ast.RightMembers:
		switch r.Intn(3) {
		case 0:
			return extInc + " " + op.String() + " " + set(3, func() string { return extQuote(extPick(r, []string{"metadata", "tags", "versions", "Tags"})) })
		case 1:
			return extKeys + " " + op.String() + " " + set(3, func() string { return extQuote(extPick(r, []string{"Project", "project", "Program"})) })
		}
		if r.Intn(2) == 0 {
			return extIDs + " " + op.String() + " " + set(3, func() string { return extPick(r, extInts[2:8]) })
		}
		return extTags + " " + op.String() + " " + set(3, func() string { return extQuote(extPick(r, extStrs)) })
	}
	// StringEndsWith, StringContains and Not-forms: single-valued or quantified.
	lit := set(4, func() string { return extQuote(extPick(r, extStrs)) })
	if r.Intn(3) == 0 {
		q := extPick(r, []string{"ForAnyOfAnyValues", "ForAllOfAnyValues", "ForAnyOfAllValues", "ForAllOfAllValues"})
		return extTags + " " + q + ":" + op.String() + " " + lit
	}
	return extName + " " + op.String() + " " + lit
}

// genExtRequest gives every attribute the generated conditions read an edge-heavy value (or
// leaves it out, or makes it a list).
func genExtRequest(r *rand.Rand) string {
	var principal, resource, request, env []string
	jsq := func(s string) string { return strconv.Quote(s) }
	maybeList := func(one func() string) string {
		switch r.Intn(6) {
		case 0:
			return "[]"
		case 1:
			// An array holds values of one JSON kind.
			a, b := one(), one()
			if (a[0] == '"') == (b[0] == '"') {
				return "[" + a + ", " + b + "]"
			}
			return "[" + a + "]"
		}
		return one()
	}
	if r.Intn(8) > 0 {
		principal = append(principal, jsq(extCSA+"Net_Ip")+": "+maybeList(func() string {
			switch r.Intn(5) {
			case 0:
				return jsq(extPick(r, extBadAddrs))
			case 1:
				return "42"
			}
			return jsq(extPick(r, extAddrs))
		}))
	}
	instant := func() string {
		h, m, s := r.Intn(24), r.Intn(60), r.Intn(60)
		switch r.Intn(4) {
		case 0:
			h, m, s = extPick(r, []int{0, 23}), extPick(r, []int{0, 59}), extPick(r, []int{0, 59})
		case 1:
			h, m, s = extPick(r, []int{6, 8, 12, 18, 22}), extPick(r, []int{0, 30}), extPick(r, []int{0, 15})
		}
		frac := extPick(r, []string{"", ".5", ".9999999", ".0000001"})
		zone := extPick(r, []string{"Z", "Z", "+02:00", "-05:30", "+14:00"})
		return fmt.Sprintf("%q", fmt.Sprintf("2024-02-29T%02d:%02d:%02d%s%s", h, m, s, frac, zone))
	}
	if r.Intn(8) > 0 {
		env = append(env, `"UtcNow": `+instant())
	}
	if r.Intn(4) > 0 {
		principal = append(principal, jsq(extCSA+"Shift_When")+": "+maybeList(func() string {
			if r.Intn(5) == 0 {
				return jsq("12:00")
			}
			return instant()
		}))
	}
	if r.Intn(8) > 0 {
		principal = append(principal, jsq(extCSA+"Eng_Level")+": "+maybeList(func() string {
			if r.Intn(6) == 0 {
				return jsq("5")
			}
			return extPick(r, extInts)
		}))
	}
	if r.Intn(6) > 0 {
		principal = append(principal, jsq(extCSA+"Deploy_Tags")+": "+maybeList(func() string {
			if r.Intn(6) == 0 {
				return extPick(r, extInts[2:8])
			}
			return jsq(extPick(r, extStrs))
		}))
	}
	if r.Intn(6) > 0 {
		principal = append(principal, jsq(extCSA+"Team_Ids")+": "+maybeList(func() string {
			if r.Intn(6) == 0 {
				return jsq(extPick(r, extInts[2:8]))
			}
			return extPick(r, extInts[2:8])
		}))
	}
	if r.Intn(6) > 0 {
		resource = append(resource, `"Microsoft.KeyVault/vaults/secrets:name": `+maybeList(func() string { return jsq(extPick(r, extStrs)) }))
	}
	if r.Intn(6) > 0 {
		var kv []string
		for _, k := range []string{"Project", "project", "Program"} {
			if r.Intn(2) == 0 {
				kv = append(kv, jsq(k)+": "+jsq(extPick(r, extStrs)))
			}
		}
		resource = append(resource, `"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {`+strings.Join(kv, ", ")+"}")
	}
	if r.Intn(6) > 0 {
		request = append(request, `"Microsoft.Storage/storageAccounts/blobServices/containers/blobs:include": `+
			maybeList(func() string { return jsq(extPick(r, []string{"metadata", "tags", "versions", "Tags"})) }))
	}
	obj := func(name string, kvs []string) string {
		if len(kvs) == 0 {
			return ""
		}
		return fmt.Sprintf(", %q: {%s}", name, strings.Join(kvs, ", "))
	}
	return `{"action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"` +
		obj("principal", principal) + obj("resource", resource) + obj("request", request) + obj("environment", env) + "}"
}

// parseAddrForTest reads an address of the pools.
func parseAddrForTest(s string) (ipaddr.Addr, bool) { return ipaddr.Parse(s) }
