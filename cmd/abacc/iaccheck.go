package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/iac"
)

// checkArgs checks every argument of `abacc check`: standard input ("-"), files, and
// directories (recursively, the files iac.Walk visits).
func (c *cli) checkArgs(args []string, strict bool, r *reporter) {
	for _, arg := range args {
		if arg == "-" {
			c.checkFile(arg, true, strict, r)
			continue
		}
		if st, err := os.Stat(arg); err == nil && st.IsDir() {
			werr := iac.Walk(arg, func(path string) { c.checkFile(path, false, strict, r) })
			if werr != nil {
				r.add(fileFinding(arg, fmt.Sprintf("abacc: %v\n", werr), werr.Error()))
			}
			continue
		}
		c.checkFile(arg, true, strict, r)
	}
}

// fileFinding is an error about a whole file; text is its text-format rendering.
func fileFinding(path, text, msg string) finding {
	f := finding{File: path, Code: codeBadFile, Severity: "error", Message: msg, text: text}
	if path == "-" || path == "<stdin>" {
		f.File, f.noLoc = "<stdin>", true
	}
	return f
}

// checkFile checks one file. Condition files (condition text, and role-assignment JSON named on
// the command line or read from standard input) are read as check always read them; Terraform,
// ARM templates, Bicep files, and JSON exports found in a directory, through the iac package,
// with every finding located in the file. explicit says the file was named on the command line.
func (c *cli) checkFile(path string, explicit, strict bool, r *reporter) {
	data, err := c.readFile(path)
	if err != nil {
		r.add(fileFinding(path, fmt.Sprintf("abacc: %v\n", err), err.Error()))
		return
	}
	if len(data) > maxInput {
		msg := fmt.Sprintf("%s: larger than %d MiB", path, maxInput>>20)
		r.add(fileFinding(path, "abacc: "+msg+"\n", msg))
		return
	}
	kind := iac.Plain
	if path != "-" {
		kind = iac.Detect(path, data)
	}
	switch {
	case kind == iac.Plain:
		c.checkConditionFile(path, data, strict, r, nil)
	case kind == iac.AzExport && explicit:
		// A role-assignment JSON named on the command line is a condition file of the CLI
		// contract: its errors and, in the text format, its diagnostics (FILE[name]:LINE:COL,
		// lines counted in the condition) stay what they always were. The other formats need
		// positions in the file: the iac reader gives them when it finds the same conditions.
		if r.format == formatText || path == "-" {
			c.checkConditionFile(path, data, strict, r, nil)
			return
		}
		conds, err := loadConditions(path, data)
		if err != nil {
			c.checkConditionFile(path, data, strict, r, nil)
			return
		}
		found, notes, ierr := iac.Extract(path, data)
		if ierr != nil || !sameConditions(conds, found) {
			c.checkConditionFile(path, data, strict, r, conds)
			return
		}
		c.checkIaC(path, data, found, notes, strict, r)
	default:
		found, notes, err := iac.Extract(path, data)
		if err != nil {
			s := newSrcFile(path, data)
			r.add(s.fileError(err))
			return
		}
		c.checkIaC(path, data, found, notes, strict, r)
	}
}

// sameConditions reports whether the iac reader found the conditions loadConditions found.
func sameConditions(conds []condition, found []iac.Condition) bool {
	if len(conds) != len(found) {
		return false
	}
	a := make([]string, len(conds))
	b := make([]string, len(found))
	for i := range conds {
		a[i], b[i] = conds[i].src, found[i].Text
	}
	sort.Strings(a)
	sort.Strings(b)
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkConditionFile checks a condition file as check always did: loadConditions, then compile
// each condition, its diagnostics rendered by the compiler (positions in the condition). When
// conds is given, the file was loaded already.
func (c *cli) checkConditionFile(path string, data []byte, strict bool, r *reporter, conds []condition) {
	label := path
	if path == "-" {
		label = "<stdin>"
	}
	if conds == nil {
		var err error
		if conds, err = loadConditions(path, data); err != nil {
			r.add(fileFinding(label, fmt.Sprintf("abacc: %v\n", err), strings.TrimPrefix(err.Error(), label+": ")))
			return
		}
	}
	for _, cond := range conds {
		p, err := abacc.CompileWith(cond.src, abacc.Options{Name: cond.label, Strict: strict, Dialect: c.dialect})
		var ds []abacc.Diagnostic
		var ce *abacc.Error
		switch {
		case errors.As(err, &ce):
			ds = ce.Diagnostics
		case err != nil:
			f := fileFinding(label, fmt.Sprintf("abacc: %s: %v\n", cond.label, err), err.Error())
			f.Code, f.Where = "", cond.name
			r.add(f)
			continue
		default:
			ds = p.Warnings()
		}
		for _, d := range ds {
			f := finding{File: label, Line: d.Line, Column: d.Column, Code: d.Code, Severity: d.Severity,
				Message: d.Message, Hint: d.Hint, Where: cond.name, text: d.Text, noLoc: path == "-"}
			if n := caretSpan(d.Text); n > 1 {
				f.EndLine, f.EndColumn = d.Line, d.Column+n
			}
			if cond.name != "" {
				// Lines and columns count in the condition, not in the JSON file: the other
				// formats say so and point at the file.
				f.Message = fmt.Sprintf("%d:%d of the condition: %s", d.Line, d.Column, d.Message)
				f.Line, f.Column, f.EndLine, f.EndColumn = 0, 0, 0, 0
			}
			r.add(f)
		}
	}
}

// checkIaC checks the conditions the iac reader found in a file, reporting every finding at its
// place in the file.
func (c *cli) checkIaC(path string, data []byte, conds []iac.Condition, notes []iac.Note, strict bool, r *reporter) {
	s := newSrcFile(path, data)
	var out []finding
	for _, n := range notes {
		f := finding{File: path, Line: n.Line, Column: n.Col, Code: codeNotStatic, Severity: "note", Message: n.Msg, Where: n.Where}
		if n.Where != "" { // a note says which condition it is about, in the text format too
			shown := f
			shown.Message = n.Where + ": " + n.Msg
			f.text = s.render(shown)
		}
		out = append(out, f)
	}
	for i := range conds {
		out = append(out, s.conditionFindings(&conds[i], strict, c.dialect)...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
	})
	for _, f := range out {
		if f.text == "" {
			f.text = s.render(f)
		}
		r.add(f)
	}
}

// conditionFindings compiles one extracted condition and returns its diagnostics, mapped to
// the file.
func (s *srcFile) conditionFindings(cd *iac.Condition, strict bool, dialect abacc.Dialect) []finding {
	var out []finding
	if cd.Version != "" && cd.Version != "2.0" {
		l, col := s.position(cd.Start)
		out = append(out, finding{File: s.path, Line: l, Column: col, Code: codeBadVersion, Severity: "error", Where: cd.Where,
			Message: fmt.Sprintf("conditionVersion %q is not supported (abacc reads condition version 2.0)", cd.Version)})
	}
	p, err := abacc.CompileWith(cd.Text, abacc.Options{Name: s.path, Strict: strict, Dialect: dialect})
	var ds []abacc.Diagnostic
	var ce *abacc.Error
	switch {
	case errors.As(err, &ce):
		ds = ce.Diagnostics
	case err != nil:
		l, col := cd.Pos(0)
		return append(out, finding{File: s.path, Line: l, Column: col, Severity: "error", Message: err.Error(), Where: cd.Where})
	default:
		ds = p.Warnings()
	}
	for _, d := range ds {
		out = append(out, s.mapDiagnostic(cd, d))
	}
	return out
}

// mapDiagnostic moves a diagnostic of an extracted condition (its line and column count in the
// condition's text) to the file: the text offset goes through the condition's Pos.
func (s *srcFile) mapDiagnostic(cd *iac.Condition, d abacc.Diagnostic) finding {
	off := textOffset(cd.Text, d.Line, d.Column)
	l, col := cd.Pos(off)
	f := finding{File: s.path, Line: l, Column: col, Code: d.Code, Severity: d.Severity, Message: d.Message, Hint: d.Hint, Where: cd.Where}
	if n := caretSpan(d.Text); n > 1 {
		end := off
		for k := 0; k < n && end < len(cd.Text) && cd.Text[end] != '\n'; k++ {
			_, size := utf8.DecodeRuneInString(cd.Text[end:])
			end += size
		}
		if end > off {
			f.EndLine, f.EndColumn = cd.Pos(end)
		}
	}
	return f
}

// fileError is the finding for a file the iac reader cannot read (an *iac.FileError).
func (s *srcFile) fileError(err error) finding {
	f := finding{File: s.path, Code: codeBadFile, Severity: "error", Message: err.Error()}
	var fe *iac.FileError
	if errors.As(err, &fe) {
		f.Line, f.Column, f.Message = fe.Line, fe.Col, fe.Msg
	}
	f.text = s.render(f)
	return f
}

// textOffset returns the byte offset of a 1-based line and column (in characters) of text, as
// diag.File.Position counts them; past the end of a line, the line's end.
func textOffset(text string, line, col int) int {
	i := 0
	for l := 1; l < line; l++ {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	for k := 1; k < col && i < len(text) && text[i] != '\n'; k++ {
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return i
}

// caretSpan returns how many characters a rendered diagnostic underlines: its caret and tildes
// (diag.File.Format draws them under the span while it stays on one line).
func caretSpan(text string) int {
	lines := strings.Split(text, "\n")
	if len(lines) < 3 {
		return 1
	}
	t := strings.TrimLeft(lines[2], " \t")
	if !strings.HasPrefix(t, "^") || strings.Trim(t, "^~") != "" {
		return 1
	}
	return len(t)
}
