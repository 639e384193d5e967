package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRegorusCases runs microsoft/regorus's own per-operator cases for the newer and extended
// operators, converted to abacc table tests (testdata/regorus, README.md there: 34 regorus
// cases and 2 derived ones; DIFFERENCES.md names the six that use regorus-only functions).
// Every case must pass as written.
func TestRegorusCases(t *testing.T) {
	files, err := filepath.Glob("../../testdata/regorus/*.test.yaml")
	if err != nil || len(files) < 7 {
		t.Fatalf("regorus files: %v (%d)", err, len(files))
	}
	args := []string{"test"}
	for _, f := range files {
		args = append(args, strings.TrimPrefix(f, "../../"))
	}
	r := run(t, "", args...)
	if r.code != 0 || !strings.Contains(r.stdout, "36 passed, 0 failed") {
		t.Errorf("abacc test testdata/regorus: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
