package abacc_test

import (
	"sync"
	"testing"

	"github.com/abacc/abacc"
)

// TestWarningsRenderedOnce: a program renders its warnings on the first call of Warnings, once
// whatever the number of goroutines asking, and a program without warnings returns an empty,
// non-nil slice (as when they were rendered at compile time).
func TestWarningsRenderedOnce(t *testing.T) {
	p, err := abacc.Compile("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] ForAllOfAnyValues:StringEquals {'a', 'b'}")
	if err != nil {
		t.Fatal(err)
	}
	got := make([][]abacc.Diagnostic, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = p.Warnings()
		}()
	}
	wg.Wait()
	for _, w := range got {
		if len(w) != 1 || w[0].Code != "ABAC3002" || w[0].Text == "" || &w[0] != &got[0][0] {
			t.Fatalf("Warnings() = %+v, want the one rendered vacuous-ForAll warning, shared", w)
		}
	}
	q, err := abacc.Compile("@Environment[isPrivateLink] BoolEquals true")
	if err != nil {
		t.Fatal(err)
	}
	if w := q.Warnings(); w == nil || len(w) != 0 {
		t.Errorf("Warnings() of a program without warnings = %#v, want an empty non-nil slice", w)
	}
}
