package iac

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestWalk(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{
		"main.tf", "README.md", "rbac.bicep", "template.json", "x.cond", "UPPER.TF", "terraform.tfvars",
		"modules/a/main.tf", "modules/a/b/c/deep.bicep", "modules/a/notes.txt",
		".git/config.json", ".terraform/modules/m/main.tf", "node_modules/pkg/package.json",
		"sub/.git/x.tf", "sub/.github/workflows/deploy.json",
	} {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if runtime.GOOS != "windows" {
		_ = os.Symlink(filepath.Join(root, "main.tf"), filepath.Join(root, "link.tf"))
		_ = os.Symlink(filepath.Join(root, "modules"), filepath.Join(root, "linkdir"))
		_ = os.Symlink(filepath.Join(root, "missing.tf"), filepath.Join(root, "dangling.tf"))
	}
	var got []string
	if err := Walk(root, func(p string) {
		rel, _ := filepath.Rel(root, p)
		got = append(got, filepath.ToSlash(rel))
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"UPPER.TF", "link.tf", "main.tf", "modules/a/b/c/deep.bicep", "modules/a/main.tf", "rbac.bicep", "sub/.github/workflows/deploy.json", "template.json", "x.cond"}
	if runtime.GOOS == "windows" {
		want = []string{"UPPER.TF", "main.tf", "modules/a/b/c/deep.bicep", "modules/a/main.tf", "rbac.bicep", "sub/.github/workflows/deploy.json", "template.json", "x.cond"}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	// A file as root is visited whatever its name; a missing root is an error.
	got = nil
	if err := Walk(filepath.Join(root, "README.md"), func(p string) { got = append(got, p) }); err != nil || len(got) != 1 {
		t.Errorf("file root: %v %v", got, err)
	}
	if err := Walk(filepath.Join(root, "nope"), func(string) {}); err == nil {
		t.Error("missing root: no error")
	}
}

func TestWalkUnreadableDirectory(t *testing.T) {
	if runtime.GOOS == "windows" || os.Getuid() == 0 {
		t.Skip("permissions are not enforced")
	}
	root := t.TempDir()
	_ = os.MkdirAll(filepath.Join(root, "locked"), 0o755)
	_ = os.WriteFile(filepath.Join(root, "ok.tf"), nil, 0o644)
	_ = os.WriteFile(filepath.Join(root, "locked", "hidden.tf"), nil, 0o644)
	_ = os.Chmod(filepath.Join(root, "locked"), 0)
	defer os.Chmod(filepath.Join(root, "locked"), 0o755)
	var got []string
	err := Walk(root, func(p string) { got = append(got, filepath.Base(p)) })
	if err == nil || !strings.Contains(err.Error(), "locked") || len(got) != 1 || got[0] != "ok.tf" {
		t.Errorf("got %v, %v", got, err)
	}
}

// Every file of the corpus that Walk visits is one Extract reads (or rejects with a FileError).
func TestWalkCorpus(t *testing.T) {
	n := 0
	err := Walk("testdata", func(p string) {
		n++
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := Extract(p, data); err != nil && !strings.HasPrefix(err.Error(), p+":") {
			t.Errorf("%s: %v", p, err)
		}
	})
	if err != nil || n < 30 {
		t.Errorf("%d files, %v", n, err)
	}
}
