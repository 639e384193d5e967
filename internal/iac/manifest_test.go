package iac

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// testdata/manifest.json was written from the corpus files themselves, independently of the
// implementation: for every file, the conditions (where, exact text, version), the notes and
// errors, and for many conditions the line and column of particular characters.

type manifest struct {
	Comment string                  `json:"comment"`
	Files   map[string]manifestFile `json:"files"`
}

type manifestFile struct {
	Kind       string         `json:"kind"`
	Conditions []manifestCond `json:"conditions"`
	Notes      []manifestNote `json:"notes"`
	Error      string         `json:"error"`
	ErrorAt    string         `json:"error_at"`
}

type manifestCond struct {
	Where     string        `json:"where"`
	Text      string        `json:"text"`
	Version   string        `json:"version"`
	Start     string        `json:"start"`
	Positions []manifestPos `json:"positions"`
}

type manifestPos struct {
	Find  string `json:"find"`
	Nth   int    `json:"nth"`
	Delta int    `json:"delta"`
	End   bool   `json:"end"`
	Line  int    `json:"line"`
	Col   int    `json:"col"`
}

type manifestNote struct {
	Where string `json:"where"`
	At    string `json:"at"`
}

func loadManifest(t *testing.T) manifest {
	t.Helper()
	data, err := os.ReadFile("testdata/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// corpusFiles lists every file under testdata except the manifest, relative to testdata.
func corpusFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path == filepath.Join("testdata", "manifest.json") || strings.HasPrefix(path, filepath.Join("testdata", "fuzz")) {
			return nil
		}
		rel, _ := filepath.Rel("testdata", path)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// position is the test's own offset -> line:col, written apart from the package's: lines end
// at '\n', columns count characters, a leading byte-order mark is not counted.
func position(data []byte, off int) (int, int) {
	line, start := 1, 0
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		start = 3
	}
	for i := start; i < off; i++ {
		if data[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, utf8.RuneCount(data[start:off]) + 1
}

func TestManifest(t *testing.T) {
	m := loadManifest(t)
	files := corpusFiles(t)
	if len(files) < 30 {
		t.Errorf("corpus has %d files, want at least 30", len(files))
	}
	seen := map[string]bool{}
	for _, f := range files {
		seen[f] = true
		if _, ok := m.Files[f]; !ok {
			t.Errorf("%s is not in the manifest", f)
		}
	}
	for f := range m.Files {
		if !seen[f] {
			t.Errorf("manifest lists %s, which is not in testdata", f)
		}
	}
	for _, f := range files {
		want, ok := m.Files[f]
		if !ok {
			continue
		}
		t.Run(f, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", f))
			if err != nil {
				t.Fatal(err)
			}
			checkManifestFile(t, f, data, want)
		})
	}
}

func checkManifestFile(t *testing.T, f string, data []byte, want manifestFile) {
	if want.Kind != "" {
		if got := Detect(f, data).String(); got != want.Kind {
			t.Errorf("Detect = %s, want %s", got, want.Kind)
		}
	}
	conds, notes, err := Extract(f, data)
	if want.Error != "" {
		if err == nil {
			t.Fatalf("no error, want one containing %q", want.Error)
		}
		var fe *FileError
		if !errors.As(err, &fe) {
			t.Fatalf("error %T is not a *FileError: %v", err, err)
		}
		if !strings.Contains(err.Error(), want.Error) || !strings.HasPrefix(err.Error(), f+":") {
			t.Errorf("error %q, want %q in it, prefixed by the file name", err, want.Error)
		}
		if at := fmt.Sprintf("%d:%d", fe.Line, fe.Col); want.ErrorAt != "" && !strings.HasPrefix(at, want.ErrorAt) {
			t.Errorf("error at %s, want %s (%v)", at, want.ErrorAt, err)
		}
		if conds != nil || notes != nil {
			t.Errorf("an error comes with no conditions and no notes")
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if len(conds) != len(want.Conditions) {
		for _, c := range conds {
			t.Logf("got %s: %q", c.Where, c.Text)
		}
		t.Fatalf("%d conditions, want %d", len(conds), len(want.Conditions))
	}
	for i, wc := range want.Conditions {
		c := conds[i]
		if c.Where != wc.Where {
			t.Errorf("condition %d: where %q, want %q", i, c.Where, wc.Where)
		}
		if c.Text != wc.Text {
			t.Errorf("%s: text\n got %q\nwant %q", wc.Where, c.Text, wc.Text)
		}
		if c.Version != wc.Version {
			t.Errorf("%s: version %q, want %q", wc.Where, c.Version, wc.Version)
		}
		if c.File != f || c.Kind.String() != want.Kind && want.Kind != "" {
			t.Errorf("%s: file %q kind %s", wc.Where, c.File, c.Kind)
		}
		if !c.exact {
			t.Errorf("%s: positions are not exact", wc.Where)
		}
		if wc.Start != "" {
			l, col := position(data, c.Start)
			if got := fmt.Sprintf("%d:%d", l, col); got != wc.Start {
				t.Errorf("%s: literal starts at %s, want %s", wc.Where, got, wc.Start)
			}
		}
		for _, p := range wc.Positions {
			off := len(c.Text)
			if !p.End {
				off = nthIndex(c.Text, p.Find, p.Nth)
				if off < 0 {
					t.Errorf("%s: %q (#%d) is not in the text", wc.Where, p.Find, p.Nth)
					continue
				}
				off += p.Delta
			}
			if l, col := c.Pos(off); l != p.Line || col != p.Col {
				t.Errorf("%s: %q (#%d%+d, offset %d) at %d:%d, want %d:%d", wc.Where, p.Find, p.Nth, p.Delta, off, l, col, p.Line, p.Col)
			}
		}
		checkInvariants(t, f, data, c)
	}
	if len(notes) != len(want.Notes) {
		for _, n := range notes {
			t.Logf("note %d:%d %s: %s", n.Line, n.Col, n.Where, n.Msg)
		}
		t.Fatalf("%d notes, want %d", len(notes), len(want.Notes))
	}
	for i, wn := range want.Notes {
		n := notes[i]
		if at := fmt.Sprintf("%d:%d", n.Line, n.Col); n.Where != wn.Where || at != wn.At {
			t.Errorf("note %d: %s at %s, want %s at %s (%s)", i, n.Where, at, wn.Where, wn.At, n.Msg)
		}
		if n.File != f || n.Msg == "" {
			t.Errorf("note %d: file %q msg %q", i, n.File, n.Msg)
		}
	}
}

func nthIndex(s, sub string, n int) int {
	off := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(s[off+1:], sub)
		if j < 0 {
			return -1
		}
		off += 1 + j
	}
	return off
}

// checkInvariants: positions grow with offsets and stay inside the literal; the literal
// rewritten with its own text reads back as the same text.
func checkInvariants(t *testing.T, f string, data []byte, c Condition) {
	t.Helper()
	if c.Start < 0 || c.End > len(data) || c.Start >= c.End {
		t.Errorf("%s: literal range [%d,%d) in a %d-byte file", c.Where, c.Start, c.End, len(data))
		return
	}
	sl, sc := position(data, c.Start)
	el, ec := position(data, c.End)
	pl, pc := sl, sc
	for off := 0; off <= len(c.Text); off++ {
		l, col := c.Pos(off)
		if l < pl || l == pl && col < pc {
			t.Errorf("%s: Pos(%d) = %d:%d goes back from %d:%d", c.Where, off, l, col, pl, pc)
			break
		}
		if l > el || l == el && col > ec {
			t.Errorf("%s: Pos(%d) = %d:%d is after the literal's end %d:%d", c.Where, off, l, col, el, ec)
			break
		}
		pl, pc = l, col
	}
	lit, ok := c.Rewrite(c.Text)
	if !ok {
		t.Errorf("%s: Rewrite of its own text refused", c.Where)
		return
	}
	out := append(append(append([]byte{}, data[:c.Start]...), lit...), data[c.End:]...)
	conds, _, err := Extract(f, out)
	if err != nil {
		t.Errorf("%s: rewritten file: %v", c.Where, err)
		return
	}
	for _, d := range conds {
		if d.Start == c.Start {
			if d.Text != c.Text || d.End != c.Start+len(lit) {
				t.Errorf("%s: rewritten literal %q reads back as %q", c.Where, lit, d.Text)
			}
			return
		}
	}
	t.Errorf("%s: rewritten literal %q is not found again", c.Where, lit)
}
