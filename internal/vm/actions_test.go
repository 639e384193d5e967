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

// TestActionKeysAgreeWithStrings: the action tables Verify derives (a catalog action tested by
// its key) answer exactly as the string path does (a catalog without actions gives every
// request key 0). Every conformance condition, optimized and not, against each of its
// requests with the action replaced by every catalog action, in its own case, folded case
// and odd case, and by actions the catalog does not list.
func TestActionKeysAgreeWithStrings(t *testing.T) {
	files, err := filepath.Glob("../../testdata/conformance/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	noActions := attrs.NewCatalog(attrs.Default.Attributes(), nil)
	var actions []string
	for _, a := range attrs.Default.Actions() {
		actions = append(actions, a.Name, strings.ToUpper(a.Name), oddCase(a.Name))
	}
	actions = append(actions, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/other", "", "*")
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cf struct {
			Condition string
			Cases     []struct{ Request json.RawMessage }
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
				byKey, byString := attrs.NewVector(attrs.Default), attrs.NewVector(noActions)
				if byKey.UnmarshalJSON(c.Request) != nil || byString.UnmarshalJSON(c.Request) != nil {
					continue
				}
				for _, a := range actions {
					byKey.SetAction(a)
					byString.SetAction(a)
					if byString.ActionKey() != 0 {
						t.Fatal("a catalog without actions gave a key")
					}
					if got, want := u.Code.Eval(byKey), u.Code.Eval(byString); got != want {
						t.Errorf("%s (O0 %v), action %q: by key %v, by string %v", filepath.Base(f), noOpt, a, got, want)
					}
					checked++
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d decisions checked", checked)
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
