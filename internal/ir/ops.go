package ir

import (
	"fmt"

	"github.com/abacc/abacc/internal/attrs"
)

// The IR owns its vocabulary: lowering (lower.go, the only file of ir that reads the syntax
// tree) converts the language's quantifiers and operators into these once, so the optimizer
// and the code generator do not depend on the front end.

// Quant is a comparison's quantifier: NoQuant for a single-valued comparison, else the
// cross-product quantifier over the left and the right values.
type Quant uint8

// Quantifiers.
const (
	NoQuant Quant = iota
	ForAnyOfAnyValues
	ForAllOfAnyValues
	ForAnyOfAllValues
	ForAllOfAllValues
	numQuants
)

var quantNames = [numQuants]string{"", "ForAnyOfAnyValues", "ForAllOfAnyValues", "ForAnyOfAllValues", "ForAllOfAllValues"}

// String returns the quantifier's name in the language ("" for NoQuant).
func (q Quant) String() string {
	if q >= numQuants {
		return "invalid quantifier"
	}
	return quantNames[q]
}

// AllLeft reports whether the quantifier ranges universally over the left values.
func (q Quant) AllLeft() bool { return q == ForAllOfAnyValues || q == ForAllOfAllValues }

// AllRight reports whether the quantifier ranges universally over the right values.
func (q Quant) AllRight() bool { return q == ForAnyOfAllValues || q == ForAllOfAllValues }

// Dual returns the quantifier of a cross product's complement: NOT ∀l∃r P = ∃l∀r NOT P, and so
// on (the complement also negates the base). NoQuant is its own dual.
func (q Quant) Dual() Quant {
	switch q {
	case ForAnyOfAnyValues:
		return ForAllOfAllValues
	case ForAllOfAllValues:
		return ForAnyOfAnyValues
	case ForAllOfAnyValues:
		return ForAnyOfAllValues
	case ForAnyOfAllValues:
		return ForAllOfAnyValues
	}
	return q
}

// Rel is what a comparison tests between one left and one right value (before BaseNeg).
type Rel uint8

// Relations. RelSuffix and RelContains are StringEndsWith's and StringContains' (lowering of
// StringLike '*text' and '*text*' introduces them too). RelIPIn and RelTimeIn are the extended
// dialect's table tests: the left value (an address; an instant's time of day) lies in one of
// the sorted, disjoint ranges of the right constant (Constant.IPs, Constant.Times). Every IP
// and time-of-day operator lowers to one of them.
const (
	RelEq Rel = iota
	RelPrefix
	RelLike
	RelLt
	RelLe
	RelGt
	RelGe
	RelSuffix
	RelContains
	RelIPIn
	RelTimeIn
	numRels
)

// relWords spell each relation as the language's operators do, after the family's name.
var relWords = [numRels]string{
	RelEq: "Equals", RelPrefix: "StartsWith", RelLike: "Like", RelLt: "LessThan", RelLe: "LessThanEquals",
	RelGt: "GreaterThan", RelGe: "GreaterThanEquals", RelSuffix: "EndsWith", RelContains: "Contains",
	RelIPIn: "InRange", RelTimeIn: "InRange",
}

// families names each operand type's operator family and the relations its operators test;
// only strings have IgnoreCase forms.
var families = map[attrs.Type]struct {
	name string
	rels []Rel
}{
	attrs.TypeString:   {"String", []Rel{RelEq, RelPrefix, RelLike, RelContains}},
	attrs.TypeInteger:  {"Numeric", []Rel{RelEq, RelLt, RelLe, RelGt, RelGe}},
	attrs.TypeBoolean:  {"Bool", []Rel{RelEq}},
	attrs.TypeDateTime: {"DateTime", []Rel{RelEq, RelLt, RelLe, RelGt, RelGe}},
	attrs.TypeGuid:     {"Guid", []Rel{RelEq}},
}

// BaseName names the positive operator that tests rel between values of type t (IgnoreCase
// when fold): the language's operator, or StringEndsWith[IgnoreCase] for RelSuffix.
// Combinations no operator has print as type/relation.
func BaseName(t attrs.Type, rel Rel, fold bool) string {
	switch rel {
	case RelSuffix:
		if fold {
			return "StringEndsWithIgnoreCase"
		}
		return "StringEndsWith"
	case RelIPIn:
		return "IpInRange"
	case RelTimeIn:
		return "TimeOfDayInRange"
	}
	if f, ok := families[t]; ok && (!fold || t == attrs.TypeString) {
		for _, r := range f.rels {
			if r == rel {
				name := f.name + relWords[rel]
				if fold {
					name += "IgnoreCase"
				}
				return name
			}
		}
	}
	return fmt.Sprintf("%s/%d", t, rel)
}
