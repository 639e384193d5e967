package vm_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/compiler"
)

// TestOperationsAgreeWithStrings: the code Verify specialises to each catalog operation (its
// action and suboperation tests decided ahead of time) decides exactly as the code as written
// does, testing strings (a catalog without actions gives every request operation key 0). Every
// conformance condition, optimized and not, against each of its requests with the action
// replaced by every catalog action (in its own case, folded case and odd case) and by actions
// the catalog does not list, each with no suboperation, with every suboperation the catalog
// lists (in two casings) and with one it does not.
func TestOperationsAgreeWithStrings(t *testing.T) {
	files, err := filepath.Glob("../../testdata/conformance/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	noActions := attrs.NewCatalog(attrs.Default.Attributes(), nil)
	var actions []string
	subOps := []string{"", "Other.SubOperation"} // "" is none
	for _, a := range attrs.Default.Actions() {
		actions = append(actions, a.Name, strings.ToUpper(a.Name), oddCase(a.Name))
		for _, s := range a.SubOperations {
			subOps = append(subOps, s, oddCase(s))
		}
	}
	actions = append(actions, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/other", "", "*")
	checked, decidedAhead := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cf struct {
			Condition string
			Cases     []struct{ Request map[string]json.RawMessage }
		}
		if err := json.Unmarshal(data, &cf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, noOpt := range []bool{false, true} {
			u := compiler.Compile("c", cf.Condition, compiler.Options{NoOptimize: noOpt})
			if !u.OK() || u.Code == nil {
				continue
			}
			for _, c := range cf.Cases {
				delete(c.Request, "suboperation")
				doc, err := json.Marshal(c.Request)
				if err != nil {
					t.Fatal(err)
				}
				for _, sub := range subOps {
					byKey, byString := attrs.NewVector(attrs.Default), attrs.NewVector(noActions)
					if byKey.UnmarshalJSON(doc) != nil || byString.UnmarshalJSON(doc) != nil {
						continue
					}
					if sub != "" {
						byKey.SetSubOperation(sub)
						byString.SetSubOperation(sub)
					}
					for _, a := range actions {
						byKey.SetAction(a)
						byString.SetAction(a)
						if byString.OperationKey() != 0 {
							t.Fatal("a catalog without actions gave an operation key")
						}
						if byKey.OperationKey() != 0 {
							decidedAhead++
						}
						if got, want := u.Code.Eval(byKey), u.Code.Eval(byString); got != want {
							t.Errorf("%s (O0 %v), action %q, suboperation %q: specialised %v, as written %v", filepath.Base(f), noOpt, a, sub, got, want)
						}
						checked++
					}
				}
			}
		}
	}
	if checked < 10000 || decidedAhead < checked/2 {
		t.Fatalf("only %d decisions checked, %d by operation key", checked, decidedAhead)
	}
}

// TestOperationKeys: every catalog action with and without each of its suboperations, in any
// casing, has its own operation key; a suboperation the catalog does not list for the action
// has the action's "other" key; an unlisted action has key 0.
func TestOperationKeys(t *testing.T) {
	cat := attrs.Default
	r := attrs.NewVector(cat)
	seen := map[int32]string{}
	for _, a := range cat.Actions() {
		variants := []string{""}
		variants = append(variants, a.SubOperations...)
		variants = append(variants, "Not.Listed")
		for _, sub := range variants {
			for _, spell := range [][2]string{{a.Name, sub}, {strings.ToUpper(a.Name), oddCase(sub)}} {
				r.Reset()
				r.SetAction(spell[0])
				if sub != "" {
					r.SetSubOperation(spell[1])
				}
				key := r.OperationKey()
				op := cat.Operations()[key]
				if key == 0 || !strings.EqualFold(cat.FoldedActionNames()[op.Action], a.Name) {
					t.Fatalf("%s/%q: key %d is operation %+v", spell[0], spell[1], key, op)
				}
				want := attrs.NoSubOp
				switch {
				case sub == "Not.Listed":
					want = attrs.OtherSubOp
				case sub != "":
					want = attrs.KnownSubOp
				}
				if op.SubOp != want || (want == attrs.KnownSubOp && !strings.EqualFold(op.SubOpFolded, sub)) {
					t.Fatalf("%s/%q: operation %+v", spell[0], spell[1], op)
				}
				name := a.Name + "|" + sub
				if prev, ok := seen[key]; ok && prev != name {
					t.Fatalf("key %d for both %s and %s", key, prev, name)
				}
				seen[key] = name
			}
		}
	}
	if len(seen) != len(cat.Operations())-1 {
		t.Fatalf("%d operations seen, catalog has %d", len(seen), len(cat.Operations())-1)
	}
	r.Reset()
	r.SetSubOperation("Blob.List") // the order the two are set in does not matter
	r.SetAction("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read")
	if op := cat.Operations()[r.OperationKey()]; op.SubOp != attrs.KnownSubOp || !strings.EqualFold(op.SubOpFolded, "blob.list") {
		t.Fatalf("suboperation set first: %+v", op)
	}
	r.SetAction("Microsoft.Unknown/things/read")
	if r.OperationKey() != 0 {
		t.Fatal("an unlisted action has a key")
	}
}

func oddCase(s string) string {
	b := []byte(s)
	for i := range b {
		if i%3 == 0 && b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		} else if i%3 == 1 && b[i] >= 'A' && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}
