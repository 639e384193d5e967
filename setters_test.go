package abacc_test

import (
	"testing"

	"github.com/abacc/abacc"
)

func TestSetDictionaryPresent(t *testing.T) {
	prog, err := abacc.Compile(`@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&] ForAllOfAnyValues:StringEquals {'Project'} AND Exists @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&]`)
	if err != nil {
		t.Fatal(err)
	}
	h, err := abacc.LookupAttr(`@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>]`)
	if err != nil {
		t.Fatal(err)
	}
	req := abacc.NewRequest()
	req.SetAction("a")
	if prog.Eval(req) {
		t.Error("missing tags: Exists must be false")
	}
	if err := req.SetDictionaryPresent(h); err != nil {
		t.Fatal(err)
	}
	if !prog.Eval(req) {
		t.Error("empty tags: vacuously true and present")
	}
	if err := req.SetString(h, "x"); err != nil || !prog.Eval(req) {
		t.Errorf("tag Project set: %v", err)
	}
	plain, _ := abacc.LookupAttr(`@Environment[isPrivateLink]`)
	if err := req.SetDictionaryPresent(plain); err == nil {
		t.Error("a plain attribute accepted")
	}
}
