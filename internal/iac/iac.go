// Package iac finds Azure role-assignment conditions where they live — Terraform configurations,
// ARM templates, Bicep files, az CLI / REST exports and plain condition files — and maps every
// byte of an extracted condition back to a line and column of the original file, so that a
// diagnostic about the condition points into the file the user edits.
//
// Only literals are extracted. A condition built at deployment time (Terraform interpolation,
// references and function calls, ARM template expressions, Bicep interpolation and expressions)
// is reported as a Note with its position, never guessed at.
//
// Sources:
//
//   - Terraform (.tf), read with hcl/v2's native-syntax parser: the top-level condition and
//     condition_version arguments of resource blocks of the azurerm types that carry a condition
//     (azurerm_role_assignment, azurerm_marketplace_role_assignment,
//     azurerm_role_assignment_marketplace, azurerm_pim_eligible_role_assignment,
//     azurerm_pim_active_role_assignment). azurerm_role_definition's permissions block has no
//     condition argument in the azurerm provider (only the data source exports one, read-only), so
//     role definitions are not read. Quoted strings (with HCL's escapes) and heredocs (<<EOT and
//     the indentation-stripping <<-EOT, by HCL's own rule) are literals; the text is what Terraform
//     would send, NFC-normalized like every Terraform string.
//   - ARM templates (.json whose top-level "$schema" names a deploymentTemplate): properties.condition
//     and properties.conditionVersion of every Microsoft.Authorization/roleAssignments resource at any
//     depth (nested resources arrays, nested deployments' properties.template, languageVersion 2.0
//     symbolic resources), and properties.permissions[].condition of roleDefinitions. A string that
//     starts with '[' and ends with ']' is an ARM expression (a Note) unless it starts with "[[",
//     which escapes a literal '['. ARM's JSON may carry // and /* */ comments.
//   - Bicep (.bicep): resource declarations of those types (also in if and for forms, and nested
//     in other resources): properties.condition / conditionVersion, properties.permissions[].condition.
//     Single-quoted strings with Bicep's escapes and verbatim multi-line strings (between fences
//     of three single quotes) are literals; interpolated strings and other expressions are Notes.
//   - az CLI / REST / PowerShell exports (any other .json): a role assignment object, an array of
//     them (az role assignment list), or a page {"value": [...]}, flattened (condition) or REST
//     shaped (properties.condition); role definitions' permissions[].condition likewise.
//   - Plain condition files (.cond): the whole file, or role-assignment JSON when the file holds JSON.
package iac

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// Kind is the kind of file a condition was found in.
type Kind int

const (
	// Unknown is the zero Kind: a file Extract cannot read.
	Unknown Kind = iota
	Terraform
	ARM
	Bicep
	AzExport
	Plain
)

func (k Kind) String() string {
	switch k {
	case Terraform:
		return "terraform"
	case ARM:
		return "arm"
	case Bicep:
		return "bicep"
	case AzExport:
		return "az-export"
	case Plain:
		return "plain"
	}
	return "unknown"
}

// Condition is one condition literal found in a file.
type Condition struct {
	File string
	Kind Kind
	// Where names the condition's home in the file: `azurerm_role_assignment.reader`;
	// `resources[2] (Microsoft.Authorization/roleAssignments)` or
	// `resources[0].properties.template.resources[1] (...)` in a template; a Bicep symbol
	// (`reader`, `parent::child`, `customRole.permissions[0]`); in an export `[3] (NAME)`,
	// `value[0].properties (NAME)`, `[0].permissions[1] (ROLE NAME)`, NAME or `(top level)` for a
	// single object; "" for a plain file.
	Where string
	// Text is the condition after unescaping: exactly the string the deployment would send to
	// Azure, and what the compiler should see.
	Text string
	// Version is condition_version / conditionVersion when given as a literal, else "".
	Version string
	// Pos maps a byte offset in Text (0..len(Text)) to the 1-based line and column (in
	// characters) of the file byte it came from. An offset inside an escape sequence maps to the
	// escape's first character; len(Text) maps to the closing delimiter.
	Pos func(off int) (line, col int)
	// Start and End are the byte range of the whole literal in the file, delimiters included
	// (quotes, heredoc markers, ''' fences).
	Start, End int
	// Rewrite returns the bytes that replace data[Start:End] so that the file's condition becomes
	// newText, written in the literal's own style: a quoted HCL string, a heredoc with the same
	// marker and indentation, a JSON string, a Bicep '...' or '''...''' string; line breaks in a
	// multi-line literal follow the original's (CRLF stays CRLF). A multi-line literal whose text
	// ended with a line break keeps one: when newText lacks it, one is added (a heredoc's value
	// always ends with one). ok is false when the literal cannot hold newText without changing
	// anything else (a heredoc line equal to its marker, ''' inside a Bicep verbatim string, text
	// that Terraform would normalize). Every result is re-read by the same reader before it is
	// returned.
	Rewrite func(newText string) (lit []byte, ok bool)

	exact bool // Pos is exact (false only if the reader's decoding disagreed with the parser's)
}

// Note is a condition that cannot be checked statically: an interpolation, a reference, a
// function call, an ARM expression, Bicep interpolation. Line and Col locate the start of the
// value in the file.
type Note struct {
	File      string
	Line, Col int
	Where     string
	Msg       string
}

// FileError is returned by Extract when a file is not what its name claims: invalid HCL, JSON or
// Bicep, binary data, an encoding other than UTF-8, a file over the size limit.
type FileError struct {
	File      string
	Line, Col int // 0 when the error is about the whole file
	Msg       string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Size limits. ARM caps templates at 4 MB; exports of large tenants are bigger, so JSON gets
// more room than source files.
const (
	MaxJSONSize   = 32 << 20 // .json files and JSON in .cond files
	MaxSourceSize = 4 << 20  // .tf, .bicep and plain .cond files (a Bicep file compiles to a template of at most 4 MB)
	maxDepth      = 1000     // JSON and Bicep nesting
)

// Detect returns the kind of a file from its name and, for .json and .cond files and names with
// no known extension (standard input), its content: a JSON object whose "$schema" names a
// deploymentTemplate is ARM, other JSON is AzExport (an invalid .json file too: Extract reports
// the error), and a .cond or unnamed file that is not valid JSON is Plain.
func Detect(path string, data []byte) Kind {
	k, _, _ := detect(path, data)
	return k
}

// detect is Detect, returning as well the JSON document it read (nil when the file is not
// read as JSON or is too large) and the JSON error, so that Extract reads a file once.
func detect(path string, data []byte) (Kind, *jdoc, *jsonError) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".tf":
		return Terraform, nil, nil
	case ".bicep":
		return Bicep, nil, nil
	case ".json":
	default:
		if !looksJSON(data) {
			return Plain, nil, nil
		}
	}
	if len(data) > MaxJSONSize {
		if ext != ".json" {
			return Plain, nil, nil
		}
		if armHead(data) {
			return ARM, nil, nil
		}
		return AzExport, nil, nil
	}
	d, err := parseJSON(data)
	switch {
	case err != nil && ext != ".json":
		return Plain, nil, nil // not JSON after all: a condition (which may start with a set, '{')
	case err != nil && armHead(data):
		return ARM, nil, err // broken, but it says it is a template
	case err != nil:
		return AzExport, nil, err
	case isARM(d):
		return ARM, d, nil
	}
	return AzExport, d, nil
}

// Extract returns the condition literals of a file, in file order, and Notes for the conditions
// that are not literals. The error is a *FileError.
func Extract(path string, data []byte) ([]Condition, []Note, error) {
	kind, doc, jerr := detect(path, data)
	limit := MaxSourceSize
	if kind == ARM || kind == AzExport {
		limit = MaxJSONSize
	}
	if len(data) > limit {
		return nil, nil, &FileError{File: path, Msg: fmt.Sprintf("file too large: %d bytes (the limit for a %s file is %d MiB)", len(data), kind, limit>>20)}
	}
	if err := checkText(path, data); err != nil {
		return nil, nil, err
	}
	x := &extractor{file: path, data: data, kind: kind, lines: newLineIndex(data)}
	var err error
	switch kind {
	case Terraform:
		err = x.terraform()
	case ARM, AzExport:
		err = x.json(doc, jerr)
	case Bicep:
		err = x.bicep()
	case Plain:
		x.plain()
	}
	if err != nil {
		return nil, nil, err
	}
	sort.SliceStable(x.conds, func(i, j int) bool { return x.conds[i].Start < x.conds[j].Start })
	sort.SliceStable(x.notes, func(i, j int) bool {
		a, b := x.notes[i], x.notes[j]
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return x.conds, x.notes, nil
}

// checkText rejects binary data and encodings other than UTF-8, with the position of the first
// offending byte.
func checkText(path string, data []byte) error {
	if len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF) {
		return &FileError{File: path, Msg: "UTF-16 text (byte-order mark " + fmt.Sprintf("% X", data[:2]) + "); convert the file to UTF-8"}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		l, c := newLineIndex(data).position(i)
		return &FileError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("binary data (NUL byte at offset %d)", i)}
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		l, c := newLineIndex(data).position(i)
		return &FileError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("not UTF-8 text (byte 0x%02X at offset %d)", data[i], i)}
	}
	return nil
}

// extractor collects the conditions and notes of one file.
type extractor struct {
	file  string
	data  []byte
	kind  Kind
	lines *lineIndex
	conds []Condition
	notes []Note
}

func (x *extractor) errAt(off int, format string, args ...any) error {
	l, c := x.lines.position(off)
	return &FileError{File: x.file, Line: l, Col: c, Msg: fmt.Sprintf(format, args...)}
}

func (x *extractor) note(off int, where, format string, args ...any) {
	l, c := x.lines.position(off)
	x.notes = append(x.notes, Note{File: x.file, Line: l, Col: c, Where: where, Msg: fmt.Sprintf(format, args...)})
}

// add records a condition whose text and mapping are known; start and end delimit the literal.
func (x *extractor) add(where, text, version string, m *mapping, start, end int, rewrite func(string) ([]byte, bool), exact bool) {
	if rewrite == nil {
		rewrite = func(string) ([]byte, bool) { return nil, false }
	}
	x.conds = append(x.conds, Condition{
		File:    x.file,
		Kind:    x.kind,
		Where:   where,
		Text:    text,
		Version: version,
		Pos:     posFunc(x.lines, m, start),
		Start:   start,
		End:     end,
		Rewrite: rewrite,
		exact:   exact,
	})
}

// plain: the whole file is the condition (a UTF-8 byte-order mark is not part of it).
func (x *extractor) plain() {
	start := 0
	if bytes.HasPrefix(x.data, []byte("\xEF\xBB\xBF")) {
		start = 3
	}
	m := &mapping{end: len(x.data)}
	m.lit(start, len(x.data)-start)
	x.add("", string(x.data[start:]), "", m, start, len(x.data), func(s string) ([]byte, bool) {
		return []byte(s), true
	}, true)
}

// Walk calls fn for every .tf, .json, .bicep and .cond file under root, in lexical order,
// skipping .git, .terraform and node_modules directories. Symbolic links to files are followed,
// links to directories are not. When root is a file, fn is called for it whatever its name. An
// unreadable directory does not stop the walk; its error is returned at the end.
func Walk(root string, fn func(path string)) error {
	info, err := os.Stat(root)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		fn(root)
		return nil
	}
	var errs []error
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != root {
				switch d.Name() {
				case ".git", ".terraform", "node_modules":
					return fs.SkipDir
				}
			}
			return nil
		}
		if !WalkExt(path) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(path)
			if err != nil || !st.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		fn(path)
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// WalkExt reports whether Walk visits a file of this name (.tf, .json, .bicep, .cond, any case).
func WalkExt(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".tf", ".json", ".bicep", ".cond":
		return true
	}
	return false
}

// snippet returns a short one-line excerpt of src for a message.
func snippet(b []byte) string {
	s := string(b)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i] + " …"
	}
	if utf8.RuneCountInString(s) > 60 {
		r := []rune(s)
		s = string(r[:57]) + "…"
	}
	return s
}
