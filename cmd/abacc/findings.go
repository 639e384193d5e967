package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/diag"
)

// A finding is one thing `abacc check` reports: a diagnostic of a condition, a lint, a note about
// a condition that cannot be checked statically, or an input that cannot be read. Every output
// format (-format=text|json|sarif|github) prints the same findings; the exit status depends only
// on whether one of them is an error.
type finding struct {
	File string `json:"file"`
	// Line and Column are 1-based, columns counted in characters (Unicode code points); 0 when
	// the finding is about the whole file.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// EndLine and EndColumn locate the character just after the span, when the span is known.
	EndLine   int    `json:"endLine,omitempty"`
	EndColumn int    `json:"endColumn,omitempty"`
	Code      string `json:"code"`
	Severity  string `json:"severity"` // error, warning or note
	Message   string `json:"message"`
	Hint      string `json:"hint,omitempty"`
	// Where names the condition's home in the file (a Terraform resource address, a template
	// path, a Bicep symbol, an assignment's name), when the file holds several.
	Where string `json:"where,omitempty"`

	text  string // the text format: what goes to stderr
	noLoc bool   // File is not a file (standard input): no physical location
}

// Output formats of check.
const (
	formatText   = "text"
	formatJSON   = "json"
	formatSARIF  = "sarif"
	formatGitHub = "github"
)

// reporter collects the findings of one check run and prints them in the chosen format: the
// text format streams each to stderr as it is found (as check always did); the others print
// everything to stdout at the end.
type reporter struct {
	c        *cli
	format   string
	findings []finding
	failed   bool
}

func (r *reporter) add(f finding) {
	if f.Severity == "error" {
		r.failed = true
	}
	if r.format == formatText {
		fmt.Fprint(r.c.stderr, f.text)
		return
	}
	r.findings = append(r.findings, f)
}

func (r *reporter) finish() {
	switch r.format {
	case formatJSON:
		out := r.findings
		if out == nil {
			out = []finding{}
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(r.c.stdout, string(b))
	case formatSARIF:
		b, _ := json.MarshalIndent(sarifLog(r.findings), "", "  ")
		fmt.Fprintln(r.c.stdout, string(b))
	case formatGitHub:
		for _, f := range r.findings {
			fmt.Fprintln(r.c.stdout, githubAnnotation(f))
		}
	}
}

// ---- codes of the IaC reader ----

// iacCode is a code that check reports about files rather than about condition text.
type iacCode struct {
	code, level, desc, help string
}

// iacCodes are the codes of findings about infrastructure-code files. They are not compiler
// diagnostics (the ABAC tables), so they have a namespace of their own.
var iacCodes = []iacCode{
	{"IAC5001", "note",
		"a condition computed at deployment time (interpolation, a variable, a reference, a function call, an ARM template expression): not checkable statically",
		"abacc checks condition literals. Check such a condition where its value is known (the rendered template, `terraform show -json` of a plan, `az role assignment list` after deployment), or write it as a literal."},
	{"IAC5002", "error",
		"a file that is not what its name or content claims (invalid HCL, JSON or Bicep, binary data, not UTF-8, over the size limit), or that cannot be read",
		"Fix the file so that terraform, az deployment or bicep would accept it; abacc reads its conditions only then."},
	{"IAC5003", "error",
		"a conditionVersion other than 2.0",
		"Azure role-assignment conditions are version 2.0, the only version abacc reads; set condition_version / conditionVersion to \"2.0\"."},
}

const (
	codeNotStatic  = "IAC5001"
	codeBadFile    = "IAC5002"
	codeBadVersion = "IAC5003"
)

// explainIaC prints an IaC code's meaning for explain-code, reporting whether code is one.
func (c *cli) explainIaC(code string) bool {
	for _, ic := range iacCodes {
		if ic.code == code {
			fmt.Fprintf(c.stdout, "%s (%s, infrastructure code): %s\n\n%s\n", ic.code, ic.level, ic.desc, ic.help)
			return true
		}
	}
	return false
}

// ---- GitHub workflow commands ----

// githubAnnotation renders a finding as a workflow command (::error, ::warning, ::notice).
func githubAnnotation(f finding) string {
	cmd := map[string]string{"error": "error", "warning": "warning", "note": "notice"}[f.Severity]
	if cmd == "" {
		cmd = "error"
	}
	var props []string
	if !f.noLoc {
		props = append(props, "file="+ghProperty(filepath.ToSlash(relPath(f.File))))
		if f.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", f.Line), fmt.Sprintf("col=%d", f.Column))
		}
	}
	if f.Code != "" {
		props = append(props, "title="+ghProperty(f.Code))
	}
	msg := f.Message
	if f.noLoc && f.File != "" {
		msg = f.File + ": " + msg
	}
	if f.Hint != "" {
		msg += "\nhint: " + f.Hint
	}
	s := "::" + cmd
	if len(props) > 0 {
		s += " " + strings.Join(props, ",")
	}
	return s + "::" + ghData(msg)
}

// ghData escapes a workflow command's message as the runner unescapes it.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value: as data, and ':' and ','.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// relPath returns path relative to the current directory when it lies below it.
func relPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}

// ---- SARIF 2.1.0 ----

const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region *sarifRegion `json:"region,omitempty"`
	} `json:"physicalLocation"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId,omitempty"`
	RuleIndex *int            `json:"ruleIndex,omitempty"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

// sarifRules lists every code abacc reports: the compiler's and the linter's (the tables of
// explain-code) and the IaC reader's, sorted by id.
func sarifRules() []sarifRule {
	var rules []sarifRule
	for code, desc := range codeDescriptions() {
		level, class := "error", "lexical or syntax error"
		switch {
		case code >= "ABAC3100":
			level, class = "warning", "lint warning"
		case code >= "ABAC3000":
			level, class = "warning", "warning"
		case code >= "ABAC2000":
			class = "name or type error"
		}
		help := desc + "."
		if ex, ok := codeExamples[code]; ok {
			help += "\n\nExample:\n    " + ex.text
			if ex.gen == nil { // the generated examples are too large to compile for every run
				if d, ok := exampleDiagnostic(code, ex); ok {
					help += fmt.Sprintf("\n\nabacc reports:\n    example:%d:%d: %s: %s [%s]", d.Line, d.Column, d.Severity, d.Message, d.Code)
					if d.Hint != "" {
						help += "\n    hint: " + d.Hint
					}
				}
			}
		}
		help += "\n\n`abacc explain-code " + string(code) + "` prints this."
		rules = append(rules, sarifRule{
			ID:                   string(code),
			ShortDescription:     sarifText{desc},
			FullDescription:      sarifText{fmt.Sprintf("%s (%s): %s", code, class, desc)},
			Help:                 sarifText{help},
			DefaultConfiguration: map[string]any{"level": level},
			Properties:           map[string]any{"tags": []string{"azure-abac", class}},
		})
	}
	for _, ic := range iacCodes {
		rules = append(rules, sarifRule{
			ID:                   ic.code,
			ShortDescription:     sarifText{ic.desc},
			FullDescription:      sarifText{fmt.Sprintf("%s (infrastructure code): %s", ic.code, ic.desc)},
			Help:                 sarifText{ic.desc + ".\n\n" + ic.help},
			DefaultConfiguration: map[string]any{"level": ic.level},
			Properties:           map[string]any{"tags": []string{"azure-abac", "infrastructure code"}},
		})
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules
}

// sarifURI returns a finding's file as a URI reference: relative to the current directory when
// the file is below it, else an absolute file URI.
func sarifURI(path string) string {
	rel := relPath(path)
	if filepath.IsAbs(rel) {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(rel)}).String()
	}
	if !filepath.IsLocal(rel) { // above the current directory
		if abs, err := filepath.Abs(rel); err == nil {
			return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
		}
	}
	return (&url.URL{Path: filepath.ToSlash(rel)}).String()
}

type sarifRun struct {
	Tool struct {
		Driver struct {
			Name            string      `json:"name"`
			Version         string      `json:"version"`
			SemanticVersion string      `json:"semanticVersion"`
			Rules           []sarifRule `json:"rules"`
		} `json:"driver"`
	} `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifLogFile struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

// sarifLog builds a SARIF 2.1.0 log of one run.
func sarifLog(findings []finding) sarifLogFile {
	var run sarifRun
	run.Tool.Driver.Name = "abacc"
	run.Tool.Driver.Version = abacc.Version
	run.Tool.Driver.SemanticVersion = abacc.Version
	run.Tool.Driver.Rules = sarifRules()
	run.ColumnKind = "unicodeCodePoints" // as abacc counts columns
	index := make(map[string]int, len(run.Tool.Driver.Rules))
	for i, r := range run.Tool.Driver.Rules {
		index[r.ID] = i
	}
	run.Results = make([]sarifResult, 0, len(findings))
	for _, f := range findings {
		level := f.Severity
		if level != "error" && level != "warning" && level != "note" {
			level = "error"
		}
		msg := f.Message
		if f.Where != "" {
			msg = f.Where + ": " + msg
		}
		if f.noLoc && f.File != "" {
			msg = f.File + ": " + msg
		}
		if f.Hint != "" {
			msg += "\nhint: " + f.Hint
		}
		res := sarifResult{RuleID: f.Code, Level: level, Message: sarifText{msg}}
		if i, ok := index[f.Code]; ok {
			res.RuleIndex = &i
		}
		if !f.noLoc && f.File != "" {
			var loc sarifLocation
			loc.PhysicalLocation.ArtifactLocation.URI = sarifURI(f.File)
			if f.Line > 0 {
				reg := &sarifRegion{StartLine: f.Line, StartColumn: f.Column}
				if f.EndLine > 0 {
					reg.EndLine, reg.EndColumn = f.EndLine, f.EndColumn
				}
				loc.PhysicalLocation.Region = reg
			}
			res.Locations = []sarifLocation{loc}
		}
		run.Results = append(run.Results, res)
	}
	return sarifLogFile{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}}
}

// ---- rendering in the text format ----

// srcFile is an input file for rendering findings at its lines: columns count characters, and a
// UTF-8 byte-order mark is not part of line 1 (as in the iac package and in editors).
type srcFile struct {
	path string
	data []byte
	bom  int // 3 when data starts with a byte-order mark
	df   *diag.File
}

func newSrcFile(path string, data []byte) *srcFile {
	s := &srcFile{path: path, data: data}
	if strings.HasPrefix(string(data[:min(3, len(data))]), "\uFEFF") {
		s.bom = 3
	}
	s.df = diag.NewFile(path, string(data[s.bom:]))
	return s
}

// position returns the line and column of a byte offset of the file's data.
func (s *srcFile) position(off int) (int, int) {
	return s.df.Position(diag.Pos(max(0, off-s.bom)))
}

// offset returns the byte offset (in the text after the byte-order mark) of a line and column.
func (s *srcFile) offset(line, col int) int { return textOffset(s.df.Src, line, col) }

// render formats a finding located in the file as the compiler formats its diagnostics:
// FILE:LINE:COL: SEVERITY: MESSAGE [CODE], the file's line, a caret (and tildes under the span
// while it stays on the line) and the hint.
func (s *srcFile) render(f finding) string {
	if f.Line <= 0 {
		out := fmt.Sprintf("%s: %s: %s [%s]\n", s.path, f.Severity, f.Message, f.Code)
		if f.Hint != "" {
			out += "    hint: " + f.Hint + "\n"
		}
		return out
	}
	pos := s.offset(f.Line, f.Column)
	end := pos
	if f.EndLine > 0 {
		end = s.offset(f.EndLine, f.EndColumn)
	}
	d := diag.Diagnostic{Code: diag.Code(f.Code), Severity: diag.Error, Pos: diag.Pos(pos), End: diag.Pos(end), Msg: f.Message, Hint: f.Hint}
	if f.Severity == "warning" {
		d.Severity = diag.Warning
	}
	out := s.df.Format(d)
	// Format wrote its own header (with the severities it knows); put ours in its place.
	l, c := s.df.Position(d.Pos)
	theirs := fmt.Sprintf("%s:%d:%d: %s: %s [%s]", s.path, l, c, d.Severity, d.Msg, d.Code)
	ours := fmt.Sprintf("%s:%d:%d: %s: %s [%s]", s.path, f.Line, f.Column, f.Severity, f.Message, f.Code)
	return ours + strings.TrimPrefix(out, theirs)
}
