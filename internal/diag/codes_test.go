package diag

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// codeConst is one `Name Code = "ABACnnnn"` constant of codes.go.
type codeConst struct {
	name  string
	value Code
	pos   token.Position
}

// parseCodeConsts lists the Code constants declared in codes.go, from its source.
func parseCodeConsts(t *testing.T) []codeConst {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []codeConst
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
				t.Errorf("%s: constant %s is not declared with type Code", fset.Position(vs.Pos()), vs.Names[0].Name)
				continue
			}
			if len(vs.Values) != len(vs.Names) {
				t.Errorf("%s: constant %s has no explicit value", fset.Position(vs.Pos()), vs.Names[0].Name)
				continue
			}
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Errorf("%s: %s is not a string literal", fset.Position(name.Pos()), name.Name)
					continue
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, codeConst{name: name.Name, value: Code(v), pos: fset.Position(name.Pos())})
			}
		}
	}
	return out
}

func TestCodesHaveDescriptions(t *testing.T) {
	consts := parseCodeConsts(t)
	if len(consts) < 25 {
		t.Fatalf("found only %d Code constants in codes.go", len(consts))
	}
	declared := map[Code]string{}
	for _, c := range consts {
		d, ok := Descriptions[c.value]
		if !ok {
			t.Errorf("%s: %s (%s) has no entry in Descriptions", c.pos, c.name, c.value)
			continue
		}
		if strings.TrimSpace(d) == "" || strings.TrimSpace(d) != d {
			t.Errorf("%s: description of %s is %q", c.pos, c.value, d)
		}
		declared[c.value] = c.name
	}
	for code := range Descriptions {
		if _, ok := declared[code]; !ok {
			t.Errorf("Descriptions has %s, which no constant declares", code)
		}
	}
	if len(Descriptions) != len(consts) {
		t.Errorf("%d descriptions for %d constants", len(Descriptions), len(consts))
	}
}

func TestCodesAreUnique(t *testing.T) {
	consts := parseCodeConsts(t)
	byValue := map[Code]codeConst{}
	byName := map[string]bool{}
	shape := regexp.MustCompile(`^ABAC[1-9][0-9]{3}$`)
	for _, c := range consts {
		if prev, dup := byValue[c.value]; dup {
			t.Errorf("%s: %s reuses %s of %s (%s)", c.pos, c.name, c.value, prev.name, prev.pos)
		}
		byValue[c.value] = c
		if byName[c.name] {
			t.Errorf("%s: constant %s declared twice", c.pos, c.name)
		}
		byName[c.name] = true
		if !shape.MatchString(string(c.value)) {
			t.Errorf("%s: %s = %q is not of the form ABACnnnn", c.pos, c.name, c.value)
		}
	}
}

// TestCodeRangesAndComments: the thousands digit is the class: 1 lexical and syntax errors, 2
// typing errors, 3 warnings. The comment on each constant (what it reports) must not be empty.
func TestCodeRangesAndComments(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "codes.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if vs.Comment == nil || strings.TrimSpace(vs.Comment.Text()) == "" {
				t.Errorf("%s: %s has no trailing comment", fset.Position(vs.Pos()), vs.Names[0].Name)
			}
		}
	}
	for _, c := range parseCodeConsts(t) {
		switch c.value[4] {
		case '1', '2', '3':
		default:
			t.Errorf("%s: %s = %s is outside the 1xxx-3xxx classes", c.pos, c.name, c.value)
		}
	}
	// Spot checks of codes other tests and users rely on.
	for code, want := range map[Code]string{
		IllegalChar: "ABAC1001", BadEncoding: "ABAC1005", TypeConflict: "ABAC2011", BadDictKey: "ABAC2013",
		NotSupplied: "ABAC3001", VacuousForAll: "ABAC3002", OverAzureLimit: "ABAC3003", NonCanonical: "ABAC3004", MixedAndOr: "ABAC3005",
	} {
		if string(code) != want {
			t.Errorf("code %s, want %s", code, want)
		}
	}
}
