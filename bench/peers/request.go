package peers

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Opt is an attribute value that may be missing: OK is false when the request does not carry
// the attribute (and V is then the zero value).
type Opt[T any] struct {
	V  T
	OK bool
}

// Guid is a GUID as its 16 bytes, so that case and hyphens do not matter.
type Guid [16]byte

// String returns the canonical text: lower case, hyphenated (8-4-4-4-12).
func (g Guid) String() string {
	h := hex.EncodeToString(g[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ParseGuid reads a GUID with or without hyphens, in any case.
func ParseGuid(s string) (Guid, error) {
	var g Guid
	t := s
	if len(t) == 36 {
		if t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-' {
			return g, fmt.Errorf("bad GUID %q", s)
		}
		t = t[0:8] + t[9:13] + t[14:18] + t[19:23] + t[24:36]
	}
	if len(t) != 32 {
		return g, fmt.Errorf("bad GUID %q", s)
	}
	if _, err := hex.Decode(g[:], []byte(t)); err != nil {
		return g, fmt.Errorf("bad GUID %q: %v", s, err)
	}
	return g, nil
}

// MustGuid is ParseGuid for literals.
func MustGuid(s string) Guid {
	g, err := ParseGuid(s)
	if err != nil {
		panic(err)
	}
	return g
}

// ParseTime reads an Azure DateTime (RFC 3339, up to 7 fractional digits, Z or an offset) as
// nanoseconds since the Unix epoch. Every instant of the corpus fits; comparing these integers
// is comparing instants at full (100 ns) precision.
func ParseTime(s string) (int64, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, err
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j-i-1 > 7 {
			return 0, fmt.Errorf("DateTime %q: more than 7 fractional digits", s)
		}
	}
	return t.UnixNano(), nil
}

// MustTime is ParseTime for literals.
func MustTime(s string) int64 {
	n, err := ParseTime(s)
	if err != nil {
		panic(err)
	}
	return n
}

// Req is one corpus request decoded once into plain Go values: the common source of every
// peer engine's input and the input of the hand-written Go functions.
//
// Like abacc's own request vector, it is normalized when it is filled, not when a condition
// is decided: the action and the suboperation are lower-cased (ActionMatches and
// SubOperationMatches are case-insensitive; abacc folds them at fill time too), DateTimes are
// instants (Unix nanoseconds) and GUIDs are 16 bytes (or, for the engines that compare strings,
// their canonical lower-case text).
type Req struct {
	Action string // lower-cased
	SubOp  string // lower-cased; "" when the request has none

	Account, Container, Path, Prefix, Queue, EncScope Opt[string]
	PrivateEndpoint, Subnet                           Opt[string]
	IsPrivateLink, IsHnsEnabled, IsCurrentVersion     Opt[bool]
	UtcNow, VersionID, Snapshot                       Opt[int64] // Unix nanoseconds

	ReqRoleDef, ReqPrincipalID, ResRoleDef, ResPrincipalID Opt[Guid]
	ReqPrincipalType, ResPrincipalType                     Opt[string]

	// Dictionaries: nil when the request does not carry them.
	ResTags, ReqTags, Meta map[string]string

	// Principal custom security attributes by attribute name (the part after "Id:"); a
	// single JSON value is a list of one. String-valued ones in CSA, integer ones in CSAInt.
	CSA    map[string][]string
	CSAInt map[string][]int64
}

// field binds one attribute of the request JSON to a field of Req and to the short name the
// engines' inputs use.
type field struct {
	source, name string // as in the request JSON
	short        string // the variable name of the engines' inputs
	kind         kind
	str          func(*Req) *Opt[string]
	boolean      func(*Req) *Opt[bool]
	instant      func(*Req) *Opt[int64]
	guid         func(*Req) *Opt[Guid]
	dict         func(*Req) *map[string]string
}

type kind int

const (
	kString kind = iota
	kBool
	kTime
	kGuid
	kDict
)

const (
	blobs   = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
	csaName = "Microsoft.Directory/CustomSecurityAttributes/Id:"
)

// fields lists every attribute the corpus uses. A request carrying any other attribute is an
// error, so that no engine can silently ignore part of a request.
var fields = []field{
	{source: "resource", name: "Microsoft.Storage/storageAccounts:name", short: "account", kind: kString, str: func(r *Req) *Opt[string] { return &r.Account }},
	{source: "resource", name: "Microsoft.Storage/storageAccounts/blobServices/containers:name", short: "container", kind: kString, str: func(r *Req) *Opt[string] { return &r.Container }},
	{source: "resource", name: blobs + ":path", short: "path", kind: kString, str: func(r *Req) *Opt[string] { return &r.Path }},
	{source: "request", name: blobs + ":prefix", short: "prefix", kind: kString, str: func(r *Req) *Opt[string] { return &r.Prefix }},
	{source: "resource", name: "Microsoft.Storage/storageAccounts/queueServices/queues:name", short: "queue", kind: kString, str: func(r *Req) *Opt[string] { return &r.Queue }},
	{source: "resource", name: "Microsoft.Storage/storageAccounts/encryptionScopes:name", short: "encScope", kind: kString, str: func(r *Req) *Opt[string] { return &r.EncScope }},
	{source: "environment", name: "Microsoft.Network/privateEndpoints", short: "privateEndpoint", kind: kString, str: func(r *Req) *Opt[string] { return &r.PrivateEndpoint }},
	{source: "environment", name: "Microsoft.Network/virtualNetworks/subnets", short: "subnet", kind: kString, str: func(r *Req) *Opt[string] { return &r.Subnet }},
	{source: "environment", name: "isPrivateLink", short: "isPrivateLink", kind: kBool, boolean: func(r *Req) *Opt[bool] { return &r.IsPrivateLink }},
	{source: "resource", name: "Microsoft.Storage/storageAccounts:isHnsEnabled", short: "isHnsEnabled", kind: kBool, boolean: func(r *Req) *Opt[bool] { return &r.IsHnsEnabled }},
	{source: "resource", name: blobs + ":isCurrentVersion", short: "isCurrentVersion", kind: kBool, boolean: func(r *Req) *Opt[bool] { return &r.IsCurrentVersion }},
	{source: "environment", name: "UtcNow", short: "utcNow", kind: kTime, instant: func(r *Req) *Opt[int64] { return &r.UtcNow }},
	{source: "request", name: blobs + ":versionId", short: "versionId", kind: kTime, instant: func(r *Req) *Opt[int64] { return &r.VersionID }},
	{source: "request", name: blobs + ":snapshot", short: "snapshot", kind: kTime, instant: func(r *Req) *Opt[int64] { return &r.Snapshot }},
	{source: "request", name: "Microsoft.Authorization/roleAssignments:RoleDefinitionId", short: "reqRoleDef", kind: kGuid, guid: func(r *Req) *Opt[Guid] { return &r.ReqRoleDef }},
	{source: "request", name: "Microsoft.Authorization/roleAssignments:PrincipalId", short: "reqPrincipalId", kind: kGuid, guid: func(r *Req) *Opt[Guid] { return &r.ReqPrincipalID }},
	{source: "request", name: "Microsoft.Authorization/roleAssignments:PrincipalType", short: "reqPrincipalType", kind: kString, str: func(r *Req) *Opt[string] { return &r.ReqPrincipalType }},
	{source: "resource", name: "Microsoft.Authorization/roleAssignments:RoleDefinitionId", short: "resRoleDef", kind: kGuid, guid: func(r *Req) *Opt[Guid] { return &r.ResRoleDef }},
	{source: "resource", name: "Microsoft.Authorization/roleAssignments:PrincipalId", short: "resPrincipalId", kind: kGuid, guid: func(r *Req) *Opt[Guid] { return &r.ResPrincipalID }},
	{source: "resource", name: "Microsoft.Authorization/roleAssignments:PrincipalType", short: "resPrincipalType", kind: kString, str: func(r *Req) *Opt[string] { return &r.ResPrincipalType }},
	{source: "resource", name: blobs + "/tags", short: "resTags", kind: kDict, dict: func(r *Req) *map[string]string { return &r.ResTags }},
	{source: "request", name: blobs + "/tags", short: "reqTags", kind: kDict, dict: func(r *Req) *map[string]string { return &r.ReqTags }},
	{source: "resource", name: "Microsoft.Storage/storageAccounts/blobServices/containers/metadata", short: "meta", kind: kDict, dict: func(r *Req) *map[string]string { return &r.Meta }},
}

// ParseRequest decodes a request document of request.md into a Req. It knows only the
// attributes of the corpus and rejects anything else.
func ParseRequest(data []byte) (*Req, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	r := &Req{}
	for k, v := range doc {
		switch k {
		case "action":
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("action: want a string")
			}
			r.Action = strings.ToLower(s)
		case "subOperation":
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("subOperation: want a string")
			}
			r.SubOp = strings.ToLower(s)
		case "resource", "request", "principal", "environment":
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s: want an object", k)
			}
			if err := r.setSource(k, m); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("unknown key %q", k)
		}
	}
	if r.Action == "" {
		return nil, fmt.Errorf("no action")
	}
	return r, nil
}

func (r *Req) setSource(source string, m map[string]any) error {
	for name, v := range m {
		if source == "principal" && strings.HasPrefix(name, csaName) {
			if err := r.setCSA(strings.TrimPrefix(name, csaName), v); err != nil {
				return err
			}
			continue
		}
		f := lookupField(source, name)
		if f == nil {
			return fmt.Errorf("%s attribute %q is not one the peers know", source, name)
		}
		if err := f.set(r, v); err != nil {
			return fmt.Errorf("%s %q: %v", source, name, err)
		}
	}
	return nil
}

func lookupField(source, name string) *field {
	for i := range fields {
		if fields[i].source == source && fields[i].name == name {
			return &fields[i]
		}
	}
	return nil
}

func (f *field) set(r *Req, v any) error {
	switch f.kind {
	case kString:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("want one string")
		}
		*f.str(r) = Opt[string]{s, true}
	case kBool:
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("want true or false")
		}
		*f.boolean(r) = Opt[bool]{b, true}
	case kTime:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("want one DateTime")
		}
		n, err := ParseTime(s)
		if err != nil {
			return err
		}
		*f.instant(r) = Opt[int64]{n, true}
	case kGuid:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("want one GUID")
		}
		g, err := ParseGuid(s)
		if err != nil {
			return err
		}
		*f.guid(r) = Opt[Guid]{g, true}
	case kDict:
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("want an object")
		}
		d := make(map[string]string, len(m))
		for k, x := range m {
			s, ok := x.(string)
			if !ok {
				return fmt.Errorf("key %q: want a string", k)
			}
			d[k] = s
		}
		*f.dict(r) = d
	}
	return nil
}

func (r *Req) setCSA(name string, v any) error {
	vals, ok := v.([]any)
	if !ok {
		vals = []any{v}
	}
	var strs []string
	var ints []int64
	for _, x := range vals {
		switch x := x.(type) {
		case string:
			strs = append(strs, x)
		case json.Number:
			n, err := x.Int64()
			if err != nil {
				return fmt.Errorf("custom security attribute %q: %v", name, err)
			}
			ints = append(ints, n)
		default:
			return fmt.Errorf("custom security attribute %q: want strings or integers", name)
		}
	}
	switch {
	case strs != nil && ints != nil:
		return fmt.Errorf("custom security attribute %q: mixed strings and integers", name)
	case ints != nil:
		if r.CSAInt == nil {
			r.CSAInt = map[string][]int64{}
		}
		r.CSAInt[name] = ints
	default: // strings, or an empty list (present with no values)
		if r.CSA == nil {
			r.CSA = map[string][]string{}
		}
		if strs == nil {
			strs = []string{}
		}
		r.CSA[name] = strs
	}
	return nil
}

// Flat returns the request as one map from short names to plain values, the common shape of
// the dynamic engines' inputs: action and subOp always; every single-valued attribute the
// request carries (strings, bools, DateTimes as int Unix nanoseconds, GUIDs as canonical
// lower-case strings); the three dictionaries (resTags, reqTags, meta) always, empty when the
// request has none; csa (string lists) and csaInt (integer lists) always, possibly empty.
// A missing single-valued attribute is an absent key. Integers are int64 (expr's input converts
// them to int).
func (r *Req) Flat() map[string]any {
	m := map[string]any{"action": r.Action, "subOp": r.SubOp}
	for i := range fields {
		f := &fields[i]
		switch f.kind {
		case kString:
			if o := f.str(r); o.OK {
				m[f.short] = o.V
			}
		case kBool:
			if o := f.boolean(r); o.OK {
				m[f.short] = o.V
			}
		case kTime:
			if o := f.instant(r); o.OK {
				m[f.short] = o.V
			}
		case kGuid:
			if o := f.guid(r); o.OK {
				m[f.short] = o.V.String()
			}
		case kDict:
			d := *f.dict(r)
			if d == nil {
				d = map[string]string{}
			}
			m[f.short] = d
		}
	}
	csa := map[string][]string{}
	for k, v := range r.CSA {
		csa[k] = v
	}
	csaInt := map[string][]int64{}
	for k, v := range r.CSAInt {
		csaInt[k] = v
	}
	m["csa"], m["csaInt"] = csa, csaInt
	return m
}
