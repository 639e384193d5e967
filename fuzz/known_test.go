package fuzz

import (
	"os"
	"strings"
	"testing"
)

// Open bugs the fuzz targets have found (see RUNS.md). Their failing inputs stay in the seed
// corpus (f.Add and testdata/fuzz/FuzzX/), so plain `go test ./fuzz` fails until they are
// fixed. With ABACC_FUZZ_SKIP_KNOWN=1 an input that fails only with a known bug's signature is
// skipped instead, so that a fuzzing run can get past the seeds and look for other bugs.
// Delete an entry (and its call) once the bug is fixed.
const (
	// bugPrinterIndent: printer.Print indents each nested parenthesis one level deeper, so a
	// condition with n nested groups prints in O(n²) bytes; from 724 levels (a 1.5 KB
	// condition) the text is over the 1 MiB source limit and no longer parses.
	bugPrinterIndent = "printer-quadratic-indent"
	// bugLikeInvalidUTF8: match.Like's star-only fast path compares bytes, so an invalid
	// UTF-8 byte in the pattern does not match the U+FFFD (or other invalid byte) that the
	// rune-wise matcher reads in the value.
	bugLikeInvalidUTF8 = "like-fastpath-invalid-utf8"
	// bugSuggestQuadratic: for an unknown attribute name containing ':', Catalog.Suggest
	// offers dictionary candidates that end with the name's own tail and compares them by
	// byte-wise edit distance, O(len(name)²) time: a 20 KB name in a condition or in a
	// request's JSON keys takes seconds, a 1 MiB one hours.
	bugSuggestQuadratic = "suggest-quadratic"
	// bugLowerLikeFFFD: the optimizer lowers StringLike with a wildcard-free, one-trailing-*
	// or one-leading-* pattern to byte-wise equality, prefix or suffix tests, but StringLike
	// reads invalid UTF-8 in the value as U+FFFD (match.Like, the reference): a pattern holding
	// U+FFFD then matches a value holding an invalid byte (set through the typed setters) in
	// the reference and the unoptimized VM, not in the optimized VM.
	bugLowerLikeFFFD = "lower-like-fffd"
)

// longDictName is the regression seed of bugSuggestQuadratic: an unknown attribute name of
// 25 KB with a ':'.
var longDictName = "Microsoft.Storage/storageAccounts/blobServices/containers/metadatax:" + strings.Repeat("k", 25000)

// hasLongColonName reports whether text holds a run of more than 2,000 bytes without '[', ']'
// or '"' that contains a ':' (the shape of an attribute name that triggers bugSuggestQuadratic).
func hasLongColonName(text string) bool {
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == '[' || r == ']' || r == '"' }) {
		if len(part) > 2000 && strings.Contains(part, ":") {
			return true
		}
	}
	return false
}

func skipKnown(t *testing.T, bug string) {
	if os.Getenv("ABACC_FUZZ_SKIP_KNOWN") == "1" {
		t.Skip("known bug " + bug)
	}
}
