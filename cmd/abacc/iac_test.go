package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/abacc/abacc/internal/iac"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The tests of `abacc check` and `abacc fmt` on infrastructure code (examples/iac and
// generated files). Expected positions are computed here from the files' text, independently
// of the iac package: the line and the column (in characters) of the first byte of a needle.

// posOf returns the 1-based line and column of the nth (0-based) occurrence of needle in the
// file (a path relative to the repository root), plus the column of its last character + 1.
func posOf(t *testing.T, file, needle string, nth int) (line, col, endCol int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../..", file))
	if err != nil {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		t.Fatal(err)
	}
	return posIn(t, string(data), needle, nth)
}

func posIn(t *testing.T, text, needle string, nth int) (line, col, endCol int) {
	t.Helper()
	off := -1
	for k, from := 0, 0; k <= nth; k++ {
		i := strings.Index(text[from:], needle)
		if i < 0 {
			t.Fatalf("%q: occurrence %d not found", needle, nth)
		}
		off, from = from+i, from+i+len(needle)
	}
	before := text[:off]
	line = strings.Count(before, "\n") + 1
	lineStart := strings.LastIndexByte(before, '\n') + 1
	col = utf8.RuneCountInString(text[lineStart:off]) + 1
	return line, col, col + utf8.RuneCountInString(needle)
}

type want struct {
	file, needle string
	nth          int
	sev, code    string
}

// The findings `abacc check examples/iac` must report, in its output order.
var iacExampleFindings = []want{
	{"examples/iac/azuredeploy.json", "StringEqual 'reports'", 0, "error", "ABAC2001"},
	{"examples/iac/azuredeploy.json", `"[format(`, 0, "note", "IAC5001"},
	{"examples/iac/main.bicep", "ForAnyOfAnyValues:StringNotEquals", 1, "warning", "ABAC3103"}, // 0 is in a comment
	{"examples/iac/main.bicep", `'((!(ActionMatches{\'`, 0, "note", "IAC5001"},
	{"examples/iac/main.tf", "ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'}", 0, "warning", "ABAC3101"},
}

// headerRE matches a diagnostic's first line in the text format.
var headerRE = regexp.MustCompile(`^(\S+):(\d+):(\d+): (error|warning|note): (.*) \[([A-Z]+\d+)\]$`)

// textFinding is a diagnostic of the text format: the header's fields, the snippet line and
// the caret line.
type textFinding struct {
	file           string
	line, col      int
	sev, msg, code string
	snippet, caret string
	hint           string
	headerLine     string
}

func parseText(t *testing.T, out string) []textFinding {
	t.Helper()
	lines := strings.Split(out, "\n")
	var fs []textFinding
	for i := 0; i < len(lines); i++ {
		m := headerRE.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		l, _ := strconv.Atoi(m[2])
		c, _ := strconv.Atoi(m[3])
		f := textFinding{file: m[1], line: l, col: c, sev: m[4], msg: m[5], code: m[6], headerLine: lines[i]}
		if i+2 < len(lines) {
			f.snippet = strings.TrimPrefix(lines[i+1], "    ")
			f.caret = strings.TrimPrefix(lines[i+2], "    ")
		}
		if i+3 < len(lines) && strings.HasPrefix(lines[i+3], "    hint: ") {
			f.hint = strings.TrimPrefix(lines[i+3], "    hint: ")
		}
		fs = append(fs, f)
	}
	return fs
}

// caretOn checks that the caret line puts its '^' under the character of the snippet at which
// the needle starts (in characters: the snippet may be clipped around a long line).
func caretOn(t *testing.T, f textFinding, needle string) {
	t.Helper()
	caret := []rune(f.caret)
	at := -1
	for i, r := range caret {
		if r == '^' {
			at = i
			break
		}
	}
	snip := []rune(f.snippet)
	if at < 0 || at >= len(snip) || !strings.HasPrefix(string(snip[at:]), needle[:min(len(needle), 12)]) {
		t.Errorf("%s: the caret is not under %q:\n    %s\n    %s", f.headerLine, needle, f.snippet, f.caret)
	}
}

func TestIaCCheckExamples(t *testing.T) {
	r := run(t, "", "check", "examples/iac")
	if r.code != 1 || r.stdout != "" {
		t.Fatalf("check examples/iac: exit %d (want 1: the template holds an error), stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	got := parseText(t, r.stderr)
	if len(got) != len(iacExampleFindings) {
		t.Fatalf("got %d findings, want %d:\n%s", len(got), len(iacExampleFindings), r.stderr)
	}
	for i, w := range iacExampleFindings {
		line, col, _ := posOf(t, w.file, w.needle, w.nth)
		g := got[i]
		if g.file != w.file || g.line != line || g.col != col || g.sev != w.sev || g.code != w.code {
			t.Errorf("finding %d: got %s, want %s:%d:%d: %s: … [%s]", i, g.headerLine, w.file, line, col, w.sev, w.code)
			continue
		}
		caretOn(t, g, w.needle)
	}
	if !strings.Contains(r.stderr, "hint: did you mean StringEquals?") {
		t.Errorf("no hint:\n%s", r.stderr)
	}
	// -strict turns the warnings into errors; notes stay notes.
	r = run(t, "", "check", "-strict", "examples/iac/main.tf", "examples/iac/main.bicep")
	if r.code != 1 || !strings.Contains(r.stderr, "main.tf:") || strings.Contains(r.stderr, "warning:") || !strings.Contains(r.stderr, "note:") {
		t.Errorf("-strict: %+v", r)
	}
	// Without -strict, warnings and notes pass.
	if r := run(t, "", "check", "examples/iac/main.tf", "examples/iac/main.bicep"); r.code != 0 {
		t.Errorf("warnings and notes only: %+v", r)
	}
}

// TestIaCPositionsExact: diagnostics inside escapes, heredocs (with indentation stripped),
// verbatim strings, CRLF files and lines with non-ASCII characters land on the character the
// message is about.
func TestIaCPositionsExact(t *testing.T) {
	const attr = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]"
	cases := []struct {
		name, content, needle string
	}{
		{"heredoc.tf", "resource \"azurerm_role_assignment\" \"r\" {\n  condition = <<-EOT\n      (\n        " + attr + " StringEqual 'a'\n      )\n  EOT\n}\n", "StringEqual"},
		{"quoted.tf", "resource \"azurerm_role_assignment\" \"r\" {\n\tdescription = \"é ü ñ\"\n\tcondition = \"" + attr + " StringEquals 'ü' AND @Environment[isPrivateLink] BoolEquals 'yes'\"\n}\n", "'yes'"},
		{"crlf.tf", "resource \"azurerm_role_assignment\" \"r\" {\r\n  condition = <<EOT\r\n" + attr + "\r\n  StringEqual 'a'\r\nEOT\r\n}\r\n", "StringEqual"},
		{"escaped.json", `[{"principalId": "p", "condition": "` + attr + ` StringEquals \u0027a\u0027 AND @Environment[isPrivateLink] BoolEquals \"yes\""}]`, `\"yes\"`},
		{"verbatim.bicep", "resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  properties: {\n    condition: '''\n(\n  " + attr + " StringEqual 'a'\n)\n'''\n  }\n}\n", "StringEqual"},
		{"quoted.bicep", "resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  properties: {\n    condition: '" + attr + " StringEquals \\'ü\\' AND @Environment[isPrivateLink] BoolEquals \\'yes\\''\n  }\n}\n", `\'yes\'`},
		{"template.json", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [{"type": "Microsoft.Authorization/roleAssignments", "properties": {"condition": "` + attr + ` StringEquals 'ü' AND @Environment[isPrivateLink] BoolEquals 'yes'"}}]}`, "'yes'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := writeTemp(t, tc.name, tc.content)
			dir := filepath.Dir(f)
			r := run(t, "", "check", dir) // through the directory walk
			got := parseText(t, r.stderr)
			if r.code != 1 || len(got) == 0 {
				t.Fatalf("exit %d, %d findings:\n%s", r.code, len(got), r.stderr)
			}
			data, _ := os.ReadFile(f)
			line, col, _ := posIn(t, string(data), tc.needle, 0)
			g := got[0]
			if g.file != f || g.line != line || g.col != col || g.sev != "error" {
				t.Fatalf("got %s, want %s:%d:%d: error\n%s", g.headerLine, f, line, col, r.stderr)
			}
			caretOn(t, g, tc.needle)
		})
	}
}

// TestIaCJSONFormat: -format=json is one JSON array of findings on stdout, with the fields.
func TestIaCJSONFormat(t *testing.T) {
	r := run(t, "", "check", "-format=json", "examples/iac")
	if r.code != 1 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var fs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, r.stdout)
	}
	if len(fs) != len(iacExampleFindings) {
		t.Fatalf("got %d findings, want %d", len(fs), len(iacExampleFindings))
	}
	for i, w := range iacExampleFindings {
		line, col, endCol := posOf(t, w.file, w.needle, w.nth)
		f := fs[i]
		for _, k := range []string{"file", "line", "column", "code", "severity", "message"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding %d lacks %q: %v", i, k, f)
			}
		}
		if f["file"] != w.file || f["line"] != float64(line) || f["column"] != float64(col) || f["code"] != w.code || f["severity"] != w.sev {
			t.Errorf("finding %d: %v, want %s:%d:%d %s %s", i, f, w.file, line, col, w.sev, w.code)
		}
		if w.code == "ABAC2001" {
			if f["endLine"] != float64(line) || f["endColumn"] != float64(col+len("StringEqual")) || f["hint"] != "did you mean StringEquals?" {
				t.Errorf("ABAC2001 span or hint: %v (want end column %d)", f, endCol)
			}
			if f["where"] != "resources[0] (Microsoft.Authorization/roleAssignments)" {
				t.Errorf("where: %v", f["where"])
			}
		}
	}
	// No findings: an empty array, exit 0.
	r = run(t, "", "check", "-format=json", "examples/tag-read.cond")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("clean file: %+v", r)
	}
	// Exit status is the format's too: warnings pass, -strict fails.
	if r := run(t, "", "check", "-format=json", "examples/footguns.cond"); r.code != 0 || !strings.Contains(r.stdout, `"severity": "warning"`) {
		t.Errorf("warnings: %+v", r)
	}
	if r := run(t, "", "check", "-format=json", "-strict", "examples/footguns.cond"); r.code != 1 {
		t.Errorf("-strict: %+v", r)
	}
	if r := run(t, "", "check", "-format=xml", "examples/iac"); r.code != 2 {
		t.Errorf("-format=xml: exit %d", r.code)
	}
}

// TestIaCSARIF: -format=sarif validates against the SARIF 2.1.0 schema (OASIS errata 01,
// testdata/sarif-schema-2.1.0.json, from github.com/oasis-tcs/sarif-spec
// sarif-2.1/schema/sarif-schema-2.1.0.json at e0583813964ec43cea53b6b531b402866095ed1f), names
// every code as a rule, and places each result where the text format does.
func TestIaCSARIF(t *testing.T) {
	c := jsonschema.NewCompiler()
	schema, err := c.Compile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	validate := func(out string) {
		t.Helper()
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
		if err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Fatalf("not valid SARIF 2.1.0: %v", err)
		}
	}
	r := run(t, "", "check", "-format=sarif", "examples/iac")
	if r.code != 1 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	validate(r.stdout)
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name, Version string
					Rules         []struct {
						ID               string
						ShortDescription struct{ Text string }
						Help             struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run0 := log.Runs[0]
	if run0.Tool.Driver.Name != "abacc" || run0.Tool.Driver.Version == "" {
		t.Errorf("driver: %+v", run0.Tool.Driver.Name)
	}
	ids := map[string]bool{}
	for _, rule := range run0.Tool.Driver.Rules {
		ids[rule.ID] = true
		if rule.ShortDescription.Text == "" || rule.Help.Text == "" {
			t.Errorf("rule %s without description or help", rule.ID)
		}
	}
	for code := range codeDescriptions() {
		if !ids[string(code)] {
			t.Errorf("no rule for %s", code)
		}
	}
	for _, ic := range iacCodes {
		if !ids[ic.code] {
			t.Errorf("no rule for %s", ic.code)
		}
	}
	if len(run0.Results) != len(iacExampleFindings) {
		t.Fatalf("%d results, want %d", len(run0.Results), len(iacExampleFindings))
	}
	for i, w := range iacExampleFindings {
		line, col, _ := posOf(t, w.file, w.needle, w.nth)
		res := run0.Results[i]
		loc := res.Locations[0].PhysicalLocation
		if res.RuleID != w.code || res.Level != w.sev || loc.ArtifactLocation.URI != w.file ||
			loc.Region.StartLine != line || loc.Region.StartColumn != col || run0.Tool.Driver.Rules[res.RuleIndex].ID != w.code {
			t.Errorf("result %d: %+v, want %s %s at %s:%d:%d", i, res, w.code, w.sev, w.file, line, col)
		}
	}
	// Standard input, a file-level error and a clean run are valid SARIF too.
	validate(run(t, "@Environment[isPrivateLink] BoolEquals 'yes'", "check", "-format=sarif", "-").stdout)
	validate(run(t, "", "check", "-format=sarif", "no/such/file.tf").stdout)
	clean := run(t, "", "check", "-format=sarif", "examples/tag-read.cond")
	validate(clean.stdout)
	if clean.code != 0 {
		t.Errorf("clean: exit %d", clean.code)
	}
}

// TestIaCGitHubFormat: one workflow command a finding, at the file, line and column of the text
// format, with messages escaped as the runner expects.
func TestIaCGitHubFormat(t *testing.T) {
	r := run(t, "", "check", "-format=github", "examples/iac")
	if r.code != 1 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	re := regexp.MustCompile(`^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=([A-Z]+\d+)::(.+)$`)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != len(iacExampleFindings) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(iacExampleFindings), r.stdout)
	}
	cmd := map[string]string{"error": "error", "warning": "warning", "note": "notice"}
	for i, w := range iacExampleFindings {
		line, col, _ := posOf(t, w.file, w.needle, w.nth)
		m := re.FindStringSubmatch(lines[i])
		if m == nil {
			t.Errorf("not a workflow command: %q", lines[i])
			continue
		}
		want := []string{cmd[w.sev], w.file, strconv.Itoa(line), strconv.Itoa(col), w.code}
		if got := m[1:6]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("line %d: %v, want %v", i, got, want)
		}
		if strings.ContainsAny(m[6], "\r\n") {
			t.Errorf("unescaped line break: %q", m[6])
		}
	}
	if !strings.Contains(r.stdout, `unknown operator "StringEqual"%0Ahint: did you mean StringEquals?`) {
		t.Errorf("hint not on an escaped second line:\n%s", r.stdout)
	}
	// Escaping (GitHub's toolkit rules): data escapes % CR LF; properties also : and ,.
	if got := ghData("50% done\r\nnext: a,b"); got != "50%25 done%0D%0Anext: a,b" {
		t.Errorf("ghData: %q", got)
	}
	if got := ghProperty("C:\\x,y%\n"); got != "C%3A\\x%2Cy%25%0A" {
		t.Errorf("ghProperty: %q", got)
	}
	f := githubAnnotation(finding{File: "dir/a,b:c.tf", Line: 3, Column: 7, Code: "ABAC2001", Severity: "error", Message: "m%1\nx"})
	if f != "::error file=dir/a%2Cb%3Ac.tf,line=3,col=7,title=ABAC2001::m%251%0Ax" {
		t.Errorf("annotation: %q", f)
	}
}

// TestIaCBrokenFiles: in a directory, a broken .tf and a binary .json are errors of their own,
// the good .bicep is still checked, and .git, .terraform and node_modules are skipped.
func TestIaCBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	broken := write("a/broken.tf", "resource \"azurerm_role_assignment\" \"r\" {\n  condition = \"@Environment[isPrivateLink] BoolEquals true\"\n")
	binary := write("b/binary.json", "{\"a\": 1}\x00\x01\x02garbage")
	good := write("c/good.bicep", "resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  properties: {\n    condition: '(!(ActionMatches{\\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write\\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \\'drop\\')'\n  }\n}\n")
	for _, skipped := range []string{".git/x.tf", ".terraform/modules/m/x.tf", "node_modules/pkg/x.json"} {
		write(skipped, "this is { not valid")
	}
	write("c/unrelated.json", `{"name": "a package", "version": "1.0.0"}`) // JSON without role assignments: nothing to say
	for _, format := range []string{"text", "json", "sarif", "github"} {
		r := run(t, "", "check", "-format="+format, dir)
		out := r.stdout + r.stderr
		if r.code != 1 {
			t.Errorf("%s: exit %d\n%s", format, r.code, out)
		}
		for _, p := range []string{broken, binary, good} {
			rel := p
			if format == "sarif" || format == "github" {
				rel = filepath.ToSlash(relPath(p)) // the binary runs in the repository root
				if !strings.Contains(out, rel) {
					rel = filepath.Base(p)
				}
			}
			if !strings.Contains(out, rel) {
				t.Errorf("%s: nothing about %s:\n%s", format, p, out)
			}
		}
		for _, s := range []string{".git", ".terraform", "node_modules", "unrelated.json"} {
			if strings.Contains(out, s) {
				t.Errorf("%s: reports %s:\n%s", format, s, out)
			}
		}
		if format == "text" {
			for _, w := range []string{broken + ":1:40: error: invalid HCL: Unclosed configuration block", binary + ":1:9: error: binary data", good + ":3:20: warning: ", "[IAC5002]", "[ABAC3101]"} {
				if !strings.Contains(out, w) {
					t.Errorf("text lacks %q:\n%s", w, out)
				}
			}
		}
	}
	// A file named on the command line that is not what it claims is an error; the next
	// argument is still checked. (A .json file named on the command line that is not JSON is a
	// condition file of the CLI contract, read as condition text, as it always was.)
	r := run(t, "", "check", broken, good)
	if r.code != 1 || !strings.Contains(r.stderr, broken+":1:40: error: invalid HCL") || !strings.Contains(r.stderr, "[ABAC3101]") {
		t.Errorf("explicit files: %+v", r)
	}
	if r := run(t, "", "check", binary); r.code != 1 || !strings.Contains(r.stderr, binary+":1:9: error: invisible character U+0000") {
		t.Errorf("explicit binary .json: %+v", r)
	}
}

// TestConditionFilesUnchanged: condition files keep their behaviour, in the text format exactly.
func TestConditionFilesUnchanged(t *testing.T) {
	// Role-assignment JSON named on the command line: diagnostics name FILE[name], lines counted
	// in the condition.
	f := writeTemp(t, "ra.json", `[{"name": "n1", "conditionVersion": "2.0", "condition": "@Environment[isPrivateLink] BoolEquals 'yes'"}]`)
	r := run(t, "", "check", f)
	if r.code != 1 || !strings.HasPrefix(r.stderr, f+"[n1]:1:40: error: ") {
		t.Errorf("JSON condition file: %+v", r)
	}
	// The other formats point into the file.
	_, col, _ := posOf(t, f, "'yes'", 0)
	r = run(t, "", "check", "-format=json", f)
	if r.code != 1 || !strings.Contains(r.stdout, `"line": 1,`) || !strings.Contains(r.stdout, fmt.Sprintf(`"column": %d,`, col)) {
		t.Errorf("JSON condition file, -format=json: %+v", r)
	}
	// When the iac reader does not see the conditions (no role-assignment property here), the
	// position inside the condition is in the message.
	g := writeTemp(t, "ra.json", `[{"name": "n1", "condition": "@Environment[isPrivateLink] BoolEquals 'yes'"}]`)
	r = run(t, "", "check", "-format=json", g)
	if r.code != 1 || !strings.Contains(r.stdout, `"message": "1:40 of the condition: BoolEquals`) || !strings.Contains(r.stdout, `"where": "n1"`) {
		t.Errorf("JSON condition file, fallback: %+v", r)
	}
	// Invalid condition-file JSON stays an error.
	bad := writeTemp(t, "bad.json", `{"conditionVersion": "1.0", "condition": "@Environment[isPrivateLink] BoolEquals true"}`)
	for _, format := range []string{"text", "json"} {
		if r := run(t, "", "check", "-format="+format, bad); r.code != 1 || !strings.Contains(r.stdout+r.stderr, "conditionVersion") {
			t.Errorf("%s: %+v", format, r)
		}
	}
	// A directory is no longer "is a directory": it is walked.
	if r := run(t, "", "check", "examples/disk"); r.code != 0 {
		t.Errorf("check examples/disk: %+v", r)
	}
	if r := run(t, "", "check", "no/such/file"); r.code != 1 || !strings.HasPrefix(r.stderr, "abacc: open no/such/file: ") {
		t.Errorf("missing file: %+v", r)
	}
}

// gaps returns the bytes of a file outside its condition literals.
func gaps(t *testing.T, path string, data []byte) [][]byte {
	t.Helper()
	conds, _, err := iac.Extract(path, data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out [][]byte
	last := 0
	for _, c := range conds {
		out = append(out, data[last:c.Start])
		last = c.End
	}
	return append(out, data[last:])
}

// TestIaCFmtWrite: fmt -w rewrites only the condition literals, keeps the mode, and a second
// run changes nothing.
func TestIaCFmtWrite(t *testing.T) {
	dir := t.TempDir()
	files := map[string]os.FileMode{"main.tf": 0o640, "azuredeploy.json": 0o600, "main.bicep": 0o644}
	before := map[string][]byte{}
	for name, mode := range files {
		data, err := os.ReadFile(filepath.Join("../../examples/iac", name))
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.ReplaceAll(data, []byte("StringEqual '"), []byte("StringEquals '")) // fix the deliberate error
		data = bytes.ReplaceAll(data, []byte("OR (@Resource"), []byte("or (@resource"))  // and make a literal non-canonical
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
		before[name] = data
	}
	// Without -w: the canonical forms under headers, files untouched.
	r := run(t, "", "fmt", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "# "+filepath.Join(dir, "main.tf")+":23:26 azurerm_role_assignment.project_reader\n(\n  (\n") ||
		!strings.Contains(r.stdout, "# "+filepath.Join(dir, "main.bicep")+":19:16 publisher\n") {
		t.Errorf("fmt: %+v", r)
	}
	r = run(t, "", "fmt", "-w", dir)
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("fmt -w: %+v", r)
	}
	changed := 0
	for name, mode := range files {
		p := filepath.Join(dir, name)
		after, _ := os.ReadFile(p)
		if !bytes.Equal(after, before[name]) {
			changed++
		}
		g0, g1 := gaps(t, p, before[name]), gaps(t, p, after)
		if len(g0) != len(g1) {
			t.Errorf("%s: %d literals before, %d after", name, len(g0)-1, len(g1)-1)
			continue
		}
		for i := range g0 {
			if !bytes.Equal(g0[i], g1[i]) {
				t.Errorf("%s: bytes outside the literals changed:\n%q\n%q", name, g0[i], g1[i])
			}
		}
		if st, _ := os.Stat(p); st.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", name, st.Mode().Perm(), mode)
		}
		// The rewritten file is canonical and checks as before.
		if r := run(t, "", "check", p); r.code != 0 {
			t.Errorf("%s after fmt -w: %+v", name, r)
		}
	}
	if changed != len(files) {
		t.Errorf("%d of %d files changed", changed, len(files))
	}
	tf, _ := os.ReadFile(filepath.Join(dir, "main.tf"))
	if !bytes.Contains(tf, []byte("condition            = \"(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})) OR (@Resource[")) {
		t.Errorf("a one-line literal is not in the one-line canonical form:\n%s", tf)
	}
	if !bytes.Contains(tf, []byte("  condition            = <<-EOT\n    (\n      (\n        !(\n          ActionMatches{")) {
		t.Errorf("the heredoc lost its indentation:\n%s", tf)
	}
	// A second run is a no-op.
	snap := map[string][]byte{}
	for name := range files {
		snap[name], _ = os.ReadFile(filepath.Join(dir, name))
	}
	if r := run(t, "", "fmt", "-w", dir); r.code != 0 {
		t.Fatalf("second fmt -w: %+v", r)
	}
	for name := range files {
		if again, _ := os.ReadFile(filepath.Join(dir, name)); !bytes.Equal(again, snap[name]) {
			t.Errorf("%s: the second fmt -w changed it", name)
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if fmt.Sprint(names) != "[azuredeploy.json main.bicep main.tf]" {
		t.Errorf("temporary files left: %v", names)
	}
	// A literal that does not compile is reported at its place and left alone; the others
	// are still rewritten; exit 1.
	bad := writeTemp(t, "bad.tf", "resource \"azurerm_role_assignment\" \"a\" {\n  condition = \"@Environment[isPrivateLink] boolequals true\"\n}\nresource \"azurerm_role_assignment\" \"b\" {\n  condition = \"@Environment[isPrivateLink] BoolEquals 'yes'\"\n}\n")
	line, col, _ := posOf(t, bad, "'yes'", 0)
	r = run(t, "", "fmt", "-w", bad)
	got, _ := os.ReadFile(bad)
	if r.code != 1 || !strings.Contains(r.stderr, fmt.Sprintf("%s:%d:%d: error: ", bad, line, col)) || !bytes.Contains(got, []byte(`"@Environment[isPrivateLink] BoolEquals true"`)) ||
		!bytes.Contains(got, []byte(`BoolEquals 'yes'`)) {
		t.Errorf("fmt -w with an invalid literal: %+v\n%s", r, got)
	}
}
