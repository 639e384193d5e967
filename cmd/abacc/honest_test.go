package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The CLI fails honestly: each case is one item of the reliability issue, through the binary.
func TestHonestFailures(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cond := write("c.cond", "@Environment[isPrivateLink] BoolEquals true")
	req := write("r.json", `{"action": "a", "environment": {"isPrivateLink": true}}`)

	// Writes to a full device fail with exit 1.
	if _, err := os.Stat("/dev/full"); err == nil {
		for _, args := range [][]string{{"eval", "-c", cond, "-r", req}, {"fmt", cond}, {"disasm", cond}, {"version"}} {
			full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			r := runWithStdout(t, full, args...)
			full.Close()
			if r.code != 1 || !strings.Contains(r.stderr, "writing output") {
				t.Errorf("%v > /dev/full: exit %d, stderr %q", args, r.code, r.stderr)
			}
		}
	}

	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"stdin twice is a usage error", []string{"eval", "-c", "-", "-r", "-"}, 2, "standard input"},
		{"conditionVersion as a number", []string{"check", write("v.json", `{"condition": "@Environment[isPrivateLink] BoolEquals true", "conditionVersion": 2.0}`)}, 1,
			`conditionVersion must be the string "2.0", not 2.0`},
		{"a huge number is not echoed whole", []string{"check", write("n.cond", "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:A_B] NumericEquals "+strings.Repeat("1", 100000))}, 1, "…"},
		{"JSON deeper than the decoder", []string{"check", write("deep.json", strings.Repeat("[", 10001)+strings.Repeat("]", 10001))}, 1, "nested deeper than 10,000"},
		{"test: Go type names never shown", []string{"test", write("bad.yaml", "name: x\nbogus: 1\ncases: []\n")}, 1, "field bogus not found in a test file"},
	}
	for _, c := range cases {
		r := run(t, "", c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr, "main.") {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", c.name, r.code, clipForTest(r.stderr), c.code, c.want)
		}
		if len(r.stderr) > 20000 {
			t.Errorf("%s: %d bytes of errors", c.name, len(r.stderr))
		}
	}

	// A bundle given where a condition is expected says to use -b.
	bundle := filepath.Join(dir, "b.abacc")
	if r := run(t, "", "compile", "-o", bundle, cond); r.code != 0 {
		t.Fatal(r)
	}
	if r := run(t, "", "eval", "-c", bundle, "-r", req); r.code != 1 || !strings.Contains(r.stderr, "eval -b") || len(r.stderr) > 300 {
		t.Errorf("eval -c BUNDLE: %+v", r)
	}
	// A byte-order mark before role-assignment JSON is skipped; before condition text it is named.
	if r := run(t, "", "check", write("bom.json", "\ufeff"+`{"condition": "@Environment[isPrivateLink] BoolEquals true"}`)); r.code != 0 {
		t.Errorf("BOM before JSON: %+v", r)
	}
	if r := run(t, "", "check", write("bom.cond", "\ufeff@Environment[isPrivateLink] BoolEquals true")); r.code != 1 || !strings.Contains(r.stderr, "BOM") {
		t.Errorf("BOM before condition text: %+v", r)
	}
	// abacc test: absolute paths are used as given; file errors go to standard error.
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	tf := filepath.Join(sub, "t.yaml")
	os.WriteFile(tf, []byte("name: abs\nconditionFile: "+cond+"\ncases:\n  - name: a\n    requestFile: "+req+"\n    expect: true\n"), 0o644)
	if r := run(t, "", "test", tf); r.code != 0 || !strings.Contains(r.stdout, "1 passed, 0 failed") {
		t.Errorf("absolute paths: %+v", r)
	}
	if r := run(t, "", "test", filepath.Join(dir, "bad.yaml")); r.code != 1 || !strings.Contains(r.stderr, "FAIL") || strings.Contains(r.stdout, "FAIL") {
		t.Errorf("test file errors belong on standard error: %+v", r)
	}
	// Invalid UTF-8 in a request names the attribute.
	badReq := write("u.json", "{\"action\": \"a\", \"resource\": {\"Microsoft.Storage/storageAccounts/blobServices/containers:name\": \"x\xffy\"}}")
	if r := run(t, "", "eval", "-c", cond, "-r", badReq); r.code != 1 || !strings.Contains(r.stderr, "containers:name: the value is not valid UTF-8") {
		t.Errorf("invalid UTF-8: %+v", r)
	}
}

func clipForTest(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// runWithStdout runs the binary with standard output sent to f (a real file, such as
// /dev/full).
func runWithStdout(t *testing.T, f *os.File, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = "../.."
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = f, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code: code, stderr: errb.String()}
}

// -dump shows any stage the compiler lists.
func TestDumpStages(t *testing.T) {
	for stage, want := range map[string]string{"parse": "ActionMatches", "check": "ActionMatches", "lower": "Or (",
		"optimize": "Or (", "ir": "Or (", "verify": "; bytecode format", "bytecode": "; bytecode format"} {
		r := run(t, "", "compile", "-dump="+stage, "examples/tag-read.cond")
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("-dump=%s: %+v", stage, r)
		}
	}
	if r := run(t, "", "compile", "-dump=codegen", "examples/tag-read.cond"); r.code != 2 {
		t.Errorf("a stage without a dump is a usage error: %+v", r)
	}
}

// fmt output is always valid input: a condition whose canonical layout would pass the size
// limit is left alone with an error; fmt -w replaces the file atomically, keeping its mode.
func TestFmtHonest(t *testing.T) {
	dir := t.TempDir()
	clause := "@Environment[isPrivateLink] BoolEquals true"
	n := (1040000 - 60) / (len(clause) + 4)
	near := clause + " AND (" + strings.Repeat(clause+" OR ", n-1) + clause + ")"
	p := filepath.Join(dir, "near.cond")
	os.WriteFile(p, []byte(near), 0o644)
	if r := run(t, "", "fmt", "-w", p); r.code != 1 || !strings.Contains(r.stderr, "over the 1048576-byte limit") {
		t.Errorf("fmt past the limit: exit %d, %q", r.code, clipForTest(r.stderr))
	}
	if got, _ := os.ReadFile(p); string(got) != near {
		t.Error("the file was changed")
	}
	m := filepath.Join(dir, "m.cond")
	os.WriteFile(m, []byte("@Environment[isPrivateLink]   boolequals true"), 0o640)
	if r := run(t, "", "fmt", "-w", m); r.code != 0 {
		t.Fatalf("fmt -w: %+v", r)
	}
	st, _ := os.Stat(m)
	got, _ := os.ReadFile(m)
	entries, _ := os.ReadDir(dir)
	if st.Mode().Perm() != 0o640 || string(got) != "@Environment[isPrivateLink] BoolEquals true\n" || len(entries) != 2 {
		t.Errorf("fmt -w: mode %v, content %q, %d files in the folder", st.Mode().Perm(), got, len(entries))
	}
}
