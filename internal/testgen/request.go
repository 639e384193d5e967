package testgen

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/abacc/abacc/internal/attrs"
)

// ValueKind is the JSON kind of a request value.
type ValueKind uint8

// The value kinds (DateTime and Guid values travel as strings).
const (
	StringValue ValueKind = iota
	IntValue
	BoolValue
)

// Value is one request value.
type Value struct {
	Kind ValueKind
	Str  string
	Int  int64
	Bool bool
}

// jsonText returns the value as a JSON text (invalid UTF-8 becomes U+FFFD).
func (v Value) jsonText() string {
	switch v.Kind {
	case IntValue:
		return strconv.FormatInt(v.Int, 10)
	case BoolValue:
		return strconv.FormatBool(v.Bool)
	}
	b, _ := json.Marshal(v.Str)
	return string(b)
}

// Values are what a request gives an attribute: one scalar (Array false, one value) or an
// array of values of one kind, which may be empty.
type Values struct {
	Vals  []Value
	Array bool
}

// jsonText returns the scalar or the array as a JSON text.
func (v Values) jsonText() string {
	if !v.Array {
		return v.Vals[0].jsonText()
	}
	parts := make([]string, len(v.Vals))
	for i, x := range v.Vals {
		parts[i] = x.jsonText()
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func (v Values) clone() Values {
	v.Vals = append([]Value(nil), v.Vals...)
	return v
}

// DictEntry is one key of a dictionary attribute.
type DictEntry struct {
	Key    string
	Values Values
}

// RequestAttr is one attribute of a request: a plain attribute, a whole dictionary, or one key
// of a dictionary written flattened (custom security attributes).
type RequestAttr struct {
	Section string // Resource, Request, Principal or Environment
	Name    string // the catalog name (the dictionary's for Dict and Key)
	Family  Family // the type the typed setters set (plain attributes)
	Dict    bool   // a whole dictionary: Entries
	Entries []DictEntry
	Key     string // not "": one key of dictionary Name, written "Name:Key"
	Values  Values // plain attributes and flattened keys
}

// jsonKey is the attribute's key in its request section.
func (a RequestAttr) jsonKey() string {
	if a.Key != "" {
		return a.Name + ":" + a.Key
	}
	return a.Name
}

func (a RequestAttr) clone() RequestAttr {
	a.Values = a.Values.clone()
	a.Entries = append([]DictEntry(nil), a.Entries...)
	for i := range a.Entries {
		a.Entries[i].Values = a.Entries[i].Values.clone()
	}
	return a
}

// Request is a request: an action, maybe a sub-operation, and attributes.
type Request struct {
	Action   string
	HasSubOp bool
	SubOp    string
	Attrs    []RequestAttr
}

func (q *Request) clone() *Request {
	c := *q
	c.Attrs = make([]RequestAttr, len(q.Attrs))
	for i, a := range q.Attrs {
		c.Attrs[i] = a.clone()
	}
	return &c
}

// JSON renders the request document of request.md.
func (q *Request) JSON() string {
	var b strings.Builder
	b.WriteString(`{"action":` + Value{Str: q.Action}.jsonText())
	if q.HasSubOp {
		b.WriteString(`,"subOperation":` + Value{Str: q.SubOp}.jsonText())
	}
	for _, sec := range []string{"Resource", "Request", "Principal", "Environment"} {
		var parts []string
		for _, a := range q.Attrs {
			if a.Section != sec {
				continue
			}
			name := Value{Str: a.jsonKey()}.jsonText()
			if a.Dict {
				var kv []string
				for _, e := range a.Entries {
					kv = append(kv, Value{Str: e.Key}.jsonText()+":"+e.Values.jsonText())
				}
				parts = append(parts, name+":{"+strings.Join(kv, ",")+"}")
				continue
			}
			parts = append(parts, name+":"+a.Values.jsonText())
		}
		if len(parts) > 0 {
			b.WriteString(`,"` + strings.ToLower(sec) + `":{` + strings.Join(parts, ",") + "}")
		}
	}
	b.WriteString("}")
	return b.String()
}

// setterCalls returns the typed setter calls Apply makes, one a line (Go-like, strings
// Go-quoted, attribute ids of attrs.Default), or the error that stops them.
func (q *Request) setterCalls() string {
	log, err := q.Apply(attrs.NewVector(attrs.Default))
	if err != nil {
		log += "error: " + err.Error() + "\n"
	}
	return log
}

// Apply resets v and fills it through the typed setters (which, unlike JSON, carry invalid
// UTF-8 as it is); it returns a transcript of the calls, one a line (Go-like, strings
// Go-quoted).
func (q *Request) Apply(v *attrs.Vector) (string, error) {
	v.Reset()
	var log strings.Builder
	v.SetAction(q.Action)
	fmt.Fprintf(&log, "SetAction(%+q)\n", q.Action)
	if q.HasSubOp {
		v.SetSubOperation(q.SubOp)
		fmt.Fprintf(&log, "SetSubOperation(%+q)\n", q.SubOp)
	}
	for _, a := range q.Attrs {
		if err := a.apply(v, &log); err != nil {
			return log.String(), err
		}
	}
	return log.String(), nil
}

// apply sets the attribute in v and writes the calls to log.
func (a RequestAttr) apply(v *attrs.Vector, log *strings.Builder) error {
	src, ok := attrs.ParseSource(a.Section)
	if !ok {
		return fmt.Errorf("bad source %q", a.Section)
	}
	id, ok := v.Catalog().Lookup(src, a.Name)
	if !ok {
		return fmt.Errorf("@%s[%s] is not in the catalog", a.Section, a.Name)
	}
	switch {
	case a.Dict:
		fmt.Fprintf(log, "SetDict(%d) // @%s[%s]\n", id, a.Section, a.Name)
		if err := v.SetDict(id); err != nil {
			return err
		}
		for _, e := range a.Entries {
			if err := setKey(v, id, e.Key, e.Values, log); err != nil {
				return err
			}
		}
		return nil
	case a.Key != "":
		return setKey(v, id, a.Key, a.Values, log)
	}
	vals := a.Values.Vals
	ref := fmt.Sprintf(" // @%s[%s]\n", a.Section, a.Name)
	switch a.Family {
	case StringFamily:
		xs := mapValues(vals, func(x Value) string { return x.Str })
		fmt.Fprintf(log, "SetStrings(%d, %+q)"+ref, id, xs)
		return v.SetStrings(id, xs...)
	case IntegerFamily:
		xs := mapValues(vals, func(x Value) int64 { return x.Int })
		fmt.Fprintf(log, "SetInts(%d, %v)"+ref, id, xs)
		return v.SetInts(id, xs...)
	case BoolFamily:
		if len(vals) == 0 {
			return nil
		}
		fmt.Fprintf(log, "SetBool(%d, %v)"+ref, id, vals[0].Bool)
		return v.SetBool(id, vals[0].Bool)
	case DateTimeFamily:
		xs, err := parseValues(vals, attrs.ParseDateTime)
		if err != nil {
			return err
		}
		fmt.Fprintf(log, "SetDateTimes(%d, %v)"+ref, id, xs)
		return v.SetDateTimes(id, xs...)
	}
	xs, err := parseValues(vals, attrs.ParseGuid)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "SetGuids(%d, %v)"+ref, id, xs)
	return v.SetGuids(id, xs...)
}

// setKey sets one key of dictionary id with the setter of the values' kind.
func setKey(v *attrs.Vector, id attrs.ID, key string, vs Values, log *strings.Builder) error {
	kind := StringValue
	if len(vs.Vals) > 0 {
		kind = vs.Vals[0].Kind
	}
	switch kind {
	case IntValue:
		xs := mapValues(vs.Vals, func(x Value) int64 { return x.Int })
		fmt.Fprintf(log, "SetKeyInts(%d, %+q, %v)\n", id, key, xs)
		return v.SetKeyInts(id, key, xs...)
	case BoolValue:
		xs := mapValues(vs.Vals, func(x Value) bool { return x.Bool })
		fmt.Fprintf(log, "SetKeyBools(%d, %+q, %v)\n", id, key, xs)
		return v.SetKeyBools(id, key, xs...)
	}
	xs := mapValues(vs.Vals, func(x Value) string { return x.Str })
	fmt.Fprintf(log, "SetKeyStrings(%d, %+q, %+q)\n", id, key, xs)
	return v.SetKeyStrings(id, key, xs...)
}

func mapValues[T any](vals []Value, f func(Value) T) []T {
	var out []T
	for _, x := range vals {
		out = append(out, f(x))
	}
	return out
}

// parseValues parses the values' strings.
func parseValues[T any](vals []Value, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for _, x := range vals {
		t, err := parse(x.Str)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// ---------------------------------------------------------------------------------------------
// Generation.

// plainSlot is a plain attribute a request may give.
type plainSlot struct {
	section, name string
	family        Family
}

var plainSlots = []plainSlot{
	{"Resource", saName, StringFamily}, {"Resource", contName, StringFamily}, {"Resource", blobPath, StringFamily},
	{"Resource", encScope, StringFamily}, {"Resource", queueName, StringFamily}, {"Resource", isCurrent, BoolFamily},
	{"Resource", hnsEnabled, BoolFamily}, {"Resource", raPrefix + "RoleDefinitionId", GuidFamily},
	{"Resource", raPrefix + "PrincipalId", GuidFamily}, {"Resource", raPrefix + "PrincipalType", StringFamily},
	{"Resource", kvVault, StringFamily}, {"Resource", kvSecret, StringFamily},
	{"Request", blobPrefix, StringFamily}, {"Request", snapshot, DateTimeFamily}, {"Request", versionID, DateTimeFamily},
	{"Request", raPrefix + "RoleDefinitionId", GuidFamily}, {"Request", raPrefix + "PrincipalId", GuidFamily},
	{"Request", raPrefix + "PrincipalType", StringFamily}, {"Request", blobInclude, StringFamily},
	{"Request", repoName, StringFamily}, {"Request", kvSecret, StringFamily},
	{"Environment", "isPrivateLink", BoolFamily}, {"Environment", privEndp, StringFamily},
	{"Environment", subnets, StringFamily}, {"Environment", "UtcNow", DateTimeFamily},
}

var (
	tagKeys  = []string{"Project", "Team", "a:b", "project", "Other", "ß", ""}
	metaKeys = []string{"testKey", "classification", "TestKey"}
	// csaKeys are the custom security attributes requests give, with the family conditions
	// read them as (anyFamily: any).
	csaKeys = []struct {
		key    string
		family Family
	}{{"Project", StringFamily}, {"Level", IntegerFamily}, {"Flag", BoolFamily}, {"When", DateTimeFamily}, {"Id", GuidFamily}, {"Any", anyFamily}}
)

// anyFamily marks a custom security attribute conditions read as more than one family.
const anyFamily = NumFamilies

// withInvalidUTF8 swaps U+FFFD in v for invalid UTF-8 (both read as U+FFFD rune-wise, not
// byte-wise), or appends some.
func (g *Generator) withInvalidUTF8(v string) string {
	if strings.Contains(v, "\uFFFD") {
		return strings.ReplaceAll(v, "\uFFFD", pick(g.src, invalidUTF8))
	}
	return v + pick(g.src, invalidUTF8)
}

// reqStr is a string request value.
func (g *Generator) reqStr() string {
	switch x := g.pct(); {
	case x < 50 && len(g.strs) > 0:
		v := pick(g.src, g.strs)
		if g.src.Intn(2) == 0 {
			v = g.varyCase(v)
		}
		if g.src.Intn(6) == 0 {
			v += pick(g.src, condRunes) // one more character
		}
		if g.setter && g.src.Intn(2) == 0 && (strings.Contains(v, "\uFFFD") || g.src.Intn(2) == 0) {
			v = g.withInvalidUTF8(v)
		}
		return v
	case x < 70:
		return pick(g.src, reqStrPool)
	case x < 85 || !g.setter:
		pool := condRunes
		if g.src.Intn(4) == 0 {
			pool = reqOnlyRunes
		}
		return g.mix(g.src.Intn(7), reqOnlyRunes, 5, pool)
	}
	// Invalid UTF-8 among valid characters (setters only).
	return g.mix(1+g.src.Intn(4), invalidUTF8, 2, condRunes)
}

func (g *Generator) reqInt() int64 {
	if len(g.ints) > 0 && g.src.Intn(2) == 0 {
		return pick(g.src, g.ints) + int64(g.src.Intn(3)) - 1
	}
	if g.src.Intn(4) == 0 {
		return int64(g.src.Uint64())
	}
	return pick(g.src, intPool)
}

func (g *Generator) reqDate() string {
	if len(g.dates) > 0 && g.src.Intn(2) == 0 {
		return pick(g.src, g.dates)
	}
	if g.src.Intn(2) == 0 {
		return pick(g.src, datePool)
	}
	return g.newDate()
}

func (g *Generator) reqGuid() string {
	if len(g.guids) > 0 && g.src.Intn(2) == 0 {
		return g.guidForm(pick(g.src, g.guids))
	}
	if g.src.Intn(2) == 0 {
		return g.guidForm(pick(g.src, guidPool))
	}
	return g.newGuid()
}

// value is one value of family f as its JSON kind, mostly one a condition compared the
// attribute (memoryKey key) with, when there is one.
func (g *Generator) value(f Family, key string) Value {
	if vs := g.attrVals[key]; len(vs) > 0 && g.src.Intn(10) < 6 {
		v := pick(g.src, vs)
		switch f {
		case StringFamily:
			if g.src.Intn(3) == 0 {
				v = g.varyCase(v)
			}
			if g.setter && g.src.Intn(3) == 0 {
				v = g.withInvalidUTF8(v)
			}
			if g.src.Intn(8) == 0 {
				v += pick(g.src, condRunes)
			}
			return Value{Kind: StringValue, Str: v}
		case IntegerFamily:
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				return Value{Kind: IntValue, Int: n + int64(g.src.Intn(3)) - 1}
			}
		case DateTimeFamily:
			return Value{Kind: StringValue, Str: v}
		case GuidFamily:
			return Value{Kind: StringValue, Str: g.guidForm(v)}
		}
	}
	switch f {
	case StringFamily:
		return Value{Kind: StringValue, Str: g.reqStr()}
	case IntegerFamily:
		return Value{Kind: IntValue, Int: g.reqInt()}
	case BoolFamily:
		return Value{Kind: BoolValue, Bool: g.src.Intn(2) == 0}
	case DateTimeFamily:
		return Value{Kind: StringValue, Str: g.reqDate()}
	}
	return Value{Kind: StringValue, Str: g.reqGuid()}
}

// values gives one scalar (60%), an array of one to three (28%) or an empty array.
func (g *Generator) values(f Family, key string) Values {
	switch x := g.pct(); {
	case x < 60:
		return Values{Vals: []Value{g.value(f, key)}}
	case x < 88:
		vs := make([]Value, 1+g.src.Intn(3))
		for i := range vs {
			vs[i] = g.value(f, key)
		}
		return Values{Vals: vs, Array: true}
	}
	return Values{Array: true}
}

func (g *Generator) dict(q *Request, section, name string, keys []string) {
	if g.src.Intn(5) < 2 {
		return
	}
	a := RequestAttr{Section: section, Name: name, Family: StringFamily, Dict: true}
	for _, k := range keys {
		if g.src.Intn(2) == 0 {
			continue
		}
		v := Values{Vals: []Value{g.value(StringFamily, memoryKey(section, name, k))}}
		if g.src.Intn(5) == 0 {
			v = g.values(StringFamily, memoryKey(section, name, k))
		}
		a.Entries = append(a.Entries, DictEntry{k, v})
	}
	q.Attrs = append(q.Attrs, a)
}

// Request makes a request: an action and sub-operation mostly of those the conditions made so
// far match, each attribute present or not, dictionaries of tags and metadata, and custom
// security attributes flattened or as one object, mostly of the type the conditions read them
// as, sometimes of another kind.
func (g *Generator) Request() *Request {
	q := &Request{}
	switch x := g.pct(); {
	case x < 70 && len(g.acts) > 0:
		q.Action = pick(g.src, g.acts)
		if strings.Contains(q.Action, "*") && g.src.Intn(2) == 0 {
			q.Action = strings.ReplaceAll(q.Action, "*", pick(g.src, []string{"", "x", "a/b", "blobs"}))
		}
		q.Action = g.varyCase(q.Action)
	case x < 95:
		q.Action = pick(g.src, actionNames)
		if g.src.Intn(3) == 0 {
			q.Action = g.varyCase(q.Action)
		}
	default:
		q.Action = g.reqStr()
	}
	if g.src.Intn(5) < 2 {
		q.HasSubOp = true
		if len(g.subs) > 0 && g.src.Intn(2) == 0 {
			q.SubOp = g.varyCase(pick(g.src, g.subs))
		} else {
			q.SubOp = pick(g.src, subOpPool)
		}
	}
	for _, p := range plainSlots {
		if g.src.Intn(5) < 2 {
			continue // missing
		}
		q.Attrs = append(q.Attrs, RequestAttr{Section: p.section, Name: p.name, Family: p.family,
			Values: g.values(p.family, memoryKey(p.section, p.name, ""))})
	}
	g.dict(q, "Resource", tagsDict, tagKeys)
	g.dict(q, "Request", tagsDict, tagKeys)
	g.dict(q, "Resource", metaDict, metaKeys)
	asObject := g.src.Intn(3) == 0
	obj := RequestAttr{Section: "Principal", Name: csaDict, Dict: true}
	for _, k := range csaKeys {
		if g.src.Intn(5) < 2 {
			continue
		}
		f := k.family
		if f == anyFamily || g.src.Intn(10) == 0 {
			f = Family(g.src.Intn(int(NumFamilies)))
		}
		v := g.values(f, memoryKey("Principal", csaDict, k.key))
		if asObject {
			obj.Entries = append(obj.Entries, DictEntry{k.key, v})
		} else {
			q.Attrs = append(q.Attrs, RequestAttr{Section: "Principal", Name: csaDict, Family: f, Key: k.key, Values: v})
		}
	}
	if asObject && (len(obj.Entries) > 0 || g.src.Intn(2) == 0) {
		q.Attrs = append(q.Attrs, obj)
	}
	return q
}
