package attrs_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/request_errors.golden from the current decoder")

// goldenCase is a request document with the options it is decoded under.
type goldenCase struct {
	name          string
	doc           string
	defaultAction string
	limits        *attrs.Limits
}

const (
	bom      = "\xef\xbb\xbf"
	csaLevel = csa + ":Level"
	flatTag  = blobTags + ":Project<$key_case_sensitive$>"
)

// goldenExtra are malformed (and a few valid) requests beyond requestErrorCases: JSON syntax
// errors at every depth (their messages and offsets are encoding/json's, which abacc's CLI
// prints), the byte-order mark, limits, invalid UTF-8, nesting and numbers.
var goldenExtra = []goldenCase{
	// Syntax at the top level.
	{name: "only whitespace", doc: " \n\t "},
	{name: "lone open brace", doc: `{`},
	{name: "open brace and key", doc: `{"action"`},
	{name: "open brace key colon", doc: `{"action":`},
	{name: "key without colon", doc: `{"action" "a"}`},
	{name: "missing comma", doc: `{"action": "a" "subOperation": "b"}`},
	{name: "missing comma after section", doc: `{"resource": {} "action": "a"}`},
	{name: "double comma", doc: `{"action": "a",, "subOperation": "b"}`},
	{name: "leading comma", doc: `{, "action": "a"}`},
	{name: "colon for comma", doc: `{"action": "a": "subOperation"}`},
	{name: "unquoted key", doc: `{action: "a"}`},
	{name: "single-quoted value", doc: `{"action": 'a'}`},
	{name: "number key", doc: `{"action": "a", 5: "b"}`},
	{name: "bad literal tru", doc: `{"action": tru}`},
	{name: "bad literal True", doc: `{"action": True}`},
	{name: "bad literal nul", doc: `{"action": nul}`},
	{name: "bad literal at EOF", doc: `{"action": fals`},
	{name: "bad escape", doc: `{"action": "a\x"}`},
	{name: "short unicode escape", doc: `{"action": "a\u12"}`},
	{name: "bad unicode escape", doc: `{"action": "a\u12g4"}`},
	{name: "newline in string", doc: "{\"action\": \"a\nb\"}"},
	{name: "tab in string", doc: "{\"action\": \"a\tb\"}"},
	{name: "NUL in string", doc: "{\"action\": \"a\x00b\"}"},
	{name: "unterminated string", doc: `{"action": "a`},
	{name: "unterminated key", doc: `{"act`},
	{name: "bad number minus", doc: `{"action": -}`},
	{name: "leading zero", doc: `{"action": 01}`},
	{name: "extra closing brace", doc: `{"action": "a"}}`},
	{name: "mismatched close", doc: `{"action": "a"]`},
	{name: "empty value", doc: `{"action": }`},
	{name: "comment", doc: "{\"action\": \"a\" /* */}"},
	{name: "line comment", doc: "{\"action\": \"a\" // x\n}"},
	{name: "NaN", doc: `{"action": NaN}`},
	{name: "NUL byte", doc: "\x00"},
	{name: "top-level string", doc: `"action"`},
	{name: "top-level number", doc: `42`},
	{name: "top-level true", doc: `true`},
	{name: "top-level null", doc: `null`},
	{name: "top-level close bracket", doc: `]`},
	{name: "top-level close brace", doc: `}`},
	{name: "top-level bad string", doc: `"abc`},
	{name: "top-level garbage", doc: `xyz`},
	{name: "indented not an object", doc: "  \n  [1, 2]"},
	{name: "action array unclosed", doc: `{"action": ["a"`},
	{name: "action object", doc: `{"action": {"a": 1}}`},
	{name: "action malformed object", doc: `{"action": {"a" 1}}`},
	{name: "action number then garbage", doc: `{"action": 5x}`},
	{name: "action number at EOF", doc: `{"action": 5`},
	{name: "subOperation bad after value", doc: `{"action": "a", "subOperation": "s" x}`},
	// Syntax inside sections, dictionaries and arrays.
	{name: "section trailing comma", doc: reqDoc("resource", `"`+accountName+`": "x",`)},
	{name: "section missing colon", doc: reqDoc("resource", `"`+accountName+`" "x"`)},
	{name: "section missing value at EOF", doc: `{"action": "a", "resource": {"` + accountName + `": `},
	{name: "section key at EOF", doc: `{"action": "a", "resource": {"` + accountName + `"`},
	{name: "section value at EOF", doc: `{"action": "a", "resource": {"` + accountName + `": "x"`},
	{name: "section close bracket", doc: `{"action": "a", "resource": {]}`},
	{name: "section number key", doc: reqDoc("resource", `1: 2`)},
	{name: "section unclosed", doc: `{"action": "a", "resource": {`},
	{name: "dictionary trailing comma", doc: reqDoc("resource", `"`+blobTags+`": {"k": "v",}`)},
	{name: "dictionary missing colon", doc: reqDoc("resource", `"`+blobTags+`": {"k" "v"}`)},
	{name: "dictionary mismatched close", doc: reqDoc("resource", `"`+blobTags+`": {"k": "v"]`)},
	{name: "dictionary unclosed", doc: `{"action": "a", "resource": {"` + blobTags + `": {"k": "v"`},
	{name: "dictionary bad value", doc: reqDoc("resource", `"`+blobTags+`": {"k": v}`)},
	{name: "dictionary bad escape in key", doc: reqDoc("resource", `"`+blobTags+`": {"k\q": "v"}`)},
	{name: "array trailing comma", doc: reqDoc("principal", `"`+csaLevel+`": [1,]`)},
	{name: "array missing comma", doc: reqDoc("principal", `"`+csaLevel+`": [1 2]`)},
	{name: "array leading comma", doc: reqDoc("principal", `"`+csaLevel+`": [,1]`)},
	{name: "array unclosed", doc: `{"action": "a", "principal": {"` + csaLevel + `": [1, 2`},
	{name: "array closed by brace", doc: reqDoc("principal", `"`+csaLevel+`": [1}`)},
	{name: "array bad element", doc: reqDoc("principal", `"`+csaLevel+`": [1, x]`)},
	{name: "number dot", doc: reqDoc("principal", `"`+csaLevel+`": 1.`)},
	{name: "number leading dot", doc: reqDoc("principal", `"`+csaLevel+`": .5`)},
	{name: "number plus", doc: reqDoc("principal", `"`+csaLevel+`": +1`)},
	{name: "number bare exponent", doc: reqDoc("principal", `"`+csaLevel+`": 1e}`)},
	{name: "number then garbage", doc: reqDoc("principal", `"`+csaLevel+`": 5x`)},
	{name: "number at EOF", doc: `{"action": "a", "principal": {"` + csaLevel + `": 12`},
	{name: "syntax error after a semantic one", doc: reqDoc("resource", `"`+accountName+`": 5, x`)},
	{name: "semantic error after a syntax one", doc: `{"action": "a", x, "resource": {"` + accountName + `": 5}}`},
	{name: "deep nesting in a value", doc: `{"action": "a", "principal": {"` + csaLevel + `": ` + strings.Repeat("[", 1000) + `}}`},
	{name: "deep nesting at the top", doc: strings.Repeat("[", 5000)},
	{name: "deep nesting under an unknown attribute", doc: `{"action": "a", "resource": {"x": ` + strings.Repeat("[", 1000) + `}}`},
	{name: "nested object in dictionary value", doc: reqDoc("resource", `"`+blobTags+`": {"k": {"x": 1}}`)},
	{name: "nested array in dictionary value", doc: reqDoc("resource", `"`+blobTags+`": {"k": [["v"]]}`)},
	{name: "object as a key", doc: `{"action": "a", {"x": 1}: 2}`},
	{name: "array as a key", doc: `{[1]: 2}`},
	{name: "true as a key", doc: `{true: 1}`},
	{name: "null as a key", doc: `{"action": "a", null: 1}`},
	{name: "object as a section key", doc: reqDoc("resource", `{"a": 1}: 2`)},
	{name: "array as a dictionary key", doc: reqDoc("resource", `"`+blobTags+`": {[1]: 2}`)},
	{name: "close brace in an array", doc: reqDoc("principal", `"`+csaLevel+`": [1, }`)},
	{name: "close bracket as a value", doc: `{"action": ]}`},
	{name: "colon as a value", doc: `{"action": :}`},
	// Byte-order mark: skipped, offsets count it (when not zero).
	{name: "BOM valid", doc: bom + `{"action": "a"}`},
	{name: "BOM semantic error", doc: bom + `{"action": 3}`},
	{name: "BOM not an object", doc: bom + `[1]`},
	{name: "BOM spaced not an object", doc: bom + ` [1]`},
	{name: "BOM syntax error", doc: bom + `{"action": "a",}`},
	{name: "BOM scanner error", doc: bom + `{"action": tru}`},
	{name: "BOM unclosed", doc: bom + `{"action": "a"`},
	{name: "BOM only", doc: bom},
	{name: "two BOMs", doc: bom + bom + `{"action": 3}`},
	{name: "BOM after whitespace", doc: " " + bom + `{"action": "a"}`},
	{name: "BOM missing action", doc: bom + `{}`},
	{name: "BOM trailing data", doc: bom + `{"action": "a"} x`},
	// Invalid UTF-8.
	{name: "invalid UTF-8 top-level key", doc: "{\"act\xffion\": \"a\"}"},
	{name: "invalid UTF-8 section key", doc: reqDoc("resource", "\"x\xff\": \"v\"")},
	{name: "invalid UTF-8 dictionary key", doc: reqDoc("resource", `"`+blobTags+"\": {\"k\xff\": \"v\"}")},
	{name: "invalid UTF-8 value", doc: reqDoc("resource", `"`+accountName+"\": \"a\xc3\"")},
	{name: "invalid UTF-8 array element", doc: reqDoc("principal", `"`+csaLevel+"\": [\"a\", \"\xed\xa0\x80\"]")},
	{name: "invalid UTF-8 dictionary value", doc: reqDoc("resource", `"`+blobTags+"\": {\"k\": \"\xff\"}")},
	{name: "invalid UTF-8 for a Boolean", doc: reqDoc("environment", "\"isPrivateLink\": \"\xff\"")},
	{name: "invalid UTF-8 action accepted", doc: "{\"action\": \"a\xffb\"}"},
	{name: "invalid UTF-8 in a number position", doc: "{\"action\": \xff}"},
	{name: "escaped lone surrogate value accepted", doc: reqDoc("resource", `"`+accountName+`": "\ud800"`)},
	{name: "escaped surrogate keys are duplicates", doc: reqDoc("resource", `"`+blobTags+`": {"\ud800": "a", "\udc00": "b"}`)},
	{name: "escaped key equals plain key", doc: reqDoc("resource", `"`+blobTags+`": {"ab": "a", "a\u0062": "b"}`)},
	{name: "escaped attribute name duplicate", doc: reqDoc("environment", `"isPrivateLink": true, "isPrivate\u004cink": false`)},
	// Limits.
	{name: "MaxBytes exceeded", doc: `{"action": "a"}`, limits: &attrs.Limits{MaxBytes: 10}},
	{name: "MaxBytes exact", doc: `{"action": "a"}`, limits: &attrs.Limits{MaxBytes: 15}},
	{name: "MaxBytes with BOM", doc: bom + `{"action": "a"}`, limits: &attrs.Limits{MaxBytes: 16}},
	{name: "MaxEntries at the top", doc: `{"action": "a", "subOperation": "b"}`, limits: &attrs.Limits{MaxEntries: 1}},
	{name: "MaxEntries exact", doc: `{"action": "a", "subOperation": "b"}`, limits: &attrs.Limits{MaxEntries: 2}},
	{name: "MaxEntries in a section", doc: reqDoc("environment", `"isPrivateLink": true`), limits: &attrs.Limits{MaxEntries: 2}},
	{name: "MaxEntries in a dictionary", doc: reqDoc("resource", `"`+blobTags+`": {"a": "1", "b": "2"}`), limits: &attrs.Limits{MaxEntries: 4}},
	{name: "MaxEntries before duplicate", doc: `{"action": "a", "action": "b"}`, limits: &attrs.Limits{MaxEntries: 1}},
	{name: "MaxEntries before unknown", doc: `{"action": "a", "x": "b"}`, limits: &attrs.Limits{MaxEntries: 1}},
	{name: "MaxEntries after invalid UTF-8", doc: "{\"action\": \"a\", \"\xff\": 1}", limits: &attrs.Limits{MaxEntries: 1}},
	// Default action (RBAC requests).
	{name: "default action", doc: `{}`, defaultAction: "x/read"},
	{name: "default action with error", doc: `{"subOperation": 5}`, defaultAction: "x/read"},
	{name: "default action kept", doc: `{"action": "a"}`, defaultAction: "x/read"},
	// Duplicates and spellings.
	{name: "duplicate subOperation", doc: `{"action": "a", "subOperation": "s", "subOperation": "t"}`},
	{name: "duplicate resource", doc: `{"action": "a", "resource": {}, "resource": {}}`},
	{name: "attribute twice with casing", doc: reqDoc("environment", `"isPrivateLink": true, "isprivatelink": false`)},
	{name: "attribute casing then duplicate", doc: reqDoc("environment", `"isprivatelink": true, "isPrivateLink": false, "isprivatelink": true`)},
	{name: "dictionary twice with casing", doc: reqDoc("resource", `"`+blobTags+`": {"Project": "a"}, "`+strings.ToLower(blobTags)+`": {"Project": "b"}`)},
	{name: "dictionary duplicate key", doc: reqDoc("resource", `"`+blobTags+`": {}, "`+blobTags+`": {}`)},
	{name: "tag as object then flattened", doc: reqDoc("resource", `"`+blobTags+`": {"Project": "a"}, "`+flatTag+`": "b"`)},
	{name: "tag flattened then object", doc: reqDoc("resource", `"`+flatTag+`": "b", "`+blobTags+`": {"Other": "x", "Project": "a"}`)},
	{name: "tag flattened twice", doc: reqDoc("resource", `"`+flatTag+`": "b", "`+flatTag+`": "c"`)},
	{name: "tag flattened in two casings", doc: reqDoc("resource", `"`+flatTag+`": "b", "`+strings.Replace(flatTag, "Microsoft", "microsoft", 1)+`": "c"`)},
	{name: "tag keys differ in case", doc: reqDoc("resource", `"`+blobTags+`": {"Project": "a", "project": "b"}`)},
	{name: "custom security attribute object then flattened", doc: reqDoc("principal", `"`+csa+`": {"A": "x"}, "`+csa+`:A": "y"`)},
	{name: "custom security attribute flattened twice cased", doc: reqDoc("principal", `"`+csa+`:A": "x", "`+strings.ToUpper(csa)+`:A": "y"`)},
	{name: "custom security attribute dictionary key twice", doc: reqDoc("principal", `"`+csa+`": {"A": "x", "A": "y"}`)},
	{name: "keys selector", doc: reqDoc("resource", `"`+blobTags+`&$keys$&": ["k"]`)},
	{name: "keys selector on plain dictionary", doc: reqDoc("resource", `"`+metadata+`&$keys$&": ["k"]`)},
	{name: "dictionary needs a key", doc: reqDoc("principal", `"`+csa+`:": "x"`)},
	{name: "key on a plain attribute", doc: reqDoc("resource", `"`+accountName+`:x": "v"`)},
	{name: "unknown attribute far from any", doc: reqDoc("resource", `"zzzzzzzzzzzzzzzzzzzzzz": 1`)},
	{name: "unknown attribute non-ASCII", doc: reqDoc("resource", `"Microsoft.Storage/storageAccounts:nämé": 1`)},
	{name: "Kelvin sign in a name", doc: reqDoc("environment", "\"isPrivateLin\u212a\": 5")},
	{name: "Kelvin sign in a dictionary name", doc: reqDoc("resource", "\"Microsoft.Storage/storageAccounts/blobServices/containers/metadata:\u212a\": 5")},
	{name: "non-ASCII flattened key", doc: reqDoc("principal", `"`+csa+`:Prøject": 5.5`)},
	{name: "upper-case source prefix", doc: reqDoc("principal", `"MICROSOFT.DIRECTORY/CUSTOMSECURITYATTRIBUTES/ID:A": null`)},
	// Values.
	{name: "empty array for Boolean", doc: reqDoc("environment", `"isPrivateLink": []`)},
	{name: "mixed untyped array bool first", doc: reqDoc("principal", `"`+csa+`:A": [true, "x"]`)},
	{name: "untyped array number first", doc: reqDoc("principal", `"`+csa+`:A": [1, true]`)},
	{name: "DateTime array with number", doc: reqDoc("request", `"`+versionID+`": ["2022-06-01T23:38:32Z", 5]`)},
	{name: "Guid array with bad Guid", doc: reqDoc("request", `"`+roleDefID+`": ["b24988ac-6180-42a0-ab88-20f7382dd24c", "x"]`)},
	{name: "escaped bad DateTime", doc: reqDoc("environment", `"UtcNow": "2023-05-01T13:00:00\u005a\n"`)},
	{name: "escaped Guid", doc: reqDoc("request", `"`+roleDefID+`": "b24988ac-6180-42a0-ab88-20f7382dd24\u0063"`)},
	{name: "number for Guid", doc: reqDoc("request", `"`+roleDefID+`": 5`)},
	{name: "null for Guid in array", doc: reqDoc("request", `"`+roleDefID+`": [null]`)},
	{name: "Integer minus zero", doc: reqDoc("principal", `"`+csaLevel+`": -0`)},
	{name: "Integer negative exponent", doc: reqDoc("principal", `"`+csaLevel+`": 1E-2`)},
	{name: "Integer max", doc: reqDoc("principal", `"`+csaLevel+`": [9223372036854775807, -9223372036854775808]`)},
	{name: "Integer 20 digits", doc: reqDoc("principal", `"`+csaLevel+`": 18446744073709551616`)},
	{name: "object for subOperation", doc: `{"action": "a", "subOperation": {}}`},
	{name: "array for a section", doc: `{"action": "a", "principal": ["x"]}`},
	{name: "string for a section", doc: `{"action": "a", "environment": "x"}`},
	{name: "number for a dictionary", doc: reqDoc("resource", `"`+metadata+`": 5`)},
	{name: "empty dictionary then flattened", doc: reqDoc("resource", `"`+metadata+`": {}, "`+metadata+`:k": 5`)},
	// Trailing data.
	{name: "trailing whitespace accepted", doc: "{\"action\": \"a\"} \r\n\t"},
	{name: "trailing NUL", doc: "{\"action\": \"a\"}\x00"},
	{name: "trailing garbage after error-free object", doc: `{"action": "a"}garbage`},
	{name: "trailing after missing action", doc: `{} x`},
}

// goldenCases are requestErrorCases followed by goldenExtra.
func goldenCases() []goldenCase {
	var cs []goldenCase
	for _, c := range requestErrorCases {
		cs = append(cs, goldenCase{name: c.name, doc: c.doc})
	}
	return append(cs, goldenExtra...)
}

// goldenLine decodes c and renders the outcome: "ok" with the action, or the error's offset,
// message and hint.
func goldenLine(c goldenCase) string {
	v := attrs.NewVector(attrs.Default)
	if c.limits != nil {
		v.SetLimits(*c.limits)
	}
	err := v.DecodeJSON([]byte(c.doc), c.defaultAction)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n%s", c.name, strconv.Quote(c.doc))
	if c.defaultAction != "" {
		fmt.Fprintf(&b, " action=%q", c.defaultAction)
	}
	if c.limits != nil {
		fmt.Fprintf(&b, " limits=%d,%d", c.limits.MaxBytes, c.limits.MaxEntries)
	}
	b.WriteString("\n")
	if err == nil {
		fmt.Fprintf(&b, "=> ok action=%q\n", v.Action())
		return b.String()
	}
	var re *attrs.RequestError
	if !errors.As(err, &re) {
		fmt.Fprintf(&b, "=> %T %q\n", err, err.Error())
		return b.String()
	}
	fmt.Fprintf(&b, "=> offset %d: %q hint %q\n", re.Offset, re.Msg, re.Hint)
	return b.String()
}

// TestRequestErrorsGolden: every error case decodes to the message, hint and offset recorded
// from the encoding/json decoder that jsontext replaced (testdata/request_errors.golden, written
// by that decoder with -update before the rewrite). The CLI prints these messages with the line
// and column of the offset, so they must not drift.
func TestRequestErrorsGolden(t *testing.T) {
	const path = "testdata/request_errors.golden"
	var got strings.Builder
	for _, c := range goldenCases() {
		got.WriteString(goldenLine(c))
	}
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gotCases := strings.Split(got.String(), "# ")
	wantCases := strings.Split(string(want), "# ")
	if len(gotCases) != len(wantCases) {
		t.Fatalf("%d cases, the golden file has %d (run with -update only from the decoder of record)", len(gotCases), len(wantCases))
	}
	for i := range gotCases {
		if gotCases[i] != wantCases[i] {
			t.Errorf("got:\n# %s\nwant:\n# %s", gotCases[i], wantCases[i])
		}
	}
}
