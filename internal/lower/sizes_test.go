package lower

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/check"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/syntax/parser"
)

// TestSizesExact checks that sizes counts exactly the nodes, comparisons and operand lists
// lowering allocates, so that no slab chunk keeps unused values alive, and at least the
// pattern and constant values.
func TestSizesExact(t *testing.T) {
	const (
		a = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'a'"
		b = "@Environment[isPrivateLink] BoolEquals true"
		c = "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:p<$key_case_sensitive$>] StringEquals {'x', 'y', 'x'}"
	)
	srcs := []string{
		a, a + " AND " + b, "NOT (" + a + " AND " + b + ")", "(" + a + " OR " + b + ") OR NOT (" + c + " AND " + a + ")",
		"NOT (" + a + " OR NOT (" + b + " OR " + c + ")) AND (" + a + " AND (" + b + " AND " + c + "))",
		"!(ActionMatches{'x/read', 'x/write'} AND NOT SubOperationMatches{'Blob.List'}) OR " + a,
	}
	files, _ := filepath.Glob("../../testdata/conformance/*.json")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Condition string }
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		srcs = append(srcs, doc.Condition)
	}
	for _, src := range srcs {
		var errs diag.List
		x := parser.Parse(src, &errs)
		check.Check(x, src, attrs.Default, &errs)
		if errs.HasErrors() {
			t.Fatalf("%s: %v", src, errs.Items)
		}
		var need sizes
		need.count(x, false)
		l := &lowerer{u: &ir.Unit{Source: src}, src: src, mem: new(values)}
		l.mem.reserve(need)
		root := l.lower(x, false)
		if l.mem.nodes.Left() != 0 || l.mem.cmps.Left() != 0 || l.mem.ptrs.Left() != 0 {
			t.Errorf("%s: %d nodes, %d comparisons, %d operands left unused", src, l.mem.nodes.Left(), l.mem.cmps.Left(), l.mem.ptrs.Left())
		}
		// Values: what is left is what deduplication saved.
		var strs, nums, guids int
		ir.Walk(root, func(n *ir.Node) { strs += len(n.Patterns) })
		for _, k := range l.u.Consts {
			strs, nums, guids = strs+len(k.Strs), nums+len(k.Nums), guids+len(k.Guids)
		}
		if strs+l.mem.strs.Left() != need.strs || nums+l.mem.nums.Left() != need.nums || guids+l.mem.guids.Left() != need.guids {
			t.Errorf("%s: values: %d+%d strings of %d, %d+%d numbers of %d, %d+%d GUIDs of %d", src,
				strs, l.mem.strs.Left(), need.strs, nums, l.mem.nums.Left(), need.nums, guids, l.mem.guids.Left(), need.guids)
		}
	}
}
