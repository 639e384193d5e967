package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/abacc/abacc"
	"go.yaml.in/yaml/v3"
)

// testFile is a table test: one condition (inline or from a file) and cases of request →
// expected decision. YAML or JSON (JSON is YAML).
type testFile struct {
	Name          string `yaml:"name"`
	Description   string `yaml:"description"`
	Condition     string `yaml:"condition"`
	ConditionFile string `yaml:"conditionFile"`
	ConditionName string `yaml:"conditionName"`
	// Dialect is "standard" or "extended"; when given it overrides -dialect.
	Dialect string     `yaml:"dialect"`
	Cases   []testCase `yaml:"cases"`
}

type testCase struct {
	Name        string `yaml:"name"`
	Request     any    `yaml:"request"`
	RequestFile string `yaml:"requestFile"`
	Expect      *bool  `yaml:"expect"`
}

func (c *cli) test(args []string) int {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	verbose := fs.Bool("v", false, "print every case, not only failures")
	c.dialectFlag(fs)
	files, ok := c.parseFiles(fs, args)
	if !ok {
		return exitUsage
	}
	passed, failed := 0, 0
	for _, path := range files {
		p, f := c.runTestFile(path, *verbose)
		passed += p
		failed += f
	}
	fmt.Fprintf(c.stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return exitInvalid
	}
	return exitOK
}

// runTestFile runs one file's cases; a file that cannot be read or whose condition does not
// compile counts as one failure.
func (c *cli) runTestFile(path string, verbose bool) (passed, failed int) {
	// A file that cannot be used is an error (standard error); a case that fails is a result
	// (standard output).
	fail := func(format string, args ...any) (int, int) {
		fmt.Fprintf(c.stderr, "FAIL %s: %s\n", path, fmt.Sprintf(format, args...))
		return 0, 1
	}
	data, ok := c.readLimited(path)
	if !ok {
		return 0, 1
	}
	var tf testFile
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true) // a misspelt field must not silently drop a case
	if err := dec.Decode(&tf); err != nil {
		return fail("not a test file: %s", yamlMessage(err))
	}
	cond, err := c.testCondition(path, &tf)
	if err != nil {
		return fail("%v", err)
	}
	dialect := c.dialect
	if tf.Dialect != "" {
		if dialect, err = abacc.ParseDialect(tf.Dialect); err != nil {
			return fail("dialect: %q is not standard or extended", tf.Dialect)
		}
	}
	prog, err := abacc.CompileWith(cond.src, abacc.Options{Name: cond.label, Dialect: dialect})
	if err != nil {
		fmt.Fprintf(c.stderr, "FAIL %s: the condition does not compile:\n%s\n", path, indent(err.Error()))
		return 0, 1
	}
	if len(tf.Cases) == 0 {
		return fail("no cases")
	}
	for i, tc := range tf.Cases {
		label := tc.Name
		if label == "" {
			label = fmt.Sprintf("case %d", i+1)
		}
		if tc.Expect == nil {
			fmt.Fprintf(c.stderr, "FAIL %s: %s: no expect: true|false\n", path, label)
			failed++
			continue
		}
		req, err := testRequest(path, tc)
		if err != nil {
			fmt.Fprintf(c.stderr, "FAIL %s: %s: %v\n", path, label, err)
			failed++
			continue
		}
		ex := prog.Explain(req)
		if got := prog.Eval(req); got != *tc.Expect || ex.Result != got {
			fmt.Fprintf(c.stdout, "FAIL %s: %s: got %v, want %v\n%s", path, label, got, *tc.Expect, indent(ex.String()))
			failed++
			continue
		}
		if verbose {
			fmt.Fprintf(c.stdout, "ok   %s: %s\n", path, label)
		}
		passed++
	}
	return passed, failed
}

// testCondition finds the condition of a test file: inline, or in a condition file relative to
// the test file (a role-assignment JSON array then needs conditionName).
func (c *cli) testCondition(path string, tf *testFile) (condition, error) {
	switch {
	case tf.Condition != "" && tf.ConditionFile != "":
		return condition{}, fmt.Errorf("give condition or conditionFile, not both")
	case tf.Condition != "":
		return condition{label: path, src: tf.Condition}, nil
	case tf.ConditionFile != "":
		cf := relativeTo(path, tf.ConditionFile)
		data, err := c.readFile(cf)
		if err != nil {
			return condition{}, err
		}
		conds, err := loadConditions(cf, data)
		if err != nil {
			return condition{}, err
		}
		if tf.ConditionName == "" {
			if len(conds) != 1 {
				return condition{}, fmt.Errorf("%s holds %d conditions: name one with conditionName", cf, len(conds))
			}
			return conds[0], nil
		}
		for _, cd := range conds {
			if cd.name == tf.ConditionName {
				return cd, nil
			}
		}
		return condition{}, fmt.Errorf("%s has no condition named %q", cf, tf.ConditionName)
	}
	return condition{}, fmt.Errorf("no condition or conditionFile")
}

// testRequest builds a case's request from inline YAML/JSON or a request file.
func testRequest(path string, tc testCase) (*abacc.Request, error) {
	var data []byte
	switch {
	case tc.Request != nil && tc.RequestFile != "":
		return nil, fmt.Errorf("give request or requestFile, not both")
	case tc.Request != nil:
		var err error
		if data, err = json.Marshal(jsonable(tc.Request)); err != nil {
			return nil, fmt.Errorf("request: %v", err)
		}
	case tc.RequestFile != "":
		var err error
		if data, err = os.ReadFile(relativeTo(path, tc.RequestFile)); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("no request or requestFile")
	}
	req := abacc.NewRequest()
	if err := req.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("request: %v", err)
	}
	return req, nil
}

// jsonable converts YAML-decoded values (maps with any keys) into JSON-encodable ones.
func jsonable(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = jsonable(e)
		}
		return v
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []any:
		for i, e := range v {
			v[i] = jsonable(e)
		}
	}
	return v
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n") + "\n"
}

// relativeTo resolves a file named in a test file: relative to the test file's folder, or as
// given when absolute.
func relativeTo(testFile, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(filepath.Dir(testFile), name)
}

// goTypeName matches the Go type names the YAML decoder puts in its messages.
var goTypeName = regexp.MustCompile(`in type main\.(testFile|testCase)|into main\.(testFile|testCase)|into \[\]main\.testCase`)

// yamlMessage rewrites a YAML decoding error in the test file's own terms.
func yamlMessage(err error) string {
	return goTypeName.ReplaceAllStringFunc(err.Error(), func(m string) string {
		switch {
		case strings.Contains(m, "[]main.testCase"):
			return "into the list of cases"
		case strings.Contains(m, "testCase"):
			return strings.Replace(strings.Replace(m, "in type main.testCase", "in a test case", 1), "into main.testCase", "into a test case", 1)
		}
		return strings.Replace(strings.Replace(m, "in type main.testFile", "in a test file", 1), "into main.testFile", "into a test file", 1)
	})
}
