package diag

import (
	"unicode"
	"unicode/utf8"
)

// Code is a stable diagnostic code, ABACnnnn. Codes are never reused for another meaning.
type Code string

// Lexical and syntax errors (1xxx).
const (
	IllegalChar    Code = "ABAC1001" // a character that cannot start a token, or an invisible one
	BadString      Code = "ABAC1002" // unterminated string literal
	BadNumber      Code = "ABAC1003" // malformed or out-of-range integer
	BadAttrRef     Code = "ABAC1004" // malformed @Source[name]
	BadEncoding    Code = "ABAC1005" // invalid UTF-8
	Syntax         Code = "ABAC1010" // unexpected token
	Unclosed       Code = "ABAC1011" // unclosed ( or {
	EmptyList      Code = "ABAC1012" // {} or ActionMatches{}
	TooDeep        Code = "ABAC1013" // nesting beyond the limit
	TooLarge       Code = "ABAC1014" // source beyond the size limit
	SetTooLarge    Code = "ABAC1015" // set beyond the member limit
	TooComplex     Code = "ABAC1016" // beyond the bytecode's 16-bit tables
	UnknownOp      Code = "ABAC2001" // unknown operator
	UnknownQuant   Code = "ABAC2002" // unknown quantifier
	BadQuantBase   Code = "ABAC2003" // operator not allowed after a quantifier
	UnknownSource  Code = "ABAC2004" // unknown attribute source
	UnknownAttr    Code = "ABAC2005" // attribute not in the catalog
	TypeMismatch   Code = "ABAC2006" // operand of another type than the operator's family
	MultiValued    Code = "ABAC2007" // single-valued operator on a multi-valued attribute
	BadDateTime    Code = "ABAC2008" // malformed DateTime literal
	BadGuid        Code = "ABAC2009" // malformed Guid literal
	SetOnLeft      Code = "ABAC2012" // set on the left of a single-valued operator
	TypeConflict   Code = "ABAC2011" // untyped attribute used with two types
	BadDictKey     Code = "ABAC2013" // dictionary selector without key or marker
	ExtendedOnly   Code = "ABAC2014" // extended-dialect operator or pair literal in the standard dialect
	BadAddress     Code = "ABAC2015" // malformed IP address, CIDR or address range literal
	BadTimeOfDay   Code = "ABAC2016" // malformed time-of-day literal
	BadRange       Code = "ABAC2017" // malformed or misplaced ordered pair [lo, hi]
	BadOperand     Code = "ABAC2018" // an operand of a kind the operator does not take
	NotSupplied    Code = "ABAC3001" // attribute that no targeted action supplies
	VacuousForAll  Code = "ABAC3002" // ForAll over an attribute that may be missing
	OverAzureLimit Code = "ABAC3003" // condition larger than Azure's 8 KiB
	NonCanonical   Code = "ABAC3004" // keyword, operator or source in non-canonical casing
	MixedAndOr     Code = "ABAC3005" // AND and OR mixed at one level without parentheses
)

// Descriptions documents every code, for `abacc explain-code` and the README; a test keeps it
// in step with the constants.
var Descriptions = map[Code]string{
	IllegalChar:    "a character that cannot start a token, or an invisible/control character pasted from rich text",
	BadString:      "a string literal without its closing quote",
	BadNumber:      "an integer literal that is malformed or outside the 64-bit signed range",
	BadAttrRef:     "an attribute reference that is not @Source[name]",
	BadEncoding:    "bytes that are not valid UTF-8",
	Syntax:         "a token where the grammar does not allow it",
	Unclosed:       "a parenthesis or brace that is never closed",
	EmptyList:      "an empty set or an empty ActionMatches/SubOperationMatches list",
	TooDeep:        "nesting deeper than 1,000 levels",
	TooLarge:       "a condition larger than 1 MiB",
	SetTooLarge:    "a set of more than 65,536 members",
	TooComplex:     "a condition needing more than 65,535 instructions, constants or operands",
	UnknownOp:      "an operator name that does not exist",
	UnknownQuant:   "a quantifier other than ForAnyOfAnyValues, ForAllOfAnyValues, ForAnyOfAllValues, ForAllOfAllValues",
	BadQuantBase:   "an operator that cannot follow a cross-product quantifier",
	UnknownSource:  "an attribute source other than Resource, Request, Principal, Environment",
	UnknownAttr:    "an attribute the catalog does not know (or under another source)",
	TypeMismatch:   "an operand whose type is not the operator family's",
	MultiValued:    "a single-valued operator applied to a multi-valued attribute on the left",
	BadDateTime:    "a DateTime literal not of the form yyyy-mm-ddThh:mm:ss[.fffffff](Z|±hh:mm)",
	BadGuid:        "a Guid literal that is not 32 hex digits (hyphens optional)",
	SetOnLeft:      "a set literal on the left of a single-valued operator",
	TypeConflict:   "an untyped attribute (custom security attribute) used with two different types",
	BadDictKey:     "a dictionary attribute read without a key, or a tag key without <$key_case_sensitive$>",
	ExtendedOnly:   "an operator or a pair literal [a, b] of the extended dialect in a condition compiled in the standard dialect (use -dialect=extended)",
	BadAddress:     "an IP address or CIDR literal that is malformed, has a zone id or host bits set, or an address range across IPv4 and IPv6",
	BadTimeOfDay:   "a time-of-day literal other than 'hh:mm' or 'hh:mm:ss' (UTC, two digits each), or a time range not written as a pair",
	BadRange:       "a pair literal [lo, hi] that is malformed, whose low end is above its high end, or that follows an operator other than …InRange",
	BadOperand:     "an operand of a kind the operator does not take: an extended operator's right side must be literals and its left an attribute; ListContains needs a multi-valued attribute",
	NotSupplied:    "an attribute that none of the condition's targeted actions supplies",
	VacuousForAll:  "a ForAll quantifier over an attribute that may be missing (vacuously true)",
	OverAzureLimit: "a condition over Azure's 8 KiB limit",
	NonCanonical:   "a keyword, operator, function or source spelled in non-canonical casing",
	MixedAndOr:     "AND and OR mixed at one level without parentheses",
}

// Invisible reports characters that look like whitespace or nothing but are not the whitespace
// the language allows: controls, format characters (U+200B, U+FEFF, ...) and non-ASCII spaces
// such as U+00A0.
func Invisible(r rune) bool {
	if ' ' <= r && r < 0x7F { // printable ASCII (the scanner asks for every token)
		return false
	}
	switch r {
	case '\t', '\r', '\n':
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zs, r) ||
		unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r)
}

// Clip shortens user text echoed in a message to about 80 characters (cut at a character
// boundary, with an ellipsis), so that a megabyte-long token is not printed back whole.
func Clip(s string) string {
	const limit = 80
	n := 0
	for i := range s {
		if n == limit-1 {
			if len(s)-i > 0 && n+utf8.RuneCountInString(s[i:]) > limit {
				return s[:i] + "…"
			}
			return s
		}
		n++
	}
	return s
}
