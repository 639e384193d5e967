package rbac

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/go-json-experiment/json/jsontext"
)

// Document is one JSON input with the name its errors carry (a file path, or "-").
type Document struct {
	Name string
	Data []byte
}

// InputError is invalid input: it names the document, the element (its id, else its index) and
// the field.
type InputError struct {
	File    string
	Element string // e.g. `role assignment 3 ("/subscriptions/…/roleAssignments/…")`; "" for the whole document
	Field   string // "" when the element as a whole is wrong
	Msg     string
}

func (e *InputError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Element != "" {
		b.WriteString(e.Element)
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// maxDepth bounds JSON nesting: Azure's exports are a few levels deep, and a hostile document
// nested a million deep must be refused before the decoder recurses through it.
const maxDepth = 64

// checkJSON refuses what encoding/json would handle badly or silently: invalid UTF-8, a
// byte-order mark, nesting beyond maxDepth, and malformed JSON (with line and column).
func checkJSON(file string, data []byte) error {
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return &InputError{File: file, Msg: "starts with a UTF-8 byte-order mark; save the file without it"}
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			off += n
		}
		line, col := lineCol(data, off)
		return &InputError{File: file, Msg: fmt.Sprintf("%d:%d: invalid UTF-8", line, col)}
	}
	depth, inString, escaped := 0, false, false
	for i, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			if depth > maxDepth {
				line, col := lineCol(data, i)
				return &InputError{File: file, Msg: fmt.Sprintf("%d:%d: JSON nested deeper than %d levels", line, col, maxDepth)}
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	// One tokenizing pass checks the syntax and what encoding/json would let through silently:
	// duplicate keys (the last one wins there) and invalid UTF-8.
	if len(bytes.TrimSpace(data)) == 0 {
		return &InputError{File: file, Msg: "empty document: want JSON"}
	}
	// IsValid checks RFC 7493 (UTF-8, unique names) on the bytes in place; only a failure pays
	// for a decoder, to say where.
	if jsontext.Value(bytes.TrimSpace(data)).IsValid() {
		return nil
	}
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	_, err := dec.ReadValue()
	if err == nil {
		if _, err = dec.ReadToken(); err == io.EOF {
			return nil
		} else if err == nil {
			err = errors.New("unexpected data after the top-level value")
		}
	}
	return jsonError(file, data, err)
}

// jsonError renders a tokenizer error with the line and column it points at.
func jsonError(file string, data []byte, err error) error {
	var se *jsontext.SyntacticError
	if !errors.As(err, &se) {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			line, col := lineCol(data, len(data))
			return &InputError{File: file, Msg: fmt.Sprintf("%d:%d: malformed JSON: unexpected end of input", line, col)}
		}
		return &InputError{File: file, Msg: "malformed JSON: " + err.Error()}
	}
	line, col := lineCol(data, int(se.ByteOffset))
	where := ""
	if p := se.JSONPointer; p != "" {
		where = fmt.Sprintf(" (at %s)", clip(strings.Join(slices.Collect(p.Tokens()), " → ")))
	}
	msg := strings.TrimPrefix(se.Err.Error(), "jsontext: ")
	if errors.Is(se.Err, jsontext.ErrDuplicateName) {
		msg, where = fmt.Sprintf("duplicate key %q (a key may appear once in an object)", clip(se.JSONPointer.LastToken())), ""
	}
	return &InputError{File: file, Msg: fmt.Sprintf("%d:%d: malformed JSON: %s%s", line, col, msg, where)}
}

func lineCol(data []byte, off int) (int, int) {
	off = max(0, min(off, len(data)))
	line, col := 1, 1
	for _, r := range string(data[:off]) {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// elements reads the top level of a list document: an array, a {"value": [...]} page, or (for
// a single exported object) one element.
func elements(file, what string, data []byte, allowSingle bool) ([]json.RawMessage, error) {
	if err := checkJSON(file, data); err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(data)
	switch trimmed[0] {
	case '[':
		var list []json.RawMessage
		if err := json.Unmarshal(trimmed, &list); err != nil {
			return nil, &InputError{File: file, Msg: err.Error()}
		}
		return list, nil
	case '{':
		var page map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &page); err != nil {
			return nil, &InputError{File: file, Msg: err.Error()}
		}
		if v, ok := page["value"]; ok {
			var list []json.RawMessage
			if err := json.Unmarshal(v, &list); err != nil || isNull(v) {
				return nil, &InputError{File: file, Field: "value", Msg: "must be an array of " + what + "s"}
			}
			return list, nil
		}
		if allowSingle {
			return []json.RawMessage{trimmed}, nil
		}
	}
	return nil, &InputError{File: file, Msg: fmt.Sprintf("want a JSON array of %ss or a {\"value\": [...]} page", what)}
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// object is one JSON object of an input with what its errors need to name it.
type object struct {
	m       map[string]json.RawMessage
	file    string
	element string
	prefix  string // field path prefix inside the element, e.g. "properties." or "permissions[0]."
}

func (o *object) errf(field, format string, args ...any) error {
	return &InputError{File: o.file, Element: o.element, Field: o.prefix + field, Msg: fmt.Sprintf(format, args...)}
}

func newObject(file, element, prefix string, raw json.RawMessage) (*object, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, &InputError{File: file, Element: element, Field: strings.TrimSuffix(prefix, "."), Msg: "must be a JSON object"}
	}
	return &object{m: m, file: file, element: element, prefix: prefix}, nil
}

// has reports whether key is present and not null.
func (o *object) has(key string) bool {
	v, ok := o.m[key]
	return ok && !isNull(v)
}

// str reads an optional string field ("" when absent or null).
func (o *object) str(key string) (string, error) {
	v, ok := o.m[key]
	if !ok || isNull(v) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", o.errf(key, "must be a string")
	}
	return s, nil
}

// required reads a string field that must be present and not empty.
func (o *object) required(key string) (string, error) {
	s, err := o.str(key)
	if err == nil && s == "" {
		err = o.errf(key, "is required")
	}
	return s, err
}

func (o *object) boolean(key string) (bool, error) {
	v, ok := o.m[key]
	if !ok || isNull(v) {
		return false, nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		return false, o.errf(key, "must be true or false")
	}
	return b, nil
}

func (o *object) strings(key string) ([]string, error) {
	v, ok := o.m[key]
	if !ok || isNull(v) {
		return nil, nil
	}
	var list []*string
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, o.errf(key, "must be an array of strings")
	}
	out := make([]string, len(list))
	for i, p := range list {
		if p == nil {
			return nil, o.errf(fmt.Sprintf("%s[%d]", key, i), "null is not a string")
		}
		out[i] = *p
	}
	return out, nil
}

func (o *object) list(key string) ([]json.RawMessage, error) {
	v, ok := o.m[key]
	if !ok || isNull(v) {
		return nil, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, o.errf(key, "must be an array")
	}
	return list, nil
}

// sub returns the object under key (nil when absent).
func (o *object) sub(key string) (*object, error) {
	v, ok := o.m[key]
	if !ok || isNull(v) {
		return nil, nil
	}
	return newObject(o.file, o.element, o.prefix+key+".", v)
}

func (o *object) guid(key, s string) (GUID, error) {
	g, err := ParseGUID(s)
	if err != nil {
		return GUID{}, o.errf(key, "%q is not a GUID: %v", clip(s), err)
	}
	return g, nil
}

// conditionOf reads condition and conditionVersion: "2.0", empty or absent is accepted.
func (o *object) conditionOf(condKey, versionKey string) (string, error) {
	cond, err := o.str(condKey)
	if err != nil {
		return "", err
	}
	ver, err := o.str(versionKey)
	if err != nil {
		return "", err
	}
	if ver != "" && ver != "2.0" {
		return "", o.errf(versionKey, "condition version %q is not supported (want \"2.0\")", clip(ver))
	}
	if strings.TrimSpace(cond) == "" {
		return "", nil
	}
	return cond, nil
}

// clip shortens text echoed in an error to about 120 bytes, cutting at a character boundary.
func clip(s string) string {
	if len(s) <= 120 {
		return s
	}
	n := 120
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func elementName(kind string, i int, id string) string {
	if id == "" {
		return fmt.Sprintf("%s %d", kind, i)
	}
	return fmt.Sprintf("%s %d (%q)", kind, i, clip(id))
}

// lastSegment returns what follows the last "/" of an id (trailing slashes ignored).
func lastSegment(id string) string {
	id = strings.TrimRight(id, "/")
	return id[strings.LastIndexByte(id, '/')+1:]
}

// ParseRoleDefinitions reads role definitions in any of Azure's export shapes (rbac.md).
func ParseRoleDefinitions(doc Document) ([]RoleDefinition, error) {
	list, err := elements(doc.Name, "role definition", doc.Data, true)
	if err != nil {
		return nil, err
	}
	out := make([]RoleDefinition, 0, len(list))
	seen := make(map[GUID]int, len(list))
	for i, raw := range list {
		el := elementName("role definition", i, "")
		o, err := newObject(doc.Name, el, "", raw)
		if err != nil {
			return nil, err
		}
		rd, err := parseRole(o, i)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[rd.GUID]; dup {
			return nil, &InputError{File: doc.Name, Element: o.element, Field: "id",
				Msg: fmt.Sprintf("role definition %s is defined twice (also element %d)", rd.GUID, j)}
		}
		seen[rd.GUID] = i
		out = append(out, rd)
	}
	return out, nil
}

func parseRole(o *object, i int) (RoleDefinition, error) {
	var rd RoleDefinition
	if o.has("Actions") || o.has("IsCustom") || o.has("AssignableScopes") || (o.has("Id") && !o.has("id")) {
		return parsePowerShellRole(o, i)
	}
	id, err := o.str("id")
	if err != nil {
		return rd, err
	}
	name, err := o.str("name")
	if err != nil {
		return rd, err
	}
	o.element = elementName("role definition", i, firstNonEmpty(id, name))
	props := o
	if o.has("properties") {
		if props, err = o.sub("properties"); err != nil {
			return rd, err
		}
	}
	rd.ID = id
	switch {
	case name != "":
		if rd.GUID, err = o.guid("name", name); err != nil {
			return rd, err
		}
		if id != "" {
			if g, err := ParseGUID(lastSegment(id)); err != nil || g != rd.GUID {
				return rd, o.errf("id", "%q does not end in the definition's name %s", clip(id), name)
			}
		}
	case id != "":
		if rd.GUID, err = o.guid("id", lastSegment(id)); err != nil {
			return rd, err
		}
	default:
		return rd, o.errf("name", "is required (the definition's GUID), or an id ending in it")
	}
	if rd.ID == "" {
		rd.ID = "/providers/Microsoft.Authorization/roleDefinitions/" + rd.GUID.String()
	}
	if rd.RoleName, err = props.str("roleName"); err != nil {
		return rd, err
	}
	roleType, err := props.str("roleType")
	if err != nil {
		return rd, err
	}
	if roleType == "" && props != o { // REST puts the role type in properties.type
		if roleType, err = props.str("type"); err != nil {
			return rd, err
		}
	}
	rd.Custom = strings.EqualFold(roleType, "CustomRole")
	if rd.AssignableScopes, err = props.strings("assignableScopes"); err != nil {
		return rd, err
	}
	perms, err := props.list("permissions")
	if err != nil {
		return rd, err
	}
	for j, raw := range perms {
		p, err := parsePermission(props, fmt.Sprintf("permissions[%d].", j), raw)
		if err != nil {
			return rd, err
		}
		rd.Permissions = append(rd.Permissions, p)
	}
	return rd, nil
}

func parsePowerShellRole(o *object, i int) (RoleDefinition, error) {
	var rd RoleDefinition
	id, err := o.required("Id")
	if err != nil {
		return rd, err
	}
	o.element = elementName("role definition", i, id)
	if rd.GUID, err = o.guid("Id", lastSegment(id)); err != nil {
		return rd, err
	}
	rd.ID = "/providers/Microsoft.Authorization/roleDefinitions/" + rd.GUID.String()
	if rd.RoleName, err = o.str("Name"); err != nil {
		return rd, err
	}
	if rd.Custom, err = o.boolean("IsCustom"); err != nil {
		return rd, err
	}
	if rd.AssignableScopes, err = o.strings("AssignableScopes"); err != nil {
		return rd, err
	}
	var p Permission
	for _, f := range []struct {
		key string
		dst *[]string
	}{{"Actions", &p.Actions}, {"NotActions", &p.NotActions}, {"DataActions", &p.DataActions}, {"NotDataActions", &p.NotDataActions}} {
		if *f.dst, err = o.strings(f.key); err != nil {
			return rd, err
		}
	}
	if p.Condition, err = o.conditionOf("Condition", "ConditionVersion"); err != nil {
		return rd, err
	}
	rd.Permissions = []Permission{p}
	return rd, nil
}

func parsePermission(parent *object, prefix string, raw json.RawMessage) (Permission, error) {
	var p Permission
	o, err := newObject(parent.file, parent.element, parent.prefix+prefix, raw)
	if err != nil {
		return p, err
	}
	for _, f := range []struct {
		key string
		dst *[]string
	}{{"actions", &p.Actions}, {"notActions", &p.NotActions}, {"dataActions", &p.DataActions}, {"notDataActions", &p.NotDataActions}} {
		if *f.dst, err = o.strings(f.key); err != nil {
			return p, err
		}
	}
	p.Condition, err = o.conditionOf("condition", "conditionVersion")
	return p, err
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

const (
	assignmentsSegment = "/providers/Microsoft.Authorization/roleAssignments/"
	denySegment        = "/providers/Microsoft.Authorization/denyAssignments/"
)

// scopeFromID reads the scope off an assignment id: what precedes segment ("/" for an
// assignment at the root).
func scopeFromID(id, segment string) string {
	i := strings.Index(strings.ToLower(id), strings.ToLower(segment))
	if i < 0 {
		return ""
	}
	if i == 0 {
		return "/"
	}
	return id[:i]
}

// ParseDenyAssignments reads deny assignments in the REST shape, wrapped or flattened.
func ParseDenyAssignments(doc Document) ([]DenyAssignment, error) {
	list, err := elements(doc.Name, "deny assignment", doc.Data, true)
	if err != nil {
		return nil, err
	}
	out := make([]DenyAssignment, 0, len(list))
	seen := make(map[string]int, len(list))
	for i, raw := range list {
		o, err := newObject(doc.Name, elementName("deny assignment", i, ""), "", raw)
		if err != nil {
			return nil, err
		}
		d, err := parseDeny(o, i)
		if err != nil {
			return nil, err
		}
		key := foldScope(d.ID)
		if j, dup := seen[key]; dup {
			return nil, &InputError{File: doc.Name, Element: o.element, Field: "id",
				Msg: fmt.Sprintf("deny assignment id appears twice (also element %d)", j)}
		}
		seen[key] = i
		out = append(out, d)
	}
	return out, nil
}

func parseDeny(o *object, i int) (DenyAssignment, error) {
	var d DenyAssignment
	id, err := o.str("id")
	if err != nil {
		return d, err
	}
	name, err := o.str("name")
	if err != nil {
		return d, err
	}
	d.ID = firstNonEmpty(id, name)
	if d.ID == "" {
		return d, o.errf("id", "is required")
	}
	o.element = elementName("deny assignment", i, d.ID)
	props := o
	if o.has("properties") {
		if props, err = o.sub("properties"); err != nil {
			return d, err
		}
	}
	if d.Name, err = props.str("denyAssignmentName"); err != nil {
		return d, err
	}
	if d.Scope, err = props.str("scope"); err != nil {
		return d, err
	}
	if d.Scope == "" {
		d.Scope = scopeFromID(id, denySegment)
		if d.Scope == "" {
			return d, props.errf("scope", "is required (and the id does not contain %s)", denySegment)
		}
	}
	if err := validScope(d.Scope); err != nil {
		return d, props.errf("scope", "%q %v", clip(d.Scope), err)
	}
	if d.DoNotApplyToChildScopes, err = props.boolean("doNotApplyToChildScopes"); err != nil {
		return d, err
	}
	for _, f := range []struct {
		key string
		dst *[]GUID
	}{{"principals", &d.Principals}, {"excludePrincipals", &d.ExcludePrincipals}} {
		list, err := props.list(f.key)
		if err != nil {
			return d, err
		}
		for j, raw := range list {
			p, err := newObject(props.file, props.element, fmt.Sprintf("%s%s[%d].", props.prefix, f.key, j), raw)
			if err != nil {
				return d, err
			}
			pid, err := p.required("id")
			if err != nil {
				return d, err
			}
			g, err := p.guid("id", pid)
			if err != nil {
				return d, err
			}
			*f.dst = append(*f.dst, g)
		}
	}
	perms, err := props.list("permissions")
	if err != nil {
		return d, err
	}
	for j, raw := range perms {
		p, err := parsePermission(props, fmt.Sprintf("permissions[%d].", j), raw)
		if err != nil {
			return d, err
		}
		d.Permissions = append(d.Permissions, p)
	}
	d.Condition, err = props.conditionOf("condition", "conditionVersion")
	return d, err
}

// ParseHierarchy reads {childScope: parentManagementGroupScope}. Children are subscriptions or
// management groups, parents management groups; a cycle is an error.
func ParseHierarchy(doc Document) (map[string]string, error) {
	if err := checkJSON(doc.Name, doc.Data); err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(doc.Data, &raw); err != nil || raw == nil {
		return nil, &InputError{File: doc.Name, Msg: "want a JSON object {childScope: parentManagementGroupScope}"}
	}
	parents := make(map[string]string, len(raw))
	folded := make(map[string]string, len(raw))
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, child := range keys {
		el := fmt.Sprintf("hierarchy entry %q", clip(child))
		var parent string
		if err := json.Unmarshal(raw[child], &parent); err != nil {
			return nil, &InputError{File: doc.Name, Element: el, Msg: "the parent must be a string (a management group scope)"}
		}
		if kind, _ := scopeKind(child); kind == kindOther {
			return nil, &InputError{File: doc.Name, Element: el, Msg: "a child must be a subscription (/subscriptions/ID) or a management group (/providers/Microsoft.Management/managementGroups/ID)"}
		}
		if kind, _ := scopeKind(parent); kind != kindManagementGroup {
			return nil, &InputError{File: doc.Name, Element: el, Msg: fmt.Sprintf("parent %q is not a management group scope (/providers/Microsoft.Management/managementGroups/ID)", clip(parent))}
		}
		fc := foldScope(child)
		if other, dup := folded[fc]; dup {
			return nil, &InputError{File: doc.Name, Element: el, Msg: fmt.Sprintf("the same scope as %q (scopes are case-insensitive)", clip(other))}
		}
		folded[fc] = child
		parents[child] = parent
	}
	// A cycle would make "above" infinite. Each chain is walked once (nodes are coloured), so
	// the check is linear in the hierarchy's size however deep it is.
	up := make(map[string]string, len(parents))
	for c, p := range parents {
		up[foldScope(c)] = foldScope(p)
	}
	const onChain, done = 1, 2
	state := make(map[string]uint8, len(up))
	for _, child := range keys {
		var chain []string
		for s := foldScope(child); state[s] != done; {
			if state[s] == onChain {
				return nil, &InputError{File: doc.Name, Element: fmt.Sprintf("hierarchy entry %q", clip(child)), Msg: "the management-group parents form a cycle"}
			}
			state[s] = onChain
			chain = append(chain, s)
			p, ok := up[s]
			if !ok {
				break
			}
			s = p
		}
		for _, s := range chain {
			state[s] = done
		}
	}
	return parents, nil
}

// ParsePrincipal reads {"id": objectId, "groupIds": [...]}.
func ParsePrincipal(doc Document) (Principal, error) {
	var p Principal
	if err := checkJSON(doc.Name, doc.Data); err != nil {
		return p, err
	}
	o, err := newObject(doc.Name, "principal", "", doc.Data)
	if err != nil {
		return p, err
	}
	if err := o.onlyKeys("id", "groupIds"); err != nil {
		return p, err
	}
	id, err := o.required("id")
	if err != nil {
		return p, err
	}
	if p.ID, err = o.guid("id", id); err != nil {
		return p, err
	}
	groups, err := o.strings("groupIds")
	if err != nil {
		return p, err
	}
	for j, g := range groups {
		gid, err := o.guid(fmt.Sprintf("groupIds[%d]", j), g)
		if err != nil {
			return p, err
		}
		p.GroupIDs = append(p.GroupIDs, gid)
	}
	return p, nil
}

// onlyKeys rejects keys other than allowed, so that a typo cannot silently change a decision.
func (o *object) onlyKeys(allowed ...string) error {
	keys := make([]string, 0, len(o.m))
	for k := range o.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ok := false
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			msg := fmt.Sprintf("unknown key (allowed: %s)", strings.Join(allowed, ", "))
			if c := attrs.Closest(k, allowed); c != "" {
				msg += fmt.Sprintf("; did you mean %q?", c)
			}
			return o.errf(clip(k), "%s", msg)
		}
	}
	return nil
}
