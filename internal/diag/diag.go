// Package diag holds source files, positions and the diagnostics the front end reports: a stable
// code, a severity, a byte span, a message and a hint, rendered as FILE:LINE:COL with a caret.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a byte offset into a source file. Line and column are computed only when reporting.
type Pos int

// NoPos marks a node or diagnostic without a position.
const NoPos Pos = -1

// File is a named source text.
type File struct {
	Name  string
	Src   string
	lines []int // byte offsets of line starts, computed on first use
}

// NewFile returns a file for src.
func NewFile(name, src string) *File { return &File{Name: name, Src: src} }

// Position converts a byte offset to a 1-based line and a 1-based column counted in characters.
func (f *File) Position(p Pos) (line, col int) {
	if f.lines == nil {
		f.lines = make([]int, 1, strings.Count(f.Src, "\n")+1)
		for i := 0; ; {
			j := strings.IndexByte(f.Src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			f.lines = append(f.lines, i)
		}
	}
	off := int(p)
	if off < 0 {
		off = 0
	}
	if off > len(f.Src) {
		off = len(f.Src)
	}
	l := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
	return l + 1, utf8.RuneCountInString(f.Src[f.lines[l]:off]) + 1
}

// lineText returns the text of the line containing p, without its line break.
func (f *File) lineText(p Pos) string {
	line, _ := f.Position(p)
	start := f.lines[line-1]
	end := len(f.Src)
	if line < len(f.lines) {
		end = f.lines[line] - 1
	}
	return strings.TrimRight(f.Src[start:end], "\r")
}

// Severity says whether a diagnostic rejects the input.
type Severity uint8

// Severities.
const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one finding about a source text.
type Diagnostic struct {
	Code     Code
	Severity Severity
	Pos, End Pos
	Msg      string
	Hint     string
}

// List collects diagnostics, capping errors at MaxErrors.
type List struct {
	Items []Diagnostic
	// Truncated is set once more errors were found than the cap allows.
	Truncated bool
}

// MaxErrors is the most diagnostics kept for one input (the spec's limit).
const MaxErrors = 100

// Add records a diagnostic; past the cap it sets Truncated instead.
func (l *List) Add(d Diagnostic) {
	if len(l.Items) >= MaxErrors {
		l.Truncated = true
		return
	}
	l.Items = append(l.Items, d)
}

// Errorf records an error with the given code and span.
func (l *List) Errorf(code Code, pos, end Pos, hint, format string, args ...any) {
	l.Add(Diagnostic{Code: code, Severity: Error, Pos: pos, End: end, Msg: sprintf(format, args), Hint: hint})
}

// Warnf records a warning with the given code and span.
func (l *List) Warnf(code Code, pos, end Pos, hint, format string, args ...any) {
	l.Add(Diagnostic{Code: code, Severity: Warning, Pos: pos, End: end, Msg: sprintf(format, args), Hint: hint})
}

// sprintf is fmt.Sprintf, which a message without arguments or verbs skips (it would only copy
// the text).
func sprintf(format string, args []any) string {
	if len(args) == 0 && strings.IndexByte(format, '%') < 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// Full reports whether the cap has been reached, so producers may stop early.
func (l *List) Full() bool { return len(l.Items) >= MaxErrors }

// HasErrors reports whether any diagnostic is an error.
func (l *List) HasErrors() bool {
	for _, d := range l.Items {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (l *List) Errors() []Diagnostic { return l.filter(Error) }

// Warnings returns only the warnings.
func (l *List) Warnings() []Diagnostic { return l.filter(Warning) }

func (l *List) filter(s Severity) []Diagnostic {
	var out []Diagnostic
	for _, d := range l.Items {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders diagnostics by position, keeping the order of those at one position.
func (l *List) Sort() {
	slices.SortStableFunc(l.Items, func(a, b Diagnostic) int { return cmp.Compare(a.Pos, b.Pos) })
}

// Format renders one diagnostic as
//
//	FILE:LINE:COL: error: MESSAGE [CODE]
//	    source line
//	    ^^^^
//	    hint: ...
func (f *File) Format(d Diagnostic) string {
	line, col := f.Position(d.Pos)
	// The text is built in one buffer (on the stack when it fits) and copied out once.
	var buf [512]byte
	b := buf[:0]
	b = append(b, f.Name...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(col), 10)
	b = append(b, ": "...)
	b = append(b, d.Severity.String()...)
	b = append(b, ": "...)
	b = append(b, d.Msg...)
	b = append(b, " ["...)
	b = append(b, d.Code...)
	b = append(b, "]\n"...)
	text := f.lineText(d.Pos)
	start, end, lead := clip(text, col-1)
	b = append(b, "    "...)
	b = appendVisible(b, text, start, end)
	b = append(b, "\n    "...)
	// Keep tabs so the caret lines up with the source line.
	k := 0
	for _, r := range text {
		if k >= start+lead {
			break
		}
		if k >= start {
			if r == '\t' {
				b = append(b, '\t')
			} else {
				b = append(b, ' ')
			}
		}
		k++
	}
	b = append(b, '^')
	// Underline the span while it stays on this line.
	if d.End > d.Pos {
		eline, ecol := f.Position(d.End)
		if eline == line {
			for i := col + 1; i < ecol && i-col < 80; i++ {
				b = append(b, '~')
			}
		}
	}
	b = append(b, '\n')
	if d.Hint != "" {
		b = append(b, "    hint: "...)
		b = append(b, d.Hint...)
		b = append(b, '\n')
	}
	return string(b)
}

// clip cuts very long lines to a window around the column: it returns the range of characters
// (rune indexes into text) to show and the index of the caret among them.
func clip(text string, col int) (start, end, lead int) {
	n := utf8.RuneCountInString(text)
	const window = 120
	if col > n {
		col = n
	}
	if n <= window {
		return 0, n, col
	}
	start = col - window/2
	if start < 0 {
		start = 0
	}
	end = start + window
	if end > n {
		end = n
		start = max(0, end-window)
	}
	return start, end, col - start
}

// appendVisible appends characters start to end of text, replacing invisible characters so that
// the snippet shows where they are.
func appendVisible(b []byte, text string, start, end int) []byte {
	k := 0
	for _, r := range text {
		if k >= end {
			break
		}
		if k >= start {
			if r == '\t' || (r >= ' ' && !Invisible(r)) {
				b = utf8.AppendRune(b, r)
			} else {
				b = utf8.AppendRune(b, '·')
			}
		}
		k++
	}
	return b
}

// FormatAll renders every diagnostic, with a final line when the list was truncated.
func (f *File) FormatAll(l *List) string {
	var b strings.Builder
	for _, d := range l.Items {
		b.WriteString(f.Format(d))
	}
	if l.Truncated {
		fmt.Fprintf(&b, "%s: too many diagnostics; stopped after %d\n", f.Name, MaxErrors)
	}
	return b.String()
}
