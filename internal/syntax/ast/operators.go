package ast

import (
	"strings"

	"github.com/abacc/abacc/internal/attrs"
)

// Operator is a base comparison operator of condition version 2.0.
type Operator uint8

// The operators, in the order of the language reference.
const (
	OpInvalid Operator = iota
	StringEquals
	StringNotEquals
	StringStartsWith
	StringNotStartsWith
	StringLike
	StringNotLike
	StringEqualsIgnoreCase
	StringNotEqualsIgnoreCase
	StringStartsWithIgnoreCase
	StringNotStartsWithIgnoreCase
	StringLikeIgnoreCase
	StringNotLikeIgnoreCase
	NumericEquals
	NumericNotEquals
	NumericLessThan
	NumericLessThanEquals
	NumericGreaterThan
	NumericGreaterThanEquals
	BoolEquals
	BoolNotEquals
	DateTimeEquals
	DateTimeNotEquals
	DateTimeLessThan
	DateTimeLessThanEquals
	DateTimeGreaterThan
	DateTimeGreaterThanEquals
	GuidEquals
	GuidNotEquals
	// The string operators of Azure's Key Vault documentation (standard dialect).
	StringEndsWith
	StringNotEndsWith
	StringContains
	StringNotContains
	// The extended dialect (RATIONALE.md, "The extended dialect").
	IpMatch
	IpNotMatch
	IpInRange
	IpNotInRange
	TimeOfDayEquals
	TimeOfDayNotEquals
	TimeOfDayGreaterThan
	TimeOfDayGreaterThanEquals
	TimeOfDayLessThan
	TimeOfDayLessThanEquals
	TimeOfDayInRange
	NumericInRange
	ListContains
	ListNotContains
	numOperators
)

// Relation is what a positive operator tests between one left and one right value.
type Relation uint8

// Relations.
const (
	RelEq Relation = iota
	RelPrefix
	RelLike
	RelLt
	RelLe
	RelGt
	RelGe
	// RelSuffix and RelContains test a suffix and a substring.
	RelSuffix
	RelContains
	// RelIPMatch: the address is one of the addresses or CIDRs on the right; RelIPRange: it is
	// inside the pair, CIDR or set on the right.
	RelIPMatch
	RelIPRange
	// Time-of-day comparisons of the left instant's UTC time of day (whole seconds).
	RelTimeEq
	RelTimeLt
	RelTimeLe
	RelTimeGt
	RelTimeGe
	RelTimeRange
	// RelNumRange: lo ≤ value ≤ hi.
	RelNumRange
	// RelListContains: some value of the left equals a value of the right.
	RelListContains
)

// Dialect is a version of the language: the standard one (Azure's documented operators) or
// the extended one, which adds the operators microsoft/regorus evaluates beyond them.
type Dialect uint8

// Dialects. The zero value is the standard dialect.
const (
	Standard Dialect = iota
	Extended
)

// String returns the dialect's name as -dialect takes it.
func (d Dialect) String() string {
	if d == Extended {
		return "extended"
	}
	return "standard"
}

// ParseDialect reads a dialect name ("standard", "extended"; any case); ok is false otherwise.
func ParseDialect(s string) (d Dialect, ok bool) {
	switch strings.ToLower(s) {
	case "standard":
		return Standard, true
	case "extended":
		return Extended, true
	}
	return Standard, false
}

// RightForm is what an operator takes on its right.
type RightForm uint8

// Right forms.
const (
	// RightValues: a literal, a set of literals or an attribute of the operator's type (every
	// standard operator).
	RightValues RightForm = iota
	// RightAddresses: an IP address or CIDR literal, or a set of them (IpMatch).
	RightAddresses
	// RightAddressRange: as RightAddresses, or a pair of addresses ['lo', 'hi'] (IpInRange).
	RightAddressRange
	// RightTimes: a time-of-day literal 'hh:mm[:ss]', or a set of them.
	RightTimes
	// RightTimeRange: a pair of times of day ['from', 'to'] (may wrap midnight).
	RightTimeRange
	// RightIntRange: a pair of integers [lo, hi], lo ≤ hi.
	RightIntRange
	// RightMembers: a literal, a set or an attribute of the left attribute's type (ListContains).
	RightMembers
)

// Literals reports whether the right side must be literals (no attribute).
func (f RightForm) Literals() bool { return f != RightValues && f != RightMembers }

// Pair reports whether the right side is (or may be) an ordered pair [a, b].
func (f RightForm) Pair() bool {
	return f == RightAddressRange || f == RightTimeRange || f == RightIntRange
}

// OpInfo describes an operator; the table is indexed by Operator.
type OpInfo struct {
	Name string
	// Type is the operand type of the operator's family.
	Type attrs.Type
	// Rel is the relation of the positive operator (the twin, for a Not-operator).
	Rel Relation
	// Negated marks a Not-operator: exactly the negation of Positive.
	Negated bool
	// Positive is the operator itself, or its positive twin for a Not-operator.
	Positive Operator
	// IgnoreCase compares under Unicode simple case folding.
	IgnoreCase bool
	// Quantifiable reports whether the operator may follow a cross-product quantifier.
	Quantifiable bool
	// Dialect is the dialect that has the operator.
	Dialect Dialect
	// Right is what the operator takes on its right. Type is the left operand's type; for
	// RightMembers (Type Untyped) the left attribute's own type, or the right literal's kind
	// for an untyped attribute. Left operands are attributes (or literals of the type) for
	// RightValues; an attribute for every other form, and a multi-valued one for RightMembers.
	Right RightForm
}

// Ops is the operator table, the one place that lists every operator with its dialect, its
// operand type and the form of its right side: the checker, the lowering, the reference
// interpreter and test generators read it (ExtendedOps lists the extended dialect's).
// TestOperatorTable keeps it consistent, OPERATORS.md documents it.
var Ops = [numOperators]OpInfo{
	StringEquals:                  {"StringEquals", attrs.TypeString, RelEq, false, StringEquals, false, true, Standard, RightValues},
	StringNotEquals:               {"StringNotEquals", attrs.TypeString, RelEq, true, StringEquals, false, true, Standard, RightValues},
	StringStartsWith:              {"StringStartsWith", attrs.TypeString, RelPrefix, false, StringStartsWith, false, false, Standard, RightValues},
	StringNotStartsWith:           {"StringNotStartsWith", attrs.TypeString, RelPrefix, true, StringStartsWith, false, false, Standard, RightValues},
	StringLike:                    {"StringLike", attrs.TypeString, RelLike, false, StringLike, false, true, Standard, RightValues},
	StringNotLike:                 {"StringNotLike", attrs.TypeString, RelLike, true, StringLike, false, true, Standard, RightValues},
	StringEqualsIgnoreCase:        {"StringEqualsIgnoreCase", attrs.TypeString, RelEq, false, StringEqualsIgnoreCase, true, true, Standard, RightValues},
	StringNotEqualsIgnoreCase:     {"StringNotEqualsIgnoreCase", attrs.TypeString, RelEq, true, StringEqualsIgnoreCase, true, true, Standard, RightValues},
	StringStartsWithIgnoreCase:    {"StringStartsWithIgnoreCase", attrs.TypeString, RelPrefix, false, StringStartsWithIgnoreCase, true, false, Standard, RightValues},
	StringNotStartsWithIgnoreCase: {"StringNotStartsWithIgnoreCase", attrs.TypeString, RelPrefix, true, StringStartsWithIgnoreCase, true, false, Standard, RightValues},
	StringLikeIgnoreCase:          {"StringLikeIgnoreCase", attrs.TypeString, RelLike, false, StringLikeIgnoreCase, true, true, Standard, RightValues},
	StringNotLikeIgnoreCase:       {"StringNotLikeIgnoreCase", attrs.TypeString, RelLike, true, StringLikeIgnoreCase, true, true, Standard, RightValues},
	NumericEquals:                 {"NumericEquals", attrs.TypeInteger, RelEq, false, NumericEquals, false, true, Standard, RightValues},
	NumericNotEquals:              {"NumericNotEquals", attrs.TypeInteger, RelEq, true, NumericEquals, false, true, Standard, RightValues},
	NumericLessThan:               {"NumericLessThan", attrs.TypeInteger, RelLt, false, NumericLessThan, false, true, Standard, RightValues},
	NumericLessThanEquals:         {"NumericLessThanEquals", attrs.TypeInteger, RelLe, false, NumericLessThanEquals, false, true, Standard, RightValues},
	NumericGreaterThan:            {"NumericGreaterThan", attrs.TypeInteger, RelGt, false, NumericGreaterThan, false, true, Standard, RightValues},
	NumericGreaterThanEquals:      {"NumericGreaterThanEquals", attrs.TypeInteger, RelGe, false, NumericGreaterThanEquals, false, true, Standard, RightValues},
	BoolEquals:                    {"BoolEquals", attrs.TypeBoolean, RelEq, false, BoolEquals, false, false, Standard, RightValues},
	BoolNotEquals:                 {"BoolNotEquals", attrs.TypeBoolean, RelEq, true, BoolEquals, false, false, Standard, RightValues},
	DateTimeEquals:                {"DateTimeEquals", attrs.TypeDateTime, RelEq, false, DateTimeEquals, false, false, Standard, RightValues},
	DateTimeNotEquals:             {"DateTimeNotEquals", attrs.TypeDateTime, RelEq, true, DateTimeEquals, false, false, Standard, RightValues},
	DateTimeLessThan:              {"DateTimeLessThan", attrs.TypeDateTime, RelLt, false, DateTimeLessThan, false, false, Standard, RightValues},
	DateTimeLessThanEquals:        {"DateTimeLessThanEquals", attrs.TypeDateTime, RelLe, false, DateTimeLessThanEquals, false, false, Standard, RightValues},
	DateTimeGreaterThan:           {"DateTimeGreaterThan", attrs.TypeDateTime, RelGt, false, DateTimeGreaterThan, false, false, Standard, RightValues},
	DateTimeGreaterThanEquals:     {"DateTimeGreaterThanEquals", attrs.TypeDateTime, RelGe, false, DateTimeGreaterThanEquals, false, false, Standard, RightValues},
	GuidEquals:                    {"GuidEquals", attrs.TypeGuid, RelEq, false, GuidEquals, false, true, Standard, RightValues},
	GuidNotEquals:                 {"GuidNotEquals", attrs.TypeGuid, RelEq, true, GuidEquals, false, true, Standard, RightValues},
	StringEndsWith:                {"StringEndsWith", attrs.TypeString, RelSuffix, false, StringEndsWith, false, true, Standard, RightValues},
	StringNotEndsWith:             {"StringNotEndsWith", attrs.TypeString, RelSuffix, true, StringEndsWith, false, true, Standard, RightValues},
	StringContains:                {"StringContains", attrs.TypeString, RelContains, false, StringContains, false, true, Standard, RightValues},
	StringNotContains:             {"StringNotContains", attrs.TypeString, RelContains, true, StringContains, false, true, Standard, RightValues},
	IpMatch:                       {"IpMatch", attrs.TypeString, RelIPMatch, false, IpMatch, false, false, Extended, RightAddresses},
	IpNotMatch:                    {"IpNotMatch", attrs.TypeString, RelIPMatch, true, IpMatch, false, false, Extended, RightAddresses},
	IpInRange:                     {"IpInRange", attrs.TypeString, RelIPRange, false, IpInRange, false, false, Extended, RightAddressRange},
	IpNotInRange:                  {"IpNotInRange", attrs.TypeString, RelIPRange, true, IpInRange, false, false, Extended, RightAddressRange},
	TimeOfDayEquals:               {"TimeOfDayEquals", attrs.TypeDateTime, RelTimeEq, false, TimeOfDayEquals, false, false, Extended, RightTimes},
	TimeOfDayNotEquals:            {"TimeOfDayNotEquals", attrs.TypeDateTime, RelTimeEq, true, TimeOfDayEquals, false, false, Extended, RightTimes},
	TimeOfDayGreaterThan:          {"TimeOfDayGreaterThan", attrs.TypeDateTime, RelTimeGt, false, TimeOfDayGreaterThan, false, false, Extended, RightTimes},
	TimeOfDayGreaterThanEquals:    {"TimeOfDayGreaterThanEquals", attrs.TypeDateTime, RelTimeGe, false, TimeOfDayGreaterThanEquals, false, false, Extended, RightTimes},
	TimeOfDayLessThan:             {"TimeOfDayLessThan", attrs.TypeDateTime, RelTimeLt, false, TimeOfDayLessThan, false, false, Extended, RightTimes},
	TimeOfDayLessThanEquals:       {"TimeOfDayLessThanEquals", attrs.TypeDateTime, RelTimeLe, false, TimeOfDayLessThanEquals, false, false, Extended, RightTimes},
	TimeOfDayInRange:              {"TimeOfDayInRange", attrs.TypeDateTime, RelTimeRange, false, TimeOfDayInRange, false, false, Extended, RightTimeRange},
	NumericInRange:                {"NumericInRange", attrs.TypeInteger, RelNumRange, false, NumericInRange, false, false, Extended, RightIntRange},
	ListContains:                  {"ListContains", attrs.Untyped, RelListContains, false, ListContains, false, false, Extended, RightMembers},
	ListNotContains:               {"ListNotContains", attrs.Untyped, RelListContains, true, ListContains, false, false, Extended, RightMembers},
}

// Info returns the operator's table entry.
func (op Operator) Info() *OpInfo { return &Ops[op] }

// String returns the operator's canonical name.
func (op Operator) String() string {
	if op == OpInvalid || op >= numOperators {
		return "invalid operator"
	}
	return Ops[op].Name
}

// LookupOperator resolves an operator name case-insensitively.
func LookupOperator(name string) Operator {
	// Lengths first: EqualFold compares folded characters, and lengths in bytes can differ
	// between equal folds only outside ASCII (the operator names are ASCII; a name with other
	// characters may still match one, as the Kelvin sign folds to k).
	anyLength := !isASCII(name)
	for op := StringEquals; op < numOperators; op++ {
		if n := Ops[op].Name; (len(n) == len(name) || anyLength) && strings.EqualFold(n, name) {
			return op
		}
	}
	return OpInvalid
}

// OperatorNames lists every operator name in table order, of both dialects.
func OperatorNames() []string {
	names := make([]string, 0, numOperators-1)
	for op := StringEquals; op < numOperators; op++ {
		names = append(names, Ops[op].Name)
	}
	return names
}

// DialectOperatorNames lists the names of the operators dialect d has, in table order (the
// standard operators are in both dialects).
func DialectOperatorNames(d Dialect) []string {
	var names []string
	for op := StringEquals; op < numOperators; op++ {
		if Ops[op].Dialect <= d {
			names = append(names, Ops[op].Name)
		}
	}
	return names
}

// ExtendedOps lists the operators of the extended dialect only, in table order: with Ops, what
// a generator needs to build conditions that use them.
func ExtendedOps() []Operator {
	var out []Operator
	for op := StringEquals; op < numOperators; op++ {
		if Ops[op].Dialect == Extended {
			out = append(out, op)
		}
	}
	return out
}

// NumOperators is the number of operators (OpInvalid excluded), for loops over Ops.
const NumOperators = int(numOperators) - 1

// Quantifier is a cross-product quantifier, or NoQuant for a single-valued comparison.
type Quantifier uint8

// Quantifiers.
const (
	NoQuant Quantifier = iota
	ForAnyOfAnyValues
	ForAllOfAnyValues
	ForAnyOfAllValues
	ForAllOfAllValues
	numQuantifiers
)

var quantNames = [numQuantifiers]string{"", "ForAnyOfAnyValues", "ForAllOfAnyValues", "ForAnyOfAllValues", "ForAllOfAllValues"}

// String returns the quantifier's canonical name.
func (q Quantifier) String() string {
	if q >= numQuantifiers {
		return "invalid quantifier"
	}
	return quantNames[q]
}

// AllLeft reports whether the quantifier ranges universally over the left values.
func (q Quantifier) AllLeft() bool { return q == ForAllOfAnyValues || q == ForAllOfAllValues }

// AllRight reports whether the quantifier ranges universally over the right values.
func (q Quantifier) AllRight() bool { return q == ForAnyOfAllValues || q == ForAllOfAllValues }

// LookupQuantifier resolves a quantifier name case-insensitively.
func LookupQuantifier(name string) Quantifier {
	for q := ForAnyOfAnyValues; q < numQuantifiers; q++ {
		if strings.EqualFold(quantNames[q], name) {
			return q
		}
	}
	return NoQuant
}

// QuantifierNames lists the four quantifiers.
func QuantifierNames() []string { return append([]string(nil), quantNames[1:]...) }

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
