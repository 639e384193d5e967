package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/abacc/abacc/internal/hooks"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
)

// workloadDir is the workload corpus: realistic conditions with their requests, one JSON file
// each ({"name", "description", "condition", "cases": [{"name", "request", "expect"}]}).
const workloadDir = "corpus"

// workloadCase is one request of a workload condition with its expected decision.
type workloadCase struct {
	Name    string          `json:"name"`
	Request json.RawMessage `json:"request"`
	Expect  bool            `json:"expect"`
}

// workload is one condition of the workload corpus.
type workload struct {
	// ID is the file name without ".json": the sub-benchmark name.
	ID          string         `json:"-"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Condition   string         `json:"condition"`
	Cases       []workloadCase `json:"cases"`
}

// loadWorkloads reads bench/corpus/*.json, sorted by file name.
func loadWorkloads(tb testing.TB) []workload {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(workloadDir, "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) == 0 {
		tb.Fatalf("no workload conditions in %s", workloadDir)
	}
	sort.Strings(files)
	out := make([]workload, 0, len(files))
	for _, f := range files {
		var w workload
		dec := json.NewDecoder(bytes.NewReader(readFile(tb, f)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&w); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		if len(w.Cases) == 0 {
			tb.Fatalf("%s: no cases", f)
		}
		w.ID = strings.TrimSuffix(filepath.Base(f), ".json")
		out = append(out, w)
	}
	return out
}

// callKind selects the typed setter of one setterCall.
type callKind uint8

const (
	callString  callKind = iota // SetString
	callStrings                 // SetStrings
	callInts                    // SetInts
	callBool                    // SetBool
	callTime                    // SetTime
	callGuid                    // SetGuid
)

// setterCall is one typed-setter call with its argument converted before timing.
type setterCall struct {
	kind callKind
	attr abacc.Attr
	ref  string // the attribute reference, for error messages
	s    string
	ss   []string
	ints []int64
	b    bool
	t    time.Time
}

// fillPlan fills a request from Go values: the action, the suboperation and the setter calls
// derived from one case's request JSON, with every handle resolved once.
type fillPlan struct {
	action, subOp string
	hasSubOp      bool
	calls         []setterCall
}

// fill resets r and replays the plan; it returns the first setter error.
func (p *fillPlan) fill(r *abacc.Request) error {
	r.Reset()
	r.SetAction(p.action)
	if p.hasSubOp {
		r.SetSubOperation(p.subOp)
	}
	for i := range p.calls {
		c := &p.calls[i]
		var err error
		switch c.kind {
		case callString:
			err = r.SetString(c.attr, c.s)
		case callStrings:
			err = r.SetStrings(c.attr, c.ss...)
		case callInts:
			err = r.SetInts(c.attr, c.ints...)
		case callBool:
			err = r.SetBool(c.attr, c.b)
		case callTime:
			err = r.SetTime(c.attr, c.t)
		case callGuid:
			err = r.SetGuid(c.attr, c.s)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// newFillPlan derives the setter calls of a request document. Each attribute's setter is chosen
// by its catalog type (Untyped: by the JSON value's kind); dictionaries give one handle per key.
func newFillPlan(data []byte) (*fillPlan, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	p := &fillPlan{}
	for _, top := range sortedKeys(doc) {
		v := doc[top]
		switch top {
		case "action", "subOperation":
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("%q is not a string", top)
			}
			if top == "action" {
				p.action = s
			} else {
				p.subOp, p.hasSubOp = s, true
			}
		case "resource", "request", "principal", "environment":
			src, _ := attrs.ParseSource(top)
			section, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%q is not an object", top)
			}
			for _, name := range sortedKeys(section) {
				if err := p.addAttr(src, name, section[name]); err != nil {
					return nil, err
				}
			}
		default:
			return nil, fmt.Errorf("unknown key %q", top)
		}
	}
	return p, nil
}

// addAttr adds the calls that set attribute name of source src to the JSON value v.
func (p *fillPlan) addAttr(src attrs.Source, name string, v any) error {
	if id, ok := attrs.Default.Lookup(src, name); ok {
		if a := attrs.Default.Attr(id); a.Dict != attrs.NotDict {
			// A dictionary: one handle per key, in the selector form of its kind.
			dict, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("@%s[%s]: a dictionary needs a JSON object", src, name)
			}
			if len(dict) == 0 {
				// Present with no keys: the typed setters of package abacc cannot express it.
				return fmt.Errorf("@%s[%s]: an empty dictionary has no typed setter", src, name)
			}
			for _, key := range sortedKeys(dict) {
				sel := name + ":" + key
				if a.Dict == attrs.DictTagged {
					sel += attrs.KeySuffix
				}
				if err := p.addValue(src, sel, a.Type, dict[key]); err != nil {
					return err
				}
			}
			return nil
		}
	}
	// A plain attribute or a flattened dictionary key (custom security attributes, tags).
	ref, err := attrs.Default.Resolve(src, name)
	if err != nil {
		return fmt.Errorf("@%s[%s]: %v", src, name, err)
	}
	return p.addValue(src, name, ref.Type, v)
}

// addValue adds the call that sets reference @src[name] (catalog type t) to the JSON value v.
func (p *fillPlan) addValue(src attrs.Source, name string, t attrs.Type, v any) error {
	ref := "@" + src.String() + "[" + name + "]"
	h, err := abacc.LookupAttr(ref)
	if err != nil {
		return err
	}
	c := setterCall{attr: h, ref: ref}
	bad := func() error { return fmt.Errorf("%s: no typed setter for %s value %v", ref, t, v) }
	// A one-element array of a single-valued setter's type is the same request as its scalar.
	scalar := v
	if arr, ok := v.([]any); ok && len(arr) == 1 {
		scalar = arr[0]
	}
	switch t {
	case attrs.TypeDateTime:
		s, ok := scalar.(string)
		if !ok {
			return bad()
		}
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("%s: %v", ref, err)
		}
		want, err := attrs.ParseDateTime(s)
		if err != nil || attrs.InstantOf(tm) != want {
			return fmt.Errorf("%s: %q does not convert to the same instant through time.Time", ref, s)
		}
		c.kind, c.t = callTime, tm
	case attrs.TypeGuid:
		s, ok := scalar.(string)
		if !ok {
			return bad()
		}
		c.kind, c.s = callGuid, s
	case attrs.TypeBoolean:
		b, ok := scalar.(bool)
		if !ok {
			return bad()
		}
		c.kind, c.b = callBool, b
	default: // String, Integer, or Untyped (the JSON kind decides)
		switch x := v.(type) {
		case string:
			c.kind, c.s = callString, x
		case json.Number:
			n, err := x.Int64()
			if err != nil {
				return fmt.Errorf("%s: %v", ref, err)
			}
			c.kind, c.ints = callInts, []int64{n}
		case bool:
			c.kind, c.b = callBool, x
		case []any:
			if len(x) == 0 {
				if t == attrs.TypeInteger {
					c.kind, c.ints = callInts, []int64{}
				} else {
					c.kind, c.ss = callStrings, []string{} // present with no values
				}
				break
			}
			switch x[0].(type) {
			case string:
				c.kind = callStrings
				for _, e := range x {
					s, ok := e.(string)
					if !ok {
						return bad()
					}
					c.ss = append(c.ss, s)
				}
			case json.Number:
				c.kind = callInts
				for _, e := range x {
					num, ok := e.(json.Number)
					if !ok {
						return bad()
					}
					n, err := num.Int64()
					if err != nil {
						return fmt.Errorf("%s: %v", ref, err)
					}
					c.ints = append(c.ints, n)
				}
			case bool:
				if len(x) != 1 {
					return bad() // SetBool takes one value
				}
				c.kind, c.b = callBool, x[0].(bool)
			default:
				return bad()
			}
		default:
			return bad()
		}
	}
	p.calls = append(p.calls, c)
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// preparedWorkload is a workload compiled, with each case's request filled from its JSON and
// its fill plan built.
type preparedWorkload struct {
	workload
	prog  *abacc.Program
	reqs  []*abacc.Request // JSON-filled, one per case
	plans []*fillPlan      // one per case
}

func prepareWorkload(tb testing.TB, w workload) *preparedWorkload {
	tb.Helper()
	pw := &preparedWorkload{workload: w, prog: mustCompile(tb, w.Condition, hooks.Options{})}
	for _, c := range w.Cases {
		pw.reqs = append(pw.reqs, mustRequest(tb, c.Request))
		plan, err := newFillPlan(c.Request)
		if err != nil {
			tb.Fatalf("%s: %q: setter plan: %v", w.ID, c.Name, err)
		}
		pw.plans = append(pw.plans, plan)
	}
	return pw
}

// reportDecisionRate reports decisions per second; the benchmarks run on one goroutine, so
// this is per core.
func reportDecisionRate(b *testing.B) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, "decisions/s/core")
	}
}

// BenchmarkCorpus decides every workload condition over its cases, round-robin: "eval" on
// requests filled from JSON before the timer starts (Program.Eval only), "fill+eval" with a
// Reset, the typed setters (handles resolved before timing) and Eval per op.
func BenchmarkCorpus(b *testing.B) {
	for _, w := range loadWorkloads(b) {
		b.Run(w.ID, func(b *testing.B) {
			pw := prepareWorkload(b, w)
			b.Run("eval", func(b *testing.B) {
				// cpu-ns/op is the CPU time of this thread (locked to the goroutine): on a
				// shared machine it ignores the time spent descheduled, which wall-clock
				// ns/op does not.
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				b.ReportAllocs()
				n, i := 0, 0
				c0 := scaleClock()
				for b.Loop() {
					if pw.prog.Eval(pw.reqs[i]) {
						n++
					}
					if i++; i == len(pw.reqs) {
						i = 0
					}
				}
				if c1 := scaleClock(); b.N > 0 {
					b.ReportMetric(float64(c1-c0)/float64(b.N), "cpu-ns/op")
				}
				sink += n
				reportDecisionRate(b)
			})
			b.Run("fill+eval", func(b *testing.B) {
				r := abacc.NewRequest()
				for _, p := range pw.plans { // warm up the arenas with every case
					if err := p.fill(r); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportAllocs()
				n, i := 0, 0
				for b.Loop() {
					if err := pw.plans[i].fill(r); err != nil {
						b.Fatal(err)
					}
					if pw.prog.Eval(r) {
						n++
					}
					if i++; i == len(pw.plans) {
						i = 0
					}
				}
				sink += n
				reportDecisionRate(b)
			})
		})
	}
}

// TestCorpusFillMatchesJSON checks, for every case of every workload condition, that the
// request filled through the typed setters holds the same values as the one filled from JSON
// and decides the same, that both decide as expected (and as the reference interpreter), and
// that a warmed-up Reset + setters + Eval, like Eval alone, allocates nothing.
func TestCorpusFillMatchesJSON(t *testing.T) {
	noAllocs := testing.CoverMode() == "" && !raceEnabled
	for _, w := range loadWorkloads(t) {
		t.Run(w.ID, func(t *testing.T) {
			pw := prepareWorkload(t, w)
			r := abacc.NewRequest()
			for i, c := range w.Cases {
				if err := pw.plans[i].fill(r); err != nil {
					t.Fatalf("%q: fill: %v", c.Name, err)
				}
				if diff := vectorDiff(hooks.Vector(r), hooks.Vector(pw.reqs[i])); diff != "" {
					t.Errorf("%q: setter-filled and JSON-filled requests differ: %s", c.Name, diff)
				}
				setters, fromJSON, ref := pw.prog.Eval(r), pw.prog.Eval(pw.reqs[i]), pw.prog.EvalReference(pw.reqs[i])
				if setters != fromJSON || fromJSON != c.Expect || ref != c.Expect {
					t.Errorf("%q: setter-filled decides %v, JSON-filled %v, reference %v, want %v", c.Name, setters, fromJSON, ref, c.Expect)
				}
			}
			if !noAllocs {
				return
			}
			// The arenas are warm: every case has been filled once into r.
			for i, c := range w.Cases {
				plan, req := pw.plans[i], pw.reqs[i]
				var err error
				if allocs := testing.AllocsPerRun(50, func() {
					if e := plan.fill(r); e != nil {
						err = e
					}
					if pw.prog.Eval(r) {
						sink++
					}
				}); allocs != 0 {
					t.Errorf("%q: Reset + setters + Eval: %v allocs/op, want 0", c.Name, allocs)
				}
				if err != nil {
					t.Fatal(err)
				}
				if allocs := testing.AllocsPerRun(50, func() {
					if pw.prog.Eval(req) {
						sink++
					}
				}); allocs != 0 {
					t.Errorf("%q: Eval: %v allocs/op, want 0", c.Name, allocs)
				}
			}
		})
	}
}

// vectorDiff describes the first difference between the values two requests hold ("" if they
// hold the same): action, suboperation, and every attribute's presence, kind and values, with
// dictionary entries compared by key whatever their order.
func vectorDiff(a, b *attrs.Vector) string {
	if a.Action() != b.Action() || a.HasSubOp() != b.HasSubOp() || a.SubOp() != b.SubOp() {
		return fmt.Sprintf("action/suboperation %q/%q vs %q/%q", a.Action(), a.SubOp(), b.Action(), b.SubOp())
	}
	cat := a.Catalog()
	for i := 0; i < cat.Len(); i++ {
		id := attrs.ID(i)
		at := cat.Attr(id)
		name := fmt.Sprintf("@%s[%s]", at.Source, at.Name)
		sa, sb := a.Slot(id), b.Slot(id)
		if at.Dict == attrs.NotDict {
			if d := slotDiff(a, sa, b, sb); d != "" {
				return name + ": " + d
			}
			continue
		}
		if sa.Present != sb.Present {
			return fmt.Sprintf("%s: present %v vs %v", name, sa.Present, sb.Present)
		}
		if len(a.Entries(id)) != len(b.Entries(id)) {
			return fmt.Sprintf("%s: %d keys vs %d", name, len(a.Entries(id)), len(b.Entries(id)))
		}
		for _, e := range a.Entries(id) {
			if d := slotDiff(a, e.Slot, b, b.Entry(id, e.Key)); d != "" {
				return fmt.Sprintf("%s key %q: %s", name, e.Key, d)
			}
		}
	}
	return ""
}

func slotDiff(a *attrs.Vector, sa attrs.Slot, b *attrs.Vector, sb attrs.Slot) string {
	if sa.Present != sb.Present || (sa.Present && (sa.Kind != sb.Kind || sa.N != sb.N)) {
		return fmt.Sprintf("slot %+v vs %+v", sa, sb)
	}
	if !sa.Present {
		return ""
	}
	var same bool
	switch sa.Kind {
	case attrs.TypeString:
		same = slices.Equal(a.StrsOf(sa), b.StrsOf(sb))
	case attrs.TypeGuid:
		same = slices.Equal(a.GuidsOf(sa), b.GuidsOf(sb))
	default:
		same = slices.Equal(a.NumsOf(sa), b.NumsOf(sb))
	}
	if !same {
		return "values differ"
	}
	return ""
}
