package fuzz

// The decoder of FuzzDifferential's inputs: most inputs are structured, their bytes driving the
// generator shared with the property tests (internal/testgen), which makes a well-typed
// condition and loadable requests of nearly every input; two marker bytes open raw inputs,
// which give the condition and a request verbatim.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/testgen"
)

// fuzzCase is one decoded fuzz input.
type fuzzCase struct {
	cond string
	// gen is the generated case of a structured input (cond is its condition's text).
	gen *testgen.Case
	// raw mode: the condition and one request document given verbatim.
	raw     bool
	rawJSON []byte
	// raw setter mode: the condition and lines SOURCE|NAME|"GO-QUOTED STRING", each set with
	// the typed setter SetString (so values may hold invalid UTF-8).
	rawSetter bool
	rawLines  []string
}

// rawMarker opens an input that holds a condition and a request verbatim, separated by a NUL
// byte: the form the corpus seeds take (fuzzing mutates them as text). rawSetterMarker opens a
// condition and, after a NUL byte, string attributes to set through the typed setters, one a
// line: SOURCE|NAME|"Go-quoted value". Structured inputs (any other first byte) mean whatever
// the generator makes of them, so a regression input that must outlive changes to the
// generator is best kept in one of the raw forms.
const (
	rawMarker       = 0xFF
	rawSetterMarker = 0xFE
)

func decodeCase(data []byte) *fuzzCase {
	if len(data) > 0 && data[0] == rawSetterMarker {
		rest := string(data[1:])
		cond, lines, _ := strings.Cut(rest, "\x00")
		return &fuzzCase{rawSetter: true, cond: cond, rawLines: strings.Split(lines, "\n")}
	}
	if len(data) > 0 && data[0] == rawMarker {
		rest := data[1:]
		i := strings.IndexByte(string(rest), 0)
		if i < 0 {
			return &fuzzCase{raw: true, cond: string(rest)}
		}
		return &fuzzCase{raw: true, cond: string(rest[:i]), rawJSON: rest[i+1:]}
	}
	src := testgen.NewByteSource(data)
	nreqs := 1 + src.Intn(3)
	c := testgen.New(src, testgen.Options{MinDepth: 1, MaxDepth: 4}).Case(nreqs)
	return &fuzzCase{cond: c.Cond.Text(), gen: c}
}

// applyLines fills r from raw setter lines (see rawSetterMarker), ignoring unusable lines, and
// returns a transcript.
func applyLines(r *abacc.Request, lines []string) string {
	r.Reset()
	r.SetAction(blobRead)
	var b strings.Builder
	for _, l := range lines {
		parts := strings.SplitN(l, "|", 3)
		if len(parts) != 3 {
			continue
		}
		v, err := strconv.Unquote(parts[2])
		if err != nil {
			v = parts[2]
		}
		a, err := abacc.LookupAttr("@" + parts[0] + "[" + parts[1] + "]")
		if err != nil || r.SetString(a, v) != nil {
			continue
		}
		fmt.Fprintf(&b, "SetString(@%s[%s], %+q)\n", parts[0], parts[1], v)
	}
	return fmt.Sprintf("SetAction(%q)\n%s", blobRead, b.String())
}

func rawSeed(cond string, req []byte) []byte {
	out := append([]byte{rawMarker}, cond...)
	out = append(out, 0)
	return append(out, req...)
}
