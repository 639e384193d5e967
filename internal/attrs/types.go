// Package attrs is abacc's attribute catalog and request vector: the Azure attributes a condition
// may read (source, name, type, multiplicity, the actions that supply them), their interning to
// dense ids, and the reusable typed vector a request is evaluated against.
package attrs

import "strings"

// Type is the value type of an attribute, a literal or an operator family.
type Type uint8

// The value types of condition version 2.0.
const (
	// Untyped marks an attribute whose type the catalog does not know (custom security
	// attributes, dictionary values of unknown type): the operators that use it decide.
	Untyped Type = iota
	TypeString
	TypeInteger
	TypeBoolean
	TypeDateTime
	TypeGuid
)

var typeNames = [...]string{Untyped: "untyped", TypeString: "String", TypeInteger: "Integer", TypeBoolean: "Boolean", TypeDateTime: "DateTime", TypeGuid: "Guid"}

// String returns the type's name as Azure's documentation spells it.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "invalid"
}

// Source is where an attribute comes from: the part of `@Source[name]` before the bracket.
type Source uint8

// The four attribute sources.
const (
	NoSource Source = iota
	Resource
	Request
	Principal
	Environment
)

var sourceNames = [...]string{NoSource: "", Resource: "Resource", Request: "Request", Principal: "Principal", Environment: "Environment"}

// String returns the canonical spelling of the source.
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "invalid"
}

// JSONKey returns the request-JSON section that holds this source's attributes.
func (s Source) JSONKey() string { return strings.ToLower(s.String()) }

// ParseSource resolves a source name case-insensitively; ok is false for an unknown name.
func ParseSource(name string) (s Source, ok bool) {
	for i := Resource; i <= Environment; i++ {
		if strings.EqualFold(name, sourceNames[i]) {
			return i, true
		}
	}
	return NoSource, false
}

// Sources lists the four sources in canonical order.
var Sources = [...]Source{Resource, Request, Principal, Environment}
