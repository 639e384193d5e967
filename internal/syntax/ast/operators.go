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
)

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
}

// Ops is the operator table, indexed by Operator. A test keeps it consistent with the constants.
var Ops = [numOperators]OpInfo{
	StringEquals:                  {"StringEquals", attrs.TypeString, RelEq, false, StringEquals, false, true},
	StringNotEquals:               {"StringNotEquals", attrs.TypeString, RelEq, true, StringEquals, false, true},
	StringStartsWith:              {"StringStartsWith", attrs.TypeString, RelPrefix, false, StringStartsWith, false, false},
	StringNotStartsWith:           {"StringNotStartsWith", attrs.TypeString, RelPrefix, true, StringStartsWith, false, false},
	StringLike:                    {"StringLike", attrs.TypeString, RelLike, false, StringLike, false, true},
	StringNotLike:                 {"StringNotLike", attrs.TypeString, RelLike, true, StringLike, false, true},
	StringEqualsIgnoreCase:        {"StringEqualsIgnoreCase", attrs.TypeString, RelEq, false, StringEqualsIgnoreCase, true, true},
	StringNotEqualsIgnoreCase:     {"StringNotEqualsIgnoreCase", attrs.TypeString, RelEq, true, StringEqualsIgnoreCase, true, true},
	StringStartsWithIgnoreCase:    {"StringStartsWithIgnoreCase", attrs.TypeString, RelPrefix, false, StringStartsWithIgnoreCase, true, false},
	StringNotStartsWithIgnoreCase: {"StringNotStartsWithIgnoreCase", attrs.TypeString, RelPrefix, true, StringStartsWithIgnoreCase, true, false},
	StringLikeIgnoreCase:          {"StringLikeIgnoreCase", attrs.TypeString, RelLike, false, StringLikeIgnoreCase, true, true},
	StringNotLikeIgnoreCase:       {"StringNotLikeIgnoreCase", attrs.TypeString, RelLike, true, StringLikeIgnoreCase, true, true},
	NumericEquals:                 {"NumericEquals", attrs.TypeInteger, RelEq, false, NumericEquals, false, true},
	NumericNotEquals:              {"NumericNotEquals", attrs.TypeInteger, RelEq, true, NumericEquals, false, true},
	NumericLessThan:               {"NumericLessThan", attrs.TypeInteger, RelLt, false, NumericLessThan, false, true},
	NumericLessThanEquals:         {"NumericLessThanEquals", attrs.TypeInteger, RelLe, false, NumericLessThanEquals, false, true},
	NumericGreaterThan:            {"NumericGreaterThan", attrs.TypeInteger, RelGt, false, NumericGreaterThan, false, true},
	NumericGreaterThanEquals:      {"NumericGreaterThanEquals", attrs.TypeInteger, RelGe, false, NumericGreaterThanEquals, false, true},
	BoolEquals:                    {"BoolEquals", attrs.TypeBoolean, RelEq, false, BoolEquals, false, false},
	BoolNotEquals:                 {"BoolNotEquals", attrs.TypeBoolean, RelEq, true, BoolEquals, false, false},
	DateTimeEquals:                {"DateTimeEquals", attrs.TypeDateTime, RelEq, false, DateTimeEquals, false, false},
	DateTimeNotEquals:             {"DateTimeNotEquals", attrs.TypeDateTime, RelEq, true, DateTimeEquals, false, false},
	DateTimeLessThan:              {"DateTimeLessThan", attrs.TypeDateTime, RelLt, false, DateTimeLessThan, false, false},
	DateTimeLessThanEquals:        {"DateTimeLessThanEquals", attrs.TypeDateTime, RelLe, false, DateTimeLessThanEquals, false, false},
	DateTimeGreaterThan:           {"DateTimeGreaterThan", attrs.TypeDateTime, RelGt, false, DateTimeGreaterThan, false, false},
	DateTimeGreaterThanEquals:     {"DateTimeGreaterThanEquals", attrs.TypeDateTime, RelGe, false, DateTimeGreaterThanEquals, false, false},
	GuidEquals:                    {"GuidEquals", attrs.TypeGuid, RelEq, false, GuidEquals, false, true},
	GuidNotEquals:                 {"GuidNotEquals", attrs.TypeGuid, RelEq, true, GuidEquals, false, true},
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
	for op := StringEquals; op < numOperators; op++ {
		if strings.EqualFold(Ops[op].Name, name) {
			return op
		}
	}
	return OpInvalid
}

// OperatorNames lists every operator name in table order.
func OperatorNames() []string {
	names := make([]string, 0, numOperators-1)
	for op := StringEquals; op < numOperators; op++ {
		names = append(names, Ops[op].Name)
	}
	return names
}

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
