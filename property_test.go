// Property-based tests of the whole pipeline (github.com/leanovate/gopter).
//
// Random well-typed conditions over a small pool of attributes and random requests over the
// same attributes are checked for three properties:
//
//   - TestPropertyVMEquivalence: the optimized VM, the unoptimized VM and the reference
//     interpreter decide every generated (condition, request) pair alike (and a reused request
//     vector decides like a fresh one);
//   - TestPropertyPrintParseRoundTrip: printing the parsed tree and parsing the text again
//     gives an equal tree (ast.Equal), and printing is a fixed point;
//   - TestPropertyEncodeDecodeRoundTrip: vm.Encode → vm.Decode (which links and verifies)
//     succeeds, re-encodes to the same bytes and evaluates like the original program.
//
// TestPropertyGeneratorCoverage checks that the generators reach every operator and quantifier
// and that single comparisons are true on a fair share of requests.
//
// TestVerifierRejectsMutations flips, zeroes and saturates every byte of encoded conformance
// programs and checks that Decode either rejects the result or returns a program whose Eval
// terminates without panicking, that backward or out-of-range jumps are always rejected and
// that every truncation is rejected.
//
// CI runs the default size (12,000 (condition, request) pairs per request-based property). Big
// runs (the count is (condition, request) pairs; conditions = cases/4):
//
//	go test -run TestProperty -abacc.cases=1000000 .
//	ABACC_PROP_CASES=1000000 go test -run TestProperty .
//
// ABACC_PROP_SEED=n fixes the seed (and runs on one worker, so that a run is reproducible).
// A failure prints the shrunk condition text and request JSON.
package abacc_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/abacc/abacc/internal/hooks"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/syntax/printer"
	"github.com/abacc/abacc/internal/vm"
)

var flagPropCases = flag.Int("abacc.cases", 0,
	"number of generated (condition, request) cases per property test (default 12000; env ABACC_PROP_CASES)")

const (
	defaultPropCases = 12000
	reqsPerCase      = 4
)

// propCases is the number of (condition, request) pairs each property checks.
func propCases() int {
	if *flagPropCases > 0 {
		return *flagPropCases
	}
	if s := os.Getenv("ABACC_PROP_CASES"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return defaultPropCases
}

func propParameters(t *testing.T) *gopter.TestParameters {
	params := gopter.DefaultTestParameters()
	workers := runtime.GOMAXPROCS(0)
	if s := os.Getenv("ABACC_PROP_SEED"); s != "" {
		seed, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("ABACC_PROP_SEED: %v", err)
		}
		params.SetSeed(seed)
		workers = 1
	}
	params.MinSuccessfulTests = (propCases() + reqsPerCase - 1) / reqsPerCase
	params.MinSize, params.MaxSize = 0, 100
	params.Workers = workers
	params.MaxShrinkCount = 2000
	return params
}

// runProperty checks one property and reports a failure (with gopter's shrunk arguments, which
// print as condition text and request JSON) as a test error.
func runProperty(t *testing.T, name string, nreqs int, p gopter.Prop) {
	params := propParameters(t)
	props := gopter.NewProperties(params)
	props.Property(name, p)
	var out bytes.Buffer
	start := time.Now()
	ok := props.Run(gopter.NewFormatedReporter(true, 1<<30, &out))
	t.Logf("%d conditions × %d requests in %v (seed %d, %d workers)", params.MinSuccessfulTests, nreqs, time.Since(start).Round(time.Millisecond), params.Seed(), params.Workers)
	if !ok {
		t.Errorf("property %s failed (seed %d):\n%s", name, params.Seed(), out.String())
	} else if testing.Verbose() {
		t.Log(strings.TrimSpace(out.String()))
	}
}

// ---------------------------------------------------------------------------------------------
// The vocabulary: attribute pools, literal pools, operators.

const (
	blobsPath    = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
	tagsDict     = blobsPath + "/tags"
	csaPrefix    = "Microsoft.Directory/CustomSecurityAttributes/Id:"
	keySensitive = "<$key_case_sensitive$>"
)

// family is an operator family, which fixes the operand type.
type family uint8

const (
	fString family = iota
	fInt
	fBool
	fDate
	fGuid
	numFamilies
)

// attrDef is one attribute of the pool, as written in a condition.
type attrDef struct {
	src, name string
	multi     bool // multi-valued: only on the left of a quantifier, or on the right of anything
}

// famDef describes one family: its operators (index 0 is the positive Equals, quantifiable
// where the family has quantifiable operators), which of them may follow a quantifier, its
// attributes and its literal texts.
type famDef struct {
	ops      []string
	quantOps []int
	attrs    []attrDef
	lits     []string
	pats     int // String: lits[pats:] are Like patterns; Integer: lits[pats:] are literal-only values
}

// Strings shared by literals and requests, so that comparisons are often true.
var strVals = []string{"", "a", "A", "ab", "abc", "ä", "Ä", "ß", "SS", "ss", "σ", "Σ", "ς", "\u212A", "k", "K",
	"x/y/z", "a*b", "a?b", `a\b`, "Project", "Team", "project"}

// Like patterns (and more plain strings for the other operators).
var strPats = []string{"*", "a*", "*b", "a*b", "?", "??", "a?", "a?b", `a\*b`, `a\?b`, `a\\b`, `a\b`, "x/*", "*/z",
	"x*z", "Σ*", "σ?", "k*", "*K", "P*", `*\`, `\`, `\\`, "*a*", "**", "?*?", `\*`, `\?`, "ß*", "SS*", "?/y/?", "*ς", "*k", "\u212A*", "*/Y/*", "*ß", "a*\u212A"}

// Request-only strings.
var strReqExtra = []string{"aXb", "x/z", "ABC", "a**b", `a\\b`, "Σσς", "a\u212A", "\u212Ab", "ßa", "Kß", "x/Y/z"}

var intVals = []string{"-9223372036854775808", "-1", "0", "1", "5", "9223372036854775807"}

// More integers for literals only (sets of 9 or more need distinct values).
var intLitExtra = []string{"2", "3", "4", "6", "-2", "10", "100", "-100", "-9223372036854775807", "9223372036854775806"}

// DateTimes: a few instants, each written several ways.
var dateVals = []string{
	"2023-05-01T13:00:00Z", "2023-05-01T13:00:00.0000000Z", "2023-05-01T15:00:00+02:00", "2023-05-01T08:30:00-04:30",
	"2023-05-01T13:00:00.0Z", "2023-05-01T13:00:00.0000001Z", "2023-05-01T14:00:00.0000001+01:00",
	"2023-05-01T12:59:59.9999999Z", "2023-05-01T12:59:59.9999999+00:00", "1999-12-31T23:59:59.9999999Z",
	"2000-01-01T00:59:59.9999999+01:00", "2023-05-01T13:00:00.5Z", "2023-05-01T13:00:00.50+00:00",
	"2024-03-01T00:30:00Z", "2024-02-29T23:30:00-01:00",
}

// GUIDs: the values in lower/upper case, hyphenated and plain.
var guidBase = []string{"8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "5e467623-bb1f-42f4-a55d-6e525e11384b",
	"ba92f5b4-2d11-453d-a403-e96b0029c9fe", "12345678-1234-1234-1234-123456789abc"}

var guidVals = func() []string {
	var out []string
	for _, g := range guidBase {
		plain := strings.ReplaceAll(g, "-", "")
		out = append(out, g, strings.ToUpper(g), plain, strings.ToUpper(plain))
	}
	return out
}()

func quote(s string) string { return "'" + s + "'" }

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quote(s)
	}
	return out
}

var families = func() [numFamilies]famDef {
	var f [numFamilies]famDef
	var strOps []string
	for _, ic := range []string{"", "IgnoreCase"} {
		for _, b := range []string{"Equals", "NotEquals", "StartsWith", "NotStartsWith", "Like", "NotLike"} {
			strOps = append(strOps, "String"+b+ic)
		}
	}
	f[fString] = famDef{
		ops:      strOps,
		quantOps: []int{0, 1, 4, 5, 6, 7, 10, 11},
		attrs: []attrDef{
			{"Resource", "Microsoft.Storage/storageAccounts/blobServices/containers:name", false},
			{"Resource", blobsPath + ":path", false},
			{"Resource", tagsDict + ":Project" + keySensitive, false},
			{"Resource", tagsDict + ":Team" + keySensitive, false},
			{"Principal", csaPrefix + "Proj", false},
			{"Resource", tagsDict + "&$keys$&", true},
			{"Request", blobsPath + ":include", true},
		},
		lits: append(quoteAll(strVals), quoteAll(strPats)...),
		pats: len(strVals),
	}
	f[fInt] = famDef{
		ops:      []string{"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"},
		quantOps: []int{0, 1, 2, 3, 4, 5},
		attrs:    []attrDef{{"Principal", csaPrefix + "Level", false}},
		lits:     append(append([]string(nil), intVals...), intLitExtra...),
		pats:     len(intVals),
	}
	f[fBool] = famDef{
		ops:   []string{"BoolEquals", "BoolNotEquals"},
		attrs: []attrDef{{"Environment", "isPrivateLink", false}, {"Resource", "Microsoft.Storage/storageAccounts:isHnsEnabled", false}},
		lits:  []string{"true", "false"},
	}
	f[fDate] = famDef{
		ops:   []string{"DateTimeEquals", "DateTimeNotEquals", "DateTimeLessThan", "DateTimeLessThanEquals", "DateTimeGreaterThan", "DateTimeGreaterThanEquals"},
		attrs: []attrDef{{"Environment", "UtcNow", false}, {"Request", blobsPath + ":versionId", false}},
		lits:  quoteAll(dateVals),
	}
	var guidLits []string
	for _, g := range guidVals {
		guidLits = append(guidLits, g, quote(g))
	}
	f[fGuid] = famDef{
		ops:      []string{"GuidEquals", "GuidNotEquals"},
		quantOps: []int{0, 1},
		attrs: []attrDef{
			{"Request", "Microsoft.Authorization/roleAssignments:RoleDefinitionId", false},
			{"Request", "Microsoft.Authorization/roleAssignments:PrincipalId", false},
		},
		lits: guidLits,
	}
	return f
}()

// allAttrs is every attribute of the pool (for Exists).
var allAttrs = func() []attrDef {
	var out []attrDef
	for _, f := range families {
		out = append(out, f.attrs...)
	}
	return out
}()

var quantNames = []string{"", "ForAnyOfAnyValues", "ForAllOfAnyValues", "ForAnyOfAllValues", "ForAllOfAllValues"}

var actionPats = []string{
	blobsPath + "/read",
	blobsPath + "/*",
	"Microsoft.Storage/*",
	"*",
	"*/read",
	"microsoft.storage/storageaccounts/blobservices/containers/blobs/READ",
	"Microsoft.Storage/storageAccounts/queueServices/queues/messages/read",
	"*/messages/*",
	blobsPath + "/write",
	"*blobs*",
	blobsPath + "/tags/read",
	"Microsoft.Authorization/roleAssignments/*",
	"Microsoft.Authorization/roleAssignments/write",
	"MICROSOFT.STORAGE/STORAGEACCOUNTS/BLOBSERVICES/CONTAINERS/BLOBS/WRITE",
}

// exactActions are the patterns without `*`: blocks guarded by them become an action switch.
var exactActions = func() []int {
	var out []int
	for i, p := range actionPats {
		if !strings.Contains(p, "*") {
			out = append(out, i)
		}
	}
	return out
}()

var subOpPats = []string{"Blob.List", "blob.list", "Blob.Write.Tier", "BLOB.LIST", "Blob.Read.WithTagConditions"}

var reqActions = []string{
	blobsPath + "/read",
	"microsoft.storage/storageaccounts/blobservices/containers/blobs/read",
	"MICROSOFT.STORAGE/STORAGEACCOUNTS/BLOBSERVICES/CONTAINERS/BLOBS/READ",
	blobsPath + "/write",
	blobsPath + "/tags/read",
	"Microsoft.Storage/storageAccounts/queueServices/queues/messages/read",
	"Microsoft.Authorization/roleAssignments/write",
}

var reqSubOps = []string{"Blob.List", "blob.list", "Blob.Write.Tier"}

// ---------------------------------------------------------------------------------------------
// Condition trees. A tree is generated from gopter's random source and shrunk by shrinkNode,
// which only produces trees that are still well-typed.

type nodeKind uint8

const (
	nLeaf nodeKind = iota
	nAnd
	nOr
	nNot
)

type leafKind uint8

const (
	lkCmp leafKind = iota
	lkExists
	lkAction
	lkSubOp
)

type operandKind uint8

const (
	oAttr operandKind = iota
	oLit
	oSet
)

type operand struct {
	Kind operandKind
	Attr int   // index into the family's attrs
	Vals []int // index into the family's lits: one for oLit, one or more for oSet
}

type leaf struct {
	Kind  leafKind
	Fam   family
	Op    int // index into the family's ops
	Quant int // 0: none, 1..4: quantNames
	L, R  operand
	Neg   bool  // NotExists
	Attr  int   // Exists: index into allAttrs
	Pats  []int // ActionMatches/SubOperationMatches patterns
	Style uint32
}

type cnode struct {
	Kind  nodeKind
	X, Y  *cnode
	Leaf  *leaf
	Style uint32 // spelling, layout and redundant parentheses; 0 is canonical
}

func (o operand) clone() operand {
	o.Vals = append([]int(nil), o.Vals...)
	return o
}

func (l *leaf) clone() *leaf {
	c := *l
	c.L, c.R = l.L.clone(), l.R.clone()
	c.Pats = append([]int(nil), l.Pats...)
	return &c
}

// valid reports whether the leaf is well-typed by the rules of the checker.
func (l *leaf) valid() bool {
	switch l.Kind {
	case lkCmp:
		f := &families[l.Fam]
		if l.Op < 0 || l.Op >= len(f.ops) {
			return false
		}
		for _, o := range []operand{l.L, l.R} {
			switch o.Kind {
			case oAttr:
				if o.Attr < 0 || o.Attr >= len(f.attrs) {
					return false
				}
			case oLit:
				if len(o.Vals) != 1 {
					return false
				}
			case oSet:
				if len(o.Vals) == 0 {
					return false
				}
			}
		}
		if l.Quant == 0 {
			if l.L.Kind == oSet || (l.L.Kind == oAttr && f.attrs[l.L.Attr].multi) {
				return false
			}
			return true
		}
		for _, q := range f.quantOps {
			if q == l.Op {
				return true
			}
		}
		return false
	case lkAction, lkSubOp:
		return len(l.Pats) > 0
	}
	return true
}

// ---- generation

type rnd interface {
	Intn(n int) int
	Float64() float64
	Uint32() uint32
}

func pick(r rnd, n int) int { return r.Intn(n) }

func genStyle(r rnd) uint32 {
	if r.Float64() < 0.8 {
		return 0
	}
	return r.Uint32() | 1
}

func genLit(r rnd, fam family, like bool) int {
	f := &families[fam]
	switch fam {
	case fString:
		if like && r.Float64() < 0.6 {
			return f.pats + pick(r, len(f.lits)-f.pats)
		}
		if r.Float64() < 0.85 {
			return pick(r, f.pats)
		}
	case fInt:
		if r.Float64() < 0.7 {
			return pick(r, f.pats) // the values requests carry
		}
	}
	return pick(r, len(f.lits))
}

func genOperand(r rnd, fam family, kind operandKind, singleOnly, like bool) operand {
	f := &families[fam]
	switch kind {
	case oAttr:
		for {
			a := pick(r, len(f.attrs))
			if !singleOnly || !f.attrs[a].multi {
				return operand{Kind: oAttr, Attr: a}
			}
		}
	case oLit:
		return operand{Kind: oLit, Vals: []int{genLit(r, fam, like)}}
	}
	// Mostly small sets; sometimes sets of 9 or more, which the optimizer sorts and the VM
	// searches by binary search.
	n := 1 + pick(r, 4)
	if r.Float64() < 0.2 {
		n = 9 + pick(r, 6)
	}
	o := operand{Kind: oSet}
	for i := 0; i < n; i++ {
		o.Vals = append(o.Vals, genLit(r, fam, like))
	}
	return o
}

func genLeaf(r rnd) *leaf {
	l := &leaf{Style: genStyle(r)}
	switch x := r.Float64(); {
	case x < 0.08:
		l.Kind, l.Attr, l.Neg = lkExists, pick(r, len(allAttrs)), r.Float64() < 0.4
		return l
	case x < 0.15:
		l.Kind = lkAction
		for n := 1 + pick(r, 3); n > 0; n-- {
			l.Pats = append(l.Pats, pick(r, len(actionPats)))
		}
		return l
	case x < 0.21:
		l.Kind = lkSubOp
		for n := 1 + pick(r, 2); n > 0; n-- {
			l.Pats = append(l.Pats, pick(r, len(subOpPats)))
		}
		return l
	}
	l.Kind = lkCmp
	switch x := r.Float64(); {
	case x < 0.45:
		l.Fam = fString
	case x < 0.6:
		l.Fam = fInt
	case x < 0.7:
		l.Fam = fBool
	case x < 0.85:
		l.Fam = fDate
	default:
		l.Fam = fGuid
	}
	f := &families[l.Fam]
	if len(f.quantOps) > 0 && r.Float64() < 0.35 {
		l.Quant = 1 + pick(r, 4)
		l.Op = f.quantOps[pick(r, len(f.quantOps))]
	} else {
		l.Op = pick(r, len(f.ops))
	}
	like := strings.Contains(f.ops[l.Op], "Like")
	if l.Quant != 0 {
		switch x := r.Float64(); {
		case x < 0.6:
			l.L = genOperand(r, l.Fam, oAttr, false, false)
		case x < 0.75:
			l.L = genOperand(r, l.Fam, oLit, false, false)
		default:
			l.L = genOperand(r, l.Fam, oSet, false, false)
		}
	} else if r.Float64() < 0.8 {
		l.L = genOperand(r, l.Fam, oAttr, true, false)
	} else {
		l.L = genOperand(r, l.Fam, oLit, false, false)
	}
	switch x := r.Float64(); {
	case x < 0.45:
		l.R = genOperand(r, l.Fam, oLit, false, like)
	case x < 0.75:
		l.R = genOperand(r, l.Fam, oSet, false, like)
	default:
		l.R = genOperand(r, l.Fam, oAttr, false, like)
	}
	return l
}

func genTree(r rnd, depth int) *cnode {
	if depth <= 0 || r.Float64() < 0.25 {
		return &cnode{Kind: nLeaf, Leaf: genLeaf(r)}
	}
	switch x := r.Float64(); {
	case x < 0.4:
		return &cnode{Kind: nAnd, X: genTree(r, depth-1), Y: genTree(r, depth-1), Style: genStyle(r)}
	case x < 0.8:
		return &cnode{Kind: nOr, X: genTree(r, depth-1), Y: genTree(r, depth-1), Style: genStyle(r)}
	default:
		return &cnode{Kind: nNot, X: genTree(r, depth-1), Style: genStyle(r)}
	}
}

// actionLeaf is an ActionMatches of one or two patterns, mostly exact ones.
func actionLeaf(r rnd) *cnode {
	l := &leaf{Kind: lkAction}
	for n := 1 + pick(r, 2); n > 0; n-- {
		if r.Float64() < 0.85 {
			l.Pats = append(l.Pats, exactActions[pick(r, len(exactActions))])
		} else {
			l.Pats = append(l.Pats, pick(r, len(actionPats)))
		}
	}
	return &cnode{Kind: nLeaf, Leaf: l}
}

func join(kind nodeKind, x, y *cnode, r rnd) *cnode {
	if x == nil {
		return y
	}
	if r.Float64() < 0.3 {
		x, y = y, x
	}
	return &cnode{Kind: kind, X: x, Y: y}
}

// genBlock is one action-guarded block: under AND `NOT ActionMatches{P} OR body` (or Azure's
// form with a SubOperationMatches exemption, or the bare guard), under OR
// `ActionMatches{P} AND body`.
func genBlock(r rnd, and bool, depth int) *cnode {
	act := actionLeaf(r)
	body := genTree(r, depth)
	if !and {
		return join(nAnd, act, body, r)
	}
	switch x := r.Float64(); {
	case x < 0.15:
		return &cnode{Kind: nNot, X: act}
	case x < 0.4:
		sub := &cnode{Kind: nLeaf, Leaf: &leaf{Kind: lkSubOp, Pats: []int{pick(r, len(subOpPats))}}}
		guard := &cnode{Kind: nNot, X: &cnode{Kind: nAnd, X: act, Y: &cnode{Kind: nNot, X: sub}}}
		return join(nOr, guard, body, r)
	}
	return join(nOr, &cnode{Kind: nNot, X: act}, body, r)
}

// genBlocks joins two to four action-guarded blocks (and sometimes another term) under AND or
// OR: the shapes the optimizer turns into a SWITCH on the action.
func genBlocks(r rnd, maxDepth int) *cnode {
	and := r.Float64() < 0.7
	kind := nOr
	if and {
		kind = nAnd
	}
	var root *cnode
	for n := 2 + pick(r, 3); n > 0; n-- {
		root = join(kind, root, genBlock(r, and, maxDepth-2), r)
	}
	if r.Float64() < 0.2 {
		root = join(kind, root, genTree(r, maxDepth-2), r)
	}
	return root
}

// genCondition builds a tree of depth up to maxDepth; sometimes in Azure's usual shape
// `(!(ActionMatches{...} AND NOT SubOperationMatches{...})) OR (expr)`, sometimes several
// action-guarded blocks.
func genCondition(r rnd, maxDepth int) *cnode {
	if r.Float64() < 0.25 {
		return genBlocks(r, maxDepth)
	}
	if r.Float64() < 0.15 {
		act := &cnode{Kind: nLeaf, Leaf: &leaf{Kind: lkAction, Pats: []int{pick(r, len(actionPats))}}}
		sub := &cnode{Kind: nNot, X: &cnode{Kind: nLeaf, Leaf: &leaf{Kind: lkSubOp, Pats: []int{pick(r, len(subOpPats))}}}}
		guard := &cnode{Kind: nNot, X: &cnode{Kind: nAnd, X: act, Y: sub}}
		return &cnode{Kind: nOr, X: guard, Y: genTree(r, maxDepth-2)}
	}
	return genTree(r, maxDepth)
}

// ---- rendering

type styler struct {
	s uint32
	i uint
}

// bit returns the next pseudo-random bit of the style; a zero style gives only zeros.
func (st *styler) bit(prob int) bool {
	if st.s == 0 {
		return false
	}
	st.i++
	h := st.s*2654435761 + uint32(st.i)*40503
	h ^= h >> 13
	h *= 0x5bd1e995
	h ^= h >> 15
	return int(h%8) < prob
}

func (st *styler) sp() string {
	if st.bit(2) {
		return []string{"\n", "\t", "  ", " \r\n  "}[st.i%4]
	}
	return " "
}

// oddCase spells a keyword or name in another case (matched case-insensitively).
func (st *styler) oddCase(s string) string {
	if !st.bit(2) {
		return s
	}
	if st.i%2 == 0 {
		return strings.ToLower(s)
	}
	return strings.ToUpper(s)
}

func renderAttr(a attrDef, st *styler) string {
	return "@" + st.oddCase(a.src) + "[" + a.name + "]"
}

func renderOperand(o operand, f *famDef, st *styler) string {
	switch o.Kind {
	case oAttr:
		return renderAttr(f.attrs[o.Attr], st)
	case oLit:
		return f.lits[o.Vals[0]]
	}
	parts := make([]string, len(o.Vals))
	for i, v := range o.Vals {
		parts[i] = f.lits[v]
	}
	sep := ", "
	if st.bit(3) {
		sep = ","
	}
	return "{" + strings.Join(parts, sep) + "}"
}

func renderPats(pats []int, pool []string, st *styler) string {
	parts := make([]string, len(pats))
	for i, p := range pats {
		parts[i] = quote(pool[p])
	}
	return "{" + strings.Join(parts, ","+st.sp()) + "}"
}

func (l *leaf) text() string {
	st := &styler{s: l.Style}
	switch l.Kind {
	case lkExists:
		kw := "Exists"
		if l.Neg {
			kw = "NotExists"
		}
		return st.oddCase(kw) + st.sp() + renderAttr(allAttrs[l.Attr], st)
	case lkAction:
		return st.oddCase("ActionMatches") + renderPats(l.Pats, actionPats, st)
	case lkSubOp:
		return st.oddCase("SubOperationMatches") + renderPats(l.Pats, subOpPats, st)
	}
	f := &families[l.Fam]
	op := st.oddCase(f.ops[l.Op])
	if l.Quant != 0 {
		op = st.oddCase(quantNames[l.Quant]) + ":" + op
	}
	return renderOperand(l.L, f, st) + st.sp() + op + st.sp() + renderOperand(l.R, f, st)
}

// ctx is where an expression is printed: the parentheses it needs depend on it.
type ctx uint8

const (
	ctxTop ctx = iota
	ctxAnd
	ctxOr
	ctxNot
)

// render prints the tree so that it parses with the tree's meaning: an OR under AND or NOT and
// an AND under NOT are parenthesized; other parentheses are added at random (an AND under OR
// is then left ungrouped, which draws a warning, not an error).
func (n *cnode) render(b *strings.Builder, c ctx) {
	st := &styler{s: n.Style}
	switch n.Kind {
	case nLeaf:
		if st.bit(2) {
			b.WriteString("(" + n.Leaf.text() + ")")
		} else {
			b.WriteString(n.Leaf.text())
		}
	case nNot:
		switch {
		case st.bit(3):
			b.WriteString("!")
		case st.bit(3):
			b.WriteString(st.oddCase("NOT") + st.sp())
		default:
			b.WriteString("NOT ")
		}
		n.X.render(b, ctxNot)
	case nAnd, nOr:
		need := c == ctxNot || (n.Kind == nOr && c == ctxAnd)
		paren := need || st.bit(3)
		if paren {
			b.WriteString("(")
		}
		sub := ctxAnd
		kw, sym := "AND", " && "
		if n.Kind == nOr {
			sub, kw, sym = ctxOr, "OR", " || "
		}
		n.X.render(b, sub)
		switch {
		case st.bit(3):
			b.WriteString(sym)
		case st.bit(3):
			b.WriteString(st.sp() + st.oddCase(kw) + st.sp())
		default:
			b.WriteString(" " + kw + " ")
		}
		n.Y.render(b, sub)
		if paren {
			b.WriteString(")")
		}
	}
}

func (n *cnode) text() string {
	var b strings.Builder
	n.render(&b, ctxTop)
	return b.String()
}

// ---- shrinking

// shrinkNode lists the trees one step simpler than n, simplest first.
func shrinkNode(n *cnode) []*cnode {
	var out []*cnode
	switch n.Kind {
	case nLeaf:
		for _, l := range shrinkLeaf(n.Leaf) {
			out = append(out, &cnode{Kind: nLeaf, Leaf: l, Style: n.Style})
		}
		if n.Style != 0 {
			out = append(out, &cnode{Kind: nLeaf, Leaf: n.Leaf})
		}
		return out
	case nNot:
		out = append(out, n.X)
		for _, x := range shrinkNode(n.X) {
			out = append(out, &cnode{Kind: nNot, X: x, Style: n.Style})
		}
	default:
		out = append(out, n.X, n.Y)
		for _, x := range shrinkNode(n.X) {
			out = append(out, &cnode{Kind: n.Kind, X: x, Y: n.Y, Style: n.Style})
		}
		for _, y := range shrinkNode(n.Y) {
			out = append(out, &cnode{Kind: n.Kind, X: n.X, Y: y, Style: n.Style})
		}
	}
	if n.Style != 0 {
		c := *n
		c.Style = 0
		out = append(out, &c)
	}
	return out
}

func shrinkOperand(o operand) []operand {
	var out []operand
	switch o.Kind {
	case oSet:
		out = append(out, operand{Kind: oLit, Vals: []int{o.Vals[0]}})
		if len(o.Vals) > 1 {
			for i := range o.Vals {
				c := o.clone()
				c.Vals = append(c.Vals[:i], c.Vals[i+1:]...)
				out = append(out, c)
			}
		}
		for i, v := range o.Vals {
			if v != 0 {
				c := o.clone()
				c.Vals[i] = 0
				out = append(out, c)
			}
		}
	case oLit:
		if o.Vals[0] != 0 {
			out = append(out, operand{Kind: oLit, Vals: []int{0}})
		}
	case oAttr:
		out = append(out, operand{Kind: oLit, Vals: []int{0}})
		if o.Attr != 0 {
			out = append(out, operand{Kind: oAttr})
		}
	}
	return out
}

func shrinkLeaf(l *leaf) []*leaf {
	var out []*leaf
	add := func(c *leaf) {
		if c.valid() {
			out = append(out, c)
		}
	}
	switch l.Kind {
	case lkCmp:
		if l.Quant != 0 {
			c := l.clone()
			c.Quant = 0
			add(c)
		}
		if l.Op != 0 {
			c := l.clone()
			c.Op = 0
			add(c)
		}
		for _, o := range shrinkOperand(l.L) {
			c := l.clone()
			c.L = o
			add(c)
		}
		for _, o := range shrinkOperand(l.R) {
			c := l.clone()
			c.R = o
			add(c)
		}
	case lkExists:
		if l.Neg {
			c := l.clone()
			c.Neg = false
			add(c)
		}
		if l.Attr != 0 {
			c := l.clone()
			c.Attr = 0
			add(c)
		}
	case lkAction, lkSubOp:
		if len(l.Pats) > 1 {
			for i := range l.Pats {
				c := l.clone()
				c.Pats = append(c.Pats[:i], c.Pats[i+1:]...)
				add(c)
			}
		}
		for i, p := range l.Pats {
			if p != 0 {
				c := l.clone()
				c.Pats[i] = 0
				add(c)
			}
		}
	}
	if l.Style != 0 {
		c := l.clone()
		c.Style = 0
		add(c)
	}
	return out
}

// ---------------------------------------------------------------------------------------------
// Requests.

// reqAttr is one attribute of a request: JSON scalars, written as an array or as one scalar.
type reqAttr struct {
	Section, Name string
	Vals          []string // JSON texts
	Array         bool
}

type tagKV struct {
	Key   string
	Vals  []string
	Array bool
}

type reqSpec struct {
	Action  int
	SubOp   int // -1: none
	Attrs   []reqAttr
	HasTags bool
	Tags    []tagKV
}

func jsonStr(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func jsonStrs(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = jsonStr(s)
	}
	return out
}

var (
	jsStrings = jsonStrs(append(append([]string(nil), strVals...), strReqExtra...))
	jsInts    = intVals
	jsBools   = []string{"true", "false"}
	jsDates   = jsonStrs(dateVals)
	jsGuids   = jsonStrs(guidVals)
)

// reqAttrDef says how to generate one request attribute: its values, and rarely values of
// another kind (for the untyped custom security attributes).
type reqAttrDef struct {
	section, name string
	vals, odd     []string
}

var reqAttrDefs = []reqAttrDef{
	{"resource", "Microsoft.Storage/storageAccounts/blobServices/containers:name", jsStrings, nil},
	{"resource", blobsPath + ":path", jsStrings, nil},
	{"request", blobsPath + ":include", jsStrings, nil},
	{"principal", csaPrefix + "Proj", jsStrings, []string{"5", "true"}},
	{"principal", csaPrefix + "Level", jsInts, []string{`"5"`, `"abc"`, `""`}},
	{"environment", "isPrivateLink", jsBools, nil},
	{"resource", "Microsoft.Storage/storageAccounts:isHnsEnabled", jsBools, nil},
	{"environment", "UtcNow", jsDates, nil},
	{"request", blobsPath + ":versionId", jsDates, nil},
	{"request", "Microsoft.Authorization/roleAssignments:RoleDefinitionId", jsGuids, nil},
	{"request", "Microsoft.Authorization/roleAssignments:PrincipalId", jsGuids, nil},
}

var tagKeys = []string{"Project", "Team", "project", "Other"}

// genValues gives one scalar (60%), an array of one to three (30%) or an empty array (10%).
func genValues(r rnd, pool, odd []string) ([]string, bool) {
	if len(odd) > 0 && r.Float64() < 0.1 {
		// A value of another kind; one odd value only, as arrays must be homogeneous.
		pool = []string{odd[pick(r, len(odd))]}
	}
	x := r.Float64()
	switch {
	case x < 0.6:
		return []string{pool[pick(r, len(pool))]}, false
	case x < 0.9:
		var vs []string
		for n := 1 + pick(r, 3); n > 0; n-- {
			vs = append(vs, pool[pick(r, len(pool))])
		}
		return vs, true
	}
	return nil, true
}

func genRequest(r rnd) *reqSpec {
	q := &reqSpec{Action: pick(r, len(reqActions)), SubOp: -1}
	if r.Float64() < 0.4 {
		q.SubOp = pick(r, len(reqSubOps))
	}
	for _, d := range reqAttrDefs {
		if r.Float64() < 0.35 {
			continue // missing
		}
		vs, arr := genValues(r, d.vals, d.odd)
		q.Attrs = append(q.Attrs, reqAttr{Section: d.section, Name: d.name, Vals: vs, Array: arr})
	}
	if r.Float64() < 0.75 {
		q.HasTags = true
		for _, k := range tagKeys {
			if r.Float64() < 0.5 {
				vs, arr := genValues(r, jsStrings, nil)
				if r.Float64() < 0.7 { // mostly single strings, as Azure sends them
					vs, arr = []string{jsStrings[pick(r, len(jsStrings))]}, false
				}
				q.Tags = append(q.Tags, tagKV{Key: k, Vals: vs, Array: arr})
			}
		}
	}
	return q
}

func jsonValue(vs []string, arr bool) string {
	if !arr {
		return vs[0]
	}
	return "[" + strings.Join(vs, ",") + "]"
}

func (q *reqSpec) JSON() string {
	var b strings.Builder
	b.WriteString(`{"action":` + jsonStr(reqActions[q.Action]))
	if q.SubOp >= 0 {
		b.WriteString(`,"subOperation":` + jsonStr(reqSubOps[q.SubOp]))
	}
	for _, sec := range []string{"resource", "request", "principal", "environment"} {
		var parts []string
		if sec == "resource" && q.HasTags {
			var kv []string
			for _, t := range q.Tags {
				kv = append(kv, jsonStr(t.Key)+":"+jsonValue(t.Vals, t.Array))
			}
			parts = append(parts, jsonStr(tagsDict)+":{"+strings.Join(kv, ",")+"}")
		}
		for _, a := range q.Attrs {
			if a.Section == sec {
				parts = append(parts, jsonStr(a.Name)+":"+jsonValue(a.Vals, a.Array))
			}
		}
		if len(parts) > 0 {
			b.WriteString(`,"` + sec + `":{` + strings.Join(parts, ",") + "}")
		}
	}
	b.WriteString("}")
	return b.String()
}

func (q *reqSpec) clone() *reqSpec {
	c := *q
	c.Attrs = append([]reqAttr(nil), q.Attrs...)
	c.Tags = append([]tagKV(nil), q.Tags...)
	return &c
}

func shrinkValues(vs []string, arr bool) (out [][]string, arrs []bool) {
	if !arr {
		return nil, nil
	}
	if len(vs) == 1 {
		return [][]string{vs}, []bool{false}
	}
	for i := range vs {
		c := append(append([]string(nil), vs[:i]...), vs[i+1:]...)
		out, arrs = append(out, c), append(arrs, true)
	}
	return out, arrs
}

func shrinkRequest(q *reqSpec) []*reqSpec {
	var out []*reqSpec
	if q.HasTags {
		c := q.clone()
		c.HasTags, c.Tags = false, nil
		out = append(out, c)
	}
	for i := range q.Attrs {
		c := q.clone()
		c.Attrs = append(c.Attrs[:i], c.Attrs[i+1:]...)
		out = append(out, c)
	}
	for i := range q.Tags {
		c := q.clone()
		c.Tags = append(c.Tags[:i], c.Tags[i+1:]...)
		out = append(out, c)
	}
	if q.SubOp >= 0 {
		c := q.clone()
		c.SubOp = -1
		out = append(out, c)
	}
	if q.Action != 0 {
		c := q.clone()
		c.Action = 0
		out = append(out, c)
	}
	for i, a := range q.Attrs {
		vss, arrs := shrinkValues(a.Vals, a.Array)
		for j := range vss {
			c := q.clone()
			c.Attrs[i].Vals, c.Attrs[i].Array = vss[j], arrs[j]
			out = append(out, c)
		}
	}
	for i, t := range q.Tags {
		vss, arrs := shrinkValues(t.Vals, t.Array)
		for j := range vss {
			c := q.clone()
			c.Tags[i].Vals, c.Tags[i].Array = vss[j], arrs[j]
			out = append(out, c)
		}
	}
	return out
}

// ---------------------------------------------------------------------------------------------
// A generated case: one condition and a few requests.

type propCase struct {
	Cond *cnode
	Reqs []*reqSpec
}

// String is what gopter prints for a failing (shrunk) case.
func (c *propCase) String() string {
	var b strings.Builder
	b.WriteString("\ncondition:\n" + c.Cond.text() + "\n")
	for i, q := range c.Reqs {
		fmt.Fprintf(&b, "request %d: %s\n", i, q.JSON())
	}
	return b.String()
}

func genCase(nreqs int) gopter.Gen {
	return func(p *gopter.GenParameters) *gopter.GenResult {
		r := p.Rng
		maxDepth := 1 + p.MaxSize/20 // sizes run over [0,100): depth 1..5
		c := &propCase{Cond: genCondition(r, maxDepth)}
		for i := 0; i < nreqs; i++ {
			c.Reqs = append(c.Reqs, genRequest(r))
		}
		return gopter.NewGenResult(c, shrinkCase)
	}
}

func sliceShrink[T any](cands []T) gopter.Shrink {
	i := 0
	return func() (interface{}, bool) {
		if i >= len(cands) {
			return nil, false
		}
		i++
		return cands[i-1], true
	}
}

func shrinkCase(v interface{}) gopter.Shrink {
	c := v.(*propCase)
	var cands []*propCase
	for _, n := range shrinkNode(c.Cond) {
		cands = append(cands, &propCase{Cond: n, Reqs: c.Reqs})
	}
	if len(c.Reqs) > 1 {
		for i := range c.Reqs {
			rs := append(append([]*reqSpec(nil), c.Reqs[:i]...), c.Reqs[i+1:]...)
			cands = append(cands, &propCase{Cond: c.Cond, Reqs: rs})
		}
	}
	for i, q := range c.Reqs {
		for _, s := range shrinkRequest(q) {
			rs := append([]*reqSpec(nil), c.Reqs...)
			rs[i] = s
			cands = append(cands, &propCase{Cond: c.Cond, Reqs: rs})
		}
	}
	return sliceShrink(cands)
}

// guarded runs a check, turning a panic into a failure message (so that gopter shrinks it).
func guarded(check func(*propCase) string) func(*propCase) string {
	return func(c *propCase) (msg string) {
		defer func() {
			if r := recover(); r != nil {
				msg = fmt.Sprintf("panic: %v\ncondition:\n%s", r, c.Cond.text())
			}
		}()
		return check(c)
	}
}

func compileBoth(text string) (opt, noopt *abacc.Program, msg string) {
	opt, err := abacc.Compile(text)
	if err != nil {
		return nil, nil, fmt.Sprintf("compile failed (a generator or compiler bug):\n%v\ncondition:\n%s", err, text)
	}
	noopt, err = compileOpts(text, hooks.Options{NoOptimize: true})
	if err != nil {
		return nil, nil, fmt.Sprintf("compile without optimization failed:\n%v\ncondition:\n%s", err, text)
	}
	return opt, noopt, ""
}

func loadRequest(q *reqSpec, into *abacc.Request) (string, string) {
	js := q.JSON()
	if err := into.UnmarshalJSON([]byte(js)); err != nil {
		return js, fmt.Sprintf("request rejected (a generator or decoder bug): %v\nrequest: %s", err, js)
	}
	return js, ""
}

// ---------------------------------------------------------------------------------------------
// Properties.

// checkEquivalence: VM(optimized) == VM(unoptimized) == reference interpreter, and a request
// vector reused across requests decides like a fresh one.
func checkEquivalence(c *propCase) string {
	text := c.Cond.text()
	opt, noopt, msg := compileBoth(text)
	if msg != "" {
		return msg
	}
	reused := abacc.NewRequest()
	for _, q := range c.Reqs {
		req := abacc.NewRequest()
		js, msg := loadRequest(q, req)
		if msg != "" {
			return msg
		}
		ref := opt.EvalReference(req)
		refNo := noopt.EvalReference(req)
		vmOpt := opt.Eval(req)
		vmNo := noopt.Eval(req)
		if _, msg := loadRequest(q, reused); msg != "" {
			return msg
		}
		vmReused := opt.Eval(reused)
		if ref != refNo || vmOpt != ref || vmNo != ref || vmReused != ref {
			return fmt.Sprintf("decisions differ: reference=%v VM(optimized)=%v VM(unoptimized)=%v VM(optimized, reused request)=%v\ncondition:\n%s\nformatted:\n%s\nrequest: %s\noptimized bytecode:\n%s\nunoptimized bytecode:\n%s",
				ref, vmOpt, vmNo, vmReused, text, opt.Format(), js, hooks.Bytecode(opt).Disassemble(), hooks.Bytecode(noopt).Disassemble())
		}
	}
	return ""
}

// checkRoundTrip: parse → print (names as written) → parse gives an equal tree; printing is a
// fixed point; Program.Format (catalog names) also reparses to an equal tree.
func checkRoundTrip(c *propCase) string {
	text := c.Cond.text()
	u := compiler.Frontend("gen", text, compiler.Options{})
	if !u.OK() {
		return fmt.Sprintf("front end rejected a generated condition (a generator or checker bug): %v\ncondition:\n%s", diagText(u), text)
	}
	printed := printer.Print(u.Expr, printer.Options{})
	u2 := compiler.Frontend("printed", printed, compiler.Options{})
	if !u2.OK() {
		return fmt.Sprintf("the printed condition does not compile: %v\ncondition:\n%s\nprinted:\n%s", diagText(u2), text, printed)
	}
	if !ast.Equal(printer.Group(u.Expr), u2.Expr) {
		return fmt.Sprintf("print→parse changed the tree\ncondition:\n%s\nprinted:\n%s\nreprinted:\n%s", text, printed, printer.Print(u2.Expr, printer.Options{}))
	}
	if again := printer.Print(u2.Expr, printer.Options{}); again != printed {
		return fmt.Sprintf("printing is not a fixed point\ncondition:\n%s\nprinted:\n%s\nreprinted:\n%s", text, printed, again)
	}
	p, err := abacc.Compile(text)
	if err != nil {
		return fmt.Sprintf("compile failed: %v\ncondition:\n%s", err, text)
	}
	formatted := p.Format()
	u3 := compiler.Frontend("formatted", formatted, compiler.Options{})
	if !u3.OK() {
		return fmt.Sprintf("Format output does not compile: %v\ncondition:\n%s\nformatted:\n%s", diagText(u3), text, formatted)
	}
	if !ast.Equal(printer.Group(u.Expr), u3.Expr) {
		return fmt.Sprintf("Format→parse changed the tree\ncondition:\n%s\nformatted:\n%s", text, formatted)
	}
	// check -strict(fmt(x)) draws no warning that x itself did not.
	before := map[string]bool{}
	for _, d := range u.Diags.Items {
		before[string(d.Code)] = true
	}
	for _, d := range u3.Diags.Items {
		if !before[string(d.Code)] || d.Code == diag.MixedAndOr {
			return fmt.Sprintf("Format output draws %s, which the input did not\ncondition:\n%s\nformatted:\n%s", d.Code, text, formatted)
		}
	}
	return ""
}

func diagText(u *compiler.Unit) string {
	var parts []string
	for _, d := range u.Diags.Items {
		parts = append(parts, u.File.Format(d))
	}
	return strings.Join(parts, "\n")
}

// checkEncoding: Decode(Encode(p)) verifies, re-encodes to the same bytes and decides alike.
func checkEncoding(c *propCase) string {
	text := c.Cond.text()
	opt, noopt, msg := compileBoth(text)
	if msg != "" {
		return msg
	}
	var decoded []*vm.Verified
	for _, p := range []*abacc.Program{opt, noopt} {
		enc := hooks.Bytecode(p).Encode()
		q, err := vm.Decode(enc, attrs.Default)
		if err != nil {
			return fmt.Sprintf("Decode(Encode(p)) failed: %v\ncondition:\n%s\nbytecode:\n%s", err, text, hooks.Bytecode(p).Disassemble())
		}
		if enc2 := q.Encode(); !bytes.Equal(enc, enc2) {
			return fmt.Sprintf("re-encoding differs (%d vs %d bytes)\ncondition:\n%s", len(enc), len(enc2), text)
		}
		decoded = append(decoded, q)
	}
	for _, q := range c.Reqs {
		req := abacc.NewRequest()
		js, msg := loadRequest(q, req)
		if msg != "" {
			return msg
		}
		want := []bool{opt.Eval(req), noopt.Eval(req)}
		for i, d := range decoded {
			if got := d.Eval(hooks.Vector(req)); got != want[i] {
				return fmt.Sprintf("decoded program decides %v, original %v (optimized=%v)\ncondition:\n%s\nrequest: %s", got, want[i], i == 0, text, js)
			}
		}
	}
	return ""
}

func TestPropertyVMEquivalence(t *testing.T) {
	runProperty(t, "VM(optimized) == VM(unoptimized) == reference",
		reqsPerCase, prop.ForAll(guarded(checkEquivalence), genCase(reqsPerCase)))
}

func TestPropertyPrintParseRoundTrip(t *testing.T) {
	runProperty(t, "parse(print(parse(c))) == parse(c)",
		0, prop.ForAll(guarded(checkRoundTrip), genCase(0)))
}

func TestPropertyEncodeDecodeRoundTrip(t *testing.T) {
	runProperty(t, "Decode(Encode(p)) verifies, re-encodes identically and decides alike",
		reqsPerCase, prop.ForAll(guarded(checkEncoding), genCase(reqsPerCase)))
}

// TestPropertyGeneratorCoverage checks that the generator reaches every operator, quantifier and
// leaf kind, and that a fair share of comparisons come out true (so the properties do not pass
// vacuously on conditions that are always false).
func TestPropertyGeneratorCoverage(t *testing.T) {
	// A fixed seed, and enough leaves that the rarest combination (a quantified Numeric
	// operator, about 0.17% of leaves) is expected some 35 times.
	params := gopter.DefaultGenParameters().CloneWithSeed(1)
	seen := map[string]int{}
	trues, total := 0, 0
	for i := 0; i < 20000; i++ {
		l := genLeaf(params.Rng)
		switch l.Kind {
		case lkCmp:
			f := &families[l.Fam]
			seen[quantNames[l.Quant]+":"+f.ops[l.Op]]++
			seen[f.ops[l.Op]]++
			seen[fmt.Sprintf("L%d/R%d", l.L.Kind, l.R.Kind)]++
		case lkExists:
			seen[fmt.Sprintf("exists/%v", l.Neg)]++
		case lkAction:
			seen["ActionMatches"]++
		case lkSubOp:
			seen["SubOperationMatches"]++
		}
		if !l.valid() {
			t.Fatalf("generator made an invalid leaf: %s", l.text())
		}
		if i >= 3000 {
			continue // compile and evaluate the first 3000
		}
		p, err := abacc.Compile(l.text())
		if err != nil {
			t.Fatalf("generated leaf does not compile: %v\n%s", err, l.text())
		}
		for j := 0; j < 3; j++ {
			req := abacc.NewRequest()
			if _, msg := loadRequest(genRequest(params.Rng), req); msg != "" {
				t.Fatal(msg)
			}
			if p.EvalReference(req) {
				trues++
			}
			total++
		}
	}
	for _, f := range families {
		for _, op := range f.ops {
			if seen[op] == 0 {
				t.Errorf("operator %s never generated", op)
			}
		}
		for _, q := range quantNames[1:] {
			for _, o := range f.quantOps {
				if seen[q+":"+f.ops[o]] == 0 {
					t.Errorf("%s:%s never generated", q, f.ops[o])
				}
			}
		}
	}
	for _, k := range []string{"ActionMatches", "SubOperationMatches", "exists/true", "exists/false", "L0/R0", "L0/R1", "L0/R2", "L1/R0", "L1/R1", "L2/R2"} {
		if seen[k] == 0 {
			t.Errorf("%s never generated", k)
		}
	}
	if trues*5 < total || trues*5 > total*4 {
		t.Errorf("leaves are true on %d of %d requests: the generator is unbalanced", trues, total)
	}
	t.Logf("single leaves true on %d of %d requests", trues, total)
}

// ---------------------------------------------------------------------------------------------
// Mutation test of the decoder and verifier.

// codeOffset returns where the instruction bytes of p's encoding start.
func codeOffset(t *testing.T, p *vm.Program, enc []byte) int {
	t.Helper()
	q := *p // every table, whatever the format holds
	q.Code, q.Spans, q.Source = nil, nil, ""
	tables := vm.Encode(&q)
	n := len(tables) - 2 // minus the empty code count and the empty source
	if !bytes.Equal(enc[:n], tables[:n]) {
		t.Fatalf("cannot locate the code section")
	}
	return n + len(binary.AppendUvarint(nil, uint64(len(p.Code))))
}

// mutationExtras are conditions with large constant sets (sorted, searched by binary search;
// one of them folded) and cross products, added to the conformance conditions.
var mutationExtras = []string{
	`@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEqualsIgnoreCase {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'Σ', 'K'}`,
	`@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Level] NumericEquals {1, 2, 3, 4, 5, 6, 7, 8, 9, 10} OR @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {8e3af657-a8ff-443c-a75c-2fe8c4bcb635, 5e467623-bb1f-42f4-a55d-6e525e11384b, ba92f5b4-2d11-453d-a403-e96b0029c9fe, 12345678-1234-1234-1234-123456789abc, 00000000-0000-0000-0000-000000000001, 00000000-0000-0000-0000-000000000002, 00000000-0000-0000-0000-000000000003, 00000000-0000-0000-0000-000000000004, 00000000-0000-0000-0000-000000000005}`,
	`@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&] ForAllOfAnyValues:StringLike {'a*', 'b?', 'c\*', 'd', 'e', 'f', 'g', 'h', 'i', 'j'} AND NOT @Environment[UtcNow] DateTimeGreaterThan '2023-05-01T13:00:00Z'`,
}

type mutationSubject struct {
	name, condition string
	reqs            []*attrs.Vector
}

func mutationSubjects(t *testing.T) []mutationSubject {
	files, err := filepath.Glob("testdata/conformance/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	const programs = 20
	if len(files) > programs {
		step := len(files) / programs
		var sel []string
		for i := 0; i < len(files) && len(sel) < programs; i += step {
			sel = append(sel, files[i])
		}
		files = sel
	}
	gp := gopter.DefaultGenParameters()
	generated := func(n int) []*attrs.Vector {
		var out []*attrs.Vector
		for i := 0; i < n; i++ {
			r := abacc.NewRequest()
			if _, msg := loadRequest(genRequest(gp.Rng), r); msg != "" {
				t.Fatal(msg)
			}
			out = append(out, hooks.Vector(r))
		}
		return out
	}
	var subjects []mutationSubject
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cf caseFile
		if err := json.Unmarshal(data, &cf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		sub := mutationSubject{name: filepath.Base(f), condition: cf.Condition}
		for _, c := range cf.Cases {
			r := abacc.NewRequest()
			if err := r.UnmarshalJSON(c.Request); err != nil {
				t.Fatalf("%s: %s: %v", f, c.Name, err)
			}
			sub.reqs = append(sub.reqs, hooks.Vector(r))
		}
		sub.reqs = append(sub.reqs, generated(4)...)
		subjects = append(subjects, sub)
	}
	for i, c := range mutationExtras {
		subjects = append(subjects, mutationSubject{name: fmt.Sprintf("extra-%d", i), condition: c, reqs: generated(12)})
	}
	return subjects
}

// TestVerifierRejectsMutations mutates every byte of encoded programs (the optimized and the
// unoptimized compilation of each subject; in the source text of all but the first 5 subjects,
// every 5th byte) with several values. Decode must never panic; what it accepts must evaluate
// without panic; a jump that is not forward inside the code and an unknown opcode must be
// rejected; every truncation must be rejected.
func TestVerifierRejectsMutations(t *testing.T) {
	start := time.Now()
	totalMut, accepted, programs := 0, 0, 0
	for si, sub := range mutationSubjects(t) {
		for _, opts := range []hooks.Options{{}, {NoOptimize: true}} {
			prog, err := compileOpts(sub.condition, opts)
			if err != nil {
				t.Fatalf("%s: %v", sub.name, err)
			}
			programs++
			name := sub.name
			if opts.NoOptimize {
				name += " (unoptimized)"
			}
			bc := hooks.Bytecode(prog).Copy()
			enc := vm.Encode(bc)
			codeStart := codeOffset(t, bc, enc)
			codeEnd := codeStart + 8*len(bc.Code)

			// Every truncation is rejected.
			for k := 0; k < len(enc); k++ {
				if _, err := decodeNoPanic(t, enc[:k]); err == nil {
					t.Errorf("%s: the encoding truncated to %d of %d bytes was accepted", name, k, len(enc))
				}
			}

			srcStart := len(enc) - len(bc.Source)
			mut := append([]byte(nil), enc...)
			for pos := range enc {
				if si >= 5 && pos >= srcStart && pos%5 != 0 {
					continue
				}
				b := enc[pos]
				for _, nb := range dedupe(b, b^0x01, b^0x80, 0x00, 0xFF, b+1, b-1) {
					mut[pos] = nb
					totalMut++
					q, err := decodeNoPanic(t, mut)
					if pos >= codeStart && pos < codeEnd && err == nil {
						// The mutated instruction, read from the bytes themselves.
						pc := (pos - codeStart) / 8
						in := mut[codeStart+8*pc : codeStart+8*pc+8]
						op := vm.Opcode(in[0])
						jump := int(binary.LittleEndian.Uint16(in[6:]))
						if msg := jumpProblem(pc, op, jump, len(bc.Code)); msg != "" {
							t.Errorf("%s: byte %d = %#02x: Decode accepted instruction %d: %s", name, pos, nb, pc, msg)
						}
					}
					if err == nil {
						if msg := structuralProblem(q.Copy()); msg != "" {
							t.Errorf("%s: byte %d = %#02x: Decode accepted a program where %s", name, pos, nb, msg)
						}
						accepted++
						evalNoPanic(t, name, pos, nb, q, sub.reqs)
					}
				}
				mut[pos] = b
			}
		}
	}
	t.Logf("%d programs, %d mutations, %d accepted by the verifier (each evaluated without panic), %v",
		programs, totalMut, accepted, time.Since(start).Round(time.Millisecond))
}

// jumpProblem describes what is wrong with an instruction's opcode or jump field, if anything:
// an unknown opcode, a JUMP or test whose target is not forward inside the code, or a return or
// SWITCH with a non-zero jump field.
func jumpProblem(pc int, op vm.Opcode, jump, n int) string {
	switch {
	case op.String() == "INVALID":
		return fmt.Sprintf("unknown opcode %d", op)
	case op == vm.OpRetTrue || op == vm.OpRetFalse || op == vm.OpSwitch:
		if jump != 0 {
			return fmt.Sprintf("%s with jump field %d", op, jump)
		}
	case jump <= pc || jump >= n: // OpJump and every test instruction
		return fmt.Sprintf("%s jumps to %d, not forward inside the %d instructions (backward or out of range)", op, jump, n)
	}
	return ""
}

// structuralProblem checks what a verified program must satisfy for evaluation to terminate:
// known opcodes, every jump and switch target forward inside the code, a return at the end.
func structuralProblem(q *vm.Program) string {
	n := len(q.Code)
	if n == 0 {
		return "the code is empty"
	}
	if last := q.Code[n-1].Op; last != vm.OpRetTrue && last != vm.OpRetFalse {
		return "the last instruction does not return"
	}
	for pc, in := range q.Code {
		if msg := jumpProblem(pc, in.Op, int(in.Jump), n); msg != "" {
			return fmt.Sprintf("instruction %d: %s", pc, msg)
		}
		if in.Op == vm.OpSwitch {
			if int(in.B) >= len(q.Switches) {
				return fmt.Sprintf("instruction %d: switch table %d out of range", pc, in.B)
			}
			sw := q.Switches[in.B]
			for _, tg := range append(append([]uint16(nil), sw.Targets...), sw.Default) {
				if int(tg) <= pc || int(tg) >= n {
					return fmt.Sprintf("instruction %d: switch target %d is not forward inside the code", pc, tg)
				}
			}
		}
	}
	return ""
}

func dedupe(orig byte, vs ...byte) []byte {
	var out []byte
	for _, v := range vs {
		if v == orig || bytes.IndexByte(out, v) >= 0 {
			continue
		}
		out = append(out, v)
	}
	return out
}

func decodeNoPanic(t *testing.T, data []byte) (q *vm.Verified, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("vm.Decode panicked on %d bytes: %v\n%x", len(data), r, data)
		}
	}()
	return vm.Decode(data, attrs.Default)
}

func evalNoPanic(t *testing.T, name string, pos int, nb byte, q *vm.Verified, reqs []*attrs.Vector) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: byte %d = %#02x: a verified program panicked: %v\n%s", name, pos, nb, r, q.Disassemble())
		}
	}()
	for _, r := range reqs {
		q.Eval(r)
	}
	_ = q.Disassemble()
}
