package iac

import (
	"sort"
	"unicode/utf8"
)

// A seg says where a run of the extracted text comes from. Segments are sorted by text offset;
// a segment runs to the next one's text offset (the last one to the end of the text).
//
// lit: text[text+k] is the file byte src+k (a verbatim run).
// !lit: the whole run was produced by one escape sequence (or by normalization) that starts at
// src; every offset inside it maps to src.
type seg struct {
	text, src int
	lit       bool
}

// mapping maps byte offsets of an extracted text to byte offsets of its file.
type mapping struct {
	segs []seg
	n    int // length of the text
	end  int // file offset that the end of the text (offset n) maps to: the closing delimiter
}

// lit appends a verbatim run of n bytes copied from src.
func (m *mapping) lit(src, n int) {
	if n <= 0 {
		return
	}
	if k := len(m.segs); k > 0 {
		last := m.segs[k-1]
		if last.lit && last.src+(m.n-last.text) == src {
			m.n += n
			return
		}
	}
	m.segs = append(m.segs, seg{text: m.n, src: src, lit: true})
	m.n += n
}

// esc appends n bytes of text that an escape sequence starting at src produced.
func (m *mapping) esc(src, n int) {
	if n <= 0 {
		return
	}
	m.segs = append(m.segs, seg{text: m.n, src: src})
	m.n += n
}

// src returns the file offset for text offset off (clamped to [0, n]).
func (m *mapping) src(off int) int {
	if off >= m.n || len(m.segs) == 0 {
		return m.end
	}
	if off < 0 {
		off = 0
	}
	i := sort.Search(len(m.segs), func(i int) bool { return m.segs[i].text > off }) - 1
	s := m.segs[i]
	if s.lit {
		return s.src + off - s.text
	}
	return s.src
}

// trimFront drops the first k bytes of the text from the mapping.
func (m *mapping) trimFront(k int) {
	if k <= 0 {
		return
	}
	if k > m.n {
		k = m.n
	}
	out := m.segs[:0]
	for i, s := range m.segs {
		next := m.n
		if i+1 < len(m.segs) {
			next = m.segs[i+1].text
		}
		if next <= k {
			continue // wholly dropped
		}
		if s.text < k {
			if s.lit {
				s.src += k - s.text
			}
			s.text = k
		}
		s.text -= k
		out = append(out, s)
	}
	m.segs = out
	m.n -= k
}

// compose returns the mapping of a text derived from m's text by a second mapping inner, whose
// "file" offsets are offsets in m's text: the result maps the derived text straight to the file.
func (m *mapping) compose(inner *mapping) *mapping {
	out := &mapping{end: m.end}
	for i, s := range inner.segs {
		next := inner.n
		if i+1 < len(inner.segs) {
			next = inner.segs[i+1].text
		}
		n := next - s.text
		if !s.lit {
			out.esc(m.src(s.src), n)
			continue
		}
		// A verbatim run of m's text [s.src, s.src+n): copy m's own segments over it.
		for off := s.src; off < s.src+n; {
			j := sort.Search(len(m.segs), func(j int) bool { return m.segs[j].text > off }) - 1
			ms := m.segs[j]
			mnext := m.n
			if j+1 < len(m.segs) {
				mnext = m.segs[j+1].text
			}
			stop := min(mnext, s.src+n)
			if ms.lit {
				out.lit(ms.src+off-ms.text, stop-off)
			} else {
				out.esc(ms.src, stop-off)
			}
			off = stop
		}
	}
	return out
}

// lineIndex finds lines and columns in a file. Lines end at '\n'; columns count characters
// (runes) from the start of the line, 1-based. A UTF-8 byte-order mark at the start of the file
// is not counted: line 1 starts after it, as in editors.
type lineIndex struct {
	data   []byte
	starts []int
}

func newLineIndex(data []byte) *lineIndex {
	first := 0
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		first = 3
	}
	starts := []int{first}
	for i := first; i < len(data); i++ {
		if data[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{data: data, starts: starts}
}

// line returns the 1-based line of a file offset and the offset at which that line starts.
func (x *lineIndex) line(off int) (line, start int) {
	i := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, x.starts[i]
}

// position returns line and column of a file offset.
func (x *lineIndex) position(off int) (line, col int) {
	off = x.runeStart(off)
	line, start := x.line(off)
	if off < start {
		off = start
	}
	return line, utf8.RuneCount(x.data[start:off]) + 1
}

// runeStart moves a file offset back to the first byte of the character it is in.
func (x *lineIndex) runeStart(off int) int {
	if off > len(x.data) {
		off = len(x.data)
	}
	if off < 0 {
		off = 0
	}
	for off > 0 && off < len(x.data) && !utf8.RuneStart(x.data[off]) {
		off--
	}
	return off
}

// posFunc returns the Pos function of a condition: text offset -> line and column in the file.
// The line and column of the literal's first byte are computed once, so a position inside a
// condition costs a count over the condition's own bytes, not over a long line before it (a
// minified ARM template is one line).
func posFunc(x *lineIndex, m *mapping, anchor int) func(off int) (line, col int) {
	anchor = x.runeStart(anchor)
	aLine, aStart := x.line(anchor)
	aCol := utf8.RuneCount(x.data[aStart:anchor]) + 1
	return func(off int) (int, int) {
		src := x.runeStart(m.src(off))
		line, start := x.line(src)
		if line == aLine && src >= anchor {
			return line, aCol + utf8.RuneCount(x.data[anchor:src])
		}
		return line, utf8.RuneCount(x.data[start:src]) + 1
	}
}
