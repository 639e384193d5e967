package ast

import (
	"os"
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
)

// rightNames are OPERATORS.md's names of the right forms.
var rightNames = map[RightForm]string{RightValues: "values", RightAddresses: "addresses", RightAddressRange: "address range",
	RightTimes: "times", RightTimeRange: "time range", RightIntRange: "integer range", RightMembers: "members"}

// TestOperatorsCatalog holds OPERATORS.md to the operator table: one row per operator, in
// order, with its dialect, left type, right form and whether it is quantifiable.
func TestOperatorsCatalog(t *testing.T) {
	data, err := os.ReadFile("OPERATORS.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, l := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(l, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "| "), " | ")
		rows = append(rows, cells)
	}
	if len(rows) != NumOperators {
		t.Errorf("OPERATORS.md has %d rows, the table %d operators", len(rows), NumOperators)
	}
	for i, cells := range rows {
		op := Operator(i + 1)
		if i >= NumOperators {
			break
		}
		info := op.Info()
		left := info.Type.String()
		if info.Type == attrs.Untyped {
			left = "multi-valued"
		}
		quant := "no"
		if info.Quantifiable {
			quant = "yes"
		}
		want := []string{"`" + info.Name + "`", info.Dialect.String(), left, rightNames[info.Right], quant}
		if len(cells) != 6 || strings.Join(cells[:5], "|") != strings.Join(want, "|") || cells[5] == "" {
			t.Errorf("OPERATORS.md row %d is %q, the table says %q and a meaning", i+1, cells, want)
		}
	}
}

// TestOperatorTable: names resolve to their operators, Not-operators point at positive twins of
// the same family, relation and dialect, and ExtendedOps lists exactly the extended ones.
func TestOperatorTable(t *testing.T) {
	ext := map[Operator]bool{}
	for _, op := range ExtendedOps() {
		ext[op] = true
	}
	for op := StringEquals; op < numOperators; op++ {
		info := op.Info()
		if LookupOperator(strings.ToUpper(info.Name)) != op {
			t.Errorf("%s does not resolve to itself", info.Name)
		}
		pos := info.Positive.Info()
		if info.Positive.Info().Negated || pos.Rel != info.Rel || pos.Type != info.Type || pos.Dialect != info.Dialect || pos.Right != info.Right ||
			info.Negated != (info.Positive != op) {
			t.Errorf("%s: inconsistent with its positive twin %s", info.Name, info.Positive)
		}
		if ext[op] != (info.Dialect == Extended) || (info.Dialect == Extended && info.Quantifiable) {
			t.Errorf("%s: dialect %v, in ExtendedOps %v, quantifiable %v", info.Name, info.Dialect, ext[op], info.Quantifiable)
		}
		if (info.Right != RightValues) != (info.Dialect == Extended) {
			t.Errorf("%s: right form %d in dialect %v", info.Name, info.Right, info.Dialect)
		}
	}
	if len(DialectOperatorNames(Standard))+len(ExtendedOps()) != NumOperators || len(DialectOperatorNames(Extended)) != NumOperators {
		t.Error("dialect operator lists do not add up")
	}
}
