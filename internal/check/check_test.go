package check_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/check"
	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// References used below.
const (
	containerName = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]"
	blobPath      = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]"
	blobPrefix    = "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix]"
	listInclude   = "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:include]"
	roleDefID     = "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]"
	csaLevel      = "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Level]"
	csaProject    = "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project]"
	tagsBase      = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags"
	privateLink   = "@Environment[isPrivateLink]"
	utcNow        = "@Environment[UtcNow]"

	blobRead  = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
	blobWrite = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"
)

func frontend(src string) *compiler.Unit {
	return compiler.Frontend("test.cond", src, compiler.Options{})
}

// withCode returns the diagnostics of u with the given code.
func withCode(u *compiler.Unit, code diag.Code) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range u.Diags.Items {
		if d.Code == code {
			out = append(out, d)
		}
	}
	return out
}

func render(u *compiler.Unit) string { return u.File.FormatAll(&u.Diags) }

// targeted wraps expr in the usual action-targeting block.
func targeted(action, expr string) string {
	return "(\n  !(ActionMatches{'" + action + "'})\n)\nOR\n(\n  " + expr + "\n)"
}

// --- Warnings ---

type warnCase struct {
	name string
	src  string
	// n is the number of warnings of the code expected; line/col locate the first.
	n         int
	line, col int
}

func runWarnCases(t *testing.T, code diag.Code, cases []warnCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u := frontend(c.src)
			if errs := u.Diags.Errors(); len(errs) > 0 {
				t.Fatalf("unexpected errors:\n%s", render(u))
			}
			ws := withCode(u, code)
			if len(ws) != c.n {
				t.Fatalf("%d %s warnings, want %d:\n%s", len(ws), code, c.n, render(u))
			}
			for _, w := range ws {
				if w.Severity != diag.Warning {
					t.Errorf("%s has severity %v, want warning", code, w.Severity)
				}
				if w.Msg == "" {
					t.Errorf("%s without a message", code)
				}
			}
			if c.n > 0 {
				line, col := u.File.Position(ws[0].Pos)
				if line != c.line || col != c.col {
					t.Errorf("%s at %d:%d, want %d:%d:\n%s", code, line, col, c.line, c.col, render(u))
				}
			}
		})
	}
}

func TestNotSuppliedWarning(t *testing.T) {
	runWarnCases(t, diag.NotSupplied, []warnCase{
		// The blob prefix comes only with blob reads.
		{"prefix under write", targeted(blobWrite, blobPrefix+" StringStartsWith 'logs/'"), 1, 6, 3},
		{"prefix under read", targeted(blobRead, blobPrefix+" StringStartsWith 'logs/'"), 0, 0, 0},
		{"prefix under a wildcard that includes read", targeted("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*", blobPrefix+" StringStartsWith 'logs/'"), 0, 0, 0},
		{"prefix without ActionMatches", blobPrefix + " StringStartsWith 'logs/'", 0, 0, 0},
		{"role definition under a blob read", targeted(blobRead, roleDefID+" GuidEquals b24988ac-6180-42a0-ab88-20f7382dd24c"), 1, 6, 3},
		{"role definition under role assignment write", targeted("Microsoft.Authorization/roleAssignments/write", roleDefID+" GuidEquals b24988ac-6180-42a0-ab88-20f7382dd24c"), 0, 0, 0},
		{"environment attributes come with every action", targeted(blobWrite, privateLink+" BoolEquals true"), 0, 0, 0},
		{"principal attributes come with every action", targeted(blobWrite, csaProject+" StringEquals 'x'"), 0, 0, 0},
		{"pattern matching no catalog action", targeted("Contoso.Custom/things/read", blobPrefix+" StringStartsWith 'logs/'"), 0, 0, 0},
		{"one warning per attribute", targeted(blobWrite, blobPrefix+" StringStartsWith 'a' OR "+blobPrefix+" StringStartsWith 'b'"), 1, 6, 3},
		{"two actions, one supplies it", "(!(ActionMatches{'" + blobWrite + "'}) AND !(ActionMatches{'" + blobRead + "'})) OR (" + blobPrefix + " StringStartsWith 'x')", 0, 0, 0},
		{"one block of two patterns, one supplies it", "(!(ActionMatches{'" + blobWrite + "', '" + blobRead + "'})) OR (" + blobPrefix + " StringStartsWith 'x')", 0, 0, 0},
	})
}

func TestVacuousForAllWarning(t *testing.T) {
	forAll := listInclude + " ForAllOfAnyValues:StringEquals {'metadata', 'tags'}"
	runWarnCases(t, diag.VacuousForAll, []warnCase{
		{"ForAllOfAnyValues", forAll, 1, 1, 83},
		{"ForAllOfAllValues", listInclude + " ForAllOfAllValues:StringNotEquals {'deleted'}", 1, 1, 83},
		{"ForAllOfAnyValues on a custom security attribute", csaProject + " ForAllOfAnyValues:StringEquals {'Baker'}", 1, 1, 81},
		{"second line", privateLink + " BoolEquals true\nAND\n" + forAll, 1, 3, 83},
		{"guarded by Exists", "Exists " + listInclude + " AND " + forAll, 0, 0, 0},
		{"guarded by Exists after it", forAll + " AND Exists " + listInclude, 0, 0, 0},
		{"guarded by Exists in another block", "(Exists " + listInclude + ") AND (" + privateLink + " BoolEquals true OR " + forAll + ")", 0, 0, 0},
		{"ForAnyOfAnyValues", listInclude + " ForAnyOfAnyValues:StringEquals {'metadata'}", 0, 0, 0},
		{"ForAnyOfAllValues", listInclude + " ForAnyOfAllValues:StringNotEquals {'metadata'}", 0, 0, 0},
		{"set on the left", "{'a', 'b'} ForAllOfAnyValues:StringEquals " + listInclude, 0, 0, 0},
		{"Exists of another attribute does not count", "Exists " + blobPrefix + " AND " + forAll, 1, 1, 175},
	})
}

func TestOverAzureLimitWarning(t *testing.T) {
	// A condition of exactly n bytes.
	sized := func(n int) string {
		head := containerName + " StringEquals '"
		return head + strings.Repeat("a", n-len(head)-1) + "'"
	}
	for _, c := range []struct {
		size int
		n    int
	}{{100, 0}, {check.AzureLimit - 1, 0}, {check.AzureLimit, 0}, {check.AzureLimit + 1, 1}, {3 * check.AzureLimit, 1}} {
		src := sized(c.size)
		if len(src) != c.size {
			t.Fatalf("bad test: %d bytes", len(src))
		}
		u := frontend(src)
		if u.Diags.HasErrors() {
			t.Fatalf("%d bytes: unexpected errors:\n%s", c.size, render(u))
		}
		ws := withCode(u, diag.OverAzureLimit)
		if len(ws) != c.n {
			t.Errorf("%d bytes: %d ABAC3003 warnings, want %d", c.size, len(ws), c.n)
			continue
		}
		if c.n > 0 {
			if l, col := u.File.Position(ws[0].Pos); l != 1 || col != 1 || ws[0].Severity != diag.Warning {
				t.Errorf("%d bytes: ABAC3003 at %d:%d (%v), want 1:1 warning", c.size, l, col, ws[0].Severity)
			}
			if !strings.Contains(ws[0].Msg, fmt.Sprint(c.size)) {
				t.Errorf("message %q does not give the size", ws[0].Msg)
			}
		}
	}
	if check.AzureLimit != 8192 {
		t.Errorf("AzureLimit = %d, want 8 KiB", check.AzureLimit)
	}
	// Many small comparisons count the same way.
	var parts []string
	for i := 0; len(strings.Join(parts, " OR ")) <= check.AzureLimit; i++ {
		parts = append(parts, fmt.Sprintf("%s StringEquals 'c%d'", containerName, i))
	}
	if u := frontend(strings.Join(parts, " OR ")); len(withCode(u, diag.OverAzureLimit)) != 1 {
		t.Errorf("long OR chain: no ABAC3003")
	}
}

func TestNonCanonicalWarning(t *testing.T) {
	runWarnCases(t, diag.NonCanonical, []warnCase{
		{"canonical", containerName + " StringEquals 'a' AND NOT " + containerName + " StringEquals 'b' OR Exists " + blobPath, 0, 0, 0},
		{"symbols are never non-canonical", "(" + privateLink + " BoolEquals true && !" + privateLink + " BoolEquals false) || " + privateLink + " BoolEquals true", 0, 0, 0},
		{"operator", containerName + " stringequals 'a'", 1, 1, 75},
		{"same spelling twice warns once", containerName + " stringequals 'a' OR " + containerName + " stringequals 'b'", 1, 1, 75},
		{"two spellings warn twice", containerName + " stringequals 'a' OR " + containerName + " STRINGEQUALS 'b'", 2, 1, 75},
		{"keyword and", privateLink + " BoolEquals true and " + privateLink + " BoolEquals false", 1, 1, 45},
		{"keywords and, And", privateLink + " BoolEquals true and " + privateLink + " BoolEquals false And " + privateLink + " BoolEquals true", 2, 1, 45},
		{"keyword or", "(" + privateLink + " BoolEquals true) or (" + privateLink + " BoolEquals false)", 1, 1, 47},
		{"keyword not", "not " + privateLink + " BoolEquals true", 1, 1, 1},
		{"exists", "exists " + blobPath, 1, 1, 1},
		{"notexists", "notExists " + blobPath, 1, 1, 1},
		{"actionmatches", "(!(actionMatches{'" + blobRead + "'})) OR (" + blobPath + " StringLike 'a*')", 1, 1, 4},
		{"source", "@resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'a'", 1, 1, 2},
		{"attribute name", "@Resource[microsoft.storage/storageAccounts/blobServices/containers:name] StringEquals 'a'", 1, 1, 11},
		{"quantifier", listInclude + " forAnyOfAnyValues:StringEquals {'metadata'}", 1, 1, 83},
		{"boolean literal", privateLink + " BoolEquals True", 1, 1, 40},
		{"TRUE and True", privateLink + " BoolEquals TRUE OR " + privateLink + " BoolEquals True", 2, 1, 40},
		{"dictionary key keeps its case", tagsBase + ":project<$key_case_sensitive$>] StringEquals 'a'", 0, 0, 0},
	})
}

func TestMixedAndOrWarning(t *testing.T) {
	a := privateLink + " BoolEquals true"
	b := containerName + " StringEquals 'b'"
	c := blobPath + " StringLike 'c*'"
	runWarnCases(t, diag.MixedAndOr, []warnCase{
		{"A AND B OR C", a + " AND " + b + " OR " + c, 1, 1, 140},
		{"A OR B AND C", a + " OR " + b + " AND " + c, 1, 1, 45},
		{"symbols", a + " && " + b + " || " + c, 1, 1, 139},
		{"second line", a + "\nAND " + b + "\nOR " + c, 1, 3, 1},
		{"(A AND B) OR C", "(" + a + " AND " + b + ") OR " + c, 0, 0, 0},
		{"A OR (B AND C)", a + " OR (" + b + " AND " + c + ")", 0, 0, 0},
		{"A AND (B OR C)", a + " AND (" + b + " OR " + c + ")", 0, 0, 0},
		{"A OR B OR C", a + " OR " + b + " OR " + c, 0, 0, 0},
		{"A AND B AND C", a + " AND " + b + " AND " + c, 0, 0, 0},
		{"NOT binds tighter", "NOT " + a + " OR " + c, 0, 0, 0},
		{"inside parentheses", "(" + a + " AND " + b + " OR " + c + ")", 1, 1, 141},
	})
	// The message gives both groupings.
	u := frontend(a + " AND " + b + " OR " + c)
	ws := withCode(u, diag.MixedAndOr)
	if len(ws) == 1 && (!strings.Contains(ws[0].Msg, "(") || ws[0].Hint == "") {
		t.Errorf("message %q / hint %q should show the groupings", ws[0].Msg, ws[0].Hint)
	}
}

// TestVacuousForAllExistsSpelledDifferently: attribute names are case-insensitive, so an Exists
// on the same attribute written in another casing guards the ForAll just the same.
func TestVacuousForAllExistsSpelledDifferently(t *testing.T) {
	lower := "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:Include]"
	src := "Exists " + lower + " AND " + listInclude + " ForAllOfAnyValues:StringEquals {'metadata'}"
	u := frontend(src)
	if ws := withCode(u, diag.VacuousForAll); len(ws) != 0 {
		t.Errorf("ABAC3002 although Exists tests the same attribute:\n%s", render(u))
	}
	src = "exists " + listInclude + " AND " + strings.Replace(listInclude, "@Request", "@request", 1) + " ForAllOfAnyValues:StringEquals {'metadata'}"
	u = frontend(src)
	if ws := withCode(u, diag.VacuousForAll); len(ws) != 0 {
		t.Errorf("ABAC3002 although Exists tests the same attribute (source in lower case):\n%s", render(u))
	}
}

func TestStrictPromotesWarnings(t *testing.T) {
	src := privateLink + " BoolEquals true AND " + privateLink + " BoolEquals true OR " + privateLink + " BoolEquals false"
	u := compiler.Frontend("t", src, compiler.Options{Strict: true})
	if u.OK() || !u.Diags.HasErrors() {
		t.Fatalf("strict mode accepted a warning:\n%s", render(u))
	}
	if u := frontend(src); !u.OK() || len(u.Diags.Warnings()) == 0 {
		t.Errorf("without strict the condition should pass with a warning:\n%s", render(u))
	}
}

// --- Errors ---

type errCase struct {
	name      string
	src       string
	code      diag.Code
	line, col int
}

func TestTypingErrors(t *testing.T) {
	cases := []errCase{
		{"unknown operator", privateLink + " BoolEqual true", diag.UnknownOp, 1, 29},
		{"quantifier without operator", listInclude + " ForAnyOfAnyValues {'a'}", diag.UnknownOp, 1, 83},
		{"unknown quantifier", listInclude + " ForAnyOfAnyValue:StringEquals {'metadata'}", diag.UnknownQuant, 1, 83},
		{"prefix after a quantifier", listInclude + " ForAnyOfAnyValues:StringStartsWith 'meta'", diag.BadQuantBase, 1, 101},
		{"BoolEquals after a quantifier", privateLink + " ForAnyOfAnyValues:BoolEquals {true}", diag.BadQuantBase, 1, 47},
		{"DateTime after a quantifier", utcNow + " ForAllOfAllValues:DateTimeEquals {'2024-01-01T00:00:00Z'}", diag.BadQuantBase, 1, 40},
		{"unknown source", "@Resorce[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'a'", diag.UnknownSource, 1, 1},
		{"unknown source Resources", "@Resources[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'a'", diag.UnknownSource, 1, 1},
		{"unknown attribute", "@Environment[isPrivateLnk] BoolEquals true", diag.UnknownAttr, 1, 1},
		{"attribute under another source", "@Request[isPrivateLink] BoolEquals true", diag.UnknownAttr, 1, 1},
		{"attribute of another family", privateLink + " StringEquals 'true'", diag.TypeMismatch, 1, 1},
		{"literal of another family", privateLink + " BoolEquals 'true'", diag.TypeMismatch, 1, 40},
		{"integer literal for a string", containerName + " StringEquals 5", diag.TypeMismatch, 1, 88},
		{"quoted integer", csaLevel + " NumericEquals '5'", diag.TypeMismatch, 1, 93},
		{"string on the right is a DateTime attribute", containerName + " StringEquals " + utcNow, diag.TypeMismatch, 1, 88},
		{"set member of another type", containerName + " StringEquals {'a', 5}", diag.TypeMismatch, 1, 94},
		{"single-valued operator on a multi-valued attribute", listInclude + " StringEquals 'metadata'", diag.MultiValued, 1, 1},
		{"key set with StringEquals", tagsBase + "&$keys$&] StringEquals 'Project'", diag.MultiValued, 1, 1},
		{"bad DateTime", utcNow + " DateTimeGreaterThan '2024-13-01T00:00:00Z'", diag.BadDateTime, 1, 42},
		{"DateTime with 8 fraction digits", utcNow + " DateTimeGreaterThan '2024-01-01T00:00:00.12345678Z'", diag.BadDateTime, 1, 42},
		{"bad quoted Guid", roleDefID + " GuidEquals 'not-a-guid'", diag.BadGuid, 1, 79},
		{"bad bare Guid", roleDefID + " GuidEquals 5e467623-8a1b-4c2d-9e3f", diag.BadGuid, 1, 79},
		{"custom security attribute with two types", csaLevel + " NumericEquals 3 AND " + csaLevel + " StringEquals '3'", diag.TypeConflict, 1, 99},
		{"set on the left", "{'a', 'b'} StringEquals " + containerName, diag.SetOnLeft, 1, 1},
		{"tag key without marker", tagsBase + ":Project] StringEquals 'x'", diag.BadDictKey, 1, 1},
		{"dictionary without key", tagsBase + "] StringEquals 'x'", diag.BadDictKey, 1, 1},
		{"empty metadata key", "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/metadata:] StringEquals 'x'", diag.BadDictKey, 1, 1},
		// Line and column beyond the first line, after tabs and multi-byte characters.
		{"third line after a tab", privateLink + " BoolEquals true\nAND\n\t" + utcNow + " DateTimeGreaterThan '2024-02-30T00:00:00Z'", diag.BadDateTime, 3, 43},
		{"column counts characters", containerName + " StringEquals 'é€😀' OR @Environment[isPrivateLnk] BoolEquals true", diag.UnknownAttr, 1, 97},
		{"CRLF line breaks", privateLink + " BoolEquals true\r\nOR\r\n" + privateLink + " BoolEqual false", diag.UnknownOp, 3, 29},
	}
	// The extended dialect's errors (and the standard dialect's refusal of it).
	csaIP := "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Net_ClientIp]"
	extended := []errCase{
		{"bad address", csaIP + " IpMatch '10.0.0.256'", diag.BadAddress, 1, 82},
		{"zone id", csaIP + " IpMatch 'fe80::1%eth0'", diag.BadAddress, 1, 82},
		{"CIDR with host bits", csaIP + " IpMatch {'10.0.0.0/8', '10.1.0.0/8'}", diag.BadAddress, 1, 97},
		{"range across families", csaIP + " IpInRange ['10.0.0.1', '::1']", diag.BadAddress, 1, 84},
		{"CIDR as a range end", csaIP + " IpInRange ['10.0.0.0/8', '10.0.0.9']", diag.BadAddress, 1, 85},
		{"address range reversed", csaIP + " IpInRange ['10.0.0.9', '10.0.0.1']", diag.BadRange, 1, 84},
		{"numeric range reversed", csaLevel + " NumericInRange [10, -10]", diag.BadRange, 1, 94},
		{"numeric range of one", csaLevel + " NumericInRange [10]", diag.BadRange, 1, 94},
		{"numeric range of three", csaLevel + " NumericInRange [1, 2, 3]", diag.BadRange, 1, 101},
		{"pair after StringEquals", containerName + " StringEquals ['a', 'b']", diag.BadRange, 1, 88},
		{"pair after IpMatch", csaIP + " IpMatch ['10.0.0.1', '10.0.0.2']", diag.BadRange, 1, 82},
		{"NumericInRange of one value", csaLevel + " NumericInRange 5", diag.BadRange, 1, 94},
		{"bad time of day", utcNow + " TimeOfDayLessThan '24:00'", diag.BadTimeOfDay, 1, 40},
		{"time range as text", utcNow + " TimeOfDayInRange '08:00-18:00'", diag.BadTimeOfDay, 1, 39},
		{"time of day with seconds fraction", utcNow + " TimeOfDayInRange ['08:00', '18:00:00.5']", diag.BadTimeOfDay, 1, 49},
		{"attribute on the right", csaIP + " IpMatch " + csaIP, diag.BadOperand, 1, 82},
		{"literal on the left", "'10.0.0.1' IpMatch '10.0.0.0/8'", diag.BadOperand, 1, 1},
		{"list operator on one value", containerName + " ListContains 'a'", diag.BadOperand, 1, 1},
		{"address of another type", privateLink + " IpMatch '10.0.0.0/8'", diag.TypeMismatch, 1, 1},
		{"time of day of a string", containerName + " TimeOfDayEquals '12:00'", diag.TypeMismatch, 1, 1},
		{"unquoted time", utcNow + " TimeOfDayEquals 12", diag.TypeMismatch, 1, 38},
		{"IpMatch after a quantifier", csaIP + " ForAnyOfAnyValues:IpMatch {'10.0.0.0/8'}", diag.BadQuantBase, 1, 92},
		{"multi-valued left of IpMatch", listInclude + " IpMatch '10.0.0.0/8'", diag.MultiValued, 1, 1},
	}
	standard := []errCase{
		{"extended operator in the standard dialect", csaIP + " IpMatch '10.0.0.0/8'", diag.ExtendedOnly, 1, 74},
		{"pair in the standard dialect", containerName + " StringEquals ['a', 'b']", diag.ExtendedOnly, 1, 88},
	}
	seen := map[diag.Code]bool{}
	for i, c := range append(append(cases, standard...), extended...) {
		seen[c.code] = true
		dialect := ast.Standard
		if i >= len(cases)+len(standard) {
			dialect = ast.Extended
		}
		t.Run(c.name, func(t *testing.T) {
			u := compiler.Frontend("test.cond", c.src, compiler.Options{Dialect: dialect})
			if u.OK() {
				t.Fatalf("accepted:\n%s", c.src)
			}
			errs := u.Diags.Errors()
			if errs[0].Code != c.code {
				t.Errorf("first error %s, want %s:\n%s", errs[0].Code, c.code, render(u))
			}
			ds := withCode(u, c.code)
			if len(ds) == 0 {
				t.Fatalf("no %s:\n%s", c.code, render(u))
			}
			if ds[0].Severity != diag.Error {
				t.Errorf("%s is a %v", c.code, ds[0].Severity)
			}
			if line, col := u.File.Position(ds[0].Pos); line != c.line || col != c.col {
				t.Errorf("%s at %d:%d, want %d:%d:\n%s", c.code, line, col, c.line, c.col, render(u))
			}
			if ds[0].End < ds[0].Pos || int(ds[0].End) > len(c.src) {
				t.Errorf("span [%d,%d) outside the source", ds[0].Pos, ds[0].End)
			}
		})
	}
	// Every ABAC2xxx code except the strict-mode marker has a case above.
	for code := range diag.Descriptions {
		if strings.HasPrefix(string(code), "ABAC2") && !seen[code] {
			t.Errorf("no test input for %s (%s)", code, diag.Descriptions[code])
		}
	}
}

func TestTypingErrorHints(t *testing.T) {
	for _, c := range []struct {
		src  string
		code diag.Code
		hint string
	}{
		{privateLink + " BoolEqual true", diag.UnknownOp, "BoolEquals"},
		{listInclude + " ForAnyOfAnyValue:StringEquals {'metadata'}", diag.UnknownQuant, "ForAnyOfAnyValues"},
		{"@Resorce[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'a'", diag.UnknownSource, "@Resource"},
		{"@Environment[isPrivateLnk] BoolEquals true", diag.UnknownAttr, "isPrivateLink"},
		{"@Request[isPrivateLink] BoolEquals true", diag.UnknownAttr, "@Environment[isPrivateLink]"},
		{"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:nmae] StringEquals 'a'", diag.UnknownAttr, "containers:name"},
		{tagsBase + ":Project] StringEquals 'x'", diag.BadDictKey, "<$key_case_sensitive$>"},
		{listInclude + " StringEquals 'metadata'", diag.MultiValued, "ForAnyOfAnyValues"},
		{csaLevel + " NumericEquals '5'", diag.TypeMismatch, "remove the quotes"},
	} {
		u := frontend(c.src)
		ds := withCode(u, c.code)
		if len(ds) == 0 {
			t.Errorf("%s: no %s:\n%s", c.src, c.code, render(u))
			continue
		}
		if !strings.Contains(ds[0].Hint, c.hint) {
			t.Errorf("%s: hint %q does not contain %q", c.code, ds[0].Hint, c.hint)
		}
	}
}

// --- Custom security attributes ---

func TestCustomSecurityAttributeTakesOperatorType(t *testing.T) {
	cases := []struct {
		src  string
		want attrs.Type
	}{
		{csaLevel + " NumericEquals 3", attrs.TypeInteger},
		{csaLevel + " NumericGreaterThanEquals -9223372036854775808", attrs.TypeInteger},
		{csaLevel + " ForAnyOfAnyValues:NumericGreaterThan {1, 2}", attrs.TypeInteger},
		{csaProject + " StringEquals 'Baker'", attrs.TypeString},
		{csaProject + " ForAllOfAnyValues:StringEquals {'Baker', 'Cascade'}", attrs.TypeString},
		{csaLevel + " BoolEquals true", attrs.TypeBoolean},
		{csaLevel + " DateTimeLessThan '2024-01-01T00:00:00Z'", attrs.TypeDateTime},
		{csaLevel + " GuidEquals 8e3af657-a8ff-443c-a75c-2fe8c4bcb635", attrs.TypeGuid},
	}
	for _, c := range cases {
		u := frontend(c.src)
		if u.Diags.HasErrors() {
			t.Errorf("%s:\n%s", c.src, render(u))
			continue
		}
		cmp, ok := u.Expr.(*ast.Comparison)
		if !ok {
			t.Fatalf("%s: parsed as %T", c.src, u.Expr)
		}
		a, ok := cmp.Left.(*ast.AttrRef)
		if !ok {
			t.Fatalf("%s: left is %T", c.src, cmp.Left)
		}
		if a.Type != c.want {
			t.Errorf("%s: attribute typed %v, want %v", c.src, a.Type, c.want)
		}
		if a.Ref.Sel != attrs.SelKey || a.Ref.Type != attrs.Untyped {
			t.Errorf("%s: ref %+v, want an untyped dictionary key", c.src, a.Ref)
		}
	}
	// The same attribute used twice with one type, and two attributes with two types, are fine.
	for _, src := range []string{
		csaLevel + " NumericEquals 3 OR " + csaLevel + " NumericGreaterThan 5",
		csaLevel + " NumericEquals 3 AND " + csaProject + " StringEquals 'Baker'",
		"Exists " + csaLevel + " AND " + csaLevel + " NumericEquals 3",
		csaProject + " StringEquals 'a' OR " + csaProject + " ForAnyOfAnyValues:StringLike {'b*'}",
	} {
		if u := frontend(src); u.Diags.HasErrors() {
			t.Errorf("%s:\n%s", src, render(u))
		}
	}
}

func TestCustomSecurityAttributeTwoTypes(t *testing.T) {
	for _, src := range []string{
		csaLevel + " NumericEquals 3 AND " + csaLevel + " StringEquals '3'",
		csaLevel + " StringEquals '3' OR " + csaLevel + " BoolEquals true",
		csaLevel + " NumericEquals 3 OR NOT " + csaLevel + " ForAnyOfAnyValues:StringEquals {'3'}",
		csaLevel + " GuidEquals 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 AND " + csaLevel + " NumericEquals 1",
		csaLevel + " NumericEquals 3 AND " + containerName + " StringEquals " + csaLevel,
	} {
		u := frontend(src)
		ds := withCode(u, diag.TypeConflict)
		if len(ds) != 1 {
			t.Errorf("%s: %d ABAC2011, want 1:\n%s", src, len(ds), render(u))
			continue
		}
		// The message points back at the first use.
		if !strings.Contains(ds[0].Msg, "1:1") {
			t.Errorf("message %q does not locate the first use at 1:1", ds[0].Msg)
		}
	}
}

// TestCustomSecurityAttributeTwoTypesOtherCasing: the dictionary part of the name is matched
// case-insensitively, so both references read the same request value; two types must still be
// ABAC2011.
func TestCustomSecurityAttributeTwoTypesOtherCasing(t *testing.T) {
	lower := "@Principal[microsoft.directory/customSecurityAttributes/id:Engineering_Level]"
	src := csaLevel + " NumericEquals 3 AND " + lower + " StringEquals '3'"
	u := frontend(src)
	if len(withCode(u, diag.TypeConflict)) != 1 {
		t.Errorf("one custom security attribute used as Integer and String, no ABAC2011:\n%s", render(u))
	}
}

func TestValidConditionsHaveNoDiagnostics(t *testing.T) {
	for _, src := range []string{
		targeted(blobRead, tagsBase+":Project<$key_case_sensitive$>] StringEquals 'Cascade'"),
		targeted(blobRead, csaProject+" ForAnyOfAnyValues:StringEquals "+tagsBase+":Project<$key_case_sensitive$>]"),
		targeted(blobWrite, "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&] ForAnyOfAllValues:StringEquals {'Project'}"),
		utcNow + " DateTimeGreaterThan '2024-02-29T14:00:00.1234568+02:00'",
		roleDefID + " ForAnyOfAnyValues:GuidEquals {b24988ac618042a0ab8820f7382dd24c, 'acdd72a7-3385-48ef-bd42-f606fba81ae7'}",
		"'a' StringEquals 'a'",
	} {
		if u := frontend(src); len(u.Diags.Items) != 0 {
			t.Errorf("%s:\n%s", src, render(u))
		}
	}
}
