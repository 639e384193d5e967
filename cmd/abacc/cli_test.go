package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var binary string

// TestMain builds the real binary once: these tests drive abacc as users and the contract
// check do, through its arguments, streams and exit status.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "abacc-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "abacc")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = "../.."
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	r := result{code, out.String(), errb.String()}
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") {
		t.Fatalf("abacc %v crashed:\n%s", args, r.stderr)
	}
	return r
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

func TestEvalExamples(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"eval", "-c", "examples/tag-read.cond", "-r", "examples/read-cascade.json"}, "true"},
		{[]string{"eval", "-c", "examples/tag-read.cond", "-r", "examples/read-baker.json"}, "false"},
		{[]string{"eval", "--c", "examples/tag-read.cond", "--r", "examples/read-baker.json", "--explain"}, "false"},
		{[]string{"eval", "-c", "examples/role-assignments.json", "-name", "delegate-readers", "-r", "examples/assign-reader.json"}, "true"},
		{[]string{"eval", "-c", "examples/role-assignments.json", "-name", "private-link-only", "-r", "examples/assign-reader.json"}, "true"},
		{[]string{"eval", "-e", "@Environment[isPrivateLink] BoolEquals true", "-r", "examples/assign-reader.json"}, "false"},
	}
	for _, c := range cases {
		r := run(t, "", c.args...)
		if r.code != 0 || firstLine(r.stdout) != c.want {
			t.Errorf("abacc %v: exit %d, first line %q, want %q\n%s", c.args, r.code, firstLine(r.stdout), c.want, r.stderr)
		}
	}
}

func TestEvalExplainAndJSON(t *testing.T) {
	r := run(t, "", "eval", "-c", "examples/tag-read.cond", "-r", "examples/read-baker.json", "-explain")
	for _, want := range []string{"SubOperationMatches{'Blob.List'}", "suboperation = (none)", `= "Baker"`, `= "Cascade"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("explanation lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run(t, "", "eval", "-c", "examples/tag-read.cond", "-r", "examples/read-cascade.json", "-json", "-explain")
	var out struct {
		Result bool
		Steps  []struct {
			Source  string
			Result  bool
			Skipped bool
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("-json output is not JSON: %v\n%s", err, r.stdout)
	}
	if !out.Result || len(out.Steps) != 3 {
		t.Errorf("got %+v", out)
	}
	// Short-circuit: a write request decides at the first block and skips the rest.
	req := writeTemp(t, "w.json", `{"action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"}`)
	r = run(t, "", "eval", "-c", "examples/tag-read.cond", "-r", req, "-explain")
	if firstLine(r.stdout) != "true" || strings.Count(r.stdout, "skipped") != 2 {
		t.Errorf("want true with two skipped steps:\n%s", r.stdout)
	}
}

func TestStdin(t *testing.T) {
	r := run(t, `{"action": "a", "environment": {"isPrivateLink": true}}`, "eval", "-e", "@Environment[isPrivateLink] BoolEquals true", "-r", "-")
	if r.code != 0 || firstLine(r.stdout) != "true" {
		t.Errorf("request on stdin: %+v", r)
	}
	r = run(t, "@Environment[isPrivateLink] BoolEquals 'yes'", "check", "-")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "<stdin>:1:40: error:") {
		t.Errorf("condition on stdin: %+v", r)
	}
}

func TestCheckDiagnostics(t *testing.T) {
	f := writeTemp(t, "bad.cond", "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEqual 'a'\nAND @Environment[isPrivateLink] BoolEquals 'yes'")
	r := run(t, "", "check", f)
	if r.code != 1 {
		t.Fatalf("exit %d", r.code)
	}
	for _, want := range []string{f + ":1:75: error: unknown operator", "did you mean StringEquals?", f + ":2:44: error:", "^~~~~"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.stdout != "" {
		t.Errorf("check printed on stdout: %q", r.stdout)
	}
	// Warnings pass, unless -strict (written after the file, too).
	w := writeTemp(t, "warn.cond", "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] stringequals 'a'")
	if r := run(t, "", "check", w); r.code != 0 || !strings.Contains(r.stderr, "warning:") {
		t.Errorf("warning: %+v", r)
	}
	if r := run(t, "", "check", w, "-strict"); r.code != 1 || !strings.Contains(r.stderr, "error:") {
		t.Errorf("-strict: %+v", r)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"eval", "-c", "examples/tag-read.cond"},
		{"eval", "-r", "examples/read-baker.json"},
		{"eval", "-c", "x", "-e", "y", "-r", "z"},
		{"eval", "-c", "examples/role-assignments.json", "-r", "examples/assign-reader.json"},
		{"check"},
		{"check", "-nosuchflag", "x"},
	} {
		if r := run(t, "", args...); r.code != 2 {
			t.Errorf("abacc %v: exit %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
}

func TestInvalidInputs(t *testing.T) {
	cond := "examples/tag-read.cond"
	for name, req := range map[string]string{
		"not JSON":      `{"action": `,
		"unknown key":   `{"action": "a", "resources": {}}`,
		"no action":     `{"resource": {}}`,
		"unknown attr":  `{"action": "a", "resource": {"Microsoft.Storage/storageAccounts:nam": "x"}}`,
		"wrong type":    `{"action": "a", "environment": {"isPrivateLink": "yes"}}`,
		"null":          `{"action": "a", "environment": {"isPrivateLink": null}}`,
		"bad datetime":  `{"action": "a", "environment": {"UtcNow": "2024-13-01T00:00:00Z"}}`,
		"duplicate key": `{"action": "a", "action": "b"}`,
		"trailing data": `{"action": "a"} {}`,
	} {
		f := writeTemp(t, "req.json", req)
		r := run(t, "", "eval", "-c", cond, "-r", f)
		if r.code != 1 || !strings.Contains(r.stderr, "error:") {
			t.Errorf("%s: exit %d, stderr %q", name, r.code, r.stderr)
		}
	}
	if r := run(t, "", "eval", "-c", "no/such/file", "-r", "examples/read-baker.json"); r.code != 1 {
		t.Errorf("missing file: exit %d", r.code)
	}
}

func TestHostileSizes(t *testing.T) {
	attr := "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]"
	big := strings.Repeat(" ", 1<<20) + attr + " StringEquals 'a'"
	deep := strings.Repeat("(", 5000) + attr + " StringEquals 'a'" + strings.Repeat(")", 5000)
	nots := strings.Repeat("NOT ", 5000) + attr + " StringEquals 'a'"
	set := attr + " StringEquals {" + strings.Repeat("'a', ", 70000) + "'b'}"
	for name, src := range map[string]string{"1 MiB": big, "deep parens": deep, "deep NOT": nots, "huge set": set} {
		f := writeTemp(t, "c.cond", src)
		r := run(t, "", "check", f)
		if r.code != 1 || !strings.Contains(r.stderr, "error:") {
			t.Errorf("%s: exit %d, stderr %.200q", name, r.code, r.stderr)
		}
	}
	// Long but legal: 10,000 comparisons and 900 levels of parentheses decide correctly.
	long := strings.Repeat(attr+" StringEquals 'x' OR ", 10000) + attr + " StringEquals 'a'"
	nested := strings.Repeat("(", 900) + attr + " StringEquals 'a'" + strings.Repeat(")", 900)
	req := writeTemp(t, "r.json", `{"action": "a", "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers:name": "a"}}`)
	for name, src := range map[string]string{"long": long, "nested": nested} {
		f := writeTemp(t, "c.cond", src)
		if r := run(t, "", "eval", "-c", f, "-r", req); r.code != 0 || firstLine(r.stdout) != "true" {
			t.Errorf("%s: %+v", name, r)
		}
	}
}

func TestFmt(t *testing.T) {
	f := writeTemp(t, "m.cond", "@resource[Microsoft.Storage/storageAccounts:name] stringequals 'a' && @Environment[isPrivateLink] BoolEquals TRUE")
	want := "@Resource[Microsoft.Storage/storageAccounts:name] StringEquals 'a'\nAND\n@Environment[isPrivateLink] BoolEquals true\n"
	if r := run(t, "", "fmt", f); r.code != 0 || r.stdout != want {
		t.Errorf("fmt: %+v", r)
	}
	if r := run(t, "", "fmt", "-w", f); r.code != 0 || r.stdout != "" {
		t.Errorf("fmt -w: %+v", r)
	}
	if got, _ := os.ReadFile(f); string(got) != want {
		t.Errorf("fmt -w wrote %q", got)
	}
	bad := writeTemp(t, "b.cond", "@Environment[isPrivateLink] BoolEquals")
	before, _ := os.ReadFile(bad)
	if r := run(t, "", "fmt", "-w", bad); r.code != 1 {
		t.Errorf("fmt -w on invalid input: exit %d", r.code)
	}
	if after, _ := os.ReadFile(bad); !bytes.Equal(before, after) {
		t.Errorf("fmt -w changed an invalid file")
	}
}

func TestVersion(t *testing.T) {
	if r := run(t, "", "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "abacc ") {
		t.Errorf("version: %+v", r)
	}
}

// TestBundleRoundTrip compiles the whole conformance corpus into one bundle and checks that
// `eval -b` agrees with `eval -c` on every case, and with the expected result.
func TestBundleRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/conformance/*.json")
	if len(files) == 0 {
		t.Fatal("no conformance files")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "all.abacc")
	args := []string{"compile", "-o", out}
	for _, f := range files {
		args = append(args, strings.TrimPrefix(f, "../../"))
	}
	if r := run(t, "", args...); r.code != 0 {
		t.Fatalf("compile -o: %+v", r)
	}
	checked := 0
	for _, f := range files {
		data, _ := os.ReadFile(f)
		var cf struct {
			Cases []struct {
				Request json.RawMessage
				Expect  bool
			}
		}
		if err := json.Unmarshal(data, &cf); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		for i, c := range cf.Cases {
			req := filepath.Join(dir, "req.json")
			os.WriteFile(req, c.Request, 0o644)
			fromSource := run(t, "", "eval", "-c", strings.TrimPrefix(f, "../../"), "-r", req)
			fromBundle := run(t, "", "eval", "-b", out, "-name", name, "-r", req)
			want := strconv.FormatBool(c.Expect)
			if firstLine(fromSource.stdout) != want || firstLine(fromBundle.stdout) != want {
				t.Errorf("%s case %d: -c %q, -b %q, want %s\n%s%s", name, i, firstLine(fromSource.stdout), firstLine(fromBundle.stdout), want, fromSource.stderr, fromBundle.stderr)
			}
			checked++
		}
	}
	t.Logf("%d cases agree between eval -c and eval -b", checked)
}

// TestBundleCorruption: through the binary, every single-byte change and every truncation of a
// bundle exits 1 with an error and no crash (run checks for panics).
func TestBundleCorruption(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.abacc")
	if r := run(t, "", "compile", "-o", good, "examples/tag-read.cond"); r.code != 0 {
		t.Fatalf("compile: %+v", r)
	}
	data, _ := os.ReadFile(good)
	bad := filepath.Join(dir, "bad.abacc")
	try := func(what string, content []byte) {
		os.WriteFile(bad, content, 0o644)
		r := run(t, "", "eval", "-b", bad, "-r", "examples/read-cascade.json")
		if r.code != 1 || !strings.Contains(r.stderr, "error") {
			t.Fatalf("%s: exit %d, stderr %q", what, r.code, r.stderr)
		}
	}
	for i := range data {
		content := bytes.Clone(data)
		content[i] ^= 0x20
		try(fmt.Sprintf("byte %d changed", i), content)
	}
	for n := 0; n < len(data); n += 7 {
		try(fmt.Sprintf("truncated to %d", n), data[:n])
	}
	try("garbage", []byte("ABACCBDL\x01\x00\x00\x00garbage garbage garbage garbage garbage garbage"))
}

func TestTableTests(t *testing.T) {
	r := run(t, "", "test", "examples/tag-read.test.yaml")
	if r.code != 0 || !strings.HasSuffix(r.stdout, "4 passed, 0 failed\n") {
		t.Errorf("passing file: %+v", r)
	}
	r = run(t, "", "test", "examples/tag-read.test.yaml", "examples/private-link.failing.test.yaml")
	if r.code != 1 || !strings.HasSuffix(r.stdout, "5 passed, 1 failed\n") ||
		!strings.Contains(r.stdout, "FAIL examples/private-link.failing.test.yaml: someone assumed") ||
		!strings.Contains(r.stdout, "skipped  @Environment[isPrivateLink]") {
		t.Errorf("failing file: %+v", r)
	}
	for name, content := range map[string]string{
		"misspelt field":    "condition: \"@Environment[isPrivateLink] BoolEquals true\"\ncases:\n  - request: {action: a}\n    expected: true\n",
		"no expect":         "condition: \"@Environment[isPrivateLink] BoolEquals true\"\ncases:\n  - request: {action: a}\n",
		"bad condition":     "condition: \"@Environment[isPrivateLink] BoolEquals 'yes'\"\ncases:\n  - request: {action: a}\n    expect: true\n",
		"bad request":       "condition: \"@Environment[isPrivateLink] BoolEquals true\"\ncases:\n  - request: {action: a, environment: {isPrivateLink: 'yes'}}\n    expect: true\n",
		"no cases":          "condition: \"@Environment[isPrivateLink] BoolEquals true\"\n",
		"not yaml":          "{{{",
		"missing cond file": "conditionFile: nope.cond\ncases:\n  - request: {action: a}\n    expect: true\n",
	} {
		f := writeTemp(t, "t.yaml", content)
		if r := run(t, "", "test", f); r.code != 1 || !strings.Contains(r.stderr, "FAIL") || !strings.Contains(r.stdout, "0 passed, 1 failed") {
			t.Errorf("%s: %+v", name, r)
		}
	}
}
