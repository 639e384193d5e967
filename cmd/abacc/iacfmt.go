package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/check"
	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/iac"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/syntax/printer"
)

// formatArg is fmt of one argument: standard input, a file, or a directory (the files iac.Walk
// visits).
func (c *cli) formatArg(arg string, write bool) int {
	if arg == "-" {
		return c.formatConditionFile(arg, write)
	}
	st, err := os.Stat(arg)
	if err != nil || !st.IsDir() {
		return c.formatFile(arg, write, true)
	}
	status := exitOK
	werr := iac.Walk(arg, func(path string) {
		if c.formatFile(path, write, false) != exitOK {
			status = exitInvalid
		}
	})
	if werr != nil {
		c.errorf("%v", werr)
		status = exitInvalid
	}
	return status
}

// formatFile is fmt of one file. Condition files are formatted as fmt always did; the condition
// literals of Terraform, ARM, Bicep and JSON export files are formatted where they are.
func (c *cli) formatFile(path string, write, explicit bool) int {
	data, err := c.readFile(path)
	if err != nil || len(data) > maxInput {
		return c.formatConditionFile(path, write) // reports the error as fmt always did
	}
	switch iac.Detect(path, data) {
	case iac.Plain:
		return c.formatConditionFile(path, write)
	case iac.AzExport:
		if !explicit {
			break
		}
		// A role-assignment JSON named on the command line is a condition file: its errors stay
		// what they were. Its literals are formatted in place when the iac reader finds the
		// conditions loadConditions finds.
		conds, err := loadConditions(path, data)
		if err != nil {
			return c.formatConditionFile(path, write)
		}
		found, _, ierr := iac.Extract(path, data)
		if ierr != nil || !sameConditions(conds, found) {
			return c.formatConditionFile(path, write)
		}
	}
	return c.formatIaC(path, data, write)
}

// formatIaC prints the canonical form of every condition literal of a file, each under a
// `# FILE:LINE:COL WHERE` header, or with -w rewrites the literals in place: only their bytes
// change, and the file is replaced atomically. A literal that cannot hold its canonical form
// (Condition.Rewrite refuses) is left alone: its canonical form goes to stdout and the reason to
// stderr.
func (c *cli) formatIaC(path string, data []byte, write bool) int {
	s := newSrcFile(path, data)
	conds, notes, err := iac.Extract(path, data)
	if err != nil {
		fmt.Fprint(c.stderr, s.fileError(err).text)
		return exitInvalid
	}
	for _, n := range notes {
		f := finding{File: path, Line: n.Line, Column: n.Col, Code: codeNotStatic, Severity: "note", Message: n.Where + ": " + n.Msg}
		fmt.Fprint(c.stderr, s.render(f))
	}
	status := exitOK
	type edit struct {
		start, end int
		lit        []byte
	}
	var edits []edit
	for i := range conds {
		cd := &conds[i]
		p, err := abacc.CompileWith(cd.Text, abacc.Options{Name: path, Dialect: c.dialect})
		if err != nil {
			var ce *abacc.Error
			if errors.As(err, &ce) {
				for _, d := range ce.Diagnostics {
					fmt.Fprint(c.stderr, s.render(s.mapDiagnostic(cd, d)))
				}
			} else {
				c.errorf("%s: %s: %v", path, cd.Where, err)
			}
			status = exitInvalid
			continue
		}
		canon := p.Format()
		line, col := s.position(cd.Start)
		header := fmt.Sprintf("# %s:%d:%d %s\n", path, line, col, cd.Where)
		if !write {
			fmt.Fprintf(c.stdout, "%s%s\n", header, canon)
			continue
		}
		if !bytes.ContainsAny(data[cd.Start:cd.End], "\r\n") {
			// A literal on one line ("...", '...') gets the canonical form on one line, not
			// line breaks escaped as \n.
			canon = inlineForm(p)
		}
		if cd.Text == canon || cd.Text == canon+"\n" || cd.Text == canon+"\r\n" {
			continue // canonical already (a multi-line literal keeps its final line break)
		}
		lit, ok := cd.Rewrite(canon)
		if !ok {
			fmt.Fprintf(c.stdout, "%s%s\n", header, canon)
			fmt.Fprintf(c.stderr, "%s:%d:%d: %s: not rewritten: %s; its canonical form is on standard output\n", path, line, col, cd.Where, rewriteRefusal(cd.Kind))
			status = exitInvalid
			continue
		}
		if !bytes.Equal(lit, data[cd.Start:cd.End]) {
			edits = append(edits, edit{cd.Start, cd.End, lit})
		}
	}
	if len(edits) == 0 {
		return status
	}
	var out bytes.Buffer
	last := 0
	for _, e := range edits { // in file order, as Extract returns the conditions
		out.Write(data[last:e.start])
		out.Write(e.lit)
		last = e.end
	}
	out.Write(data[last:])
	if err := writeAtomic(path, out.Bytes()); err != nil {
		c.errorf("%v", err)
		return exitInvalid
	}
	return status
}

// inlineForm is the program's canonical form on a single line (printer.Inline with the
// attribute names of Program.Format).
func inlineForm(p *abacc.Program) string {
	u := compiler.Frontend("condition", p.Source(), compiler.Options{Dialect: ast.Dialect(p.Dialect())})
	if u.Expr == nil || !u.OK() {
		return p.Format()
	}
	return printer.Inline(u.Expr, printer.Options{AttrName: func(a *ast.AttrRef) string { return check.CanonicalName(attrs.Default, a) }})
}

// rewriteRefusal says why a literal of this kind of file can refuse a text.
func rewriteRefusal(k iac.Kind) string {
	switch k {
	case iac.Terraform:
		return "the literal cannot hold the canonical form unchanged (a heredoc line equal to its marker, or text Terraform would normalize to NFC)"
	case iac.Bicep:
		return "the literal cannot hold the canonical form unchanged (''' inside a verbatim string, or ${ inside one that interpolates)"
	case iac.ARM:
		return "the canonical form would read as an ARM template expression"
	}
	return "the literal cannot hold the canonical form unchanged"
}

// writeAtomic replaces a file's content: a temporary file in the same directory, with the
// file's mode, renamed over it. A symbolic link is followed: its target is replaced.
func writeAtomic(path string, data []byte) (err error) {
	target := path
	if t, err := filepath.EvalSymlinks(path); err == nil {
		target = t
	}
	st, err := os.Stat(target)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".abacc-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(st.Mode().Perm()); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}
