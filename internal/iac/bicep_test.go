package iac

import (
	"strings"
	"testing"
)

// bicepCondition puts a string literal where a role assignment's condition goes.
func bicepCondition(lit string) string {
	return "resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  name: 'x'\n  properties: {\n    condition: " + lit + "\n  }\n}\n"
}

// The examples of Bicep's documentation (data types: strings and multi-line strings) and of
// Bicep's own lexer baselines (strings.bicep: extra quotes around multi-line strings).
func TestBicepDocumentedStrings(t *testing.T) {
	for _, tc := range []struct {
		lit, want string
	}{
		{`'hello!'`, "hello!"},
		{`'what\'s up?'`, "what's up?"},
		{`'😁\u{1F642}'`, "😁🙂"},
		{`'\u{0}\u{00041}\u{10FFFF}'`, "\x00A\U0010FFFF"},
		{`'a\\b\n\r\t\$c'`, "a\\b\n\r\t$c"},
		{`'\${not interpolated}'`, "${not interpolated}"},
		{`'$not a hole {}'`, "$not a hole {}"},
		{`''`, ""},
		{"'''hello!'''", "hello!"},
		{"'''\nhello!'''", "hello!"},
		{"'''\nhello!\n'''", "hello!\n"},
		{"'''\r\nhello!\r\n'''", "hello!\r\n"},
		{"'''\n\nhello!'''", "\nhello!"},
		{"'''\n  this\n    is\n      indented\n'''", "  this\n    is\n      indented\n"},
		{"'''\ncomments // are included\n/* because everything is read as-is */\n'''", "comments // are included\n/* because everything is read as-is */\n"},
		{"'''interpolation\nis ${blocked}'''", "interpolation\nis ${blocked}"},
		{"''''abc''''", "'abc'"},
		{"''''\nabc\n''''", "'\nabc\n'"},
		{"'''\\n is not an escape\\'''", `\n is not an escape\`},
		{"''''''", ""},
		{"$$'''\nthis is ${literal}'''", "this is ${literal}"},
	} {
		src := bicepCondition(tc.lit)
		conds, notes, err := Extract("x.bicep", []byte(src))
		if err != nil || len(notes) != 0 || len(conds) != 1 {
			t.Errorf("%s: %d conditions, notes %v, error %v", tc.lit, len(conds), notes, err)
			continue
		}
		if conds[0].Text != tc.want {
			t.Errorf("%s: %q, want %q", tc.lit, conds[0].Text, tc.want)
		}
		if got := src[conds[0].Start:conds[0].End]; got != tc.lit {
			t.Errorf("%s: literal %q", tc.lit, got)
		}
	}
}

func TestBicepInterpolationIsANote(t *testing.T) {
	for _, lit := range []string{
		`'hello ${name}!'`,
		`'${a}${b}'`,
		`'nested ${'${x}'} and {braces} ${ {a: 1}.a }'`,
		"$'''\nthis is ${interpolated}'''",
		"$$'''\nthis is $${interpolated}\nthis is not ${interpolated}'''",
	} {
		conds, notes, err := Extract("x.bicep", []byte(bicepCondition(lit)))
		if err != nil || len(conds) != 0 || len(notes) != 1 {
			t.Errorf("%s: conditions %d, notes %d, error %v", lit, len(conds), len(notes), err)
			continue
		}
		if n := notes[0]; n.Line != 4 || n.Col != 16 || !strings.Contains(n.Msg, "interpolated") {
			t.Errorf("%s: note %+v", lit, n)
		}
	}
}

func TestBicepInvalid(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"var x = 'open", "unterminated string"},
		{"var x = 'line\nbreak'", "unterminated string"},
		{"var x = '''never closed", "unterminated multi-line string"},
		{"var x = '\\u{110000}'", "above 10FFFF"},
		{"var x = '\\u{}'", "invalid escape"},
		{"var x = '\\x'", "invalid escape"},
		{"var x = '${a'", "unterminated"},
		{"var x = '${a", "unterminated interpolation"},
		{"var x = \"double\"", "single quotes"},
		{"var x = {", "never closed"},
		{"var x = (]", "unexpected ']'"},
		{"/* open comment", "unterminated /* comment"},
		{"var x = 1 § 2", "unexpected character"},
	} {
		_, _, err := Extract("x.bicep", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestBicepForms(t *testing.T) {
	src := `@description('decorated')
resource a 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  properties: { condition: 'one-line object', conditionVersion: '2.0' }
}
resource b 'Microsoft.Authorization/roleAssignments@2020-10-01-preview' = if (x) {
  'properties': {
    'condition': 'quoted keys'
  }
}
resource c 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for i in range(0, 2): if (i > 0) {
    properties: {
      condition: 'for if on its own line'
    }
  }
]
resource parent 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'p'
  resource child 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
    properties: {
      condition: 'nested declaration'
    }
  }
}
resource d 'Microsoft.Authorization/roleAssignments@2022-04-01' existing = {
  name: 'd'
}
resource e 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  properties: {
    ...base
    condition: concat('a', 'b')
  }
}
resource f 'Microsoft.Authorization/roleDefinitions@2022-05-01-preview' = {
  properties: {
    permissions: [for p in perms: {
      dataActions: p
      condition: 'per permission'
    }]
  }
}
`
	conds, notes, err := Extract("x.bicep", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range conds {
		got = append(got, c.Where+"="+c.Text+"/"+c.Version)
	}
	want := []string{"a=one-line object/2.0", "b=quoted keys/", "c=for if on its own line/", "parent::child=nested declaration/", "f.permissions[for]=per permission/"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if len(notes) != 1 || notes[0].Where != "e" || !strings.Contains(notes[0].Msg, "computed by concat(...)") {
		t.Errorf("notes %+v", notes)
	}
}
