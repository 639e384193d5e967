package attrs

import (
	"fmt"
	"strings"
	"testing"
)

const tagsName = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags"

func tagRequest(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"action": "a", "resource": {"` + tagsName + `": {`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%d": "v%d"`, i, i)
	}
	b.WriteString("}}}")
	return []byte(b.String())
}

// Dictionary keys are appended as decoded (the decoder's record of keys given is the index):
// 100,000 keys decode in linear time, and every one is readable.
func TestManyDictionaryKeys(t *testing.T) {
	v := NewVector(Default)
	if err := v.UnmarshalJSON(tagRequest(100000)); err != nil {
		t.Fatal(err)
	}
	id, _ := Default.Lookup(Resource, tagsName)
	if n := len(v.Entries(id)); n != 100000 {
		t.Fatalf("%d entries", n)
	}
	if s := v.Entry(id, "k99999"); !s.Present || v.StrsOf(s)[0] != "v99999" {
		t.Errorf("k99999: %+v", s)
	}
	dup := []byte(`{"action": "a", "resource": {"` + tagsName + `": {"a": "1", "a": "2"}}}`)
	if err := v.UnmarshalJSON(dup); err == nil || !strings.Contains(err.Error(), "duplicate key") {
		t.Errorf("duplicate keys: %v", err)
	}
}

func TestRequestLimits(t *testing.T) {
	v := NewVector(Default)
	v.SetLimits(Limits{MaxEntries: 100})
	if err := v.UnmarshalJSON(tagRequest(200)); err == nil || !strings.Contains(err.Error(), "more than 100 keys") {
		t.Errorf("entries: %v", err)
	}
	v.SetLimits(Limits{MaxBytes: 1000})
	if err := v.UnmarshalJSON(tagRequest(200)); err == nil || !strings.Contains(err.Error(), "exceeds the limit of 1000 bytes") {
		t.Errorf("bytes: %v", err)
	}
	v.SetLimits(Limits{})
	if err := v.UnmarshalJSON(tagRequest(200)); err != nil {
		t.Errorf("unlimited: %v", err)
	}
}

func TestRequestUTF8(t *testing.T) {
	v := NewVector(Default)
	bad := []byte("{\"action\": \"a\", \"resource\": {\"Microsoft.Storage/storageAccounts/blobServices/containers:name\": \"x\xffy\"}}")
	err := v.UnmarshalJSON(bad)
	if err == nil || !strings.Contains(err.Error(), "containers:name: the value is not valid UTF-8") {
		t.Errorf("invalid UTF-8: %v", err)
	}
	bom := []byte("\xef\xbb\xbf{\"action\": \"a\"}")
	if err := v.UnmarshalJSON(bom); err != nil || v.Action() != "a" {
		t.Errorf("a byte-order mark is skipped: %v", err)
	}
	err = v.UnmarshalJSON([]byte("\xef\xbb\xbf{\"action\": 3}"))
	if e, ok := err.(*RequestError); !ok || e.Offset != 14 {
		t.Errorf("offsets count the byte-order mark: %#v", err)
	}
}

// The checker's and linter's action matcher folds case as the VM does (Unicode simple case
// folding), not strings.ToLower: the Kelvin sign K folds to k; 'İ' lowercases to "i̇" but does
// not fold to 'i'.
func TestOneActionCaseRule(t *testing.T) {
	if !ActionPatternMatch("Microsoft.Storage/*/read", "microsoft.storage/x/READ") {
		t.Error("ASCII case")
	}
	if !ActionPatternMatch("\u212a/*", "k/x") {
		t.Error("Kelvin sign folds to k")
	}
	if ActionPatternMatch("\u0130/*", "i/x") {
		t.Error("İ does not fold to i")
	}
}
