// Package bench holds abacc's benchmarks: decisions per second of the bytecode VM (optimized
// and unoptimized) against the reference interpreter, the cost of filling a request, and the
// size of compiled programs. See README.md for how to run them and compare runs.
package bench

import (
	"encoding/json"
	"fmt"
	"github.com/abacc/abacc/internal/hooks"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/abacc/abacc"
)

// conformanceDir is the conformance corpus, relative to this package's directory (the working
// directory of `go test`).
const conformanceDir = "../testdata/conformance"

// corpusCase is one case of a conformance file.
type corpusCase struct {
	Name    string          `json:"name"`
	Request json.RawMessage `json:"request"`
	Expect  bool            `json:"expect"`
}

// corpusFile is one conformance condition with its cases.
type corpusFile struct {
	// ID is the file name without ".json" (e.g. "01-tag-read"): the sub-benchmark name.
	ID        string       `json:"-"`
	Name      string       `json:"name"`
	Condition string       `json:"condition"`
	Cases     []corpusCase `json:"cases"`
}

// corpus is the conformance corpus, loaded once at init (sorted by file name).
var corpus, corpusErr = loadCorpus()

func loadCorpus() ([]corpusFile, error) {
	files, err := filepath.Glob(filepath.Join(conformanceDir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no conformance files in %s", conformanceDir)
	}
	sort.Strings(files)
	out := make([]corpusFile, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var cf corpusFile
		if err := json.Unmarshal(data, &cf); err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		if len(cf.Cases) == 0 {
			return nil, fmt.Errorf("%s: no cases", f)
		}
		cf.ID = strings.TrimSuffix(filepath.Base(f), ".json")
		out = append(out, cf)
	}
	return out, nil
}

func mustCorpus(tb testing.TB) []corpusFile {
	tb.Helper()
	if corpusErr != nil {
		tb.Fatal(corpusErr)
	}
	return corpus
}

// engine is one way of deciding a compiled condition.
type engine struct {
	name string
	// opts compiles the program the engine runs.
	opts hooks.Options
	// ref selects the reference interpreter instead of the VM.
	ref bool
}

// engines: the optimized VM, the VM without the optimizer, the tree-walking reference interpreter.
var engines = []engine{
	{name: "vm"},
	{name: "vm-O0", opts: hooks.Options{NoOptimize: true}},
	{name: "ref", ref: true},
}

func (e engine) eval(p *abacc.Program, r *abacc.Request) bool {
	if e.ref {
		return p.EvalReference(r)
	}
	return p.Eval(r)
}

// sink keeps benchmark results observable so that evaluation is not optimized away.
var sink int

func mustCompile(tb testing.TB, src string, opts hooks.Options) *abacc.Program {
	tb.Helper()
	p, err := compileOpts(src, opts)
	if err != nil {
		tb.Fatalf("compile (%+v): %v", opts, err)
	}
	return p
}

func mustRequest(tb testing.TB, data []byte) *abacc.Request {
	tb.Helper()
	r := abacc.NewRequest()
	if err := r.UnmarshalJSON(data); err != nil {
		tb.Fatalf("request %s: %v", data, err)
	}
	return r
}

// BenchmarkConformance decides, for every conformance condition and every engine, the
// condition's first case (compiled and unmarshalled before the timer starts).
func BenchmarkConformance(b *testing.B) {
	for _, cf := range mustCorpus(b) {
		b.Run(cf.ID, func(b *testing.B) {
			req := mustRequest(b, cf.Cases[0].Request)
			for _, e := range engines {
				prog := mustCompile(b, cf.Condition, e.opts)
				b.Run(e.name, func(b *testing.B) {
					b.ReportAllocs()
					n := 0
					for b.Loop() {
						if e.eval(prog, req) {
							n++
						}
					}
					sink += n
				})
			}
		})
	}
}

// The large condition, in two shapes: an AND of 8 action-guarded blocks (Azure's usual form)
// and one OR of 8 action-guarded clauses. Both hold the same 42 comparisons.
const (
	largeAndFile      = "testdata/large.cond"
	largeOrFile       = "testdata/large-or.cond"
	largeRequestsFile = "testdata/large-requests.json"
)

// largeRequest is one request of testdata/large-requests.json with the decision each shape
// must reach. The shapes differ for actions no block targets (AND: allowed, OR: denied) and
// for the Blob.List exemption, which only the AND shape has.
type largeRequest struct {
	Name      string          `json:"name"`
	ExpectAnd bool            `json:"expectAnd"`
	ExpectOr  bool            `json:"expectOr"`
	Request   json.RawMessage `json:"request"`
}

type shape struct {
	name, file string
	expect     func(largeRequest) bool
}

var shapes = []shape{
	{"and-of-blocks", largeAndFile, func(r largeRequest) bool { return r.ExpectAnd }},
	{"or-of-clauses", largeOrFile, func(r largeRequest) bool { return r.ExpectOr }},
}

func readFile(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func loadLargeRequests(tb testing.TB) ([]largeRequest, []*abacc.Request) {
	tb.Helper()
	var lrs []largeRequest
	if err := json.Unmarshal(readFile(tb, largeRequestsFile), &lrs); err != nil {
		tb.Fatalf("%s: %v", largeRequestsFile, err)
	}
	reqs := make([]*abacc.Request, len(lrs))
	for i, lr := range lrs {
		reqs[i] = mustRequest(tb, lr.Request)
	}
	return lrs, reqs
}

// BenchmarkLarge decides the large condition (both shapes) with each engine over a rotating
// set of pre-filled requests: one op is one decision, the requests taken round-robin.
func BenchmarkLarge(b *testing.B) {
	_, reqs := loadLargeRequests(b)
	for _, s := range shapes {
		src := string(readFile(b, s.file))
		b.Run(s.name, func(b *testing.B) {
			for _, e := range engines {
				prog := mustCompile(b, src, e.opts)
				b.Run(e.name, func(b *testing.B) {
					b.ReportAllocs()
					n, i := 0, 0
					for b.Loop() {
						if e.eval(prog, reqs[i]) {
							n++
						}
						if i++; i == len(reqs) {
							i = 0
						}
					}
					sink += n
				})
			}
		})
	}
}

// TestLarge checks that both shapes of the large condition compile without error and that
// the optimized VM, the unoptimized VM and the reference interpreter agree with each other and
// with the expected decision on every request.
func TestLarge(t *testing.T) {
	lrs, reqs := loadLargeRequests(t)
	for _, s := range shapes {
		src := string(readFile(t, s.file))
		for _, e := range engines {
			p := mustCompile(t, src, e.opts)
			if e.name == "vm" {
				t.Logf("%s: %d bytes of source, %d instructions, %d warnings", s.file, len(src), hooks.Bytecode(p).Len(), len(p.Warnings()))
			}
			for i, lr := range lrs {
				if got, want := e.eval(p, reqs[i]), s.expect(lr); got != want {
					t.Errorf("%s/%s: %q: got %v, want %v", s.name, e.name, lr.Name, got, want)
				}
			}
		}
	}
}

// readSetter fills a request through the typed setters with the values of the first large
// request (a tagged blob read), with attribute handles resolved once.
type readSetter struct {
	container, path, account, project, program, privateLink, utcNow abacc.Attr
	now                                                             time.Time
}

func newReadSetter(tb testing.TB) *readSetter {
	tb.Helper()
	lookup := func(ref string) abacc.Attr {
		a, err := abacc.LookupAttr(ref)
		if err != nil {
			tb.Fatalf("LookupAttr(%q): %v", ref, err)
		}
		return a
	}
	now, err := time.Parse(time.RFC3339Nano, "2025-03-14T09:26:53.5897932Z")
	if err != nil {
		tb.Fatal(err)
	}
	return &readSetter{
		container:   lookup("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]"),
		path:        lookup("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]"),
		account:     lookup("@Resource[Microsoft.Storage/storageAccounts:name]"),
		project:     lookup("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>]"),
		program:     lookup("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Program<$key_case_sensitive$>]"),
		privateLink: lookup("@Environment[isPrivateLink]"),
		utcNow:      lookup("@Environment[UtcNow]"),
		now:         now,
	}
}

// fill resets r and sets the blob read request; the first error is returned.
func (s *readSetter) fill(r *abacc.Request) error {
	r.Reset()
	r.SetAction("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read")
	errs := [...]error{
		r.SetString(s.account, "contosodata"),
		r.SetString(s.container, "logs"),
		r.SetString(s.path, "logs/frontend/2024-06-01.json"),
		r.SetString(s.project, "Cascade"),
		r.SetString(s.program, "Alpine"),
		r.SetBool(s.privateLink, true),
		r.SetTime(s.utcNow, s.now),
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkFill measures filling the request vector for the tagged blob read of the large
// condition: from its JSON document (UnmarshalJSON, with and without the decision), and from Go
// values through the typed setters (Reset + setters + Eval, handles resolved once, warmed up).
func BenchmarkFill(b *testing.B) {
	lrs, _ := loadLargeRequests(b)
	data := []byte(lrs[0].Request)
	prog := mustCompile(b, string(readFile(b, largeAndFile)), hooks.Options{})

	b.Run("json", func(b *testing.B) {
		r := mustRequest(b, data) // warm up the arenas
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := r.UnmarshalJSON(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json+eval", func(b *testing.B) {
		r := mustRequest(b, data)
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			if err := r.UnmarshalJSON(data); err != nil {
				b.Fatal(err)
			}
			if prog.Eval(r) {
				n++
			}
		}
		sink += n
	})
	b.Run("setters+eval", func(b *testing.B) {
		s := newReadSetter(b)
		r := abacc.NewRequest()
		if err := s.fill(r); err != nil { // warm up the arenas
			b.Fatal(err)
		}
		if !prog.Eval(r) {
			b.Fatal("the setter-filled read request is denied")
		}
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			if err := s.fill(r); err != nil {
				b.Fatal(err)
			}
			if prog.Eval(r) {
				n++
			}
		}
		sink += n
	})
}

// TestZeroAllocs asserts that a warmed-up Reset + typed setters + Eval allocates nothing, and
// that the VM (optimized and unoptimized) allocates nothing to decide any conformance condition
// on any of its requests, nor the large conditions on theirs.
func TestZeroAllocs(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("allocation counts are not meaningful under -cover or -race")
	}
	t.Run("setters+eval", func(t *testing.T) {
		s := newReadSetter(t)
		r := abacc.NewRequest()
		for _, opts := range []hooks.Options{{}, {NoOptimize: true}} {
			prog := mustCompile(t, string(readFile(t, largeAndFile)), opts)
			if err := s.fill(r); err != nil {
				t.Fatal(err)
			}
			// The setters must describe the same request as the JSON document.
			lrs, reqs := loadLargeRequests(t)
			if got, want := prog.Eval(r), prog.Eval(reqs[0]); got != want || got != lrs[0].ExpectAnd {
				t.Fatalf("%+v: setter-filled request decides %v, JSON-filled %v, want %v", opts, got, want, lrs[0].ExpectAnd)
			}
			var err error
			allocs := testing.AllocsPerRun(100, func() {
				if e := s.fill(r); e != nil {
					err = e
				}
				if prog.Eval(r) {
					sink++
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if allocs != 0 {
				t.Errorf("%+v: Reset + setters + Eval: %v allocs/op, want 0", opts, allocs)
			}
		}
	})
	t.Run("conformance", func(t *testing.T) {
		for _, cf := range mustCorpus(t) {
			for _, opts := range []hooks.Options{{}, {NoOptimize: true}} {
				prog := mustCompile(t, cf.Condition, opts)
				for _, c := range cf.Cases {
					r := mustRequest(t, c.Request)
					if allocs := testing.AllocsPerRun(20, func() {
						if prog.Eval(r) {
							sink++
						}
					}); allocs != 0 {
						t.Errorf("%s (NoOptimize=%v): %q: Eval: %v allocs/op, want 0", cf.ID, opts.NoOptimize, c.Name, allocs)
					}
				}
			}
		}
	})
	t.Run("large", func(t *testing.T) {
		lrs, reqs := loadLargeRequests(t)
		for _, s := range shapes {
			for _, opts := range []hooks.Options{{}, {NoOptimize: true}} {
				prog := mustCompile(t, string(readFile(t, s.file)), opts)
				for i, r := range reqs {
					if allocs := testing.AllocsPerRun(20, func() {
						if prog.Eval(r) {
							sink++
						}
					}); allocs != 0 {
						t.Errorf("%s (NoOptimize=%v): %q: Eval: %v allocs/op, want 0", s.name, opts.NoOptimize, lrs[i].Name, allocs)
					}
				}
			}
		}
	})
}
