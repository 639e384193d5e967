// Property-based tests of the whole pipeline (github.com/leanovate/gopter).
//
// Random well-typed conditions and random requests over the same attributes, from the
// generator shared with the fuzz targets (internal/testgen), are checked for three properties:
//
//   - TestPropertyVMEquivalence: the optimized VM, the unoptimized VM and the reference
//     interpreter decide every generated (condition, request) pair alike (and a reused request
//     vector decides like a fresh one);
//   - TestPropertyPrintParseRoundTrip: printing the parsed tree and parsing the text again
//     gives an equal tree (ast.Equal), and printing is a fixed point;
//   - TestPropertyEncodeDecodeRoundTrip: vm.Encode → vm.Decode (which links and verifies)
//     succeeds, re-encodes to the same bytes and evaluates like the original program.
//   - TestPropertyExtendedOperators (extended_property_test.go): over the newer operators
//     (testgen.ExtendedCaseGen), the optimized, unoptimized and decoded VMs and the reference
//     interpreter decide alike, and Explain agrees with the VM.
//
// TestPropertyGeneratorCoverage checks that the generator reaches every operator, quantifier and
// leaf kind, and that single comparisons are true on a fair share of requests.
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
// A failure prints the shrunk condition text and request JSON (or, for requests loaded through
// the typed setters, the setter calls).
package abacc_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
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
	"github.com/abacc/abacc/internal/check"
	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/hooks"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/syntax/printer"
	"github.com/abacc/abacc/internal/testgen"
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
	runPropertyScaled(t, name, nreqs, 1, p)
}

// runPropertyScaled is runProperty on 1/divisor of the cases, for properties that cost more
// per case.
func runPropertyScaled(t *testing.T, name string, nreqs, divisor int, p gopter.Prop) {
	params := propParameters(t)
	params.MinSuccessfulTests = max(1, params.MinSuccessfulTests/divisor)
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
// Cases: conditions and requests from the shared generator (internal/testgen).

// propDepth is the depth of generated condition trees: some 12 leaves on average.
const propDepth = 5

// propGen generates cases of a condition and nreqs requests.
func propGen(nreqs int) gopter.Gen {
	return testgen.CaseGen(testgen.Options{MinDepth: propDepth, MaxDepth: propDepth}, nreqs)
}

// guarded runs a check, turning a panic into a failure message (so that gopter shrinks it).
func guarded(check func(*testgen.Case) string) func(*testgen.Case) string {
	return func(c *testgen.Case) (msg string) {
		defer func() {
			if r := recover(); r != nil {
				msg = fmt.Sprintf("panic: %v\ncondition:\n%s", r, c.Cond.Text())
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

// loadRequest fills into with q: through the typed setters if setter (a Setter case), from q's
// JSON otherwise. It returns a description of the request for messages, and a failure message.
func loadRequest(setter bool, q *testgen.Request, into *abacc.Request) (string, string) {
	if setter {
		log, err := q.Apply(hooks.Vector(into))
		if err != nil {
			return log, fmt.Sprintf("the typed setters reject a generated request (a generator bug?): %v\n%s", err, log)
		}
		return "typed setters (attribute ids of attrs.Default):\n" + log, ""
	}
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
func checkEquivalence(c *testgen.Case) string {
	text := c.Cond.Text()
	opt, noopt, msg := compileBoth(text)
	if msg != "" {
		return msg
	}
	reused := abacc.NewRequest()
	for _, q := range c.Reqs {
		req := abacc.NewRequest()
		js, msg := loadRequest(c.Setter, q, req)
		if msg != "" {
			return msg
		}
		ref := opt.EvalReference(req)
		refNo := noopt.EvalReference(req)
		vmOpt := opt.Eval(req)
		vmNo := noopt.Eval(req)
		if _, msg := loadRequest(c.Setter, q, reused); msg != "" {
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
func checkRoundTrip(c *testgen.Case) string {
	text := c.Cond.Text()
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
	// Format writes attribute names in the catalog's case: so must the tree it is compared with.
	canonicalNames(u.Expr)
	if !ast.Equal(printer.Group(u.Expr), u3.Expr) {
		return fmt.Sprintf("Format→parse changed the tree\ncondition:\n%s\nformatted:\n%s", text, formatted)
	}
	// check -strict(fmt(x)) draws no warning that x itself did not; but for the size warning:
	// Format's line breaks and indentation can take a condition near Azure's 8 KiB over it.
	before := map[string]bool{}
	for _, d := range u.Diags.Items {
		before[string(d.Code)] = true
	}
	for _, d := range u3.Diags.Items {
		if (!before[string(d.Code)] && d.Code != diag.OverAzureLimit) || d.Code == diag.MixedAndOr {
			return fmt.Sprintf("Format output draws %s, which the input did not\ncondition:\n%s\nformatted:\n%s", d.Code, text, formatted)
		}
	}
	return ""
}

// canonicalNames rewrites, in place, the attribute names of a checked tree in the catalog's
// case (dictionary keys keep theirs), as Program.Format prints them.
func canonicalNames(x ast.Node) {
	switch n := x.(type) {
	case *ast.BinaryExpr:
		canonicalNames(n.X)
		canonicalNames(n.Y)
	case *ast.NotExpr:
		canonicalNames(n.X)
	case *ast.ParenExpr:
		canonicalNames(n.X)
	case *ast.ExistsExpr:
		canonicalNames(n.Attr)
	case *ast.Comparison:
		canonicalNames(n.Left)
		canonicalNames(n.Right)
	case *ast.AttrRef:
		n.Name = check.CanonicalName(attrs.Default, n)
	}
}

func diagText(u *compiler.Unit) string {
	var parts []string
	for _, d := range u.Diags.Items {
		parts = append(parts, u.File.Format(d))
	}
	return strings.Join(parts, "\n")
}

// checkEncoding: Decode(Encode(p)) verifies, re-encodes to the same bytes and decides alike.
func checkEncoding(c *testgen.Case) string {
	text := c.Cond.Text()
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
		js, msg := loadRequest(c.Setter, q, req)
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

// checkExplain: the explanation of every request, optimized and unoptimized, decides as Eval
// does and reads each executed test as its source text reads (checkExplanation).
func checkExplain(c *testgen.Case) string {
	text := c.Cond.Text()
	opt, noopt, msg := compileBoth(text)
	if msg != "" {
		return msg
	}
	texts := map[string]*abacc.Program{}
	for _, q := range c.Reqs {
		req := abacc.NewRequest()
		js, msg := loadRequest(c.Setter, q, req)
		if msg != "" {
			return msg
		}
		for _, p := range []*abacc.Program{opt, noopt} {
			if err := checkExplanation(p, req, texts, abacc.DialectStandard); err != nil {
				return fmt.Sprintf("%v\ncondition:\n%s\nrequest: %s\nbytecode:\n%s", err, text, js, hooks.Bytecode(p).Disassemble())
			}
		}
	}
	return ""
}

// TestPropertyExplainReadsLikeSource runs checkExplain on a quarter of the cases the other
// properties check (explaining compiles each step's text on its own): 3,000 requests in CI,
// 250,000 under make prop.
func TestPropertyExplainReadsLikeSource(t *testing.T) {
	runPropertyScaled(t, "Explain == Eval, each step reads as its text", reqsPerCase, 4,
		prop.ForAll(guarded(checkExplain), propGen(reqsPerCase)))
}

func TestPropertyVMEquivalence(t *testing.T) {
	runProperty(t, "VM(optimized) == VM(unoptimized) == reference",
		reqsPerCase, prop.ForAll(guarded(checkEquivalence), propGen(reqsPerCase)))
}

func TestPropertyPrintParseRoundTrip(t *testing.T) {
	runProperty(t, "parse(print(parse(c))) == parse(c)",
		0, prop.ForAll(guarded(checkRoundTrip), propGen(0)))
}

func TestPropertyEncodeDecodeRoundTrip(t *testing.T) {
	runProperty(t, "Decode(Encode(p)) verifies, re-encodes identically and decides alike",
		reqsPerCase, prop.ForAll(guarded(checkEncoding), propGen(reqsPerCase)))
}

// TestPropertyGeneratorCoverage checks that the generator reaches every operator, quantifier,
// operand combination and leaf kind, and makes Setter cases, and that a fair share of
// comparisons come out true (so the properties do not pass vacuously on conditions that are
// always false).
func TestPropertyGeneratorCoverage(t *testing.T) {
	// A fixed seed, and enough leaves that the rarest combination (a quantified Numeric
	// operator, about 0.17% of leaves) is expected some 35 times.
	params := gopter.DefaultGenParameters().CloneWithSeed(1)
	seen := map[string]int{}
	trues, total := 0, 0
	operands := []string{"attr", "lit", "set"}
	for i := 0; i < 20000; i++ {
		// A new generator for each leaf: requests draw on the literals of that leaf only.
		g := testgen.New(params.Rng, testgen.Options{})
		l := g.Leaf()
		switch l.Kind {
		case testgen.CompareLeaf:
			seen[l.Quant+":"+l.Op]++
			seen[l.Op]++
			seen[operands[l.L.Kind]+"/"+operands[l.R.Kind]]++
			if l.L.Kind == testgen.AttrOperand && l.L.Attr.Multi {
				seen["multi-valued left"]++
			}
		case testgen.ExistsLeaf:
			seen[fmt.Sprintf("exists/%v", l.Negated)]++
		case testgen.ActionLeaf:
			seen["ActionMatches"]++
		case testgen.SubOperationLeaf:
			seen["SubOperationMatches"]++
		}
		if !l.Valid() {
			t.Fatalf("generator made an invalid leaf: %s", l.Text())
		}
		if i >= 3000 {
			continue // compile and evaluate the first 3000
		}
		p, err := abacc.Compile(l.Text())
		if err != nil {
			t.Fatalf("generated leaf does not compile: %v\n%s", err, l.Text())
		}
		for j := 0; j < 3; j++ {
			req := abacc.NewRequest()
			if _, msg := loadRequest(false, g.Request(), req); msg != "" {
				t.Fatal(msg)
			}
			if p.EvalReference(req) {
				trues++
			}
			total++
		}
	}
	for f := testgen.Family(0); f < testgen.NumFamilies; f++ {
		for _, op := range f.Operators() {
			if seen[op] == 0 {
				t.Errorf("operator %s never generated", op)
			}
		}
		for _, q := range testgen.Quantifiers {
			for _, op := range f.QuantifiableOperators() {
				if seen[q+":"+op] == 0 {
					t.Errorf("%s:%s never generated", q, op)
				}
			}
		}
	}
	for _, k := range []string{"ActionMatches", "SubOperationMatches", "exists/true", "exists/false", "multi-valued left",
		"attr/attr", "attr/lit", "attr/set", "lit/attr", "lit/lit", "set/set"} {
		if seen[k] == 0 {
			t.Errorf("%s never generated", k)
		}
	}
	if trues*5 < total || trues*5 > total*4 {
		t.Errorf("leaves are true on %d of %d requests: the generator is unbalanced", trues, total)
	}
	t.Logf("single leaves true on %d of %d requests", trues, total)
	setters := 0
	for i := 0; i < 400; i++ {
		if testgen.New(params.Rng, testgen.Options{}).Case(0).Setter {
			setters++
		}
	}
	if setters < 40 || setters > 200 {
		t.Errorf("%d of 400 cases load their requests through the typed setters; want about 100", setters)
	}
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
			if _, msg := loadRequest(false, testgen.New(gp.Rng, testgen.Options{}).Request(), r); msg != "" {
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
