package parser

import (
	"fmt"
	"testing"

	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/syntax/printer"
)

// TestScratchParsesAlike: one Scratch reused over every corpus condition and every erroneous
// condition of the diagnostics goldens, twice over (so that each parse follows a larger or a
// smaller one, a clean one or one that bailed out), yields the tree and the diagnostics a fresh
// Parse does.
func TestScratchParsesAlike(t *testing.T) {
	srcs := conditions(t, "../../../testdata/conformance/*.json", "../../../bench/corpus/*.json", "../../../testdata/errors/*.cond")
	if len(srcs) < 150 {
		t.Fatalf("found only %d conditions", len(srcs))
	}
	var s Scratch
	for round := range 2 {
		for i, src := range srcs {
			var fresh, reused diag.List
			want, got := Parse(src, &fresh), s.Parse(src, &reused)
			if (want == nil) != (got == nil) || fmt.Sprint(fresh.Items) != fmt.Sprint(reused.Items) {
				t.Fatalf("round %d, condition %d: scratch parse differs in its result or diagnostics\n%q", round, i, src)
			}
			if want != nil && printer.Print(got, printer.Options{}) != printer.Print(want, printer.Options{}) {
				t.Fatalf("round %d, condition %d: scratch tree differs\n%q", round, i, src)
			}
		}
	}
}
