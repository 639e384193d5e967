package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/lint"
)

// codeExample is a condition that draws a diagnostic code. Text is shown; gen, when set,
// builds the real (too large to show) condition that Text abbreviates. With prose, Text
// describes such a condition and is not compiled.
type codeExample struct {
	text  string
	gen   func() string
	prose bool
	// extended compiles the example with the extended dialect.
	extended bool
}

const (
	exName = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]"
	exTags = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&]"
	exRead = "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})"
	exLink = "@Environment[isPrivateLink] BoolEquals true"
	exIP   = "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Network_ClientIp]"
)

// codeExamples holds one example for every code of diag.Descriptions and lint.Descriptions (a
// test compiles each and checks that it draws its code).
var codeExamples = map[diag.Code]codeExample{
	diag.IllegalChar: {text: exLink + " ;"},
	diag.BadString:   {text: exName + " StringEquals 'reports"},
	diag.BadNumber:   {text: "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Eng_Level] NumericGreaterThan 99999999999999999999"},
	diag.BadAttrRef:  {text: "@Environment BoolEquals true"},
	diag.BadEncoding: {text: exName + " StringEquals 'caf<byte 0xE9>'", gen: func() string {
		return exName + " StringEquals 'caf\xe9'"
	}},
	diag.Syntax:    {text: exLink + " AND"},
	diag.Unclosed:  {text: "(" + exLink},
	diag.EmptyList: {text: "!(ActionMatches{}) OR " + exName + " StringEquals 'reports'"},
	diag.TooDeep: {text: "((((…1,001 levels…(" + exLink + ")…))))", gen: func() string {
		return strings.Repeat("(", 1001) + exLink + strings.Repeat(")", 1001)
	}},
	diag.TooLarge: {text: exName + " StringEquals 'xxxx…1 MiB…xxxx'", gen: func() string {
		return exName + " StringEquals '" + strings.Repeat("x", 1<<20) + "'"
	}},
	diag.SetTooLarge: {text: exTags + " ForAnyOfAnyValues:StringEquals {'k0', 'k1', …, 'k65536'}", gen: func() string {
		return exTags + " ForAnyOfAnyValues:StringEquals {" + members("k", 0, 65537) + "}"
	}},
	diag.TooComplex: {prose: true, text: "a generated condition of more than 65,535 distinct comparisons, OR-ed together " +
		"(such a condition is usually over the 1 MiB limit first, ABAC1014)"},
	diag.UnknownOp:     {text: exName + " StringEqual 'reports'"},
	diag.UnknownQuant:  {text: exTags + " ForAnyValues:StringEquals {'Project', 'Program'}"},
	diag.BadQuantBase:  {text: exTags + " ForAnyOfAnyValues:StringStartsWith {'Pro'}"},
	diag.UnknownSource: {text: "@Resourc[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'reports'"},
	diag.UnknownAttr:   {text: "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:nmae] StringEquals 'reports'"},
	diag.TypeMismatch:  {text: "@Environment[isPrivateLink] BoolEquals 'yes'"},
	diag.MultiValued:   {text: exTags + " StringEquals 'Project'"},
	diag.BadDateTime:   {text: "@Environment[UtcNow] DateTimeLessThan '2024-02-30T00:00:00Z'"},
	diag.BadGuid:       {text: "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] GuidEquals 8e3af657-a8ff-443c-a75c-2fe8c4bcb63"},
	diag.SetOnLeft:     {text: "{'reports', 'logs'} StringEquals " + exName},
	diag.TypeConflict:  {text: "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Eng_Level] StringEquals 'senior' OR @Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Eng_Level] NumericGreaterThan 3"},
	diag.BadDictKey:    {text: "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project] StringEquals 'Cascade'"},
	diag.ExtendedOnly:  {text: exIP + " IpMatch '10.0.0.0/8'"},
	diag.BadAddress:    {text: exIP + " IpMatch '10.1.0.0/8'", extended: true},
	diag.BadTimeOfDay:  {text: "@Environment[UtcNow] TimeOfDayInRange '08:00-18:00'", extended: true},
	diag.BadRange:      {text: "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Eng_Level] NumericInRange [10, 1]", extended: true},
	diag.BadOperand:    {text: exName + " ListContains 'reports'", extended: true},
	diag.NotSupplied:   {text: "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'}) OR @Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix] StringStartsWith 'public/'"},
	diag.VacuousForAll: {text: exTags + " ForAllOfAnyValues:StringEquals {'Project'}"},
	diag.OverAzureLimit: {text: exName + " StringEquals 'c0' OR " + exName + " StringEquals 'c1' OR … (over 8 KiB)", gen: func() string {
		var parts []string
		for i := 0; i < 120; i++ {
			parts = append(parts, fmt.Sprintf("%s StringEquals 'c%d'", exName, i))
		}
		return strings.Join(parts, " OR ")
	}},
	diag.NonCanonical:    {text: "@Environment[isPrivateLink] boolequals true"},
	diag.MixedAndOr:      {text: exLink + " AND " + exName + " StringEquals 'a' OR " + exName + " StringEquals 'b'"},
	lint.HalfWriteGuard:  {text: "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'}) OR " + exName + " StringEquals 'reports'"},
	lint.ListUnguarded:   {text: exRead + " OR @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals 'Cascade'"},
	lint.NotEqualsAsNone: {text: exTags + " ForAnyOfAnyValues:StringNotEquals {'Secret', 'Restricted'}"},
	lint.AlwaysTrue:      {text: exLink + " OR @Environment[isPrivateLink] BoolNotEquals true"},
	lint.AlwaysFalse:     {text: exLink + " AND @Environment[isPrivateLink] BoolNotEquals true"},
}

// members lists 'prefix<from>', … 'prefix<to-1>' as set members.
func members(prefix string, from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		if i > from {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "'%s%d'", prefix, i)
	}
	return b.String()
}

// codeDescriptions merges the compiler's and the linter's code tables.
func codeDescriptions() map[diag.Code]string {
	out := make(map[diag.Code]string, len(diag.Descriptions)+len(lint.Descriptions))
	for c, d := range diag.Descriptions {
		out[c] = d
	}
	for c, d := range lint.Descriptions {
		out[c] = d
	}
	return out
}

// exampleDiagnostic compiles a code's example and returns the diagnostic it draws with code.
func exampleDiagnostic(code diag.Code, ex codeExample) (abacc.Diagnostic, bool) {
	if ex.prose {
		return abacc.Diagnostic{}, false
	}
	src := ex.text
	if ex.gen != nil {
		src = ex.gen()
	}
	opts := abacc.Options{Name: "example"}
	if ex.extended {
		opts.Dialect = abacc.DialectExtended
	}
	p, err := abacc.CompileWith(src, opts)
	var ds []abacc.Diagnostic
	var ce *abacc.Error
	if errors.As(err, &ce) {
		ds = ce.Diagnostics
	} else if p != nil {
		ds = p.Warnings()
	}
	for _, d := range ds {
		if d.Code == string(code) {
			return d, true
		}
	}
	return abacc.Diagnostic{}, false
}

// explainCode prints what a diagnostic code means, an example condition and what abacc
// reports for it.
func (c *cli) explainCode(args []string) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") && len(args[0]) > 1 {
		c.errorf("explain-code: give one code, e.g. abacc explain-code ABAC2001")
		return exitUsage
	}
	descs := codeDescriptions()
	code := diag.Code(strings.ToUpper(strings.TrimSpace(args[0])))
	if len(code) == 4 && strings.Trim(string(code), "0123456789") == "" {
		code = "ABAC" + code // the number alone
	}
	if c.explainIaC(string(code)) {
		return exitOK
	}
	desc, ok := descs[code]
	if !ok {
		msg := fmt.Sprintf("explain-code: unknown code %q", args[0])
		if s := nearestCode(string(code), descs); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		} else {
			msg += " (codes are ABAC1001-ABAC1016, ABAC2001-ABAC2018, ABAC3001-ABAC3005, ABAC3101-ABAC3105)"
		}
		c.errorf("%s", msg)
		return exitInvalid
	}
	class := "lexical or syntax error"
	switch {
	case code >= "ABAC3100":
		class = "lint warning"
	case code >= "ABAC3000":
		class = "warning"
	case code >= "ABAC2000":
		class = "name or type error"
	}
	fmt.Fprintf(c.stdout, "%s (%s): %s\n", code, class, desc)
	ex, ok := codeExamples[code]
	if !ok {
		return exitOK
	}
	if ex.extended {
		fmt.Fprintf(c.stdout, "\nexample (with -dialect=extended):\n    %s\n", ex.text)
	} else {
		fmt.Fprintf(c.stdout, "\nexample:\n    %s\n", ex.text)
	}
	if d, ok := exampleDiagnostic(code, ex); ok {
		fmt.Fprintf(c.stdout, "\nabacc reports:\n    example:%d:%d: %s: %s [%s]\n", d.Line, d.Column, d.Severity, d.Message, d.Code)
		if d.Hint != "" {
			fmt.Fprintf(c.stdout, "    hint: %s\n", d.Hint)
		}
	}
	return exitOK
}

// nearestCode returns the known code closest to s (attrs.Closest's rule: a few edits, ties
// to the smaller code), or "".
func nearestCode(s string, descs map[diag.Code]string) string {
	codes := make([]string, 0, len(descs))
	for c := range descs {
		codes = append(codes, string(c))
	}
	sort.Strings(codes)
	return attrs.Closest(s, codes)
}
