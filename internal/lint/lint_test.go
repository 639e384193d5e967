package lint_test

import (
	"strings"
	"testing"

	"github.com/abacc/abacc"
)

const (
	blobs = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
	tag   = "@Resource[" + blobs + "/tags:Project<$key_case_sensitive$>] StringEquals 'Cascade'"
	rtag  = "@Request[" + blobs + "/tags:Project<$key_case_sensitive$>] StringEquals 'Cascade'"
)

func codes(t *testing.T, src string) string {
	t.Helper()
	p, err := abacc.Compile(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	var out []string
	for _, d := range p.Warnings() {
		out = append(out, d.Code)
	}
	return strings.Join(out, " ")
}

func TestLints(t *testing.T) {
	cases := []struct {
		src       string
		want, not string
	}{
		{"!(ActionMatches{'" + blobs + "/write'}) OR " + rtag, "ABAC3101", ""},
		{"!(ActionMatches{'" + blobs + "/add/action'}) OR " + rtag, "ABAC3101", ""},
		{"!(ActionMatches{'" + blobs + "/write'} OR ActionMatches{'" + blobs + "/add/action'}) OR " + rtag, "", "ABAC3101"},
		{"!(ActionMatches{'" + blobs + "/*'} AND NOT SubOperationMatches{'Blob.List'}) OR " + tag, "", "ABAC3101"},
		{"!(ActionMatches{'" + blobs + "/read'}) OR " + tag, "ABAC3102", ""},
		{"!(ActionMatches{'" + blobs + "/read'} AND NOT SubOperationMatches{'Blob.List'}) OR " + tag, "", "ABAC3102"},
		{"@Resource[" + blobs + "/tags&$keys$&] ForAnyOfAnyValues:StringNotEquals {'a', 'b'}", "ABAC3103", ""},
		{"@Resource[" + blobs + "/tags&$keys$&] ForAnyOfAnyValues:StringNotEquals {'a'}", "", "ABAC3103"},
		{"@Resource[" + blobs + "/tags&$keys$&] ForAllOfAllValues:StringNotEquals {'a', 'b'}", "", "ABAC3103"},
		{"@Resource[" + blobs + "/tags&$keys$&] ForAnyOfAnyValues:StringNotContains {'a', 'b'}", "ABAC3103", ""},
		{"@Resource[" + blobs + "/tags&$keys$&] ForAnyOfAnyValues:StringNotEndsWith {'a', 'b'}", "ABAC3103", ""},
		{"@Resource[" + blobs + "/tags&$keys$&] ForAllOfAllValues:StringNotContains {'a', 'b'}", "", "ABAC3103"},
		{"@Resource[" + blobs + "/tags&$keys$&] ForAnyOfAnyValues:StringContains {'a', 'b'}", "", "ABAC3103"},
		{"'a' StringEquals 'a' OR " + tag, "ABAC3104", ""},
		{"'a' StringEquals 'b' AND " + tag, "ABAC3105", ""},
		{"@Environment[isPrivateLink] BoolEquals true AND @Environment[isPrivateLink] BoolNotEquals true", "ABAC3105", ""},
		{tag, "", "ABAC310"},
	}
	for _, c := range cases {
		got := codes(t, c.src)
		if c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: warnings %q lack %s", c.src, got, c.want)
		}
		if c.not != "" && strings.Contains(got, c.not) {
			t.Errorf("%s: warnings %q include %s", c.src, got, c.not)
		}
	}
}

// Lint findings are warnings; -strict makes them errors.
func TestStrict(t *testing.T) {
	src := "!(ActionMatches{'" + blobs + "/read'}) OR " + tag
	if _, err := abacc.Compile(src); err != nil {
		t.Fatal(err)
	}
	if _, err := abacc.CompileWith(src, abacc.Options{Strict: true}); err == nil || !strings.Contains(err.Error(), "ABAC3102") {
		t.Errorf("strict: %v", err)
	}
}
