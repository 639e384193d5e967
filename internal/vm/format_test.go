package vm

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the opcode rows of FORMAT.md from the opcode table, and exec_trace.go from exec.go")

// formatHeader starts FORMAT.md's opcode table; its columns are checked against opTable, all
// but the last (free text).
const formatHeader = "| number | opcode | A | B | flow | fold variant | format | dialect | meaning |"

// formatRow is one row of FORMAT.md's opcode table.
type formatRow struct {
	line                         int
	number                       string
	name, a, b, flow, fold, text string
	since, dialect               string
}

// readFormatTable returns FORMAT.md's lines and the opcode table's rows, with the index of the
// first and one past the last row line.
func readFormatTable(t *testing.T) (lines []string, rows []formatRow, start, end int) {
	t.Helper()
	data, err := os.ReadFile("FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(string(data), "\n")
	start = -1
	for i, l := range lines {
		if strings.TrimSpace(l) == formatHeader {
			if start >= 0 {
				t.Fatalf("FORMAT.md: a second opcode table at line %d", i+1)
			}
			start = i + 2 // past the header and the alignment row
		}
	}
	if start < 0 || start > len(lines) {
		t.Fatalf("FORMAT.md: no opcode table (a table with the header %q)", formatHeader)
	}
	end = start
	for end < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[end]), "|") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(lines[end]), "|"), "|")
		if len(cells) != 9 {
			t.Fatalf("FORMAT.md:%d: %d cells, want 9: %s", end+1, len(cells), lines[end])
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, formatRow{line: end + 1, number: cells[0], name: strings.Trim(cells[1], "`"), a: cells[2],
			b: cells[3], flow: cells[4], fold: strings.Trim(cells[5], "`"), since: cells[6], dialect: cells[7], text: cells[8]})
		end++
	}
	return lines, rows, start, end
}

// formatCells renders an opcode's checked cells as FORMAT.md writes them.
func formatCells(info OpInfo) formatRow {
	fold := KindNone.String()
	if info.Fold != NoOpcode {
		fold = info.Fold.String()
	}
	dialect := "standard"
	if info.Extended {
		dialect = "extended"
	}
	return formatRow{number: strconv.Itoa(int(info.Op)), name: info.Name, a: info.A.String(), b: info.B.String(),
		flow: info.Flow.String(), fold: fold, since: strconv.Itoa(int(info.Since)), dialect: dialect}
}

// TestFormatOpcodes holds FORMAT.md's opcode table to opTable: one row per opcode, in order,
// with its number, name, A and B kinds, flow, fold variant, format version and dialect. `go test ./vm -run
// TestFormatOpcodes -update` rewrites the rows from the table, keeping each opcode's meaning.
func TestFormatOpcodes(t *testing.T) {
	lines, rows, start, end := readFormatTable(t)
	if *update {
		meaning := map[string]string{}
		for _, r := range rows {
			meaning[r.name] = r.text
		}
		var out []string
		for _, info := range opTable {
			c := formatCells(info)
			fold := c.fold
			if info.Fold != NoOpcode {
				fold = "`" + fold + "`"
			}
			out = append(out, fmt.Sprintf("| %s | `%s` | %s | %s | %s | %s | %s | %s | %s |", c.number, c.name, c.a, c.b, c.flow, fold, c.since, c.dialect, meaning[info.Name]))
		}
		lines = append(lines[:start:start], append(out, lines[end:]...)...)
		if err := os.WriteFile("FORMAT.md", []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for i, r := range rows {
		if i >= len(opTable) {
			t.Errorf("FORMAT.md:%d: opcode %s `%s` is not in the opcode table", r.line, r.number, r.name)
			continue
		}
		want := formatCells(opTable[i])
		got := r
		got.line, got.text = 0, ""
		if got != want {
			t.Errorf("FORMAT.md:%d: the opcode table says\n| %s | `%s` | %s | %s | %s | %s | %s | %s |\nFORMAT.md says\n| %s | `%s` | %s | %s | %s | %s | %s | %s |",
				r.line, want.number, want.name, want.a, want.b, want.flow, want.fold, want.since, want.dialect, r.number, r.name, r.a, r.b, r.flow, r.fold, r.since, r.dialect)
		}
		if r.text == "" {
			t.Errorf("FORMAT.md:%d: `%s` has no meaning", r.line, r.name)
		}
	}
	for _, info := range opTable[min(len(rows), len(opTable)):] {
		t.Errorf("FORMAT.md: no row for opcode %d `%s`", info.Op, info.Name)
	}
}

// TestFormatKinds checks that FORMAT.md defines (in bold) every kind name its opcode table uses.
func TestFormatKinds(t *testing.T) {
	data, err := os.ReadFile("FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	for k := KindOperand; k < numKinds; k++ {
		if !strings.Contains(string(data), "**"+k.String()+"**") {
			t.Errorf("FORMAT.md does not define the kind %q (as **%s**)", k, k)
		}
	}
}
