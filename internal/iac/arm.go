package iac

import (
	"fmt"
	"path/filepath"
	"strings"
)

// isARM reports whether a JSON document is an object whose top-level "$schema" names a
// deployment template (deploymentTemplate, subscriptionDeploymentTemplate, ...).
func isARM(d *jdoc) bool {
	if len(d.nodes) == 0 || d.nodes[0].kind != jObject {
		return false
	}
	s := d.member(0, "$schema")
	return s >= 0 && d.nodes[s].kind == jString && strings.Contains(strings.ToLower(d.str(s)), "deploymenttemplate")
}

// armHead decides from the first bytes of a file that cannot be read as JSON (too large or
// invalid) whether it means to be a template, so that its error speaks of one.
func armHead(data []byte) bool {
	head := strings.ToLower(string(data[:min(len(data), 4096)]))
	return strings.Contains(head, `"$schema"`) && strings.Contains(head, "deploymenttemplate")
}

func (x *extractor) json(d *jdoc, err *jsonError) error {
	if err != nil {
		what := "JSON"
		if x.kind == ARM {
			what = "JSON (ARM template)"
		}
		return x.errAt(err.off, "invalid %s: %s", what, err.msg)
	}
	j := &jsonReader{x: x, d: d}
	if x.kind == ARM {
		j.template(0, "")
		return nil
	}
	j.export()
	return nil
}

type jsonReader struct {
	x *extractor
	d *jdoc
}

// ---- ARM templates ----

func (j *jsonReader) template(t int32, path string) {
	res := j.d.member(t, "resources")
	if res < 0 {
		return
	}
	switch j.d.nodes[res].kind {
	case jArray:
		for i, r := range j.d.children(res) {
			j.resource(r, fmt.Sprintf("%sresources[%d]", path, i))
		}
	case jObject: // languageVersion 2.0: symbolic names
		for _, r := range j.d.children(res) {
			j.resource(r, path+"resources."+jsonPathKey(j.d.key(r)))
		}
	}
}

func jsonPathKey(k string) string {
	ok := k != ""
	for i := 0; i < len(k); i++ {
		if !isIdentByte(k[i]) {
			ok = false
		}
	}
	if ok {
		return k
	}
	return fmt.Sprintf("[%q]", k)
}

// armType reports whether a resource type names the Microsoft.Authorization type name
// (roleAssignments or roleDefinitions), in any of the forms ARM accepts: the full type, the
// legacy extension form ".../providers/roleAssignments", or a child's "providers/roleAssignments".
func armType(t, name string) bool {
	t = strings.ToLower(t)
	name = strings.ToLower(name)
	return t == "microsoft.authorization/"+name || t == "providers/"+name || strings.HasSuffix(t, "/providers/"+name)
}

func (j *jsonReader) resource(r int32, path string) {
	d := j.d
	if d.nodes[r].kind != jObject {
		return
	}
	typ := ""
	if t := d.member(r, "type"); t >= 0 && d.nodes[t].kind == jString {
		typ = d.str(t)
	}
	where := path
	if typ != "" {
		where += " (" + typ + ")"
	}
	props := d.member(r, "properties")
	switch {
	case armType(typ, "roleAssignments"):
		if props >= 0 {
			if d.nodes[props].kind == jObject {
				j.condition(props, where)
			} else if d.nodes[props].kind == jString {
				j.x.note(int(d.nodes[props].start), where, "properties is an ARM expression %s; its condition is not checkable statically", snippet(d.data[d.nodes[props].start:d.nodes[props].end]))
			}
		}
	case armType(typ, "roleDefinitions"):
		if props >= 0 && d.nodes[props].kind == jObject {
			j.permissions(props, path+".properties", " ("+typ+")")
		}
	case strings.EqualFold(typ, "Microsoft.Resources/deployments"):
		if props >= 0 && d.nodes[props].kind == jObject {
			if t := d.member(props, "template"); t >= 0 && d.nodes[t].kind == jObject {
				j.template(t, path+".properties.template.")
			}
		}
	}
	if sub := d.member(r, "resources"); sub >= 0 && d.nodes[sub].kind == jArray {
		for i, c := range d.children(sub) {
			j.resource(c, fmt.Sprintf("%s.resources[%d]", path, i))
		}
	}
}

// permissions reads obj.permissions[].condition.
func (j *jsonReader) permissions(obj int32, path, suffix string) {
	p := j.d.member(obj, "permissions")
	if p < 0 || j.d.nodes[p].kind != jArray {
		return
	}
	for i, e := range j.d.children(p) {
		if j.d.nodes[e].kind == jObject {
			j.condition(e, strings.TrimPrefix(fmt.Sprintf("%s.permissions[%d]%s", path, i, suffix), "."))
		}
	}
}

// condition reads obj.condition and obj.conditionVersion.
func (j *jsonReader) condition(obj int32, where string) {
	d := j.d
	c := d.member(obj, "condition")
	if c < 0 {
		return
	}
	n := d.nodes[c]
	switch n.kind {
	case jNull:
		return
	case jString:
	default:
		j.x.note(int(n.start), where, "condition is a JSON %s, not a string", n.kind)
		return
	}
	version := ""
	if v := d.member(obj, "conditionVersion"); v >= 0 {
		switch n := d.nodes[v]; n.kind {
		case jString:
			version = d.str(v)
			if j.x.kind == ARM {
				version = armLiteral(version)
			}
		case jNumber: // "conditionVersion": 2.0 — kept as written (Azure documents the string "2.0")
			version = string(d.data[n.start:n.end])
		}
	}
	text, m := decodeJSONString(d.data, int(n.start), int(n.end))
	arm := j.x.kind == ARM
	if arm {
		if isARMExpression(text) {
			j.x.note(int(n.start), where, "condition is an ARM template expression %s; not checkable statically", snippet(d.data[n.start:n.end]))
			return
		}
		if strings.HasPrefix(text, "[[") && strings.HasSuffix(text, "]") {
			text = text[1:] // "[[" escapes a literal '['
			m.trimFront(1)
		}
	}
	rewrite := func(newText string) ([]byte, bool) {
		s := newText
		if arm && strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
			s = "[" + s
		}
		lit := encodeJSONString(s)
		// Re-read what we wrote.
		got, _ := decodeJSONString(lit, 0, len(lit))
		if arm {
			if isARMExpression(got) {
				return nil, false
			}
			if strings.HasPrefix(got, "[[") && strings.HasSuffix(got, "]") {
				got = got[1:]
			}
		}
		if _, err := parseJSON(lit); err != nil || got != newText {
			return nil, false
		}
		return lit, true
	}
	j.x.add(where, text, version, m, int(n.start), int(n.end), rewrite, true)
}

// armLiteral returns the literal value of an ARM string: "" for an expression, the string
// without its first '[' when "[[" escapes it.
func armLiteral(s string) string {
	if isARMExpression(s) {
		return ""
	}
	if strings.HasPrefix(s, "[[") && strings.HasSuffix(s, "]") {
		return s[1:]
	}
	return s
}

// isARMExpression reports whether an ARM string value is a template expression: it starts with
// '[' and ends with ']', and does not start with "[[" (which escapes a literal '[').
func isARMExpression(s string) bool {
	return len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' && s[1] != '['
}

// ---- exports ----

// markers are the properties that make an object with a condition a role assignment in an
// export: az CLI (camelCase), REST (under properties) and PowerShell (PascalCase) spellings,
// matched case-insensitively.
var markers = []string{"conditionVersion", "principalId", "principalName", "principalType", "roleDefinitionId", "roleDefinitionName", "objectId", "roleAssignmentId", "scope"}

func (j *jsonReader) export() {
	d := j.d
	root := int32(0)
	switch d.nodes[root].kind {
	case jArray:
		for i, e := range d.children(root) {
			j.item(e, fmt.Sprintf("[%d]", i))
		}
	case jObject:
		if v := d.member(root, "value"); v >= 0 && d.nodes[v].kind == jArray {
			for i, e := range d.children(v) {
				j.item(e, fmt.Sprintf("value[%d]", i))
			}
			return
		}
		j.item(root, "")
	}
}

// item reads one exported role assignment or role definition.
func (j *jsonReader) item(obj int32, path string) {
	d := j.d
	if d.nodes[obj].kind != jObject {
		return
	}
	name := ""
	for _, k := range []string{"roleName", "name", "RoleAssignmentName"} {
		if v := d.member(obj, k); v >= 0 && d.nodes[v].kind == jString {
			if name = d.str(v); name != "" {
				break
			}
		}
	}
	where := func(sub string) string {
		w := path + sub
		w = strings.TrimPrefix(w, ".")
		switch {
		case w == "" && name == "":
			return "(top level)"
		case w == "":
			return name
		case name != "":
			return w + " (" + name + ")"
		}
		return w
	}
	// In a .cond file (or standard input) any object with a condition is one; in a .json file,
	// which may be any JSON at all, the object must look like a role assignment.
	lenient := !strings.EqualFold(filepath.Ext(j.x.file), ".json")
	isAssignment := func(o int32) bool {
		if lenient {
			return true
		}
		for _, k := range markers {
			if d.member(o, k) >= 0 {
				return true
			}
		}
		return false
	}
	if d.member(obj, "condition") >= 0 && isAssignment(obj) {
		j.condition(obj, where(""))
	}
	props := d.member(obj, "properties")
	if props >= 0 && d.nodes[props].kind == jObject {
		if d.member(props, "condition") >= 0 && isAssignment(props) {
			j.condition(props, where(".properties"))
		}
	}
	suffix := ""
	if name != "" {
		suffix = " (" + name + ")"
	}
	if props >= 0 && d.nodes[props].kind == jObject {
		j.permissions(props, path+".properties", suffix)
	}
	j.permissions(obj, path, suffix)
}
